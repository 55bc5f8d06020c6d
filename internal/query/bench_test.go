package query_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/query"
	"github.com/qcode-qda/qcode/internal/synth"
)

// benchData is the shape of internal/synth's report corpus held in memory:
// 2,000 documents of ~9 turns, 300 participants in three roles, the 30-code
// synthetic codebook, and n codings of 20-200 characters by two coders.
func benchData(n int) *query.Data {
	r := rand.New(rand.NewPCG(5, 6))
	cb := synth.Codebook()
	d := &query.Data{Codes: codebook.NewIndex(cb.Codes), Coders: []string{"amina", "jonas"}}
	for _, c := range cb.Codes {
		d.CodeIDs = append(d.CodeIDs, c.ID)
	}
	for i := 0; i < 300; i++ {
		d.People = append(d.People, query.Person{Label: fmt.Sprintf("P%d", i+1), Attrs: map[string]string{"role": []string{"staff", "patient", "employer"}[(i+1)%3], "site": fmt.Sprintf("Site %d", (i+1)%10)}})
	}
	d.People = append(d.People, query.Person{Label: "Interviewer", Attrs: map[string]string{"role": "interviewer"}})
	const docs, runes, turns = 2000, 4000, 9
	for i := 0; i < docs; i++ {
		d.Docs = append(d.Docs, query.Doc{Name: fmt.Sprintf("interview-%04d", i), Kind: "interview"})
	}
	for i := 0; i < n; i++ {
		doc := i * docs / n
		s := int32(r.IntN(runes - 200))
		e := s + 20 + int32(r.IntN(180))
		code := int32(r.IntN(len(cb.Codes)))
		for cb.Codes[code].Grouping {
			code = int32(r.IntN(len(cb.Codes)))
		}
		first, last := s*turns/runes, (e-1)*turns/runes
		person := int32(300) // the interviewer's turns are the even ones
		if first%2 == 1 {
			person = int32(doc % 300)
		}
		d.Segs = append(d.Segs, query.Segment{Doc: int32(doc), Person: person, Code: code, Coder: int32(r.IntN(2)), Start: s, End: e, First: first, Last: last})
	}
	for lo := 0; lo < len(d.Segs); {
		hi := lo
		for hi < len(d.Segs) && d.Segs[hi].Doc == d.Segs[lo].Doc {
			hi++
		}
		slices.SortFunc(d.Segs[lo:hi], func(a, b query.Segment) int { return int(a.Start - b.Start) })
		lo = hi
	}
	return d
}

// BenchmarkEval1M evaluates queries over 1,000,000 codings already in
// memory: the evaluator alone, without reading the project.
func BenchmarkEval1M(b *testing.B) {
	d := benchData(1_000_000)
	for _, src := range []string{
		`code:"Code 3" AND role=patient`,
		`code:"Theme 1" NEAR/2 code:"Theme 2" AND NOT coder=jonas`,
		`(code:"Code 3" OVERLAPS code:"Code 4") OR (code:"Code 4" WITHIN code:"Theme 0")`,
	} {
		q, err := query.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		name := strings.NewReplacer(" ", "_", `"`, "").Replace(src)
		b.Run(name, func(b *testing.B) {
			var found int
			for i := 0; i < b.N; i++ {
				res, err := q.Eval(d)
				if err != nil {
					b.Fatal(err)
				}
				found = len(res.Segs)
			}
			b.ReportMetric(float64(found), "codings")
		})
	}
}
