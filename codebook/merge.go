package codebook

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// MergeOptions control Merge.
type MergeOptions struct {
	// Base is the common ancestor of ours and theirs (three-way merge);
	// nil merges two-way.
	Base *Codebook
	// Prefer resolves conflicts: "ours" or "theirs" takes that side's
	// value; "" keeps ours in the output and reports the conflict as
	// unresolved.
	Prefer string
	// Map forces matches: theirs code (id or path) -> ours code (id or
	// path), e.g. from ReadMapCSV.
	Map map[string]string
}

// Conflict kinds.
const (
	ConflictField         = "field"          // a field differs (or both sides changed it)
	ConflictParent        = "parent"         // the code sits under different parents
	ConflictNameDuplicate = "name-duplicate" // two codes with one name were merged into one, or a rename was undone to keep sibling names unique
	ConflictDeleteEdit    = "delete-edit"    // one side deleted a code the other edited (the code is kept)
	ConflictParentCycle   = "parent-cycle"   // taking theirs' parent would make a code its own ancestor; ours' parent kept
	ConflictHotkey        = "hotkey-clash"   // theirs' hotkey is used by another code; ours' hotkey (or none) kept
)

// Conflict is one disagreement between ours and theirs.
type Conflict struct {
	Kind  string // see the Conflict* constants
	ID    string // the code's id in the merged codebook ("" for the codebook itself)
	Path  string // the code's path in the merged codebook ("" for the codebook itself)
	Field string // name, description, ..., parent; "codebook name" etc. for the codebook itself
	// The values on each side (paths for parents; "" for an empty value,
	// "(top level)" for no parent). Base is empty in a two-way merge.
	Ours, Theirs, Base string
	// Which value the merged codebook holds: "ours" or "theirs", or
	// "unresolved" (ours kept, a person should decide) when Prefer is "".
	Resolution string
}

// MergeResult is the outcome of Merge.
type MergeResult struct {
	Codebook  *Codebook
	Conflicts []Conflict // sorted by path, kind, field
	Added     []string   // paths (in the merged codebook) of codes taken from theirs that ours did not have, in theirs' order
	Matched   int        // theirs' codes merged into a code of ours
	// TheirsToMerged maps every theirs code id that survives the merge to
	// its id in the merged codebook (the same id unless it was matched to
	// a code of ours with another id), so that codings made against theirs
	// can be re-pointed. Codes deleted by a three-way merge are absent.
	TheirsToMerged map[string]string
}

// Merge merges theirs into ours.
//
// Codes are matched by Map, then by id, then by name under the same
// (matched) parent, comparing names after normalising case, spacing,
// punctuation and simple plurals. A code matched by name whose id differs
// is a probable duplicate: it becomes one code with ours' id, reported as
// a "name-duplicate" conflict (resolution "ours"). Each field that differs
// between matched codes (name, description, inclusion, exclusion,
// example, polarity, links as a set, colour, hotkey, grouping, memo, and
// the parent) is one conflict, resolved by Prefer.
//
// With a Base, a field changed on one side only is taken from that side
// without conflict, and only fields changed differently on both sides
// conflict. A code deleted on one side is deleted if the other side left
// it (and all its sub-codes) unchanged; if the other side edited it, or
// edited or added a sub-code under it, it is kept whatever Prefer says and
// reported as "delete-edit".
//
// Codes only in theirs are added under their (matched) parent. If an added
// code's name is already taken among its merged siblings it is merged into
// that sibling ("name-duplicate"); if taking theirs' name or parent for a
// matched code would clash with a sibling or make a cycle, ours' value is
// kept and reported; likewise a hotkey from theirs that another code uses
// ("hotkey-clash"). So the merged codebook has unique ids, unique sibling
// names, unique hotkeys and no cycles. It lists ours' codes in ours' order, then the added
// codes in theirs' order. The codebook's name and description merge like
// a code's fields; its frameworks are the union (ours' order first).
//
// Merge is deterministic and leaves its inputs unchanged. It returns an
// error for inputs whose structure is broken (missing or duplicate ids,
// missing parents, cycles; see Lint), a bad Prefer or a Map entry that
// does not resolve.
func Merge(ours, theirs *Codebook, opt MergeOptions) (*MergeResult, error) {
	if ours == nil || theirs == nil {
		return nil, errors.New("merge: missing codebook")
	}
	switch opt.Prefer {
	case "", "ours", "theirs":
	default:
		return nil, fmt.Errorf("merge: prefer %q is not one of ours, theirs or empty", opt.Prefer)
	}
	for _, in := range []struct {
		name string
		cb   *Codebook
	}{{"ours", ours}, {"theirs", theirs}, {"base", opt.Base}} {
		if in.cb == nil {
			continue
		}
		if err := checkStructure(in.cb); err != nil {
			return nil, fmt.Errorf("merge: %s codebook: %v", in.name, err)
		}
	}
	m := &merger{opt: opt, ours: ours, theirs: theirs, base: opt.Base, nodes: map[string]*mnode{}, conflictAt: map[string]int{}}
	m.oix, m.tix = NewIndex(ours.Codes), NewIndex(theirs.Codes)
	if m.base != nil {
		m.bix = NewIndex(m.base.Codes)
	}
	forced, err := m.resolveMap()
	if err != nil {
		return nil, err
	}
	m.t2o, m.o2t, m.how = matchCodes(m.oix, m.tix, ours.Codes, theirs.Codes, forced)
	m.build()
	m.decideDeletions()
	if err := m.settle(); err != nil {
		return nil, err
	}
	m.fixHotkeys()
	return m.result(), nil
}

