package analysis

import (
	"fmt"
	"strings"
)

// Explain returns the codings (indices into ds.Segments, in dataset
// order) behind a frequency row without roll-up and with interviewers
// left out: for group "" every coding of the code (their number is the
// row's Segments, their distinct documents its Documents, their distinct
// non-interviewer speakers its Participants); for a group the codings of
// the group's participants (Groups[group].Segments of them, from
// Groups[group].Participants distinct speakers). An unknown code gives nil.
func Explain(ds *Dataset, codeID string, group string, by []string) []int {
	out, err := ExplainFreq(ds, codeID, group, FreqOptions{By: by})
	if err != nil {
		return nil
	}
	return out
}

// ExplainFreq is Explain for any FreqOptions (Root is ignored): with
// Rollup the codings of the code's whole subtree, with IncludeInterviewers
// interviewers' codings in groups too.
func ExplainFreq(ds *Dataset, codeID string, group string, opt FreqOptions) ([]int, error) {
	tree := newCodeTree(ds)
	lo, hi, err := tree.scope(ds, codeID)
	if err != nil {
		return nil, err
	}
	if !opt.Rollup {
		hi = lo + 1
	}
	by := cleanBy(opt.By)
	if group != "" && len(by) == 0 {
		return nil, fmt.Errorf("a group (%q) needs the attributes it is a value of", group)
	}
	out := []int{}
	inGroup := groupMatcher(ds, by, group, opt.IncludeInterviewers)
	forScopedSegments(ds, tree, func(i, c int) {
		if c >= lo && c < hi && inGroup(&ds.Segments[i]) {
			out = append(out, i)
		}
	})
	return out, nil
}

// groupMatcher tells whether a coding counts in group (every coding when
// group is ""): its speaker is a counted participant whose group in the
// coding's document is group.
func groupMatcher(ds *Dataset, by []string, group string, inclInt bool) func(s *Segment) bool {
	if group == "" {
		return func(*Segment) bool { return true }
	}
	type pd struct {
		pid string
		doc int
	}
	cache := map[pd]bool{}
	return func(s *Segment) bool {
		if s.ParticipantID == "" || (!inclInt && ds.People[s.ParticipantID].Interviewer()) {
			return false
		}
		k := pd{s.ParticipantID, s.Doc}
		v, ok := cache[k]
		if !ok {
			v = GroupKey(ds, s.ParticipantID, s.Doc, by) == group
			cache[k] = v
		}
		return v
	}
}

// forScopedSegments calls f for each coding with a code in the codebook
// and a valid document, with its code's position in the listing.
func forScopedSegments(ds *Dataset, tree *codeTree, f func(i, c int)) {
	lastCode, lastC := "", -1
	for i := range ds.Segments {
		s := &ds.Segments[i]
		if i == 0 || s.CodeID != lastCode {
			c, ok := tree.idx[s.CodeID]
			if !ok {
				c = -1
			}
			lastCode, lastC = s.CodeID, c
		}
		if lastC < 0 || s.Doc < 0 || s.Doc >= len(ds.Docs) {
			continue
		}
		f(i, lastC)
	}
}

// ExplainFidelity returns the codings behind a fidelity count: item is an
// item id ("ips25:13"); polarity is "barrier", "facilitator", "mixed",
// "unspecified", or "" / "total" for all; group "" for the overall
// counts, else a value of opt.By (which defaults to "site" when scores are
// recorded, as in Fidelity). For a joint-display cell pass By "site" and
// the site.
func ExplainFidelity(ds *Dataset, opt FidelityOptions, item, polarity, group string) ([]int, error) {
	s, err := newFidelitySetup(ds, opt.Framework)
	if err != nil {
		return nil, err
	}
	it, ok := s.fw.Item(item)
	if !ok {
		return nil, fmt.Errorf("%s has no item %q", s.fw.Name, item)
	}
	i := 0
	for k := range s.fw.Items {
		if s.fw.Items[k].ID == it.ID {
			i = k
		}
	}
	slot := slotTotal
	switch strings.ToLower(polarity) {
	case "", "total", "all":
	case "barrier":
		slot = slotBarrier
	case "facilitator":
		slot = slotFacilitator
	case "mixed":
		slot = slotMixed
	case "unspecified", "none":
		slot = slotUnspecified
	default:
		return nil, fmt.Errorf("polarity %q is not barrier, facilitator, mixed, unspecified or total", polarity)
	}
	by := SplitBy(opt.By)
	if len(by) == 0 {
		if _, sites := s.scores(ds); len(sites) > 0 {
			by = []string{"site"}
		}
	}
	if group != "" && len(by) == 0 {
		return nil, fmt.Errorf("a group (%q) needs the attributes it is a value of", group)
	}
	want := int32(i*nSlots + slot)
	inGroup := groupMatcher(ds, by, group, opt.IncludeInterviewers)
	out := []int{}
	forScopedSegments(ds, s.tree, func(k, c int) {
		for _, x := range s.tg[c] {
			if x == want {
				if inGroup(&ds.Segments[k]) {
					out = append(out, k)
				}
				return
			}
		}
	})
	return out, nil
}

