package project

import (
	"cmp"
	"slices"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/analysis"
	"github.com/qcode-qda/qcode/internal/store"
)

// ReportFilter narrows what a report counts. Empty fields match everything.
type ReportFilter struct {
	Docs   []string          // document references
	Kinds  []string          // document kinds
	Where  map[string]string // attribute = value: the speaker's participant attribute, else the document's
	Coders []string
}

// Dataset loads the snapshot reports compute from, with f applied. Texts
// are loaded only when withText is set (quote reports).
func (p *Project) Dataset(f ReportFilter, withText bool) (*analysis.Dataset, error) {
	ds := &analysis.Dataset{People: map[string]analysis.Person{}}
	var texts []string
	err := p.view(func(tx *store.Tx) error {
		cb, err := readCodebook(tx)
		if err != nil {
			return err
		}
		ds.Codebook, ds.Index = cb, codebook.NewIndex(cb.Codes)
		if ds.Scores, err = tx.FidelityScores(); err != nil {
			return err
		}
		people, err := tx.Participants()
		if err != nil {
			return err
		}
		for _, pp := range people {
			ds.People[pp.ID] = analysis.Person{ID: pp.ID, Label: pp.Label, Attrs: nonNilMap(pp.Attributes)}
		}
		docs, err := selectDocs(tx, f)
		if err != nil {
			return err
		}
		for _, d := range docs {
			ad := analysis.Doc{ID: d.ID, Name: d.Name, Kind: d.Kind, Attrs: nonNilMap(d.Attributes)}
			for _, t := range d.Turns {
				ad.Turns = append(ad.Turns, analysis.Turn{ParticipantID: t.ParticipantID, Start: t.Start, End: t.End, TimeMS: t.TimeMS})
			}
			ds.Docs = append(ds.Docs, ad)
			if withText {
				text, err := tx.Text(d.ID)
				if err != nil {
					return err
				}
				texts = append(texts, text)
			}
		}
		if ds.Segments, err = loadSegments(tx, ds, docs, f); err != nil {
			return err
		}
		if len(f.Where) > 0 {
			// Speakers outside the filter leave the group sizes too; their
			// turns stay (turn numbers must not shift) without a speaker.
			for di := range ds.Docs {
				for ti := range ds.Docs[di].Turns {
					t := &ds.Docs[di].Turns[ti]
					if !matchesWhere(ds, &analysis.Segment{Doc: di, ParticipantID: t.ParticipantID}, f.Where) {
						t.ParticipantID = ""
					}
				}
			}
		}
		return nil
	})
	if withText {
		ds.Text = func(doc int) string { return texts[doc] }
	}
	return ds, err
}

// loadSegments reads the codings of the selected documents as segments,
// ordered by document, then start, code, coder and id, with the speaker of
// the turn where each starts, and the coder and --where filters applied.
// Reports read every coding, so this is their hot path (see readSegments).
func loadSegments(tx *store.Tx, ds *analysis.Dataset, docs []Document, f ReportFilter) ([]analysis.Segment, error) {
	docIndex := make(map[string]int, len(docs))
	for i, d := range docs {
		docIndex[d.ID] = i
	}
	segs, first, err := readSegments(tx, docs, docIndex, f)
	if err != nil {
		return nil, err
	}
	out := segs[:0]
	for di := range docs {
		part := segs[first[di]:first[di+1]]
		slices.SortFunc(part, func(a, b analysis.Segment) int {
			// Not cmp.Or: it would evaluate every string comparison even
			// when the starts differ, which they almost always do.
			if a.Start != b.Start {
				return cmp.Compare(a.Start, b.Start)
			}
			return cmp.Or(strings.Compare(a.CodeID, b.CodeID), strings.Compare(a.Coder, b.Coder), strings.Compare(a.CodingID, b.CodingID))
		})
		turns := docs[di].Turns
		for _, sg := range part {
			if sg.Turn = turnIndexAt(turns, sg.Start); sg.Turn >= 0 {
				sg.ParticipantID = turns[sg.Turn].ParticipantID
			}
			if matchesWhere(ds, &sg, f.Where) {
				out = append(out, sg) // in place: out never passes the segment being read
			}
		}
	}
	return out, nil
}

