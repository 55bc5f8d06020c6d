package project

import (
	"crypto/sha256"
	"encoding/hex"
	"unicode"
	"unicode/utf8"
)

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// countWords counts runs of letters or digits joined by apostrophes and
// hyphens, so "don't" and "follow-along" are one word each and timestamps'
// punctuation is not.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || (in && (r == '\'' || r == '’' || r == '-'))
		if word && !in {
			n++
		}
		in = word
	}
	return n
}

// runeIndex maps rune offsets to byte offsets in one text. Building it is
// linear; lookups are O(1). It is used where many spans of one document are
// sliced (listings of codings, reports).
type runeIndex struct {
	text  string
	bytes []int32 // bytes[i] = byte offset of rune i; len = runes+1
}

func newRuneIndex(text string) *runeIndex {
	ix := &runeIndex{}
	ix.reset(text)
	return ix
}

// reset indexes another text, reusing the index's memory (for going
// through many documents one after the other).
func (ix *runeIndex) reset(text string) {
	ix.text, ix.bytes = text, ix.bytes[:0]
	for i := range text {
		ix.bytes = append(ix.bytes, int32(i))
	}
	ix.bytes = append(ix.bytes, int32(len(text)))
}

func (ix *runeIndex) runes() int { return len(ix.bytes) - 1 }

// slice returns text[start:end) in runes; out-of-range bounds are clamped.
func (ix *runeIndex) slice(start, end int) string {
	n := ix.runes()
	start, end = max(0, min(start, n)), max(0, min(end, n))
	if start >= end {
		return ""
	}
	return ix.text[ix.bytes[start]:ix.bytes[end]]
}

// runeOffset returns the rune offset of byte offset b (b on a rune boundary).
func runeOffset(text string, b int) int { return utf8.RuneCountInString(text[:b]) }
