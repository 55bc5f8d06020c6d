package query

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence widens a match to the sentence(s) it lies in, without leaving
// the unit [lo, hi) of s (a speaker turn, or the whole text). A sentence
// ends after . ! ? or … (with any closing quotes or brackets) followed by
// white space, and at a blank line; a single line break does not end one,
// since transcripts wrap lines inside sentences. Abbreviations such as
// "Dr." end a sentence too: the rule is simple so its results are easy to
// predict. Leading and trailing white space is left out.
func Sentence(s string, lo, hi Pos, m Match) Match {
	start := m.Start
	for start.Byte > lo.Byte {
		r, size := utf8.DecodeLastRuneInString(s[lo.Byte:start.Byte])
		if unicode.IsSpace(r) && sentenceBreakBefore(s[lo.Byte:start.Byte]) {
			break
		}
		start.Byte -= size
		start.Rune--
	}
	end := m.End
	for end.Byte < hi.Byte {
		r, size := utf8.DecodeRuneInString(s[end.Byte:hi.Byte])
		if r == '\n' && blankLineAhead(s[end.Byte:hi.Byte]) {
			break
		}
		end.Byte += size
		end.Rune++
		if strings.ContainsRune(".!?…", r) {
			for end.Byte < hi.Byte { // more terminators, closing quotes
				r, size := utf8.DecodeRuneInString(s[end.Byte:hi.Byte])
				if !strings.ContainsRune(".!?…\"'”’»)]", r) {
					break
				}
				end.Byte += size
				end.Rune++
			}
			if r, _ := utf8.DecodeRuneInString(s[end.Byte:hi.Byte]); end.Byte == hi.Byte || unicode.IsSpace(r) {
				break
			}
		}
	}
	return TrimSpace(s, Match{start, end})
}

// sentenceBreakBefore reports whether the white space that ends before
// ends a sentence: it holds a blank line, or follows a terminator.
func sentenceBreakBefore(before string) bool {
	if blankLineBehind(before) {
		return true
	}
	trimmed := strings.TrimRight(strings.TrimRightFunc(before, unicode.IsSpace), "\"'”’»)]")
	r, _ := utf8.DecodeLastRuneInString(trimmed)
	return trimmed != "" && strings.ContainsRune(".!?…", r)
}

// blankLineBehind reports whether the white space at the end of before
// holds a blank line.
func blankLineBehind(before string) bool {
	trimmed := strings.TrimRightFunc(before, unicode.IsSpace)
	return strings.Count(before[len(trimmed):], "\n") >= 2
}

// blankLineAhead reports whether s, which starts with a line break,
// starts with a blank line.
func blankLineAhead(s string) bool {
	rest := strings.TrimLeftFunc(s[1:], func(r rune) bool { return r != '\n' && unicode.IsSpace(r) })
	return strings.HasPrefix(rest, "\n")
}

// TrimSpace leaves white space at either end out of m.
func TrimSpace(s string, m Match) Match {
	for m.Start.Byte < m.End.Byte {
		r, size := utf8.DecodeRuneInString(s[m.Start.Byte:])
		if !unicode.IsSpace(r) {
			break
		}
		m.Start.Byte += size
		m.Start.Rune++
	}
	for m.End.Byte > m.Start.Byte {
		r, size := utf8.DecodeLastRuneInString(s[:m.End.Byte])
		if !unicode.IsSpace(r) {
			break
		}
		m.End.Byte -= size
		m.End.Rune--
	}
	return m
}

// Paragraph returns the bounds of the paragraph (text between blank
// lines) of s that holds position at, without leaving [lo, hi). It is
// the unit of text that has no speaker turns (field notes).
func Paragraph(s string, lo, hi, at Pos) Match {
	start := at
	for start.Byte > lo.Byte {
		r, size := utf8.DecodeLastRuneInString(s[lo.Byte:start.Byte])
		if r == '\n' && blankLineBehind(s[lo.Byte:start.Byte]) {
			break
		}
		start.Byte -= size
		start.Rune--
	}
	end := at
	for end.Byte < hi.Byte {
		r, size := utf8.DecodeRuneInString(s[end.Byte:hi.Byte])
		if r == '\n' && blankLineAhead(s[end.Byte:hi.Byte]) {
			break
		}
		end.Byte += size
		end.Rune++
	}
	return TrimSpace(s, Match{start, end})
}

// ParagraphStarts returns the rune offsets where the paragraphs of s
// begin; NEAR counts paragraphs in documents without speaker turns.
func ParagraphStarts(s string) []int {
	starts := []int{0}
	runes, newlines := 0, 0
	for _, r := range s {
		switch {
		case r == '\n':
			newlines++
		case unicode.IsSpace(r):
		default:
			if newlines >= 2 && runes > 0 {
				starts = append(starts, runes)
			}
			newlines = 0
		}
		runes++
	}
	return starts
}
