package project

import (
	"cmp"
	"errors"
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
		qd, err := loadQueryData(tx)
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
	ord    []int32 // per segment: the coding's position in the codings bucket
	cix    *codebook.Index
}

// loadQueryData reads every coding's fields in one pass over the codings
// bucket (no per-coding allocation), groups them by document in a
// counting sort, and orders each document's codings as Codings does.
func loadQueryData(tx *store.Tx) (*queryData, error) {
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
	coderIx := map[string]int32{}
	type raw struct {
		seg query.Segment
		ord int32
	}
	var segs []raw
	perDoc := make([]int, len(docs)+1)
	var n int32
	err = tx.ForEachCodingFields(func(c *store.CodingFields) error {
		ord := n
		n++
		di, ok := docIx[string(c.DocID)]
		if !ok {
			return nil // a coding of a missing document (qcode check reports it)
		}
		ci, ok := codeIx[string(c.CodeID)]
		if !ok { // a missing code: still a coding, found by attribute terms
			ci = int32(len(d.CodeIDs))
			codeIx[string(c.CodeID)] = ci
			d.CodeIDs = append(d.CodeIDs, string(c.CodeID))
		}
		who, ok := coderIx[string(c.Coder)]
		if !ok {
			who = int32(len(d.Coders))
			coderIx[string(c.Coder)] = who
			d.Coders = append(d.Coders, string(c.Coder))
		}
		segs = append(segs, raw{query.Segment{Doc: di, Code: ci, Coder: who, Start: int32(c.Start), End: int32(c.End)}, ord})
		perDoc[di+1]++
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Counting sort by document, then each document's codings by start,
	// code path, coder and end, the order of `qcode codings`.
	for i := 1; i < len(perDoc); i++ {
		perDoc[i] += perDoc[i-1]
	}
	sorted := make([]raw, len(segs))
	next := slices.Clone(perDoc[:len(docs)])
	for _, s := range segs {
		sorted[next[s.seg.Doc]] = s
		next[s.seg.Doc]++
	}
	segs = nil
	pathRank := rankBy(d.CodeIDs, cix.Path) // "" for a missing code, as in Codings
	coderRank := rankBy(d.Coders, func(c string) string { return c })
	d.Segs = make([]query.Segment, len(sorted))
	qd.ord = make([]int32, len(sorted))
	for di, doc := range docs {
		part := sorted[perDoc[di]:perDoc[di+1]]
		slices.SortFunc(part, func(a, b raw) int {
			if a.seg.Start != b.seg.Start {
				return cmp.Compare(a.seg.Start, b.seg.Start)
			}
			return cmp.Or(cmp.Compare(pathRank[a.seg.Code], pathRank[b.seg.Code]), cmp.Compare(coderRank[a.seg.Coder], coderRank[b.seg.Coder]), cmp.Compare(a.seg.End, b.seg.End))
		})
		units, err := unitsOf(tx, doc)
		if err != nil {
			return nil, err
		}
		for i, r := range part {
			s := r.seg
			s.Person, s.First, s.Last = -1, int32(unitAt(units, int(s.Start))), int32(unitAt(units, int(s.End)-1))
			if len(doc.Turns) > 0 && s.First >= 0 {
				if pi, ok := personIx[doc.Turns[s.First].ParticipantID]; ok {
					s.Person = pi
				}
			}
			d.Segs[perDoc[di]+i] = s
			qd.ord[perDoc[di]+i] = r.ord
		}
	}
	return qd, nil
}

// rankBy gives each value its position in the order of key(value).
func rankBy(values []string, key func(string) string) []int {
	idx := make([]int, len(values))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return key(values[idx[a]]) < key(values[idx[b]]) })
	rank := make([]int, len(values))
	for r, i := range idx {
		rank[i] = r
	}
	return rank
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

// views turns the evaluator's answer into codings, reading the chosen
// codings' records in a second pass over the codings bucket.
func (qd *queryData) views(tx *store.Tx, segs []int) ([]CodingView, error) {
	out := make([]CodingView, len(segs))
	if len(segs) == 0 {
		return out, nil
	}
	at := make(map[int32]int, len(segs)) // bucket position -> place in out
	for i, s := range segs {
		at[qd.ord[s]] = i
	}
	var n int32
	err := tx.ForEachCodingFields(func(c *store.CodingFields) error {
		if i, ok := at[n]; ok {
			out[i].Coding = Coding{ID: string(c.ID), DocID: string(c.DocID), CodeID: string(c.CodeID), Start: c.Start, End: c.End,
				Coder: string(c.Coder), Memo: string(c.Memo), Created: time.Unix(0, c.Created).UTC(), Updated: time.Unix(0, c.Updated).UTC()}
		}
		n++
		return nil
	})
	if err != nil {
		return nil, err
	}
	people := make(map[string]Participant, len(qd.people))
	for _, pp := range qd.people {
		people[pp.ID] = pp
	}
	var ix *runeIndex
	last := int32(-1)
	for i, s := range segs {
		doc := qd.data.Segs[s].Doc
		if doc != last {
			text, err := tx.Text(qd.docs[doc].ID)
			if err != nil {
				return nil, err
			}
			ix, last = newRuneIndex(text), doc
		}
		out[i] = codingView(out[i].Coding, qd.docs[doc], ix, qd.cix, people)
	}
	return out, nil
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
