package analysis

import "strings"

// tally is one linear pass over the dataset that the frequency, fidelity
// and codebook reports derive their counts from. Per code it keeps the
// coded segments; per document, per counted participant and per
// (participant, group) pair a row of bits saying which codes they have.
// Distinct documents and participants of any set of codes (a code, a
// subtree, the codes linked to a framework item) are then counted from
// those rows without touching the segments again.
//
// Counted participants are the non-empty speakers who are not interviewers
// (unless inclInt). A participant's group in a document is GroupKey; the
// (participant, group) pairs come from the turns of every document (so a
// group's size is the number of counted participants who speak in it) and,
// defensively, from the codings (a speaker with codings but no turn in that
// document still joins the group, so a share never exceeds 1).
type tally struct {
	ds      *Dataset
	tree    *codeTree
	nCodes  int
	words   int
	inclInt bool
	by      []string

	pidx       map[string]int32
	pids       []string
	counted    []bool
	personBits []uint64 // rows: participants (only counted ones get bits)
	docBits    []uint64 // rows: documents
	segs       []int    // per code
	orphans    int      // codings of codes not in the codebook, or of no valid document

	grouped  bool
	gidx     map[string]int32
	gkeys    []string
	gparts   [][]string
	pgIdx    map[uint64]int32
	pgGroup  []int32
	pgPerson []int32
	pgBits   []uint64 // rows: (participant, group) pairs
	pgSegs   []int32  // pg*nCodes + code
	docStamp []int32  // per participant: doc+1 that pgCache is for
	pgCache  []int32
}

func newTally(ds *Dataset, tree *codeTree, by []string, inclInt bool) *tally {
	t := &tally{ds: ds, tree: tree, nCodes: len(tree.codes), inclInt: inclInt, by: by,
		pidx: map[string]int32{}, grouped: len(by) > 0}
	t.words = (t.nCodes + 63) / 64
	if t.words == 0 {
		t.words = 1
	}
	t.segs = make([]int, t.nCodes)
	t.docBits = make([]uint64, len(ds.Docs)*t.words)
	if t.grouped {
		t.gidx = map[string]int32{}
		t.pgIdx = map[uint64]int32{}
	}
	t.run()
	return t
}

func (t *tally) person(pid string) int32 {
	if p, ok := t.pidx[pid]; ok {
		return p
	}
	p := int32(len(t.pids))
	t.pidx[pid] = p
	t.pids = append(t.pids, pid)
	t.counted = append(t.counted, t.inclInt || !t.ds.People[pid].Interviewer())
	t.personBits = append(t.personBits, make([]uint64, t.words)...)
	if t.grouped {
		t.docStamp = append(t.docStamp, 0)
		t.pgCache = append(t.pgCache, 0)
	}
	return p
}

// pg returns the (participant, group) pair of participant p speaking in
// document d.
func (t *tally) pg(p int32, d int) int32 {
	if t.docStamp[p] == int32(d+1) {
		return t.pgCache[p]
	}
	parts := groupParts(t.ds, t.pids[p], &t.ds.Docs[d], t.by)
	key := strings.Join(parts, GroupSep)
	g, ok := t.gidx[key]
	if !ok {
		g = int32(len(t.gkeys))
		t.gidx[key] = g
		t.gkeys = append(t.gkeys, key)
		t.gparts = append(t.gparts, parts)
	}
	k := uint64(uint32(g))<<32 | uint64(uint32(p))
	pg, ok := t.pgIdx[k]
	if !ok {
		pg = int32(len(t.pgGroup))
		t.pgIdx[k] = pg
		t.pgGroup = append(t.pgGroup, g)
		t.pgPerson = append(t.pgPerson, p)
		t.pgBits = append(t.pgBits, make([]uint64, t.words)...)
		t.pgSegs = append(t.pgSegs, make([]int32, t.nCodes)...)
	}
	t.docStamp[p], t.pgCache[p] = int32(d+1), pg
	return pg
}

func (t *tally) run() {
	ds := t.ds
	// Speakers, and with grouping the groups they speak in.
	for d := range ds.Docs {
		last, lastP := "", int32(-1)
		for _, tu := range ds.Docs[d].Turns {
			if tu.ParticipantID == "" {
				continue
			}
			p := lastP
			if lastP < 0 || tu.ParticipantID != last {
				p = t.person(tu.ParticipantID)
				last, lastP = tu.ParticipantID, p
			}
			if t.grouped && t.counted[p] {
				t.pg(p, d)
			}
		}
	}
	lastCode, lastC := "", -1
	lastPID, lastP := "", int32(-1)
	w := t.words
	for i := range ds.Segments {
		s := &ds.Segments[i]
		c := lastC
		if lastC < 0 || s.CodeID != lastCode {
			var ok bool
			if c, ok = t.tree.idx[s.CodeID]; !ok {
				c = -1
			}
			lastCode, lastC = s.CodeID, c
		}
		if c < 0 || s.Doc < 0 || s.Doc >= len(ds.Docs) {
			t.orphans++
			continue
		}
		t.segs[c]++
		setBit(t.docBits[s.Doc*w:], c)
		if s.ParticipantID == "" {
			continue
		}
		p := lastP
		if lastP < 0 || s.ParticipantID != lastPID {
			p = t.person(s.ParticipantID)
			lastPID, lastP = s.ParticipantID, p
		}
		if !t.counted[p] {
			continue
		}
		setBit(t.personBits[int(p)*w:], c)
		if t.grouped {
			pg := t.pg(p, s.Doc)
			setBit(t.pgBits[int(pg)*w:], c)
			t.pgSegs[int(pg)*t.nCodes+c]++
		}
	}
}

