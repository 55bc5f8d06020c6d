package project

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/refi"
	"github.com/qcode-qda/qcode/internal/transcript"
)

// REFI-QDA exchange (docs/REFI.md): a .qdpx project is read into a Bundle
// and a Bundle is written as one. The mapping, both ways:
//
//	REFI-QDA                         qcode
//	User                             coder (by name)
//	CodeBook                         codebook (via codebook.ReadQDC's rules)
//	Case + VariableValues            participant + attributes
//	TextSource + VariableValues      document + attributes ("kind" sets the kind)
//	Set of sources                   document attribute "sets" ("A; B")
//	PlainTextSelection + Coding      coding (creatingUser = coder)
//	Note via NoteRef                 memo on a coding, document, code or the project
//	Case/Description                 participant memo
//	Project/Description              project memo (+ codebook name, description, frameworks)

// SetsAttribute is the document attribute that holds the REFI-QDA sets a
// document belongs to, separated by "; ".
const SetsAttribute = "sets"

// CaseAttribute holds the cases a source is linked to in a REFI-QDA
// project when they are not speakers in its text.
const CaseAttribute = "case"

// QDPXOptions tune WriteQDPX.
type QDPXOptions struct {
	// CRLF writes the sources with CRLF line breaks (--line-endings crlf),
	// for programs that want Windows text files; positions stay exact.
	CRLF bool
	// Name is the project's name in the file; "" takes the codebook's name,
	// else the file name.
	Name string
}

// QDPXReport says what ReadQDPX read and what it left out.
type QDPXReport struct {
	File         string         `json:"file"`
	Origin       string         `json:"origin"`
	Documents    []QDPXDocument `json:"documents"`
	Participants int            `json:"participants"`
	Coders       []string       `json:"coders"`
	Codes        int            `json:"codes"`
	Codings      int            `json:"codings"`
	Memos        int            `json:"memos"`
	Skipped      []QDPXSkipped  `json:"skipped"`
	Notices      []string       `json:"notices"`
}

// QDPXDocument is one document read from a .qdpx.
type QDPXDocument struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	KindGuessed bool   `json:"kind_guessed"`
	Encoding    string `json:"encoding"`
	Offsets     string `json:"offsets"` // how the file counted positions in it
	Speakers    int    `json:"speakers"`
	Codings     int    `json:"codings"`
	Renamed     bool   `json:"renamed"` // its name was taken, so a suffix was added
}

// QDPXSkipped is something in the file that was not imported, and why.
type QDPXSkipped struct {
	What     string   `json:"what"`               // "PDF source", "text source", "selection", "coding", "note", "link", "graph"
	Name     string   `json:"name"`               // the source (or element) it concerns
	Position string   `json:"position,omitempty"` // a selection's "start-end" as the file gave it
	Codes    []string `json:"codes,omitempty"`    // the codes of a selection left out
	Line     int      `json:"line,omitempty"`     // in the .qde
	Reason   string   `json:"reason"`
}

// qdpxNamespace seeds the GUIDs derived from qcode ids and names, so that
// exporting the same project twice gives the same GUIDs.
var qdpxNamespace = uuid.MustParse("a5fe6833-6121-48be-a331-4b43ba624e98")

func derivedGUID(kind, key string) string {
	return uuid.NewSHA1(qdpxNamespace, []byte(kind+"\x00"+key)).String()
}

// ReadQDPX reads a REFI-QDA project (.qdpx) into a Bundle: the input of
// merging it into a project. Each text source's text is normalised and
// its speaker turns detected exactly as `qcode import file.txt` does
// (case names count as known speakers); codings keep their exact
// positions, independent of turns. The report lists what was imported and
// what was not: PDF, picture, audio and video sources, sources whose text
// is not in the file, and selections that cannot be placed exactly.
func ReadQDPX(path string) (*Bundle, *QDPXReport, error) {
	rp, err := refi.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	c := &qdpxReader{
		rp:    rp,
		file:  filepath.Base(path),
		now:   time.Now().UTC(),
		b:     &Bundle{Name: filepath.Base(path)},
		rep:   &QDPXReport{File: filepath.Base(path), Origin: rp.Origin, Skipped: []QDPXSkipped{}, Notices: []string{}},
		notes: map[string]refi.Note{},
		used:  map[string]bool{},
	}
	c.read()
	return c.b, c.rep, nil
}

