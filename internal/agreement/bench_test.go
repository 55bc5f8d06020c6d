package agreement_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/qcode-qda/qcode/internal/agreement"
)

// reliabilityData is 1,000,000 units × 3 coders of ratings 1–5 (seeded):
// each coder gives the unit's true value 80 % of the time, else a random
// one, and 5 % of the values are missing.
func reliabilityData(units int) []float64 {
	r := rand.New(rand.NewPCG(5, 6))
	vals := make([]float64, 0, units*3)
	for u := 0; u < units; u++ {
		truth := float64(1 + r.IntN(5))
		for c := 0; c < 3; c++ {
			v := truth
			switch x := r.Float64(); {
			case x < 0.05:
				v = math.NaN()
			case x < 0.25:
				v = float64(1 + r.IntN(5))
			}
			vals = append(vals, v)
		}
	}
	return vals
}

// BenchmarkAlpha1M: all four alpha metrics and the other statistics over
// 1,000,000 units × 3 coders, from the raw values (building the table of
// categories included). Target (issue 6): ≤ 300 ms.
func BenchmarkAlpha1M(b *testing.B) {
	vals := reliabilityData(1_000_000)
	coders := []string{"a", "b", "c"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := agreement.NewNumeric(coders, vals)
		if err != nil {
			b.Fatal(err)
		}
		r, err := agreement.Compute(d, agreement.Options{})
		if err != nil || !r.Alpha[agreement.Ordinal].Defined {
			b.Fatal(err)
		}
	}
}

// BenchmarkAlpha1MNominal: nominal alpha only, same data.
func BenchmarkAlpha1MNominal(b *testing.B) {
	vals := reliabilityData(1_000_000)
	coders := []string{"a", "b", "c"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, _ := agreement.NewNumeric(coders, vals)
		if _, err := agreement.Compute(d, agreement.Options{Metrics: []agreement.Metric{agreement.Nominal}}); err != nil {
			b.Fatal(err)
		}
	}
}

// turnCorpus is 500 documents of 130 turns × 3 coders × 30 codes: each
// coder codes about 40 % of turns with one or two codes, following a
// shared "true" coding 75 % of the time (seeded).
func turnCorpus() agreement.Input {
	r := rand.New(rand.NewPCG(7, 8))
	in := agreement.Input{Coders: []string{"amina", "jonas", "kari"}}
	for c := 0; c < 30; c++ {
		in.Codes = append(in.Codes, fmt.Sprintf("code %d", c))
	}
	for d := 0; d < 500; d++ {
		doc := agreement.Doc{Name: fmt.Sprintf("doc %d", d)}
		pos := 0
		for t := 0; t < 130; t++ {
			n := 100 + r.IntN(500)
			doc.Turns = append(doc.Turns, [2]int{pos + 5, pos + 5 + n})
			pos += n + 6
			if r.Float64() < 0.4 {
				truth := r.IntN(30)
				for _, coder := range in.Coders {
					code := truth
					if r.Float64() > 0.75 {
						code = r.IntN(30)
					}
					s := pos - n - 1 + r.IntN(n/2)
					in.Codings = append(in.Codings, agreement.Coding{Doc: d, Code: in.Codes[code], Start: s, End: s + 20 + r.IntN(n/2), Coder: coder})
				}
			}
		}
		doc.Length = pos
		in.Docs = append(in.Docs, doc)
	}
	return in
}

// BenchmarkCompareTurns500: turn-level agreement on the corpus above (the
// computation; internal/project's BenchmarkAgreeTurns500 adds reading the
// project file).
func BenchmarkCompareTurns500(b *testing.B) {
	in := turnCorpus()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in.Unit = agreement.UnitTurn
		if _, err := agreement.Compare(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareChars500 and BenchmarkCompareSegments500: the same
// corpus by character and by segment.
func BenchmarkCompareChars500(b *testing.B) {
	in := turnCorpus()
	in.Unit = agreement.UnitChar
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := agreement.Compare(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompareSegments500(b *testing.B) {
	in := turnCorpus()
	in.Unit = agreement.UnitSegment
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := agreement.Compare(in); err != nil {
			b.Fatal(err)
		}
	}
}
