package agreement_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/internal/agreement"
)

// N1 (reference vectors, NVivo's coding comparison): a 1000-character
// document, coder A coded [0,150), coder B [100,200): both 50, A only 100,
// B only 50, neither 800; agreement 85 %, kappa 7/22, binary alpha
// 0.314629. (QualCoder reports 0.213 here, from chance agreement over the
// coded characters only.)
func TestCharNVivo(t *testing.T) {
	in := agreement.Input{
		Docs:   []agreement.Doc{{Name: "d", Length: 1000}},
		Coders: []string{"A", "B"},
		Unit:   agreement.UnitChar,
		Codings: []agreement.Coding{
			{Doc: 0, Code: "X", Start: 0, End: 150, Coder: "A"},
			{Doc: 0, Code: "X", Start: 100, End: 200, Coder: "B"},
		},
		Disagreements: true,
	}
	c, err := agreement.Compare(in)
	if err != nil {
		t.Fatal(err)
	}
	x := c.Codes[0]
	stat(t, "percent", x.Stats.PercentAgreement, 0.85, exact)
	stat(t, "kappa", x.Stats.CohenKappa.Stat, 7.0/22, exact)
	stat(t, "alpha", x.Stats.Alpha[agreement.Nominal].Stat, 0.314629, 0.0000005)
	if len(x.Docs) != 1 || x.Docs[0].AllCoded != 50 || x.Docs[0].NoneCoded != 800 || !slices.Equal(x.Docs[0].Coded, []int{150, 100}) {
		t.Errorf("per document: %+v", x.Docs)
	}
	stat(t, "per document kappa", x.Docs[0].Stats.CohenKappa.Stat, 7.0/22, exact)
	stat(t, "pooled kappa", c.Overall.Stats.CohenKappa.Stat, 7.0/22, exact)
	want := []string{"X [0,100) A not B", "X [150,200) B not A"}
	if got := listDisagreements(c); !slices.Equal(got, want) {
		t.Errorf("disagreements %q, want %q", got, want)
	}
}

func listDisagreements(c *agreement.Comparison) []string {
	var out []string
	for _, d := range c.Disagreements {
		s := fmt.Sprintf("%s [%d,%d) %s not %s", d.Code, d.Start, d.End, strings.Join(d.Coded, ","), strings.Join(d.NotCoded, ","))
		if d.Index > 0 {
			s = fmt.Sprintf("d%d %s #%d %s not %s", d.Doc, d.Code, d.Index, strings.Join(d.Coded, ","), strings.Join(d.NotCoded, ","))
		}
		out = append(out, s)
	}
	return out
}

// turnInput: three coders, two codes. C coded only d1, so C is missing in
// d0 (not "did not apply X"); d2 was coded by A alone and is not compared.
//
//	d0 (A, B):    t1 t2 t3 t4       d1 (A, B, C):  t1  t2  t3
//	  X  A        1  1  0  0          X  A         0   0   1
//	     B        1  0  0  0             B         0   0   1
//	  Y  A        0  0  0  0             C         1   0   0
//	     B        0  0  0  1          Y  A, B      0   0   0
//	                                     C         0   0   1
func turnInput() agreement.Input {
	turns := func(n int) [][2]int {
		var ts [][2]int
		for i := 0; i < n; i++ {
			ts = append(ts, [2]int{10 * i, 10*i + 10})
		}
		return ts
	}
	return agreement.Input{
		Docs:   []agreement.Doc{{Name: "d0", Length: 40, Turns: turns(4)}, {Name: "d1", Length: 30, Turns: turns(3)}, {Name: "d2", Length: 20, Turns: turns(2)}},
		Coders: []string{"A", "B", "C"},
		Codes:  []string{"X", "Y"},
		Unit:   agreement.UnitTurn,
		Codings: []agreement.Coding{
			{Doc: 0, Code: "X", Start: 5, End: 15, Coder: "A"}, // turns 1 and 2
			{Doc: 0, Code: "X", Start: 0, End: 10, Coder: "B"},
			{Doc: 0, Code: "Y", Start: 32, End: 35, Coder: "B"},
			{Doc: 1, Code: "X", Start: 20, End: 30, Coder: "A"},
			{Doc: 1, Code: "X", Start: 22, End: 25, Coder: "B"},
			{Doc: 1, Code: "X", Start: 0, End: 10, Coder: "C"},
			{Doc: 1, Code: "Y", Start: 20, End: 30, Coder: "C"},
			{Doc: 2, Code: "X", Start: 0, End: 10, Coder: "A"},
			{Doc: 0, Code: "X", Start: 0, End: 10, Coder: "someone else"},
		},
		Disagreements: true,
	}
}

