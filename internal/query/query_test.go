package query

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/codebook"
)

// testData is a small study: a staff interview with turns and field notes
// without them (units are paragraphs there).
func testData() *Data {
	codes := []codebook.Code{
		{ID: "c-benefits", Name: "Benefits and NAV", Grouping: true},
		{ID: "c-fear", Name: "Fear of losing benefits", ParentID: "c-benefits"},
		{ID: "c-plan", Name: "Work incentives planning", ParentID: "c-benefits"},
		{ID: "c-disc", Name: "Disclosure"},
		{ID: "c-emp", Name: "Employer contact"},
	}
	d := &Data{
		Docs: []Doc{
			{Name: "staff-01", Kind: "interview", Attrs: map[string]string{"site": "Tromsø"}},
			{Name: "field-notes", Kind: "field-notes", Attrs: map[string]string{"site": "Nord-Troms"}},
		},
		People: []Person{
			{Label: "Interviewer", Attrs: map[string]string{"role": "interviewer"}},
			{Label: "Kari", Attrs: map[string]string{"role": "staff", "site": "Tromsø"}},
			{Label: "P1", Attrs: map[string]string{"role": "patient"}},
		},
		Codes:   codebook.NewIndex(codes),
		CodeIDs: []string{"c-benefits", "c-fear", "c-plan", "c-disc", "c-emp"},
		Coders:  []string{"amina", "jonas"},
	}
	const fear, plan, disc, emp = 1, 2, 3, 4
	d.Segs = []Segment{
		{Doc: 0, Person: 1, Code: fear, Coder: 0, Start: 10, End: 20, First: 1, Last: 1},   // 0
		{Doc: 0, Person: 1, Code: disc, Coder: 0, Start: 15, End: 30, First: 1, Last: 1},   // 1
		{Doc: 0, Person: 2, Code: emp, Coder: 1, Start: 100, End: 120, First: 3, Last: 3},  // 2
		{Doc: 0, Person: 2, Code: disc, Coder: 1, Start: 105, End: 110, First: 3, Last: 3}, // 3
		{Doc: 0, Person: 1, Code: plan, Coder: 0, Start: 300, End: 320, First: 8, Last: 8}, // 4
		{Doc: 1, Person: -1, Code: disc, Coder: 0, Start: 5, End: 10, First: 0, Last: 0},   // 5
		{Doc: 1, Person: -1, Code: emp, Coder: 1, Start: 50, End: 60, First: 2, Last: 2},   // 6
	}
	return d
}

func run(t *testing.T, d *Data, src string) ([]int, []string) {
	t.Helper()
	q, err := Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	res, err := q.Eval(d)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return res.Segs, res.Notes
}

func TestQueries(t *testing.T) {
	d := testData()
	for _, c := range []struct {
		src  string
		want []int
	}{
		{`code:"Benefits and NAV"`, []int{0, 4}},                      // a code includes its sub-codes
		{`code:"benefits and nav/fear of losing benefits"`, []int{0}}, // by path, any case
		{`code:Disclosure AND role=patient`, []int{3}},
		{`code:Disclosure and site=Nord-Troms`, []int{5}}, // no speaker: the document's site
		{`code:Disclosure AND site=Tromsø`, []int{1, 3}},  // Kari's own site; P1 has none, so the document's
		{`code:Disclosure NEAR/2 code:"Employer contact"`, []int{1, 3, 5}},
		{`code:Disclosure NEAR/1 code:"Employer contact"`, []int{3}},
		{`code:Disclosure NEAR code:"Employer contact"`, []int{3}},
		{`code:Disclosure NEAR/0 code:"Employer contact"`, []int{3}},
		{`code:Disclosure WITHIN code:"Employer contact"`, []int{3}},
		{`code:"Employer contact" WITHIN code:Disclosure`, nil},
		{`code:"Fear of losing benefits" OVERLAPS code:Disclosure`, []int{0}},
		{`code:Disclosure OVERLAPS code:Disclosure`, nil}, // never with itself
		{`code:Disclosure OVERLAPS (code:Disclosure OR code:"Fear of losing benefits")`, []int{1}},
		{`NOT coder=amina`, []int{2, 3, 6}},
		{`coder!=amina`, []int{2, 3, 6}},
		{`(code:"Fear of losing benefits" OR code:"Work incentives planning") AND NOT role=staff`, nil},
		{`code:Disclosure AND (speaker=P1 OR kind=field-notes)`, []int{3, 5}},
		{`document=staff-01 AND code:"Employer contact"`, []int{2}},
		{`code:Disclosure OR code:"Fear of losing benefits" AND coder=jonas`, []int{1, 3, 5}}, // AND binds tighter
	} {
		got, _ := run(t, d, c.src)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.src, got, c.want)
		}
	}
}