// targets maps each code to the counters it feeds: itself, its
// ancestors for a roll-up, framework items for fidelity.
type targets [][]int32

func identityTargets(n int) targets {
	flat := make([]int32, n)
	out := make(targets, n)
	for i := range flat {
		flat[i] = int32(i)
		out[i] = flat[i : i+1 : i+1]
	}
	return out
}

// rollupTargets maps a code to itself and every ancestor in the listing.
func rollupTargets(tree *codeTree) targets {
	out := make(targets, len(tree.codes))
	for i := range out {
		for j := i; j >= 0; j = tree.parent[j] {
			out[i] = append(out[i], int32(j))
		}
	}
	return out
}

// distinct counts, per target, the rows (of words bits each) having at
// least one code that feeds it; rows with keep false are skipped. With
// groupOf, counts go to out[target*nGroups+groupOf(row)].
func distinct(rows []uint64, words int, keep func(r int) bool, tg targets, nTargets, nGroups int, groupOf func(r int) int) []int {
	if nGroups < 1 {
		nGroups = 1
	}
	out := make([]int, nTargets*nGroups)
	stamp := make([]int32, nTargets)
	n := len(rows) / words
	for r := 0; r < n; r++ {
		if keep != nil && !keep(r) {
			continue
		}
		g := 0
		if groupOf != nil {
			g = groupOf(r)
		}
		mark := int32(r + 1)
		forBits(rows[r*words:(r+1)*words], func(c int) {
			for _, x := range tg[c] {
				if stamp[x] != mark {
					stamp[x] = mark
					out[int(x)*nGroups+g]++
				}
			}
		})
	}
	return out
}

// segments sums coded segments per target.
func (t *tally) segments(tg targets, nTargets int) []int {
	out := make([]int, nTargets)
	for c, n := range t.segs {
		for _, x := range tg[c] {
			out[x] += n
		}
	}
	return out
}

// groupSegments sums counted participants' segments per target and group:
// out[target*nGroups+group].
func (t *tally) groupSegments(tg targets, nTargets int) []int {
	nG := len(t.gkeys)
	out := make([]int, nTargets*nG)
	for pg := range t.pgGroup {
		g := int(t.pgGroup[pg])
		row := t.pgSegs[pg*t.nCodes : (pg+1)*t.nCodes]
		forBits(t.pgBits[pg*t.words:(pg+1)*t.words], func(c int) {
			for _, x := range tg[c] {
				out[int(x)*nG+g] += int(row[c])
			}
		})
	}
	return out
}

func (t *tally) documents(tg targets, nTargets int) []int {
	return distinct(t.docBits, t.words, nil, tg, nTargets, 1, nil)
}

func (t *tally) participants(tg targets, nTargets int) []int {
	return distinct(t.personBits, t.words, func(r int) bool { return t.counted[r] }, tg, nTargets, 1, nil)
}

func (t *tally) groupParticipants(tg targets, nTargets int) []int {
	return distinct(t.pgBits, t.words, nil, tg, nTargets, len(t.gkeys), func(r int) int { return int(t.pgGroup[r]) })
}

// groupSizes returns the number of counted participants per group.
func (t *tally) groupSizes() []int {
	out := make([]int, len(t.gkeys))
	for _, g := range t.pgGroup {
		out[g]++
	}
	return out
}

// speakers is the number of counted participants (who speak or have
// codings).
func (t *tally) speakers() int {
	n := 0
	for p, ok := range t.counted {
		if ok && t.pids[p] != "" {
			n++
		}
	}
	return n
}

// GroupInfo is one group of a grouped table.
type GroupInfo struct {
	Key          string   `json:"key"`
	Values       []string `json:"values"`       // one per grouping attribute
	Participants int      `json:"participants"` // group size: counted participants who speak in the group
}

// groupOrder returns the groups sorted (value by value, natural order,
// NoValue last) and the sorted position of each group index.
func (t *tally) groupOrder() ([]GroupInfo, []int) {
	sizes := t.groupSizes()
	order := make([]int, len(t.gkeys))
	for i := range order {
		order[i] = i
	}
	sortInts(order, func(a, b int) int { return compareParts(t.gparts[a], t.gparts[b]) })
	infos := make([]GroupInfo, len(order))
	pos := make([]int, len(order))
	for k, g := range order {
		infos[k] = GroupInfo{Key: t.gkeys[g], Values: t.gparts[g], Participants: sizes[g]}
		pos[g] = k
	}
	return infos, pos
}
