package project

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/store"
)

// Target says what to code in a document: exactly one of a turn, a rune
// range, or the occurrences of a piece of text.
type Target struct {
	Turn  int     // 1-based turn number
	Range *[2]int // half-open rune offsets
	Match string  // text to find
	Nth   int     // with Match: code only the nth occurrence (1-based)
	All   bool    // with Match: code every occurrence
}

// CodeRequest applies a code to a target in a document.
type CodeRequest struct {
	Doc    string // document reference (name, file name, id or id prefix)
	Code   string // code reference (path, unique name, id or id prefix)
	Target Target
	Coder  string
	Memo   string
}

// Code applies a code and returns the codings it created, all stored in one
// transaction.
func (p *Project) Code(req CodeRequest) ([]Coding, error) {
	return p.CodeAll([]CodeRequest{req})
}

// CodeAll applies several requests in one transaction: all of them are
// stored, or none. An error names the request's position when there are
// several.
func (p *Project) CodeAll(reqs []CodeRequest) ([]Coding, error) {
	var out []Coding
	err := p.update(func(tx *store.Tx) error {
		out = nil
		codes, err := tx.Codes()
		if err != nil {
			return err
		}
		cix := codebook.NewIndex(codes)
		now := time.Now().UTC()
		docs := map[string]docText{}      // by reference: a batch often codes one document many times
		from := make([]int, 0, len(reqs)) // request index of each coding, for errors
		for i, req := range reqs {
			made, err := codeIn(tx, cix, docs, req, now)
			if err != nil {
				return batchErr(err, i, len(reqs))
			}
			out = append(out, made...)
			for range made {
				from = append(from, i)
			}
		}
		err = tx.PutCodings(out)
		var dup *store.DuplicateCodingError
		if errors.As(err, &dup) {
			c := out[dup.Index]
			code, _ := cix.Code(c.CodeID)
			return batchErr(userErr("%s already applied %q to %d:%d in %s", c.Coder, code.Name, c.Start, c.End, docs[reqs[from[dup.Index]].Doc].doc.Name), from[dup.Index], len(reqs))
		}
		return err
	})
	return out, err
}

type docText struct {
	doc  Document
	text string
}

func codeIn(tx *store.Tx, cix *codebook.Index, docs map[string]docText, req CodeRequest, now time.Time) ([]Coding, error) {
	coder := strings.TrimSpace(req.Coder)
	if coder == "" {
		return nil, userErr("no coder: pass --coder NAME or set QCODE_CODER")
	}
	dt, ok := docs[req.Doc]
	if !ok {
		d, err := findDocument(tx, req.Doc)
		if err != nil {
			return nil, err
		}
		text, err := tx.Text(d.ID)
		if err != nil {
			return nil, err
		}
		dt = docText{d, text}
		docs[req.Doc] = dt
	}
	d := dt.doc
	code, err := cix.Find(req.Code)
	if err != nil {
		return nil, &UserError{Msg: err.Error()}
	}
	spans, err := resolveTarget(d, dt.text, req.Target)
	if err != nil {
		return nil, err
	}
	var out []Coding
	for _, s := range spans {
		c := Coding{ID: uuid.NewString(), DocID: d.ID, CodeID: code.ID, Start: s[0], End: s[1], Coder: coder, Memo: req.Memo, Created: now, Updated: now}
		out = append(out, c)
	}
	return out, nil
}

// batchErr prefixes a user error with its request's position in a batch.
func batchErr(err error, i, n int) error {
	if n > 1 && IsUserError(err) {
		return userErr("coding %d of %d: %v", i+1, n, err)
	}
	return err
}

func resolveTarget(d Document, text string, t Target) ([][2]int, error) {
	set := 0
	for _, b := range []bool{t.Turn != 0, t.Range != nil, t.Match != ""} {
		if b {
			set++
		}
	}
	if set != 1 {
		return nil, userErr("say what to code with exactly one of --turn N, --range S:E or --match TEXT")
	}
	switch {
	case t.Turn != 0:
		if t.Turn < 1 || t.Turn > len(d.Turns) {
			return nil, userErr("%s has %d turns; there is no turn %d", d.Name, len(d.Turns), t.Turn)
		}
		tr := d.Turns[t.Turn-1]
		if tr.Start >= tr.End {
			return nil, userErr("turn %d of %s is empty", t.Turn, d.Name)
		}
		return [][2]int{{tr.Start, tr.End}}, nil
	case t.Range != nil:
		s, e := t.Range[0], t.Range[1]
		if s < 0 || e <= s || e > d.Runes {
			return nil, userErr("range %d:%d is not within %s (0:%d, start before end)", s, e, d.Name, d.Runes)
		}
		return [][2]int{{s, e}}, nil
	}
	return matchSpans(d, text, t)
}

// matchSpans finds t.Match in the text: exactly, else ignoring case. More
// than one hit is an error unless --nth or --all says which.
func matchSpans(d Document, text string, t Target) ([][2]int, error) {
	hits := findAll(text, t.Match)
	if len(hits) == 0 {
		hits = findAll(strings.ToLower(text), strings.ToLower(t.Match))
		// Lower-casing can change byte lengths (rare: e.g. 'İ'); only
		// trust case-insensitive hits when it did not.
		if len(strings.ToLower(text)) != len(text) {
			hits = nil
		}
	}
	if len(hits) == 0 {
		return nil, userErr("%q does not occur in %s", t.Match, d.Name)
	}
	var spans [][2]int
	for _, b := range hits {
		s := runeOffset(text, b)
		spans = append(spans, [2]int{s, s + len([]rune(t.Match))})
	}
	switch {
	case t.All:
		return spans, nil
	case t.Nth > 0:
		if t.Nth > len(spans) {
			return nil, userErr("%q occurs %d times in %s; there is no occurrence %d", t.Match, len(spans), d.Name, t.Nth)
		}
		return spans[t.Nth-1 : t.Nth], nil
	case len(spans) > 1:
		return nil, userErr("%q occurs %d times in %s; add --nth N or --all", t.Match, len(spans), d.Name)
	}
	return spans, nil
}

