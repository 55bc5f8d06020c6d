package codebook

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// merge runs Merge and checks what must hold for every merge: no error,
// a result Lint finds no errors in, unique ids, TheirsToMerged pointing at
// merged codes, unchanged inputs and the same result on a second run.
func merge(t *testing.T, ours, theirs *Codebook, opt MergeOptions) *MergeResult {
	t.Helper()
	snap := func() string {
		b, _ := json.Marshal([]any{ours, theirs, opt.Base})
		return string(b)
	}
	before := snap()
	r, err := Merge(ours, theirs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if snap() != before {
		t.Error("Merge changed its inputs")
	}
	for _, p := range Lint(r.Codebook) {
		if p.Severity == SeverityError {
			t.Errorf("merged codebook: %v", p)
		}
	}
	ix := NewIndex(r.Codebook.Codes)
	for tid, mid := range r.TheirsToMerged {
		if _, ok := ix.Code(mid); !ok {
			t.Errorf("TheirsToMerged[%s] = %s, not in the merged codebook", tid, mid)
		}
	}
	for range 3 {
		again, err := Merge(ours, theirs, opt)
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("Merge is not deterministic:\n%+v\n%+v", r, again)
		}
	}
	return r
}

// paths lists the merged codebook's codes as paths, in order.
func paths(cb *Codebook) []string {
	ix := NewIndex(cb.Codes)
	var out []string
	for _, c := range cb.Codes {
		out = append(out, ix.Path(c.ID))
	}
	return out
}

// conflicts renders conflicts as "kind field path: ours | theirs -> resolution".
func conflicts(cs []Conflict) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %s: %s | %s -> %s", c.Kind, c.Field, c.Path, c.Ours, c.Theirs, c.Resolution))
	}
	return out
}

func codeByID(cb *Codebook, id string) *Code {
	for i := range cb.Codes {
		if cb.Codes[i].ID == id {
			return &cb.Codes[i]
		}
	}
	return nil
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
}

func TestMergeBothAddSameName(t *testing.T) {
	base := cbYAML(t, `
name: x
codes:
  - {id: U1, name: Employers, description: d}
`)
	ours := cbYAML(t, `
name: x
codes:
  - id: U1
    name: Employers
    description: d
    codes:
      - {id: U20, name: Transport, description: Getting to work.}
`)
	theirs := cbYAML(t, `
name: x
codes:
  - id: U1
    name: Employers
    description: d
    codes:
      - {id: U30, name: Transport, description: Getting to work.}
      - {id: U31, name: Childcare, description: Care for children.}
`)
	for _, b := range []*Codebook{nil, base} {
		r := merge(t, ours, theirs, MergeOptions{Base: b})
		eq(t, "paths", paths(r.Codebook), []string{"Employers", "Employers/Transport", "Employers/Childcare"})
		eq(t, "added", r.Added, []string{"Employers/Childcare"})
		eq(t, "conflicts", conflicts(r.Conflicts), []string{"name-duplicate  Employers/Transport: Employers/Transport | Employers/Transport -> ours"})
		eq(t, "theirs ids", r.TheirsToMerged, map[string]string{uid(1): uid(1), uid(30): uid(20), uid(31): uid(31)})
		eq(t, "matched", r.Matched, 2)
	}
}

func TestMergeRenameVersusDefinitionEdit(t *testing.T) {
	base := cbYAML(t, `
name: x
codes:
  - {id: U1, name: Stigma, description: old}
`)
	ours := cbYAML(t, `
name: x
codes:
  - {id: U1, name: Self-stigma, description: old}
`)
	theirs := cbYAML(t, `
name: x
codes:
  - {id: U1, name: Stigma, description: new}
`)
	// Two-way: both fields differ, ours kept, both reported.
	r := merge(t, ours, theirs, MergeOptions{})
	eq(t, "two-way conflicts", conflicts(r.Conflicts), []string{
		"field description Self-stigma: old | new -> unresolved",
		"field name Self-stigma: Self-stigma | Stigma -> unresolved",
	})
	eq(t, "two-way code", *codeByID(r.Codebook, uid(1)), Code{ID: uid(1), Name: "Self-stigma", Description: "old"})

	r = merge(t, ours, theirs, MergeOptions{Prefer: "theirs"})
	eq(t, "prefer theirs", *codeByID(r.Codebook, uid(1)), Code{ID: uid(1), Name: "Stigma", Description: "new"})
	for _, c := range r.Conflicts {
		if c.Resolution != "theirs" {
			t.Errorf("%+v", c)
		}
	}

	// Three-way: each side changed one field; both changes taken.
	r = merge(t, ours, theirs, MergeOptions{Base: base})
	eq(t, "three-way conflicts", conflicts(r.Conflicts), []string(nil))
	eq(t, "three-way code", *codeByID(r.Codebook, uid(1)), Code{ID: uid(1), Name: "Self-stigma", Description: "new"})

	// Three-way, both changed the definition differently: a conflict
	// with the base value.
	theirs2 := cbYAML(t, `
name: x
codes:
  - {id: U1, name: Stigma, description: newer}
`)
	ours2 := cbYAML(t, `
name: x
codes:
  - {id: U1, name: Stigma, description: mine}
`)
	r = merge(t, ours2, theirs2, MergeOptions{Base: base})
	if len(r.Conflicts) != 1 || r.Conflicts[0].Base != "old" || r.Conflicts[0].Field != "description" || codeByID(r.Codebook, uid(1)).Description != "mine" {
		t.Errorf("%+v", r.Conflicts)
	}
}

