package refi

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
)

// ReadFile reads the .qdpx at path within DefaultLimits.
func ReadFile(path string) (*Project, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a .qdpx file", path)
	}
	return Read(path, f, info.Size(), DefaultLimits)
}

// Read reads a .qdpx of size bytes from r; name is used in messages.
//
// The zip must hold exactly one *.qde at its top (NVivo, MAXQDA and
// QualCoder call it project.qde, ATLAS.ti <Project name>.qde) and the
// sources in a folder named sources/ in any case. An entry whose path has
// ".." or is absolute makes the whole file an error, as does going over a
// limit in lim. Text sources are read from internal:// paths; sources at
// relative:/// or absolute:/// paths lie outside the file and are listed
// as skipped, never read from disk. PDF, picture, audio and video sources
// are listed as skipped too.
//
// Selections are placed as described at [Convention]: the convention is
// chosen per source by Project/@origin and checked against the selections'
// names where those hold the selected text; a selection that cannot be
// placed exactly is left out and listed in Problems, never shifted.
func Read(name string, r io.ReaderAt, size int64, lim Limits) (*Project, error) {
	a, err := openArchive(name, r, size, lim)
	if err != nil {
		return nil, err
	}
	data, err := a.readAll(a.qde, lim.MaxXMLBytes)
	if err != nil {
		return nil, err
	}
	q, err := readQDE(name+": "+a.qde.Name, data, lim)
	if err != nil {
		return nil, err
	}
	return q.resolve(func(p string) ([]byte, bool, error) {
		f := a.open(p)
		if f == nil {
			return nil, false, nil
		}
		data, err := a.readAll(f, lim.MaxSourceBytes)
		return data, true, err
	})
}

// ReadQDE reads a project file (.qde) on its own, with the source files
// given by their path in the zip (e.g. "sources/<GUID>.txt"); for tests
// and fuzzing.
func ReadQDE(name string, qde []byte, files map[string][]byte, lim Limits) (*Project, error) {
	if int64(len(qde)) > lim.MaxXMLBytes {
		return nil, fmt.Errorf("%s: larger than %s", name, size(lim.MaxXMLBytes))
	}
	q, err := readQDE(name, qde, lim)
	if err != nil {
		return nil, err
	}
	lower := map[string][]byte{}
	for k, v := range files {
		lower[strings.ToLower(k)] = v
	}
	return q.resolve(func(p string) ([]byte, bool, error) {
		data, ok := lower[strings.ToLower(p)]
		if ok && int64(len(data)) > lim.MaxSourceBytes {
			return nil, true, fmt.Errorf("%s: %s is larger than %s", name, p, size(lim.MaxSourceBytes))
		}
		return data, ok, nil
	})
}

type openFunc func(path string) (data []byte, found bool, err error)

// internalPath turns a path attribute into the zip entry it names, or
// says why the file is not in the .qdpx.
func internalPath(p string) (entry, why string) {
	p = strings.TrimSpace(p)
	lp := strings.ToLower(p)
	switch {
	case strings.HasPrefix(lp, "internal://"):
		rest := strings.TrimLeft(p[len("internal://"):], "/")
		if strings.HasPrefix(strings.ToLower(rest), "sources/") {
			return rest, ""
		}
		return "sources/" + rest, ""
	case strings.HasPrefix(lp, "relative://"):
		return "", fmt.Sprintf("its file %s lies outside the .qdpx (relative to the exporting computer's base path); export it with sources embedded", p)
	case strings.HasPrefix(lp, "absolute://"):
		return "", fmt.Sprintf("its file %s lies outside the .qdpx (on the exporting computer); export it with sources embedded", p)
	}
	return "", fmt.Sprintf("its path %q is not an internal:// path", p)
}

// readText reads the text of a source or note: the file at path, or
// inline content. why is set when there is none to read.
func readText(path string, content string, hasContent bool, open openFunc) (t sourceText, why string, err error) {
	if path == "" {
		if !hasContent {
			return t, "it has neither a plainTextPath nor a PlainTextContent", nil
		}
		return sourceText{raw: content, enc: "inline"}, "", nil
	}
	entry, why := internalPath(path)
	if why != "" {
		return t, why, nil
	}
	data, found, err := open(entry)
	if err != nil {
		return t, "", err
	}
	if !found {
		return t, fmt.Sprintf("its file %s is not in the .qdpx", entry), nil
	}
	t.data = data
	t.raw, t.bom, t.enc, err = decodeSource(data)
	if err != nil {
		return t, fmt.Sprintf("its file %s is not UTF-8 text (REFI-QDA requires UTF-8)", entry), nil
	}
	return t, "", nil
}

// sourceText is a text as read: the file's bytes (nil for inline text),
// the text they hold without the BOM, and the encoding.
type sourceText struct {
	data []byte
	raw  string
	bom  bool
	enc  string
}

