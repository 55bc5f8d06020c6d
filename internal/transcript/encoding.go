package transcript

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	bomUTF32LE = []byte{0xFF, 0xFE, 0x00, 0x00}
)

// decode turns a text file's bytes into the normalised text that every
// offset points into (see the package comment) and names the encoding it
// found. The order is the one researchers' files need: a BOM decides;
// otherwise UTF-8 if the bytes are valid UTF-8; otherwise Windows-1252,
// which is what Word and Notepad on Windows save as "ANSI". Anything that
// would import as mojibake or as U+FFFD replacement characters is an error
// instead, because codings made on a garbled text cannot be repaired later.
func decode(name string, data []byte) (text, encoding string, err error) {
	fail := func(msg string) (string, string, error) {
		return "", "", &Error{File: name, Msg: msg}
	}
	switch {
	case bytes.HasPrefix(data, bomUTF32LE):
		return fail("text is UTF-32, which is not supported; save it as UTF-8")
	case bytes.HasPrefix(data, bomUTF8):
		body := data[len(bomUTF8):]
		if i, ok := firstInvalidUTF8(body); !ok {
			return fail(fmt.Sprintf("text starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte 0x%02X at line %d)", body[i], rawLine(body, i)))
		}
		if looksBinary(body) {
			return fail(msgBinary)
		}
		return normalise(string(body)), "utf-8-bom", nil
	case bytes.HasPrefix(data, bomUTF16LE):
		return decodeUTF16(name, data[len(bomUTF16LE):], unicode.LittleEndian, "utf-16le")
	case bytes.HasPrefix(data, bomUTF16BE):
		return decodeUTF16(name, data[len(bomUTF16BE):], unicode.BigEndian, "utf-16be")
	}
	if e, label, ok := sniffUTF16(data); ok {
		return decodeUTF16(name, data, e, label)
	}
	if looksBinary(data) {
		return fail(msgBinary)
	}
	if utf8.Valid(data) {
		return normalise(string(data)), "utf-8", nil
	}
	if i, mostlyUTF8 := mixedUTF8(data); mostlyUTF8 {
		// Decoding this as Windows-1252 would turn every "ø" of the UTF-8
		// part into "Ã¸": the file is UTF-8 with a few foreign bytes.
		return fail(fmt.Sprintf("text is UTF-8 except for byte 0x%02X at line %d; fix that character or save the file as UTF-8 again", data[i], rawLine(data, i)))
	}
	for i, b := range data {
		if cp1252Undefined(b) {
			return fail(fmt.Sprintf("text is neither UTF-8 nor Windows-1252 (byte 0x%02X at line %d)", b, rawLine(data, i)))
		}
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return fail("text is neither UTF-8 nor Windows-1252")
	}
	return normalise(string(out)), "windows-1252", nil
}

const msgBinary = "looks like a binary file, not a transcript"

// normalise applies the text rules of the package comment to decoded text.
// A second BOM after the first (a tool added one to a file that had one)
// is still a BOM, not text.
func normalise(s string) string {
	return NormalizeLineEndings(strings.TrimLeft(s, "\uFEFF"))
}

// NormalizeLineEndings turns CRLF and lone CR into LF, the line ending of
// every stored text, so that offsets do not depend on the system a
// transcript was typed on.
func NormalizeLineEndings(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\r' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('\n')
		if i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
	}
	return b.String()
}
