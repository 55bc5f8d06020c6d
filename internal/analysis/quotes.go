package analysis

import (
	"slices"
	"strings"
	"unicode/utf8"
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
	tree := newCodeTree(ds)
	lo, hi, err := tree.scope(ds, opt.Root)
	if err != nil {
		return nil, err
	}
	by := SplitBy(opt.By)
	docRank := docOrder(ds)

	// Bucket the codings by code and group.
	type bucket struct {
		parts []string
		segs  []int
	}
	buckets := make([]map[string]*bucket, hi-lo)
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
			b = &bucket{parts: parts}
			m[key] = b
		}
		b.segs = append(b.segs, i)
	}

	bySeg := func(a, b int) int {
		sa, sb := &ds.Segments[a], &ds.Segments[b]
		if c := cmpInt(docRank[sa.Doc], docRank[sb.Doc]); c != 0 {
			return c
		}
		if c := cmpInt(sa.Start, sb.Start); c != 0 {
			return c
		}
		if c := cmpInt(sa.End, sb.End); c != 0 {
			return c
		}
		if c := strings.Compare(sa.Coder, sb.Coder); c != 0 {
			return c
		}
		return cmpInt(a, b)
	}
	out := []QuoteGroup{}
	base := tree.baseDepth(lo, hi)
	sp := newSpeakerCache(ds)
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
			segs := m[k].segs
			slices.SortFunc(segs, bySeg)
			segs, same := sameSpan(ds, segs)
			total := len(segs)
			if opt.Max > 0 && len(segs) > opt.Max {
				segs = roundRobin(ds, segs, opt.Max)
			}
			qg := QuoteGroup{CodeInfo: info, Group: k, Total: total, Quotes: make([]QuoteItem, len(segs))}
			for j, si := range segs {
				qg.Quotes[j] = sp.quoteItem(si)
				for _, other := range same[si] {
					o := &ds.Segments[other]
					qg.Quotes[j].Coder += ", " + o.Coder
					if o.Memo != "" && !strings.Contains(qg.Quotes[j].Memo, o.Memo) {
						qg.Quotes[j].Memo = strings.TrimPrefix(qg.Quotes[j].Memo+" / "+o.Memo, " / ")
					}
				}
			}
			out = append(out, qg)
		}
	}
	fillTexts(ds, out)
	return out, nil
}

// sameSpan folds codings of one code on exactly the same span (the same
// passage double-coded by several coders) into one excerpt: a quote report
// shows each passage once, naming every coder and memo. segs must be
// sorted by document, start and end. It returns the first coding of each
// span and, by that coding, the others.
func sameSpan(ds *Dataset, segs []int) ([]int, map[int][]int) {
	var same map[int][]int
	out := segs[:0]
	for _, si := range segs {
		if n := len(out); n > 0 {
			first := &ds.Segments[out[n-1]]
			if s := &ds.Segments[si]; s.Doc == first.Doc && s.Start == first.Start && s.End == first.End {
				if same == nil {
					same = map[int][]int{}
				}
				same[out[n-1]] = append(same[out[n-1]], si)
				continue
			}
		}
		out = append(out, si)
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

// roundRobin picks max of segs (sorted by document, then position):
// the first of each document, then the second of each, ... It returns them
// in the original order.
func roundRobin(ds *Dataset, segs []int, max int) []int {
	var runs [][]int // per document, in order
	for i := 0; i < len(segs); {
		j := i
		for j < len(segs) && ds.Segments[segs[j]].Doc == ds.Segments[segs[i]].Doc {
			j++
		}
		runs = append(runs, segs[i:j])
		i = j
	}
	picked := make([]bool, len(segs))
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
	out := make([]int, 0, max)
	for k, si := range segs {
		if picked[k] {
			out = append(out, si)
		}
	}
	return out
}

// speakerCache remembers the speaker fields of a participant in a
// document.
type speakerCache struct {
	ds *Dataset
	m  map[speakerKey]speakerInfo
}

type speakerKey struct {
	pid string
	doc int
}

type speakerInfo struct{ speaker, role, site string }

func newSpeakerCache(ds *Dataset) *speakerCache {
	return &speakerCache{ds: ds, m: map[speakerKey]speakerInfo{}}
}

func (c *speakerCache) quoteItem(si int) QuoteItem {
	ds := c.ds
	s := &ds.Segments[si]
	d := &ds.Docs[s.Doc]
	k := speakerKey{s.ParticipantID, s.Doc}
	info, ok := c.m[k]
	if !ok {
		info = speakerInfo{role: ds.Attr(s, "role"), site: ds.Attr(s, "site")}
		if s.ParticipantID != "" {
			info.speaker = ds.People[s.ParticipantID].Label
			if info.speaker == "" {
				info.speaker = s.ParticipantID
			}
		}
		c.m[k] = info
	}
	q := QuoteItem{Segment: si, CodingID: s.CodingID, Document: d.Name, DocumentID: d.ID, SpeakerID: s.ParticipantID,
		Speaker: info.speaker, Role: info.role, Site: info.site, Start: s.Start, End: s.End, TimeMS: -1, Coder: s.Coder, Memo: s.Memo}
	if s.Turn >= 0 && s.Turn < len(d.Turns) {
		q.Turn = s.Turn + 1
		q.TimeMS = d.Turns[s.Turn].TimeMS
	}
	return q
}

// fillTexts sets the quotes' texts, reading each document's text once and
// mapping rune offsets to byte offsets in one scan.
func fillTexts(ds *Dataset, groups []QuoteGroup) {
	if ds.Text == nil {
		return
	}
	perDoc := make([][]*QuoteItem, len(ds.Docs))
	for g := range groups {
		for k := range groups[g].Quotes {
			q := &groups[g].Quotes[k]
			d := ds.Segments[q.Segment].Doc
			perDoc[d] = append(perDoc[d], q)
		}
	}
	var offs []int
	for d, qs := range perDoc {
		if len(qs) == 0 {
			continue
		}
		text := ds.Text(d)
		offs = offs[:0]
		for _, q := range qs {
			offs = append(offs, q.Start, q.End)
		}
		slices.Sort(offs)
		offs = slices.Compact(offs)
		byteAt := make(map[int]int, len(offs))
		r, b := 0, 0
		for _, o := range offs {
			for r < o && b < len(text) {
				_, n := utf8.DecodeRuneInString(text[b:])
				b += n
				r++
			}
			byteAt[o] = b
		}
		for _, q := range qs {
			bs, be := byteAt[q.Start], byteAt[q.End]
			if be > bs {
				q.Text = strings.TrimSpace(text[bs:be])
			}
		}
	}
}