func TestQueryNotes(t *testing.T) {
	d := testData()
	for _, c := range []struct{ src, note string }{
		{`code:="Benefits and NAV"`, "Benefits and NAV is a grouping code with no codings of its own"},
		{`code:Disclosure AND code:"Employer contact"`, `use code:Disclosure OVERLAPS code:"Employer contact"`},
		{`coder=nobody`, "no coding was made by coder nobody"},
		{`role=patinet`, "no participant or document has role=patinet"},
	} {
		got, notes := run(t, d, c.src)
		if len(got) != 0 || len(notes) != 1 || !strings.Contains(notes[0], c.note) {
			t.Errorf("%s: %v, notes %q; want a note with %q", c.src, got, notes, c.note)
		}
	}
}

func TestQueryErrorsPointAtTheColumn(t *testing.T) {
	d := testData()
	for _, c := range []struct {
		src string
		col int
		msg string
	}{
		{`code:Disclosure AND`, 20, "ends after AND"},
		{`code:`, 6, "expected a name after code:"},
		{`(code:Disclosure OR code:Fear`, 1, "never closed"},
		{`Disclosure`, 1, `write code:Disclosure for a code`},
		{`code:Disclosure code:Fear`, 17, "expected AND, OR"},
		{`code:Disclosure NEAR/x code:Fear`, 22, "NEAR/ needs a number"},
		{`code:"Fear of`, 6, "quote is never closed"},
		{`AND code:Fear`, 1, "expected a term before AND"},
		{`code:Fear )`, 11, "unmatched )"},
		{`code:Fear AND ()`, 16, "empty parentheses"},
		{`tag:Fear`, 1, "unknown term tag:"},
		{`   `, 4, "the query is empty"},
		{`code:Fear AND NOT`, 18, "ends after NOT"},
		{`"Fear"`, 1, "quoted name needs to say what it is"},
		// Resolution errors point at the term too.
		{`code:Disclosure AND code:Nope`, 21, `no code "Nope" in the codebook`},
		{`code:Fear`, 1, `no code "Fear" in the codebook (did you mean "Benefits and NAV/Fear of losing benefits"?)`},
		{`code:Disclosure AND rol=patient`, 21, `no participant or document has an attribute "rol" (attributes: role, site, coder, speaker, document, kind)`},
		{`code=Fear`, 1, "codes are written code:NAME (code:Fear)"},
	} {
		q, err := Parse(c.src)
		if err == nil {
			_, err = q.Eval(d)
		}
		var qe *Error
		if !errors.As(err, &qe) {
			t.Errorf("%s: err = %v, want a query error", c.src, err)
			continue
		}
		if qe.Col != c.col || !strings.Contains(qe.Msg, c.msg) {
			t.Errorf("%s: column %d %q, want column %d %q", c.src, qe.Col, qe.Msg, c.col, c.msg)
		}
	}
	_, err := Parse(`code:Disclosure AND`)
	if got := err.(*Error).Caret(); got != "code:Disclosure AND\n                   ^" {
		t.Errorf("caret:\n%s", got)
	}
	// Columns count characters, not bytes.
	_, err = Parse(`site=Tromsø code:Fear`)
	if err.(*Error).Col != 13 {
		t.Errorf("column after a non-ASCII value: %v", err)
	}
}

