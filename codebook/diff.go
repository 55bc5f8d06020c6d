package codebook

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Change is one row of a codebook diff.
//
// Diff reports one Change per code, so that a diff reads as a table with
// one row per code. Kind is the most visible change, in the order
// added, removed, renamed, moved, changed: a code that was renamed, moved
// and given a new definition is one "renamed" row whose Fields list all of
// "name", "parent" and "description". Detail says the same in words.
type Change struct {
	Kind    string   // added, removed, renamed, moved or changed
	ID      string   // the code's id in b (in a for removed codes)
	Path    string   // the code's path in b (in a for removed codes); "" for the codebook itself
	OldPath string   // the code's path in a, when it differs from Path
	Fields  []string // what differs, in a fixed order: id, name, parent, description, inclusion, exclusion, example, polarity, links, colour, hotkey, grouping, memo
	Detail  string   // one line for a person, e.g. `renamed from "Stigma"; moved from "Staff" to "Employers"; polarity barrier → mixed; description, example changed`
}

// Change kinds.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeRenamed = "renamed"
	ChangeMoved   = "moved"
	ChangeChanged = "changed"
)

// Diff compares two versions of a codebook. Codes are matched by id, then
// (for ids found on one side only) by name under the same parent, where
// names are compared after normalising case, spacing, punctuation and
// simple plurals, and parents are compared after matching. A code matched
// by name whose id differs is reported with "id" in Fields (Kind
// "changed" if nothing else differs), so that a re-created code is not
// shown as removed and added. Only a code's own fields count: a code whose
// path changes because an ancestor was renamed or moved is not reported.
// Changes to the codebook's own name, description and frameworks are one
// "changed" row with an empty Path. The result is sorted by Path, then
// Kind, then ID.
func Diff(a, b *Codebook) []Change {
	if a == nil {
		a = &Codebook{}
	}
	if b == nil {
		b = &Codebook{}
	}
	ia, ib := NewIndex(a.Codes), NewIndex(b.Codes)
	bToA, aToB, _ := matchCodes(ia, ib, a.Codes, b.Codes, nil)
	var out []Change

	// The codebook itself. CSV and REFI-QDA files carry no codebook name,
	// description or frameworks, so a side without one is "unknown", not a
	// change: a codebook exported to CSV diffs clean against its YAML.
	known := func(x, y string) bool { return x != "" && y != "" }
	var cbFields, cbDetail []string
	if known(a.Name, b.Name) && a.Name != b.Name {
		cbFields = append(cbFields, "name")
		cbDetail = append(cbDetail, fmt.Sprintf("codebook renamed from %q to %q", a.Name, b.Name))
	}
	if known(a.Description, b.Description) && a.Description != b.Description {
		cbFields = append(cbFields, "description")
		cbDetail = append(cbDetail, "codebook description changed")
	}
	if fa, fb := setKey(a.Frameworks), setKey(b.Frameworks); known(fa, fb) && fa != fb {
		cbFields = append(cbFields, "frameworks")
		cbDetail = append(cbDetail, fmt.Sprintf("frameworks %s → %s", orNone(setDisplay(a.Frameworks)), orNone(setDisplay(b.Frameworks))))
	}
	if len(cbFields) > 0 {
		out = append(out, Change{Kind: ChangeChanged, Fields: cbFields, Detail: strings.Join(cbDetail, "; ")})
	}

	for i := range b.Codes {
		cb := &b.Codes[i]
		aid, ok := bToA[cb.ID]
		if !ok {
			out = append(out, Change{Kind: ChangeAdded, ID: cb.ID, Path: ib.Path(cb.ID)})
			continue
		}
		ca, _ := ia.Code(aid)
		var fields, detail []string
		if ca.ID != cb.ID {
			fields = append(fields, "id")
			detail = append(detail, fmt.Sprintf("same name, new id (was %s)", ca.ID))
		}
		if ca.Name != cb.Name {
			fields = append(fields, "name")
			detail = append(detail, fmt.Sprintf("renamed from %q", ca.Name))
		}
		parentB := ""
		if cb.ParentID != "" {
			if p, ok := bToA[cb.ParentID]; ok {
				parentB = p
			} else {
				parentB = "\x00new:" + cb.ParentID
			}
		}
		if parentB != ca.ParentID {
			fields = append(fields, "parent")
			detail = append(detail, fmt.Sprintf("moved from %s to %s", parentPhrase(ia, ca.ParentID), parentPhrase(ib, cb.ParentID)))
		}
		var changed []string
		for _, f := range codeFields {
			if f.key(ca) == f.key(cb) {
				continue
			}
			fields = append(fields, f.name)
			if f.short {
				detail = append(detail, fmt.Sprintf("%s %s → %s", f.name, orNone(f.show(ca)), orNone(f.show(cb))))
			} else {
				changed = append(changed, f.name)
			}
		}
		if len(changed) > 0 {
			detail = append(detail, strings.Join(changed, ", ")+" changed")
		}
		if len(fields) == 0 {
			continue
		}
		kind := ChangeChanged
		switch {
		case ca.Name != cb.Name:
			kind = ChangeRenamed
		case parentB != ca.ParentID:
			kind = ChangeMoved
		}
		c := Change{Kind: kind, ID: cb.ID, Path: ib.Path(cb.ID), Fields: fields, Detail: strings.Join(detail, "; ")}
		if old := ia.Path(ca.ID); old != c.Path {
			c.OldPath = old
		}
		out = append(out, c)
	}
	for i := range a.Codes {
		ca := &a.Codes[i]
		if _, ok := aToB[ca.ID]; !ok {
			out = append(out, Change{Kind: ChangeRemoved, ID: ca.ID, Path: ia.Path(ca.ID)})
		}
	}
	kindRank := map[string]int{ChangeRemoved: 0, ChangeAdded: 1, ChangeRenamed: 2, ChangeMoved: 3, ChangeChanged: 4}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		if x.Kind != y.Kind {
			return kindRank[x.Kind] < kindRank[y.Kind]
		}
		return x.ID < y.ID
	})
	return out
}