// checkStructure returns the first structural problem Lint finds.
func checkStructure(cb *Codebook) error {
	for _, p := range Lint(cb) {
		switch p.Rule {
		case "missing-id", "duplicate-id", "missing-parent", "parent-cycle":
			where := p.Code
			if where == "" {
				where = p.CodeID
			}
			return fmt.Errorf("%s: %s", where, p.Message)
		}
	}
	return nil
}

// mnode is one code of the merged codebook in the making.
type mnode struct {
	code   Code  // the merged values; code.ID is the merged id
	ours   *Code // nil for codes only theirs has
	theirs *Code // nil for codes only ours has
	base   *Code

	nameTheirs, parentTheirs bool // name/parent taken from theirs (may be undone)

	candidate bool   // deleted on one side (three-way)
	keptBy    string // "ours" or "theirs": the side that still has it
	edited    []string
	deleted   bool

	redirect string // theirs-only code merged into this merged id
}

type merger struct {
	opt                MergeOptions
	ours, theirs, base *Codebook
	oix, tix, bix      *Index
	t2o, o2t, how      map[string]string
	newID              map[string]string // theirs-only id -> merged id
	nodes              map[string]*mnode // by merged id
	oursNodes          []*mnode          // in ours' order
	theirsOnly         []*mnode          // in theirs' order
	theirsPre          []*mnode          // theirs-only, parents first
	conflicts          []Conflict
	conflictAt         map[string]int // id + "\x00" + field -> index in conflicts
	dupConflicts       []Conflict     // from the last settle round
}

func (m *merger) resolution() string {
	if m.opt.Prefer == "" {
		return "unresolved"
	}
	return m.opt.Prefer
}

func (m *merger) addConflict(c Conflict) {
	if c.Field != "" {
		m.conflictAt[c.ID+"\x00"+c.Field] = len(m.conflicts)
	}
	m.conflicts = append(m.conflicts, c)
}