func TestMergeThreeWayDeleteVersusEdit(t *testing.T) {
	base := cbYAML(t, `
name: x
codes:
  - id: U1
    name: Theme
    description: t
    codes:
      - {id: U2, name: A, description: a}
      - {id: U3, name: B, description: b}
      - {id: U4, name: C, description: c}
  - id: U5
    name: Theme two
    description: t2
    codes:
      - {id: U6, name: D, description: d}
`)
	// Ours deletes A, B and Theme two; edits C.
	ours := cbYAML(t, `
name: x
codes:
  - id: U1
    name: Theme
    description: t
    codes:
      - {id: U4, name: C, description: c edited}
`)
	// Theirs deletes C; edits B; adds E under Theme two.
	theirs := cbYAML(t, `
name: x
codes:
  - id: U1
    name: Theme
    description: t
    codes:
      - {id: U2, name: A, description: a}
      - {id: U3, name: B, description: b edited}
  - id: U5
    name: Theme two
    description: t2
    codes:
      - {id: U6, name: D, description: d}
      - {id: U7, name: E, description: e}
`)
	r := merge(t, ours, theirs, MergeOptions{Base: base})
	eq(t, "paths", paths(r.Codebook), []string{"Theme", "Theme/C", "Theme/B", "Theme two", "Theme two/E"})
	eq(t, "conflicts", conflicts(r.Conflicts), []string{
		"delete-edit sub-codes Theme two: deleted | kept: holds sub-codes that were edited or added -> unresolved",
		"delete-edit  Theme/B: deleted | edited (description) -> unresolved",
		"delete-edit  Theme/C: edited (description) | deleted -> unresolved",
	})
	eq(t, "B", codeByID(r.Codebook, uid(3)).Description, "b edited")
	eq(t, "C", codeByID(r.Codebook, uid(4)).Description, "c edited")
	eq(t, "theirs ids", r.TheirsToMerged, map[string]string{uid(1): uid(1), uid(3): uid(3), uid(5): uid(5), uid(7): uid(7)})
	eq(t, "added", r.Added, []string{"Theme/B", "Theme two", "Theme two/E"})

	// Prefer does not let a deletion win over an edit; it names the side kept.
	r = merge(t, ours, theirs, MergeOptions{Base: base, Prefer: "ours"})
	eq(t, "prefer ours", conflicts(r.Conflicts)[1], "delete-edit  Theme/B: deleted | edited (description) -> theirs")

	// Deleted on one side, unchanged on the other: gone, no conflict.
	r = merge(t, ours, base, MergeOptions{Base: base})
	eq(t, "deleted", paths(r.Codebook), []string{"Theme", "Theme/C"})
	eq(t, "no conflicts", len(r.Conflicts), 0)
}

