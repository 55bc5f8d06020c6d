package project

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/query"
	"github.com/qcode-qda/qcode/internal/store"
)

// Auto-coding units: what a rule codes around each hit.
const (
	UnitMatch    = "match"    // the matched text itself
	UnitSentence = "sentence" // the sentence(s) it lies in
	UnitTurn     = "turn"     // the whole speaker turn
)

// Units lists the auto-coding units.
var Units = []string{UnitMatch, UnitSentence, UnitTurn}

// AutocodeRequest applies a code by rule: to every hit of a search (the
// match, its sentence or its turn), or, with no search text, to every
// turn of the speakers the filters select (--speaker, --role, --where).
// Outside speaker turns (field notes, a preamble) a turn is a paragraph.
type AutocodeRequest struct {
	Search SearchOptions
	Code   string // code reference
	Coder  string
	Unit   string // UnitMatch (default with text), UnitSentence or UnitTurn (default without)
	Memo   string
}

// Rule describes the request as qcode autocode flags, for the batch
// record and messages.
func (r AutocodeRequest) Rule() string {
	var parts []string
	s := r.Search
	switch {
	case s.Regex:
		parts = append(parts, "--regex "+strconv.Quote(s.Text))
	case s.Text != "":
		parts = append(parts, "--match "+strconv.Quote(s.Text))
	}
	for _, sp := range s.Speakers {
		parts = append(parts, "--speaker "+strconv.Quote(sp))
	}
	for _, role := range s.Roles {
		parts = append(parts, "--role "+role)
	}
	keys := make([]string, 0, len(s.Where))
	for k := range s.Where {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, "--where "+strconv.Quote(k+"="+s.Where[k]))
	}
	if len(s.Docs) > 0 {
		parts = append(parts, "--docs "+strconv.Quote(strings.Join(s.Docs, ",")))
	}
	for _, f := range []struct {
		on   bool
		flag string
	}{{s.FoldAccents, "--fold-accents"}, {s.CaseSensitive, "--case-sensitive"}, {s.WholeWord, "--word"}} {
		if f.on {
			parts = append(parts, f.flag)
		}
	}
	return strings.Join(append(parts, "--unit "+r.unit()), " ")
}

func (r AutocodeRequest) unit() string {
	switch {
	case r.Unit != "":
		return r.Unit
	case r.Search.Text == "":
		return UnitTurn
	}
	return UnitMatch
}

// AutocodeSpan is one coding a rule makes.
type AutocodeSpan struct {
	DocID    string
	Document string
	Turn     int // 1-based; 0 outside speaker turns
	Speaker  string
	Start    int
	End      int
	Text     string
}

// AutocodePlan is what a rule codes.
type AutocodePlan struct {
	CodeID   string
	CodePath string
	Coder    string
	Rule     string
	Hits     int            // matches (or turns) the rule found
	Spans    []AutocodeSpan // codings to make, in document and position order
	// Skipped counts spans the coder has already coded with this code
	// (the same span, or one inside a coding of theirs): they are left
	// alone, so running a rule twice codes nothing new.
	Skipped int
}

// PlanAutocode works out what a rule would code, changing nothing (the
// dry run).
func (p *Project) PlanAutocode(req AutocodeRequest) (*AutocodePlan, error) {
	var plan *AutocodePlan
	err := p.view(func(tx *store.Tx) error {
		var err error
		plan, err = planAutocode(tx, req)
		return err
	})
	return plan, err
}

