package analysis

import (
	"cmp"
	"slices"
	"strings"
)

// QuoteOptions select the quotes report.
type QuoteOptions struct {
	Root string // a code and its subtree; "" = every code
	By   string // group each code's quotes by an attribute ("role", "site"; several comma-separated); "" = no grouping
	// Max limits the quotes per code (per code and group with By); 0 = all.
	Max int
}

// QuoteGroup is the quotes of one code (and group).
type QuoteGroup struct {
	CodeInfo
	Group  string      `json:"group,omitempty"` // the By value(s), GroupSep-joined, "(none)" when empty
	Total  int         `json:"total"`           // quotes before Max
	Quotes []QuoteItem `json:"quotes"`
}

// QuoteItem is one coded excerpt.
type QuoteItem struct {
	Segment    int    `json:"segment"` // index into Dataset.Segments
	CodingID   string `json:"coding"`
	Text       string `json:"text"` // the coded span, spaces trimmed; "" without Dataset.Text
	Document   string `json:"document"`
	DocumentID string `json:"document_id"`
	Speaker    string `json:"speaker,omitempty"` // participant label (id when unlabelled)
	SpeakerID  string `json:"speaker_id,omitempty"`
	Role       string `json:"role,omitempty"` // Dataset.Attr "role"
	Site       string `json:"site,omitempty"` // Dataset.Attr "site"
	Turn       int    `json:"turn"`           // 1-based; 0 before the first turn
	Start      int    `json:"start"`          // rune offsets
	End        int    `json:"end"`
	TimeMS     int64  `json:"time_ms"` // the turn's media time; -1 when unknown
	Coder      string `json:"coder,omitempty"`
	Memo       string `json:"memo,omitempty"`
}

// Quotes lists every coding as a quote, grouped by code in codebook order,
// then (with By) by group value in natural order, "(none)" last; codes and
// groups without quotes are left out. Within a group quotes are ordered by
// document name (natural order), then start, end, coder and coding order.
//
// With Max, a group keeps at most Max quotes chosen round-robin over its
// documents: the first quote of each document in name order, then the
// second of each, and so on, so that one talkative document does not crowd
// out the others; the chosen quotes keep the order above.
func Quotes(ds *Dataset, opt QuoteOptions) ([]QuoteGroup, error) {
	lists, err := QuoteLists(ds, opt)
	if err != nil {
		return nil, err
	}
	out := make([]QuoteGroup, 0, len(lists))
	for i := range lists {
		l := &lists[i]
		g := QuoteGroup{CodeInfo: l.CodeInfo, Group: l.Group, Total: l.Total, Quotes: make([]QuoteItem, l.Len())}
		for j := range g.Quotes {
			g.Quotes[j] = l.Item(j)
		}
		out = append(out, g)
	}
	return out, nil
}

// QuoteList is the quotes of one code (and group), as Quotes selects and
// orders them, made one at a time by Item: a report of a million quotes can
// be written without holding them all. The lists of one QuoteLists call
// share a cache: use them from one goroutine.
type QuoteList struct {
	CodeInfo
	Group string // as QuoteGroup.Group
	Total int    // quotes before Max

	q    *quoter
	refs []quoteRef    // the first coding of each excerpt, in report order
	same map[int][]int // by first coding, the others on the same span
}

// quoteRef is a coding in a quote list with what ordering and quoting it
// need at hand: at a million codings, reading the codings themselves
// (spread over memory) in list order is what takes the time.
type quoteRef struct {
	seg        int // index into Dataset.Segments
	rank       int // of its document, in name order
	start, end int // rune offsets
	bs, be     int // byte offsets into the document's text (with Dataset.Text)
}

// Len is the number of quotes in the list.
func (l *QuoteList) Len() int { return len(l.refs) }

// Item makes the list's j-th quote.
func (l *QuoteList) Item(j int) QuoteItem {
	r := &l.refs[j]
	q := l.q.item(r)
	for _, other := range l.same[r.seg] {
		o := &l.q.ds.Segments[other]
		q.Coder += ", " + o.Coder
		if o.Memo != "" && !strings.Contains(q.Memo, o.Memo) {
			q.Memo = strings.TrimPrefix(q.Memo+" / "+o.Memo, " / ")
		}
	}
	return q
}

