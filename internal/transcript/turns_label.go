package transcript

import "strings"

// labelStyle is the convention a speaker label line follows.
type labelStyle uint8

const (
	styleColon     labelStyle = iota // "Name: text", "@Name: text", "**Name:** text"
	styleTimeColon                   // "[00:01:23] Name: text", "00:01:23 Name:", "Name (00:01):"
	styleHeader                      // "Name  0:03" alone on a line (Otter.ai, Teams)
	styleZoom                        // "[Name] 10:02:11" alone on a line (Zoom saved captions)
)

// labelLine is a line that starts with something shaped like a speaker
// label. Whether it really is one is decided over the whole document (see
// acceptLabels).
type labelLine struct {
	speaker string
	timeMS  int64
	style   labelStyle
	strict  bool // plain "Name" without markup: must not start lower-case
	body    int  // byte offset in the line where what was said may begin
}

// labelWindow bounds the search for a label's end: a label is at most
// MaxLabelRunes runes of up to 4 bytes, plus markup. It keeps scanning
// linear however long a line is.
const labelWindow = 4*MaxLabelRunes + 8

// scanLabel recognises the speaker label conventions of plain-text
// transcripts at the start of line. It checks shape only; speakerLabelOK
// judges the name.
func scanLabel(line string) (labelLine, bool) {
	indent := len(line) - len(strings.TrimLeft(line, " \t"))
	s := line[indent:]
	if s == "" {
		return labelLine{}, false
	}
	l, ok := scanLabelAt(s)
	l.body += indent
	return l, ok
}

func scanLabelAt(s string) (labelLine, bool) {
	switch s[0] {
	case '[', '(':
		if l, ok := scanBracketed(s); ok {
			return l, true
		}
	case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		// "00:01:23 Name: text"; "3: text" falls through to a colon label.
		tok := s
		if i := strings.IndexAny(s, " \t"); i >= 0 {
			tok = s[:i]
		}
		if ms, ok := parseClock(tok); ok {
			return timedColonLabel(s, len(tok), ms)
		}
	}
	if l, ok := scanMarkupLabel(s); ok {
		return l, true
	}
	if name, body, ok := colonLabel(s); ok {
		if name, ms, timed := splitLabelTime(name); timed {
			return labelLine{speaker: name, timeMS: ms, style: styleTimeColon, strict: true, body: body}, true
		}
		return labelLine{speaker: name, timeMS: -1, style: styleColon, strict: true, body: body}, true
	}
	return scanHeaderLabel(s)
}

// scanBracketed handles lines starting with a bracket: a time before a
// colon label ("[00:01:23] Dana: ..."), a Zoom caption header ("[Dana
// Reyes] 10:02:11"), or a bracketed colon label ("[SPEAKER_00]: ...").
func scanBracketed(s string) (labelLine, bool) {
	closer := byte(']')
	if s[0] == '(' {
		closer = ')'
	}
	end := strings.IndexByte(s[:min(len(s), labelWindow)], closer)
	if end < 0 {
		return labelLine{}, false
	}
	inner := s[1:end]
	if ms, ok := parseClock(inner); ok {
		return timedColonLabel(s, end+1, ms)
	}
	if closer != ']' {
		return labelLine{}, false
	}
	rest := s[end+1:]
	if ms, ok := parseClock(strings.TrimSpace(rest)); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
		return labelLine{speaker: strings.TrimSpace(inner), timeMS: ms, style: styleZoom, body: len(s)}, true
	}
	if after, ok := strings.CutPrefix(rest, ":"); ok && (after == "" || after[0] == ' ' || after[0] == '\t') {
		return labelLine{speaker: strings.TrimSpace(inner), timeMS: -1, style: styleColon, body: end + 2}, true
	}
	return labelLine{}, false
}