func findAll(text, sub string) []int {
	var out []int
	if sub == "" {
		return nil
	}
	for i := 0; ; {
		j := strings.Index(text[i:], sub)
		if j < 0 {
			return out
		}
		out = append(out, i+j)
		i += j + len(sub)
	}
}

// Uncode removes a coding by id or unambiguous id prefix.
func (p *Project) Uncode(ref string) (Coding, error) {
	var out Coding
	err := p.update(func(tx *store.Tx) error {
		c, err := findCoding(tx, ref)
		if err != nil {
			return err
		}
		out = c
		return tx.DeleteCoding(c.ID)
	})
	return out, err
}

func findCoding(tx *store.Tx, ref string) (Coding, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if c, err := tx.Coding(ref); err == nil {
		return c, nil
	}
	if len(ref) < 4 {
		return Coding{}, userErr("no coding %q (give at least 4 characters of its id)", ref)
	}
	var found []Coding
	err := tx.ForEachCoding(func(c *Coding) error {
		if strings.HasPrefix(c.ID, ref) {
			found = append(found, *c)
		}
		return nil
	})
	switch {
	case err != nil:
		return Coding{}, err
	case len(found) == 0:
		return Coding{}, userErr("no coding %q (see `qcode codings`)", ref)
	case len(found) > 1:
		return Coding{}, userErr("coding id prefix %q is ambiguous (%d codings)", ref, len(found))
	}
	return found[0], nil
}

// CodingFilter narrows a listing of codings. Empty fields match everything.
type CodingFilter struct {
	Doc   string // document reference
	Code  string // code reference; its sub-codes are included
	Coder string
}

// CodingView is a coding with what a reader needs to see it.
type CodingView struct {
	Coding
	Document string // document name
	CodeName string
	CodePath string
	Text     string // the coded text
	Speaker  string // label of the turn where the coding starts
	Role     string
	Turn     int // 1-based number of that turn; 0 in the preamble
}

// Codings lists codings ordered by document, position, code and coder.
func (p *Project) Codings(f CodingFilter) ([]CodingView, error) {
	var out []CodingView
	err := p.view(func(tx *store.Tx) error {
		codes, err := tx.Codes()
		if err != nil {
			return err
		}
		cix := codebook.NewIndex(codes)
		wantCodes := map[string]bool(nil)
		if f.Code != "" {
			c, err := cix.Find(f.Code)
			if err != nil {
				return &UserError{Msg: err.Error()}
			}
			wantCodes = map[string]bool{}
			for _, id := range cix.Subtree(c.ID) {
				wantCodes[id] = true
			}
		}
		var docs []Document
		if f.Doc != "" {
			d, err := findDocument(tx, f.Doc)
			if err != nil {
				return err
			}
			docs = []Document{d}
		} else if docs, err = tx.Documents(); err != nil {
			return err
		}
		people, err := participantsByID(tx)
		if err != nil {
			return err
		}
		// Sorting documents first and then each document's codings keeps
		// the sorts small.
		sort.Slice(docs, func(i, j int) bool { return naturalLess(docs[i].Name, docs[j].Name) })
		for _, d := range docs {
			first := len(out)
			cs, err := tx.CodingsOfDocument(d.ID)
			if err != nil || len(cs) == 0 {
				if err != nil {
					return err
				}
				continue
			}
			text, err := tx.Text(d.ID)
			if err != nil {
				return err
			}
			ix := newRuneIndex(text)
			for _, c := range cs {
				if (wantCodes != nil && !wantCodes[c.CodeID]) || (f.Coder != "" && !strings.EqualFold(c.Coder, f.Coder)) {
					continue
				}
				out = append(out, codingView(c, d, ix, cix, people))
			}
			slices.SortFunc(out[first:], func(a, b CodingView) int {
				if a.Start != b.Start {
					return cmp.Compare(a.Start, b.Start)
				}
				return cmp.Or(cmp.Compare(a.CodePath, b.CodePath), cmp.Compare(a.Coder, b.Coder), cmp.Compare(a.End, b.End))
			})
		}
		return nil
	})
	return out, err
}

// codingView resolves what a reader needs to see a coding of document d:
// its text (through the document's rune index), code and speaker.
func codingView(c Coding, d Document, ix *runeIndex, cix *codebook.Index, people map[string]Participant) CodingView {
	v := CodingView{Coding: c, Document: d.Name, Text: ix.slice(c.Start, c.End)}
	if code, ok := cix.Code(c.CodeID); ok {
		v.CodeName, v.CodePath = code.Name, cix.Path(code.ID)
	} else {
		v.CodeName = fmt.Sprintf("(missing code %s)", c.CodeID)
	}
	if ti := turnIndexAt(d.Turns, c.Start); ti >= 0 {
		pp := people[d.Turns[ti].ParticipantID]
		v.Turn, v.Speaker, v.Role = ti+1, pp.Label, pp.Attributes["role"]
	}
	return v
}
