package project

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/internal/agreement"
)

// setupAgree codes the two interviews of setupCoded by two coders:
//
//	staff-01 (6 turns)  Fear: amina 2, 4; jonas 4.   Disclosure: amina 6; jonas 5
//	patient-01 (4)      Fear: amina 4.               Disclosure: jonas 2
//
// Both coded both documents, so 10 turns per code are compared.
func setupAgree(t *testing.T) *Project {
	t.Helper()
	p := setupCoded(t)
	code := func(doc, code, coder string, turn int) {
		t.Helper()
		if _, err := p.Code(CodeRequest{Doc: doc, Code: code, Coder: coder, Target: Target{Turn: turn}}); err != nil {
			t.Fatal(err)
		}
	}
	code("staff-01", "Fear of losing benefits", "amina", 2)
	code("staff-01", "Fear of losing benefits", "amina", 4)
	code("staff-01", "Fear of losing benefits", "jonas", 4)
	code("staff-01", "Disclosure", "amina", 6)
	code("staff-01", "Disclosure", "jonas", 5)
	code("patient-01", "Fear of losing benefits", "amina", 4)
	code("patient-01", "Disclosure", "jonas", 2)
	return p
}

func near(t *testing.T, what string, s agreement.Stat, want float64) {
	t.Helper()
	if !s.Defined || math.Abs(s.Value-want) > 1e-12 {
		t.Errorf("%s = %+v, want %.10f", what, s, want)
	}
}

// Worked by hand. Fear over 10 turns: both 1, amina only 2, neither 7:
// p_o 8/10, p_e 3/10·1/10 + 7/10·9/10 = 66/100, kappa 14/34 = 7/17;
// alpha 1 − (4/20)/((400 − 16² − 4²)/380) = 13/32. Disclosure: amina only
// 1, jonas only 2, neither 7: p_o 7/10, p_e 2/100 + 72/100, kappa −2/13.
// Pooled (20 units): both 1, amina only 3, jonas only 2, neither 14:
// p_o 3/4, p_e 12/400 + 272/400, kappa 16/116 = 4/29.
func TestAgreeTurns(t *testing.T) {
	p := setupAgree(t)
	a, err := p.Agree(AgreeOptions{Unit: agreement.UnitTurn})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Coders, []string{"amina", "jonas"}) || !slices.Equal(a.Compared, []string{"patient-01", "staff-01"}) || a.Selected != 2 {
		t.Fatalf("coders %v, compared %v of %d", a.Coders, a.Compared, a.Selected)
	}
	var paths []string
	for _, c := range a.Codes {
		paths = append(paths, c.Path)
	}
	if !slices.Equal(paths, []string{"Work incentives/Fear of losing benefits", "Disclosure"}) {
		t.Fatalf("codes %v, want the used codes in codebook order", paths)
	}
	fear, disc := a.Codes[0], a.Codes[1]
	near(t, "fear kappa", fear.Stats.CohenKappa.Stat, 7.0/17)
	near(t, "fear alpha", fear.Stats.Alpha[agreement.Nominal].Stat, 13.0/32)
	near(t, "fear percent", fear.Stats.PercentAgreement, 0.8)
	near(t, "disclosure kappa", disc.Stats.CohenKappa.Stat, -2.0/13)
	near(t, "overall kappa", a.Overall.Stats.CohenKappa.Stat, 4.0/29)
	near(t, "overall percent", a.Overall.Stats.PercentAgreement, 0.75)
	if !slices.Equal(fear.Coded, []int{3, 1}) || fear.Stats.PairableUnits != 10 {
		t.Errorf("fear coded %v over %d units", fear.Coded, fear.Stats.PairableUnits)
	}
}

