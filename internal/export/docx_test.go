package export

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func docxSampleReport() *Report {
	return &Report{
		Title:    "Codes & <themes>",
		Subtitle: "Project \"Care\"; filters: none",
		Sections: []Section{
			{
				Heading:    "Overview",
				Level:      1,
				Paragraphs: []string{"Two interviews,\nthree codes.", "\tIndented  with  spaces "},
				Table: &Table{
					Columns: []string{"Code", "Documents", "Codings", "Share of codings"},
					Rows: [][]any{
						{"Disclosure", 2, 5, 62.5},
						{"Trust & <safety>", 1, 2, 100.0 / 3},
						{"=cmd", 0, 1, 0.125},
					},
				},
				Quotes: []Quote{{
					Text:     "I'd rather not say \"yes\" & <mean it>.",
					Document: "Interview 1",
					Speaker:  "P1",
					Role:     "nurse",
					Site:     "Leeds",
					Where:    "turn 12, 0:14:03",
					Coder:    "ab",
					Memo:     "Hedging; compare P4.",
				}},
			},
			{
				Heading: "Disclosure by site",
				Level:   2,
				Chart: &Chart{
					Kind:   "bars",
					Title:  "Participants by site",
					Labels: []string{"Leeds", "York"},
					Series: []string{"Disclosure", "Trust"},
					Values: [][]float64{{3, 1}, {2, 4}},
					Unit:   "participants",
				},
				Quotes: []Quote{
					{Text: "First line\nsecond line\twith a tab", Document: "Interview 2", Speaker: "P2"},
					{Text: "No attribution at all."},
					{Text: "Control\x01char and\x0bvertical tab", Role: "manager", Where: "turn 3"},
				},
			},
			{
				Heading: "Code × document matrix",
				Level:   3,
				Table: &Table{
					Columns: []string{"Code", "Interview 1", "Interview 2", "Interview 3", "Interview 4", "Interview 5", "Interview 6", "Interview 7", "Interview 8"},
					Rows:    [][]any{{"Disclosure", 1, 2, 3, 4, 5, 6, 7, 8}},
				},
			},
			{Heading: "Back to portrait", Level: 1, Paragraphs: []string{"Done."}},
		},
	}
}

func writeDOCX(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docxParts unzips a package into part name -> content.
func docxParts(t *testing.T, data []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if _, dup := parts[f.Name]; dup {
			t.Errorf("duplicate zip entry %s", f.Name)
		}
		parts[f.Name] = b
		names = append(names, f.Name)
	}
	return parts, names
}

// xnode is a parsed XML element.
type xnode struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*xnode
	text     string // character data directly inside
}

func (n *xnode) attr(local string) string {
	for _, a := range n.attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (n *xnode) walk(f func(*xnode)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

func (n *xnode) all(local string) []*xnode {
	var out []*xnode
	n.walk(func(c *xnode) {
		if c.name.Local == local {
			out = append(out, c)
		}
	})
	return out
}

// parseXML parses a whole XML document strictly, failing the test if it
// is not well-formed.
func parseXML(t *testing.T, name string, data []byte) *xnode {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var root *xnode
	var stack []*xnode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: tok.Name, attrs: tok.Attr}
			if len(stack) == 0 {
				if root != nil {
					t.Fatalf("%s: more than one root element", name)
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if root == nil {
		t.Fatalf("%s: no root element", name)
	}
	return root
}

// docxParagraphs is the text of each paragraph in document.xml, with
// <w:br/> as "\n" and <w:tab/> as "\t".
func docxParagraphs(doc *xnode) []string {
	var out []string
	for _, p := range doc.all("p") {
		var b strings.Builder
		p.walk(func(n *xnode) {
			switch n.name.Local {
			case "t":
				b.WriteString(n.text)
			case "br":
				b.WriteString("\n")
			case "tab":
				b.WriteString("\t")
			}
		})
		out = append(out, b.String())
	}
	return out
}

func docxDocumentXML(t *testing.T, data []byte) *xnode {
	t.Helper()
	parts, _ := docxParts(t, data)
	doc, ok := parts["word/document.xml"]
	if !ok {
		t.Fatal("no word/document.xml")
	}
	return parseXML(t, "word/document.xml", doc)
}

// xmlSafe drops what WriteDOCX drops: characters XML 1.0 does not allow.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return -1
		}
		return r
	}, s)
}

