package project

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/qcode-qda/qcode/internal/store"
)

// DefaultConsensusCoder is the coder name under which a review's decisions
// are stored.
const DefaultConsensusCoder = "consensus"

// Resolution is one decision of a disagreement review: for a code and a
// span of a document (a disagreement's unit), the consensus coder takes
// the codings of the coders in Take (none: the code does not apply there).
type Resolution struct {
	Doc        string // document reference
	CodeID     string
	Start, End int
	Take       []string // coders whose codings of the code over the span are adopted
	Consensus  string   // the consensus coder; "" means DefaultConsensusCoder
}

// Resolve stores a decision in one transaction: the consensus coder's
// codings of the code that overlap the span are replaced by copies of the
// chosen coders' codings there (overlapping ones joined into one span, so
// that taking both coders gives their union). Deciding again replaces the
// earlier decision. It returns what was removed and added.
func (p *Project) Resolve(r Resolution) (removed, added []Coding, err error) {
	cons := strings.TrimSpace(r.Consensus)
	if cons == "" {
		cons = DefaultConsensusCoder
	}
	err = p.update(func(tx *store.Tx) error {
		removed, added = nil, nil
		d, err := findDocument(tx, r.Doc)
		if err != nil {
			return err
		}
		cs, err := tx.CodingsOfDocument(d.ID)
		if err != nil {
			return err
		}
		var spans [][2]int
		for _, c := range cs {
			if c.CodeID != r.CodeID || c.Start >= r.End || c.End <= r.Start {
				continue
			}
			switch {
			case strings.EqualFold(c.Coder, cons):
				removed = append(removed, c)
			case containsFold(r.Take, c.Coder):
				spans = append(spans, [2]int{c.Start, c.End})
			}
		}
		for _, c := range removed {
			if err := tx.DeleteCoding(c.ID); err != nil {
				return err
			}
		}
		now := time.Now().UTC()
		for _, s := range unionSpans(spans) {
			added = append(added, Coding{ID: uuid.NewString(), DocID: d.ID, CodeID: r.CodeID, Start: s[0], End: s[1], Coder: cons, Created: now, Updated: now})
		}
		return tx.PutCodings(added)
	})
	return removed, added, err
}

// unionSpans joins overlapping or touching spans.
func unionSpans(spans [][2]int) [][2]int {
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	var out [][2]int
	for _, s := range spans {
		if n := len(out); n > 0 && s[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], s[1])
			continue
		}
		out = append(out, s)
	}
	return out
}
