// Package query finds things in a project's material: full-text search
// over transcripts (case- and optionally accent-insensitive, phrases and
// regular expressions, keyword in context), boolean queries over codings
// (code:NAME, attribute filters, AND, OR, NOT, NEAR/n, WITHIN, OVERLAPS)
// and the units auto-coding codes (a match, its sentence, its turn).
//
// It works on plain values (texts, segments, attributes) and knows nothing
// of storage, the CLI or the TUI; internal/project feeds it.
package query

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold says which differences between texts a search ignores.
type Fold uint8

const (
	// FoldCase ignores case with Unicode simple case folding, so "Tromsø"
	// finds "TROMSØ" (the same rule as strings.EqualFold and (?i)).
	FoldCase Fold = 1 << iota
	// FoldAccents ignores diacritics ("cafe" finds "café") and spells a
	// few letters that carry no diacritic in Unicode as their base letters
	// (ø → o, æ → ae, ß → ss; see baseLetters), so "Tromso" finds "Tromsø".
	FoldAccents
)

// baseLetters are letters that Unicode does not decompose into a base
// letter and a combining mark but that readers of the languages in our
// transcripts treat as accented forms when searching.
var baseLetters = map[rune]string{
	'ø': "o", 'Ø': "O", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE",
	'ß': "ss", 'ẞ': "SS", 'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D",
	'ł': "l", 'Ł': "L", 'ı': "i", 'þ': "th", 'Þ': "TH",
}

// caseFold maps r to one representative of its simple case-folding orbit
// (the smallest rune in it), so two runes are equal ignoring case exactly
// when they fold to the same rune.
func caseFold(r rune) rune {
	min := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < min {
			min = f
		}
	}
	return min
}

// folder folds runes for one Fold, caching non-ASCII runes (transcripts
// use few distinct ones). It is not safe for concurrent use.
type folder struct {
	mode  Fold
	ascii [utf8.RuneSelf]byte
	cache map[rune]string
}

func newFolder(mode Fold) *folder {
	f := &folder{mode: mode, cache: map[rune]string{}}
	for r := rune(0); r < utf8.RuneSelf; r++ {
		c := r
		if mode&FoldCase != 0 {
			c = caseFold(r)
		}
		f.ascii[r] = byte(c)
	}
	return f
}

// fold returns the folded form of a non-ASCII rune: possibly several
// runes (æ → ae), possibly none (a combining accent).
func (f *folder) fold(r rune) string {
	if s, ok := f.cache[r]; ok {
		return s
	}
	var out []rune
	if f.mode&FoldAccents != 0 {
		base, ok := baseLetters[r]
		if !ok {
			base = norm.NFD.String(string(r))
		}
		for _, b := range base {
			if !unicode.Is(unicode.Mn, b) {
				out = append(out, b)
			}
		}
	} else {
		out = []rune{r}
	}
	if f.mode&FoldCase != 0 {
		for i := range out {
			out[i] = caseFold(out[i])
		}
	}
	s := string(out)
	f.cache[r] = s
	return s
}

// String folds a whole string (a search pattern).
func (f *folder) String(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteByte(f.ascii[r])
		} else {
			b.WriteString(f.fold(r))
		}
	}
	return b.String()
}

// foldedLen is the length in bytes of r's folded form. Mapping offsets
// back only asks about runes of the text the folder folded, which are all
// in its cache by then, so concurrent searches of one Text only read it.
func (f *folder) foldedLen(r rune) int {
	if r < utf8.RuneSelf {
		return 1
	}
	return len(f.fold(r))
}

// markStride is how many original runes lie between two offset marks of a
// folded text: mapping an offset back walks at most this many runes, and
// the marks cost 8 bytes per stride.
const markStride = 64

// folded is a text's folded form with marks to map offsets in it back to
// the original: at every markStride-th original rune k·markStride, the
// byte offsets of that rune in the original and in the folded text.
type folded struct {
	text     string
	origByte []int32
	foldByte []int32
	f        *folder
}

func foldText(text string, f *folder) *folded {
	n := len(text)/markStride + 2
	fd := &folded{f: f, origByte: make([]int32, 0, n), foldByte: make([]int32, 0, n)}
	fd.origByte, fd.foldByte = append(fd.origByte, 0), append(fd.foldByte, 0)
	if f.mode == 0 { // nothing folds: search the text itself, keep only the marks
		runes := 0
		for i := range text {
			if runes > 0 && runes%markStride == 0 {
				fd.origByte = append(fd.origByte, int32(i))
				fd.foldByte = append(fd.foldByte, int32(i))
			}
			runes++
		}
		fd.text = text
		return fd
	}
	var b strings.Builder
	b.Grow(len(text))
	runes := 0
	for i, r := range text {
		if runes > 0 && runes%markStride == 0 {
			fd.origByte = append(fd.origByte, int32(i))
			fd.foldByte = append(fd.foldByte, int32(b.Len()))
		}
		runes++
		if r < utf8.RuneSelf {
			b.WriteByte(f.ascii[r])
		} else {
			b.WriteString(f.fold(r))
		}
	}
	fd.text = b.String()
	return fd
}

// Pos is a position in an original text: its rune offset (the offsets
// codings use) and byte offset (for slicing).
type Pos struct{ Rune, Byte int }

// mapStart returns the original rune whose folded form holds folded byte
// fb: a match that starts inside an expansion (the second "s" of ß → ss)
// starts at the rune it came from.
func (fd *folded) mapStart(orig string, fb int) Pos {
	k := sort.Search(len(fd.foldByte), func(i int) bool { return int(fd.foldByte[i]) > fb }) - 1
	p := Pos{k * markStride, int(fd.origByte[k])}
	f := int(fd.foldByte[k])
	for p.Byte < len(orig) {
		r, size := utf8.DecodeRuneInString(orig[p.Byte:])
		n := fd.f.foldedLen(r)
		if n > 0 && f+n > fb {
			return p
		}
		f += n
		p.Rune++
		p.Byte += size
	}
	return p
}

// mapEnd returns the first original rune at or after folded byte fe that
// has a folded form: a match ending inside an expansion covers the whole
// rune, and combining accents that folded away right after a match
// belong to it ("cafe" in "cafe\u0301" covers the accent).
func (fd *folded) mapEnd(orig string, fe int) Pos {
	k := sort.Search(len(fd.foldByte), func(i int) bool { return int(fd.foldByte[i]) > fe }) - 1
	p := Pos{k * markStride, int(fd.origByte[k])}
	f := int(fd.foldByte[k])
	for p.Byte < len(orig) {
		r, size := utf8.DecodeRuneInString(orig[p.Byte:])
		n := fd.f.foldedLen(r)
		if n > 0 && f >= fe {
			return p
		}
		f += n
		p.Rune++
		p.Byte += size
	}
	return p
}