// TestDOCXPackageStructure is a pure-Go check of the package: a zip whose
// parts are well-formed XML, with a content type for every part (the main
// document and styles among them) and relationships that resolve to parts
// that exist.
func TestDOCXPackageStructure(t *testing.T) {
	for name, r := range map[string]*Report{"sample": docxSampleReport(), "empty": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			parts, names := docxParts(t, writeDOCX(t, r))
			if len(names) == 0 || names[0] != "[Content_Types].xml" {
				t.Errorf("[Content_Types].xml should be the first entry, got %v", names)
			}
			for _, n := range names {
				if strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".rels") {
					parseXML(t, n, parts[n])
				}
			}

			ct := parseXML(t, "[Content_Types].xml", parts["[Content_Types].xml"])
			defaults := map[string]string{}
			overrides := map[string]string{}
			for _, d := range ct.all("Default") {
				defaults[strings.ToLower(d.attr("Extension"))] = d.attr("ContentType")
			}
			for _, o := range ct.all("Override") {
				overrides[o.attr("PartName")] = o.attr("ContentType")
				if _, ok := parts[strings.TrimPrefix(o.attr("PartName"), "/")]; !ok {
					t.Errorf("content type override for missing part %s", o.attr("PartName"))
				}
			}
			for _, n := range names {
				if n == "[Content_Types].xml" {
					continue
				}
				if overrides["/"+n] == "" && defaults[strings.ToLower(path.Ext(n)[1:])] == "" {
					t.Errorf("part %s has no content type", n)
				}
			}
			for part, want := range map[string]string{
				"/word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
				"/word/styles.xml":   "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
				"/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
				"/docProps/app.xml":  "application/vnd.openxmlformats-officedocument.extended-properties+xml",
			} {
				if overrides[part] != want {
					t.Errorf("content type of %s = %q, want %q", part, overrides[part], want)
				}
			}

			// Every relationship target exists; the package points at the
			// main document, the document at its styles.
			relTypes := map[string][]string{} // source part -> relationship types
			for _, n := range names {
				if !strings.HasSuffix(n, ".rels") {
					continue
				}
				dir, file := path.Split(n)
				if path.Base(dir) != "_rels" {
					t.Errorf("%s is not in a _rels folder", n)
					continue
				}
				base := path.Dir(strings.TrimSuffix(dir, "/")) // the source part's folder
				source := strings.TrimSuffix(file, ".rels")
				if base != "." {
					source = base + "/" + source
				} else {
					base = ""
				}
				if source != "" {
					if _, ok := parts[source]; !ok {
						t.Errorf("%s describes missing part %s", n, source)
					}
				}
				ids := map[string]bool{}
				for _, rel := range parseXML(t, n, parts[n]).all("Relationship") {
					if ids[rel.attr("Id")] {
						t.Errorf("%s: duplicate Id %s", n, rel.attr("Id"))
					}
					ids[rel.attr("Id")] = true
					if rel.attr("TargetMode") == "External" {
						continue
					}
					target := path.Join(base, rel.attr("Target"))
					if _, ok := parts[target]; !ok {
						t.Errorf("%s: relationship %s points to missing part %s", n, rel.attr("Id"), target)
					}
					relTypes[source] = append(relTypes[source], path.Base(rel.attr("Type")))
				}
			}
			if !strings.Contains(strings.Join(relTypes[""], " "), "officeDocument") {
				t.Errorf("_rels/.rels has no officeDocument relationship: %v", relTypes[""])
			}
			if !strings.Contains(strings.Join(relTypes["word/document.xml"], " "), "styles") {
				t.Errorf("document.xml has no styles relationship: %v", relTypes["word/document.xml"])
			}

			// The styles the brief names exist, and every style the
			// document uses is defined.
			styles := map[string]bool{}
			for _, s := range parseXML(t, "word/styles.xml", parts["word/styles.xml"]).all("style") {
				styles[s.attr("styleId")] = true
			}
			for _, id := range []string{"Normal", "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Quote", "Caption", "Attribution", "Memo", "TableGrid"} {
				if !styles[id] {
					t.Errorf("style %s not defined", id)
				}
			}
			doc := parseXML(t, "word/document.xml", parts["word/document.xml"])
			for _, kind := range []string{"pStyle", "tblStyle", "rStyle"} {
				for _, n := range doc.all(kind) {
					if !styles[n.attr("val")] {
						t.Errorf("document uses undefined style %s", n.attr("val"))
					}
				}
			}
			if doc.name.Local != "document" || len(doc.all("body")) != 1 {
				t.Errorf("root is %s, want a w:document with one w:body", doc.name.Local)
			}
			if len(doc.all("p")) == 0 {
				t.Error("document has no paragraph")
			}
		})
	}
}

