package agreement

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Unit is what coders' codings are compared on.
type Unit string

// The units of comparison.
const (
	// UnitTurn: each speaker turn is a unit, coded or not with each code.
	UnitTurn Unit = "turn"
	// UnitSentence: each sentence within a turn (or within the text of a
	// document without turns).
	UnitSentence Unit = "sentence"
	// UnitParagraph: each paragraph within a turn (or within the text of a
	// document without turns): blocks separated by blank lines, or every
	// line when the document has no blank lines.
	UnitParagraph Unit = "paragraph"
	// UnitChar: each character of the document (NVivo's coding comparison).
	UnitChar Unit = "char"
	// UnitSegment: each coded segment, matched against the other coders'
	// segments of the same code (MAXQDA's segment agreement).
	UnitSegment Unit = "segment"
)

// Units lists every unit, in the order the CLI shows them.
var Units = []Unit{UnitTurn, UnitSentence, UnitParagraph, UnitChar, UnitSegment}

// ParseUnit accepts a unit's name, case-insensitively.
func ParseUnit(s string) (Unit, error) {
	for _, u := range Units {
		if strings.EqualFold(strings.TrimSpace(s), string(u)) {
			return u, nil
		}
	}
	return "", fmt.Errorf("unit %q is not one of turn, sentence, paragraph, char, segment", s)
}

// NeedsText reports whether documents need their text to be split into
// units of this kind.
func (u Unit) NeedsText() bool { return u == UnitSentence || u == UnitParagraph }

// Doc is a document whose codings are compared.
type Doc struct {
	Name   string
	Length int      // of the text, in runes
	Turns  [][2]int // speaker turns, [start, end) rune offsets
	Text   string   // the text: needed for sentence and paragraph units only
}

// Spans returns the units of kind u in d, in order, as [start, end) rune
// offsets: turns; or paragraphs or sentences within turns, or
// within the whole text when d has no turns. Text outside the units — a
// preamble, speaker labels, blank lines, spaces around a sentence — is in
// no unit. Character and segment units have no spans.
func Spans(d *Doc, u Unit) [][2]int {
	var regions [][2]int
	for _, t := range d.Turns {
		if s, e := max(t[0], 0), min(t[1], d.Length); s < e {
			regions = append(regions, [2]int{s, e})
		}
	}
	slices.SortFunc(regions, func(a, b [2]int) int { return a[0] - b[0] })
	if u == UnitTurn {
		return regions
	}
	if u != UnitSentence && u != UnitParagraph {
		return nil
	}
	r := []rune(d.Text)
	if len(r) > d.Length {
		r = r[:d.Length]
	}
	if len(d.Turns) == 0 {
		regions = [][2]int{{0, len(r)}}
	}
	blocks := hasBlankLine(r)
	var out [][2]int
	emit := func(s, e int) {
		if ps, pe := trimSpan(r, s, e); ps < pe {
			if u == UnitParagraph {
				out = append(out, [2]int{ps, pe})
			} else {
				out = sentences(r, ps, pe, out)
			}
		}
	}
	for _, reg := range regions {
		s, e := min(reg[0], len(r)), min(reg[1], len(r))
		para := s // start of the current paragraph
		for s < e {
			nl := s
			for nl < e && r[nl] != '\n' {
				nl++
			}
			if ls, le := trimSpan(r, s, nl); !blocks || ls == le {
				// A line is a paragraph, or a blank line ends one.
				emit(para, nl)
				para = nl + 1
			}
			s = nl + 1
		}
		emit(para, e)
	}
	return out
}

// hasBlankLine reports whether the text separates paragraphs by blank
// lines (Markdown, most plain-text transcripts; hard-wrapped lines then
// stay in one paragraph); without blank lines, every line is a paragraph
// (Word documents, one-line-per-turn transcripts).
func hasBlankLine(r []rune) bool {
	blank := false // only spaces since the last line break
	for _, c := range r {
		switch {
		case c == '\n':
			if blank {
				return true
			}
			blank = true
		case !unicode.IsSpace(c):
			blank = false
		}
	}
	return false
}

func trimSpan(r []rune, s, e int) (int, int) {
	for s < e && unicode.IsSpace(r[s]) {
		s++
	}
	for e > s && unicode.IsSpace(r[e-1]) {
		e--
	}
	return s, e
}

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "vs": true,
	"etc": true, "e.g": true, "i.e": true, "no": true, "nr": true, "approx": true, "jr": true, "sr": true, "ca": true,
}

func isTerminator(c rune) bool {
	return c == '.' || c == '!' || c == '?' || c == '…' || c == '。' || c == '！' || c == '？'
}

func isCloser(c rune) bool {
	return c == '"' || c == '\'' || c == '”' || c == '’' || c == '»' || c == ')' || c == ']'
}

// sentences appends the sentences of the line r[s:e) (trimmed) to out. A
// sentence ends after a run of . ! ? … (with closing quotes or brackets)
// that is followed by a space and then not by a lower-case letter, except
// after a common abbreviation (Dr., e.g., etc.) and in the pause mark "(.)".
func sentences(r []rune, s, e int, out [][2]int) [][2]int {
	start := s
	for i := s; i < e; i++ {
		if !isTerminator(r[i]) {
			continue
		}
		j := i
		for j < e && (isTerminator(r[j]) || isCloser(r[j])) {
			j++
		}
		next := j
		for next < e && unicode.IsSpace(r[next]) {
			next++
		}
		switch {
		case j < e && !unicode.IsSpace(r[j]): // 2.0, e.g, a.m
		case r[i] == '.' && i > s && r[i-1] == '(': // (.) a micro-pause
		case r[i] == '.' && j == i+1 && abbreviations[strings.ToLower(wordBefore(r, start, i))]:
		case next < e && unicode.IsLower(r[next]):
		default:
			if ss, se := trimSpan(r, start, j); ss < se {
				out = append(out, [2]int{ss, se})
			}
			start = next
		}
		i = j - 1
	}
	if ss, se := trimSpan(r, start, e); ss < se {
		out = append(out, [2]int{ss, se})
	}
	return out
}

// wordBefore returns the letters and inner full stops just before r[i].
func wordBefore(r []rune, s, i int) string {
	b := i
	for b > s && (unicode.IsLetter(r[b-1]) || r[b-1] == '.') {
		b--
	}
	return string(r[b:i])
}
