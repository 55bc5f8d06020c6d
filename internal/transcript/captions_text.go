package transcript

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// voicePart is cue text attributed to one voice ("" when none).
type voicePart struct {
	speaker string
	text    string
}

// cleanCuePayload turns a cue's payload lines into plain text: lines joined
// with a space, markup tags dropped with their text kept (<i> <b> <u> <c.x>
// <lang en> <ruby> <rt> <font ...>, timestamp tags <00:01.000>), SSA
// overrides like {\an8} that SRT files carry dropped, character references
// decoded, whitespace collapsed. With voices, a <v Name> (or <v.class Name>)
// tag starts a part spoken by Name that lasts to the next <v> tag or the end
// of the cue: Teams closes the span with </v> on the last line, and text
// after an early </v> is still that person talking.
//
// A '<' that does not start a tag closed on the same line is kept as text:
// files in the wild contain "<3" and "a < b" unescaped.
func cleanCuePayload(lines []string, voices bool) []voicePart {
	var (
		parts []voicePart
		b     strings.Builder
		voice string
	)
	flush := func() {
		if t := collapseCueSpace(b.String()); t != "" {
			parts = append(parts, voicePart{speaker: voice, text: t})
		}
		b.Reset()
	}
	for k, line := range lines {
		if k > 0 {
			b.WriteByte(' ')
		}
		for i := 0; i < len(line); {
			switch c := line[i]; {
			case c == '<':
				tag, next, ok := cueTagAt(line, i)
				if !ok {
					b.WriteByte('<')
					i++
					continue
				}
				if voices && isVoiceTag(tag) {
					flush()
					voice = voiceName(tag)
				}
				i = next
			case c == '&':
				s, next := cueEntityAt(line, i)
				b.WriteString(s)
				i = next
			case c == '{' && i+1 < len(line) && line[i+1] == '\\':
				// Stop at the next '{' too, so a run of unclosed "{\" stays linear.
				j := strings.IndexAny(line[i+1:], "{}")
				if j < 0 || line[i+1+j] != '}' {
					b.WriteByte('{')
					i++
					continue
				}
				i += j + 2
			default:
				b.WriteByte(c)
				i++
			}
		}
	}
	flush()
	return parts
}

// cueTagAt reads the tag starting at line[i] == '<'. A tag starts with a
// letter, '/' or digit (timestamp tags) and ends at the next '>' before any
// other '<' on the line; next is the index after it. Stopping at '<' keeps
// the scan linear on lines full of unclosed '<'.
func cueTagAt(line string, i int) (tag string, next int, ok bool) {
	if i+1 >= len(line) {
		return "", 0, false
	}
	if c := line[i+1]; !(c == '/' || (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z')) {
		return "", 0, false
	}
	j := strings.IndexAny(line[i+1:], "<>")
	if j < 0 || line[i+1+j] != '>' {
		return "", 0, false
	}
	return line[i+1 : i+1+j], i + 2 + j, true
}

// isVoiceTag reports whether tag (without angle brackets) opens a WebVTT
// voice span: "v Name", "v.loud Name", or a bare "v".
func isVoiceTag(tag string) bool {
	return tag == "v" || (len(tag) > 1 && tag[0] == 'v' && (tag[1] == ' ' || tag[1] == '\t' || tag[1] == '.'))
}

// voiceName is the annotation of a voice tag (the text after the tag name
// and classes), decoded and cut to MaxLabelRunes.
func voiceName(tag string) string {
	i := strings.IndexAny(tag, " \t")
	if i < 0 {
		return ""
	}
	name := collapseCueSpace(decodeCueEntities(tag[i+1:]))
	if utf8.RuneCountInString(name) > MaxLabelRunes {
		name = strings.TrimSpace(string([]rune(name)[:MaxLabelRunes]))
	}
	return name
}

// cueEntities are the named character references caption files use.
// &nbsp; becomes an ordinary space: in captions it is layout, and a plain
// space keeps the text searchable. &lrm;/&rlm; are kept as the marks they
// name because they change how right-to-left text displays.
var cueEntities = map[string]string{
	"amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'",
	"nbsp": " ", "lrm": "\u200e", "rlm": "\u200f",
}

// cueEntityAt decodes the character reference at line[i] == '&'. Anything
// that is not a known reference is the literal '&' ("AT&T", "R&D").
func cueEntityAt(line string, i int) (s string, next int) {
	const maxRef = 10 // longest reference accepted, "&#x10FFFF;"
	end := min(len(line), i+2+maxRef)
	j := strings.IndexByte(line[i+1:end], ';')
	if j < 1 {
		return "&", i + 1
	}
	ref := line[i+1 : i+1+j]
	if v, ok := cueEntities[ref]; ok {
		return v, i + 2 + j
	}
	if ref[0] == '#' && len(ref) > 1 {
		var (
			n   uint64
			err error
		)
		if ref[1] == 'x' || ref[1] == 'X' {
			n, err = strconv.ParseUint(ref[2:], 16, 32)
		} else {
			n, err = strconv.ParseUint(ref[1:], 10, 32)
		}
		if r := rune(n); err == nil && r != 0 && utf8.ValidRune(r) {
			return string(r), i + 2 + j
		}
	}
	return "&", i + 1
}

// decodeCueEntities decodes every character reference in s.
func decodeCueEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '&' {
			r, next := cueEntityAt(s, i)
			b.WriteString(r)
			i = next
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// collapseCueSpace trims s and turns every run of white space into one space.
func collapseCueSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
