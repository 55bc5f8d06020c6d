package refi

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
)

// Convention is one way of counting positions in a source's text file.
// The specification counts Unicode code points over the file's text; the
// programs differ:
//
//   - NVivo (Windows 12 and Mac 12) counts UTF-16 code units over the text
//     as stored: a character outside the Basic Multilingual Plane, such as
//     an emoji, counts 2, and on Windows a CRLF counts 2. The BOM is not
//     counted.
//   - ATLAS.ti writes CRLF into the file but counts a line break as one.
//   - QualCoder counts the BOM when the file has one.
//
// The zero Convention is the specification's: code points over the text
// as stored, BOM not counted.
type Convention struct {
	UTF16 bool // positions count UTF-16 code units, not code points
	LF    bool // a CRLF counts one, as after normalising line breaks
	BOM   bool // a leading byte-order mark counts one
}

// The conventions named after the programs that use them.
var (
	Spec    = Convention{}
	NVivo   = Convention{UTF16: true}
	AtlasTi = Convention{LF: true}
)

func (c Convention) String() string {
	s := "code points"
	if c.UTF16 {
		s = "UTF-16 units"
	}
	if c.LF {
		s += ", line break as 1"
	} else {
		s += ", CRLF as 2"
	}
	if c.BOM {
		s += ", BOM counted"
	}
	return s
}

// ConventionFor is the convention a program's exports use, from the
// Project's origin attribute: NVivo counts UTF-16 units, ATLAS.ti counts a
// line break as one, QualCoder counts the BOM; everyone else is taken at
// the specification's word.
func ConventionFor(origin string) Convention {
	o := strings.ToLower(origin)
	switch {
	case strings.Contains(o, "nvivo"):
		return NVivo
	case strings.Contains(o, "atlas"):
		return AtlasTi
	case strings.Contains(o, "qualcoder"):
		return Convention{BOM: true}
	}
	return Spec
}

// textMap maps positions in a source file's text, counted in any
// Convention, to code point offsets in its normalised text. Only three
// things make conventions differ: a CRLF, a character outside the BMP and
// the BOM; the map records where the first two occur (events) and is exact
// between them, so a lookup is a binary search.
type textMap struct {
	norm   string
	runes  int // code points in norm
	bom    bool
	events []textEvent
	crlf   bool // the text has a CRLF
	astral bool // the text has a character outside the BMP
	conv   map[Convention]*convMap
	index  []int32 // byte offset of each rune of norm, built on first use
}

type eventKind uint8

const (
	evCRLF    eventKind = iota // CR LF: 2 code points, 1 normalised
	evAstral                   // outside the BMP: 2 UTF-16 units
	evDropped                  // a second BOM at the start: dropped by normalising
)

type textEvent struct {
	raw  int // code point offset of the event in the text as stored (BOM excluded)
	kind eventKind
}

// width is how many units the event spans in convention c, and in the
// normalised text.
func (e textEvent) width(c Convention) (conv, norm int) {
	switch e.kind {
	case evCRLF:
		if c.LF {
			return 1, 1
		}
		return 2, 1
	case evAstral:
		if c.UTF16 {
			return 2, 1
		}
		return 1, 1
	}
	return 1, 0
}

// rawRunes is how many code points of the stored text the event covers.
func (e textEvent) rawRunes() int {
	if e.kind == evCRLF {
		return 2
	}
	return 1
}

// convMap holds, for one convention, the events at which it differs from
// the normalised text.
type convMap struct {
	points []convPoint
	length int // the text's length in this convention's units
}

type convPoint struct {
	conv, norm int // positions of the event's start
	wConv      int
	wNorm      int
	kind       eventKind
}

var errNotUTF8 = errors.New("not UTF-8")

// decodeSource turns a source file's bytes into the text as stored (BOM
// removed) and names the encoding. REFI-QDA requires UTF-8; UTF-16 with a
// BOM is accepted too.
func decodeSource(data []byte) (raw string, bom bool, enc string, err error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
		if !utf8.Valid(data) {
			return "", true, "", errNotUTF8
		}
		return string(data), true, "utf-8-bom", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		e, name := unicode.LittleEndian, "utf-16le"
		if data[0] == 0xFE {
			e, name = unicode.BigEndian, "utf-16be"
		}
		out, err := unicode.UTF16(e, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
			return "", true, "", errNotUTF8
		}
		return string(out), true, name, nil
	}
	if !utf8.Valid(data) {
		return "", false, "", errNotUTF8
	}
	return string(data), false, "utf-8", nil
}

// newTextMap normalises raw (the text as stored, without its BOM) the way
// transcripts are normalised — further BOMs at the start dropped, CRLF and
// lone CR turned into LF — and records where conventions differ.
func newTextMap(raw string, bom bool) *textMap {
	m := &textMap{bom: bom}
	var b strings.Builder
	b.Grow(len(raw))
	r := 0 // code point offset in raw
	i := 0
	for i < len(raw) && strings.HasPrefix(raw[i:], "\uFEFF") {
		m.events = append(m.events, textEvent{raw: r, kind: evDropped})
		i += 3
		r++
	}
	last := i // start of the run not yet copied
	for i < len(raw) {
		c := raw[i]
		switch {
		case c < utf8.RuneSelf && c != '\r':
			i++
			r++
			continue
		case c == '\r':
			b.WriteString(raw[last:i])
			b.WriteByte('\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				m.events = append(m.events, textEvent{raw: r, kind: evCRLF})
				m.crlf = true
				i += 2
				r += 2
			} else {
				i++
				r++
			}
			last = i
			continue
		}
		_, n := utf8.DecodeRuneInString(raw[i:])
		if n == 4 {
			m.events = append(m.events, textEvent{raw: r, kind: evAstral})
			m.astral = true
		}
		i += n
		r++
	}
	if last == 0 && b.Len() == 0 {
		m.norm = raw
	} else {
		b.WriteString(raw[last:])
		m.norm = b.String()
	}
	m.runes = utf8.RuneCountInString(m.norm)
	return m
}