func TestMergeSameIDDifferentParent(t *testing.T) {
	src := func(parentOfStigma string) string {
		s := `
name: x
codes:
  - {id: U1, name: Employers, description: e}
  - {id: U2, name: Staff, description: s}
`
		return strings.Replace(s, "{id: U"+parentOfStigma+",", "{codes: [{id: U3, name: Stigma, description: st}], id: U"+parentOfStigma+",", 1)
	}
	ours, theirs := cbYAML(t, src("1")), cbYAML(t, src("2"))
	r := merge(t, ours, theirs, MergeOptions{})
	eq(t, "conflicts", conflicts(r.Conflicts), []string{"parent parent Employers/Stigma: Employers | Staff -> unresolved"})
	eq(t, "paths", paths(r.Codebook), []string{"Employers", "Employers/Stigma", "Staff"})

	r = merge(t, ours, theirs, MergeOptions{Prefer: "theirs"})
	eq(t, "prefer theirs", paths(r.Codebook), []string{"Employers", "Staff/Stigma", "Staff"})
	eq(t, "resolution", r.Conflicts[0].Resolution, "theirs")

	// Three-way: only theirs moved it.
	r = merge(t, ours, theirs, MergeOptions{Base: ours})
	eq(t, "three-way", paths(r.Codebook), []string{"Employers", "Staff/Stigma", "Staff"})
	eq(t, "three-way conflicts", len(r.Conflicts), 0)
}

func TestMergeProbableDuplicate(t *testing.T) {
	ours := cbYAML(t, `
name: x
codes:
  - id: U1
    name: Employers
    description: e
    codes:
      - id: U2
        name: Employer contact
        description: Contact with employers.
        codes:
          - {id: U3, name: Cold calls, description: c}
`)
	theirs := cbYAML(t, `
name: x
codes:
  - id: U1
    name: Employers
    description: e
    codes:
      - id: U12
        name: Employer-contacts
        description: Contact with employers.
        codes:
          - {id: U13, name: Cold calls, description: c}
          - {id: U14, name: Follow-up, description: f}
`)
	r := merge(t, ours, theirs, MergeOptions{})
	eq(t, "paths", paths(r.Codebook), []string{"Employers", "Employers/Employer contact", "Employers/Employer contact/Cold calls", "Employers/Employer contact/Follow-up"})
	eq(t, "conflicts", conflicts(r.Conflicts), []string{
		"field name Employers/Employer contact: Employer contact | Employer-contacts -> unresolved",
		"name-duplicate  Employers/Employer contact: Employers/Employer contact | Employers/Employer-contacts -> ours",
		"name-duplicate  Employers/Employer contact/Cold calls: Employers/Employer contact/Cold calls | Employers/Employer-contacts/Cold calls -> ours",
	})
	eq(t, "theirs ids", r.TheirsToMerged, map[string]string{uid(1): uid(1), uid(12): uid(2), uid(13): uid(3), uid(14): uid(14)})
	eq(t, "added", r.Added, []string{"Employers/Employer contact/Follow-up"})
	eq(t, "matched", r.Matched, 3)
}

func TestMergeMapForcesMatch(t *testing.T) {
	ours := cbYAML(t, `
name: x
codes:
  - id: U1
    name: Employers
    description: e
    codes:
      - {id: U2, name: Workplace stigma, description: s}
`)
	theirs := cbYAML(t, `
name: x
codes:
  - id: U1
    name: Employers
    description: e
    codes:
      - id: U12
        name: Stigma at work
        description: s
        codes:
          - {id: U13, name: Disclosure, description: d}
`)
	r := merge(t, ours, theirs, MergeOptions{})
	eq(t, "without a map", paths(r.Codebook), []string{"Employers", "Employers/Workplace stigma", "Employers/Stigma at work", "Employers/Stigma at work/Disclosure"})

	m, err := ReadMapCSV("map.csv", strings.NewReader("\ufeffTheirs,ours,note\nEmployers/Stigma at work,"+uid(2)+",same code\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	r = merge(t, ours, theirs, MergeOptions{Map: m})
	eq(t, "with a map", paths(r.Codebook), []string{"Employers", "Employers/Workplace stigma", "Employers/Workplace stigma/Disclosure"})
	eq(t, "conflicts", conflicts(r.Conflicts), []string{"field name Employers/Workplace stigma: Workplace stigma | Stigma at work -> unresolved"})
	eq(t, "theirs ids", r.TheirsToMerged[uid(12)], uid(2))
	eq(t, "added", r.Added, []string{"Employers/Workplace stigma/Disclosure"})

	// A map entry that overrides an id match: theirs' U2 stays separate
	// and keeps its id only if ours does not use it.
	theirs2 := cbYAML(t, `
name: x
codes:
  - {id: U1, name: Employers, description: e}
  - {id: U2, name: Workplace stigma, description: s}
  - {id: U9, name: Internalised stigma, description: i}
`)
	r = merge(t, ours, theirs2, MergeOptions{Map: map[string]string{uid(9): "Employers/Workplace stigma"}})
	added := codeByID(r.Codebook, r.TheirsToMerged[uid(2)])
	if added == nil || added.ID == uid(2) || r.TheirsToMerged[uid(9)] != uid(2) {
		t.Errorf("ids %v", r.TheirsToMerged)
	}

	for _, bad := range []map[string]string{
		{"No such code": uid(2)},
		{uid(12): "No such code"},
		{uid(12): uid(2), "Employers/Stigma at work/Disclosure": uid(2)},
	} {
		if _, err := Merge(ours, theirs, MergeOptions{Map: bad}); err == nil {
			t.Errorf("map %v: no error", bad)
		}
	}
}

func TestReadMapCSVErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "m.csv: empty file"},
		{"from,to\na,b\n", "m.csv:1: the header must name the columns theirs and ours"},
		{"theirs,ours\na,b\n,c\n", "m.csv:3: the theirs column is empty"},
		{"theirs,ours\na,\n", "m.csv:2: the ours column is empty"},
		{"theirs,ours\na,b\na,c\n", `m.csv:3: "a" is already mapped to "b" on line 2`},
		{"theirs,ours\n\"a,b\n", "m.csv:2:"},
	} {
		_, err := ReadMapCSV("m.csv", strings.NewReader(tc.in))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %s...", tc.in, err, tc.want)
		}
	}
	m, err := ReadMapCSV("m.csv", strings.NewReader("ours,theirs\r\nx, y\r\n"))
	if err != nil || !reflect.DeepEqual(m, map[string]string{"y": "x"}) {
		t.Errorf("%v %v", m, err)
	}
}

