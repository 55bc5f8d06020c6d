package transcript

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
)

func TestDocxFeatures(t *testing.T) {
	tr := parseTextFixture(t, "docx_features.docx", Options{})
	if tr.Format != "docx" || tr.Encoding != "docx" {
		t.Errorf("format %q encoding %q", tr.Format, tr.Encoding)
	}
	want := "Interview 12 – Site B\n" +
		"Date: 3 March 2024\n" + // the DATE field's result, not its code
		"Site code: \n" + // an empty content control's prompt is not text
		// (a tracked-deleted paragraph was here, mark and all)
		"Interviewer: How did you hear about the programme?\n" +
		"P7: My case worker sent me the referral page and I signed up.\n" +
		"Interviewer: What happened next?\n" +
		"P7: I met the employment specialist the week after.\n" +
		"Interviewer:\tDid the job search feel slow?\n" + // a table row: cells joined by a tab
		"P7:\tVery slow. Three months.\n" + // a cell's paragraphs joined by a space
		"Interviewer: Any advice for others?\n" +
		"P7: \nKeep going, and ask for help.\n\n" + // the text box once, not its VML fallback too
		"Interviewer: Thank you.\nWe'll send a follow-up letter."
	if tr.Text != want {
		t.Errorf("text =\n%q\nwant\n%q", tr.Text, want)
	}
	for _, absent := range []string{"my old boss", "removed before analysis", "DATE", "Click or tap"} {
		if strings.Contains(tr.Text, absent) {
			t.Errorf("text contains %q", absent)
		}
	}
	wantSpeakers(t, tr, "Interviewer", "P7", "Interviewer", "P7", "Interviewer", "P7", "Interviewer", "P7", "Interviewer")
	wantSaid(t, tr, 1, "My case worker sent me the referral page and I signed up.")
	wantSaid(t, tr, 3, "I met the employment specialist the week after.")
	wantSaid(t, tr, 5, "Very slow. Three months.")
	wantSaid(t, tr, 6, "Any advice for others?")
	wantSaid(t, tr, 7, "Keep going, and ask for help.")
}

func TestDocxTeamsTranscript(t *testing.T) {
	tr := parseTextFixture(t, "docx_teams.docx", Options{})
	// Priya Nair speaks once: the header convention is established by the others.
	wantSpeakers(t, tr, "Dana Reyes", "Sam Okafor", "Dana Reyes", "Priya Nair", "Sam Okafor")
	if got, want := turnTimes(tr), []int64{3000, 7000, 15000, 25000, 31000}; !slices.Equal(got, want) {
		t.Errorf("times = %v, want %v", got, want)
	}
	wantSaid(t, tr, 0, "Okay, we're recording now. Can you hear me?")
	wantSaid(t, tr, 4, "I started at the warehouse two weeks later.\nIt was night shifts at first.")
	if !strings.HasPrefix(tr.Text, "Weekly check-in\n3 March 2024, 10:02AM\n45m 12s\nDana Reyes   0:03\n") {
		t.Errorf("text starts %q", tr.Text[:60])
	}
}

// TestDocxText covers the extraction rules one construct at a time.
func TestDocxText(t *testing.T) {
	r := func(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }
	p := func(s string) string { return `<w:p>` + r(s) + `</w:p>` }
	for _, c := range []struct{ name, body, want string }{
		{"paragraphs and empty ones", p("a") + `<w:p/>` + p("b"), "a\n\nb"},
		{"tab, breaks, hyphens, symbols", `<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t><w:noBreakHyphen/><w:softHyphen/><w:sym w:font="Wingdings" w:char="F04A"/><w:t>e</w:t></w:r></w:p>`, "a\tb\nc\nd-e"},
		{"empty cells keep their column", `<w:tbl><w:tr><w:tc><w:p/></w:tc><w:tc>` + p("b") + `</w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>` + p("after"), "\tb\t\nafter"},
		{"break inside a cell", `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t><w:br/><w:t>y</w:t></w:r></w:p><w:p/></w:tc><w:tc>` + p("z") + `</w:tc></w:tr></w:tbl>`, "x y\tz"},
		{"nested table stays on the row's line", `<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc>` + p("1") + `</w:tc><w:tc>` + p("2") + `</w:tc></w:tr><w:tr><w:tc>` + p("3") + `</w:tc></w:tr></w:tbl><w:p/></w:tc><w:tc>` + p("outer") + `</w:tc></w:tr></w:tbl>`, "1\t2 3\touter"},
		{"moves", `<w:p><w:moveFrom w:id="1" w:author="a">` + r("old place ") + `</w:moveFrom>` + r("text") + `<w:moveTo w:id="2" w:author="a">` + r(" new place") + `</w:moveTo></w:p>`, "text new place"},
		{"field code skipped, simple field kept", `<w:p><w:r><w:instrText>PAGE</w:instrText></w:r><w:fldSimple w:instr="NUMPAGES">` + r("7") + `</w:fldSimple></w:p>`, "7"},
		{"deleted paragraph mark joins paragraphs", `<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="a"/></w:rPr></w:pPr>` + r("one ") + `</w:p>` + p("two"), "one two"},
		{"only the first alternative", `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent>` + p("choice") + `</w:txbxContent></mc:Choice><mc:Choice Requires="w14">` + p("second choice") + `</mc:Choice><mc:Fallback><w:txbxContent>` + p("fallback") + `</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>`, "choice"},
		{"fallback when it is the only branch", `<w:p><w:r><mc:AlternateContent><mc:Fallback><w:txbxContent>` + p("fallback") + `</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>`, "fallback"},
		{"text outside w:t is not text", `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>` + r("kept") + `<w:bookmarkStart w:id="0" w:name="x"/></w:p>`, "kept"},
		{"ruby guide skipped", `<w:p><w:r><w:ruby><w:rt>` + r("かん") + `</w:rt><w:rubyBase>` + r("漢") + `</w:rubyBase></w:ruby></w:r></w:p>`, "漢"},
		{"entities and CRLF", `<w:p><w:r><w:t>a &amp; b &lt;c&gt; &#233;</w:t></w:r></w:p>`, "a & b <c> é"},
	} {
		text, err := docxText(strings.NewReader(wordDocument(c.body)))
		if err != nil || text != c.want {
			t.Errorf("%s: text = %q, %v; want %q", c.name, text, err, c.want)
		}
	}
}