func parentPhrase(ix *Index, parentID string) string {
	if parentID == "" {
		return "the top level"
	}
	return strconv.Quote(ix.Path(parentID))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// codeField is one comparable field of a Code, other than id, name and
// parent, which merge and diff treat specially.
type codeField struct {
	name  string
	short bool                 // short enough to show old and new values in a diff
	key   func(c *Code) string // equal keys mean equal values
	show  func(c *Code) string // the value for a person
	set   func(dst, src *Code) // copy the field from src to dst
}

var codeFields = []codeField{
	{name: "description", key: func(c *Code) string { return c.Description }, set: func(d, s *Code) { d.Description = s.Description }},
	{name: "inclusion", key: func(c *Code) string { return c.Inclusion }, set: func(d, s *Code) { d.Inclusion = s.Inclusion }},
	{name: "exclusion", key: func(c *Code) string { return c.Exclusion }, set: func(d, s *Code) { d.Exclusion = s.Exclusion }},
	{name: "example", key: func(c *Code) string { return c.Example }, set: func(d, s *Code) { d.Example = s.Example }},
	{name: "polarity", short: true, key: func(c *Code) string { return string(c.Polarity) }, set: func(d, s *Code) { d.Polarity = s.Polarity }},
	{name: "links", short: true, key: func(c *Code) string { return setKey(c.Links) }, show: func(c *Code) string { return setDisplay(c.Links) },
		set: func(d, s *Code) { d.Links = append([]string(nil), s.Links...) }},
	{name: "colour", short: true, key: func(c *Code) string { return c.Colour }, set: func(d, s *Code) { d.Colour = s.Colour }},
	{name: "hotkey", short: true, key: func(c *Code) string { return c.Hotkey }, set: func(d, s *Code) { d.Hotkey = s.Hotkey }},
	{name: "grouping", short: true, key: func(c *Code) string { return strconv.FormatBool(c.Grouping) }, set: func(d, s *Code) { d.Grouping = s.Grouping }},
	{name: "memo", key: func(c *Code) string { return c.Memo }, set: func(d, s *Code) { d.Memo = s.Memo }},
}

func init() {
	for i := range codeFields {
		if codeFields[i].show == nil {
			codeFields[i].show = codeFields[i].key
		}
	}
}

// sortedSet returns the distinct values of s, sorted.
func sortedSet(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	k := 0
	for i, v := range out {
		if i == 0 || v != out[k-1] {
			out[k] = v
			k++
		}
	}
	return out[:k]
}

func setKey(s []string) string     { return strings.Join(sortedSet(s), "\n") }
func setDisplay(s []string) string { return strings.Join(sortedSet(s), ", ") }

// preorder lists codes parents first, siblings in input order. Codes not
// reachable from the top level (missing parents, cycles) come last, in
// input order.
func preorder(ix *Index, codes []Code) []*Code {
	out := make([]*Code, 0, len(codes))
	seen := map[*Code]bool{}
	var walk func(parent string)
	walk = func(parent string) {
		for _, c := range ix.Children(parent) {
			if seen[c] {
				continue
			}
			seen[c] = true
			out = append(out, c)
			if c.ID != "" {
				walk(c.ID)
			}
		}
	}
	walk("")
	for i := range codes {
		if c := &codes[i]; !seen[c] {
			out = append(out, c)
		}
	}
	return out
}

// matchCodes pairs the codes of b with those of a: first the forced pairs
// (b id -> a id), then by id, then by name under the matched parent (b's
// codes visited parents first). how says how each b code was matched:
// "map", "id" or "name".
func matchCodes(ia, ib *Index, a, b []Code, forced map[string]string) (bToA, aToB, how map[string]string) {
	bToA, aToB, how = map[string]string{}, map[string]string{}, map[string]string{}
	pair := func(bid, aid, by string) {
		bToA[bid], aToB[aid], how[bid] = aid, bid, by
	}
	keys := make([]string, 0, len(forced))
	for k := range forced {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, bid := range keys {
		pair(bid, forced[bid], "map")
	}
	for i := range b {
		id := b[i].ID
		if id == "" {
			continue
		}
		if _, done := bToA[id]; done {
			continue
		}
		if _, taken := aToB[id]; taken {
			continue
		}
		if _, ok := ia.Code(id); ok {
			pair(id, id, "id")
		}
	}
	for _, cb := range preorder(ib, b) {
		if _, done := bToA[cb.ID]; done || cb.ID == "" {
			continue
		}
		parentA := ""
		if cb.ParentID != "" {
			p, ok := bToA[cb.ParentID]
			if !ok {
				continue // under a code only b has: new as well
			}
			parentA = p
		}
		norm, fold := normName(cb.Name), foldName(cb.Name)
		if norm == "" {
			continue
		}
		var best *Code
		for _, ca := range ia.Children(parentA) {
			if _, taken := aToB[ca.ID]; taken || ca.ID == "" || normName(ca.Name) != norm {
				continue
			}
			if foldName(ca.Name) == fold {
				best = ca
				break
			}
			if best == nil {
				best = ca
			}
		}
		if best != nil {
			pair(cb.ID, best.ID, "name")
		}
	}
	return bToA, aToB, how
}