// resolveMap turns MergeOptions.Map into theirs id -> ours id.
func (m *merger) resolveMap() (map[string]string, error) {
	if len(m.opt.Map) == 0 {
		return nil, nil
	}
	keys := make([]string, 0, len(m.opt.Map))
	for k := range m.opt.Map {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	forced := map[string]string{}
	target := map[string]string{} // ours id -> the map key that chose it
	for _, k := range keys {
		v := m.opt.Map[k]
		tc, err := m.tix.Find(k)
		if err != nil {
			return nil, fmt.Errorf("merge: map %q → %q: theirs: %v", k, v, err)
		}
		oc, err := m.oix.Find(v)
		if err != nil {
			return nil, fmt.Errorf("merge: map %q → %q: ours: %v", k, v, err)
		}
		if prev, ok := forced[tc.ID]; ok && prev != oc.ID {
			return nil, fmt.Errorf("merge: map: theirs code %q is mapped twice, to %q and %q", m.tix.Path(tc.ID), m.oix.Path(prev), m.oix.Path(oc.ID))
		}
		if prevKey, ok := target[oc.ID]; ok && forced[tc.ID] != oc.ID {
			return nil, fmt.Errorf("merge: map: ours code %q is the target of both %q and %q", m.oix.Path(oc.ID), prevKey, k)
		}
		forced[tc.ID] = oc.ID
		target[oc.ID] = k
	}
	return forced, nil
}

// mergedOf returns the merged id for a theirs id.
func (m *merger) mergedOf(tid string) string {
	if oid, ok := m.t2o[tid]; ok {
		return oid
	}
	return m.newID[tid]
}

func (m *merger) baseCode(ids ...string) *Code {
	if m.bix == nil {
		return nil
	}
	for _, id := range ids {
		if c, ok := m.bix.Code(id); ok {
			return c
		}
	}
	return nil
}

func pathOrTop(ix *Index, id string) string {
	if ix == nil {
		return ""
	}
	if id == "" {
		return "(top level)"
	}
	return ix.Path(id)
}

// build creates the merged nodes: ours' codes with their fields merged,
// then theirs' codes that ours does not have.
func (m *merger) build() {
	used := map[string]bool{}
	for i := range m.ours.Codes {
		used[m.ours.Codes[i].ID] = true
	}
	m.newID = map[string]string{}
	for i := range m.theirs.Codes {
		t := &m.theirs.Codes[i]
		if _, ok := m.t2o[t.ID]; ok {
			continue
		}
		id := t.ID
		for n := 0; used[id]; n++ {
			// Only when Map gave ours' code with this id to another code.
			id = uuid.NewSHA1(uuid.NameSpaceURL, fmt.Appendf(nil, "qcode:merge:%s:%d", t.ID, n)).String()
		}
		used[id] = true
		m.newID[t.ID] = id
	}
	for i := range m.ours.Codes {
		o := &m.ours.Codes[i]
		n := &mnode{code: *o, ours: o}
		n.code.Links = append([]string(nil), o.Links...)
		if tid, ok := m.o2t[o.ID]; ok {
			t, _ := m.tix.Code(tid)
			n.theirs = t
			n.base = m.baseCode(o.ID, t.ID)
			m.mergePair(n)
		} else if m.bix != nil {
			if b, ok := m.bix.Code(o.ID); ok {
				if _, inTheirs := m.tix.Code(o.ID); !inTheirs {
					n.base, n.candidate, n.keptBy = b, true, "ours"
					n.edited = changedFields(o, b)
				}
			}
		}
		m.nodes[n.code.ID] = n
		m.oursNodes = append(m.oursNodes, n)
	}
	only := map[*Code]*mnode{}
	for i := range m.theirs.Codes {
		t := &m.theirs.Codes[i]
		if _, ok := m.t2o[t.ID]; ok {
			continue
		}
		n := &mnode{code: *t, theirs: t}
		n.code.ID = m.newID[t.ID]
		n.code.Links = append([]string(nil), t.Links...)
		if t.ParentID != "" {
			n.code.ParentID = m.mergedOf(t.ParentID)
		}
		if m.bix != nil {
			if b, ok := m.bix.Code(t.ID); ok {
				if _, inOurs := m.oix.Code(t.ID); !inOurs {
					n.base, n.candidate, n.keptBy = b, true, "theirs"
					n.edited = changedFields(t, b)
				}
			}
		}
		m.nodes[n.code.ID] = n
		m.theirsOnly = append(m.theirsOnly, n)
		only[t] = n
	}
	for _, t := range preorder(m.tix, m.theirs.Codes) {
		if n, ok := only[t]; ok {
			m.theirsPre = append(m.theirsPre, n)
		}
	}
}

// changedFields lists the fields of c that differ from base b, with parents
// compared by id (c and b share ids).
func changedFields(c, b *Code) []string {
	var out []string
	if c.Name != b.Name {
		out = append(out, "name")
	}
	if c.ParentID != b.ParentID {
		out = append(out, "parent")
	}
	for _, f := range codeFields {
		if f.key(c) != f.key(b) {
			out = append(out, f.name)
		}
	}
	return out
}

// mergePair merges the fields of a matched pair into n.code.
func (m *merger) mergePair(n *mnode) {
	o, t, b := n.ours, n.theirs, n.base
	if m.how[t.ID] == "name" && o.ID != t.ID {
		m.addConflict(Conflict{Kind: ConflictNameDuplicate, ID: o.ID, Ours: m.oix.Path(o.ID), Theirs: m.tix.Path(t.ID),
			Base: m.basePath(b), Resolution: "ours"})
	}
	// decide returns whether to take theirs' value, and records a conflict.
	decide := func(kind, field string, eq, oursChanged, theirsChanged bool, ov, tv, bv string) bool {
		if eq {
			return false
		}
		if b != nil && !oursChanged {
			return true
		}
		if b != nil && !theirsChanged {
			return false
		}
		m.addConflict(Conflict{Kind: kind, ID: o.ID, Field: field, Ours: ov, Theirs: tv, Base: bv, Resolution: m.resolution()})
		return m.opt.Prefer == "theirs"
	}
	var bName string
	if b != nil {
		bName = b.Name
	}
	if decide(ConflictField, "name", o.Name == t.Name, o.Name != bName, t.Name != bName, o.Name, t.Name, bName) {
		n.code.Name, n.nameTheirs = t.Name, true
	}
	tParent := ""
	if t.ParentID != "" {
		tParent = m.mergedOf(t.ParentID)
	}
	var bParent, bParentPath string
	if b != nil {
		bParent, bParentPath = b.ParentID, pathOrTop(m.bix, b.ParentID)
	}
	if decide(ConflictParent, "parent", o.ParentID == tParent, o.ParentID != bParent, t.ParentID != bParent,
		pathOrTop(m.oix, o.ParentID), pathOrTop(m.tix, t.ParentID), bParentPath) {
		n.code.ParentID, n.parentTheirs = tParent, true
	}
	for _, f := range codeFields {
		var bk, bv string
		if b != nil {
			bk, bv = f.key(b), f.show(b)
		}
		ok, tk := f.key(o), f.key(t)
		if decide(ConflictField, f.name, ok == tk, ok != bk, tk != bk, f.show(o), f.show(t), bv) {
			f.set(&n.code, t)
		}
	}
}

func (m *merger) basePath(b *Code) string {
	if b == nil {
		return ""
	}
	return m.bix.Path(b.ID)
}

// decideDeletions deletes the codes one side deleted and the other left
// alone, keeping those edited or holding a surviving sub-code.
func (m *merger) decideDeletions() {
	for _, n := range m.allNodes() {
		if n.candidate && len(n.edited) == 0 {
			n.deleted = true
		}
	}
	for _, n := range m.allNodes() {
		if n.candidate && len(n.edited) > 0 {
			edited := "edited (" + strings.Join(n.edited, ", ") + ")"
			c := Conflict{Kind: ConflictDeleteEdit, ID: n.code.ID, Ours: edited, Theirs: "deleted", Base: m.basePath(n.base), Resolution: m.keepResolution(n)}
			if n.keptBy == "theirs" {
				c.Ours, c.Theirs = "deleted", edited
				c.Path = m.tix.Path(n.theirs.ID)
			} else {
				c.Path = m.oix.Path(n.ours.ID)
			}
			m.addConflict(c)
		}
	}
	for _, n := range m.allNodes() {
		if !n.deleted {
			m.undeleteAncestors(n)
		}
	}
}

func (m *merger) keepResolution(n *mnode) string {
	if m.opt.Prefer == "" {
		return "unresolved"
	}
	return n.keptBy
}

// undeleteAncestors keeps the deleted ancestors of a surviving code.
func (m *merger) undeleteAncestors(n *mnode) {
	seen := map[*mnode]bool{n: true}
	for cur := m.nodes[n.code.ParentID]; cur != nil && !seen[cur] && cur.deleted; cur = m.nodes[cur.code.ParentID] {
		seen[cur] = true
		cur.deleted = false
		c := Conflict{Kind: ConflictDeleteEdit, ID: cur.code.ID, Field: "sub-codes", Base: m.basePath(cur.base), Resolution: m.keepResolution(cur)}
		kept := "kept: holds sub-codes that were edited or added"
		if cur.keptBy == "theirs" {
			c.Ours, c.Theirs = "deleted", kept
			c.Path = m.tix.Path(cur.theirs.ID)
		} else {
			c.Ours, c.Theirs = kept, "deleted"
			c.Path = m.oix.Path(cur.ours.ID)
		}
		m.addConflict(c)
	}
}

func (m *merger) allNodes() []*mnode {
	out := make([]*mnode, 0, len(m.oursNodes)+len(m.theirsOnly))
	out = append(out, m.oursNodes...)
	return append(out, m.theirsOnly...)
}

type sibKey struct{ parent, name string }

// settle places theirs-only codes and undoes choices that would leave
// duplicate sibling names or cycles, until nothing changes. Every round
// either finishes or moves a name or parent back to ours' value (or keeps
// a deleted code), so it ends.
func (m *merger) settle() error {
	limit := 4*len(m.nodes) + 4
	for round := 0; ; round++ {
		if round > limit {
			return errors.New("merge: could not settle the merged hierarchy (please report this)")
		}
		// Sibling names among ours' codes.
		sib := map[sibKey]string{}
		changed := false
		for _, n := range m.oursNodes {
			if n.deleted {
				continue
			}
			k := sibKey{n.code.ParentID, foldName(n.code.Name)}
			other, clash := sib[k]
			if !clash {
				sib[k] = n.code.ID
				continue
			}
			for _, x := range []*mnode{n, m.nodes[other]} {
				if m.undoTheirs(x, ConflictNameDuplicate) {
					changed = true
					break
				}
			}
			if changed {
				break
			}
		}
		if changed {
			continue
		}
		// Theirs-only codes, parents first: merged into a sibling of the
		// same name, or added.
		m.dupConflicts = nil
		for _, n := range m.theirsPre {
			if n.deleted {
				continue
			}
			n.redirect = ""
			t := n.theirs
			n.code.ParentID = ""
			if t.ParentID != "" {
				p := m.mergedOf(t.ParentID)
				if pn := m.nodes[p]; pn != nil && pn.redirect != "" {
					p = pn.redirect
				}
				n.code.ParentID = p
			}
			k := sibKey{n.code.ParentID, foldName(n.code.Name)}
			if other, clash := sib[k]; clash {
				n.redirect = other
				m.dupConflicts = append(m.dupConflicts, Conflict{Kind: ConflictNameDuplicate, ID: other,
					Ours: m.existingPath(other), Theirs: m.tix.Path(t.ID), Resolution: "ours"})
				continue
			}
			sib[k] = n.code.ID
		}
		// A code of ours moved under a theirs-only code that was merged
		// into another: check its name among its new siblings.
		all := map[sibKey]*mnode{}
		for _, n := range m.allNodes() {
			if n.deleted || n.redirect != "" {
				continue
			}
			k := sibKey{m.resolve(n.code.ParentID), foldName(n.code.Name)}
			other, clash := all[k]
			if !clash {
				all[k] = n
				continue
			}
			if m.undoTheirs(n, ConflictNameDuplicate) || m.undoTheirs(other, ConflictNameDuplicate) {
				changed = true
				break
			}
		}
		if changed {
			continue
		}
		// Deleted parents of surviving codes (after undoing a move).
		for _, n := range m.allNodes() {
			if n.deleted || n.redirect != "" {
				continue
			}
			if p := m.nodes[n.code.ParentID]; p != nil && p.deleted {
				m.undeleteAncestors(n)
				changed = true
			}
		}
		if changed {
			continue
		}
		// Cycles.
		cycle := m.findCycle()
		if cycle == nil {
			return nil
		}
		undone := false
		for _, n := range cycle {
			if n.parentTheirs {
				m.undoParent(n, ConflictParentCycle)
				undone = true
				break
			}
		}
		if !undone {
			return errors.New("merge: the merged hierarchy has a cycle (please report this)")
		}
	}
}

// resolve follows merges of theirs-only codes into other codes.
func (m *merger) resolve(id string) string {
	for range len(m.nodes) + 1 {
		n := m.nodes[id]
		if n == nil || n.redirect == "" {
			return id
		}
		id = n.redirect
	}
	return id
}

func (m *merger) existingPath(id string) string {
	n := m.nodes[id]
	if n == nil {
		return ""
	}
	if n.ours != nil {
		return m.oix.Path(n.ours.ID)
	}
	return m.tix.Path(n.theirs.ID)
}

// undoTheirs puts back ours' name, or failing that ours' parent.
func (m *merger) undoTheirs(n *mnode, kind string) bool {
	if n.nameTheirs {
		n.nameTheirs = false
		m.forced(n, kind, "name", n.ours.Name, n.theirs.Name)
		n.code.Name = n.ours.Name
		return true
	}
	if n.parentTheirs {
		m.undoParent(n, kind)
		return true
	}
	return false
}

func (m *merger) undoParent(n *mnode, kind string) {
	n.parentTheirs = false
	m.forced(n, kind, "parent", pathOrTop(m.oix, n.ours.ParentID), pathOrTop(m.tix, n.theirs.ParentID))
	n.code.ParentID = n.ours.ParentID
}

// forced records that ours' value was kept for field, and marks an earlier
// conflict on the field as resolved to ours.
func (m *merger) forced(n *mnode, kind, field, ours, theirs string) {
	if i, ok := m.conflictAt[n.code.ID+"\x00"+field]; ok {
		m.conflicts[i].Resolution = "ours"
	}
	c := Conflict{Kind: kind, ID: n.code.ID, Field: field, Ours: ours, Theirs: theirs, Resolution: "ours"}
	if n.base != nil {
		if field == "name" {
			c.Base = n.base.Name
		} else {
			c.Base = pathOrTop(m.bix, n.base.ParentID)
		}
	}
	m.conflicts = append(m.conflicts, c)
}

// findCycle returns the nodes of one cycle in the merged hierarchy, or nil.
func (m *merger) findCycle() []*mnode {
	const (
		visiting = 1
		done     = 2
	)
	state := map[*mnode]int{}
	for _, start := range m.allNodes() {
		if start.deleted || start.redirect != "" || state[start] != 0 {
			continue
		}
		var chain []*mnode
		cur := start
		for cur != nil && state[cur] == 0 {
			state[cur] = visiting
			chain = append(chain, cur)
			cur = m.nodes[cur.code.ParentID]
			if cur != nil && cur.redirect != "" {
				cur = m.nodes[cur.redirect]
			}
		}
		if cur != nil && state[cur] == visiting {
			for i, x := range chain {
				if x == cur {
					return chain[i:]
				}
			}
		}
		for _, x := range chain {
			state[x] = done
		}
	}
	return nil
}

// fixHotkeys keeps hotkeys unique: ours' hotkeys win; a hotkey from theirs
// that another code already uses is replaced by ours' (if free) or dropped.
func (m *merger) fixHotkeys() {
	var live []*mnode
	for _, n := range m.allNodes() {
		if !n.deleted && n.redirect == "" {
			live = append(live, n)
		}
	}
	taken := map[string]bool{}
	fromOurs := func(n *mnode) bool { return n.ours != nil && n.code.Hotkey == n.ours.Hotkey }
	for _, n := range live {
		if fromOurs(n) && n.code.Hotkey != "" {
			taken[n.code.Hotkey] = true
		}
	}
	for _, n := range live {
		hk := n.code.Hotkey
		if fromOurs(n) || hk == "" {
			continue
		}
		if !taken[hk] {
			taken[hk] = true
			continue
		}
		c := Conflict{Kind: ConflictHotkey, ID: n.code.ID, Field: "hotkey", Theirs: hk, Resolution: "ours"}
		n.code.Hotkey = ""
		if n.ours != nil {
			c.Ours = n.ours.Hotkey
			if i, ok := m.conflictAt[n.code.ID+"\x00hotkey"]; ok {
				m.conflicts[i].Resolution = "ours"
			}
			if !taken[n.ours.Hotkey] {
				n.code.Hotkey = n.ours.Hotkey
				taken[n.ours.Hotkey] = n.ours.Hotkey != ""
			}
		}
		if n.base != nil {
			c.Base = n.base.Hotkey
		}
		m.conflicts = append(m.conflicts, c)
	}
}

func (m *merger) result() *MergeResult {
	out := &Codebook{Name: m.ours.Name, Description: m.ours.Description}
	m.mergeBookField("codebook name", &out.Name, m.theirs.Name, func(b *Codebook) string { return b.Name })
	m.mergeBookField("codebook description", &out.Description, m.theirs.Description, func(b *Codebook) string { return b.Description })
	seenFW := map[string]bool{}
	for _, fw := range append(append([]string(nil), m.ours.Frameworks...), m.theirs.Frameworks...) {
		if !seenFW[fw] {
			seenFW[fw] = true
			out.Frameworks = append(out.Frameworks, fw)
		}
	}
	res := &MergeResult{Codebook: out, TheirsToMerged: map[string]string{}}
	for _, n := range m.oursNodes {
		if !n.deleted {
			n.code.ParentID = m.resolve(n.code.ParentID)
			out.Codes = append(out.Codes, n.code)
		}
	}
	var added []string
	for _, n := range m.theirsOnly {
		if !n.deleted && n.redirect == "" {
			out.Codes = append(out.Codes, n.code)
			added = append(added, n.code.ID)
		}
	}
	for tid, oid := range m.t2o {
		res.TheirsToMerged[tid] = oid
		res.Matched++
	}
	for _, n := range m.theirsOnly {
		switch {
		case n.deleted:
		case n.redirect != "":
			res.TheirsToMerged[n.theirs.ID] = n.redirect
			res.Matched++
		default:
			res.TheirsToMerged[n.theirs.ID] = n.code.ID
		}
	}
	ix := NewIndex(out.Codes)
	for _, id := range added {
		res.Added = append(res.Added, ix.Path(id))
	}
	cs := append(append([]Conflict(nil), m.conflicts...), m.dupConflicts...)
	for i := range cs {
		if _, ok := ix.Code(cs[i].ID); ok {
			cs[i].Path = ix.Path(cs[i].ID)
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		if a.Theirs != b.Theirs {
			return a.Theirs < b.Theirs
		}
		return a.ID < b.ID
	})
	res.Conflicts = cs
	return res
}

// mergeBookField merges one of the codebook's own fields into *dst (which
// holds ours' value).
func (m *merger) mergeBookField(field string, dst *string, theirs string, get func(*Codebook) string) {
	ours := *dst
	if ours == theirs {
		return
	}
	if m.base != nil {
		b := get(m.base)
		if ours == b {
			*dst = theirs
			return
		}
		if theirs == b {
			return
		}
	}
	c := Conflict{Kind: ConflictField, Field: field, Ours: ours, Theirs: theirs, Resolution: m.resolution()}
	if m.base != nil {
		c.Base = get(m.base)
	}
	m.conflicts = append(m.conflicts, c)
	if m.opt.Prefer == "theirs" {
		*dst = theirs
	}
}

// ReadMapCSV reads explicit code matches for Merge: a CSV file whose header
// names the columns "theirs" and "ours" (in any order; other columns are
// ignored), one match per row, each a code id or path. name is used in
// errors, which give the line.
func ReadMapCSV(name string, r io.Reader) (map[string]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file; expected a header with columns theirs,ours", name)
	}
	if err != nil {
		return nil, csvErr(name, err)
	}
	ti, oi := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "theirs":
			ti = i
		case "ours":
			oi = i
		}
	}
	if ti < 0 || oi < 0 {
		return nil, fmt.Errorf("%s:1: the header must name the columns theirs and ours (got %s)", name, strings.Join(header, ","))
	}
	out := map[string]string{}
	lineOf := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		t, o := get(ti), get(oi)
		switch {
		case t == "" && o == "":
			continue
		case t == "":
			return nil, fmt.Errorf("%s:%d: the theirs column is empty", name, line)
		case o == "":
			return nil, fmt.Errorf("%s:%d: the ours column is empty", name, line)
		}
		if prev, ok := out[t]; ok && prev != o {
			return nil, fmt.Errorf("%s:%d: %q is already mapped to %q on line %d", name, line, t, prev, lineOf[t])
		}
		out[t] = o
		lineOf[t] = line
	}
	return out, nil
}

// csvErr words a CSV error as "name:line: ...".
func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %v", name, err)
}