type qdpxReader struct {
	rp    *refi.Project
	file  string
	now   time.Time
	b     *Bundle
	rep   *QDPXReport
	users map[string]string // GUID -> coder name
	notes map[string]refi.Note
	used  map[string]bool // notes some element links to
	vars  map[string]refi.Variable
	// participants by lower-case label, as indices into b.Participants
	labels     map[string]int
	caseLabels []string        // confirmed speakers for turn detection, as known participants are to an import
	ids        map[string]bool // coding ids taken
	docCodings []Coding        // the codings of the document being read
	// codings merged into one with the same coder, code and span, and
	// codings whose id an earlier one already had
	dupSpans, dupIDs int
}

func (c *qdpxReader) read() {
	rp := c.rp
	for _, n := range rp.Notes {
		c.notes[n.GUID] = n
	}
	c.users = map[string]string{}
	for _, u := range rp.Users {
		name := strings.TrimSpace(u.Name)
		if name == "" {
			name = strings.TrimSpace(u.ID)
		}
		if name == "" {
			name = "user " + u.GUID[:8]
		}
		c.users[u.GUID] = name
		if !slices.Contains(c.b.Coders, name) {
			c.b.Coders = append(c.b.Coders, name)
		}
	}
	n := 0
	for i := range rp.Sources {
		n += countCodings(&rp.Sources[i])
	}
	c.ids = make(map[string]bool, n)
	c.b.Codings = make([]Coding, 0, n)
	c.vars = map[string]refi.Variable{}
	for _, v := range rp.Variables {
		c.vars[v.GUID] = v
	}
	c.codebook()
	c.participants()
	sets := c.setsBySource()
	caseLinks := c.caseLinks()
	for i := range rp.Sources {
		c.document(&rp.Sources[i], sets[rp.Sources[i].GUID], caseLinks[rp.Sources[i].GUID])
	}
	c.projectMemo()
	c.report()
}

// codebook takes the codes as the codebook package read them, adds the
// notes codes link to as memos, and reads the codebook's name,
// description and frameworks from the project description, where
// WriteQDPX puts them.
func (c *qdpxReader) codebook() {
	cb := &codebook.Codebook{Name: c.rp.Name}
	if c.rp.Codebook != nil {
		cb.Codes = slices.Clone(c.rp.Codebook.Codes)
	}
	desc, fields, ok := codebook.SplitQDCBlock(c.rp.Description)
	if ok {
		c.rp.Description = desc
		if fields["codebook"] != "" {
			cb.Name = fields["codebook"]
		}
		cb.Description = fields["description"]
		cb.Frameworks = strings.Fields(fields["frameworks"])
	}
	renamed := 0
	for i := range cb.Codes {
		code := &cb.Codes[i]
		code.Memo = joinMemos(code.Memo, c.noteTexts(c.rp.CodeNotes[code.ID]))
		if strings.Contains(code.Name, "/") {
			// "/" separates levels in qcode's code paths; U+2215 looks the same.
			code.Name = strings.ReplaceAll(code.Name, "/", "∕")
			renamed++
		}
	}
	if renamed > 0 {
		c.rep.Notices = append(c.rep.Notices, fmt.Sprintf("%d code name(s) contain \"/\", which separates levels in qcode's code paths; written with \"∕\" (U+2215) instead", renamed))
	}
	c.b.Codebook = cb
	c.rep.Codes = len(cb.Codes)
}