func TestMergeKeepsSiblingNamesUnique(t *testing.T) {
	// Taking theirs' rename would give two codes named B: ours' name stays.
	ours := cbYAML(t, `
name: x
codes:
  - {id: U1, name: A, description: a}
  - {id: U2, name: B, description: b}
`)
	theirs := cbYAML(t, `
name: x
codes:
  - {id: U1, name: B, description: a}
`)
	r := merge(t, ours, theirs, MergeOptions{Prefer: "theirs"})
	eq(t, "paths", paths(r.Codebook), []string{"A", "B"})
	eq(t, "conflicts", conflicts(r.Conflicts), []string{
		"field name A: A | B -> ours",
		"name-duplicate name A: A | B -> ours",
	})

	// Ours renamed Stigma to Self-stigma; theirs added "self-stigma" next
	// to it: one code.
	ours = cbYAML(t, `
name: x
codes:
  - {id: U1, name: Self-stigma, description: s}
`)
	theirs = cbYAML(t, `
name: x
codes:
  - {id: U1, name: Stigma, description: s}
  - {id: U5, name: self-stigma, description: s}
`)
	r = merge(t, ours, theirs, MergeOptions{})
	eq(t, "paths", paths(r.Codebook), []string{"Self-stigma"})
	eq(t, "theirs ids", r.TheirsToMerged, map[string]string{uid(1): uid(1), uid(5): uid(1)})
	eq(t, "added", len(r.Added), 0)
	eq(t, "conflicts", conflicts(r.Conflicts), []string{
		"field name Self-stigma: Self-stigma | Stigma -> unresolved",
		"name-duplicate  Self-stigma: Self-stigma | self-stigma -> ours",
	})
}

func TestMergeMovesThatWouldMakeACycle(t *testing.T) {
	base := cbYAML(t, `
name: x
codes:
  - {id: U1, name: P, description: p}
  - {id: U2, name: Q, description: q}
`)
	ours := cbYAML(t, `
name: x
codes:
  - id: U2
    name: Q
    description: q
    codes:
      - {id: U1, name: P, description: p}
`)
	theirs := cbYAML(t, `
name: x
codes:
  - id: U1
    name: P
    description: p
    codes:
      - {id: U2, name: Q, description: q}
`)
	r := merge(t, ours, theirs, MergeOptions{Base: base})
	eq(t, "paths", paths(r.Codebook), []string{"Q", "Q/P"})
	eq(t, "conflicts", conflicts(r.Conflicts), []string{"parent-cycle parent Q: (top level) | P -> ours"})
}

