package synth

import (
	"math/rand/v2"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/project"
)

// DoubleCoding returns coding requests for several coders who each code
// every document of the project by whole turns, as in a double-coding
// exercise: 30 % of turns carry a "true" code, which each coder applies
// with probability 0.8 (else another random code), and each coder adds a
// stray code to 3 % of the other turns. The same project and coders
// always give the same requests.
func DoubleCoding(p *project.Project, cb *codebook.Codebook, coders []string) []project.CodeRequest {
	docs, _ := p.Documents()
	var leaves []codebook.Code
	for _, c := range cb.Codes {
		if !c.Grouping {
			leaves = append(leaves, c)
		}
	}
	r := rand.New(rand.NewPCG(9, 10))
	var reqs []project.CodeRequest
	for _, d := range docs {
		for turn := 1; turn <= len(d.Turns); turn++ {
			coded := r.Float64() < 0.3
			truth := r.IntN(len(leaves))
			for _, coder := range coders {
				code := -1
				switch {
				case coded && r.Float64() < 0.8:
					code = truth
				case coded, r.Float64() < 0.03:
					code = r.IntN(len(leaves))
				}
				if code >= 0 {
					reqs = append(reqs, project.CodeRequest{Doc: d.ID, Code: leaves[code].ID, Coder: coder, Target: project.Target{Turn: turn}})
				}
			}
		}
	}
	return reqs
}