// Worked by hand (docs/AGREEMENT.md's rules). X: unit agreement shares
// 1 0 1 1 | 1/3 1 1/3 -> 14/3 over 7 units = 2/3. Coincidences: d0 (pairs
// weigh 1) o11 2, o10 = o01 1, o00 4; d1 (pairs weigh 1/2) o00 1+3,
// o01 = o10 1+1, o11 1. So o00 8, o11 3, o01 = o10 3, n 17 (n0 11, n1 6):
// alpha = 1 − (6/17)/((289 − 121 − 36)/272) = 3/11.
// Y: shares 1 1 1 0 | 1 1 1/3 -> 16/21; o00 13, o01 = o10 2, n0 15, n1 2:
// alpha = 1 − (4/17)/(60/272) = −1/15.
// Pooled: o00 21, o11 3, o01 = o10 5, n 34 (26, 8): alpha = 43/208;
// percent (14/3 + 16/3)/14 = 5/7.
func TestTurnsWithMissingCoder(t *testing.T) {
	c, err := agreement.Compare(turnInput())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Compared, []int{0, 1}) {
		t.Errorf("compared documents %v, want [0 1]", c.Compared)
	}
	x, y := c.Codes[0], c.Codes[1]
	stat(t, "X percent", x.Stats.PercentAgreement, 2.0/3, exact)
	stat(t, "X alpha", x.Stats.Alpha[agreement.Nominal].Stat, 3.0/11, exact)
	stat(t, "X brennan-prediger", x.Stats.BrennanPrediger.Stat, 1.0/3, exact)
	stat(t, "Y percent", y.Stats.PercentAgreement, 16.0/21, exact)
	stat(t, "Y alpha", y.Stats.Alpha[agreement.Nominal].Stat, -1.0/15, exact)
	stat(t, "overall alpha", c.Overall.Stats.Alpha[agreement.Nominal].Stat, 43.0/208, exact)
	stat(t, "overall percent", c.Overall.Stats.PercentAgreement, 5.0/7, exact)
	if x.Stats.PairableUnits != 7 || x.Stats.PairableValues != 17 {
		t.Errorf("X: %d units, %d values; want 7 and 17", x.Stats.PairableUnits, x.Stats.PairableValues)
	}
	if x.Stats.FleissKappa.Defined || x.Stats.CohenKappa.Defined {
		t.Errorf("Fleiss (units of 2 and 3 values) and Cohen (3 coders) must be undefined: %+v %+v", x.Stats.FleissKappa, x.Stats.CohenKappa)
	}
	if !slices.Equal(x.Coded, []int{3, 2, 1}) || !slices.Equal(c.Overall.Coded, []int{3, 3, 2}) {
		t.Errorf("coded X %v overall %v", x.Coded, c.Overall.Coded)
	}
	want := []string{"d0 X #2 A not B", "d0 Y #4 B not A", "d1 X #1 C not A,B", "d1 X #3 A,B not C", "d1 Y #3 C not A,B"}
	if got := listDisagreements(c); !slices.Equal(got, want) {
		t.Errorf("disagreements\n%q, want\n%q", got, want)
	}
}

// Two coders on the same turns: Cohen's kappa and Fleiss' kappa apply.
// A codes turns 1 2 3, B turns 2 3 4 of 8: table yes/yes 2, A only 1,
// B only 1, neither 4 -> p_o 6/8, p_e (3/8)² + (5/8)² = 34/64, kappa
// (48/64 − 34/64)/(30/64) = 7/15.
func TestTurnsTwoCoders(t *testing.T) {
	var turns [][2]int
	for i := 0; i < 8; i++ {
		turns = append(turns, [2]int{10 * i, 10*i + 8})
	}
	in := agreement.Input{Docs: []agreement.Doc{{Length: 80, Turns: turns}}, Coders: []string{"A", "B"}, Unit: agreement.UnitTurn}
	for _, tu := range []int{0, 1, 2} {
		in.Codings = append(in.Codings, agreement.Coding{Code: "X", Start: turns[tu][0], End: turns[tu][1], Coder: "A"})
	}
	for _, tu := range []int{1, 2, 3} {
		in.Codings = append(in.Codings, agreement.Coding{Code: "X", Start: turns[tu][0] + 2, End: turns[tu][0] + 3, Coder: "B"})
	}
	// A coding that covers only the gap between turns (a speaker label)
	// marks no turn.
	in.Codings = append(in.Codings, agreement.Coding{Code: "X", Start: 78, End: 80, Coder: "B"})
	c, err := agreement.Compare(in)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Codes[0].Stats
	stat(t, "percent", s.PercentAgreement, 0.75, exact)
	stat(t, "kappa", s.CohenKappa.Stat, 7.0/15, exact)
	stat(t, "fleiss = scott", s.FleissKappa.Stat, s.ScottPi.Value, exact)
}