func TestQueryString(t *testing.T) {
	for src, want := range map[string]string{
		`code:a and (role=patient or role="employment specialist")`: `code:a AND (role=patient OR role="employment specialist")`,
		`not code:="Fear of losing benefits" near/3 code:X`:         `NOT code:="Fear of losing benefits" NEAR/3 code:X`,
		`(code:a within code:b) overlaps code:c or coder!=amina`:    `code:a WITHIN code:b OVERLAPS code:c OR coder!=amina`,
		`code:a overlaps (code:b or code:c)`:                        `code:a OVERLAPS (code:b OR code:c)`,
		`code:"say \"no\""`:                                         `code:"say \"no\""`,
	} {
		q, err := Parse(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := q.String(); got != want {
			t.Errorf("%s: String() = %s, want %s", src, got, want)
		}
		if q2, err := Parse(q.String()); err != nil || q2.String() != want {
			t.Errorf("%s does not parse back to itself: %v", want, err)
		}
	}
}

// TestRelationsAgreeWithPairwiseDefinition compares the sweep with the
// definitions checked pair by pair, on random segments.
func TestRelationsAgreeWithPairwiseDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	codes := []codebook.Code{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}
	for round := 0; round < 100; round++ {
		d := &Data{Docs: []Doc{{Name: "d0"}, {Name: "d1"}, {Name: "d2"}}, Codes: codebook.NewIndex(codes), CodeIDs: []string{"a", "b"}, Coders: []string{"x"}}
		for doc := int32(0); doc < 3; doc++ {
			var segs []Segment
			for i := 0; i < r.IntN(30); i++ {
				s := int32(r.IntN(200))
				e := s + 1 + int32(r.IntN(40))
				segs = append(segs, Segment{Doc: doc, Person: -1, Code: int32(r.IntN(2)), Start: s, End: e, First: s / 20, Last: (e - 1) / 20})
			}
			slices.SortFunc(segs, func(a, b Segment) int { return int(a.Start - b.Start) })
			d.Segs = append(d.Segs, segs...)
		}
		rel := map[string]func(a, b Segment) bool{
			"OVERLAPS": func(a, b Segment) bool { return b.Start < a.End && a.Start < b.End },
			"WITHIN":   func(a, b Segment) bool { return b.Start <= a.Start && a.End <= b.End },
			"NEAR/2":   func(a, b Segment) bool { return b.First <= a.Last+2 && a.First-2 <= b.Last },
		}
		for op, holds := range rel {
			for _, src := range []string{"code:A " + op + " code:B", "code:A " + op + " code:A", "coder=x " + op + " code:B"} {
				var want []int
				left := map[string]int32{"code:A": 0, "coder=x": -1}[strings.Fields(src)[0]]
				right := map[string]int32{"code:B": 1, "code:A": 0}[strings.Fields(src)[2]]
				for i, a := range d.Segs {
					if left >= 0 && a.Code != left {
						continue
					}
					for j, b := range d.Segs {
						if i != j && a.Doc == b.Doc && b.Code == right && holds(a, b) {
							want = append(want, i)
							break
						}
					}
				}
				got, _ := run(t, d, src)
				if !slices.Equal(got, want) {
					t.Fatalf("round %d, %s: got %v, want %v", round, src, got, want)
				}
			}
		}
	}
}

func TestRelations(t *testing.T) {
	for src, want := range map[string]bool{
		`code:a AND role=patient`:               false,
		`NOT (code:a OR coder=x)`:               false,
		`code:a AND NOT (code:b NEAR/2 code:c)`: true,
		`code:a WITHIN code:b`:                  true,
		`(code:a OVERLAPS code:b) OR code:c`:    true,
	} {
		q, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if q.Relations() != want {
			t.Errorf("%s: Relations() = %v", src, !want)
		}
	}
}