// readSegments returns the selected codings grouped by document (those of
// document i are segs[first[i]:first[i+1]]). For a full pass it counts
// codings per document first, reading only their document ids, so each
// coding is then decoded straight into its final place: no second copy
// of a million segments, and no random shuffling of them.
func readSegments(tx *store.Tx, docs []Document, docIndex map[string]int, f ReportFilter) ([]analysis.Segment, []int, error) {
	keep := func(c *Coding) bool {
		return len(f.Coders) == 0 || containsFold(f.Coders, c.Coder)
	}
	segment := func(c *Coding, di int) analysis.Segment {
		return analysis.Segment{CodingID: c.ID, Doc: di, CodeID: c.CodeID, Start: c.Start, End: c.End, Coder: c.Coder, Memo: c.Memo}
	}
	first := make([]int, len(docs)+1)
	if len(f.Docs) > 0 {
		var segs []analysis.Segment
		for di, d := range docs {
			cs, err := tx.CodingsOfDocument(d.ID)
			if err != nil {
				return nil, nil, err
			}
			for i := range cs {
				if keep(&cs[i]) {
					segs = append(segs, segment(&cs[i], di))
				}
			}
			first[di+1] = len(segs)
		}
		return segs, first, nil
	}
	if err := tx.ForEachCodingFields(func(c *store.CodingFields) error {
		if di, ok := docIndex[string(c.DocID)]; ok { // no allocation for the lookup
			first[di+1]++
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	for i := 1; i < len(first); i++ {
		first[i] += first[i-1]
	}
	segs := make([]analysis.Segment, first[len(docs)])
	next := append([]int(nil), first[:len(docs)]...)
	shared := map[string]string{} // code ids and coders: few distinct values
	share := func(b []byte) string {
		if s, ok := shared[string(b)]; ok {
			return s
		}
		s := string(b)
		shared[s] = s
		return s
	}
	err := tx.ForEachCodingFields(func(c *store.CodingFields) error {
		di, ok := docIndex[string(c.DocID)]
		if !ok {
			return nil
		}
		sg := &segs[next[di]]
		*sg = analysis.Segment{CodingID: string(c.ID), Doc: di, CodeID: share(c.CodeID), Start: c.Start, End: c.End, Coder: share(c.Coder)}
		if len(c.Memo) > 0 {
			sg.Memo = string(c.Memo)
		}
		next[di]++
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	// Drop the codings the coder filter leaves out, keeping the grouping.
	if len(f.Coders) > 0 {
		out, start := segs[:0], 0
		for di := range docs {
			for _, sg := range segs[first[di]:first[di+1]] {
				if containsFold(f.Coders, sg.Coder) {
					out = append(out, sg)
				}
			}
			first[di], start = start, len(out)
		}
		first[len(docs)] = start
		segs = out
	}
	return segs, first, nil
}

// selectDocs applies the document filters, in name order.
func selectDocs(tx *store.Tx, f ReportFilter) ([]Document, error) {
	var docs []Document
	if len(f.Docs) > 0 {
		var err error
		if docs, err = findDocuments(tx, f.Docs); err != nil {
			return nil, err
		}
	} else {
		var err error
		if docs, err = tx.Documents(); err != nil {
			return nil, err
		}
	}
	for _, k := range f.Kinds {
		if !slices.Contains(Kinds, k) {
			return nil, userErr("document kind %q is not one of %s", k, strings.Join(Kinds, ", "))
		}
	}
	out := docs[:0]
	for _, d := range docs {
		if len(f.Kinds) == 0 || slices.Contains(f.Kinds, d.Kind) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b Document) int {
		if naturalLess(a.Name, b.Name) {
			return -1
		}
		if naturalLess(b.Name, a.Name) {
			return 1
		}
		return 0
	})
	return out, nil
}

func matchesWhere(ds *analysis.Dataset, s *analysis.Segment, where map[string]string) bool {
	for k, v := range where {
		if !strings.EqualFold(ds.Attr(s, k), v) {
			return false
		}
	}
	return true
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// findDocuments resolves document references (see findDocument), each
// document once, in the order first named.
func findDocuments(tx *store.Tx, refs []string) ([]Document, error) {
	var docs []Document
	seen := map[string]bool{}
	for _, ref := range refs {
		d, err := findDocument(tx, ref)
		if err != nil {
			return nil, err
		}
		if !seen[d.ID] {
			seen[d.ID] = true
			docs = append(docs, d)
		}
	}
	return docs, nil
}