// describe says how convention c counts this text, naming only what makes
// a difference in it.
func (m *textMap) describe(c Convention) string {
	s := "code points"
	if m.astral && c.UTF16 {
		s = "UTF-16 units"
	}
	if m.crlf {
		if c.LF {
			s += ", CRLF as 1"
		} else {
			s += ", CRLF as 2"
		}
	}
	if m.bom {
		if c.BOM {
			s += ", BOM counted"
		} else {
			s += ", BOM not counted"
		}
	}
	return s
}

// canonical drops the parts of c that make no difference for this text, so
// that conventions that agree compare equal.
func (m *textMap) canonical(c Convention) Convention {
	if !m.crlf {
		c.LF = false
	}
	if !m.astral {
		c.UTF16 = false
	}
	if !m.bom {
		c.BOM = false
	}
	return c
}

// candidates lists the conventions that differ for this text, first the
// preferred one.
func (m *textMap) candidates(first Convention) []Convention {
	out := []Convention{m.canonical(first)}
	for _, bom := range []bool{false, true} {
		for _, c := range []Convention{Spec, NVivo, AtlasTi, {UTF16: true, LF: true}} {
			c.BOM = bom
			c = m.canonical(c)
			dup := false
			for _, o := range out {
				dup = dup || o == c
			}
			if !dup {
				out = append(out, c)
			}
		}
	}
	return out
}

func (m *textMap) convMap(c Convention) *convMap {
	c = m.canonical(c)
	if cm, ok := m.conv[c]; ok {
		return cm
	}
	cm := &convMap{}
	prevRaw, conv, norm := 0, 0, 0
	for _, e := range m.events {
		d := e.raw - prevRaw
		conv += d
		norm += d
		wc, wn := e.width(c)
		if wc != 1 || wn != 1 {
			cm.points = append(cm.points, convPoint{conv: conv, norm: norm, wConv: wc, wNorm: wn, kind: e.kind})
		}
		conv += wc
		norm += wn
		prevRaw = e.raw + e.rawRunes()
	}
	cm.length = conv + (m.runes - norm)
	if c.BOM {
		cm.length++
	}
	if m.conv == nil {
		m.conv = map[Convention]*convMap{}
	}
	m.conv[c] = cm
	return cm
}

// Why a position cannot be placed.
const (
	placeOK = iota
	placeBeyond
	placeInsideCRLF
	placeInsideChar
)

// toNorm converts position u, counted in convention c, to a code point
// offset in the normalised text.
func (m *textMap) toNorm(c Convention, u int64) (int, int) {
	cm := m.convMap(c)
	if u < 0 || u > int64(cm.length) {
		return 0, placeBeyond
	}
	p := int(u)
	if m.canonical(c).BOM && p > 0 {
		p-- // the BOM itself; position 0 stays the start of the text
	}
	k := sort.Search(len(cm.points), func(i int) bool { return cm.points[i].conv > p }) - 1
	if k < 0 {
		return p, placeOK
	}
	pt := cm.points[k]
	switch {
	case p == pt.conv:
		return pt.norm, placeOK
	case p < pt.conv+pt.wConv:
		if pt.kind == evCRLF {
			return 0, placeInsideCRLF
		}
		return 0, placeInsideChar
	}
	return pt.norm + pt.wNorm + (p - pt.conv - pt.wConv), placeOK
}

func (m *textMap) runeIndex() []int32 {
	if m.index == nil {
		m.index = runeOffsets(m.norm)
	}
	return m.index
}

// runeOffsets maps code point offsets to byte offsets in s; the last
// entry is len(s).
func runeOffsets(s string) []int32 {
	ix := make([]int32, 0, utf8.RuneCountInString(s)+1)
	for i := range s {
		ix = append(ix, int32(i))
	}
	return append(ix, int32(len(s)))
}

// slice returns the normalised text of [start, end) in code points.
func (m *textMap) slice(start, end int) string {
	ix := m.runeIndex()
	return m.norm[ix[start]:ix[end]]
}

// nameMatches reports whether a selection's name is the selected text:
// equal, equal up to white space (line breaks as written, spaces trimmed
// or collapsed), or the start of it followed by an ellipsis.
func nameMatches(name, selected string) bool {
	if name == selected {
		return true
	}
	n, s := collapseSpace(name), collapseSpace(selected)
	if n == s {
		return true
	}
	for _, ell := range []string{"...", "…"} {
		if p, ok := strings.CutSuffix(n, ell); ok && strings.TrimSpace(p) != "" && strings.HasPrefix(s, strings.TrimSpace(p)) {
			return true
		}
	}
	return false
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\uFEFF", "")), " ")
}

// lfIndex lists the code point offsets of the line breaks of a normalised
// text, for writing it with CRLF.
func lfIndex(text string) []int {
	var out []int
	r := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			out = append(out, r)
		}
		if c < utf8.RuneSelf || c >= 0xC0 {
			r++
		}
	}
	return out
}

// fromNorm converts a code point offset in the normalised text to one in
// the text as written, where every line break listed in lfs became CRLF.
func fromNorm(lfs []int, n int) int {
	return n + sort.SearchInts(lfs, n)
}
