package transcript

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
)

// decodeUTF16 decodes UTF-16 text (BOM already removed). An unpaired
// surrogate is an error rather than the U+FFFD the decoder would put in its
// place, so a damaged file never imports with holes in it.
func decodeUTF16(name string, body []byte, e unicode.Endianness, label string) (string, string, error) {
	if len(body)%2 != 0 {
		return "", "", &Error{File: name, Msg: "text is UTF-16 but has an odd number of bytes (is the file cut short?)"}
	}
	if unit, line, ok := checkSurrogates(body, e); !ok {
		return "", "", &Error{File: name, Msg: fmt.Sprintf("text is not valid UTF-16 (unpaired surrogate 0x%04X at line %d)", unit, line)}
	}
	out, err := unicode.UTF16(e, unicode.IgnoreBOM).NewDecoder().Bytes(body)
	if err != nil {
		return "", "", &Error{File: name, Msg: "text is not valid UTF-16: " + err.Error()}
	}
	if looksBinary(out) {
		return "", "", &Error{File: name, Msg: msgBinary}
	}
	return normalise(string(out)), label, nil
}

// checkSurrogates finds the first unpaired surrogate in UTF-16 data and the
// line it is on.
func checkSurrogates(b []byte, e unicode.Endianness) (unit uint16, line int, ok bool) {
	at := func(i int) uint16 {
		if e == unicode.LittleEndian {
			return uint16(b[i]) | uint16(b[i+1])<<8
		}
		return uint16(b[i])<<8 | uint16(b[i+1])
	}
	line = 1
	for i := 0; i+1 < len(b); i += 2 {
		u := at(i)
		switch {
		case u == '\n':
			line++
		case u == '\r' && (i+3 >= len(b) || at(i+2) != '\n'):
			line++
		case u >= 0xD800 && u < 0xDC00: // high surrogate: a low one must follow
			if i+3 >= len(b) {
				return u, line, false
			}
			if next := at(i + 2); next < 0xDC00 || next > 0xDFFF {
				return u, line, false
			}
			i += 2
		case u >= 0xDC00 && u <= 0xDFFF:
			return u, line, false
		}
	}
	return 0, line, true
}

// sniffUTF16 recognises UTF-16 saved without a BOM from its pattern of NUL
// bytes: text in Latin scripts has a zero high byte in almost every code
// unit, so zeros sit at every other position and never at the others.
// Binary data rarely has that pattern over the first 512 bytes, and when it
// does its decoded text fails the binary check in decodeUTF16.
func sniffUTF16(data []byte) (unicode.Endianness, string, bool) {
	n := min(len(data), 512) &^ 1
	if n < 4 || len(data)%2 != 0 {
		return unicode.LittleEndian, "", false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	units := n / 2
	switch {
	case even == 0 && odd*10 >= units*7:
		return unicode.LittleEndian, "utf-16le", true
	case odd == 0 && even*10 >= units*7:
		return unicode.BigEndian, "utf-16be", true
	}
	return unicode.LittleEndian, "", false
}

// looksBinary reports whether text is a binary file rather than a
// transcript: it has a NUL, or more than 5% of its bytes are C0 control
// characters other than tab, LF, CR and FF. The share, not the count,
// decides, so a long transcript with a few stray control characters (Word's
// vertical tab for a manual line break) still imports. In UTF-8 every byte
// below 0x20 is such a character, so raw bytes can be checked.
func looksBinary[T string | []byte](s T) bool {
	controls := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f':
			controls++
		}
	}
	return controls > 0 && controls*20 > len(s)
}

// mixedUTF8 reports whether data, which is not valid UTF-8, is still mostly
// UTF-8: more well-formed multi-byte sequences than stray bytes. Genuine
// Windows-1252 text rarely forms a valid multi-byte sequence (that needs an
// accented capital followed by a byte from 0x80-0xBF). first is the index
// of the first invalid byte.
func mixedUTF8(data []byte) (first int, mostly bool) {
	first = -1
	valid, invalid := 0, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			if first < 0 {
				first = i
			}
			invalid++
		case size > 1:
			valid++
		}
		i += size
	}
	return first, first >= 0 && valid > invalid
}

// firstInvalidUTF8 returns the index of the first byte that is not part of
// a valid UTF-8 sequence; ok is true when there is none.
func firstInvalidUTF8(b []byte) (int, bool) {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i, false
		}
		i += size
	}
	return 0, true
}

// cp1252Undefined reports the five bytes Windows-1252 leaves unassigned: a
// file with them was saved in some other 8-bit encoding.
func cp1252Undefined(b byte) bool {
	switch b {
	case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
		return true
	}
	return false
}

// rawLine is the 1-based line of byte i in undecoded 8-bit text, counting
// LF, CRLF and lone CR as one line break each (as normalisation will).
func rawLine(data []byte, i int) int {
	line := 1
	for j := 0; j < i && j < len(data); j++ {
		if data[j] == '\n' || (data[j] == '\r' && (j+1 >= len(data) || data[j+1] != '\n')) {
			line++
		}
	}
	return line
}
