// Package transcript is the TUI pane that shows one document as speaker
// turns, with coded spans in their code's colour, a gutter naming the codes
// of each turn, the cursor and the selection a code applies to.
package transcript

import (
	"unicode"

	"github.com/qcode-qda/qcode/internal/project"
)

// Unit is what the cursor moves over: a speaker turn, or a paragraph in a
// document without speakers (field notes, written accounts).
type Unit struct {
	Start, End int // rune offsets into the document text
	Number     int // 1-based, as `qcode code --turn` counts
	Speaker    string
	Role       string
	TimeMS     int64 // -1 when unknown
}

// buildUnits returns the document's turns, or its non-blank lines when it
// has no turns, so that every document can be read and coded.
func buildUnits(doc *project.DocumentView, text []rune) []Unit {
	if len(doc.Turns) > 0 {
		out := make([]Unit, len(doc.Turns))
		for i, t := range doc.Turns {
			out[i] = Unit{Start: t.Start, End: t.End, Number: t.Number, Speaker: t.Speaker, Role: t.Role, TimeMS: t.TimeMS}
		}
		return out
	}
	var out []Unit
	start := 0
	flush := func(end int) {
		s, e := start, end
		for s < e && unicode.IsSpace(text[s]) {
			s++
		}
		for e > s && unicode.IsSpace(text[e-1]) {
			e--
		}
		if e > s {
			out = append(out, Unit{Start: s, End: e, Number: len(out) + 1, TimeMS: -1})
		}
	}
	for i, r := range text {
		if r == '\n' {
			flush(i)
			start = i + 1
		}
	}
	flush(len(text))
	return out
}

// unitAt returns the index of the unit holding rune offset pos (or the
// nearest one before it), by binary search.
func unitAt(units []Unit, pos int) int {
	lo, hi := 0, len(units)
	for lo < hi {
		m := (lo + hi) / 2
		if units[m].End <= pos {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo >= len(units) {
		return len(units) - 1
	}
	if lo > 0 && units[lo].Start > pos {
		return lo - 1
	}
	return lo
}
