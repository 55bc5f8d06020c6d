package transcript

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Formats lists the file extensions Parse understands.
var Formats = []string{".txt", ".md", ".vtt", ".srt", ".docx"}

// ReadFile reads the file at path for Parse, refusing a directory or a
// file larger than MaxFileBytes before reading it. Errors name path.
func ReadFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, &Error{File: path, Msg: cleanOSError(err)}
	}
	if info.IsDir() {
		return nil, &Error{File: path, Msg: "is a directory, not a transcript file"}
	}
	if info.Size() > MaxFileBytes {
		return nil, &Error{File: path, Msg: fmt.Sprintf("file is %d MB; transcripts larger than %d MB are refused", info.Size()>>20, MaxFileBytes>>20)}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: cleanOSError(err)}
	}
	return data, nil
}

// ParseFile reads and parses the file at path.
func ParseFile(path string, opt Options) (*Transcript, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, opt)
}

// Parse parses data as the format named by name's extension. name is used
// for the format and in error messages only.
func Parse(name string, data []byte, opt Options) (*Transcript, error) {
	if len(data) > MaxFileBytes {
		return nil, &Error{File: name, Msg: fmt.Sprintf("file is %d MB; transcripts larger than %d MB are refused", len(data)>>20, MaxFileBytes>>20)}
	}
	if len(data) == 0 {
		return nil, &Error{File: name, Msg: "file is empty"}
	}
	ext := strings.ToLower(filepath.Ext(name))
	var (
		t   *Transcript
		err error
	)
	switch ext {
	case ".txt", ".md", ".markdown", ".text":
		t, err = parsePlain(name, data, opt)
	case ".vtt":
		t, err = parseVTT(name, data)
	case ".srt":
		t, err = parseSRT(name, data)
	case ".docx":
		t, err = parseDocx(name, data, opt)
	default:
		return nil, &Error{File: name, Msg: fmt.Sprintf("unsupported file type %q (supported: %s, .qdpx)", ext, strings.Join(Formats, " "))}
	}
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(t.Text) == "" {
		return nil, &Error{File: name, Msg: "no text found"}
	}
	return t, nil
}

// cleanOSError drops the path that os errors repeat, since Error adds it.
func cleanOSError(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}
