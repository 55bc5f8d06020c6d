package refi

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Limits bound what reading one .qdpx may cost, so that a hostile or
// broken file (a zip bomb, a billion nested elements) ends in an error
// instead of exhausting memory.
type Limits struct {
	MaxEntries     int   // entries in the zip
	MaxXMLBytes    int64 // the .qde, unpacked
	MaxXMLDepth    int   // nesting of XML elements, Project included
	MaxSourceBytes int64 // one source or note file, unpacked
	MaxTotalBytes  int64 // everything read from the zip, unpacked
}

// DefaultLimits are far above real projects: a project with 200,000
// codings has a .qde of about 120 MB.
var DefaultLimits = Limits{
	MaxEntries:     200_000,
	MaxXMLBytes:    1 << 30,
	MaxXMLDepth:    256,
	MaxSourceBytes: 64 << 20,
	MaxTotalBytes:  4 << 30,
}

// archive is an opened .qdpx: its entries checked, the .qde found.
type archive struct {
	name  string
	lim   Limits
	files map[string]*zip.File // by lower-case path: "Sources/" and "sources/" are one folder
	qde   *zip.File
	total int64 // bytes unpacked so far
}

func openArchive(name string, r io.ReaderAt, size int64, lim Limits) (*archive, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%s: not a zip archive, so not a .qdpx (%v)", name, err)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%s: the zip has %d entries, more than the %d qcode reads", name, len(zr.File), lim.MaxEntries)
	}
	a := &archive{name: name, lim: lim, files: make(map[string]*zip.File, len(zr.File))}
	var qdes []string
	for _, f := range zr.File {
		if why := unsafeEntry(f.Name); why != "" {
			return nil, fmt.Errorf("%s: zip entry %q %s; refusing the file", name, f.Name, why)
		}
		p := strings.ReplaceAll(f.Name, `\`, "/")
		if !strings.Contains(p, "/") && strings.HasSuffix(strings.ToLower(p), ".qde") {
			qdes = append(qdes, f.Name)
			a.qde = f
		}
		a.files[strings.ToLower(p)] = f
	}
	switch len(qdes) {
	case 0:
		return nil, fmt.Errorf("%s: no project file (*.qde) at the top of the zip; not a REFI-QDA project", name)
	case 1:
	default:
		return nil, fmt.Errorf("%s: %d project files (%s) at the top of the zip; a .qdpx holds one", name, len(qdes), strings.Join(qdes, ", "))
	}
	return a, nil
}

// unsafeEntry says why an entry's path could escape a folder it is
// unpacked into, or "" when it cannot.
func unsafeEntry(name string) string {
	p := strings.ReplaceAll(name, `\`, "/")
	switch {
	case strings.ContainsRune(p, 0):
		return "has a NUL byte in its path"
	case strings.HasPrefix(p, "/"), len(p) >= 2 && p[1] == ':':
		return "has an absolute path"
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return `has ".." in its path`
		}
	}
	return ""
}

// open returns the entry at p (matched without regard to case), or nil.
func (a *archive) open(p string) *zip.File {
	p = path.Clean(strings.ReplaceAll(p, `\`, "/"))
	return a.files[strings.ToLower(strings.TrimPrefix(p, "/"))]
}

// reader returns the unpacked content of f, limited to max bytes and to
// what is left of the total; reading past either is an error naming the
// entry.
func (a *archive) reader(f *zip.File, max int64) (io.ReadCloser, error) {
	if f.UncompressedSize64 > uint64(max) {
		return nil, a.tooLarge(f, max)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: cannot unpack %s: %v", a.name, f.Name, err)
	}
	return &limitedEntry{a: a, f: f, rc: rc, max: max}, nil
}

func (a *archive) tooLarge(f *zip.File, max int64) error {
	return &limitError{fmt.Sprintf("%s: %s is larger than %s unpacked; refusing it (a damaged file or a zip bomb)", a.name, f.Name, size(max))}
}

// size writes a byte count for messages: "64 MB", "600 KB".
func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// limitError is an error of the zip layer met while the XML decoder reads;
// it already names the file.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

// readAll unpacks a whole entry.
func (a *archive) readAll(f *zip.File, max int64) ([]byte, error) {
	rc, err := a.reader(f, max)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The declared size is checked against max above; it may still lie,
	// so the buffer grows past it if need be (up to max).
	buf := bytes.NewBuffer(make([]byte, 0, int(f.UncompressedSize64)+bytes.MinRead))
	_, err = buf.ReadFrom(rc)
	return buf.Bytes(), err
}

type limitedEntry struct {
	a   *archive
	f   *zip.File
	rc  io.ReadCloser
	max int64
	n   int64
}

func (l *limitedEntry) Read(p []byte) (int, error) {
	n, err := l.rc.Read(p)
	l.n += int64(n)
	l.a.total += int64(n)
	switch {
	case l.n > l.max:
		return n, l.a.tooLarge(l.f, l.max)
	case l.a.total > l.a.lim.MaxTotalBytes:
		return n, &limitError{fmt.Sprintf("%s: more than %s unpacked in all; refusing the file (a zip bomb?)", l.a.name, size(l.a.lim.MaxTotalBytes))}
	case err != nil && err != io.EOF:
		return n, &limitError{fmt.Sprintf("%s: %s is damaged: %v", l.a.name, l.f.Name, err)}
	}
	return n, err
}

func (l *limitedEntry) Close() error { return l.rc.Close() }
