package codebook

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Severities of a Problem.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Problem is one finding of Lint.
type Problem struct {
	Severity string // "error" or "warning"
	Code     string // path of the code at fault, "" for the whole codebook
	CodeID   string
	Rule     string // short stable id, e.g. "duplicate-name"
	Message  string // one line, written for a researcher
}

func (p Problem) String() string {
	where := p.Code
	if where == "" {
		where = "codebook"
	}
	return fmt.Sprintf("%s: %s: %s [%s]", p.Severity, where, p.Message, p.Rule)
}

// LintRules lists the rules Lint applies, by id, with their severity.
var LintRules = map[string]string{
	"missing-id":             SeverityError,   // a code has no id
	"duplicate-id":           SeverityError,   // two codes share an id
	"empty-name":             SeverityError,   // a code has no name
	"slash-in-name":          SeverityError,   // "/" separates levels in paths
	"duplicate-name":         SeverityError,   // two siblings with the same name (case-insensitive)
	"missing-parent":         SeverityError,   // parent id not in the codebook
	"parent-cycle":           SeverityError,   // a code is its own ancestor
	"invalid-polarity":       SeverityError,   // polarity not barrier/facilitator/mixed/none
	"unknown-link":           SeverityError,   // framework link CheckLink rejects
	"hotkey-clash":           SeverityError,   // two codes share a hotkey (case-sensitive)
	"hotkey-length":          SeverityError,   // hotkey longer than one character
	"near-duplicate":         SeverityWarning, // same name after normalising case, spacing, punctuation, plurals
	"no-definition":          SeverityWarning, // no description (grouping codes exempt)
	"polarity-contradiction": SeverityWarning, // facilitator under a barrier or vice versa
	"invalid-colour":         SeverityWarning, // colour not #RRGGBB
}