// participants turns cases into participants, with their variable values
// as attributes.
func (c *qdpxReader) participants() {
	c.labels = map[string]int{}
	for _, cs := range c.rp.Cases {
		label := cleanLabel(cs.Name)
		if label == "" {
			label = "case " + cs.GUID[:8]
		}
		if label != strings.TrimSpace(cs.Name) && cs.Name != "" {
			c.rep.Notices = append(c.rep.Notices, fmt.Sprintf("case %q: label made %q (one line of at most %d characters)", cs.Name, label, transcript.MaxLabelRunes))
		}
		if _, dup := c.labels[strings.ToLower(label)]; dup {
			base := label
			for n := 2; ; n++ {
				label = fmt.Sprintf("%s (%d)", base, n)
				if _, dup := c.labels[strings.ToLower(label)]; !dup {
					break
				}
			}
			c.rep.Notices = append(c.rep.Notices, fmt.Sprintf("two cases are named %q; the second is %q", base, label))
		}
		pp := Participant{ID: cs.GUID, Label: label, Attributes: c.attributes(cs.Values), Memo: cs.Description, Created: c.now}
		if _, ok := pp.Attributes["role"]; !ok {
			if role := DefaultRole(label); role != "" {
				pp.Attributes["role"] = role
			}
		}
		c.labels[strings.ToLower(label)] = len(c.b.Participants)
		c.b.Participants = append(c.b.Participants, pp)
		c.caseLabels = append(c.caseLabels, label)
	}
}

// cleanLabel makes a case name a valid participant label: one line, at
// most transcript.MaxLabelRunes characters.
func cleanLabel(name string) string {
	label := strings.Join(strings.Fields(name), " ")
	if r := []rune(label); len(r) > transcript.MaxLabelRunes {
		label = strings.TrimSpace(string(r[:transcript.MaxLabelRunes]))
	}
	return label
}

func (c *qdpxReader) attributes(vs []refi.Value) map[string]string {
	out := map[string]string{}
	for _, v := range vs {
		vr, ok := c.vars[v.Variable]
		if !ok {
			c.skip(QDPXSkipped{What: "variable value", Name: v.Value, Reason: "its variable " + strings.ToUpper(v.Variable) + " is not in the project"})
			continue
		}
		if v.Value != "" {
			out[strings.TrimSpace(vr.Name)] = v.Value
		}
	}
	return out
}

// setsBySource lists, per source, the sets it is a member of. Sets of
// codes and notes have no place in qcode and are reported.
func (c *qdpxReader) setsBySource() map[string][]string {
	out := map[string][]string{}
	for _, s := range c.rp.Sets {
		for _, g := range s.Sources {
			if !slices.Contains(out[g], s.Name) {
				out[g] = append(out[g], s.Name)
			}
		}
		if n := len(s.Codes) + len(s.Notes); n > 0 {
			c.skip(QDPXSkipped{What: "set", Name: s.Name, Reason: fmt.Sprintf("%d code or note member(s): sets of codes and notes are not imported", n)})
		}
	}
	return out
}

// caseLinks lists, per source, the participants of the cases linked to it.
func (c *qdpxReader) caseLinks() map[string][]int {
	out := map[string][]int{}
	for i, cs := range c.rp.Cases {
		for _, g := range cs.Sources {
			out[g] = append(out[g], i)
		}
	}
	return out
}