// resolve reads the texts of sources and notes and places every selection.
func (q *qdeReader) resolve(open openFunc) (*Project, error) {
	p := q.p
	for _, n := range q.notes {
		t, why, err := readText(n.path, n.content, n.hasContent, open)
		if err != nil {
			return nil, err
		}
		if why != "" && n.path != "" {
			p.Problems = append(p.Problems, Problem{Element: "Note", GUID: n.GUID, Line: n.line, Start: -1, Reason: "its text is not imported: " + why})
		}
		n.Note.Text = newTextMap(t.raw, t.bom).norm
		p.Notes = append(p.Notes, n.Note)
	}
	var cix *codebook.Index
	if p.Codebook != nil {
		cix = codebook.NewIndex(p.Codebook.Codes)
	} else {
		cix = codebook.NewIndex(nil)
	}
	pl := &placer{p: p, cix: cix, primary: ConventionFor(p.Origin)}
	seen := map[string]bool{}
	for i := range q.sources {
		s := &q.sources[i]
		q.checkCodings(s, cix)
		if seen[s.GUID] {
			p.Problems = append(p.Problems, Problem{Element: "TextSource", GUID: s.GUID, Line: s.line, Source: s.Name, Start: -1,
				Reason: "its guid is used by an earlier source; left out"})
			continue
		}
		seen[s.GUID] = true
		t, why, err := readText(s.Path, s.content, s.hasContent, open)
		if err != nil {
			return nil, err
		}
		if why != "" {
			if s.Path == "" && !s.hasContent && s.richPath != "" {
				why = "it has only a rich-text file (" + s.richPath + "), no plain text"
			}
			p.Skipped = append(p.Skipped, SkippedSource{GUID: s.GUID, Name: s.Name, Kind: "text", Path: s.Path, Reason: why,
				Selections: len(s.Selections), Codings: countCodings(&s.TextSource)})
			continue
		}
		s.Encoding, s.Raw = t.enc, t.data
		pl.add(s, newTextMap(t.raw, t.bom))
	}
	pl.place()
	return p, nil
}

func countCodings(s *TextSource) int {
	n := len(s.Codings)
	for _, sel := range s.Selections {
		n += len(sel.Codings)
	}
	return n
}

// checkCodings drops codings of codes the codebook does not have, with a
// problem each.
func (q *qdeReader) checkCodings(s *pendingSource, cix *codebook.Index) {
	keep := func(cs []Coding, sel *Selection) []Coding {
		out := cs[:0]
		for _, c := range cs {
			if _, ok := cix.Code(c.Code); ok {
				out = append(out, c)
				continue
			}
			pr := Problem{Element: "Coding", GUID: c.GUID, Line: c.Line, Source: s.Name, Start: -1,
				Reason: fmt.Sprintf("its code %s is not in the codebook; left out", strings.ToUpper(c.Code))}
			if sel != nil {
				pr.Start, pr.End = sel.RawStart, sel.RawEnd
			}
			q.p.Problems = append(q.p.Problems, pr)
		}
		return out
	}
	s.Codings = keep(s.Codings, nil)
	for i := range s.Selections {
		s.Selections[i].Codings = keep(s.Selections[i].Codings, &s.Selections[i])
	}
}

// placer places the selections of all sources. A name check needs every
// source first: whether a program puts the selected text into
// PlainTextSelection/@name is known only from the names that match.
type placer struct {
	p       *Project
	cix     *codebook.Index
	primary Convention
	sources []*placing
}

type placing struct {
	src   *pendingSource
	tm    *textMap
	cands []Convention
	masks []uint16 // per selection: the candidates under which the name matches
	hits  []int    // per candidate: the selections whose name matches
}

func (pl *placer) add(s *pendingSource, tm *textMap) {
	ps := &placing{src: s, tm: tm, cands: tm.candidates(pl.primary)}
	ps.masks = make([]uint16, len(s.Selections))
	ps.hits = make([]int, len(ps.cands))
	for i, sel := range s.Selections {
		if sel.Name == "" {
			continue
		}
		for k, c := range ps.cands {
			if start, end, why := ps.at(c, sel); why == "" && nameMatches(sel.Name, tm.slice(start, end)) {
				ps.masks[i] |= 1 << k
				ps.hits[k]++
			}
		}
	}
	ps.tm.index = nil // rebuilt on demand; not kept for every source at once
	pl.sources = append(pl.sources, ps)
}

// at places a selection under convention c, or says why it cannot.
func (ps *placing) at(c Convention, sel Selection) (int, int, string) {
	start, w1 := ps.tm.toNorm(c, sel.RawStart)
	end, w2 := ps.tm.toNorm(c, sel.RawEnd)
	switch {
	case w1 == placeBeyond || w2 == placeBeyond:
		return 0, 0, fmt.Sprintf("it ends beyond the end of the text (%d units counted as %s)", ps.tm.convMap(c).length, c)
	case w1 == placeInsideCRLF || w2 == placeInsideCRLF:
		return 0, 0, "it starts or ends between the CR and LF of a line break (counted as " + c.String() + ")"
	case w1 == placeInsideChar || w2 == placeInsideChar:
		return 0, 0, "it starts or ends inside a character outside the Basic Multilingual Plane (counted as " + c.String() + ")"
	case start >= end:
		return 0, 0, "it is empty"
	}
	return start, end, ""
}

