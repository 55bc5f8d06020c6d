// Package synth generates the deterministic synthetic corpus that qcode's
// benchmarks measure (docs/PERFORMANCE.md): interview transcripts of
// alternating Interviewer / Pn turns of 20-120 words drawn from a fixed
// vocabulary with non-ASCII words, and random codings by two coders. The
// same arguments always give the same corpus.
package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/project"
)

var vocabulary = strings.Fields(`the referral came from my care coordinator and NAV said
the allowance would stop if I worked more than a few hours employer contact
job search disclosure team meeting Tromsø follow-along support café bakery
warehouse shift manager benefits fear ready readiness stable medication travel
distance bus ferry rural urban specialist consent information record`)

// Transcript returns interview number doc of about words words.
func Transcript(r *rand.Rand, doc, words int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Synthetic interview %d\n\n", doc)
	speaker := fmt.Sprintf("P%d", doc%300+1)
	for n, turn := 0, 0; n < words; turn++ {
		label := "Interviewer"
		if turn%2 == 1 {
			label = speaker
		}
		k := 20 + r.IntN(100)
		b.WriteString(label + ":")
		for i := 0; i < k; i++ {
			b.WriteString(" " + vocabulary[r.IntN(len(vocabulary))])
		}
		b.WriteString(".\n")
		n += k
	}
	return b.String()
}

// WriteCorpus writes docs transcripts of about words words into dir and
// returns their paths.
func WriteCorpus(dir string, docs, words int) ([]string, error) {
	r := rand.New(rand.NewPCG(1, 2))
	var paths []string
	for i := 0; i < docs; i++ {
		p := filepath.Join(dir, fmt.Sprintf("interview-%04d.txt", i))
		if err := os.WriteFile(p, []byte(Transcript(r, i, words)), 0o600); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// Codebook is 30 codes under 5 themes, barriers and facilitators linked to
// IPS-25 items.
func Codebook() *codebook.Codebook {
	cb := &codebook.Codebook{Name: "synthetic"}
	for t := 0; t < 5; t++ {
		theme := codebook.Code{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", 900+t), Name: fmt.Sprintf("Theme %d", t), Grouping: true}
		cb.Codes = append(cb.Codes, theme)
		for i := 0; i < 6; i++ {
			n := t*6 + i
			pol := codebook.PolarityBarrier
			if n%2 == 1 {
				pol = codebook.PolarityFacilitator
			}
			cb.Codes = append(cb.Codes, codebook.Code{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), ParentID: theme.ID, Name: fmt.Sprintf("Code %d", n),
				Polarity: pol, Links: []string{fmt.Sprintf("ips25:%d", n%25+1)}, Description: "Synthetic."})
		}
	}
	return cb
}

// Project creates a project at path with the corpus in dir (docs × words),
// the synthetic codebook, participants in three roles at ten sites, and n
// random codings by two coders (no coder codes the same span twice).
func Project(path, dir string, docs, words, n int) (*project.Project, error) {
	paths, err := WriteCorpus(dir, docs, words)
	if err != nil {
		return nil, err
	}
	p, err := project.Create(path)
	if err != nil {
		return nil, err
	}
	var people []project.ParticipantRow
	for i := 1; i <= 300; i++ {
		people = append(people, project.ParticipantRow{Label: fmt.Sprintf("P%d", i), Attributes: map[string]string{
			"role": []string{"staff", "patient", "employer"}[i%3], "site": fmt.Sprintf("Site %d", i%10)}})
	}
	if _, err := p.Import(paths, project.ImportOptions{Participants: people}); err != nil {
		p.Close()
		return nil, err
	}
	cb := Codebook()
	if err := p.AddCodebook(cb); err != nil {
		p.Close()
		return nil, err
	}
	if n == 0 {
		return p, nil
	}
	if _, err := p.CodeAll(Requests(p, cb, n)); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Requests returns n random coding requests over the project's documents.
func Requests(p *project.Project, cb *codebook.Codebook, n int) []project.CodeRequest {
	docs, _ := p.Documents()
	var leaves []codebook.Code
	for _, c := range cb.Codes {
		if !c.Grouping {
			leaves = append(leaves, c)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	seen := map[[5]int]bool{}
	var reqs []project.CodeRequest
	for len(reqs) < n {
		di, ci, coder := r.IntN(len(docs)), r.IntN(len(leaves)), r.IntN(2)
		d := docs[di]
		s := r.IntN(max(1, d.Runes-200))
		e := s + 20 + r.IntN(180)
		if key := [5]int{di, ci, coder, s, e}; !seen[key] {
			seen[key] = true
			reqs = append(reqs, project.CodeRequest{Doc: d.ID, Code: leaves[ci].ID, Coder: []string{"amina", "jonas"}[coder], Target: project.Target{Range: &[2]int{s, e}}})
		}
	}
	return reqs
}