func (c *qdpxReader) document(s *refi.TextSource, sets []string, cases []int) {
	name := strings.Join(strings.Fields(s.Name), " ")
	if name == "" {
		name = "source " + s.GUID[:8]
	}
	t, err := transcript.Parse(c.file+": "+name+".txt", []byte(s.Text), transcript.Options{Speakers: c.caseLabels})
	if err == nil && t.Text != s.Text {
		err = fmt.Errorf("its text changes when normalised")
	}
	if err != nil {
		reason := err.Error()
		if n := countCodings(s); n > 0 {
			reason += fmt.Sprintf(" (%d coding(s) in it not imported)", n)
		}
		c.skip(QDPXSkipped{What: "text source", Name: name, Reason: reason})
		return
	}
	qd := QDPXDocument{Encoding: s.Encoding, Offsets: s.Offsets}
	for _, d := range c.b.Documents {
		if strings.EqualFold(d.Name, name) {
			base := name
			for n := 2; ; n++ {
				name = fmt.Sprintf("%s (%d)", base, n)
				if !c.docNameTaken(name) {
					break
				}
			}
			qd.Renamed = true
			break
		}
	}
	raw := s.Raw
	if raw == nil {
		raw = []byte(s.Text)
	}
	sum := sha256.Sum256(raw)
	d := Document{
		ID:           s.GUID,
		Name:         name,
		Attributes:   c.attributes(s.Values),
		SourceFile:   c.file,
		SourceSHA256: hex.EncodeToString(sum[:]),
		TextSHA256:   sha256Hex([]byte(s.Text)),
		Format:       "qdpx",
		Encoding:     s.Encoding,
		Runes:        utf8.RuneCountInString(s.Text),
		Words:        countWords(s.Text),
		ImportedAt:   c.now,
	}
	if k := d.Attributes["kind"]; slices.Contains(Kinds, k) {
		d.Kind = k
		delete(d.Attributes, "kind")
	}
	if len(sets) > 0 {
		d.Attributes[SetsAttribute] = strings.Join(sets, "; ")
	}
	roles := map[string]string{}
	for _, tt := range t.Turns {
		turn := Turn{Start: tt.Start, End: tt.End, TimeMS: tt.TimeMS}
		if tt.Speaker != "" {
			i := c.participant(tt.Speaker)
			turn.ParticipantID = c.b.Participants[i].ID
			roles[turn.ParticipantID] = c.b.Participants[i].Attributes["role"]
		}
		d.Turns = append(d.Turns, turn)
	}
	var linked []string
	for _, i := range cases {
		if _, speaks := roles[c.b.Participants[i].ID]; !speaks {
			linked = append(linked, c.b.Participants[i].Label)
		}
	}
	if len(linked) > 0 && d.Attributes[CaseAttribute] == "" {
		d.Attributes[CaseAttribute] = strings.Join(linked, "; ")
	}
	if d.Kind == "" {
		d.Kind, qd.KindGuessed = guessKind(t, roles), true
	}
	memos := []string{s.Description, c.noteTexts(s.NoteRefs)}
	var r []rune
	for _, sel := range s.Selections {
		memo := joinMemos(sel.Description, c.noteTexts(sel.NoteRefs))
		if len(sel.Codings) == 0 && memo != "" {
			// a memo on text nobody coded (MAXQDA): kept on the document
			if r == nil {
				r = []rune(s.Text)
			}
			memos = append(memos, fmt.Sprintf("On %q (%d-%d): %s", clipText(string(r[sel.Start:sel.End]), 60), sel.Start, sel.End, memo))
		}
		for _, rc := range sel.Codings {
			c.coding(&d, rc, sel.Start, sel.End, memo, sel.CreatingUser, sel.Created, sel.Modified, s)
		}
	}
	for _, rc := range s.Codings {
		c.coding(&d, rc, 0, d.Runes, "", "", time.Time{}, time.Time{}, s)
	}
	before := len(c.b.Codings)
	c.flushCodings()
	qd.Codings = len(c.b.Codings) - before
	d.Memo = joinMemos(memos...)
	qd.Name, qd.Kind, qd.Speakers = d.Name, d.Kind, len(roles)
	c.rep.Documents = append(c.rep.Documents, qd)
	c.b.Documents = append(c.b.Documents, BundleDocument{Document: d, Text: s.Text})
}

func countCodings(s *refi.TextSource) int {
	n := len(s.Codings)
	for _, sel := range s.Selections {
		n += len(sel.Codings)
	}
	return n
}

func (c *qdpxReader) docNameTaken(name string) bool {
	for _, d := range c.b.Documents {
		if strings.EqualFold(d.Name, name) {
			return true
		}
	}
	return false
}

