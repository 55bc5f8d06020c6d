package project

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/agreement"
	"github.com/qcode-qda/qcode/internal/analysis"
	"github.com/qcode-qda/qcode/internal/store"
)

// AgreeOptions selects what Agree compares.
type AgreeOptions struct {
	// Coders to compare; nil means every coder who coded in the selected
	// documents. Names match case-insensitively.
	Coders []string
	// Codes is a code reference (path, unique name or id): that code and
	// its sub-codes are compared, each on its own. "" compares every code.
	Codes         string
	Docs          []string // document references; nil means every document
	Unit          agreement.Unit
	Overlap       float64 // segment units; 0 means agreement.DefaultOverlap
	Disagreements bool    // list the units where the coders differ, with their text
}

// Agreement is inter-coder agreement per code and overall, with documents
// and codes named.
type Agreement struct {
	Unit     agreement.Unit
	Coders   []string
	Overlap  float64  // segment units
	Selected int      // documents selected
	Compared []string // documents two or more of the coders coded, which alone are compared
	NoUnits  []string // compared documents without units of the kind (no turns)
	Codes    []CodeAgreement
	Overall  CodeAgreement

	Disagreements []Disagreement
}

// CodeAgreement is the agreement on one code; for Overall, on every code
// pooled (CodeID and Path are empty).
type CodeAgreement struct {
	CodeID, Name, Path string
	Coded              []int // per coder (in Agreement.Coders order): units, characters or segments coded
	Stats              *agreement.Result
	Matched, Unmatched int            // segment units
	Docs               []DocAgreement // character units: per document where the code was used
}

// DocAgreement is character-level agreement on a code in one document.
type DocAgreement struct {
	Document            string
	Coded               []int
	AllCoded, NoneCoded int
	Stats               *agreement.Result
}

// Disagreement is a unit where the coders differ on a code.
type Disagreement struct {
	Document     string
	CodeID, Path string
	Index        int // turn, sentence or paragraph number in the document (1-based); 0 for char and segment units
	Start, End   int
	Coded        []string
	NotCoded     []string
	Overlap      float64 // segment units: the best overlap found with a NotCoded coder's segment
	Text         string
}

