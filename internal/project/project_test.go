package project

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/codebook"
)

const staffInterview = `Staff interview, Tromsø, 3 March 2026
Consent recorded.

Interviewer: How do referrals reach you?
Kari: Mostly from the care coordinators. Some of them still wait until
someone is "ready", which is not how IPS is meant to work.
Interviewer: What worries people most?
Kari: Losing their NAV money. The fear of losing benefits comes up in every first meeting.
Interviewer: And disclosure?
Kari: We talk it through. Some people want us to tell the employer, some don't.
`

const patientInterview = `**Interviewer:** Tell me about your job search.
**P1:** My specialist, Kari, came with me to the café on the first day.
**Interviewer:** Did you worry about benefits?
**P1:** Yes. I was scared of losing NAV money.
`

func writeFiles(t *testing.T, files map[string]string) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return dir, paths
}

func newProject(t *testing.T) (*Project, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "study.qcode")
	p, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, path
}

func mustImport(t *testing.T, p *Project, files map[string]string, opt ImportOptions) *ImportResult {
	t.Helper()
	_, paths := writeFiles(t, files)
	res, err := p.Import(paths, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportStoresTextTurnsAndParticipants(t *testing.T) {
	p, _ := newProject(t)
	mustImport(t, p, map[string]string{"staff-01.txt": staffInterview, "patient-01.md": patientInterview}, ImportOptions{Attributes: map[string]string{"site": "Tromsø"}})
	d, err := p.Document("staff-01")
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != staffInterview {
		t.Error("text of a clean UTF-8 file must be stored unchanged")
	}
	if d.TextSHA256 != sha256Hex([]byte(staffInterview)) {
		t.Error("text SHA-256 not stored")
	}
	if d.Kind != "interview" || d.Attributes["site"] != "Tromsø" {
		t.Errorf("kind %q attrs %v", d.Kind, d.Attributes)
	}
	var speakers []string
	for _, tv := range d.Turns {
		speakers = append(speakers, tv.Speaker)
	}
	if got := strings.Join(speakers, ","); got != "Interviewer,Kari,Interviewer,Kari,Interviewer,Kari" {
		t.Fatalf("speakers = %s", got)
	}
	if d.Turns[3].Text != "Losing their NAV money. The fear of losing benefits comes up in every first meeting." {
		t.Errorf("turn 4 = %q", d.Turns[3].Text)
	}
	ps, err := p.Participants()
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{}
	for _, pp := range ps {
		roles[pp.Label] = pp.Attributes["role"]
	}
	if len(ps) != 3 || roles["Interviewer"] != "interviewer" || roles["Kari"] != "" {
		t.Errorf("participants: one Interviewer shared by both documents, Kari and P1; got %v", roles)
	}
}

func TestImportIsAtomicAndNamesTheBadFile(t *testing.T) {
	p, _ := newProject(t)
	_, paths := writeFiles(t, map[string]string{"good.txt": staffInterview, "empty.txt": ""})
	_, err := p.Import(paths, ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "empty.txt") {
		t.Fatalf("err = %v, want one naming empty.txt", err)
	}
	docs, _ := p.Documents()
	ps, _ := p.Participants()
	if len(docs) != 0 || len(ps) != 0 {
		t.Errorf("a failed import stored %d documents and %d participants", len(docs), len(ps))
	}
}

func TestReimportingSameTextIsSkipped(t *testing.T) {
	p, _ := newProject(t)
	mustImport(t, p, map[string]string{"staff-01.txt": staffInterview}, ImportOptions{})
	// Same text, other name and line endings: still the same document.
	res := mustImport(t, p, map[string]string{"copy.txt": strings.ReplaceAll(staffInterview, "\n", "\r\n")}, ImportOptions{})
	if len(res.Imported) != 0 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "staff-01") {
		t.Errorf("result = %+v", res)
	}
	// Another file with the same name but other text gets a new name.
	res = mustImport(t, p, map[string]string{"staff-01.txt": patientInterview}, ImportOptions{})
	if len(res.Imported) != 1 || res.Imported[0].Name != "staff-01 (2)" || !res.Imported[0].Renamed {
		t.Errorf("renamed import = %+v", res.Imported)
	}
}

func TestParticipantsCSVAppliesAttributes(t *testing.T) {
	p, _ := newProject(t)
	dir, _ := writeFiles(t, map[string]string{})
	csvPath := filepath.Join(dir, "participants.csv")
	// Excel on a Norwegian machine: BOM, semicolons.
	os.WriteFile(csvPath, []byte("\ufefflabel;role;site\nKari;employment-specialist;Tromsø\nP1;patient;Tromsø\n"), 0o600)
	rows, err := ReadParticipantsCSV(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, p, map[string]string{"staff-01.txt": staffInterview}, ImportOptions{Participants: rows})
	ps, _ := p.Participants()
	got := map[string]map[string]string{}
	for _, pp := range ps {
		got[pp.Label] = pp.Attributes
	}
	if got["Kari"]["role"] != "employment-specialist" || got["Kari"]["site"] != "Tromsø" || got["P1"]["role"] != "patient" {
		t.Errorf("attributes = %v", got)
	}
	if _, _, err := p.SetParticipant("kari", map[string]string{"site": "Nord-Troms", "role": ""}); err != nil {
		t.Fatal(err)
	}
	ps, _ = p.Participants()
	for _, pp := range ps {
		if pp.Label == "Kari" && (pp.Attributes["site"] != "Nord-Troms" || pp.Attributes["role"] != "") {
			t.Errorf("set by label ignoring case: %v", pp.Attributes)
		}
	}
}

func TestParticipantsCSVErrorsNameFileAndLine(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		`:1: no "label" column`:              "name,role\nKari,staff\n",
		":3: 3 fields":                       "label,role\nKari,staff\nP1,patient,extra\n",
		":3: label \"kari\" already appears": "label,role\nKari,staff\nkari,patient\n",
	}
	for want, body := range cases {
		path := filepath.Join(dir, "p.csv")
		os.WriteFile(path, []byte(body), 0o600)
		_, err := ReadParticipantsCSV(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v", body, err)
		}
	}
}

