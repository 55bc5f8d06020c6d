package project

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/query"
	"github.com/qcode-qda/qcode/internal/store"
)

// QueryResult is what a query found.
type QueryResult struct {
	Query   string       // the query in canonical form
	Codings []CodingView // ordered as Codings lists them
	// Notes explain a result that is probably not what was meant (a
	// grouping code with code:=, two codes joined by AND, a value no one
	// has).
	Notes []string
}

// Query runs a boolean query over all codings (see internal/query for
// the language). A mistake in the query is a *query.Error with the column
// at fault.
func (p *Project) Query(expr string) (*QueryResult, error) {
	q, err := query.Parse(expr)
	if err != nil {
		return nil, err
	}
	out := &QueryResult{Query: q.String()}
	err = p.view(func(tx *store.Tx) error {
		qd, err := loadQueryData(tx, q.Relations())
		if err != nil {
			return err
		}
		res, err := q.Eval(qd.data)
		if err != nil {
			return err
		}
		out.Notes = res.Notes
		out.Codings, err = qd.views(tx, res.Segs)
		return err
	})
	return out, err
}

// queryData is a project's codings as the query evaluator reads them, and
// what is needed to turn its answer back into codings.
type queryData struct {
	data   *query.Data
	docs   []Document // Segment.Doc indexes this
	people []Participant
	// ids holds every coding id end to end, in slabs of idSlab ids;
	// segment i's is number idAt[i] (no pointers, so the garbage
	// collector never looks into a million of them).
	ids  [][]byte
	idAt []uint32
	cix  *codebook.Index
}

// idSlab is how many codings' fields are kept per slab while reading
// them: slabs never move, where one growing slice would be copied over
// and over.
const idSlab = 1 << 16

// id returns the id of segment i.
func (qd *queryData) id(i int) string {
	g := int(qd.idAt[i])
	off := (g % idSlab) * 36
	return string(qd.ids[g/idSlab][off : off+36])
}

// loadQueryData reads every coding's fields and groups them by document
// in a counting sort; for a query with relations (byStart) it also orders
// each document's codings by start, with a sort of packed integer keys.
// The listing order is settled later, for the codings found.
func loadQueryData(tx *store.Tx, byStart bool) (*queryData, error) {
	codes, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	cix := codebook.NewIndex(codes)
	docs, err := tx.Documents()
	if err != nil {
		return nil, err
	}
	sort.SliceStable(docs, func(i, j int) bool { return naturalLess(docs[i].Name, docs[j].Name) })
	ps, err := tx.Participants()
	if err != nil {
		return nil, err
	}
	d := &query.Data{Codes: cix, Docs: make([]query.Doc, len(docs)), People: make([]query.Person, len(ps))}
	qd := &queryData{data: d, docs: docs, people: ps, cix: cix}
	docIx := make(map[string]int32, len(docs))
	for i, doc := range docs {
		docIx[doc.ID] = int32(i)
		d.Docs[i] = query.Doc{Name: doc.Name, Kind: doc.Kind, Attrs: doc.Attributes}
	}
	personIx := make(map[string]int32, len(ps))
	for i, pp := range ps {
		personIx[pp.ID] = int32(i)
		d.People[i] = query.Person{Label: pp.Label, Attrs: pp.Attributes}
	}
	codeIx := map[string]int32{}
	for _, c := range codes {
		codeIx[c.ID] = int32(len(d.CodeIDs))
		d.CodeIDs = append(d.CodeIDs, c.ID)
	}
	read, err := readCodings(tx, d, docIx, codeIx)
	if err != nil {
		return nil, err
	}
	// Counting sort by document; a coding's number (its place in the
	// order read) says where its id is.
	perDoc := make([]int, len(docs)+1)
	copy(perDoc[1:], read.perDoc)
	for i := 1; i < len(perDoc); i++ {
		perDoc[i] += perDoc[i-1]
	}
	d.Segs = make([]query.Segment, read.count)
	qd.ids, qd.idAt = read.ids, make([]uint32, read.count)
	next := slices.Clone(perDoc[:len(docs)])
	g := uint32(0)
	for _, slab := range read.segs {
		for _, sg := range slab {
			j := next[sg.Doc]
			next[sg.Doc]++
			d.Segs[j], qd.idAt[j] = sg, g
			g++
		}
	}
	largest := 0
	for di := range docs {
		largest = max(largest, perDoc[di+1]-perDoc[di])
	}
	// Within a document, by start: sort keys start<<32|position, then
	// move the segments into that order.
	var keys []uint64
	var segBuf []query.Segment
	var idBuf []uint32
	if byStart {
		keys, segBuf, idBuf = make([]uint64, 0, largest), make([]query.Segment, largest), make([]uint32, largest)
	}
	for di, doc := range docs {
		lo, hi := perDoc[di], perDoc[di+1]
		if byStart {
			keys = keys[:0]
			for i := lo; i < hi; i++ {
				keys = append(keys, uint64(uint32(d.Segs[i].Start))<<32|uint64(i-lo))
			}
			slices.Sort(keys)
			for k, key := range keys {
				j := lo + int(uint32(key))
				segBuf[k], idBuf[k] = d.Segs[j], qd.idAt[j]
			}
			copy(d.Segs[lo:hi], segBuf[:hi-lo])
			copy(qd.idAt[lo:hi], idBuf[:hi-lo])
		}
		units, err := unitsOf(tx, doc)
		if err != nil {
			return nil, err
		}
		speaker := make([]int32, len(doc.Turns)) // per turn: its speaker's index
		for t, tr := range doc.Turns {
			if pi, ok := personIx[tr.ParticipantID]; ok {
				speaker[t] = pi
			} else {
				speaker[t] = -1
			}
		}
		for i := lo; i < hi; i++ {
			s := &d.Segs[i]
			s.Person, s.First, s.Last = -1, int32(unitAt(units, int(s.Start))), int32(unitAt(units, int(s.End)-1))
			if len(speaker) > 0 && s.First >= 0 {
				s.Person = speaker[s.First]
			}
		}
	}
	return qd, nil
}