// Autocode applies a rule: every span of its plan becomes a coding, all
// in one transaction, recorded as one batch that UndoBatch removes whole.
// With nothing to code it writes nothing and the batch is nil.
func (p *Project) Autocode(req AutocodeRequest) (*AutocodePlan, *Batch, error) {
	var (
		plan  *AutocodePlan
		batch *Batch
	)
	// A bulk change: keep a copy first, as imports and merges do (undo
	// --batch takes it back too, but a backup also survives a mistake in
	// the rule noticed weeks later).
	if _, err := p.backupIfNotEmpty("autocode"); err != nil {
		return nil, nil, err
	}
	err := p.update(func(tx *store.Tx) error {
		var err error
		if plan, err = planAutocode(tx, req); err != nil || len(plan.Spans) == 0 {
			return err
		}
		now := time.Now().UTC()
		cs := make([]Coding, len(plan.Spans))
		b := store.Batch{ID: uuid.NewString(), Created: now, Coder: plan.Coder, CodeID: plan.CodeID, Rule: plan.Rule, CodingIDs: make([]string, len(cs))}
		for i, s := range plan.Spans {
			cs[i] = Coding{ID: uuid.NewString(), DocID: s.DocID, CodeID: plan.CodeID, Start: s.Start, End: s.End, Coder: plan.Coder, Memo: req.Memo, Created: now, Updated: now}
			b.CodingIDs[i] = cs[i].ID
		}
		if err := tx.PutCodings(cs); err != nil {
			return err
		}
		if err := tx.PutBatch(b); err != nil {
			return err
		}
		batch = &Batch{Batch: b, CodePath: plan.CodePath, Codings: len(cs), Remaining: len(cs)}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return plan, batch, nil
}

func planAutocode(tx *store.Tx, req AutocodeRequest) (*AutocodePlan, error) {
	coder := strings.TrimSpace(req.Coder)
	if coder == "" {
		return nil, userErr("no coder: pass --coder NAME or set QCODE_CODER")
	}
	unit := req.unit()
	if !slices.Contains(Units, unit) {
		return nil, userErr("--unit %q is not one of %s", unit, strings.Join(Units, ", "))
	}
	s := req.Search
	if s.Text == "" {
		if len(s.Speakers) == 0 && len(s.Roles) == 0 && len(s.Where) == 0 {
			return nil, userErr("say what to code: --match TEXT, --regex RE, or --speaker LABEL (or --role R) for whole turns")
		}
		if unit != UnitTurn {
			return nil, userErr("--unit %s needs --match TEXT or --regex RE; without them a rule codes whole turns", unit)
		}
	}
	codes, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	cix := codebook.NewIndex(codes)
	code, err := cix.Find(req.Code)
	if err != nil {
		return nil, &UserError{Msg: err.Error()}
	}
	plan := &AutocodePlan{CodeID: code.ID, CodePath: cix.Path(code.ID), Coder: coder, Rule: req.Rule()}
	var pat *query.Pattern
	if s.Text != "" {
		if pat, err = compilePattern(s); err != nil {
			return nil, err
		}
	}
	s.Cache = nil // a write transaction reads the texts itself
	sel, err := selectForSearch(tx, "", s)
	if err != nil {
		return nil, err
	}
	for _, sd := range sel.docs {
		spans, hits := sel.units(sd, pat, unit)
		plan.Hits += hits
		if len(spans) == 0 {
			continue
		}
		existing, err := tx.CodingsOfDocument(sd.doc.ID)
		if err != nil {
			return nil, err
		}
		mine := existing[:0]
		for _, c := range existing {
			if c.Coder == coder && c.CodeID == code.ID {
				mine = append(mine, c)
			}
		}
		text := sd.text.String()
		for _, m := range spans {
			if slices.ContainsFunc(mine, func(c Coding) bool { return c.Start <= m.Start.Rune && m.End.Rune <= c.End }) {
				plan.Skipped++
				continue
			}
			sp := AutocodeSpan{DocID: sd.doc.ID, Document: sd.doc.Name, Start: m.Start.Rune, End: m.End.Rune, Text: text[m.Start.Byte:m.End.Byte]}
			if ti := turnIndexAt(sd.doc.Turns, sp.Start); ti >= 0 {
				sp.Turn, sp.Speaker = ti+1, sel.people[sd.doc.Turns[ti].ParticipantID].Label
			}
			plan.Spans = append(plan.Spans, sp)
		}
	}
	return plan, nil
}

// units returns the spans a rule codes in one document, without
// duplicates, in position order, and how many hits (or turns) it found.
func (sel *selection) units(sd selectedDoc, pat *query.Pattern, unit string) ([]query.Match, int) {
	s, turns := sd.text.String(), sd.doc.Turns
	whole := query.Match{Start: query.Pos{}, End: query.Pos{Rune: sd.doc.Runes, Byte: len(s)}}
	var spans []query.Match
	hits := 0
	if pat == nil { // whole turns of the selected speakers
		var at query.Pos
		for i, t := range turns {
			if !sd.turnOK[i] || t.End <= t.Start {
				continue
			}
			hits++
			start := walk(s, at, t.Start)
			at = walk(s, start, t.End)
			if m := query.TrimSpace(s, query.Match{Start: start, End: at}); m.End.Rune > m.Start.Rune {
				spans = append(spans, m)
			}
		}
		return spans, hits
	}
	for _, h := range sel.hits(sd, pat) {
		hits++
		m := h.m
		// The unit around the hit: its turn, or outside turns its paragraph.
		bounds := whole
		if h.turn >= 0 {
			t := turns[h.turn]
			bounds = query.Match{Start: walk(s, m.Start, t.Start), End: walk(s, m.End, t.End)}
		} else {
			bounds = query.Paragraph(s, whole.Start, whole.End, m.Start)
		}
		switch unit {
		case UnitSentence:
			m = query.Sentence(s, bounds.Start, bounds.End, m)
		case UnitTurn:
			m = query.TrimSpace(s, bounds)
		}
		if m.End.Rune > m.Start.Rune {
			spans = append(spans, m)
		}
	}
	slices.SortFunc(spans, func(a, b query.Match) int {
		return cmp.Or(cmp.Compare(a.Start.Rune, b.Start.Rune), cmp.Compare(a.End.Rune, b.End.Rune))
	})
	return slices.CompactFunc(spans, func(a, b query.Match) bool { return a.Start.Rune == b.Start.Rune && a.End.Rune == b.End.Rune }), hits
}

// walk moves from a known position to rune offset r, forwards or back.
func walk(s string, from query.Pos, r int) query.Pos {
	for from.Rune < r && from.Byte < len(s) {
		_, size := utf8.DecodeRuneInString(s[from.Byte:])
		from.Byte += size
		from.Rune++
	}
	for from.Rune > r && from.Byte > 0 {
		_, size := utf8.DecodeLastRuneInString(s[:from.Byte])
		from.Byte -= size
		from.Rune--
	}
	return from
}

// --- batches ---

// Batch is a batch of codings applied together, with what a listing shows.
type Batch struct {
	store.Batch
	CodePath  string
	Codings   int // how many it applied
	Remaining int // how many of them are still in the project
}

// Batches lists batches, newest first.
func (p *Project) Batches() ([]Batch, error) {
	var out []Batch
	err := p.view(func(tx *store.Tx) error {
		bs, err := tx.Batches()
		if err != nil {
			return err
		}
		codes, err := tx.Codes()
		if err != nil {
			return err
		}
		cix := codebook.NewIndex(codes)
		for _, b := range bs {
			out = append(out, batchView(tx, cix, b))
		}
		return nil
	})
	slices.SortFunc(out, func(a, b Batch) int { return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(a.ID, b.ID)) })
	return out, err
}

func batchView(tx *store.Tx, cix *codebook.Index, b store.Batch) Batch {
	v := Batch{Batch: b, CodePath: cix.Path(b.CodeID), Codings: len(b.CodingIDs)}
	if v.CodePath == "" {
		v.CodePath = fmt.Sprintf("(missing code %s)", b.CodeID)
	}
	for _, id := range b.CodingIDs {
		if _, err := tx.Coding(id); err == nil {
			v.Remaining++
		}
	}
	return v
}

// UndoResult says what undoing a batch did.
type UndoResult struct {
	Batch   Batch
	Removed int // codings removed now
	Missing int // codings of the batch that had been removed one by one before
}

// UndoBatch removes every coding of a batch (by id or unambiguous id
// prefix) and the batch record, in one transaction.
func (p *Project) UndoBatch(ref string) (*UndoResult, error) {
	var out *UndoResult
	err := p.update(func(tx *store.Tx) error {
		b, err := findBatch(tx, ref)
		if err != nil {
			return err
		}
		codes, err := tx.Codes()
		if err != nil {
			return err
		}
		out = &UndoResult{Batch: batchView(tx, codebook.NewIndex(codes), b)}
		for _, id := range b.CodingIDs {
			switch err := tx.DeleteCoding(id); {
			case err == nil:
				out.Removed++
			case errors.Is(err, store.ErrNotFound):
				out.Missing++
			default:
				return err
			}
		}
		return tx.DeleteBatch(b.ID)
	})
	return out, err
}

func findBatch(tx *store.Tx, ref string) (store.Batch, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if b, err := tx.Batch(ref); err == nil {
		return b, nil
	}
	if len(ref) < 4 {
		return store.Batch{}, userErr("no batch %q (give at least 4 characters of its id; see `qcode undo --list`)", ref)
	}
	bs, err := tx.Batches()
	if err != nil {
		return store.Batch{}, err
	}
	var found []store.Batch
	for _, b := range bs {
		if strings.HasPrefix(b.ID, ref) {
			found = append(found, b)
		}
	}
	switch len(found) {
	case 0:
		return store.Batch{}, userErr("no batch %q (see `qcode undo --list`)", ref)
	case 1:
		return found[0], nil
	}
	return store.Batch{}, userErr("batch id prefix %q is ambiguous (%d batches)", ref, len(found))
}
