package query

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
)

// Data is what a query runs over: a project's codings as segments, and the
// documents, people and codebook they refer to.
type Data struct {
	Docs    []Doc
	People  []Person
	Codes   *codebook.Index
	CodeIDs []string // Segment.Code indexes this
	Coders  []string // Segment.Coder indexes this
	// Segs are grouped by document; within one they must be ordered by
	// Start when the query has relations (Query.Relations).
	Segs []Segment
}

// Doc is a document: its name, kind and attributes (site, wave, ...).
type Doc struct {
	Name, Kind string
	Attrs      map[string]string
}

// Person is a participant: the label they speak under and their
// attributes (role, site, ...).
type Person struct {
	Label string
	Attrs map[string]string
}

// Segment is one coding. Offsets are rune offsets into its document's text.
type Segment struct {
	Doc    int32 // index into Data.Docs
	Person int32 // speaker of the turn where it starts; -1 when none
	Code   int32 // index into Data.CodeIDs
	Coder  int32 // index into Data.Coders
	Start  int32
	End    int32
	// First and Last are the units NEAR counts in (speaker turns, or
	// paragraphs where a document has no turns) that the segment starts
	// and ends in; -1 before the first one.
	First, Last int32
}

// Result is what a query found.
type Result struct {
	Segs  []int    // indexes into Data.Segs, ascending
	Notes []string // hints when a query finds less than it seems to ask for
}

// Eval runs the query. Every term is the set of codings it names; the
// operators combine sets:
//
//	A AND B       codings in both (add filters: code:X AND role=patient)
//	A OR B        codings in either
//	NOT A         codings not in A
//	A OVERLAPS B  codings of A that share text with a coding of B
//	A WITHIN B    codings of A lying inside a coding of B
//	A NEAR/n B    codings of A at most n turns from a coding of B
//
// Relations hold within one document and never pair a coding with itself.
// An attribute term ATTR=VALUE looks at the speaker of the turn a coding
// starts in, then at its document (the rule of the reports' --where);
// coder=, speaker=, document= and kind= are built in. Names resolve when
// the query runs, so an unknown code or attribute is an *Error at its
// column.
func (q *Query) Eval(d *Data) (*Result, error) {
	e := &evaluator{q: q, d: d, n: len(d.Segs)}
	set, err := e.eval(q.root)
	if err != nil {
		return nil, err
	}
	res := &Result{Notes: e.notes}
	for w, word := range set {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			res.Segs = append(res.Segs, w*64+b)
			word &= word - 1
		}
	}
	return res, nil
}

// Relations reports whether the query relates codings by position
// (NEAR, WITHIN, OVERLAPS), and so needs each document's segments in
// order of Start.
func (q *Query) Relations() bool { return hasRelation(q.root) }

func hasRelation(n node) bool {
	switch n := n.(type) {
	case *relNode:
		return true
	case *notNode:
		return hasRelation(n.x)
	case *boolNode:
		return hasRelation(n.l) || hasRelation(n.r)
	}
	return false
}

type evaluator struct {
	q     *Query
	d     *Data
	n     int
	docs  [][2]int // per group of one document's segments: [lo, hi)
	notes []string
}

// bitset is a set of segment indexes.
type bitset []uint64

func (e *evaluator) empty() bitset { return make(bitset, (e.n+63)/64) }

func (e *evaluator) errAt(n node, format string, args ...any) error {
	return &Error{Query: e.q.Src, Col: n.pos() + 1, Msg: fmt.Sprintf(format, args...)}
}

func (e *evaluator) note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !slices.Contains(e.notes, msg) {
		e.notes = append(e.notes, msg)
	}
}

func (e *evaluator) eval(n node) (bitset, error) {
	switch n := n.(type) {
	case *codeTerm:
		want, err := e.codes(n)
		if err != nil {
			return nil, err
		}
		set := e.empty()
		for i := range e.d.Segs {
			if want[e.d.Segs[i].Code] {
				set[i/64] |= 1 << (i % 64)
			}
		}
		return set, nil
	case *attrTerm:
		return e.attr(n)
	case *notNode:
		x, err := e.eval(n.x)
		if err != nil {
			return nil, err
		}
		for i := range x {
			x[i] = ^x[i]
		}
		if r := e.n % 64; r != 0 {
			x[len(x)-1] &= 1<<r - 1
		}
		return x, nil
	case *boolNode:
		l, err := e.eval(n.l)
		if err != nil {
			return nil, err
		}
		r, err := e.eval(n.r)
		if err != nil {
			return nil, err
		}
		nonEmpty := false
		for i := range l {
			if n.or {
				l[i] |= r[i]
			} else {
				l[i] &= r[i]
			}
			nonEmpty = nonEmpty || l[i] != 0
		}
		if !n.or && !nonEmpty {
			e.disjointCodes(n)
		}
		return l, nil
	case *relNode:
		l, err := e.eval(n.l)
		if err != nil {
			return nil, err
		}
		r, err := e.eval(n.r)
		if err != nil {
			return nil, err
		}
		return e.relate(n, l, r), nil
	}
	return nil, fmt.Errorf("query: unknown node %T", n)
}