// QuoteLists selects and orders the quotes exactly as Quotes does, without
// making them: one list per code (and group).
func QuoteLists(ds *Dataset, opt QuoteOptions) ([]QuoteList, error) {
	tree := newCodeTree(ds)
	lo, hi, err := tree.scope(ds, opt.Root)
	if err != nil {
		return nil, err
	}
	by := SplitBy(opt.By)
	docRank := docOrder(ds)

	// Bucket the codings by code and group: a first pass finds and counts
	// each coding's bucket, a second fills buckets made to size (appending
	// to a slice of a million allocates about five times its size).
	type bucket struct {
		parts  []string
		id     int32 // its place in all, plus one
		n      int   // codings
		refs   []quoteRef
		sorted bool // refs are in quote order so far
	}
	buckets := make([]map[string]*bucket, hi-lo)
	var all []*bucket
	in := make([]int32, len(ds.Segments)) // each coding's bucket in all, plus one; 0 for none
	type keyParts struct {
		key   string
		parts []string
	}
	keyCache, cacheDoc := map[string]keyParts{}, -1 // per speaker in document cacheDoc
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
		key, parts := "", []string(nil)
		if len(by) > 0 {
			if s.Doc != cacheDoc {
				clear(keyCache)
				cacheDoc = s.Doc
			}
			kp, ok := keyCache[s.ParticipantID]
			if !ok {
				kp.parts = groupParts(ds, s.ParticipantID, &ds.Docs[s.Doc], by)
				kp.key = strings.Join(kp.parts, GroupSep)
				keyCache[s.ParticipantID] = kp
			}
			key, parts = kp.key, kp.parts
		}
		m := buckets[lastC-lo]
		if m == nil {
			m = map[string]*bucket{}
			buckets[lastC-lo] = m
		}
		b := m[key]
		if b == nil {
			all = append(all, &bucket{parts: parts, id: int32(len(all) + 1), sorted: true})
			b = all[len(all)-1]
			m[key] = b
		}
		b.n++
		in[i] = b.id
	}
	for _, b := range all {
		b.refs = make([]quoteRef, 0, b.n)
	}
	var runeAt []int // byte offset of each rune of document textDoc, and of its end
	textDoc := -1
	for i, k := range in {
		if k == 0 {
			continue
		}
		b, s := all[k-1], &ds.Segments[i]
		r := quoteRef{seg: i, rank: docRank[s.Doc], start: s.Start, end: s.End}
		if ds.Text != nil {
			if s.Doc != textDoc { // codings come by document: one scan of each text
				textDoc = s.Doc
				runeAt = runeOffsets(runeAt[:0], ds.Text(textDoc))
			}
			r.bs = runeAt[min(max(s.Start, 0), len(runeAt)-1)]
			r.be = runeAt[min(max(s.End, 0), len(runeAt)-1)]
		}
		if n := len(b.refs); n > 0 && b.sorted && compareRefs(ds, &b.refs[n-1], &r) > 0 {
			b.sorted = false
		}
		b.refs = append(b.refs, r)
	}

	q := &quoter{ds: ds, speakers: make([][]speakerInfo, len(ds.Docs))}
	out := []QuoteList{}
	base := tree.baseDepth(lo, hi)
	for i := lo; i < hi; i++ {
		m := buckets[i-lo]
		if len(m) == 0 {
			continue
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return compareParts(m[a].parts, m[b].parts) })
		info := tree.info(ds, i, base)
		for _, k := range keys {
			refs := m[k].refs
			if !m[k].sorted { // codings come ordered by document and start, not always by end
				slices.SortFunc(refs, func(a, b quoteRef) int { return compareRefs(ds, &a, &b) })
			}
			refs, same := sameSpan(refs)
			total := len(refs)
			if opt.Max > 0 && len(refs) > opt.Max {
				refs = roundRobin(refs, opt.Max)
			}
			out = append(out, QuoteList{CodeInfo: info, Group: k, Total: total, q: q, refs: refs, same: same})
		}
	}
	return out, nil
}

// compareRefs orders quotes by document name, start, end, coder and
// coding order.
func compareRefs(ds *Dataset, a, b *quoteRef) int {
	if c := cmp.Compare(a.rank, b.rank); c != 0 {
		return c
	}
	if c := cmp.Compare(a.start, b.start); c != 0 {
		return c
	}
	if c := cmp.Compare(a.end, b.end); c != 0 {
		return c
	}
	if c := strings.Compare(ds.Segments[a.seg].Coder, ds.Segments[b.seg].Coder); c != 0 {
		return c
	}
	return cmp.Compare(a.seg, b.seg)
}