func (pl *placer) place() {
	namesAreText, named := false, 0
	for _, ps := range pl.sources {
		for i, m := range ps.masks {
			namesAreText = namesAreText || m != 0
			if ps.src.Selections[i].Name != "" {
				named++
			}
		}
	}
	if named > 0 && !namesAreText {
		pl.p.Notices = append(pl.p.Notices, fmt.Sprintf("no selection name is the selected text (%d named selections), so offsets could not be checked against names", named))
	}
	used := map[string]int{}
	var byName, checked int
	for _, ps := range pl.sources {
		s := ps.src
		best := 0 // the preferred convention, unless names agree more often with another
		if namesAreText {
			for k, n := range ps.hits {
				if n > ps.hits[best] {
					best = k
				}
			}
		}
		conv := ps.cands[best]
		s.Convention, s.Offsets = conv, ps.tm.describe(conv)
		if len(ps.cands) > 1 && len(s.Selections) > 0 {
			used[s.Offsets]++
		}
		kept := s.Selections[:0]
		for i, sel := range s.Selections {
			start, end, why := ps.at(conv, sel)
			if namesAreText && sel.Name != "" {
				checked++
				start, end, why = ps.byName(conv, sel, ps.masks[i], start, end, why)
				if why == "" && ps.masks[i]&(1<<ps.index(conv)) == 0 {
					byName++
				}
			}
			if why != "" {
				pl.problem(s, sel, why)
				continue
			}
			sel.Start, sel.End = start, end
			kept = append(kept, sel)
		}
		s.Selections = kept
		s.TextSource.Text = ps.tm.norm
		pl.p.Sources = append(pl.p.Sources, s.TextSource)
	}
	for _, conv := range slices.Sorted(maps.Keys(used)) {
		pl.p.Notices = append(pl.p.Notices, fmt.Sprintf("%d source(s) with CRLF line breaks, characters outside the BMP (emoji) or a BOM, where counting conventions differ: positions read as %s", used[conv], conv))
	}
	if checked > 0 {
		pl.p.Notices = append(pl.p.Notices, fmt.Sprintf("%d selection(s) checked against their name (the selected text)", checked))
	}
	if byName > 0 {
		pl.p.Notices = append(pl.p.Notices, fmt.Sprintf("%d selection(s) placed by their name under another counting convention than the rest of their source", byName))
	}
}

func (ps *placing) index(c Convention) int {
	for k, o := range ps.cands {
		if o == c {
			return k
		}
	}
	return 0
}

// byName checks a placement against the selection's name and, when the
// name disagrees, looks for the one placement under another convention
// that agrees.
func (ps *placing) byName(conv Convention, sel Selection, mask uint16, start, end int, why string) (int, int, string) {
	if mask&(1<<ps.index(conv)) != 0 {
		return start, end, ""
	}
	var found [][2]int
	for k, c := range ps.cands {
		if mask&(1<<k) == 0 {
			continue
		}
		s, e, _ := ps.at(c, sel)
		dup := false
		for _, f := range found {
			dup = dup || f == [2]int{s, e}
		}
		if !dup {
			found = append(found, [2]int{s, e})
		}
	}
	switch {
	case len(found) == 1:
		return found[0][0], found[0][1], ""
	case len(found) > 1:
		return 0, 0, fmt.Sprintf("its name %s is found at %d different places under different counting conventions", clip(sel.Name), len(found))
	case why != "":
		return 0, 0, why + ", and its name " + clip(sel.Name) + " is not the text under any counting convention"
	}
	return 0, 0, fmt.Sprintf("the text there (counted as %s) is %s, not its name %s, under any counting convention", conv, clip(ps.tm.slice(start, end)), clip(sel.Name))
}

func (pl *placer) problem(s *pendingSource, sel Selection, why string) {
	pr := Problem{Element: "PlainTextSelection", GUID: sel.GUID, Line: sel.Line, Source: s.Name, Start: sel.RawStart, End: sel.RawEnd, Reason: "cannot be placed exactly: " + why}
	for _, c := range sel.Codings {
		name := strings.ToUpper(c.Code)
		if code, ok := pl.cix.Code(c.Code); ok {
			name = pl.cix.Path(code.ID)
		}
		pr.Codes = append(pr.Codes, name)
	}
	pl.p.Problems = append(pl.p.Problems, pr)
}

// clip quotes s, shortened to about 40 characters.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return fmt.Sprintf("%q…", string(r[:40]))
	}
	return fmt.Sprintf("%q", s)
}