// ExplainMatrix returns the codings behind a matrix cell: the code (with
// rollup, its subtree) and the column's key (MatrixColumn.Key).
func ExplainMatrix(ds *Dataset, cols, codeID, colKey string, rollup bool) ([]int, error) {
	tree := newCodeTree(ds)
	lo, hi, err := tree.scope(ds, codeID)
	if err != nil {
		return nil, err
	}
	if !rollup {
		hi = lo + 1
	}
	mc, err := newMatrixCols(ds, cols)
	if err != nil {
		return nil, err
	}
	col := -1
	for k, c := range mc.cols {
		if c.Key == colKey {
			col = k
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("no column %q in the %s matrix", colKey, cols)
	}
	out := []int{}
	forScopedSegments(ds, tree, func(i, c int) {
		if c >= lo && c < hi && mc.colOf(&ds.Segments[i]) == col {
			out = append(out, i)
		}
	})
	return out, nil
}

// ExplainCooccur returns the codings behind a co-occurrence count of codes
// a and b (ids): with unit "turn" the codings of either code overlapping a
// turn coded with both (for a == b, the codings of a that code a turn);
// with unit "segment" the codings of either code in an overlapping pair
// (for a == b, every coding of a). Sorted by dataset order.
func ExplainCooccur(ds *Dataset, unit, a, b string) ([]int, error) {
	unit, err := cooccurUnit(unit)
	if err != nil {
		return nil, err
	}
	tree := newCodeTree(ds)
	ia, _, err := tree.scope(ds, a)
	if err != nil {
		return nil, err
	}
	ib, _, err := tree.scope(ds, b)
	if err != nil {
		return nil, err
	}
	var picked []bool
	mark := func(i int) {
		if picked == nil {
			picked = make([]bool, len(ds.Segments))
		}
		picked[i] = true
	}
	forEachDocSegments(ds, tree, 0, len(tree.codes), func(d int, segs []codedSeg) {
		var mine []codedSeg
		for _, s := range segs {
			if s.code == ia || s.code == ib {
				mine = append(mine, s)
			}
		}
		if len(mine) == 0 {
			return
		}
		if unit == "segment" {
			if ia == ib {
				for _, s := range mine {
					mark(s.seg)
				}
				return
			}
			overlaps(mine, func(x, y codedSeg) {
				if x.code != y.code {
					mark(x.seg)
					mark(y.seg)
				}
			})
			return
		}
		both := map[int]bool{}
		turnUnits(&ds.Docs[d], mine, func(u int, codes []int) {
			if (ia == ib && len(codes) >= 1) || len(codes) == 2 {
				both[u] = true
			}
		})
		doc := &ds.Docs[d]
		for _, s := range mine {
			if len(doc.Turns) == 0 {
				if both[0] {
					mark(s.seg)
				}
				continue
			}
			for u, tu := range doc.Turns {
				if both[u] && tu.Start < s.end && effEnd(tu.Start, tu.End) > s.start {
					mark(s.seg)
					break
				}
			}
		}
	})
	out := []int{}
	for i, ok := range picked {
		if ok {
			out = append(out, i)
		}
	}
	return out, nil
}