// codes resolves a code term to the code indexes it covers.
func (e *evaluator) codes(n *codeTerm) ([]bool, error) {
	if e.d.Codes == nil {
		return nil, e.errAt(n, "no code %q: the codebook is empty", n.name)
	}
	c, err := e.d.Codes.Find(n.name)
	if err != nil {
		return nil, e.errAt(n, "%v%s", err, e.suggest(n.name))
	}
	ids := []string{c.ID}
	if !n.exact {
		ids = e.d.Codes.Subtree(c.ID)
	} else if c.Grouping {
		e.note("%s is a grouping code with no codings of its own; code:%s (without =) includes its sub-codes", e.d.Codes.Path(c.ID), quoteIfNeeded(n.name))
	}
	want := make([]bool, len(e.d.CodeIDs))
	for i, id := range e.d.CodeIDs {
		want[i] = slices.Contains(ids, id)
	}
	return want, nil
}

// suggest names up to three codes whose path contains what the user typed.
func (e *evaluator) suggest(typed string) string {
	var paths []string
	for _, id := range e.d.CodeIDs {
		if p := e.d.Codes.Path(id); p != "" && strings.Contains(strings.ToLower(p), strings.ToLower(typed)) && !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 || len(paths) > 3 {
		return ""
	}
	slices.Sort(paths)
	return ` (did you mean "` + strings.Join(paths, `" or "`) + `"?)`
}

// disjointCodes explains an empty AND of two code terms: a coding has one
// code, so what the user wants is most likely OVERLAPS.
func (e *evaluator) disjointCodes(n *boolNode) {
	a, ok1 := n.l.(*codeTerm)
	b, ok2 := n.r.(*codeTerm)
	if ok1 && ok2 {
		e.note("a coding has one code, so %s AND %s finds codings of both only where one code is under the other; for text coded with both, use %s OVERLAPS %s",
			format(a, 4), format(b, 4), format(a, 4), format(b, 4))
	}
}

// builtinAttrs are attribute names every query can use.
var builtinAttrs = []string{"coder", "speaker", "document", "kind"}

func (e *evaluator) attr(n *attrTerm) (bitset, error) {
	d := e.d
	key := strings.ToLower(n.key)
	var match func(s *Segment) bool
	found := false // does any record have this value?
	switch key {
	case "code":
		return nil, e.errAt(n, "codes are written code:NAME (code:%s), not code=", quoteIfNeeded(n.value))
	case "coder":
		want := make([]bool, len(d.Coders))
		for i, c := range d.Coders {
			want[i] = strings.EqualFold(c, n.value)
			found = found || want[i]
		}
		match = func(s *Segment) bool { return want[s.Coder] }
	case "speaker":
		want := make([]bool, len(d.People))
		for i, p := range d.People {
			want[i] = strings.EqualFold(p.Label, n.value)
			found = found || want[i]
		}
		match = func(s *Segment) bool { return s.Person >= 0 && want[s.Person] }
	case "document", "doc", "kind":
		want := make([]bool, len(d.Docs))
		for i, doc := range d.Docs {
			v := doc.Name
			if key == "kind" {
				v = doc.Kind
			}
			want[i] = strings.EqualFold(v, n.value)
			found = found || want[i]
		}
		match = func(s *Segment) bool { return want[s.Doc] }
	default:
		name, ok := e.attrName(n.key)
		if !ok {
			return nil, e.errAt(n, "no participant or document has an attribute %q (attributes: %s)", n.key, strings.Join(e.attrNames(), ", "))
		}
		// Per person: 0 lacks the attribute, 1 matches, 2 does not.
		person := make([]int8, len(d.People))
		for i, p := range d.People {
			if v, has := p.Attrs[name]; has {
				person[i] = 2
				if strings.EqualFold(v, n.value) {
					person[i], found = 1, true
				}
			}
		}
		doc := make([]bool, len(d.Docs))
		for i, dd := range d.Docs {
			doc[i] = strings.EqualFold(dd.Attrs[name], n.value)
			found = found || doc[i]
		}
		match = func(s *Segment) bool {
			if s.Person >= 0 {
				if st := person[s.Person]; st != 0 {
					return st == 1
				}
			}
			return doc[s.Doc]
		}
	}
	if !found {
		v := quoteIfNeeded(n.value)
		switch key {
		case "coder":
			e.note("no coding was made by coder %s", v)
		case "speaker":
			e.note("no participant is called %s", v)
		case "document", "doc":
			e.note("no document is called %s", v)
		case "kind":
			e.note("no document is of kind %s", v)
		default:
			e.note("no participant or document has %s=%s", n.key, v)
		}
	}
	set := e.empty()
	for i := range d.Segs {
		if match(&d.Segs[i]) != n.negate {
			set[i/64] |= 1 << (i % 64)
		}
	}
	return set, nil
}

// attrName finds the attribute a user typed, ignoring case when that is
// unambiguous.
func (e *evaluator) attrName(typed string) (string, bool) {
	var folded []string
	for _, name := range e.attrNames() {
		if name == typed {
			return name, true
		}
		if strings.EqualFold(name, typed) {
			folded = append(folded, name)
		}
	}
	if len(folded) == 1 {
		return folded[0], true
	}
	return "", false
}

// attrNames lists the participant and document attributes in use.
func (e *evaluator) attrNames() []string {
	seen := map[string]bool{}
	for _, p := range e.d.People {
		for k := range p.Attrs {
			seen[k] = true
		}
	}
	for _, d := range e.d.Docs {
		for k := range d.Attrs {
			seen[k] = true
		}
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return append(out, builtinAttrs...)
}

// groups returns the ranges of Segs that belong to one document each.
func (e *evaluator) groups() [][2]int {
	if e.docs == nil {
		e.docs = [][2]int{}
		for lo := 0; lo < e.n; {
			hi := lo + 1
			for hi < e.n && e.d.Segs[hi].Doc == e.d.Segs[lo].Doc {
				hi++
			}
			e.docs = append(e.docs, [2]int{lo, hi})
			lo = hi
		}
	}
	return e.docs
}

// relate keeps the members a of l for which some other member b of r in
// the same document stands in the relation. Per document, r's members
// are in position order, so "the b that could qualify" is a prefix of
// them (b starts before a ends; b starts no later than a; b's first turn
// is at most n after a's last): a binary search finds the prefix, and the
// prefix's largest end (or last turn) decides. The two largest are kept,
// so a coding is never related to itself. O(n log n) in all.
func (e *evaluator) relate(n *relNode, l, r bitset) bitset {
	out := e.empty()
	segs := e.d.Segs
	has := func(set bitset, i int) bool { return set[i/64]&(1<<(i%64)) != 0 }
	var keys []int64
	var best1, best2 []int64
	var idx1 []int
	for _, g := range e.groups() {
		keys, best1, best2, idx1 = keys[:0], best1[:0], best2[:0], idx1[:0]
		b1, b2, i1 := int64(math.MinInt64), int64(math.MinInt64), -1
		for i := g[0]; i < g[1]; i++ {
			if !has(r, i) {
				continue
			}
			s := &segs[i]
			key, val := int64(s.Start), int64(s.End)
			if n.kind == relNear {
				key, val = int64(s.First), int64(s.Last)
			}
			switch {
			case val > b1:
				b2, b1, i1 = b1, val, i
			case val > b2:
				b2 = val
			}
			keys, best1, best2, idx1 = append(keys, key), append(best1, b1), append(best2, b2), append(idx1, i1)
		}
		if len(keys) == 0 {
			continue
		}
		for i := g[0]; i < g[1]; i++ {
			if !has(l, i) {
				continue
			}
			a := &segs[i]
			var k int // how many of r's members could qualify
			switch n.kind {
			case relOverlaps:
				k = sort.Search(len(keys), func(j int) bool { return keys[j] >= int64(a.End) })
			case relWithin:
				k = sort.Search(len(keys), func(j int) bool { return keys[j] > int64(a.Start) })
			case relNear:
				k = sort.Search(len(keys), func(j int) bool { return keys[j] > int64(a.Last)+int64(n.n) })
			}
			if k == 0 {
				continue
			}
			v := best1[k-1]
			if idx1[k-1] == i {
				v = best2[k-1]
			}
			ok := false
			switch n.kind {
			case relOverlaps:
				ok = v > int64(a.Start)
			case relWithin:
				ok = v >= int64(a.End)
			case relNear:
				ok = v >= int64(a.First)-int64(n.n)
			}
			if ok {
				out[i/64] |= 1 << (i % 64)
			}
		}
	}
	return out
}