func TestDOCXQuotesAppearOnce(t *testing.T) {
	r := docxSampleReport()
	doc := docxDocumentXML(t, writeDOCX(t, r))
	text := strings.Join(docxParagraphs(doc), "\n")
	for _, s := range r.Sections {
		for _, q := range s.Quotes {
			want := xmlSafe(q.Text)
			if n := strings.Count(text, want); n != 1 {
				t.Errorf("quote %q appears %d times, want once", want, n)
			}
			if !strings.Contains(text, "\u201c"+want+"\u201d") {
				t.Errorf("quote %q is not in curly quotes", want)
			}
		}
	}
	paras := docxParagraphs(doc)
	for _, want := range []string{
		"\u2014 P1 (nurse, Leeds), Interview 1, turn 12, 0:14:03",
		"Memo: Hedging; compare P4.",
		"\u2014 P2, Interview 2",
		"\u2014 manager, turn 3",
		"Chart data: Participants by site (participants)",
	} {
		found := false
		for _, p := range paras {
			found = found || p == want
		}
		if !found {
			t.Errorf("no paragraph %q", want)
		}
	}
	for _, p := range paras {
		if p == "\u2014 " || strings.HasPrefix(p, "\u2014 ,") {
			t.Errorf("empty attribution %q", p)
		}
	}
}