func TestDocxStrictNamespace(t *testing.T) {
	doc := `<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>Strict A: hello</w:t></w:r></w:p></w:body></w:document>`
	text, err := docxText(strings.NewReader(doc))
	if err != nil || text != "Strict A: hello" {
		t.Errorf("text = %q, %v", text, err)
	}
}

func TestDocxMainPartFromRelationships(t *testing.T) {
	data := zipOf(t, map[string]string{
		"_rels/.rels":        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>`,
		"word/document2.xml": wordDocument(`<w:p><w:r><w:t>A: one</w:t></w:r></w:p><w:p><w:r><w:t>A: two</w:t></w:r></w:p>`),
	})
	tr, err := Parse("gen.docx", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantSpeakers(t, tr, "A", "A")
}

func TestDocxErrors(t *testing.T) {
	deep := strings.Repeat("<w:sdt><w:sdtContent>", 200) + strings.Repeat("</w:sdtContent></w:sdt>", 200)
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"not a zip", []byte("plain text"), "t.docx: not a Word .docx file (not a zip archive)"},
		{"old .doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), "t.docx: not a Word .docx file (it is an old .doc file or a password-protected document; save it as .docx without a password)"},
		{"no document part", zipOf(t, map[string]string{"hello.txt": "hi"}), "t.docx: not a Word .docx file (no word/document.xml inside)"},
		{"spreadsheet", zipOf(t, map[string]string{"xl/workbook.xml": "<workbook/>"}), "t.docx: not a Word .docx file (no word/document.xml inside; it is an Excel workbook)"},
		{"malformed XML", zipOf(t, map[string]string{"word/document.xml": wordDocument(`<w:p><w:r><w:t>open</w:r></w:p>`)}), "t.docx: word/document.xml is not readable Word XML: XML syntax error on line 2: element <t> closed by </r>"},
		{"nested too deep", zipOf(t, map[string]string{"word/document.xml": wordDocument(deep)}), "t.docx: word/document.xml is not readable Word XML: elements are nested more than 256 deep (line 2)"},
		{"no text", zipOf(t, map[string]string{"word/document.xml": wordDocument(`<w:p/>`)}), "t.docx: no text found"},
		{"declared too large", zipBomb(t), "t.docx: word/document.xml is 100 MB uncompressed; parts larger than 64 MB are refused"},
	} {
		_, err := Parse("t.docx", c.data, Options{})
		var e *Error
		if !errors.As(err, &e) || e.File != "t.docx" || err.Error() != c.want {
			t.Errorf("%s: err = %v\nwant %s", c.name, err, c.want)
		}
	}
}

func TestCapReader(t *testing.T) {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(&capReader{r: strings.NewReader("12345"), left: 5}); err != nil {
		t.Errorf("exactly at the cap: %v", err)
	}
	if _, err := buf.ReadFrom(&capReader{r: strings.NewReader("123456"), left: 5}); !errors.Is(err, errPartTooLarge) {
		t.Errorf("over the cap: err = %v", err)
	}
}

// wordDocument wraps body in a w:document with the namespaces Word uses.
func wordDocument(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` + body + `</w:body></w:document>`
}

// zipOf builds a zip archive of the named parts.
func zipOf(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBomb is a package whose document part claims 100 MB uncompressed.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	body := []byte(wordDocument(`<w:p><w:r><w:t>A: x</w:t></w:r></w:p>`))
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Store, CRC32: crc32.ChecksumIEEE(body), CompressedSize64: uint64(len(body)), UncompressedSize64: 100 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
