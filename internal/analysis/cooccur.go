package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
)

// CooccurTable is a code × code co-occurrence table over the codes of the
// report (codebook order), symmetric.
//
// Unit "turn": a turn is coded with a code when a coding of the code
// overlaps the turn's [Start, End) (an empty coding is the point at its
// start); a coding spanning several turns codes each of them. A document
// without turns is one unit; codings before the first turn (or in no
// turn) code no unit. Counts[i][j] is the number of turns coded with both
// codes; the diagonal the number of turns coded with the code.
//
// Unit "segment": two codings co-occur when their spans overlap. Counts[i][j]
// (i ≠ j) is the number of overlapping pairs of codings, one of each code,
// each unordered pair counted once; the diagonal is the number of codings
// of the code (overlaps between codings of the same code are not counted).
//
// Jaccard[i][j] = Counts[i][j] / (Counts[i][i] + Counts[j][j] − Counts[i][j]),
// 0 when the denominator is 0. With unit "segment" one long coding can
// overlap several codings of another code, so, as with ATLAS.ti's
// c-coefficient, the index can exceed 1; with unit "turn" it cannot.
type CooccurTable struct {
	Unit    string      `json:"unit"`
	Codes   []CodeInfo  `json:"codes"`
	Counts  [][]int     `json:"counts"`
	Jaccard [][]float64 `json:"jaccard"`
}

// Cooccur computes co-occurrence over unit "turn" (the default for "") or
// "segment" among the codes of root's subtree ("" = all codes). It sweeps
// each document once by position: O(n log n) in the codings plus the
// number of co-occurrences found.
func Cooccur(ds *Dataset, unit string, root string) (*CooccurTable, error) {
	unit, err := cooccurUnit(unit)
	if err != nil {
		return nil, err
	}
	tree := newCodeTree(ds)
	lo, hi, err := tree.scope(ds, root)
	if err != nil {
		return nil, err
	}
	n := hi - lo
	counts := make([]int, n*n)
	add := func(a, b int) {
		counts[a*n+b]++
		if a != b {
			counts[b*n+a]++
		}
	}
	forEachDocSegments(ds, tree, lo, hi, func(d int, segs []codedSeg) {
		if unit == "turn" {
			turnUnits(&ds.Docs[d], segs, func(_ int, codes []int) {
				for x, a := range codes {
					for _, b := range codes[x:] {
						add(a, b)
					}
				}
			})
			return
		}
		for _, s := range segs {
			counts[s.code*n+s.code]++
		}
		overlaps(segs, func(x, y codedSeg) {
			if x.code != y.code {
				add(x.code, y.code)
			}
		})
	})
	ct := &CooccurTable{Unit: unit, Codes: make([]CodeInfo, n), Counts: make([][]int, n), Jaccard: make([][]float64, n)}
	base := tree.baseDepth(lo, hi)
	for i := 0; i < n; i++ {
		ct.Codes[i] = tree.info(ds, lo+i, base)
		ct.Counts[i] = counts[i*n : (i+1)*n : (i+1)*n]
		ct.Jaccard[i] = make([]float64, n)
		for j := 0; j < n; j++ {
			both := counts[i*n+j]
			ct.Jaccard[i][j] = share(both, counts[i*n+i]+counts[j*n+j]-both)
		}
	}
	return ct, nil
}

// codedSeg is a coding inside a report's scope: its index in
// Dataset.Segments, its code relative to the scope, and its span.
type codedSeg struct {
	seg, code  int
	start, end int // end is effEnd
}

// forEachDocSegments calls f per document (in dataset order) with the
// codings of codes in [lo, hi), sorted by start, end, then index.
func forEachDocSegments(ds *Dataset, tree *codeTree, lo, hi int, f func(d int, segs []codedSeg)) {
	byDoc := make([][]codedSeg, len(ds.Docs))
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
		if lastC < lo || lastC >= hi || s.Doc < 0 || s.Doc >= len(ds.Docs) {
			continue
		}
		byDoc[s.Doc] = append(byDoc[s.Doc], codedSeg{seg: i, code: lastC - lo, start: s.Start, end: effEnd(s.Start, s.End)})
	}
	for d, segs := range byDoc {
		if len(segs) == 0 {
			continue
		}
		if !slices.IsSortedFunc(segs, cmpCoded) {
			slices.SortFunc(segs, cmpCoded)
		}
		f(d, segs)
	}
}

func cmpCoded(a, b codedSeg) int {
	if a.start != b.start {
		return cmp.Compare(a.start, b.start)
	}
	if a.end != b.end {
		return cmp.Compare(a.end, b.end)
	}
	return cmp.Compare(a.seg, b.seg)
}

// overlaps calls f(x, y) for every pair of overlapping codings (x before
// y in segs order), sweeping by start with the list of codings still open.
func overlaps(segs []codedSeg, f func(x, y codedSeg)) {
	var active []codedSeg
	for _, y := range segs {
		k := 0
		for _, x := range active {
			if x.end > y.start {
				active[k] = x
				k++
				f(x, y)
			}
		}
		active = append(active[:k], y)
	}
}

// turnUnits calls f for each unit (turn index; 0 for a document without
// turns) of the document coded with at least one code, with the distinct
// codes (scope-relative, ascending) coding it. segs are sorted by start.
func turnUnits(doc *Doc, segs []codedSeg, f func(unit int, codes []int)) {
	var pairs []uint64 // unit<<32 | code
	if len(doc.Turns) == 0 {
		for _, s := range segs {
			pairs = append(pairs, uint64(s.code))
		}
	} else {
		turns := doc.Turns
		order := make([]int, len(turns))
		for i := range order {
			order[i] = i
		}
		sorted := sort.SliceIsSorted(order, func(a, b int) bool { return turns[order[a]].Start < turns[order[b]].Start })
		if !sorted {
			sort.SliceStable(order, func(a, b int) bool { return turns[order[a]].Start < turns[order[b]].Start })
		}
		// maxEnd[k] is the largest end among the first k+1 turns, so a
		// binary search finds the first turn that can reach a position.
		maxEnd := make([]int, len(order))
		m := 0
		for k, ti := range order {
			m = max(m, effEnd(turns[ti].Start, turns[ti].End))
			maxEnd[k] = m
		}
		for _, s := range segs {
			k := sort.SearchInts(maxEnd, s.start+1) // first k with maxEnd[k] > s.start
			for ; k < len(order) && turns[order[k]].Start < s.end; k++ {
				tu := turns[order[k]]
				if effEnd(tu.Start, tu.End) > s.start {
					pairs = append(pairs, uint64(order[k])<<32|uint64(s.code))
				}
			}
		}
	}
	slices.Sort(pairs)
	pairs = slices.Compact(pairs)
	var codes []int
	for i := 0; i < len(pairs); {
		u := pairs[i] >> 32
		codes = codes[:0]
		for ; i < len(pairs) && pairs[i]>>32 == u; i++ {
			codes = append(codes, int(uint32(pairs[i])))
		}
		f(int(u), codes)
	}
}

// cooccurUnit checks a co-occurrence unit; "" means "turn".
func cooccurUnit(unit string) (string, error) {
	switch unit {
	case "":
		return "turn", nil
	case "turn", "segment":
		return unit, nil
	}
	return "", fmt.Errorf("co-occurrence unit %q is not turn or segment", unit)
}