// timedColonLabel reads the colon label that follows a time at s[:at].
func timedColonLabel(s string, at int, ms int64) (labelLine, bool) {
	rest := s[at:]
	skip := len(rest) - len(strings.TrimLeft(rest, " \t"))
	for _, dash := range []string{"- ", "– ", "— "} { // "00:01:23 - Dana: ..."
		if strings.HasPrefix(rest[skip:], dash) {
			skip += len(dash)
			skip += len(rest[skip:]) - len(strings.TrimLeft(rest[skip:], " \t"))
			break
		}
	}
	rest = rest[skip:]
	if l, ok := scanMarkupLabel(rest); ok {
		l.body += at + skip
		l.timeMS, l.style = ms, styleTimeColon
		return l, true
	}
	name, body, ok := colonLabel(rest)
	if !ok {
		return labelLine{}, false
	}
	return labelLine{speaker: name, timeMS: ms, style: styleTimeColon, strict: true, body: at + skip + body}, true
}

// scanMarkupLabel handles "@Name: text" (ATLAS.ti) and Markdown bold
// "**Name:** text" or "**Name**: text".
func scanMarkupLabel(s string) (labelLine, bool) {
	if rest, ok := strings.CutPrefix(s, "@"); ok {
		name, body, ok := colonLabel(rest)
		return labelLine{speaker: name, timeMS: -1, style: styleColon, body: body + 1}, ok
	}
	rest, ok := strings.CutPrefix(s, "**")
	if !ok {
		return labelLine{}, false
	}
	end := strings.Index(rest[:min(len(rest), labelWindow)], "**")
	if end <= 0 {
		return labelLine{}, false
	}
	name, after := rest[:end], rest[end+2:]
	body := 2 + end + 2
	switch {
	case strings.HasSuffix(name, ":"):
		name = name[:len(name)-1]
	case strings.HasPrefix(after, ":"):
		after, body = after[1:], body+1
	default:
		return labelLine{}, false
	}
	if after != "" && after[0] != ' ' && after[0] != '\t' {
		return labelLine{}, false
	}
	return labelLine{speaker: strings.TrimSpace(name), timeMS: -1, style: styleColon, body: body}, true
}

// colonLabel splits "Name: text" at the first colon followed by whitespace
// or the end of the line, so URLs ("https://") and clock times ("10:30")
// do not end a label (a name that still contains a colon is rejected by
// speakerLabelOK). A full-width colon (CJK transcripts) needs no space.
// Spaces before the colon (French "Enquêteur : ...") are not part of the
// name.
func colonLabel(s string) (name string, body int, ok bool) {
	w := s[:min(len(s), labelWindow)]
	for i := 0; i < len(w); i++ {
		width := 0
		switch {
		case w[i] == ':' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t'):
			width = 1
		case strings.HasPrefix(s[i:], "\uFF1A"):
			width = len("\uFF1A")
		default:
			continue
		}
		name = strings.TrimRight(s[:i], " \t\u00A0\u202F")
		return name, i + width, name != ""
	}
	return "", 0, false
}

// splitLabelTime splits a time written after the name, inside the label:
// "Speaker 1 (00:01)" (Rev and similar services), "Dana [1:02:03]".
func splitLabelTime(label string) (name string, ms int64, ok bool) {
	var opener byte
	switch {
	case strings.HasSuffix(label, ")"):
		opener = '('
	case strings.HasSuffix(label, "]"):
		opener = '['
	default:
		return label, -1, false
	}
	i := strings.LastIndexByte(label, opener)
	if i <= 0 {
		return label, -1, false
	}
	ms, ok = parseClock(strings.TrimSpace(label[i+1 : len(label)-1]))
	name = strings.TrimRight(label[:i], " \t")
	if !ok || name == "" {
		return label, -1, false
	}
	return name, ms, true
}

// scanHeaderLabel handles a header line: a name, two or more spaces (or a
// tab), a time, and nothing else; what was said follows on the next lines.
// Requiring the wide gap keeps "We met at 10:30" from being a header.
func scanHeaderLabel(s string) (labelLine, bool) {
	t := strings.TrimRight(s, " \t")
	gap := strings.LastIndexAny(t, " \t")
	if gap < 0 {
		return labelLine{}, false
	}
	ms, ok := parseClock(t[gap+1:])
	if !ok {
		return labelLine{}, false
	}
	name := strings.TrimRight(t[:gap], " \t")
	if sep := t[len(name) : gap+1]; name == "" || (len(sep) < 2 && sep != "\t") {
		return labelLine{}, false
	}
	return labelLine{speaker: name, timeMS: ms, style: styleHeader, strict: true, body: len(s)}, true
}
