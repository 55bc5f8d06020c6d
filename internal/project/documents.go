package project

import (
	"slices"
	"sort"
	"strings"

	"github.com/qcode-qda/qcode/internal/store"
)

// DocumentSummary is a document with counts for listings.
type DocumentSummary struct {
	Document
	Speakers int // distinct participants with turns
	Codings  int
}

// Documents lists every document by name.
func (p *Project) Documents() ([]DocumentSummary, error) {
	var out []DocumentSummary
	err := p.view(func(tx *store.Tx) error {
		docs, err := tx.Documents()
		if err != nil {
			return err
		}
		counts := map[string]int{}
		if err := tx.ForEachCoding(func(c *Coding) error { counts[c.DocID]++; return nil }); err != nil {
			return err
		}
		for _, d := range docs {
			out = append(out, DocumentSummary{Document: d, Speakers: len(speakersOf(d)), Codings: counts[d.ID]})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return naturalLess(out[i].Name, out[j].Name) })
	return out, err
}

func speakersOf(d Document) map[string]bool {
	s := map[string]bool{}
	for _, t := range d.Turns {
		if t.ParticipantID != "" {
			s[t.ParticipantID] = true
		}
	}
	return s
}

// findDocument resolves a user's reference: an id, an unambiguous id prefix
// (at least 4 characters), the document name, or the imported file's name.
func findDocument(tx *store.Tx, ref string) (Document, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return Document{}, userErr("empty document name")
	}
	if d, err := tx.Document(ref); err == nil {
		return d, nil
	}
	docs, err := tx.Documents()
	if err != nil {
		return Document{}, err
	}
	var byName, bySource, byPrefix []Document
	for _, d := range docs {
		switch {
		case strings.EqualFold(d.Name, ref):
			byName = append(byName, d)
		case strings.EqualFold(d.SourceFile, ref):
			bySource = append(bySource, d)
		case len(ref) >= 4 && strings.HasPrefix(d.ID, strings.ToLower(ref)):
			byPrefix = append(byPrefix, d)
		}
	}
	for _, set := range [][]Document{byName, bySource, byPrefix} {
		switch len(set) {
		case 0:
			continue
		case 1:
			return set[0], nil
		default:
			names := make([]string, len(set))
			for i, d := range set {
				names[i] = d.Name + " (" + d.ID[:8] + ")"
			}
			return Document{}, userErr("document %q is ambiguous: %s", ref, strings.Join(names, ", "))
		}
	}
	return Document{}, userErr("no document %q in the project (see `qcode docs`)", ref)
}

// DocumentView is a document with its text and speaker labels resolved.
type DocumentView struct {
	Document
	Text  string
	Turns []TurnView
}

// TurnView is a turn with its speaker's label and role.
type TurnView struct {
	Turn
	Number  int // 1-based, as users count turns
	Speaker string
	Role    string
	Text    string
}

// Document returns one document with its text and turns.
func (p *Project) Document(ref string) (*DocumentView, error) {
	var out *DocumentView
	err := p.view(func(tx *store.Tx) error {
		d, err := findDocument(tx, ref)
		if err != nil {
			return err
		}
		text, err := tx.Text(d.ID)
		if err != nil {
			return err
		}
		people, err := participantsByID(tx)
		if err != nil {
			return err
		}
		ix := newRuneIndex(text)
		out = &DocumentView{Document: d, Text: text}
		for i, t := range d.Turns {
			pp := people[t.ParticipantID]
			out.Turns = append(out.Turns, TurnView{Turn: t, Number: i + 1, Speaker: pp.Label, Role: pp.Attributes["role"], Text: ix.slice(t.Start, t.End)})
		}
		return nil
	})
	return out, err
}

func participantsByID(tx *store.Tx) (map[string]Participant, error) {
	ps, err := tx.Participants()
	m := make(map[string]Participant, len(ps))
	for _, pp := range ps {
		m[pp.ID] = pp
	}
	return m, err
}

// turnIndexAt returns the index of the turn a position belongs to, or -1
// for the preamble and trailing text. A position inside a speaker label
// belongs to the turn the label introduces; before the first turn, only a
// position within a label's length (at most 63 runes, plus a time and
// markup) of what was said can be in its label.
func turnIndexAt(turns []Turn, pos int) int {
	const maxLabelSpan = 96
	i := sort.Search(len(turns), func(i int) bool { return turns[i].End > pos })
	switch {
	case i == len(turns):
		return -1
	case turns[i].Start <= pos || i > 0 || turns[0].Start-pos <= maxLabelSpan:
		return i
	}
	return -1
}

// SetDocument sets a document's attributes; the key "kind" sets its kind
// (one of Kinds) and "name" renames it. An empty value removes an
// attribute. The text and turns never change.
func (p *Project) SetDocument(ref string, attrs map[string]string) (Document, error) {
	var out Document
	err := p.update(func(tx *store.Tx) error {
		d, err := findDocument(tx, ref)
		if err != nil {
			return err
		}
		if d.Attributes == nil {
			d.Attributes = map[string]string{}
		}
		for k, v := range attrs {
			switch k {
			case "kind":
				if !slices.Contains(Kinds, v) {
					return userErr("document kind %q is not one of %s", v, strings.Join(Kinds, ", "))
				}
				d.Kind = v
			case "name":
				if v == "" {
					return userErr("a document name cannot be empty")
				}
				if other, err := findDocument(tx, v); err == nil && other.ID != d.ID && strings.EqualFold(other.Name, v) {
					return userErr("a document named %q already exists", v)
				}
				d.Name = v
			default:
				if v == "" {
					delete(d.Attributes, k)
				} else {
					d.Attributes[k] = v
				}
			}
		}
		out = d
		return tx.PutDocument(d, "")
	})
	return out, err
}
