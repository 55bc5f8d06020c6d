package refi

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qcode-qda/qcode/codebook"
)

// validate checks a project file against the official schema with xmllint
// (Debian libxml2-utils; CI installs it). Without xmllint or the schema it
// logs and returns, so that the rest of a test still runs;
// TestProjectSchemaValidation shows the missing tool as a skip.
func validate(t *testing.T, qde []byte) {
	t.Helper()
	xsd := filepath.Join(refiDir, "Project.xsd")
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Log("xmllint not installed (apt-get install libxml2-utils); schema validation skipped")
		return
	}
	if _, err := os.Stat(xsd); err != nil {
		t.Logf("%s not available; schema validation skipped", xsd)
		return
	}
	f := filepath.Join(t.TempDir(), "project.qde")
	if err := os.WriteFile(f, qde, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", xsd, f).CombinedOutput()
	if err != nil {
		t.Fatalf("project.qde does not validate against Project.xsd: %v\n%s", err, out)
	}
}

func writeZip(t *testing.T, p *Project, opt WriteOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, p, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var t0 = time.Date(2026, 3, 4, 10, 11, 12, 0, time.UTC)

// richProject uses every part of the model the writer writes.
func richProject() *Project {
	g := func(n int) string { return "00000000-0000-4000-8000-" + strconv.Itoa(100000000000+n) }
	cb := &codebook.Codebook{Name: "Study", Codes: []codebook.Code{
		{ID: g(1), Name: "Barriers", Grouping: true, Colour: "#aa0000", Description: "Things in the way."},
		{ID: g(2), ParentID: g(1), Name: "Benefit fear", Polarity: codebook.PolarityBarrier, Links: []string{"ips25:12"}, Memo: "Check & recode <soon>"},
		{ID: g(3), Name: "Joy 😀", Colour: "#00ff00"},
	}}
	text := "Interviewer: How was it? 😀\nP1: Good — \"really\" good & <fun>.\n\nP1: Tromsø café 🎉🎉 done."
	r := []rune(text)
	at := func(s string) (int, int) {
		i := strings.Index(text, s)
		start := len([]rune(text[:i]))
		return start, start + len([]rune(s))
	}
	s1, e1 := at("Good — \"really\" good & <fun>.\n\nP1: Tromsø")
	s2, e2 := at("🎉🎉")
	_ = r
	return &Project{
		Name: "Round trip", Origin: "qcode", Description: "Project memo\nwith two lines.", CreatingUser: g(10), Created: t0, Modified: t0.Add(time.Hour),
		Users:    []User{{GUID: g(10), Name: "amina"}, {GUID: g(11), Name: "jonas", ID: "JS"}},
		Codebook: cb,
		Variables: []Variable{
			{GUID: g(20), Name: "role", Type: Text},
			{GUID: g(21), Name: "site", Type: Text, Description: "Where"},
			{GUID: g(22), Name: "age", Type: Integer},
		},
		Cases: []Case{
			{GUID: g(30), Name: "P1", Description: "Quiet.", Values: []Value{{g(20), "patient"}, {g(21), "Tromsø"}, {g(22), "34"}}, Sources: []string{g(40)}},
			{GUID: g(31), Name: "Interviewer"},
		},
		Sources: []TextSource{
			{GUID: g(40), Name: "Interview 1", Text: text, CreatingUser: g(10), Created: t0, Modified: t0.Add(time.Hour),
				Selections: []Selection{
					{GUID: g(50), Start: s1, End: e1, CreatingUser: g(10), Created: t0, Modified: t0.Add(time.Minute), Description: "Selection memo",
						Codings: []Coding{{GUID: g(60), Code: g(2), CreatingUser: g(10), Created: t0, NoteRefs: []string{g(70)}}, {GUID: g(61), Code: g(3), CreatingUser: g(11), Created: t0}}},
					{GUID: g(51), Start: s2, End: e2, CreatingUser: g(11), Created: t0,
						Codings: []Coding{{GUID: g(62), Code: g(3), CreatingUser: g(11), Created: t0}}},
				},
				Codings:  []Coding{{GUID: g(63), Code: g(3), CreatingUser: g(10), Created: t0}},
				NoteRefs: []string{g(71)},
				Values:   []Value{{g(21), "Bodø"}}},
			{GUID: g(41), Name: "Field notes", Text: "Short."},
		},
		Notes: []Note{
			{GUID: g(70), Name: "Coding memo", Text: "Why: \"benefits\".", CreatingUser: g(10), Created: t0},
			{GUID: g(71), Name: "Document memo", Text: "Line one\nline two"},
			{GUID: g(72), Text: "Loose note"},
		},
		NoteRefs: []string{g(72)},
		Sets:     []Set{{GUID: g(80), Name: "Wave 1", Sources: []string{g(40), g(41)}}, {GUID: g(81), Name: "Empty set"}},
	}
}

// comparable strips what reading adds, so that a written and re-read
// project can be compared with the original.
func comparable(p *Project) *Project {
	c := *p
	c.Skipped, c.Problems, c.Notices, c.Links, c.Graphs, c.CaseRefs = nil, nil, nil, 0, 0, 0
	if len(c.CodeNotes) == 0 {
		c.CodeNotes = nil
	}
	c.Sources = append([]TextSource(nil), p.Sources...)
	for i := range c.Sources {
		s := &c.Sources[i]
		s.Raw, s.Encoding, s.Path, s.Convention, s.Offsets = nil, "", "", Convention{}, ""
		s.Selections = append([]Selection(nil), s.Selections...)
		for j := range s.Selections {
			sel := &s.Selections[j]
			sel.Name, sel.RawStart, sel.RawEnd, sel.Line = "", 0, 0, 0
			sel.Codings = stripLines(sel.Codings)
		}
		s.Codings = stripLines(s.Codings)
	}
	cb := *p.Codebook
	cb.Name = ""
	c.Codebook = &cb
	return &c
}

func stripLines(cs []Coding) []Coding {
	out := append([]Coding(nil), cs...)
	for i := range out {
		out[i].Line = 0
	}
	return out
}

func TestProjectSchemaValidation(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed (Debian: apt-get install libxml2-utils); the other write tests check element order, GUIDs and reading back")
	}
	refiFile(t, "Project.xsd")
	validate(t, mustUnzipQDE(t, writeZip(t, richProject(), WriteOptions{CRLF: true})))
}