// Agree compares coders' codings. A coder who coded nothing in a document
// is missing there; only documents that two or more of the coders coded
// are compared. Fewer than two coders, or no document coded by two of
// them, is a user error.
func (p *Project) Agree(opt AgreeOptions) (*Agreement, error) {
	if !slices.Contains(agreement.Units, opt.Unit) {
		return nil, userErr("unit %q is not one of turn, sentence, paragraph, char, segment", opt.Unit)
	}
	var (
		in    agreement.Input
		ix    *codebook.Index
		texts []string
		sel   int
	)
	err := p.view(func(tx *store.Tx) error {
		cb, err := readCodebook(tx)
		if err != nil {
			return err
		}
		ix = codebook.NewIndex(cb.Codes)
		var scope map[string]bool
		if opt.Codes != "" {
			root, err := findCode(ix, opt.Codes)
			if err != nil {
				return err
			}
			scope = map[string]bool{}
			for _, id := range ix.Subtree(root.ID) {
				scope[id] = true
			}
		}
		docs, err := selectDocs(tx, ReportFilter{Docs: opt.Docs})
		if err != nil {
			return err
		}
		sel = len(docs)
		docIndex := make(map[string]int, len(docs))
		for i, d := range docs {
			docIndex[d.ID] = i
		}
		segs, _, err := readSegments(tx, docs, docIndex, ReportFilter{Docs: opt.Docs})
		if err != nil {
			return err
		}
		coders, err := agreeCoders(segs, opt.Coders)
		if err != nil {
			return err
		}
		in = agreement.Input{Coders: coders, Unit: opt.Unit, Overlap: opt.Overlap, Disagreements: opt.Disagreements}
		// Which coders coded each document, over every code: a coder who
		// applied only codes outside --codes still read the document.
		present := make([]map[string]bool, len(docs))
		for i := range segs {
			s := &segs[i]
			if slices.Contains(coders, s.Coder) {
				if present[s.Doc] == nil {
					present[s.Doc] = map[string]bool{}
				}
				present[s.Doc][s.Coder] = true
				in.Codings = append(in.Codings, agreement.Coding{Doc: s.Doc, Code: s.CodeID, Start: s.Start, End: s.End, Coder: s.Coder})
			}
		}
		// The codes compared: those in scope that a coder applied in a
		// document that is compared (two or more of the coders coded it).
		if !slices.ContainsFunc(present, func(m map[string]bool) bool { return len(m) >= 2 }) {
			return userErr("no document was coded by two or more of %s: there is nothing to compare", strings.Join(coders, ", "))
		}
		used := map[string]bool{}
		for _, c := range in.Codings {
			if len(present[c.Doc]) >= 2 && (scope == nil || scope[c.Code]) {
				used[c.Code] = true
			}
		}
		in.Codes = codeOrder(ix, cb.Codes, used)
		texts = make([]string, len(docs))
		for i, d := range docs {
			ad := agreement.Doc{Name: d.Name, Length: d.Runes}
			for _, t := range d.Turns {
				ad.Turns = append(ad.Turns, [2]int{t.Start, t.End})
			}
			// Text only where it is used: to split the compared documents
			// into sentences or paragraphs, or to quote disagreements.
			if len(present[i]) >= 2 && (opt.Unit.NeedsText() || opt.Disagreements) {
				if texts[i], err = tx.Text(d.ID); err != nil {
					return err
				}
				ad.Text = texts[i]
			}
			in.Docs = append(in.Docs, ad)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(in.Codes) == 0 {
		what := "any code"
		if opt.Codes != "" {
			what = fmt.Sprintf("%q or its sub-codes", opt.Codes)
		}
		return nil, userErr("none of %s applied %s in a document that two or more of them coded", strings.Join(in.Coders, ", "), what)
	}
	cmp, err := agreement.Compare(in)
	if err != nil {
		if errors.Is(err, agreement.ErrNoPairable) || errors.Is(err, agreement.ErrNoCoders) {
			return nil, &UserError{Msg: err.Error()}
		}
		return nil, err
	}
	return agreementView(cmp, in, ix, texts, sel), nil
}

// agreeCoders resolves the coders asked for against those who coded in
// the selected documents, or takes all of those.
func agreeCoders(segs []analysis.Segment, asked []string) ([]string, error) {
	seen := map[string]bool{}
	var all []string
	for i := range segs {
		if c := segs[i].Coder; !seen[c] {
			seen[c] = true
			all = append(all, c)
		}
	}
	slices.SortFunc(all, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	who := "nobody coded the selected documents"
	if len(all) > 0 {
		who = "coders there: " + strings.Join(all, ", ")
	}
	if len(asked) == 0 {
		if len(all) < 2 {
			return nil, userErr("agreement needs two or more coders, and %s", strings.Replace(who, "coders there: ", "only this one coded the selected documents: ", 1))
		}
		return all, nil
	}
	var out []string
	for _, a := range asked {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		i := slices.IndexFunc(all, func(c string) bool { return strings.EqualFold(c, a) })
		if i < 0 {
			return nil, userErr("coder %q has no codings in the selected documents (%s)", a, who)
		}
		if !slices.Contains(out, all[i]) {
			out = append(out, all[i])
		}
	}
	if len(out) < 2 {
		return nil, userErr("agreement needs two or more coders (--coders A,B); %s", who)
	}
	if len(out) > agreement.MaxCoders {
		return nil, userErr("agreement compares at most %d coders", agreement.MaxCoders)
	}
	return out, nil
}

// codeOrder lists the used codes in codebook order: depth first from the
// top-level codes, then codes the tree does not reach, then ids that are
// not in the codebook at all.
func codeOrder(ix *codebook.Index, codes []codebook.Code, used map[string]bool) []string {
	var out []string
	done := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		if done[id] {
			return
		}
		done[id] = true
		if used[id] {
			out = append(out, id)
		}
		for _, ch := range ix.Children(id) {
			walk(ch.ID)
		}
	}
	for _, c := range ix.Children("") {
		walk(c.ID)
	}
	for _, c := range codes {
		walk(c.ID)
	}
	var rest []string
	for id := range used {
		if !done[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

func agreementView(cmp *agreement.Comparison, in agreement.Input, ix *codebook.Index, texts []string, selected int) *Agreement {
	name := func(d int) string { return in.Docs[d].Name }
	path := func(id string) string {
		if p := ix.Path(id); p != "" {
			return p
		}
		return id
	}
	out := &Agreement{Unit: cmp.Unit, Coders: cmp.Coders, Overlap: cmp.Overlap, Selected: selected}
	for _, d := range cmp.Compared {
		out.Compared = append(out.Compared, name(d))
	}
	for _, d := range cmp.NoUnits {
		out.NoUnits = append(out.NoUnits, name(d))
	}
	view := func(ca agreement.CodeAgreement) CodeAgreement {
		v := CodeAgreement{CodeID: ca.Code, Coded: ca.Coded, Stats: ca.Stats, Matched: ca.Matched, Unmatched: ca.Unmatched}
		if ca.Code != "" {
			v.Name, v.Path = ca.Code, path(ca.Code)
			if c, ok := ix.Code(ca.Code); ok {
				v.Name = c.Name
			}
		}
		for _, da := range ca.Docs {
			v.Docs = append(v.Docs, DocAgreement{Document: name(da.Doc), Coded: da.Coded, AllCoded: da.AllCoded, NoneCoded: da.NoneCoded, Stats: da.Stats})
		}
		return v
	}
	for _, ca := range cmp.Codes {
		out.Codes = append(out.Codes, view(ca))
	}
	out.Overall = view(cmp.Overall)
	idx := map[int]*runeIndex{}
	for _, d := range cmp.Disagreements {
		ri := idx[d.Doc]
		if ri == nil {
			ri = newRuneIndex(texts[d.Doc])
			idx[d.Doc] = ri
		}
		out.Disagreements = append(out.Disagreements, Disagreement{
			Document: name(d.Doc), CodeID: d.Code, Path: path(d.Code), Index: d.Index, Start: d.Start, End: d.End,
			Coded: d.Coded, NotCoded: d.NotCoded, Overlap: d.Overlap, Text: ri.slice(d.Start, d.End),
		})
	}
	return out
}