// participant finds the participant a speaker label names, or adds one,
// as an import does.
func (c *qdpxReader) participant(label string) int {
	if i, ok := c.labels[strings.ToLower(label)]; ok {
		return i
	}
	pp := Participant{ID: uuid.NewString(), Label: label, Attributes: map[string]string{}, Created: c.now}
	if role := DefaultRole(label); role != "" {
		pp.Attributes["role"] = role
	}
	c.labels[strings.ToLower(label)] = len(c.b.Participants)
	c.b.Participants = append(c.b.Participants, pp)
	return len(c.b.Participants) - 1
}

func (c *qdpxReader) coding(d *Document, rc refi.Coding, start, end int, selMemo, selUser string, selCreated, selModified time.Time, s *refi.TextSource) {
	created := firstTime(rc.Created, selCreated, s.Created, c.rp.Created, c.now)
	updated := created
	if selModified.After(created) {
		updated = selModified
	}
	id := rc.GUID
	if c.ids[id] {
		id = derivedGUID("duplicate coding", fmt.Sprintf("%s %s %d", id, d.ID, len(c.b.Codings)+len(c.docCodings)))
		c.dupIDs++
	}
	c.ids[id] = true
	c.docCodings = append(c.docCodings, Coding{
		ID:      id,
		DocID:   d.ID,
		CodeID:  rc.Code,
		Start:   start,
		End:     end,
		Coder:   c.coder(rc.CreatingUser, selUser, s.CreatingUser, c.rp.CreatingUser),
		Memo:    joinMemos(selMemo, c.noteTexts(rc.NoteRefs)),
		Created: created,
		Updated: updated,
	})
}

// flushCodings adds a document's codings to the bundle, keeping one of
// several with the same coder, code and span: NVivo and others can hold
// the same code on the same text by the same user twice; qcode keeps one
// coding per coder, code and span, with the memos joined.
func (c *qdpxReader) flushCodings() {
	cs := c.docCodings
	slices.SortStableFunc(cs, func(a, b Coding) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), strings.Compare(a.CodeID, b.CodeID), strings.Compare(a.Coder, b.Coder))
	})
	for i, cd := range cs {
		if i > 0 {
			last := &c.b.Codings[len(c.b.Codings)-1]
			if last.Start == cd.Start && last.End == cd.End && last.CodeID == cd.CodeID && last.Coder == cd.Coder {
				if cd.Memo != "" && !strings.Contains(last.Memo, cd.Memo) {
					last.Memo = joinMemos(last.Memo, cd.Memo)
				}
				c.dupSpans++
				continue
			}
		}
		c.b.Codings = append(c.b.Codings, cd)
	}
	c.docCodings = c.docCodings[:0]
}