func setupCoded(t *testing.T) *Project {
	t.Helper()
	p, _ := newProject(t)
	mustImport(t, p, map[string]string{"staff-01.txt": staffInterview, "patient-01.md": patientInterview}, ImportOptions{})
	cb, err := codebook.ReadYAML("cb.yaml", strings.NewReader(`
name: test
codes:
  - name: Work incentives
    codes:
      - name: Fear of losing benefits
        polarity: barrier
        links: [ips25:12]
  - name: Disclosure
    polarity: mixed
    links: [ips25:13]
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AddCodebook(cb); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCodeByTurnRangeAndMatch(t *testing.T) {
	p := setupCoded(t)
	if _, err := p.Code(CodeRequest{Doc: "staff-01", Code: "Fear of losing benefits", Coder: "amina", Target: Target{Turn: 4}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Code(CodeRequest{Doc: "patient-01.md", Code: "work incentives/fear of losing benefits", Coder: "jonas", Memo: "NAV", Target: Target{Match: "scared of losing NAV money"}}); err != nil {
		t.Fatal(err)
	}
	d, _ := p.Document("patient-01")
	start := strings.Index(d.Text, "My specialist") // ASCII before it, so bytes = runes
	if _, err := p.Code(CodeRequest{Doc: d.ID[:8], Code: "Disclosure", Coder: "amina", Target: Target{Range: &[2]int{start, start + 13}}}); err != nil {
		t.Fatal(err)
	}
	cs, err := p.Codings(CodingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 {
		t.Fatalf("%d codings", len(cs))
	}
	// Ordered by document (patient before staff), then position.
	if cs[0].Text != "My specialist" || cs[0].Speaker != "P1" || cs[0].CodePath != "Disclosure" {
		t.Errorf("first: %+v", cs[0])
	}
	if cs[1].Text != "scared of losing NAV money" || cs[1].Coder != "jonas" || cs[1].Memo != "NAV" || cs[1].Turn != 4 {
		t.Errorf("second: %+v", cs[1])
	}
	if cs[2].CodePath != "Work incentives/Fear of losing benefits" || cs[2].Speaker != "Kari" || !strings.HasPrefix(cs[2].Text, "Losing their NAV money") {
		t.Errorf("third: %+v", cs[2])
	}
	// Filters: a parent code includes its sub-codes; coder filter.
	if got, _ := p.Codings(CodingFilter{Code: "Work incentives"}); len(got) != 2 {
		t.Errorf("--code parent: %d codings, want 2", len(got))
	}
	if got, _ := p.Codings(CodingFilter{Coder: "jonas"}); len(got) != 1 {
		t.Errorf("--coder jonas: %d", len(got))
	}
	// Uncode by prefix.
	if _, err := p.Uncode(cs[0].ID[:8]); err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Codings(CodingFilter{}); len(got) != 2 {
		t.Errorf("after uncode: %d", len(got))
	}
}

func TestCodeRefusals(t *testing.T) {
	p := setupCoded(t)
	req := func(target Target) CodeRequest {
		return CodeRequest{Doc: "staff-01", Code: "Disclosure", Coder: "amina", Target: target}
	}
	cases := []struct {
		req  CodeRequest
		want string
	}{
		{req(Target{Turn: 99}), "no turn 99"},
		{req(Target{Range: &[2]int{10, 5}}), "not within"},
		{req(Target{Range: &[2]int{0, 100000}}), "not within"},
		{req(Target{Match: "not in the text at all"}), "does not occur"},
		{req(Target{Match: "Interviewer"}), "occurs 3 times"},
		{req(Target{}), "exactly one of"},
		{req(Target{Turn: 1, Match: "x"}), "exactly one of"},
		{CodeRequest{Doc: "nope", Code: "Disclosure", Coder: "a", Target: Target{Turn: 1}}, `no document "nope"`},
		{CodeRequest{Doc: "staff-01", Code: "Nope", Coder: "a", Target: Target{Turn: 1}}, `no code "Nope"`},
		{CodeRequest{Doc: "staff-01", Code: "Disclosure", Target: Target{Turn: 1}}, "no coder"},
	}
	for _, c := range cases {
		_, err := p.Code(c.req)
		if err == nil || !strings.Contains(err.Error(), c.want) || !IsUserError(err) {
			t.Errorf("%+v: err = %v, want %q", c.req.Target, err, c.want)
		}
	}
	if _, err := p.Code(req(Target{Match: "Interviewer", Nth: 2})); err != nil {
		t.Errorf("--nth 2: %v", err)
	}
	if _, err := p.Code(req(Target{Turn: 2})); err != nil {
		t.Fatal(err)
	}
	_, err := p.Code(req(Target{Turn: 2}))
	if err == nil || !strings.Contains(err.Error(), "already applied") {
		t.Errorf("same coder, code and span twice: %v", err)
	}
	cs, _ := p.Codings(CodingFilter{})
	if len(cs) != 2 {
		t.Errorf("refused requests must store nothing; have %d codings", len(cs))
	}
}

func TestDocumentReferences(t *testing.T) {
	p, _ := newProject(t)
	mustImport(t, p, map[string]string{"staff-01.txt": staffInterview}, ImportOptions{})
	d, err := p.Document("staff-01")
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{d.ID, d.ID[:6], "STAFF-01", "staff-01.txt"} {
		if got, err := p.Document(ref); err != nil || got.ID != d.ID {
			t.Errorf("ref %q: %v", ref, err)
		}
	}
	if _, err := p.Document("sta"); err == nil {
		t.Error("a 3-character prefix must not match")
	}
}

func TestReadOnlyOpenAndLock(t *testing.T) {
	p, path := newProject(t)
	p.Close()
	r1, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrInUse) {
		t.Errorf("writer while a reader holds the file: %v", err)
	}
}

func TestNaturalOrder(t *testing.T) {
	if !naturalLess("P2", "P10") || naturalLess("P10", "P2") || !naturalLess("fg-1", "fg-2") {
		t.Error("natural order")
	}
}

func TestCountWords(t *testing.T) {
	if n := countWords("Don't stop — follow-along support, 10:30 [inaudible]."); n != 7 {
		t.Errorf("countWords = %d, want 7", n)
	}
}
