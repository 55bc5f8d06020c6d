package codebook

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// FileFormats lists the codebook file extensions ReadFile and WriteFile
// understand.
var FileFormats = []string{".yaml", ".yml", ".csv", ".qdc"}

// FormatOf returns "yaml", "csv" or "qdc" for a file name, or an error
// naming the supported extensions.
func FormatOf(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return "yaml", nil
	case ".csv":
		return "csv", nil
	case ".qdc":
		return "qdc", nil
	}
	return "", fmt.Errorf("%s: unknown codebook format %q (use %s)", path, filepath.Ext(path), strings.Join(FileFormats, ", "))
}

// ReadFile reads a codebook in the format its extension names.
func ReadFile(path string) (*Codebook, error) {
	format, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, unwrapPath(err))
	}
	defer f.Close()
	return Read(path, format, f)
}

// Read reads a codebook in format ("yaml", "csv" or "qdc"); name is used in
// errors.
func Read(name, format string, r io.Reader) (*Codebook, error) {
	switch format {
	case "yaml":
		return ReadYAML(name, r)
	case "csv":
		return ReadCSV(name, r)
	case "qdc":
		return ReadQDC(name, r)
	}
	return nil, fmt.Errorf("%s: unknown codebook format %q", name, format)
}

// Write writes cb in format ("yaml", "csv" or "qdc").
func Write(w io.Writer, format string, cb *Codebook) error {
	switch format {
	case "yaml":
		return WriteYAML(w, cb)
	case "csv":
		return WriteCSV(w, cb)
	case "qdc":
		return WriteQDC(w, cb)
	}
	return fmt.Errorf("unknown codebook format %q", format)
}

// WriteFile writes cb to path in the format its extension names. It writes
// to a temporary file first and renames it, so a failure never leaves a
// half-written codebook in place of a good one.
func WriteFile(path string, cb *Codebook) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := Write(&buf, format, cb); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("%s: %v", path, unwrapPath(err))
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %v", path, unwrapPath(err))
	}
	return nil
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
