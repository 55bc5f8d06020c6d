package transcript

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzPlain feeds arbitrary bytes to the plain-text parser as .txt and .md,
// with and without confirmed speakers: it must never panic, and whatever it
// accepts must satisfy the turn invariants. Seeds: testdata/fuzz/FuzzPlain
// (written by testdata/gen) and the ones below.
func FuzzPlain(f *testing.F) {
	for _, s := range []string{
		"",
		"\xEF\xBB\xBF",
		"\xFF\xFE",
		"A: x\nA: y",
		"A:\nA:\n",
		"**A:** x\n**A**: y\n@A: z\n",
		"[00:00:01] A: x\n(0:02) A: y\n00:03 A: z",
		"A  0:01\nx\n\nB  0:02\ny\nC  0:03",
		"[A] 10:00:00\nx\n[A] 10:00:01\n",
		"A\u00A0: x\nA：y\nA：z",
		"\r\rA: x\r\nA: y\r",
		"caf\xE9\r\nA: \x93x\x94\r\nA: y",
		"A: \xF0\x9F\x99\x82\nA: \xF0\x9F\x99\x82",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"f.txt", "f.md"} {
			for _, opt := range []Options{{}, {Speakers: []string{"a", "The team said"}}} {
				tr, err := parsePlain(name, data, opt)
				if err != nil {
					if e, ok := err.(*Error); !ok || e.File != name {
						t.Fatalf("error %v does not name the file", err)
					}
					continue
				}
				checkTurnInvariants(t, tr)
			}
		}
	})
}

// FuzzDocx feeds arbitrary bytes to the .docx parser. Input that is not a
// zip is first put in a package as word/document.xml, so most mutations
// exercise the XML walker rather than fail as "not a zip archive".
func FuzzDocx(f *testing.F) {
	for _, file := range []string{"docx_features.docx", "docx_teams.docx"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		wordDocument(`<w:p><w:r><w:t>A: x</w:t></w:r></w:p><w:p><w:r><w:t>A: y</w:t></w:r></w:p>`),
		wordDocument(`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A:</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>`),
		wordDocument(`<mc:AlternateContent><mc:Choice><w:p/></mc:Choice><mc:Fallback><w:p/></mc:Fallback></mc:AlternateContent>`),
		`<w:document xmlns:w="x"><w:body><w:p><w:del><w:r><w:t>gone</w:t></w:r></w:del></w:p></w:body></w:document>`,
		`<a><b>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, []byte("PK")) {
			data = packageDocument(t, data)
		}
		tr, err := parseDocx("f.docx", data, Options{})
		if err != nil {
			if e, ok := err.(*Error); !ok || e.File != "f.docx" {
				t.Fatalf("error %v does not name the file", err)
			}
			return
		}
		checkTurnInvariants(t, tr)
	})
}

// packageDocument puts document.xml bytes in a minimal zip package.
func packageDocument(t *testing.T, doc []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err == nil {
		_, err = w.Write(doc)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