// codingsRead is what readCodings took from the codings bucket: the
// segments and ids in slabs of idSlab, in the order read, and how many
// codings each document has.
type codingsRead struct {
	segs   [][]query.Segment
	ids    [][]byte
	perDoc []int
	count  int
}

// readCodings reads the codings bucket in one pass without allocating per
// coding: documents and codes are looked up without copying their ids,
// coders are found among the handful there are, and ids go end to end
// into slabs. A code missing from the codebook gets a number of its own
// (its codings are still found by attribute terms).
func readCodings(tx *store.Tx, d *query.Data, docIx, codeIx map[string]int32) (*codingsRead, error) {
	read := &codingsRead{perDoc: make([]int, len(d.Docs))}
	err := tx.ForEachCodingFields(func(c *store.CodingFields) error {
		di, ok := docIx[string(c.DocID)]
		if !ok {
			return nil // a coding of a missing document (qcode check reports it)
		}
		ci, ok := codeIx[string(c.CodeID)]
		if !ok {
			ci = int32(len(d.CodeIDs))
			codeIx[string(c.CodeID)] = ci
			d.CodeIDs = append(d.CodeIDs, string(c.CodeID))
		}
		who := int32(slices.Index(d.Coders, string(c.Coder)))
		if who < 0 {
			who = int32(len(d.Coders))
			d.Coders = append(d.Coders, string(c.Coder))
		}
		if len(c.ID) != 36 || read.count == math.MaxUint32 {
			return fmt.Errorf("coding %q: not a qcode coding id (run qcode check)", c.ID)
		}
		if read.count%idSlab == 0 {
			read.segs = append(read.segs, make([]query.Segment, 0, idSlab))
			read.ids = append(read.ids, make([]byte, 0, idSlab*36))
		}
		k := len(read.segs) - 1
		read.segs[k] = append(read.segs[k], query.Segment{Doc: di, Code: ci, Coder: who, Start: int32(c.Start), End: int32(c.End)})
		read.ids[k] = append(read.ids[k], c.ID...)
		read.perDoc[di]++
		read.count++
		return nil
	})
	return read, err
}

// units are what NEAR counts in a document: its speaker turns (a
// position's unit is the turn Codings shows for it), or where it has
// none, its paragraphs.
type units struct {
	turns []Turn
	paras []int // paragraph starts (rune offsets), when there are no turns
}

func unitsOf(tx *store.Tx, d Document) (units, error) {
	if len(d.Turns) > 0 {
		return units{turns: d.Turns}, nil
	}
	text, err := tx.Text(d.ID)
	if err != nil {
		return units{}, err
	}
	return units{paras: query.ParagraphStarts(text)}, nil
}

func unitAt(u units, pos int) int {
	if u.turns != nil {
		return turnIndexAt(u.turns, pos)
	}
	return sort.SearchInts(u.paras, pos+1) - 1
}