// What qcode writes validates against Project.xsd, with LF and with CRLF,
// and reads back as the same project.
func TestWriteValidatesAndReadsBack(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		p := richProject()
		data := writeZip(t, p, WriteOptions{CRLF: crlf})
		validate(t, mustUnzipQDE(t, data))
		back := mustRead(t, data)
		if len(back.Problems) > 0 || len(back.Skipped) > 0 {
			t.Fatalf("problems %v skipped %v", back.Problems, back.Skipped)
		}
		if d := firstDiff(comparable(back), comparable(p)); d != "" {
			t.Errorf("CRLF %v: read back differs: %s", crlf, d)
		}
	}
}

// Sources are UTF-8 without a BOM; with CRLF, positions are code points
// over the text as written, and every name is the text it selects.
func TestWriteSourcesAndPositions(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		p := richProject()
		files := unzipAll(t, writeZip(t, p, WriteOptions{CRLF: crlf}))
		raw := string(files["sources/00000000-0000-4000-8000-100000000040.txt"])
		if strings.HasPrefix(raw, "\uFEFF") || strings.Contains(raw, "\r\n") != crlf || strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\r") {
			t.Errorf("CRLF %v: source text %q", crlf, raw)
		}
		qde := string(files["project.qde"])
		sels := regexp.MustCompile(`<PlainTextSelection guid="[^"]+" name="([^"]*)" startPosition="(\d+)" endPosition="(\d+)"`).FindAllStringSubmatch(qde, -1)
		if len(sels) != 2 {
			t.Fatalf("%d selections written", len(sels))
		}
		r := []rune(raw)
		for _, m := range sels {
			s, _ := strconv.Atoi(m[2])
			e, _ := strconv.Atoi(m[3])
			name := strings.NewReplacer("&#xD;", "\r", "&#xA;", "\n", "&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(m[1])
			if string(r[s:e]) != name {
				t.Errorf("CRLF %v: %d-%d selects %q in the written text, name says %q", crlf, s, e, string(r[s:e]), name)
			}
		}
		if crlf && !strings.Contains(sels[0][1], "&#xD;&#xA;&#xD;&#xA;P1: Tromsø") {
			t.Errorf("name %q does not carry the CRLF of the text as written", sels[0][1])
		}
	}
}

