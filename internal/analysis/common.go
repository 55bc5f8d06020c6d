package analysis

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
)

// NoValue stands for an empty grouping value (a participant and document
// without the attribute) in group keys and column labels.
const NoValue = "(none)"

// GroupSep joins the values of several grouping attributes into one group
// key: "staff / Northfield".
const GroupSep = " / "

// codeTree is the codebook in report order: depth first from the roots,
// children in Index.Children order. Codes that cannot be reached from the
// roots (their parent is missing, or they sit on a parent cycle) follow as
// extra roots, in codebook order, so that no code is ever dropped. A code's
// subtree is the contiguous range [i, end[i]).
type codeTree struct {
	codes  []*codebook.Code
	idx    map[string]int
	parent []int // -1 for a root of the listing
	depth  []int
	end    []int
}

func newCodeTree(ds *Dataset) *codeTree {
	t := &codeTree{idx: map[string]int{}}
	ix := ds.Index
	if ix == nil && ds.Codebook != nil {
		ix = codebook.NewIndex(ds.Codebook.Codes)
	}
	if ix == nil {
		return t
	}
	var walk func(c *codebook.Code, parent, depth int)
	walk = func(c *codebook.Code, parent, depth int) {
		if _, seen := t.idx[c.ID]; seen {
			return
		}
		i := len(t.codes)
		t.idx[c.ID] = i
		t.codes = append(t.codes, c)
		t.parent = append(t.parent, parent)
		t.depth = append(t.depth, depth)
		t.end = append(t.end, 0)
		for _, ch := range ix.Children(c.ID) {
			walk(ch, i, depth+1)
		}
		t.end[i] = len(t.codes)
	}
	for _, c := range ix.Children("") {
		walk(c, -1, 0)
	}
	if ds.Codebook != nil {
		for i := range ds.Codebook.Codes {
			if c, ok := ix.Code(ds.Codebook.Codes[i].ID); ok {
				walk(c, -1, 0)
			}
		}
	}
	return t
}

// scope returns the range of codes a report covers: all of them for root
// "", else root's subtree. root is a code id; a path, unique name or id
// prefix is accepted too (Index.Find).
func (t *codeTree) scope(ds *Dataset, root string) (lo, hi int, err error) {
	if root == "" {
		return 0, len(t.codes), nil
	}
	i, ok := t.idx[root]
	if !ok && ds.Index != nil {
		c, ferr := ds.Index.Find(root)
		if ferr != nil {
			return 0, 0, ferr
		}
		i, ok = t.idx[c.ID]
	}
	if !ok {
		return 0, 0, fmt.Errorf("no code %q in the codebook", root)
	}
	return i, t.end[i], nil
}

// baseDepth is the depth Depth counts from in rows lo..hi.
func (t *codeTree) baseDepth(lo, hi int) int {
	if lo < hi {
		return t.depth[lo]
	}
	return 0
}

// path returns the code's path ("Theme/Sub-theme").
func (t *codeTree) path(ds *Dataset, i int) string {
	if ds.Index != nil {
		if p := ds.Index.Path(t.codes[i].ID); p != "" {
			return p
		}
	}
	parts := []string{}
	for j := i; j >= 0; j = t.parent[j] {
		parts = append(parts, t.codes[j].Name)
	}
	for a, b := 0, len(parts)-1; a < b; a, b = a+1, b-1 {
		parts[a], parts[b] = parts[b], parts[a]
	}
	return strings.Join(parts, "/")
}

// CodeInfo describes a code in a table row or column.
type CodeInfo struct {
	CodeID   string            `json:"code"`
	Path     string            `json:"path"`
	Name     string            `json:"name"`
	Depth    int               `json:"depth"` // 0 for the top of the listing (the root code, or a top-level code)
	Polarity codebook.Polarity `json:"polarity"`
	Links    []string          `json:"links,omitempty"`
	Grouping bool              `json:"grouping,omitempty"` // a theme heading, not applied to text
}

func (t *codeTree) info(ds *Dataset, i, baseDepth int) CodeInfo {
	c := t.codes[i]
	return CodeInfo{CodeID: c.ID, Path: t.path(ds, i), Name: c.Name, Depth: t.depth[i] - baseDepth,
		Polarity: c.Polarity, Links: append([]string(nil), c.Links...), Grouping: c.Grouping}
}

// attrOf is Dataset.Attr for a speaker and a document: the participant's
// attribute if the participant has it (even empty), else the document's;
// "kind" and "document" name the document's kind and name.
func attrOf(ds *Dataset, pid string, d *Doc, key string) string {
	if pid != "" {
		if v, ok := ds.People[pid].Attrs[key]; ok {
			return v
		}
	}
	switch key {
	case "kind":
		return d.Kind
	case "document":
		return d.Name
	}
	return d.Attrs[key]
}

// groupParts returns the grouping values of a speaker in a document, with
// NoValue for empty ones.
func groupParts(ds *Dataset, pid string, d *Doc, by []string) []string {
	parts := make([]string, len(by))
	for i, a := range by {
		v := attrOf(ds, pid, d, a)
		if v == "" {
			v = NoValue
		}
		parts[i] = v
	}
	return parts
}

// GroupKey is the group a speaker's codings in document doc count in:
// the values of the by attributes (Dataset.Attr rules) joined by GroupSep,
// NoValue for an empty one.
func GroupKey(ds *Dataset, participantID string, doc int, by []string) string {
	return strings.Join(groupParts(ds, participantID, &ds.Docs[doc], by), GroupSep)
}

// SplitBy splits a comma-separated attribute list ("role,site"), trimming
// spaces and dropping empty entries.
func SplitBy(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// NaturalCompare orders names as people expect: "P2" before "P10", case
// folded first; runs of digits compare by value. Ties are broken by the
// exact bytes, so the order is total and deterministic.
func NaturalCompare(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			da, db := strings.TrimLeft(a[si:i], "0"), strings.TrimLeft(b[sj:j], "0")
			if len(da) != len(db) {
				return cmp.Compare(len(da), len(db))
			}
			if c := strings.Compare(da, db); c != 0 {
				return c
			}
			continue
		}
		la, lb := lower(ca), lower(cb)
		if la != lb {
			return cmp.Compare(int(la), int(lb))
		}
		i++
		j++
	}
	if c := cmp.Compare(len(a)-i, len(b)-j); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// compareValues orders group values and columns: natural order, NoValue
// last.
func compareValues(a, b string) int {
	if a == b {
		return 0
	}
	if a == NoValue {
		return 1
	}
	if b == NoValue {
		return -1
	}
	return NaturalCompare(a, b)
}

// compareParts orders multi-attribute group keys value by value.
func compareParts(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := compareValues(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Bit rows: each entity (document, participant, participant-in-group) has
// a row of words bits, one per code.

func setBit(row []uint64, c int) { row[c>>6] |= 1 << uint(c&63) }

func hasBit(row []uint64, c int) bool { return row[c>>6]&(1<<uint(c&63)) != 0 }

// forBits calls f for each set bit of row in increasing order.
func forBits(row []uint64, f func(c int)) {
	for w, x := range row {
		for x != 0 {
			f(w*64 + bits.TrailingZeros64(x))
			x &= x - 1
		}
	}
}

// share is n/of, 0 when of is 0.
func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// effEnd is a span's end for overlap tests: an empty span [s,s) is read
// as the point s, i.e. [s,s+1).
func effEnd(start, end int) int {
	if end <= start {
		return start + 1
	}
	return end
}

// sortInts sorts s stably by cmp.
func sortInts(s []int, cmp func(a, b int) int) { slices.SortStableFunc(s, cmp) }