func TestMergeCodebookFields(t *testing.T) {
	ours := &Codebook{Name: "Ours", Description: "same", Frameworks: []string{"ips25"}}
	theirs := &Codebook{Name: "Theirs", Description: "same", Frameworks: []string{"cfir2", "ips25"}}
	r := merge(t, ours, theirs, MergeOptions{})
	eq(t, "frameworks", r.Codebook.Frameworks, []string{"ips25", "cfir2"})
	eq(t, "name", r.Codebook.Name, "Ours")
	eq(t, "conflicts", conflicts(r.Conflicts), []string{"field codebook name : Ours | Theirs -> unresolved"})
	r = merge(t, ours, theirs, MergeOptions{Base: &Codebook{Name: "Ours"}})
	eq(t, "three-way name", r.Codebook.Name, "Theirs")
	eq(t, "three-way conflicts", len(r.Conflicts), 0)
}

func TestMergeRejectsBadInput(t *testing.T) {
	ok := &Codebook{Name: "x"}
	cyclic := &Codebook{Name: "x", Codes: []Code{{ID: "a", Name: "A", ParentID: "b"}, {ID: "b", Name: "B", ParentID: "a"}}}
	for _, tc := range []struct {
		ours, theirs *Codebook
		opt          MergeOptions
	}{
		{ok, ok, MergeOptions{Prefer: "mine"}},
		{cyclic, ok, MergeOptions{}},
		{ok, cyclic, MergeOptions{}},
		{ok, ok, MergeOptions{Base: cyclic}},
		{nil, ok, MergeOptions{}},
	} {
		if _, err := Merge(tc.ours, tc.theirs, tc.opt); err == nil {
			t.Errorf("%+v: no error", tc)
		}
	}
}

func TestMergeIsDeterministic(t *testing.T) {
	var ob, tb strings.Builder
	ob.WriteString("name: x\ncodes:\n")
	tb.WriteString("name: x\ncodes:\n")
	mapping := map[string]string{}
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&ob, "  - {id: U%d, name: Theme %d, description: d%d, links: [ips25:%d, ips25:%d]}\n", i, i, i, i%25+1, (i+3)%25+1)
		// Theirs: new ids for every code, other names and definitions for
		// some, and a few codes only theirs has.
		fmt.Fprintf(&tb, "  - {id: U%d, name: Theme%s %d, description: d%d%s, links: [ips25:%d, ips25:%d]}\n", 100+i, map[bool]string{true: "s"}[i%3 == 0], i, i, map[bool]string{true: " (theirs)"}[i%4 == 0], (i+3)%25+1, i%25+1)
		if i%5 == 0 {
			fmt.Fprintf(&tb, "  - {id: U%d, name: Extra %d, description: e}\n", 200+i, i)
			mapping[uid(200+i)] = uid(i)
		}
	}
	ours, theirs := cbYAML(t, ob.String()), cbYAML(t, tb.String())
	first := merge(t, ours, theirs, MergeOptions{Map: mapping})
	for range 20 {
		if r, _ := Merge(ours, theirs, MergeOptions{Map: mapping}); !reflect.DeepEqual(r, first) {
			t.Fatal("Merge is not deterministic")
		}
	}
	// Every theirs code is matched or added.
	if first.Matched+len(first.Added) != len(theirs.Codes) || len(first.TheirsToMerged) != len(theirs.Codes) || first.Matched < 30 {
		t.Errorf("matched %d, added %d, of %d", first.Matched, len(first.Added), len(theirs.Codes))
	}
}

func TestMergeKeepsHotkeysUnique(t *testing.T) {
	ours := cbYAML(t, `
name: x
codes:
  - {id: U1, name: A, description: a, hotkey: e}
  - {id: U2, name: C, description: c, hotkey: c}
`)
	theirs := cbYAML(t, `
name: x
codes:
  - {id: U1, name: A, description: a, hotkey: x}
  - {id: U2, name: C, description: c, hotkey: c}
  - {id: U3, name: B, description: b, hotkey: e}
`)
	r := merge(t, ours, theirs, MergeOptions{})
	eq(t, "conflicts", conflicts(r.Conflicts), []string{
		"field hotkey A: e | x -> unresolved",
		"hotkey-clash hotkey B:  | e -> ours",
	})
	eq(t, "B's hotkey", codeByID(r.Codebook, uid(3)).Hotkey, "")

	// Taking theirs' hotkey for A frees "e" for B.
	r = merge(t, ours, theirs, MergeOptions{Prefer: "theirs"})
	eq(t, "conflicts", conflicts(r.Conflicts), []string{"field hotkey A: e | x -> theirs"})
	eq(t, "hotkeys", []string{codeByID(r.Codebook, uid(1)).Hotkey, codeByID(r.Codebook, uid(3)).Hotkey}, []string{"x", "e"})
}