// The project file's shape: GUIDs upper case, schema order, no empty
// container, an empty project is just <Project>.
func TestWriteShape(t *testing.T) {
	qde := string(mustUnzipQDE(t, writeZip(t, richProject(), WriteOptions{})))
	if m := regexp.MustCompile(`(?i)(guid|targetGUID|creatingUser|creatingUserGUID)="([^"]*[a-f][^"]*)"`).FindString(qde); m != "" {
		t.Errorf("lower-case GUID written: %s", m)
	}
	order := []string{"<Users>", "<CodeBook>", "<Variables>", "<Cases>", "<Sources>", "<Notes>", "<Sets>", "\n  <Description>", "\n  <NoteRef"}
	last := -1
	for _, el := range order {
		i := strings.Index(qde, el)
		if i < last {
			t.Errorf("%s out of the schema's order", el)
		}
		last = i
	}
	if !strings.Contains(qde, `<Set guid="00000000-0000-4000-8000-100000000081" name="Empty set"/>`) {
		t.Errorf("empty set not written as an empty element")
	}

	empty := &Project{Name: "Nothing"}
	data := writeZip(t, empty, WriteOptions{})
	q := string(mustUnzipQDE(t, data))
	for _, el := range []string{"<Users", "<CodeBook", "<Variables", "<Cases", "<Sources", "<Notes", "<Sets", "<Description"} {
		if strings.Contains(q, el) {
			t.Errorf("empty project has %s", el)
		}
	}
	validate(t, []byte(q))
	if len(unzipAll(t, data)) != 1 {
		t.Errorf("empty project has source files")
	}
}

// Vendor samples read and written again validate and read back the same.
func TestWriteSamplesAgain(t *testing.T) {
	for _, name := range []string{"maxqda24_ten_sources.qdpx", "nvivo12win_97_selections.qdpx", "minimal_example.qdpx", "atlasti23_codebook_only.qdpx"} {
		p := mustRead(t, readSample(t, name))
		data := writeZip(t, p, WriteOptions{})
		validate(t, mustUnzipQDE(t, data))
		back := mustRead(t, data)
		if d := firstDiff(comparable(back), comparable(p)); d != "" {
			t.Errorf("%s: written and read back differs: %s", name, d)
		}
	}
}

func TestWriteRefusesWhatWouldBeWrong(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(p *Project)
		want   string
	}{
		{"selection beyond the text", func(p *Project) { p.Sources[1].Selections = []Selection{{GUID: p.Sources[0].GUID, Start: 2, End: 99}} },
			`<PlainTextSelection> 00000000-0000-4000-8000-100000000040: range 2-99 is not inside the 6 characters of "Field notes"`},
		{"empty selection", func(p *Project) { p.Sources[0].Selections[0].End = p.Sources[0].Selections[0].Start }, "is not inside"},
		{"not a GUID", func(p *Project) { p.Users[0].GUID = "amina" }, `<User> amina: "amina" is not a GUID`},
		{"control character in a memo", func(p *Project) { p.Notes[0].Text = "bell \a" }, "<Note> 00000000-0000-4000-8000-100000000070: the text contains U+0007, which XML cannot carry"},
		{"text not normalised", func(p *Project) { p.Sources[1].Text = "a\r\nb" }, `<TextSource> Field notes: the text is not normalised`},
		{"unknown variable type", func(p *Project) { p.Variables[0].Type = "Colour" }, `<Variable> role: type "Colour" is not a REFI-QDA variable type`},
	} {
		p := richProject()
		tc.break_(p)
		var b bytes.Buffer
		err := Write(&b, p, WriteOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: %d bytes written before the error", tc.name, b.Len())
		}
	}
}