// --docs narrows the comparison: staff-01 alone has 6 turns; Fear: both
// 1, amina only 1, neither 4: p_o 5/6, p_e 2/36 + 20/36, kappa 4/7.
func TestAgreeDocsAndCodes(t *testing.T) {
	p := setupAgree(t)
	a, err := p.Agree(AgreeOptions{Unit: agreement.UnitTurn, Docs: []string{"staff-01"}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "fear kappa in staff-01", a.Codes[0].Stats.CohenKappa.Stat, 4.0/7)
	// --codes takes a subtree. jonas applied no Fear code in patient-01,
	// but he coded it (Disclosure), so his turns there count as not coded.
	a, err = p.Agree(AgreeOptions{Unit: agreement.UnitTurn, Codes: "Work incentives"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Codes) != 1 || a.Codes[0].Path != "Work incentives/Fear of losing benefits" {
		t.Fatalf("codes %+v", a.Codes)
	}
	near(t, "fear kappa", a.Codes[0].Stats.CohenKappa.Stat, 7.0/17)
	near(t, "overall = the one code", a.Overall.Stats.CohenKappa.Stat, 7.0/17)
	if _, err := p.Agree(AgreeOptions{Unit: agreement.UnitTurn, Codes: "No such code"}); !IsUserError(err) {
		t.Errorf("unknown code: %v", err)
	}
}

func TestAgreeCoders(t *testing.T) {
	p := setupAgree(t)
	if _, err := p.Code(CodeRequest{Doc: "patient-01", Code: "Disclosure", Coder: "kari", Target: Target{Turn: 2}}); err != nil {
		t.Fatal(err)
	}
	a, err := p.Agree(AgreeOptions{Unit: agreement.UnitTurn})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Coders, []string{"amina", "jonas", "kari"}) {
		t.Errorf("default coders %v", a.Coders)
	}
	if a.Codes[0].Stats.CohenKappa.Defined || !a.Codes[0].Stats.Alpha[agreement.Nominal].Defined {
		t.Error("three coders: kappa undefined, alpha defined")
	}
	a, err = p.Agree(AgreeOptions{Unit: agreement.UnitTurn, Coders: []string{"Amina", "JONAS"}})
	if err != nil || !slices.Equal(a.Coders, []string{"amina", "jonas"}) {
		t.Fatalf("coders %v, %v", a, err)
	}
	for _, tc := range []struct {
		coders []string
		want   string
	}{
		{[]string{"amina", "jonsa"}, `coder "jonsa" has no codings in the selected documents (coders there: amina, jonas, kari)`},
		{[]string{"amina"}, "two or more coders"},
		{[]string{"amina", "amina"}, "two or more coders"},
	} {
		if _, err := p.Agree(AgreeOptions{Unit: agreement.UnitTurn, Coders: tc.coders}); !IsUserError(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.coders, err, tc.want)
		}
	}
	// kari and jonas share patient-01 only; amina and kari... kari never
	// coded staff-01, so comparing kari with jonas on staff-01 finds nothing.
	if _, err := p.Agree(AgreeOptions{Unit: agreement.UnitTurn, Coders: []string{"kari", "jonas"}, Docs: []string{"staff-01"}}); !IsUserError(err) || !strings.Contains(err.Error(), `coder "kari" has no codings`) {
		t.Errorf("kari on staff-01: %v", err)
	}
}

func TestAgreeOneCoder(t *testing.T) {
	p := setupCoded(t)
	if _, err := p.Code(CodeRequest{Doc: "staff-01", Code: "Disclosure", Coder: "amina", Target: Target{Turn: 2}}); err != nil {
		t.Fatal(err)
	}
	_, err := p.Agree(AgreeOptions{Unit: agreement.UnitTurn})
	if !IsUserError(err) || !strings.Contains(err.Error(), "only this one coded the selected documents: amina") {
		t.Errorf("one coder: %v", err)
	}
	// Two coders who never coded the same document.
	if _, err := p.Code(CodeRequest{Doc: "patient-01", Code: "Disclosure", Coder: "jonas", Target: Target{Turn: 2}}); err != nil {
		t.Fatal(err)
	}
	_, err = p.Agree(AgreeOptions{Unit: agreement.UnitTurn})
	if !IsUserError(err) || !strings.Contains(err.Error(), "no document was coded by two or more of amina, jonas") {
		t.Errorf("no shared document: %v", err)
	}
}

