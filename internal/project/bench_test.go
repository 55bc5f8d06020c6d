package project

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/codebook"
)

// Synthetic corpus for benchmarks (documented in docs/PERFORMANCE.md):
// transcripts of alternating Interviewer / participant turns of 20-120
// words drawn from a fixed vocabulary with a seeded generator, so every run
// sees the same text.
var benchWords = strings.Fields(`the referral came from my care coordinator and NAV said
the allowance would stop if I worked more than a few hours employer contact
job search disclosure team meeting Tromsø follow-along support café bakery
warehouse shift manager benefits fear ready readiness stable medication travel
distance bus ferry rural urban specialist consent information record`)

func synthTranscript(r *rand.Rand, doc, words int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Synthetic interview %d\n\n", doc)
	speaker := fmt.Sprintf("P%d", doc%40+1)
	for n, turn := 0, 0; n < words; turn++ {
		label := "Interviewer"
		if turn%2 == 1 {
			label = speaker
		}
		k := 20 + r.IntN(100)
		b.WriteString(label + ":")
		for i := 0; i < k; i++ {
			b.WriteString(" " + benchWords[r.IntN(len(benchWords))])
		}
		b.WriteString(".\n")
		n += k
	}
	return b.String()
}

func writeCorpus(b *testing.B, docs, words int) []string {
	b.Helper()
	dir := b.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	var paths []string
	for i := 0; i < docs; i++ {
		p := filepath.Join(dir, fmt.Sprintf("interview-%03d.txt", i))
		if err := os.WriteFile(p, []byte(synthTranscript(r, i, words)), 0o600); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// BenchmarkImport60x8000: a typical study, 60 one-hour interviews of about
// 8,000 words, imported in one call.
func BenchmarkImport60x8000(b *testing.B) {
	paths := writeCorpus(b, 60, 8000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := Create(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := p.Import(paths, ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p.Close()
		b.StartTimer()
	}
}

// BenchmarkCodeAll100k applies 100,000 codings in one transaction, as a
// bulk auto-coding or a REFI-QDA import does.
func BenchmarkCodeAll100k(b *testing.B) {
	paths := writeCorpus(b, 60, 8000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, reqs := codedCorpus(b, paths, 100_000)
		b.StartTimer()
		if _, err := p.CodeAll(reqs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p.Close()
		b.StartTimer()
	}
}

// BenchmarkCodings100k lists 100,000 codings over the 60-interview corpus
// with their text and speaker, as `qcode codings` does.
func BenchmarkCodings100k(b *testing.B) {
	paths := writeCorpus(b, 60, 8000)
	p, reqs := codedCorpus(b, paths, 100_000)
	defer p.Close()
	if _, err := p.CodeAll(reqs); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cs, err := p.Codings(CodingFilter{})
		if err != nil || len(cs) != 100_000 {
			b.Fatalf("%v, %d codings", err, len(cs))
		}
	}
}

// codedCorpus imports the corpus into a new project with 30 codes and
// returns n random coding requests by two coders.
func codedCorpus(b *testing.B, paths []string, n int) (*Project, []CodeRequest) {
	b.Helper()
	p, err := Create(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.Import(paths, ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	var codes []codebook.Code
	for i := 0; i < 30; i++ {
		codes = append(codes, codebook.Code{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Name: fmt.Sprintf("Code %d", i)})
	}
	if err := p.AddCodebook(&codebook.Codebook{Name: "bench", Codes: codes}); err != nil {
		b.Fatal(err)
	}
	docs, _ := p.Documents()
	r := rand.New(rand.NewPCG(3, 4))
	var reqs []CodeRequest
	seen := map[[5]int]bool{} // the same coder may not code the same span twice
	for len(reqs) < n {
		di, ci, coder := r.IntN(len(docs)), r.IntN(len(codes)), r.IntN(2)
		d := docs[di]
		s := r.IntN(d.Runes - 200)
		e := s + 20 + r.IntN(180)
		if key := [5]int{di, ci, coder, s, e}; !seen[key] {
			seen[key] = true
			reqs = append(reqs, CodeRequest{Doc: d.ID, Code: codes[ci].ID, Coder: []string{"amina", "jonas"}[coder], Target: Target{Range: &[2]int{s, e}}})
		}
	}
	return p, reqs
}

// BenchmarkDataset1M loads the report dataset of a project with 1,000,000
// codings over 2,000 documents (the scale of the report speed targets):
// the part of every `qcode report` that reads the project file.
func BenchmarkDataset1M(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a 1,000,000-coding project")
	}
	paths := writeCorpus(b, 2000, 600)
	p, reqs := codedCorpus(b, paths, 1_000_000)
	defer p.Close()
	if _, err := p.CodeAll(reqs); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ds, err := p.Dataset(ReportFilter{}, false)
		if err != nil || len(ds.Segments) != 1_000_000 {
			b.Fatalf("%v, %d segments", err, len(ds.Segments))
		}
	}
}