// runeOffsets appends the byte offset of each rune of text, and its length.
func runeOffsets(at []int, text string) []int {
	for b := range text {
		at = append(at, b)
	}
	return append(at, len(text))
}

// sameSpan folds codings of one code on exactly the same span (the same
// passage double-coded by several coders) into one excerpt: a quote report
// shows each passage once, naming every coder and memo. refs must be
// sorted by document, start and end. It returns the first coding of each
// span and, by that coding, the others.
func sameSpan(refs []quoteRef) ([]quoteRef, map[int][]int) {
	var same map[int][]int
	out := refs[:0]
	for _, r := range refs {
		if n := len(out); n > 0 {
			if first := &out[n-1]; r.rank == first.rank && r.start == first.start && r.end == first.end {
				if same == nil {
					same = map[int][]int{}
				}
				same[first.seg] = append(same[first.seg], r.seg)
				continue
			}
		}
		out = append(out, r)
	}
	return out, same
}

// docOrder ranks documents by name in natural order, ties by id.
func docOrder(ds *Dataset) []int {
	order := make([]int, len(ds.Docs))
	for i := range order {
		order[i] = i
	}
	sortInts(order, func(a, b int) int {
		if c := NaturalCompare(ds.Docs[a].Name, ds.Docs[b].Name); c != 0 {
			return c
		}
		return strings.Compare(ds.Docs[a].ID, ds.Docs[b].ID)
	})
	rank := make([]int, len(ds.Docs))
	for k, d := range order {
		rank[d] = k
	}
	return rank
}

// roundRobin picks max of refs (sorted by document, then position):
// the first of each document, then the second of each, ... It returns them
// in the original order.
func roundRobin(refs []quoteRef, max int) []quoteRef {
	var runs [][]quoteRef // per document, in order
	for i := 0; i < len(refs); {
		j := i
		for j < len(refs) && refs[j].rank == refs[i].rank {
			j++
		}
		runs = append(runs, refs[i:j])
		i = j
	}
	picked := make([]bool, len(refs))
	n := 0
	for round := 0; n < max; round++ {
		for r, off := 0, 0; r < len(runs) && n < max; r++ {
			if round < len(runs[r]) {
				picked[off+round] = true
				n++
			}
			off += len(runs[r])
		}
	}
	out := make([]quoteRef, 0, max)
	for k, r := range refs {
		if picked[k] {
			out = append(out, r)
		}
	}
	return out
}

// quoter makes quote items, remembering the speaker fields of each
// participant in each document.
type quoter struct {
	ds       *Dataset
	speakers [][]speakerInfo // by document, a few speakers each
}

type speakerInfo struct{ pid, speaker, role, site string }

func (c *quoter) speaker(s *Segment) *speakerInfo {
	ss := c.speakers[s.Doc]
	for i := range ss {
		if ss[i].pid == s.ParticipantID {
			return &ss[i]
		}
	}
	ds := c.ds
	info := speakerInfo{pid: s.ParticipantID, role: ds.Attr(s, "role"), site: ds.Attr(s, "site")}
	if s.ParticipantID != "" {
		info.speaker = ds.People[s.ParticipantID].Label
		if info.speaker == "" {
			info.speaker = s.ParticipantID
		}
	}
	c.speakers[s.Doc] = append(ss, info)
	return &c.speakers[s.Doc][len(ss)]
}

func (c *quoter) item(r *quoteRef) QuoteItem {
	ds := c.ds
	s := &ds.Segments[r.seg]
	d := &ds.Docs[s.Doc]
	info := c.speaker(s)
	q := QuoteItem{Segment: r.seg, CodingID: s.CodingID, Document: d.Name, DocumentID: d.ID, SpeakerID: s.ParticipantID,
		Speaker: info.speaker, Role: info.role, Site: info.site, Start: s.Start, End: s.End, TimeMS: -1, Coder: s.Coder, Memo: s.Memo}
	if s.Turn >= 0 && s.Turn < len(d.Turns) {
		q.Turn = s.Turn + 1
		q.TimeMS = d.Turns[s.Turn].TimeMS
	}
	if r.be > r.bs {
		q.Text = strings.TrimSpace(ds.Text(s.Doc)[r.bs:r.be])
	}
	return q
}
