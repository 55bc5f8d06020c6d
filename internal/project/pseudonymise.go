package project

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/qcode-qda/qcode/internal/analysis"
	"github.com/qcode-qda/qcode/internal/store"
)

// Pseudonymiser replaces participants' labels, and other names a
// researcher lists, with stable codes in anything qcode writes out.
//
// Codes are numbered in the order participants were first created (then
// by id), so they stay the same when the project grows: "Participant 07"
// is the same person in every export. Listed names get "[Name 03]" in
// their listed order. Interviewers keep their labels: they identify
// no one and the text needs them to read.
type Pseudonymiser struct {
	codes map[string]string // participant id -> code
	words map[string]string // lower-case label or name -> code
	re    *regexp.Regexp    // whole-word, case-insensitive match of any word
}

// Pseudonymiser builds the replacement for this project's participants
// and the names in namesFile (one per line; "" for none).
func (p *Project) Pseudonymiser(namesFile string) (*Pseudonymiser, error) {
	var names []string
	if namesFile != "" {
		data, err := os.ReadFile(namesFile)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", namesFile, unwrapPathErr(err))
		}
		for _, line := range strings.Split(string(data), "\n") {
			if n := strings.TrimSpace(strings.TrimPrefix(line, "\ufeff")); n != "" && !strings.HasPrefix(n, "#") {
				names = append(names, n)
			}
		}
	}
	var people []Participant
	err := p.view(func(tx *store.Tx) error {
		var err error
		people, err = tx.Participants()
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(people, func(i, j int) bool {
		if !people[i].Created.Equal(people[j].Created) {
			return people[i].Created.Before(people[j].Created)
		}
		return people[i].ID < people[j].ID
	})
	ps := &Pseudonymiser{codes: map[string]string{}, words: map[string]string{}}
	n := 0
	for _, pp := range people {
		if pp.Attributes["role"] == RoleInterviewer {
			ps.codes[pp.ID] = pp.Label
			continue
		}
		n++
		code := fmt.Sprintf("Participant %02d", n)
		ps.codes[pp.ID] = code
		if utf8.RuneCountInString(pp.Label) >= 2 {
			ps.words[strings.ToLower(pp.Label)] = code
		}
	}
	for i, name := range names {
		if _, taken := ps.words[strings.ToLower(name)]; !taken {
			ps.words[strings.ToLower(name)] = fmt.Sprintf("[Name %02d]", i+1)
		}
	}
	if len(ps.words) > 0 {
		words := make([]string, 0, len(ps.words))
		for w := range ps.words {
			words = append(words, regexp.QuoteMeta(w))
		}
		// Longest first, so "Kari Nilsen" wins over "Kari".
		sort.Slice(words, func(i, j int) bool {
			if len(words[i]) != len(words[j]) {
				return len(words[i]) > len(words[j])
			}
			return words[i] < words[j]
		})
		ps.re = regexp.MustCompile(`(?i)(^|[^\pL\pN])(` + strings.Join(words, "|") + `)($|[^\pL\pN])`)
	}
	return ps, nil
}

// Label returns the code for a participant id ("" stays "").
func (ps *Pseudonymiser) Label(participantID, label string) string {
	if c, ok := ps.codes[participantID]; ok {
		return c
	}
	return label
}

// LabelOf returns the code for a participant known only by label.
func (ps *Pseudonymiser) LabelOf(label string) string {
	if c, ok := ps.words[strings.ToLower(label)]; ok {
		return c
	}
	return label
}

// Text replaces every listed label and name in s, as whole words,
// ignoring case.
func (ps *Pseudonymiser) Text(s string) string {
	if ps.re == nil {
		return s
	}
	// The pattern consumes one boundary character on each side, so
	// adjacent names ("Kari, Siri") need a second pass.
	for i := 0; i < 2; i++ {
		s = ps.re.ReplaceAllStringFunc(s, func(m string) string {
			sub := ps.re.FindStringSubmatch(m)
			return sub[1] + ps.words[strings.ToLower(sub[2])] + sub[3]
		})
	}
	return s
}

// Apply pseudonymises a report dataset: participant labels, and names in
// the text that quotes are cut from and in memos.
func (ps *Pseudonymiser) Apply(ds *analysis.Dataset) {
	for id, pp := range ds.People {
		pp.Label = ps.Label(id, pp.Label)
		ds.People[id] = pp
	}
	for i := range ds.Segments {
		if ds.Segments[i].Memo != "" {
			ds.Segments[i].Memo = ps.Text(ds.Segments[i].Memo)
		}
	}
	if text := ds.Text; text != nil {
		ds.Text = func(doc int) string { return ps.Text(text(doc)) }
	}
}

// Document pseudonymises a document view: speaker labels, and names in the
// text. The text is rebuilt piece by piece between turn boundaries, so the
// turns' offsets point into the new text exactly as before.
func (ps *Pseudonymiser) Document(d *DocumentView) {
	ix := newRuneIndex(d.Text)
	var b strings.Builder
	pos, runes := 0, 0
	emit := func(s string) {
		s = ps.Text(s)
		b.WriteString(s)
		runes += utf8.RuneCountInString(s)
	}
	for i := range d.Turns {
		t := &d.Turns[i]
		emit(ix.slice(pos, t.Start))
		start := runes
		emit(ix.slice(t.Start, t.End))
		t.Start, t.End, pos = start, runes, t.End
		t.Speaker = ps.Label(t.ParticipantID, t.Speaker)
		t.Text = ps.Text(t.Text)
	}
	emit(ix.slice(pos, ix.runes()))
	d.Text = b.String()
}

// Bundle pseudonymises a whole project for export: participant labels,
// names in texts and memos. Each text is rebuilt piece by piece between
// every turn and coding boundary, so that turns and codings point into the
// new text exactly as they pointed into the old one.
func (ps *Pseudonymiser) Bundle(b *Bundle) {
	for i := range b.Participants {
		pp := &b.Participants[i]
		pp.Label = ps.Label(pp.ID, pp.Label)
		pp.Memo = ps.Text(pp.Memo)
	}
	byDoc := map[string][]int{}
	for i := range b.Codings {
		c := &b.Codings[i]
		c.Memo = ps.Text(c.Memo)
		byDoc[c.DocID] = append(byDoc[c.DocID], i)
	}
	b.Memo = ps.Text(b.Memo)
	for i := range b.Documents {
		d := &b.Documents[i]
		d.Memo = ps.Text(d.Memo)
		ix := newRuneIndex(d.Text)
		bounds := []int{0, ix.runes()}
		for _, t := range d.Turns {
			bounds = append(bounds, t.Start, t.End)
		}
		for _, ci := range byDoc[d.ID] {
			bounds = append(bounds, b.Codings[ci].Start, b.Codings[ci].End)
		}
		slices.Sort(bounds)
		bounds = slices.Compact(bounds)
		moved := make(map[int]int, len(bounds))
		var sb strings.Builder
		runes := 0
		for k, at := range bounds {
			moved[at] = runes
			if k+1 < len(bounds) {
				s := ps.Text(ix.slice(at, bounds[k+1]))
				sb.WriteString(s)
				runes += utf8.RuneCountInString(s)
			}
		}
		for j := range d.Turns {
			d.Turns[j].Start, d.Turns[j].End = moved[d.Turns[j].Start], moved[d.Turns[j].End]
		}
		for _, ci := range byDoc[d.ID] {
			c := &b.Codings[ci]
			c.Start, c.End = moved[c.Start], moved[c.End]
		}
		d.Text = sb.String()
		d.Runes = runes
		d.TextSHA256 = sha256Hex([]byte(d.Text))
		d.Words = countWords(d.Text)
	}
}
