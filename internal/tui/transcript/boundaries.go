package transcript

import "unicode"

// Word and sentence boundaries for growing a selection. A word is a run of
// letters, digits, apostrophes and hyphens inside it; a sentence ends after
// . ! ? or … (with closing quotes or brackets) followed by space, or at a
// line break.

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-'
}

// wordEnds and wordStarts are the positions in [lo, hi) a selection end may
// move to.
func isWordEnd(text []rune, p, lo, hi int) bool {
	if p <= lo || p > hi {
		return false
	}
	return isWordRune(text[p-1]) && (p == hi || !isWordRune(text[p]))
}

func isWordStart(text []rune, p, lo, hi int) bool {
	if p < lo || p >= hi {
		return false
	}
	return isWordRune(text[p]) && (p == lo || !isWordRune(text[p-1]))
}

func isSentenceEnd(text []rune, p, lo, hi int) bool {
	if p <= lo || p > hi {
		return false
	}
	if p == hi || text[p] == '\n' {
		return !unicode.IsSpace(text[p-1])
	}
	if !unicode.IsSpace(text[p]) {
		return false
	}
	q := p - 1
	for q > lo && (text[q] == '"' || text[q] == '\'' || text[q] == '”' || text[q] == '’' || text[q] == ')') {
		q--
	}
	switch text[q] {
	case '.', '!', '?', '…':
		return true
	}
	return false
}

func isSentenceStart(text []rune, p, lo, hi int) bool {
	if p < lo || p >= hi || unicode.IsSpace(text[p]) {
		return false
	}
	if p == lo {
		return true
	}
	q := p - 1
	for q > lo && unicode.IsSpace(text[q]) && text[q] != '\n' {
		q--
	}
	return text[q] == '\n' || isSentenceEnd(text, q+1, lo, hi)
}

// step moves p one boundary forward (dir > 0) or back within [lo, hi),
// where at(p) says whether p is a boundary; it stays put when there is none.
func step(p, dir, lo, hi int, at func(p int) bool) int {
	for q := p + dir; q >= lo && q <= hi; q += dir {
		if at(q) {
			return q
		}
	}
	return p
}
