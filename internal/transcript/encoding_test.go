package transcript

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileErrors checks the errors a user sees for files that are not
// transcripts: one line that names the file.
func TestFileErrors(t *testing.T) {
	for _, c := range []struct {
		file string // in testdata; "" for an empty file
		want string
	}{
		{"", "empty.txt: file is empty"},
		{"txt_binary.txt", "testdata/txt_binary.txt: looks like a binary file, not a transcript"},
		{"txt_cp1252_undefined.txt", "testdata/txt_cp1252_undefined.txt: text is neither UTF-8 nor Windows-1252 (byte 0x81 at line 3)"},
		{"docx_not_zip.docx", "testdata/docx_not_zip.docx: not a Word .docx file (not a zip archive)"},
	} {
		name, data := "empty.txt", []byte(nil)
		if c.file != "" {
			name = filepath.Join("testdata", c.file)
			var err error
			if data, err = os.ReadFile(name); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Parse(name, data, Options{})
		var e *Error
		if !errors.As(err, &e) || e.File != name {
			t.Errorf("%s: error %v is not an *Error naming the file", name, err)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%s: error %q, want %q", name, err, c.want)
		}
	}
}

func TestDecode(t *testing.T) {
	utf16be := []byte{0xFE, 0xFF, 0, 'I', 0, ':', 0, ' ', 0x00, 0xE9, 0, '\r', 0, '\n', 0xD8, 0x3D, 0xDE, 0x42}
	for _, c := range []struct {
		name string
		in   []byte
		text string
		enc  string
	}{
		{"utf-8", []byte("a\r\nb\rc\n\rd"), "a\nb\nc\n\nd", "utf-8"},
		{"utf-8 BOM", []byte("\xEF\xBB\xBFcafé"), "café", "utf-8-bom"},
		{"doubled BOM", []byte("\xFF\xFE\xFF\xFEa\x00"), "a", "utf-16le"},
		{"utf-16be BOM", utf16be, "I: é\n🙂", "utf-16be"},
		{"utf-16le without BOM", []byte("H\x00i\x00 \x00t\x00h\x00e\x00r\x00e\x00\r\x00\n\x00"), "Hi there\n", "utf-16le"},
		{"windows-1252", []byte("caf\xE9 \x93ok\x94 \x80 5"), "café “ok” € 5", "windows-1252"},
		{"a few control characters", []byte("line one\vline two with a page\fbreak and enough text around them"), "line one\vline two with a page\fbreak and enough text around them", "utf-8"},
	} {
		text, enc, err := decode("f.txt", c.in)
		if err != nil || text != c.text || enc != c.enc {
			t.Errorf("%s: decode = %q, %q, %v; want %q, %q", c.name, text, enc, err, c.text, c.enc)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"NUL", []byte("Interviewer: hi\x00there"), "f.txt: looks like a binary file, not a transcript"},
		{"controls", []byte("\x01\x02\x03\x04abc"), "f.txt: looks like a binary file, not a transcript"},
		{"mixed UTF-8 and cp1252", []byte("Tromsø, café, Zürich\nand a \x93quote\x94 pasted in"), "f.txt: text is UTF-8 except for byte 0x93 at line 2; fix that character or save the file as UTF-8 again"},
		{"invalid after UTF-8 BOM", []byte("\xEF\xBB\xBFok\r\ncaf\xE9"), "f.txt: text starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte 0xE9 at line 2)"},
		{"undefined cp1252 after lone CR", []byte("a\rb\r\n\x8Dc"), "f.txt: text is neither UTF-8 nor Windows-1252 (byte 0x8D at line 3)"},
		{"odd UTF-16", []byte{0xFF, 0xFE, 'a', 0, 'b'}, "f.txt: text is UTF-16 but has an odd number of bytes (is the file cut short?)"},
		{"unpaired surrogate", []byte{0xFF, 0xFE, 'a', 0, '\n', 0, 0x3D, 0xD8, 'b', 0}, "f.txt: text is not valid UTF-16 (unpaired surrogate 0xD83D at line 2)"},
		{"UTF-16 binary", []byte{0xFF, 0xFE, 1, 0, 2, 0, 3, 0, 'a', 0}, "f.txt: looks like a binary file, not a transcript"},
		{"UTF-32", []byte{0xFF, 0xFE, 0, 0, 'a', 0, 0, 0}, "f.txt: text is UTF-32, which is not supported; save it as UTF-8"},
	} {
		_, _, err := decode("f.txt", c.in)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
		if err != nil && strings.ContainsRune(err.Error(), '\uFFFD') {
			t.Errorf("%s: error has a replacement character", c.name)
		}
	}
}

func TestNormalizeLineEndings(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"no breaks":     "no breaks",
		"a\r\nb":        "a\nb",
		"a\rb":          "a\nb",
		"a\r\r\nb\n\r":  "a\n\nb\n\n",
		"\r\n\r\n":      "\n\n",
		"tail\r":        "tail\n",
		"ø\r\nå\rñ\n":   "ø\nå\nñ\n",
		"keep\n\nblank": "keep\n\nblank",
	} {
		if got := NormalizeLineEndings(in); got != want {
			t.Errorf("NormalizeLineEndings(%q) = %q, want %q", in, got, want)
		}
	}
}
