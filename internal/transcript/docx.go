package transcript

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// maxDocxPart is the most uncompressed XML read from one part of a .docx.
// A zip entry can inflate a thousandfold; this stops a zip bomb from
// exhausting memory.
const maxDocxPart = 64 << 20

// defaultDocumentPart is where Word puts the main document part.
const defaultDocumentPart = "word/document.xml"

// parseDocx parses a Word .docx transcript: the text of its main document
// part (see docxText for what counts as text), then the same speaker
// detection as plain text. Headers, footers, footnotes and comments live in
// other parts and are not part of the transcript.
func parseDocx(name string, data []byte, opt Options) (*Transcript, error) {
	fail := func(format string, args ...any) (*Transcript, error) {
		return nil, &Error{File: name, Msg: fmt.Sprintf(format, args...)}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	// An insecure entry name ("../x") only matters when extracting to disk,
	// which this never does.
	if err != nil && (zr == nil || !errors.Is(err, zip.ErrInsecurePath)) {
		return fail("%s", notZipMessage(data))
	}
	partName := mainDocumentPart(zr)
	part := zipEntry(zr, partName)
	if part == nil && partName != defaultDocumentPart {
		partName, part = defaultDocumentPart, zipEntry(zr, defaultDocumentPart)
	}
	if part == nil {
		return fail("not a Word .docx file (no %s inside%s)", partName, otherOfficeFormat(zr))
	}
	if part.UncompressedSize64 > maxDocxPart {
		return fail("%s is %d MB uncompressed; parts larger than %d MB are refused", partName, part.UncompressedSize64>>20, maxDocxPart>>20)
	}
	rc, err := part.Open()
	if err != nil {
		return fail("cannot read %s: %v", partName, err)
	}
	defer rc.Close()
	text, err := docxText(&capReader{r: rc, left: maxDocxPart})
	if err != nil {
		if errors.Is(err, errPartTooLarge) {
			return fail("%s is larger than %d MB uncompressed; refused", partName, maxDocxPart>>20)
		}
		return fail("%s is not readable Word XML: %v", partName, err)
	}
	text = normalise(text)
	turns, err := detectTurns(text, opt)
	if err != nil {
		return nil, withFile(name, err)
	}
	return &Transcript{Text: text, Turns: turns, Format: "docx", Encoding: "docx"}, nil
}

// notZipMessage explains why data is not a .docx, naming the formats
// people most often rename to .docx by mistake.
func notZipMessage(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "not a Word .docx file (it is an old .doc file or a password-protected document; save it as .docx without a password)"
	case bytes.HasPrefix(data, []byte(`{\rtf`)):
		return "not a Word .docx file (it is an RTF file; save it as .docx)"
	}
	return "not a Word .docx file (not a zip archive)"
}

// otherOfficeFormat names the format of a zip that is not a Word document,
// for the error message.
func otherOfficeFormat(zr *zip.Reader) string {
	switch {
	case zipEntry(zr, "content.xml") != nil:
		return "; it looks like an OpenDocument file, save it as .docx"
	case zipEntry(zr, "xl/workbook.xml") != nil:
		return "; it is an Excel workbook"
	case zipEntry(zr, "ppt/presentation.xml") != nil:
		return "; it is a PowerPoint presentation"
	}
	return ""
}

// mainDocumentPart finds the main document part through the package
// relationships, as Word does; files from some generators do not call it
// word/document.xml. Anything unexpected falls back to that name.
func mainDocumentPart(zr *zip.Reader) string {
	const fallback = defaultDocumentPart
	f := zipEntry(zr, "_rels/.rels")
	if f == nil || f.UncompressedSize64 > 1<<20 {
		return fallback
	}
	rc, err := f.Open()
	if err != nil {
		return fallback
	}
	defer rc.Close()
	var rels struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.NewDecoder(&capReader{r: rc, left: 1 << 20}).Decode(&rels) != nil {
		return fallback
	}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, "/officeDocument") && r.Target != "" {
			return strings.TrimPrefix(path.Clean("/"+r.Target), "/")
		}
	}
	return fallback
}

// zipEntry finds a part by name. Part names in an OOXML package are
// case-insensitive.
func zipEntry(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

var errPartTooLarge = errors.New("part too large")

// capReader fails with errPartTooLarge once more than left bytes are read,
// whatever the zip header claimed the size to be.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// Exactly at the cap: only a further byte makes the part too large.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, errPartTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