// Segment matching, worked by hand (threshold 0.9 of the union):
// A: X [0,100) X [200,300) Y [500,600); B: X [5,100) X [200,260)
// Y [500,600) Y [700,750). Overlaps: 95/100 yes, 60/100 no, 1 yes; B's
// Y [700,750) has no partner. Matched 4 (A's X1 and Y, B's X1 and Y1),
// unmatched 3: percent 4/7, Brennan–Prediger with 2 codes (4/7 − 1/2)/(1/2)
// = 1/7. X alone 2/4; Y 2/3.
func TestSegments(t *testing.T) {
	in := agreement.Input{
		Docs:   []agreement.Doc{{Length: 1000}},
		Coders: []string{"A", "B"},
		Unit:   agreement.UnitSegment,
		Codings: []agreement.Coding{
			{Code: "X", Start: 0, End: 100, Coder: "A"}, {Code: "X", Start: 200, End: 300, Coder: "A"}, {Code: "Y", Start: 500, End: 600, Coder: "A"},
			{Code: "X", Start: 5, End: 100, Coder: "B"}, {Code: "X", Start: 200, End: 260, Coder: "B"}, {Code: "Y", Start: 500, End: 600, Coder: "B"},
			{Code: "Y", Start: 700, End: 750, Coder: "B"},
		},
		Disagreements: true,
	}
	c, err := agreement.Compare(in)
	if err != nil {
		t.Fatal(err)
	}
	if c.Overlap != 0.9 || c.Overall.Matched != 4 || c.Overall.Unmatched != 3 {
		t.Fatalf("overlap %v, matched %d unmatched %d", c.Overlap, c.Overall.Matched, c.Overall.Unmatched)
	}
	stat(t, "percent", c.Overall.Stats.PercentAgreement, 4.0/7, exact)
	stat(t, "brennan-prediger", c.Overall.Stats.BrennanPrediger.Stat, 1.0/7, exact)
	stat(t, "X", c.Codes[0].Stats.PercentAgreement, 0.5, exact)
	stat(t, "Y", c.Codes[1].Stats.PercentAgreement, 2.0/3, exact)
	if c.Overall.Stats.CohenKappa.Defined || len(c.Overall.Stats.Alpha) != 0 {
		t.Error("segment matching has no kappa or alpha")
	}
	want := []string{"X [200,300) A not B", "X [200,260) B not A", "Y [700,750) B not A"}
	if got := listDisagreements(c); !slices.Equal(got, want) {
		t.Errorf("disagreements %q, want %q", got, want)
	}
	if c.Disagreements[0].Overlap != 0.6 || c.Disagreements[2].Overlap != 0 {
		t.Errorf("overlaps %v %v", c.Disagreements[0].Overlap, c.Disagreements[2].Overlap)
	}
	// At 50 % the 60 % overlap agrees: 6 of 7.
	in.Overlap = 0.5
	c, err = agreement.Compare(in)
	if err != nil {
		t.Fatal(err)
	}
	stat(t, "percent at 0.5", c.Overall.Stats.PercentAgreement, 6.0/7, exact)
	in.Overlap = 1.5
	if _, err := agreement.Compare(in); err == nil || !strings.Contains(err.Error(), "overlap") {
		t.Errorf("overlap 1.5: %v", err)
	}
}

func TestCompareErrors(t *testing.T) {
	in := turnInput()
	in.Coders = []string{"A"}
	if _, err := agreement.Compare(in); !errors.Is(err, agreement.ErrNoCoders) {
		t.Errorf("one coder: %v", err)
	}
	// Only d2 (coded by A alone) and d0's C-less codings: A and C never
	// coded the same document... A and C share d1, so drop it.
	in = turnInput()
	in.Coders = []string{"A", "C"}
	in.Docs = in.Docs[:1]
	var keep []agreement.Coding
	for _, cd := range in.Codings {
		if cd.Doc == 0 {
			keep = append(keep, cd)
		}
	}
	in.Codings = keep
	if _, err := agreement.Compare(in); !errors.Is(err, agreement.ErrNoPairable) || !strings.Contains(err.Error(), "no document was coded by two or more of A, C") {
		t.Errorf("no shared document: %v", err)
	}
	// Documents without turns cannot be compared by turn.
	in = turnInput()
	for i := range in.Docs {
		in.Docs[i].Turns = nil
	}
	if _, err := agreement.Compare(in); !errors.Is(err, agreement.ErrNoPairable) || !strings.Contains(err.Error(), "no turn units") {
		t.Errorf("no turns: %v", err)
	}
}

