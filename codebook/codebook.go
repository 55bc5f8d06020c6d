// Package codebook holds a thematic-analysis codebook: themes and sub-themes
// with definitions, inclusion and exclusion criteria, examples, a polarity
// (barrier, facilitator, mixed) and links to framework items such as IPS-25
// fidelity items. It is a public package and imports nothing from qcode's
// internal packages, so other tools can read and write qcode codebooks.
package codebook

import (
	"fmt"
	"sort"
	"strings"
)

// Polarity says whether a code marks a barrier, a facilitator, or both.
type Polarity string

const (
	PolarityNone        Polarity = ""
	PolarityBarrier     Polarity = "barrier"
	PolarityFacilitator Polarity = "facilitator"
	PolarityMixed       Polarity = "mixed"
)

// ParsePolarity accepts the names above (case-insensitive) and "none".
func ParsePolarity(s string) (Polarity, error) {
	switch p := Polarity(strings.ToLower(strings.TrimSpace(s))); p {
	case PolarityBarrier, PolarityFacilitator, PolarityMixed, PolarityNone:
		return p, nil
	case "none":
		return PolarityNone, nil
	}
	return "", fmt.Errorf("polarity %q is not one of barrier, facilitator, mixed, none", s)
}

// Code is one theme or sub-theme. ParentID is "" for top-level codes.
type Code struct {
	ID       string `json:"id" yaml:"id,omitempty"`
	Name     string `json:"name" yaml:"name"`
	ParentID string `json:"parent_id,omitempty" yaml:"-"`
	// Grouping marks a code that only groups others (a theme heading); it
	// is not applied to text. REFI-QDA calls this isCodable="false".
	Grouping    bool     `json:"grouping,omitempty" yaml:"grouping,omitempty"`
	Description string   `json:"description,omitempty" yaml:"description,omitempty"`
	Inclusion   string   `json:"inclusion,omitempty" yaml:"inclusion,omitempty"`
	Exclusion   string   `json:"exclusion,omitempty" yaml:"exclusion,omitempty"`
	Example     string   `json:"example,omitempty" yaml:"example,omitempty"`
	Polarity    Polarity `json:"polarity,omitempty" yaml:"polarity,omitempty"`
	Links       []string `json:"links,omitempty" yaml:"links,omitempty"`
	Colour      string   `json:"colour,omitempty" yaml:"colour,omitempty"`
	Hotkey      string   `json:"hotkey,omitempty" yaml:"hotkey,omitempty"`
	Memo        string   `json:"memo,omitempty" yaml:"memo,omitempty"`
}

// Codebook is a named set of codes, stored flat with parent links; the
// hierarchy is derived with Paths and Children.
type Codebook struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Frameworks  []string `json:"frameworks,omitempty"`
	Codes       []Code   `json:"codes"`
}

// Index gives fast lookups over a slice of codes. Build it once per use;
// it does not follow later changes to the slice.
type Index struct {
	byID     map[string]*Code
	children map[string][]*Code // parent id -> children in input order
	paths    map[string]string
}

// NewIndex indexes codes by id, parent and path.
func NewIndex(codes []Code) *Index {
	ix := &Index{byID: make(map[string]*Code, len(codes)), children: map[string][]*Code{}, paths: make(map[string]string, len(codes))}
	for i := range codes {
		c := &codes[i]
		ix.byID[c.ID] = c
		ix.children[c.ParentID] = append(ix.children[c.ParentID], c)
	}
	return ix
}

// Code returns the code with id.
func (ix *Index) Code(id string) (*Code, bool) { c, ok := ix.byID[id]; return c, ok }

// Children returns the codes directly under parentID ("" for the roots).
func (ix *Index) Children(parentID string) []*Code { return ix.children[parentID] }

// Path is the code's name with its ancestors', joined by "/", e.g.
// "Referral and access/Readiness gatekeeping". A cycle or a missing parent
// ends the walk rather than looping.
func (ix *Index) Path(id string) string {
	if p, ok := ix.paths[id]; ok {
		return p
	}
	var parts []string
	seen := map[string]bool{}
	for cur := id; cur != "" && !seen[cur]; {
		seen[cur] = true
		c, ok := ix.byID[cur]
		if !ok {
			break
		}
		parts = append(parts, c.Name)
		cur = c.ParentID
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	p := strings.Join(parts, "/")
	ix.paths[id] = p
	return p
}

// Subtree returns id and the ids of all its descendants.
func (ix *Index) Subtree(id string) []string {
	out := []string{id}
	for i := 0; i < len(out); i++ {
		for _, c := range ix.children[out[i]] {
			out = append(out, c.ID)
		}
	}
	return out
}

// Find resolves a user's reference to a code: an exact path
// ("Theme/Sub-theme"), a name unique in the codebook, or an id or
// unambiguous id prefix (at least 4 characters). Matching of names and paths
// is case-insensitive.
func (ix *Index) Find(ref string) (*Code, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, fmt.Errorf("empty code name")
	}
	if c, ok := ix.byID[ref]; ok {
		return c, nil
	}
	var byPath, byName, byPrefix []*Code
	for id, c := range ix.byID {
		switch {
		case strings.EqualFold(ix.Path(id), ref):
			byPath = append(byPath, c)
		case strings.EqualFold(c.Name, ref):
			byName = append(byName, c)
		case len(ref) >= 4 && strings.HasPrefix(id, strings.ToLower(ref)):
			byPrefix = append(byPrefix, c)
		}
	}
	for _, set := range [][]*Code{byPath, byName, byPrefix} {
		switch len(set) {
		case 0:
			continue
		case 1:
			return set[0], nil
		default:
			paths := make([]string, len(set))
			for i, c := range set {
				paths[i] = ix.Path(c.ID)
			}
			sort.Strings(paths)
			return nil, fmt.Errorf("code %q is ambiguous: %s", ref, strings.Join(paths, ", "))
		}
	}
	return nil, fmt.Errorf("no code %q in the codebook", ref)
}