// Lint checks a codebook and returns its problems, errors first, then by
// code path, then by rule. It never loops on cyclic parent links.
//
// Codes that only group others are exempt from "no-definition": codes with
// Grouping set, and codes that have sub-codes and no polarity (a theme
// heading). A code with a polarity says something about the data itself,
// so it needs a definition even if it has sub-codes.
//
// "polarity-contradiction" compares a barrier or facilitator code with its
// nearest ancestor that has a polarity: ancestors without one are skipped,
// and a mixed ancestor ends the search (a mixed theme may hold both kinds).
//
// "near-duplicate" looks across the whole codebook, so the same name under
// two themes (e.g. "Other") is reported too; it is a warning.
func Lint(cb *Codebook) []Problem {
	if cb == nil {
		return nil
	}
	codes := cb.Codes
	ix := NewIndex(codes)
	var out []Problem
	add := func(sev string, c *Code, rule, format string, args ...any) {
		p := Problem{Severity: sev, Rule: rule, Message: fmt.Sprintf(format, args...)}
		if c != nil {
			p.Code = lintPath(ix, c)
			p.CodeID = c.ID
		}
		out = append(out, p)
	}

	// Ids.
	firstByID := map[string]int{}
	for i := range codes {
		c := &codes[i]
		if c.ID == "" {
			add(SeverityError, c, "missing-id", "has no id")
			continue
		}
		if j, ok := firstByID[c.ID]; ok {
			add(SeverityError, c, "duplicate-id", "id %s is also used by %q; every code needs its own id", c.ID, codes[j].Name)
			continue
		}
		firstByID[c.ID] = i
	}

	// Names, polarity, colour, hotkey length, definitions, links.
	hasChildren := map[string]bool{}
	for i := range codes {
		hasChildren[codes[i].ParentID] = true
	}
	for i := range codes {
		c := &codes[i]
		name := strings.TrimSpace(c.Name)
		switch {
		case name == "":
			add(SeverityError, c, "empty-name", "a code has no name")
		case strings.Contains(name, "/"):
			add(SeverityError, c, "slash-in-name", "the name %q contains \"/\", which separates levels in code paths", name)
		}
		switch c.Polarity {
		case PolarityNone, PolarityBarrier, PolarityFacilitator, PolarityMixed:
		default:
			add(SeverityError, c, "invalid-polarity", "polarity %q is not one of barrier, facilitator, mixed or none", c.Polarity)
		}
		if c.Colour != "" && !validColour(c.Colour) {
			add(SeverityWarning, c, "invalid-colour", "colour %q is not of the form #RRGGBB (e.g. #1b9e77)", c.Colour)
		}
		if n := utf8.RuneCountInString(c.Hotkey); n > 1 {
			add(SeverityError, c, "hotkey-length", "hotkey %q is %d characters long; a hotkey is one key", c.Hotkey, n)
		}
		grouping := c.Grouping || (c.ID != "" && hasChildren[c.ID] && c.Polarity == PolarityNone)
		if strings.TrimSpace(c.Description) == "" && !grouping {
			add(SeverityWarning, c, "no-definition", "has no definition (description)")
		}
		for _, l := range c.Links {
			if err := CheckLink(l); err != nil {
				add(SeverityError, c, "unknown-link", "%v", err)
			}
		}
	}

	// Parents: missing parents and cycles.
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	for i := range codes {
		c := &codes[i]
		if c.ParentID == "" {
			continue
		}
		if _, ok := ix.byID[c.ParentID]; !ok {
			add(SeverityError, c, "missing-parent", "its parent (id %s) is not in the codebook", c.ParentID)
		}
	}
	for i := range codes {
		start := codes[i].ID
		if start == "" || state[start] != unvisited {
			continue
		}
		var chain []string
		cur := start
		for cur != "" && state[cur] == unvisited {
			p, ok := ix.byID[cur]
			if !ok {
				break // a missing parent, reported above
			}
			state[cur] = visiting
			chain = append(chain, cur)
			cur = p.ParentID
		}
		if cur != "" && state[cur] == visiting {
			// chain from cur onwards is a cycle.
			k := 0
			for chain[k] != cur {
				k++
			}
			cycle := append([]string(nil), chain[k:]...)
			// Report on the code with the smallest id, so the result does
			// not depend on where the walk started.
			min := 0
			for j := range cycle {
				if cycle[j] < cycle[min] {
					min = j
				}
			}
			cycle = append(cycle[min:], cycle[:min]...)
			names := make([]string, 0, len(cycle)+1)
			for _, id := range cycle {
				names = append(names, fmt.Sprintf("%q", ix.byID[id].Name))
			}
			names = append(names, names[0])
			add(SeverityError, ix.byID[cycle[0]], "parent-cycle", "parent links go round in a circle: %s (each is listed under the next)", strings.Join(names, " → "))
		}
		for _, id := range chain {
			state[id] = done
		}
	}

	// Sibling duplicates and near-duplicates.
	type key struct{ parent, name string }
	firstSibling := map[key]*Code{}
	exactDup := map[*Code]bool{}
	for i := range codes {
		c := &codes[i]
		k := key{c.ParentID, foldName(c.Name)}
		if k.name == "" {
			continue
		}
		if first, ok := firstSibling[k]; ok {
			add(SeverityError, c, "duplicate-name", "another code at the same level is also named %q", first.Name)
			exactDup[c] = true
			continue
		}
		firstSibling[k] = c
	}
	groups := map[string][]*Code{}
	for i := range codes {
		c := &codes[i]
		if exactDup[c] {
			continue
		}
		if n := normName(c.Name); n != "" {
			groups[n] = append(groups[n], c)
		}
	}
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		sort.SliceStable(g, func(i, j int) bool { return lintPath(ix, g[i]) < lintPath(ix, g[j]) })
		for _, c := range g[1:] {
			add(SeverityWarning, c, "near-duplicate", "looks like a duplicate of %q; merge them or make the names distinct", lintPath(ix, g[0]))
		}
	}

	// Hotkeys.
	byKey := map[string][]*Code{}
	for i := range codes {
		c := &codes[i]
		if c.Hotkey != "" {
			byKey[c.Hotkey] = append(byKey[c.Hotkey], c)
		}
	}
	for hk, g := range byKey {
		if len(g) < 2 {
			continue
		}
		for _, c := range g {
			var others []string
			for _, o := range g {
				if o != c {
					others = append(others, fmt.Sprintf("%q", lintPath(ix, o)))
				}
			}
			sort.Strings(others)
			add(SeverityError, c, "hotkey-clash", "hotkey %q is also used by %s", hk, strings.Join(others, ", "))
		}
	}

	// Polarity against the nearest ancestor with a polarity.
	for i := range codes {
		c := &codes[i]
		if c.Polarity != PolarityBarrier && c.Polarity != PolarityFacilitator {
			continue
		}
		seen := map[string]bool{c.ID: true}
		for cur := c.ParentID; cur != "" && !seen[cur]; {
			seen[cur] = true
			p, ok := ix.byID[cur]
			if !ok {
				break
			}
			if p.Polarity == PolarityMixed {
				break
			}
			if p.Polarity == PolarityBarrier || p.Polarity == PolarityFacilitator {
				if p.Polarity != c.Polarity {
					add(SeverityWarning, c, "polarity-contradiction", "is a %s under %q, which is a %s", c.Polarity, lintPath(ix, p), p.Polarity)
				}
				break
			}
			cur = p.ParentID
		}
	}

	sortProblems(out)
	return out
}

// HasErrors reports whether any problem is an error.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

func sortProblems(ps []Problem) {
	rank := func(s string) int {
		if s == SeverityError {
			return 0
		}
		return 1
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if ra, rb := rank(a.Severity), rank(b.Severity); ra != rb {
			return ra < rb
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Message != b.Message {
			return a.Message < b.Message
		}
		return a.CodeID < b.CodeID
	})
}

// lintPath is the code's path, or its name if that is empty.
func lintPath(ix *Index, c *Code) string {
	if p := ix.Path(c.ID); p != "" && ix.byID[c.ID] == c {
		return p
	}
	// A duplicate id: the index holds another code under this id.
	if c.ParentID != "" && ix.byID[c.ParentID] != nil {
		return ix.Path(c.ParentID) + "/" + c.Name
	}
	return c.Name
}

func validColour(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, r := range s[1:] {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return true
}

// foldName is the form in which sibling names must differ: trimmed and
// lower-cased (as ReadYAML checks them).
func foldName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// normName is the form used to spot near-duplicates and to match codes by
// name: lower case, punctuation, hyphens and spacing dropped, and simple
// English plurals made singular word by word, so "Employer contact",
// "employer  contacts" and "Employer-contact" all give "employercontact".
func normName(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range words {
		words[i] = singular(w)
	}
	return strings.Join(words, "")
}

// singular undoes the regular English plural endings; it is deliberately
// simple and errs on the side of leaving a word alone.
func singular(w string) string {
	if len(w) <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"),
		strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}