func spanTexts(text string, spans [][2]int) []string {
	r := []rune(text)
	var out []string
	for _, s := range spans {
		out = append(out, string(r[s[0]:s[1]]))
	}
	return out
}

func TestSentencesAndParagraphs(t *testing.T) {
	text := "Notes from the visit\n\nDr. Smith said hello. Then (.) we left... OK? yes it was 2.0 today, e.g. at noon.\n  Ålesund “is far.” Really!\n\n"
	d := &agreement.Doc{Text: text, Length: len([]rune(text))}
	got := spanTexts(text, agreement.Spans(d, agreement.UnitSentence))
	want := []string{"Notes from the visit", "Dr. Smith said hello.", "Then (.) we left...", "OK? yes it was 2.0 today, e.g. at noon.", "Ålesund “is far.”", "Really!"}
	if !slices.Equal(got, want) {
		t.Errorf("sentences\n%q, want\n%q", got, want)
	}
	// The text has blank lines: they separate paragraphs, and a single line
	// break (hard-wrapped text) does not.
	got = spanTexts(text, agreement.Spans(d, agreement.UnitParagraph))
	want = []string{"Notes from the visit", "Dr. Smith said hello. Then (.) we left... OK? yes it was 2.0 today, e.g. at noon.\n  Ålesund “is far.” Really!"}
	if !slices.Equal(got, want) {
		t.Errorf("paragraphs\n%q, want\n%q", got, want)
	}
	// Without blank lines (a Word document), every line is a paragraph.
	text = "First paragraph.\nSecond one, which\nThird"
	d = &agreement.Doc{Text: text, Length: len([]rune(text))}
	if got := spanTexts(text, agreement.Spans(d, agreement.UnitParagraph)); !slices.Equal(got, []string{"First paragraph.", "Second one, which", "Third"}) {
		t.Errorf("paragraphs as lines: %q", got)
	}
	if got := spanTexts(text, agreement.Spans(d, agreement.UnitSentence)); !slices.Equal(got, []string{"First paragraph.", "Second one, which", "Third"}) {
		t.Errorf("sentences end with the paragraph: %q", got)
	}
	// With turns, units lie within turns: the preamble and the speaker
	// labels are in none.
	text = "Interview 3\nInterviewer: Tell me. Go on.\nP1: First line.\nSecond line here.\n"
	at := func(s string) int { return len([]rune(text[:strings.Index(text, s)])) }
	d = &agreement.Doc{Text: text, Length: len([]rune(text)), Turns: [][2]int{{at("Tell"), at("\nP1")}, {at("First"), len([]rune(text))}}}
	if got := spanTexts(text, agreement.Spans(d, agreement.UnitSentence)); !slices.Equal(got, []string{"Tell me.", "Go on.", "First line.", "Second line here."}) {
		t.Errorf("sentences in turns: %q", got)
	}
	if got := spanTexts(text, agreement.Spans(d, agreement.UnitParagraph)); !slices.Equal(got, []string{"Tell me. Go on.", "First line.", "Second line here."}) {
		t.Errorf("paragraphs in turns: %q", got)
	}
	if got := spanTexts(text, agreement.Spans(d, agreement.UnitTurn)); !slices.Equal(got, []string{"Tell me. Go on.", "First line.\nSecond line here.\n"}) {
		t.Errorf("turns: %q", got)
	}
}

// Sentence units: a coding marks every sentence it overlaps.
func TestSentenceUnits(t *testing.T) {
	text := "One two. Three four. Five six. Seven."
	d := agreement.Doc{Text: text, Length: len(text)}
	in := agreement.Input{Docs: []agreement.Doc{d}, Coders: []string{"A", "B"}, Unit: agreement.UnitSentence, Disagreements: true,
		Codings: []agreement.Coding{
			{Code: "X", Start: 4, End: 12, Coder: "A"},  // sentences 1 and 2
			{Code: "X", Start: 9, End: 14, Coder: "B"},  // sentence 2
			{Code: "X", Start: 31, End: 32, Coder: "B"}, // sentence 4
		}}
	c, err := agreement.Compare(in)
	if err != nil {
		t.Fatal(err)
	}
	stat(t, "percent", c.Codes[0].Stats.PercentAgreement, 0.5, exact)
	if got := listDisagreements(c); !slices.Equal(got, []string{"d0 X #1 A not B", "d0 X #4 B not A"}) {
		t.Errorf("disagreements %q", got)
	}
}

func TestParseUnit(t *testing.T) {
	for _, u := range agreement.Units {
		if got, err := agreement.ParseUnit(strings.ToUpper(string(u))); err != nil || got != u {
			t.Errorf("%s: %v %v", u, got, err)
		}
	}
	if _, err := agreement.ParseUnit("word"); err == nil {
		t.Error("word accepted")
	}
}