func TestDOCXDeterministic(t *testing.T) {
	a := writeDOCX(t, docxSampleReport())
	b := writeDOCX(t, docxSampleReport())
	if !bytes.Equal(a, b) {
		t.Fatal("two writes of the same report differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range zr.File {
		if !f.Modified.Equal(want) {
			t.Errorf("%s modified %v, want %v", f.Name, f.Modified, want)
		}
	}
	parts, _ := docxParts(t, a)
	for _, n := range []string{"docProps/core.xml", "docProps/app.xml"} {
		if s := string(parts[n]); strings.Contains(s, "dcterms:created") || strings.Contains(s, "dcterms:modified") || strings.Contains(s, "TotalTime") {
			t.Errorf("%s carries a timestamp: %s", n, s)
		}
	}
}

func TestDOCXEscaping(t *testing.T) {
	nasty := "a < b && c > d \"q\" 'a' ]]> \x00nul\x08bs\x1besc\ufffe\uffff end"
	clean := "a < b && c > d \"q\" 'a' ]]> nulbsesc end"
	r := &Report{
		Title:    nasty,
		Subtitle: nasty,
		Sections: []Section{{
			Heading:    nasty,
			Paragraphs: []string{nasty, "line1\r\nline2\rline3\nline4\ttabbed  two spaces", "bad utf-8: \xff\xfe"},
			Table:      &Table{Columns: []string{nasty}, Rows: [][]any{{nasty}}},
			Chart:      &Chart{Title: nasty, Labels: []string{nasty}, Series: []string{nasty}, Values: [][]float64{{1}}},
			Quotes:     []Quote{{Text: nasty, Speaker: nasty, Memo: nasty}},
		}},
	}
	data := writeDOCX(t, r)
	parts, _ := docxParts(t, data)
	for n, b := range parts {
		if strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".rels") {
			parseXML(t, n, b)
			for _, c := range b {
				if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
					t.Errorf("%s contains control byte %#x", n, c)
				}
			}
			if bytes.Contains(b, []byte("\ufffe")) || bytes.Contains(b, []byte("\uffff")) {
				t.Errorf("%s contains a noncharacter XML forbids", n)
			}
		}
	}
	paras := docxParagraphs(parseXML(t, "word/document.xml", parts["word/document.xml"]))
	count := map[string]int{}
	for _, p := range paras {
		count[p]++
	}
	for _, want := range []string{
		clean, // title, subtitle, heading, paragraph, table header, cell, chart label, series
		"\u201c" + clean + "\u201d",
		"\u2014 " + clean,
		"Memo: " + clean,
		"Chart data: " + clean,
		"line1\nline2\nline3\nline4\ttabbed  two spaces",
		"bad utf-8: \ufffd\ufffd",
	} {
		if count[want] == 0 {
			t.Errorf("no paragraph %q in %q", want, paras)
		}
	}
	if count[clean] != 8 {
		t.Errorf("%d paragraphs read %q, want 8", count[clean], clean)
	}
	core := string(parts["docProps/core.xml"])
	if !strings.Contains(core, "<dc:title>a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &apos;a&apos; ]]&gt; nulbsesc end</dc:title>") {
		t.Errorf("core.xml title not escaped as expected: %s", core)
	}
}

func TestDOCXLayout(t *testing.T) {
	doc := docxDocumentXML(t, writeDOCX(t, docxSampleReport()))

	// Page setup: A4, 2 cm margins; the wide matrix gets a landscape
	// section, the sections around it stay portrait.
	var orients []string
	for _, s := range doc.all("sectPr") {
		sz := s.all("pgSz")[0]
		m := s.all("pgMar")[0]
		for _, side := range []string{"top", "right", "bottom", "left"} {
			if m.attr(side) != "1134" {
				t.Errorf("margin %s = %s, want 1134 (2 cm)", side, m.attr(side))
			}
		}
		switch {
		case sz.attr("w") == "11906" && sz.attr("h") == "16838" && sz.attr("orient") == "":
			orients = append(orients, "portrait")
		case sz.attr("w") == "16838" && sz.attr("h") == "11906" && sz.attr("orient") == "landscape":
			orients = append(orients, "landscape")
		default:
			t.Errorf("page size %v is not A4", sz.attrs)
		}
	}
	if got := strings.Join(orients, " "); got != "portrait landscape portrait" {
		t.Errorf("sections are %s, want portrait landscape portrait", got)
	}

	tables := doc.all("tbl")
	if len(tables) != 3 {
		t.Fatalf("%d tables, want 3 (table, chart data, matrix)", len(tables))
	}
	for i, tbl := range tables {
		if st := tbl.all("tblStyle"); len(st) != 1 || st[0].attr("val") != "TableGrid" {
			t.Errorf("table %d: not in TableGrid style", i)
		}
		rows := tbl.all("tr")
		if len(rows[0].all("tblHeader")) != 1 {
			t.Errorf("table %d: header row does not repeat", i)
		}
		for _, r := range rows[0].all("r") {
			if len(r.all("b")) == 0 {
				t.Errorf("table %d: header cell not bold", i)
			}
		}
		for _, r := range rows[1:] {
			if len(r.all("tblHeader")) != 0 || len(r.all("b")) != 0 {
				t.Errorf("table %d: body row marked as header or bold", i)
			}
		}
		grid := 0
		for _, g := range tbl.all("gridCol") {
			var w int
			for _, c := range g.attr("w") {
				w = w*10 + int(c-'0')
			}
			if w < 300 {
				t.Errorf("table %d: column %d twips wide", i, w)
			}
			grid += w
		}
		if want := []int{9638, 9638, 14570}[i]; grid != want {
			t.Errorf("table %d is %d twips wide, want %d (text width)", i, grid, want)
		}
	}

	// In the first table, text is left-aligned and numbers right-aligned
	// (header included); floats are rounded for print.
	var aligned []string
	for _, row := range tables[0].all("tr")[:2] {
		for _, p := range row.all("p") {
			jc := "left"
			if j := p.all("jc"); len(j) > 0 {
				jc = j[0].attr("val")
			}
			aligned = append(aligned, jc)
		}
	}
	if got := strings.Join(aligned, " "); got != "left right right right left right right right" {
		t.Errorf("alignment = %s", got)
	}
	paras := docxParagraphs(tables[0])
	if got := strings.Join(paras, "|"); got != "Code|Documents|Codings|Share of codings|Disclosure|2|5|62.5|Trust & <safety>|1|2|33.33|=cmd|0|1|0.125" {
		t.Errorf("table text = %s", got)
	}
	if got := strings.Join(docxParagraphs(tables[1]), "|"); got != "|Disclosure|Trust|Leeds|3|1|York|2|4" {
		t.Errorf("chart table text = %s", got)
	}

	// Headings follow the section levels.
	var headings []string
	for _, p := range doc.all("pStyle") {
		if v := p.attr("val"); strings.HasPrefix(v, "Heading") {
			headings = append(headings, v)
		}
	}
	if got := strings.Join(headings, " "); got != "Heading1 Heading2 Heading3 Heading1" {
		t.Errorf("headings = %s", got)
	}

	// Spaces are preserved.
	for _, tn := range doc.all("t") {
		if tn.attr("space") != "preserve" {
			t.Errorf("w:t %q without xml:space=preserve", tn.text)
		}
	}
}