func TestAgreeDisagreementsWithText(t *testing.T) {
	p := setupAgree(t)
	a, err := p.Agree(AgreeOptions{Unit: agreement.UnitTurn, Codes: "Fear of losing benefits", Disagreements: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Disagreements) != 2 {
		t.Fatalf("%d disagreements, want 2 (patient-01 turn 4, staff-01 turn 2)", len(a.Disagreements))
	}
	d := a.Disagreements[1]
	if d.Document != "staff-01" || d.Index != 2 || !slices.Equal(d.Coded, []string{"amina"}) || !slices.Equal(d.NotCoded, []string{"jonas"}) ||
		!strings.HasPrefix(d.Text, "Mostly from the care coordinators.") {
		t.Errorf("disagreement %+v", d)
	}
	// Sentences: staff-01's turn 2 has two sentences (the second wrapped
	// over two lines), both coded by amina alone; both coders coded both
	// sentences of turn 4.
	a, err = p.Agree(AgreeOptions{Unit: agreement.UnitSentence, Codes: "Fear of losing benefits", Disagreements: true, Docs: []string{"staff-01"}})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, d := range a.Disagreements {
		texts = append(texts, d.Text)
	}
	want := []string{"Mostly from the care coordinators.", "Some of them still wait until\nsomeone is \"ready\", which is not how IPS is meant to work."}
	if !slices.Equal(texts, want) {
		t.Errorf("sentence disagreements %q, want %q", texts, want)
	}
	// Characters and segments run on the same project.
	for _, u := range []agreement.Unit{agreement.UnitChar, agreement.UnitSegment, agreement.UnitParagraph} {
		if a, err := p.Agree(AgreeOptions{Unit: u}); err != nil || a.Overall.Stats == nil {
			t.Errorf("%s: %v", u, err)
		}
	}
}

func writeCSV(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ratings.csv")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Krippendorff (2011) section C's data as a spreadsheet would save it,
// units as rows: alpha nominal 113/152, interval 951/1120.
func TestReliabilityTable(t *testing.T) {
	path := writeCSV(t, "\ufeffunit;A;B;C;D\r\n"+
		"1;1;1;;1\r\n2;2;2;3;2\r\n3;3;3;3;3\r\n4;3;3;3;3\r\n5;2;2;2;2\r\n6;1;2;3;4\r\n"+
		"7;4;4;4;4\r\n8;1;1;2;1\r\n9;2;2;2;2\r\n10;;5;5;5\r\n11;;;1;1\r\n12;;3;;\r\n")
	tab, err := ReadReliabilityTable(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tab.Coders, []string{"A", "B", "C", "D"}) || len(tab.Units) != 12 || tab.Units[11] != "12" {
		t.Fatalf("coders %v units %v", tab.Coders, tab.Units)
	}
	r, err := tab.Compute("")
	if err != nil {
		t.Fatal(err)
	}
	near(t, "nominal", r.Alpha[agreement.Nominal].Stat, 113.0/152)
	near(t, "interval", r.Alpha[agreement.Interval].Stat, 951.0/1120)
	if len(r.Alpha) != 4 || r.PairableValues != 40 {
		t.Errorf("%d metrics, %d pairable values", len(r.Alpha), r.PairableValues)
	}
	r, err = tab.Compute("ordinal")
	if err != nil || len(r.Alpha) != 1 {
		t.Fatalf("ordinal only: %v %v", r, err)
	}
	near(t, "ordinal", r.Alpha[agreement.Ordinal].Stat, 108577.0/133160)
}

func TestReliabilityTableErrors(t *testing.T) {
	for _, tc := range []struct{ body, metric, want string }{
		{"A\n1\n", "", ":1: the header row must name two or more coders"},
		{"unit,A\n1,1\n", "", ":1: the header row must name two or more coders"},
		{"A,,B\n1,2,3\n", "", ":1: column 2 has no coder name"},
		{"A,a\n1,2\n", "", `:1: coder "a" is named twice`},
		{"A,B\n", "", "no units: the file has only a header row"},
		{"", "", "file is empty"},
		{"A,B\n1,2\n1,2,3\n", "", ":3: 3 values, but the header names 2 columns"},
		{"A,B\n1,\n,2\n", "", "no unit has values from two or more coders"},
		{"A,B\n1,2\n2,NA\n", "interval", `:3: "NA" (coder B) is not a number: the interval metric needs numbers`},
		{"A,B\n1,2\n", "cardinal", `metric "cardinal" is not one of`},
		{"A,B\n-1,2\n1,1\n", "ratio", "some are negative"},
	} {
		path := writeCSV(t, tc.body)
		tab, err := ReadReliabilityTable(path)
		if err == nil {
			_, err = tab.Compute(tc.metric)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) && !strings.Contains(tc.want, "metric") {
			t.Errorf("%q: %v, want %q naming the file", tc.body, err, tc.want)
		}
	}
	// Trailing empty columns (a spreadsheet's) and short rows are fine.
	tab, err := ReadReliabilityTable(writeCSV(t, "A,B,,\nyes,yes,,\nno\nno,yes\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := tab.Compute("")
	if err != nil {
		t.Fatal(err)
	}
	if tab.Data.Numeric() || len(r.Alpha) != 1 || r.Units != 3 || r.PairableUnits != 2 {
		t.Errorf("text table: numeric %v, alpha %v, units %d/%d", tab.Data.Numeric(), r.Alpha, r.Units, r.PairableUnits)
	}
}