// views turns the evaluator's answer into codings, ordered as Codings
// lists them: by document, start, code path, coder and end.
func (qd *queryData) views(tx *store.Tx, segs []int) ([]CodingView, error) {
	out := make([]CodingView, len(segs))
	people := make(map[string]Participant, len(qd.people))
	for _, pp := range qd.people {
		people[pp.ID] = pp
	}
	ix := &runeIndex{} // one index, reset for each document
	last, first := int32(-1), 0
	for i, s := range segs {
		doc := qd.data.Segs[s].Doc
		if doc != last {
			sortViews(out[first:i])
			text, err := tx.Text(qd.docs[doc].ID)
			if err != nil {
				return nil, err
			}
			ix.reset(text)
			last, first = doc, i
		}
		c, err := tx.Coding(qd.id(s))
		if err != nil {
			return nil, err
		}
		out[i] = codingView(c, qd.docs[doc], ix, qd.cix, people)
	}
	sortViews(out[first:])
	return out, nil
}

// sortViews orders one document's codings as Codings does.
func sortViews(vs []CodingView) {
	slices.SortStableFunc(vs, func(a, b CodingView) int {
		if a.Start != b.Start {
			return cmp.Compare(a.Start, b.Start)
		}
		return cmp.Or(cmp.Compare(a.CodePath, b.CodePath), cmp.Compare(a.Coder, b.Coder), cmp.Compare(a.End, b.End))
	})
}

// --- saved queries ---

// SavedQuery is a named query stored in the project.
type SavedQuery = store.SavedQuery

// SaveQuery stores a query under a name (replacing one of the same name,
// ignoring case) and reports whether it replaced one. The query must
// parse; run it first to check that its names resolve.
func (p *Project) SaveQuery(name, expr, by string) (bool, error) {
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, "\n\r\t") || len([]rune(name)) > 63 {
		return false, userErr("a saved query's name must be one line of 1 to 63 characters, not %q", name)
	}
	q, err := query.Parse(expr)
	if err != nil {
		return false, err
	}
	replaced := false
	err = p.update(func(tx *store.Tx) error {
		qs, err := tx.SavedQueries()
		if err != nil {
			return err
		}
		for k := range qs {
			if strings.EqualFold(k, name) {
				delete(qs, k)
				replaced = true
			}
		}
		qs[name] = SavedQuery{Name: name, Query: q.String(), Saved: time.Now().UTC(), By: by}
		return tx.PutSavedQueries(qs)
	})
	return replaced, err
}

// SavedQueries lists the saved queries by name.
func (p *Project) SavedQueries() ([]SavedQuery, error) {
	var out []SavedQuery
	err := p.view(func(tx *store.Tx) error {
		qs, err := tx.SavedQueries()
		for _, q := range qs {
			out = append(out, q)
		}
		return err
	})
	slices.SortFunc(out, func(a, b SavedQuery) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, err
}

// SavedQueryNamed returns the saved query with this name (ignoring case).
func (p *Project) SavedQueryNamed(name string) (SavedQuery, error) {
	qs, err := p.SavedQueries()
	if err != nil {
		return SavedQuery{}, err
	}
	var names []string
	for _, q := range qs {
		if strings.EqualFold(q.Name, strings.TrimSpace(name)) {
			return q, nil
		}
		names = append(names, q.Name)
	}
	if len(names) == 0 {
		return SavedQuery{}, userErr("no saved query %q: the project has none (save one with `qcode query EXPR --save NAME`)", name)
	}
	return SavedQuery{}, userErr("no saved query %q (saved: %s)", name, strings.Join(names, ", "))
}

// DeleteSavedQuery removes a saved query.
func (p *Project) DeleteSavedQuery(name string) error {
	q, err := p.SavedQueryNamed(name)
	if err != nil {
		return err
	}
	return p.update(func(tx *store.Tx) error {
		qs, err := tx.SavedQueries()
		if err != nil {
			return err
		}
		if _, ok := qs[q.Name]; !ok {
			return userErr("no saved query %q", name)
		}
		delete(qs, q.Name)
		return tx.PutSavedQueries(qs)
	})
}

// IsQueryError reports whether err is a mistake in a query (with a column
// to point at).
func IsQueryError(err error) (*query.Error, bool) {
	var qe *query.Error
	ok := errors.As(err, &qe)
	return qe, ok
}