func TestDOCXFloat(t *testing.T) {
	for in, want := range map[float64]string{
		3: "3", 62.5: "62.5", 100.0 / 3: "33.33", 0.125: "0.125", 2.0 / 3: "0.667",
		0.81234: "0.812", -1.005: "-1", 1e-7 / 3: "3.33e-08", 12.50001: "12.5",
	} {
		if got := docxFloat(in); got != want {
			t.Errorf("docxFloat(%v) = %q, want %q", in, got, want)
		}
	}
}

// TestDOCXOpensInLibreOffice converts the document to text with
// LibreOffice, when installed, proving that it opens the file.
func TestDOCXOpensInLibreOffice(t *testing.T) {
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		t.Skip("libreoffice not on PATH: skipping the conversion check")
	}
	if testing.Short() {
		t.Skip("-short: skipping the LibreOffice conversion")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "report.docx")
	r := docxSampleReport()
	if err := os.WriteFile(file, writeDOCX(t, r), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A private profile, so a LibreOffice already running (or another
	// test converting at the same time) does not take over the call.
	cmd := exec.CommandContext(ctx, lo, "-env:UserInstallation="+(&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, "profile"))}).String(),
		"--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", dir, file)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	txt, err := os.ReadFile(filepath.Join(dir, "report.txt"))
	if err != nil {
		t.Fatalf("libreoffice wrote no text (%v)\n%s", err, out)
	}
	norm := func(s string) string {
		return strings.Join(strings.Fields(strings.ReplaceAll(s, "\ufeff", "")), " ")
	}
	got := norm(string(txt))
	for _, want := range []string{r.Title, "Chart data: Participants by site", "Interview 8", "Back to portrait"} {
		if !strings.Contains(got, norm(want)) {
			t.Errorf("LibreOffice text lacks %q:\n%s", want, txt)
		}
	}
	for _, s := range r.Sections {
		for _, q := range s.Quotes {
			if want := norm("\u201c" + xmlSafe(q.Text) + "\u201d"); !strings.Contains(got, want) {
				t.Errorf("LibreOffice text lacks quote %q:\n%s", want, txt)
			}
		}
	}
}
