package codebook

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// refiDir is the shared REFI-QDA reference (schemas, vendor samples); CI
// checks it out beside the repository.
const refiDir = "../../shared/reference/refi"

func refiFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(refiDir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("REFI-QDA reference %s not available (shared/reference/refi is expected beside the repository): %v", name, err)
	}
	return p
}

func readQDCFile(t *testing.T, path string) *Codebook {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cb, err := ReadQDC(path, f)
	if err != nil {
		t.Fatal(err)
	}
	return cb
}

// The samples stay in shared/: NOTES.md gives a licence for the schemas and
// the specification only, so they are not copied into the repository.
func TestReadQDCAtlasTiSample(t *testing.T) {
	cb := readQDCFile(t, refiFile(t, "samples/atlasti23_codebook.qdc"))
	if cb.Name != "atlasti23_codebook" {
		t.Errorf("name %q, want the file name", cb.Name)
	}
	want := []Code{{ID: "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294", Name: "code1", Colour: "#46aa00", Description: "description"}}
	if !reflect.DeepEqual(cb.Codes, want) {
		t.Errorf("codes\n got %+v\nwant %+v", cb.Codes, want)
	}
}

func TestReadQDCMinimalSample(t *testing.T) {
	cb := readQDCFile(t, refiFile(t, "samples/minimal_codebook.qdc"))
	want := []Code{
		{ID: "6f9619ff-8b86-d011-b42d-00c04fc964ff", Name: "Emotions", Grouping: true, Description: "Folder (category) - not used for coding directly"},
		{ID: "0b7b9c0e-2f5c-4a52-9d0b-6c1e5b3a1f01", Name: "Joy", ParentID: "6f9619ff-8b86-d011-b42d-00c04fc964ff", Colour: "#ffcc00", Description: "Expressions of happiness & delight"},
		{ID: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", Name: "Anger", ParentID: "6f9619ff-8b86-d011-b42d-00c04fc964ff", Colour: "#cc0000"},
		{ID: "a3f1c2d4-0000-4000-8000-000000000001", Name: "Uncategorised"},
	}
	if !reflect.DeepEqual(cb.Codes, want) {
		t.Errorf("codes\n got %+v\nwant %+v", cb.Codes, want)
	}
	if p := NewIndex(cb.Codes).Path("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"); p != "Emotions/Anger" {
		t.Errorf("path %q", p)
	}
}

func TestReadQDCRefusesProjectZip(t *testing.T) {
	f, err := os.Open(refiFile(t, "samples/atlasti23_codebook_only.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = ReadQDC("atlas.qdpx", f)
	if err == nil || !strings.Contains(err.Error(), "atlas.qdpx: is a zip archive (a .qdpx project?)") {
		t.Fatalf("err = %v", err)
	}
}

func TestReadQDCOldNamespace(t *testing.T) {
	cb := readQDCFile(t, "testdata/qdc_atlasti_0_4.qdc")
	if len(cb.Codes) != 5 {
		t.Fatalf("%d codes, want 5: %+v", len(cb.Codes), cb.Codes)
	}
	ix := NewIndex(cb.Codes)
	var paths []string
	for _, c := range cb.Codes {
		paths = append(paths, ix.Path(c.ID))
	}
	wantPaths := []string{
		"Employer contact",
		"Employer contact/Job development visits",
		"Employer contact/Job development visits/Repeat visits",
		`Employer contact/Fear of the unknown: "will they cope?"`,
		"Benefits & NAV",
	}
	if !reflect.DeepEqual(paths, wantPaths) {
		t.Errorf("paths\n got %q\nwant %q", paths, wantPaths)
	}
	top := cb.Codes[0]
	if !top.Grouping || top.Colour != "#1b9e77" || top.ID != "5a1c0e8b-3b7e-4f0d-9c55-0b2f6e1d7a10" {
		t.Errorf("top code %+v", top)
	}
	if cb.Codes[2].Grouping || cb.Codes[2].Colour != "" || cb.Codes[2].Description != "" {
		t.Errorf("leaf %+v", cb.Codes[2])
	}
	if d := cb.Codes[4].Description; d != "Benefit rules,\ncounselling and\nwork incentives." {
		t.Errorf("description %q", d)
	}
}

func TestReadQDCNoNamespaceAndBOM(t *testing.T) {
	in := "\ufeff<?xml version='1.0' encoding='UTF-8'?>\n<CodeBook><Codes>\n" +
		"<Code guid='{5215CC69-B628-4E02-AFB9-9BEEAEE55808}' name=' Topics ' isCodable='0'>\n" +
		"  <Description>\n    Indented by hand.\n  </Description>\n" +
		"  <NoteRef targetGUID='66666666-FFFF-4FFF-8FFF-000000000002'/>\n" +
		"  <Code guid='d7aa29da-519b-4946-9b90-253b6db8fd0a' name='Economy' isCodable='1' color='#FF0'/>\n" +
		"</Code></Codes></CodeBook>"
	cb, err := ReadQDC("dir/hand made.QDC", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Code{
		{ID: "5215cc69-b628-4e02-afb9-9beeaee55808", Name: "Topics", Grouping: true, Description: "Indented by hand."},
		{ID: "d7aa29da-519b-4946-9b90-253b6db8fd0a", Name: "Economy", ParentID: "5215cc69-b628-4e02-afb9-9beeaee55808", Colour: "#ffff00"},
	}
	if cb.Name != "hand made" || !reflect.DeepEqual(cb.Codes, want) {
		t.Errorf("got %q %+v", cb.Name, cb.Codes)
	}
}

// roundTripBook has every field qcode keeps, with text that tests the
// escaping of XML and of the [qcode] block.
func roundTripBook() *Codebook {
	return &Codebook{Name: "rt", Codes: []Code{
		{ID: "a0000000-0000-4000-8000-000000000001", Name: "Benefits & NAV <rules>", Grouping: true, Colour: "#1b9e77",
			Description: "Theme heading.\n\nSecond paragraph with \"quotes\" and 'apostrophes'."},
		{ID: "a0000000-0000-4000-8000-000000000002", ParentID: "a0000000-0000-4000-8000-000000000001", Name: "Fear of losing benefits",
			Description: "Worry that earnings will cut benefits.", Polarity: PolarityBarrier, Links: []string{"ips25:12", "cfir2:II.F"},
			Inclusion: "Any mention of benefit loss.", Exclusion: " starts with a space", Example: `"I'd lose my flat," she said.`,
			Colour: "#d95f02", Hotkey: "b", Memo: "Line one.\nLine two\twith a tab.\n"},
		{ID: "a0000000-0000-4000-8000-000000000003", ParentID: "a0000000-0000-4000-8000-000000000002", Name: "Tromsø – deep",
			Polarity: PolarityMixed, Colour: "teal", Description: "Mentions a line\n[qcode]\nin its own text."},
		{ID: "a0000000-0000-4000-8000-000000000004", ParentID: "a0000000-0000-4000-8000-000000000001", Name: "Work incentives",
			Polarity: PolarityFacilitator, Example: "=SUM(A1) is not a formula here", Memo: "carriage\r\nreturn"},
		{ID: "a0000000-0000-4000-8000-000000000005", Name: "Plain"},
		{ID: "a0000000-0000-4000-8000-000000000006", Name: "Only extras", Links: []string{"ips25:1"}, Inclusion: "bell\a and\u00a0no-break space"},
	}}
}

func TestQDCRoundTrip(t *testing.T) {
	cb := roundTripBook()
	var out bytes.Buffer
	if err := WriteQDC(&out, cb); err != nil {
		t.Fatal(err)
	}
	checkQDCStructure(t, out.Bytes())
	validateWithXmllint(t, out.Bytes())
	back, err := ReadQDC("rt.qdc", bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if back.Name != "rt" {
		t.Errorf("name %q", back.Name)
	}
	if !reflect.DeepEqual(back.Codes, cb.Codes) {
		for i := range cb.Codes {
			if i < len(back.Codes) && !reflect.DeepEqual(back.Codes[i], cb.Codes[i]) {
				t.Errorf("code %d\n got %#v\nwant %#v", i, back.Codes[i], cb.Codes[i])
			}
		}
		t.Fatalf("round trip changed the codes\n%s", out.String())
	}
	var again bytes.Buffer
	if err := WriteQDC(&again, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), again.Bytes()) {
		t.Errorf("second write differs:\n%s\n---\n%s", out.String(), again.String())
	}
}

func TestWriteQDCShape(t *testing.T) {
	cb := roundTripBook()
	var out bytes.Buffer
	if err := WriteQDC(&out, cb); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"",
		"\n    <Code guid=\"A0000000-0000-4000-8000-000000000001\" name=\"Benefits &amp; NAV &lt;rules&gt;\" isCodable=\"false\" color=\"#1B9E77\">\n" +
			"      <Description>Theme heading.\n\nSecond paragraph with \"quotes\" and 'apostrophes'.</Description>\n" +
			"      <Code guid=\"A0000000-0000-4000-8000-000000000002\"",
		"<Description>Worry that earnings will cut benefits.\n\n[qcode]\npolarity: barrier\nlinks: ips25:12 cfir2:II.F\n" +
			"inclusion: Any mention of benefit loss.\nexclusion: \" starts with a space\"\nexample: \"\\\"I'd lose my flat,\\\" she said.\"\n" +
			"hotkey: b\nmemo: \"Line one.\\nLine two\\twith a tab.\\n\"</Description>",
		"<Description>[qcode]\nlinks: ips25:1\ninclusion: \"bell\\a and\\u00a0no-break space\"</Description>",
		"<Code guid=\"A0000000-0000-4000-8000-000000000005\" name=\"Plain\" isCodable=\"true\"/>\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestQDCExamplesCodebookValidates(t *testing.T) {
	f, err := os.Open("../examples/codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cb, err := ReadYAML("codebook.yaml", f)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteQDC(&out, cb); err != nil {
		t.Fatal(err)
	}
	checkQDCStructure(t, out.Bytes())
	validateWithXmllint(t, out.Bytes())
	back, err := ReadQDC("codebook.qdc", &out)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cb.Codes {
		cb.Codes[i].ID = strings.ToLower(cb.Codes[i].ID)
		cb.Codes[i].ParentID = strings.ToLower(cb.Codes[i].ParentID)
		cb.Codes[i].Colour = strings.ToLower(cb.Codes[i].Colour)
		cb.Codes[i].Description = strings.TrimSpace(cb.Codes[i].Description)
	}
	if !reflect.DeepEqual(back.Codes, cb.Codes) {
		t.Errorf("the example codebook does not survive qcode -> qdc -> qcode")
	}
}

func TestQDCDescriptionBlockAsOtherToolsLeaveIt(t *testing.T) {
	for _, tc := range []struct {
		in, desc string
		ext      map[string]string
	}{
		{"Text.", "Text.", nil},
		{"  Text.\n\n[qcode]\npolarity: barrier  \n\n  links:  ips25:1 ips25:2\n", "Text.", map[string]string{"polarity": "barrier", "links": "ips25:1 ips25:2"}},
		{"Text.\r\n\r\n  [qcode]  \r\nmemo: \"a\\nb\"\r\nfuture: kept out\r\n", "Text.", map[string]string{"memo": "a\nb", "future": "kept out"}},
		{"[qcode]", "", map[string]string{}},
		{"Text.\n\n[qcode]\nThis is prose, not a block.", "Text.\n\n[qcode]\nThis is prose, not a block.", nil},
		{"Text.\n\n[qcode]\nmemo: \"unterminated", "Text.\n\n[qcode]\nmemo: \"unterminated", nil},
		{"Mid-line [qcode]\npolarity: barrier", "Mid-line [qcode]\npolarity: barrier", nil},
	} {
		desc, ext := splitQDCDescription(tc.in)
		if desc != tc.desc || !reflect.DeepEqual(ext, tc.ext) {
			t.Errorf("split(%q) = %q, %v; want %q, %v", tc.in, desc, ext, tc.desc, tc.ext)
		}
	}
}

func TestReadQDCErrors(t *testing.T) {
	const head = `<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<CodeBook xmlns="urn:QDA-XML:codebook:1.0">` + "\n<Codes>\n"
	const tail = "</Codes>\n</CodeBook>\n"
	const g1, g2 = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
	var deep strings.Builder
	deep.WriteString(head)
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&deep, `<Code guid="11111111-1111-4111-8111-%012d" name="x" isCodable="true">`, i)
	}
	deep.WriteString(strings.Repeat("</Code>", 300) + tail)
	for _, tc := range []struct{ what, in, want string }{
		{"not XML", "name,path\nA,A\n", "f.qdc: no XML element in the file; not a REFI-QDA codebook (.qdc)"},
		{"empty", "", "f.qdc: no XML element"},
		{"JSON", `{"name": "x"}`, "f.qdc: no XML element"},
		{"unclosed", head + `<Code guid="` + g1 + `" name="a" isCodable="true">` + "\n" + tail, "f.qdc:5: not well-formed XML: element <Code> closed by </Codes>"},
		{"bad UTF-8", head + "<Code guid=\"" + g1 + "\" name=\"\xff\" isCodable=\"true\"/>" + tail, "f.qdc:4: not well-formed XML: invalid UTF-8"},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><CodeBook/>`, `encoding "ISO-8859-1" is not supported`},
		{"UTF-16", "\xff\xfe<\x00", "f.qdc: is UTF-16"},
		{"wrong root", "<?xml version=\"1.0\"?>\n<Codebook/>", "f.qdc:2: root element is <Codebook>, want <CodeBook>"},
		{"project", `<Project xmlns="urn:QDA-XML:project:1.0"/>`, "f.qdc:1: root element is <Project>: a REFI-QDA project (.qde), not a codebook"},
		{"wrong namespace", `<CodeBook xmlns="urn:example"/>`, `f.qdc:1: root element <CodeBook> is in namespace "urn:example"`},
		{"duplicate guid", head + `<Code guid="` + g1 + `" name="a" isCodable="true"/>` + "\n" + `<Code guid="{` + strings.ToUpper(g1) + `}" name="b" isCodable="true"/>` + "\n" + tail,
			`f.qdc:5: code "b": guid {11111111-1111-4111-8111-111111111111} is used twice (first on line 4)`},
		{"missing name", head + `<Code guid="` + g1 + `" isCodable="true"/>` + tail, "f.qdc:4: code with guid " + g1 + " has no name"},
		{"blank name", head + `<Code guid="` + g1 + `" name="  " isCodable="true"/>` + tail, "f.qdc:4: code with guid " + g1 + " has no name"},
		{"missing guid", head + `<Code name="a" isCodable="true"/>` + tail, `f.qdc:4: code "a" has no guid`},
		{"bad guid", head + `<Code guid="1234" name="a" isCodable="true"/>` + tail, `f.qdc:4: code "a": guid "1234" is not a GUID`},
		{"bad isCodable", head + `<Code guid="` + g1 + `" name="a" isCodable="yes"/>` + tail, `f.qdc:4: code "a": isCodable="yes" is not true or false`},
		{"bad colour", head + `<Code guid="` + g1 + `" name="a" isCodable="true" color="red"/>` + tail, `f.qdc:4: code "a": color "red" is not #RRGGBB`},
		{"same name twice", head + `<Code guid="` + g1 + `" name="a" isCodable="true"/>` + "\n" + `<Code guid="` + g2 + `" name="A" isCodable="true"/>` + tail,
			`f.qdc:5: code "A" appears twice under the same parent (first on line 4)`},
		{"bad polarity in block", head + `<Code guid="` + g1 + `" name="a" isCodable="true">` + "\n<Description>[qcode]\npolarity: sideways</Description></Code>" + tail,
			`f.qdc:4: code "a": polarity "sideways" is not one of`},
		{"bad link in block", head + `<Code guid="` + g1 + `" name="a" isCodable="true"><Description>[qcode]` + "\nlinks: ips25</Description></Code>" + tail,
			`f.qdc:4: code "a": framework link "ips25" is not of the form`},
		{"too deep", deep.String(), "f.qdc:4: elements nested more than 256 deep"},
		{"entity declaration", `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE CodeBook [<!ENTITY lol "lol">]>` + "\n<CodeBook/>", "f.qdc:2: DOCTYPE with entity declarations is not allowed"},
		{"external entity", `<!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file:///etc/passwd">]><CodeBook>&x;</CodeBook>`, "f.qdc:1: DOCTYPE with entity declarations is not allowed"},
		{"undefined entity", head + `<Code guid="` + g1 + `" name="&x;" isCodable="true"/>` + tail, "f.qdc:4: not well-formed XML: invalid character entity &x;"},
	} {
		t.Run(tc.what, func(t *testing.T) {
			_, err := ReadQDC("f.qdc", strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

func TestReadQDCTooLarge(t *testing.T) {
	big := io.MultiReader(strings.NewReader(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><!--`),
		io.LimitReader(repeatReader('x'), qdcMaxBytes+10))
	_, err := ReadQDC("big.qdc", big)
	if err == nil || !strings.Contains(err.Error(), "big.qdc: larger than 32 MB") {
		t.Fatalf("err = %v", err)
	}
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestWriteQDCErrors(t *testing.T) {
	ok := Code{ID: "a0000000-0000-4000-8000-000000000001", Name: "A"}
	for _, tc := range []struct {
		what  string
		codes []Code
		want  string
	}{
		{"no codes", nil, "the codebook has no codes"},
		{"not a GUID", []Code{{ID: "x1", Name: "A"}}, `code "A": id "x1" is not a GUID`},
		{"missing parent", []Code{ok, {ID: "a0000000-0000-4000-8000-000000000002", Name: "B", ParentID: "nope"}}, `code "B" has parent id nope, which is not in the codebook`},
		{"cycle", []Code{{ID: "a0000000-0000-4000-8000-000000000001", Name: "A", ParentID: "a0000000-0000-4000-8000-000000000002"},
			{ID: "a0000000-0000-4000-8000-000000000002", Name: "B", ParentID: "a0000000-0000-4000-8000-000000000001"}}, "is its own ancestor"},
		{"duplicate id", []Code{ok, ok}, "code id a0000000-0000-4000-8000-000000000001 is used twice"},
		{"control character", []Code{{ID: ok.ID, Name: "A\x01"}}, `the name contains U+0001, which XML cannot carry`},
	} {
		t.Run(tc.what, func(t *testing.T) {
			var out bytes.Buffer
			err := WriteQDC(&out, &Codebook{Codes: tc.codes})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

func TestWriteQDCDeepestReadable(t *testing.T) {
	var codes []Code
	parent := ""
	for i := 0; i < 254; i++ {
		id := fmt.Sprintf("a0000000-0000-4000-8000-%012d", i)
		codes = append(codes, Code{ID: id, ParentID: parent, Name: "c", Description: "d"})
		parent = id
	}
	var out bytes.Buffer
	if err := WriteQDC(&out, &Codebook{Codes: codes}); err == nil || !strings.Contains(err.Error(), "nested more than 253 levels") {
		t.Fatalf("254 levels: err = %v", err)
	}
	out.Reset()
	if err := WriteQDC(&out, &Codebook{Codes: codes[:253]}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadQDC("deep.qdc", &out); err != nil {
		t.Fatalf("what WriteQDC writes, ReadQDC must read: %v", err)
	}
}

// validateWithXmllint checks doc against the official Codebook.xsd.
func validateWithXmllint(t *testing.T, doc []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Log("xmllint is not on PATH (Debian: libxml2-utils); schema validation skipped, the structural check covers the same rules")
		return
	}
	xsd := filepath.Join(refiDir, "Codebook.xsd")
	if _, err := os.Stat(xsd); err != nil {
		t.Logf("%s not available; schema validation skipped", xsd)
		return
	}
	file := filepath.Join(t.TempDir(), "out.qdc")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(xmllint, "--noout", "--schema", xsd, file).CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s", err, out)
	}
}

// TestQDCSchemaValidation is the xmllint check on its own, so that a
// missing xmllint shows up as a skip.
func TestQDCSchemaValidation(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint is not on PATH (Debian: apt-get install libxml2-utils); TestQDCRoundTrip's structural check still runs")
	}
	refiFile(t, "Codebook.xsd")
	var out bytes.Buffer
	if err := WriteQDC(&out, roundTripBook()); err != nil {
		t.Fatal(err)
	}
	validateWithXmllint(t, out.Bytes())
}

func TestQDCStructureCheckAcceptsSamples(t *testing.T) {
	for _, s := range []string{"samples/minimal_codebook.qdc", "samples/atlasti23_codebook.qdc"} {
		data, err := os.ReadFile(refiFile(t, s))
		if err != nil {
			t.Fatal(err)
		}
		checkQDCStructure(t, data)
	}
}

var (
	guidPattern = regexp.MustCompile(`^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$`)
	rgbPattern  = regexp.MustCompile(`^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$`)
)

type xmlNode struct {
	name  xml.Name
	attrs []xml.Attr
	text  strings.Builder
	kids  []*xmlNode
}

func (n *xmlNode) attr(local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// checkQDCStructure checks the rules of Codebook.xsd in Go, so that the
// ground xmllint covers is covered where xmllint is missing: root and
// namespace, element order, required attributes and their formats.
func checkQDCStructure(t *testing.T, doc []byte) {
	t.Helper()
	if !bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="`)) {
		t.Errorf("no XML declaration")
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var root *xmlNode
	var stack []*xmlNode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{name: tk.Name, attrs: tk.Attr}
			if len(stack) == 0 {
				if root != nil {
					t.Fatalf("two root elements")
				}
				root = n
			} else {
				stack[len(stack)-1].kids = append(stack[len(stack)-1].kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(tk)
			}
		}
	}
	if root == nil || root.name != (xml.Name{Space: QDCNamespace, Local: "CodeBook"}) {
		t.Fatalf("root is not {%s}CodeBook", QDCNamespace)
	}
	for _, a := range root.attrs {
		if a.Name.Space == "" && a.Name.Local != "origin" && a.Name.Local != "xmlns" {
			t.Errorf("CodeBook has attribute %s, which the schema does not allow", a.Name.Local)
		}
	}
	kids := root.kids
	if len(kids) == 0 || kids[0].name.Local != "Codes" {
		t.Fatalf("CodeBook's first child is not Codes")
	}
	if len(kids) > 2 || len(kids) == 2 && kids[1].name.Local != "Sets" {
		t.Errorf("CodeBook has children other than Codes, Sets")
	}
	if len(kids[0].kids) == 0 {
		t.Errorf("Codes is empty; the schema needs at least one Code")
	}
	guids := map[string]bool{}
	var checkCode func(n *xmlNode)
	checkCode = func(n *xmlNode) {
		if n.name != (xml.Name{Space: QDCNamespace, Local: "Code"}) {
			t.Errorf("<%s> where a Code belongs", n.name.Local)
			return
		}
		g, ok := n.attr("guid")
		if !ok || !guidPattern.MatchString(g) {
			t.Errorf("Code guid %q missing or not a GUID", g)
		}
		if guids[strings.ToLower(strings.Trim(g, "{}"))] {
			t.Errorf("guid %s twice", g)
		}
		guids[strings.ToLower(strings.Trim(g, "{}"))] = true
		if name, ok := n.attr("name"); !ok || strings.TrimSpace(name) == "" {
			t.Errorf("Code %s has no name", g)
		}
		if c, ok := n.attr("isCodable"); !ok || (c != "true" && c != "false" && c != "1" && c != "0") {
			t.Errorf("Code %s: isCodable %q", g, c)
		}
		if c, ok := n.attr("color"); ok && !rgbPattern.MatchString(c) {
			t.Errorf("Code %s: color %q", g, c)
		}
		for _, a := range n.attrs {
			if a.Name.Space == "" && !strings.Contains(" guid name isCodable color ", " "+a.Name.Local+" ") {
				t.Errorf("Code %s has attribute %s, which the schema does not allow", g, a.Name.Local)
			}
		}
		for i, k := range n.kids {
			if k.name.Local == "Description" {
				if i != 0 || k.name.Space != QDCNamespace || len(k.kids) > 0 {
					t.Errorf("Code %s: Description must come first, once, and hold only text", g)
				}
				continue
			}
			checkCode(k)
		}
	}
	for _, c := range kids[0].kids {
		checkCode(c)
	}
}

func FuzzReadQDC(f *testing.F) {
	var out bytes.Buffer
	if err := WriteQDC(&out, roundTripBook()); err != nil {
		f.Fatal(err)
	}
	f.Add(out.Bytes())
	if data, err := os.ReadFile("testdata/qdc_atlasti_0_4.qdc"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`<CodeBook><Codes><Code guid="11111111-1111-4111-8111-111111111111" name="a" isCodable="true"><Description>[qcode]` + "\nmemo: x</Description></Code></Codes></CodeBook>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := ReadQDC("fuzz.qdc", bytes.NewReader(data))
		if err != nil || len(cb.Codes) == 0 {
			return
		}
		var w1 bytes.Buffer
		if err := WriteQDC(&w1, cb); err != nil {
			t.Fatalf("read but cannot write: %v", err)
		}
		back, err := ReadQDC("fuzz.qdc", bytes.NewReader(w1.Bytes()))
		if err != nil {
			t.Fatalf("cannot read what was written: %v\n%s", err, w1.String())
		}
		if !reflect.DeepEqual(back.Codes, cb.Codes) {
			t.Fatalf("round trip changed codes\n got %#v\nwant %#v", back.Codes, cb.Codes)
		}
	})
}

// A project file (.qde) carries its codebook as a .qdc does: the codes of
// a <CodeBook> inside a larger document are read with the same rules, its
// NoteRefs handed to the caller, and reading stops at its end.
func TestReadQDCCodeBookInsideAProject(t *testing.T) {
	doc := `<Project xmlns="urn:QDA-XML:project:1.0">
  <CodeBook><Codes>
    <Code guid="6F9619FF-8B86-D011-B42D-00C04FC964FF" name="Emotions" isCodable="false">
      <Description>Folder</Description>
      <NoteRef targetGUID="66666666-FFFF-4FFF-8FFF-000000000002"/>
      <Code guid="0B7B9C0E-2F5C-4A52-9D0B-6C1E5B3A1F01" name="Joy" isCodable="true" color="#FC0"/>
    </Code>
  </Codes></CodeBook>
  <Sources/>
</Project>`
	dec := xml.NewDecoder(strings.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "CodeBook" {
			break
		}
	}
	var refs []string
	cb, err := ReadQDCCodeBook(dec, "p.qde", 1, 256, func(codeID string, line int, el xml.StartElement) error {
		refs = append(refs, fmt.Sprintf("%s %d <%s>", codeID, line, el.Name.Local))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cb.Codes) != 2 || cb.Codes[1].ParentID != cb.Codes[0].ID || !cb.Codes[0].Grouping || cb.Codes[1].Colour != "#ffcc00" {
		t.Errorf("codes %+v", cb.Codes)
	}
	if want := []string{"6f9619ff-8b86-d011-b42d-00c04fc964ff 5 <NoteRef>"}; !reflect.DeepEqual(refs, want) {
		t.Errorf("NoteRefs %q, want %q", refs, want)
	}
	tok, err := dec.Token() // reading stopped after </CodeBook>
	for err == nil {
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "Sources" {
				t.Errorf("next element <%s>, want <Sources>", se.Name.Local)
			}
			break
		}
		tok, err = dec.Token()
	}

	// The same rules: a code with a guid used twice is an error naming the line.
	dup := strings.Replace(doc, "0B7B9C0E-2F5C-4A52-9D0B-6C1E5B3A1F01", "6F9619FF-8B86-D011-B42D-00C04FC964FF", 1)
	dec = xml.NewDecoder(strings.NewReader(dup))
	for tok, _ := dec.Token(); ; tok, _ = dec.Token() {
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "CodeBook" {
			break
		}
	}
	if _, err := ReadQDCCodeBook(dec, "p.qde", 1, 256, nil); err == nil || !strings.Contains(err.Error(), "p.qde:6: code \"Joy\": guid") {
		t.Errorf("duplicate guid: %v", err)
	}
}

// WriteQDCCodes writes a project's codes with their NoteRefs after the
// description, and QDCBlock and SplitQDCBlock carry fields through a
// description.
func TestWriteQDCCodesNoteRefsAndBlocks(t *testing.T) {
	cb := &Codebook{Codes: []Code{{ID: "6f9619ff-8b86-d011-b42d-00c04fc964ff", Name: "A & B", Description: "About <it>."}}}
	var b bytes.Buffer
	err := WriteQDCCodes(&b, cb, 2, func(id string) []string { return []string{"66666666-ffff-4fff-8fff-000000000002"} })
	if err != nil {
		t.Fatal(err)
	}
	want := `    <Codes>
      <Code guid="6F9619FF-8B86-D011-B42D-00C04FC964FF" name="A &amp; B" isCodable="true">
        <Description>About &lt;it&gt;.</Description>
        <NoteRef targetGUID="66666666-FFFF-4FFF-8FFF-000000000002"/>
      </Code>
    </Codes>
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	text := QDCBlock("Project memo.", [][2]string{{"codebook", "IPS"}, {"description", ""}, {"frameworks", "ips25 cfir2"}})
	if text != "Project memo.\n\n[qcode]\ncodebook: IPS\nframeworks: ips25 cfir2" {
		t.Errorf("block %q", text)
	}
	rest, fields, ok := SplitQDCBlock(text)
	if !ok || rest != "Project memo." || fields["codebook"] != "IPS" || fields["frameworks"] != "ips25 cfir2" || len(fields) != 2 {
		t.Errorf("split %q %v %v", rest, fields, ok)
	}
	if rest, _, ok := SplitQDCBlock("  no block  "); ok || rest != "  no block  " {
		t.Errorf("text without a block: %q %v", rest, ok)
	}
}