// coder names the first user of guids that is set; a user the project
// does not list is named by the start of the GUID.
func (c *qdpxReader) coder(guids ...string) string {
	for _, g := range guids {
		if g == "" {
			continue
		}
		name, ok := c.users[g]
		if !ok {
			name = "user " + g[:8]
			c.users[g] = name
			c.b.Coders = append(c.b.Coders, name)
		}
		return name
	}
	const unknown = "unknown"
	if !slices.Contains(c.b.Coders, unknown) {
		c.b.Coders = append(c.b.Coders, unknown)
		c.rep.Notices = append(c.rep.Notices, `codings without a user are attributed to the coder "unknown"`)
	}
	return unknown
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// noteTexts joins the texts of the notes refs link to, each with its title
// when the text does not start with it.
func (c *qdpxReader) noteTexts(refs []string) string {
	var parts []string
	for _, g := range refs {
		n, ok := c.notes[g]
		if !ok {
			c.skip(QDPXSkipped{What: "note", Name: strings.ToUpper(g), Reason: "a NoteRef links to a note that is not in the project"})
			continue
		}
		c.used[g] = true
		parts = append(parts, noteText(n))
	}
	return joinMemos(parts...)
}

func noteText(n refi.Note) string {
	text := n.Text
	if strings.TrimSpace(text) == "" {
		text = n.Description
	}
	title := strings.TrimSpace(n.Name)
	if prefix := strings.TrimSpace(strings.TrimSuffix(title, "…")); title != "" && !strings.HasPrefix(strings.TrimSpace(text), prefix) {
		if strings.TrimSpace(text) == "" {
			return title
		}
		return title + "\n" + text
	}
	return text
}

// joinMemos joins memos with a blank line, leaving out empty ones (and
// ones of white space only, as programs write for "no memo").
func joinMemos(ms ...string) string {
	var out []string
	for _, m := range ms {
		if strings.TrimSpace(m) != "" {
			out = append(out, m)
		}
	}
	return strings.Join(out, "\n\n")
}

// projectMemo is the project's description, the notes on the project, and
// every note nothing links to (free memos in ATLAS.ti, NVivo and MAXQDA).
func (c *qdpxReader) projectMemo() {
	memos := []string{c.rp.Description, c.noteTexts(c.rp.NoteRefs)}
	for _, n := range c.rp.Notes {
		if !c.used[n.GUID] {
			c.used[n.GUID] = true
			memos = append(memos, noteText(n))
		}
	}
	c.b.Memo = joinMemos(memos...)
}

func (c *qdpxReader) skip(s QDPXSkipped) { c.rep.Skipped = append(c.rep.Skipped, s) }

func (c *qdpxReader) report() {
	rp, rep := c.rp, c.rep
	for _, s := range rp.Skipped {
		reason := s.Reason
		if s.Selections+s.Codings > 0 {
			reason += fmt.Sprintf(" (%d selection(s), %d coding(s) in it not imported)", s.Selections, s.Codings)
		}
		rep.Skipped = append(rep.Skipped, QDPXSkipped{What: s.Kind + " source", Name: s.Name, Reason: reason})
	}
	for _, p := range rp.Problems {
		sk := QDPXSkipped{What: strings.ToLower(strings.TrimPrefix(strings.TrimSuffix(p.Element, "Selection"), "PlainText")), Name: p.Source, Codes: p.Codes, Line: p.Line, Reason: p.Reason}
		switch p.Element {
		case "PlainTextSelection":
			sk.What = "selection"
		case "TextSource":
			sk.What = "text source"
		}
		if p.Start >= 0 {
			sk.Position = fmt.Sprintf("%d-%d", p.Start, p.End)
		}
		if sk.Name == "" {
			sk.Name = strings.ToUpper(p.GUID)
		}
		rep.Skipped = append(rep.Skipped, sk)
	}
	if rp.Links > 0 {
		rep.Skipped = append(rep.Skipped, QDPXSkipped{What: "link", Name: fmt.Sprintf("%d link(s)", rp.Links), Reason: "links between elements are not imported"})
	}
	if rp.CaseRefs > 0 {
		rep.Skipped = append(rep.Skipped, QDPXSkipped{What: "case reference", Name: fmt.Sprintf("%d reference(s)", rp.CaseRefs), Reason: "codes and selections linked to cases directly are not imported"})
	}
	if rp.Graphs > 0 {
		rep.Skipped = append(rep.Skipped, QDPXSkipped{What: "graph", Name: fmt.Sprintf("%d graph(s)", rp.Graphs), Reason: "graphs are not imported"})
	}
	if c.dupSpans > 0 {
		rep.Notices = append(rep.Notices, fmt.Sprintf("%d coding(s) repeat a code on the same text by the same coder; each kept once (memos joined)", c.dupSpans))
	}
	if c.dupIDs > 0 {
		rep.Notices = append(rep.Notices, fmt.Sprintf("%d coding(s) have a guid an earlier coding already has; given new ids", c.dupIDs))
	}
	rep.Notices = append(rp.Notices, rep.Notices...)
	rep.Participants = len(c.b.Participants)
	rep.Coders = c.b.Coders
	if rep.Coders == nil {
		rep.Coders = []string{}
	}
	if rep.Documents == nil {
		rep.Documents = []QDPXDocument{}
	}
	rep.Codings = len(c.b.Codings)
	rep.Memos = len(c.used)
}

func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// WriteQDPX writes b as a REFI-QDA project at path (see docs/REFI.md):
// project.qde and sources/<GUID>.txt, valid against Project.xsd. It
// writes a temporary file beside path and renames it into place, so path
// is either the complete new file or untouched; the file's mode is 0600.
func WriteQDPX(b *Bundle, path string, opt QDPXOptions) error {
	rp, err := bundleToREFI(b, path, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := refi.Write(bw, rp, refi.WriteOptions{CRLF: opt.CRLF}); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	return nil
}

// guidOf is id when it is a GUID (as qcode's ids are), else a GUID
// derived from it.
func guidOf(kind, id string) string {
	if g, ok := codebook.ParseGUID(id); ok {
		return g
	}
	return derivedGUID(kind, id)
}

func bundleToREFI(b *Bundle, path string, opt QDPXOptions) (*refi.Project, error) {
	cb := b.Codebook
	if cb == nil {
		cb = &codebook.Codebook{}
	}
	name := opt.Name
	if name == "" {
		name = cb.Name
	}
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	rp := &refi.Project{Name: name, Origin: "qcode", Modified: time.Now().UTC(), CodeNotes: map[string][]string{}}
	var fields [][2]string
	if cb.Name != name {
		fields = append(fields, [2]string{"codebook", cb.Name})
	}
	fields = append(fields, [2]string{"description", cb.Description}, [2]string{"frameworks", strings.Join(cb.Frameworks, " ")})
	rp.Description = codebook.QDCBlock(b.Memo, fields)

	// Users: the coders, in the bundle's order, then any coder of a coding.
	users := map[string]string{}
	addUser := func(coder string) {
		if _, ok := users[coder]; !ok && coder != "" {
			g := derivedGUID("coder", coder)
			users[coder] = g
			rp.Users = append(rp.Users, refi.User{GUID: g, Name: coder})
		}
	}
	for _, cd := range b.Coders {
		addUser(cd)
	}
	for _, cd := range b.Codings {
		addUser(cd.Coder)
	}

	codeIDs := map[string]string{}
	if len(cb.Codes) > 0 {
		out := *cb
		out.Codes = slices.Clone(cb.Codes)
		for i := range out.Codes {
			c := &out.Codes[i]
			codeIDs[c.ID] = guidOf("code", c.ID)
			c.ID = codeIDs[c.ID]
			if c.ParentID != "" {
				c.ParentID = guidOf("code", c.ParentID)
			}
		}
		rp.Codebook = &out
	}

	// Variables: every attribute key of participants and documents (the
	// sets attribute becomes Sets), and the document kind.
	varIDs := map[string]string{}
	keys := map[string]bool{"kind": true}
	for _, pp := range b.Participants {
		for k := range pp.Attributes {
			keys[k] = true
		}
	}
	for _, d := range b.Documents {
		for k := range d.Attributes {
			if k != SetsAttribute {
				keys[k] = true
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		g := derivedGUID("variable", k)
		varIDs[k] = g
		rp.Variables = append(rp.Variables, refi.Variable{GUID: g, Name: k, Type: refi.Text})
	}
	values := func(attrs map[string]string, extra ...[2]string) []refi.Value {
		var out []refi.Value
		for _, kv := range extra {
			out = append(out, refi.Value{Variable: varIDs[kv[0]], Value: kv[1]})
		}
		for _, k := range slices.Sorted(maps.Keys(attrs)) {
			if k != SetsAttribute && attrs[k] != "" {
				out = append(out, refi.Value{Variable: varIDs[k], Value: attrs[k]})
			}
		}
		return out
	}

	// Cases, linked to the documents in which they speak.
	speaksIn := map[string][]string{}
	for _, d := range b.Documents {
		seen := map[string]bool{}
		for _, t := range d.Turns {
			if t.ParticipantID != "" && !seen[t.ParticipantID] {
				seen[t.ParticipantID] = true
				speaksIn[t.ParticipantID] = append(speaksIn[t.ParticipantID], guidOf("document", d.ID))
			}
		}
	}
	for _, pp := range b.Participants {
		rp.Cases = append(rp.Cases, refi.Case{GUID: guidOf("participant", pp.ID), Name: pp.Label, Description: pp.Memo,
			Values: values(pp.Attributes), Sources: speaksIn[pp.ID]})
	}

	codings := map[string][]Coding{}
	for _, cd := range b.Codings {
		codings[cd.DocID] = append(codings[cd.DocID], cd)
	}
	setMembers := map[string][]string{}
	var setOrder []string
	addNote := func(kind, id, memo, user string, created time.Time) string {
		if memo == "" {
			return ""
		}
		g := derivedGUID("memo:"+kind, id)
		rp.Notes = append(rp.Notes, refi.Note{GUID: g, Name: noteTitle(memo), Text: memo, CreatingUser: user, Created: created})
		return g
	}
	for _, d := range b.Documents {
		dg := guidOf("document", d.ID)
		var kind [][2]string
		if _, own := d.Attributes["kind"]; !own { // an attribute "kind" (not a qcode kind) is written as it is
			kind = append(kind, [2]string{"kind", d.Kind})
		}
		s := refi.TextSource{GUID: dg, Name: d.Name, Text: d.Text, Created: d.ImportedAt, Values: values(d.Attributes, kind...)}
		if n := addNote("document", d.ID, d.Memo, "", time.Time{}); n != "" {
			s.NoteRefs = []string{n}
		}
		cs := codings[d.ID]
		sort.SliceStable(cs, func(i, j int) bool {
			a, b := cs[i], cs[j]
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.CodeID, b.CodeID), cmp.Compare(a.Coder, b.Coder), cmp.Compare(a.ID, b.ID)) < 0
		})
		for _, cd := range cs {
			code, ok := codeIDs[cd.CodeID]
			if !ok {
				return nil, fmt.Errorf("coding %s in %q: code %s is not in the codebook", cd.ID, d.Name, cd.CodeID)
			}
			ug := users[cd.Coder]
			rc := refi.Coding{GUID: guidOf("coding", cd.ID), Code: code, CreatingUser: ug, Created: cd.Created}
			if n := addNote("coding", cd.ID, cd.Memo, ug, cd.Created); n != "" {
				rc.NoteRefs = []string{n}
			}
			sel := refi.Selection{GUID: derivedGUID("selection", cd.ID), Start: cd.Start, End: cd.End, CreatingUser: ug, Created: cd.Created, Codings: []refi.Coding{rc}}
			if cd.Updated.After(cd.Created) {
				sel.ModifyingUser, sel.Modified = ug, cd.Updated
			}
			s.Selections = append(s.Selections, sel)
		}
		rp.Sources = append(rp.Sources, s)
		for _, set := range strings.Split(d.Attributes[SetsAttribute], ";") {
			if set = strings.TrimSpace(set); set != "" {
				if _, ok := setMembers[set]; !ok {
					setOrder = append(setOrder, set)
				}
				setMembers[set] = append(setMembers[set], dg)
			}
		}
	}
	for _, set := range setOrder {
		rp.Sets = append(rp.Sets, refi.Set{GUID: derivedGUID("set", set), Name: set, Sources: setMembers[set]})
	}
	return rp, nil
}

// noteTitle names a memo's note by its first line, shortened, so that
// reading it back does not repeat the title.
func noteTitle(memo string) string {
	line, _, _ := strings.Cut(memo, "\n")
	line = strings.TrimSpace(line)
	if r := []rune(line); len(r) > 60 {
		return strings.TrimSpace(string(r[:59])) + "…"
	}
	return line
}
