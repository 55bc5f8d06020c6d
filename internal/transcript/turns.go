package transcript

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// labelAt is a label line found in a text, with its position.
type labelAt struct {
	labelLine
	lineStart int // byte offset of the line
	bodyStart int // byte offset where what was said may begin
	bodyRune  int // rune offset of bodyStart
}

// detectTurns finds the speaker turns of a plain text (txt, md, and the
// text extracted from docx). A turn runs from its label to the next
// accepted label; text before the first one is a preamble (title, date,
// consent notes) and belongs to no turn. With opt.SpeakerPattern the
// user's pattern replaces detection.
//
// It is linear in the size of text: offsets are counted as the lines are
// scanned, never from the start of the text.
func detectTurns(text string, opt Options) ([]Turn, error) {
	if opt.SpeakerPattern != nil {
		return patternTurns(text, opt.SpeakerPattern)
	}
	var found []labelAt
	forEachLine(text, func(line string, start, startRune int) {
		if l, ok := scanLabel(line); ok {
			found = append(found, labelAt{l, start, start + l.body, startRune + utf8.RuneCountInString(line[:l.body])})
		}
	})
	return buildTurns(text, acceptLabels(found, opt.Speakers)), nil
}

// forEachLine calls fn for every line of text (without its "\n") with the
// line's byte and rune offsets.
func forEachLine(text string, fn func(line string, start, startRune int)) {
	start, startRune := 0, 0
	for start <= len(text) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text) - start
		}
		line := text[start : start+end]
		fn(line, start, startRune)
		startRune += utf8.RuneCountInString(line) + 1
		start += end + 1
	}
}

// buildTurns makes one turn per accepted label: from the first
// non-whitespace rune after the label to one past the last non-whitespace
// rune before the next label's line. A label with nothing after it makes
// no turn.
func buildTurns(text string, labels []labelAt) []Turn {
	var turns []Turn
	for i, l := range labels {
		limit := len(text)
		if i+1 < len(labels) {
			limit = labels[i+1].lineStart
		}
		region := text[l.bodyStart:limit]
		said := strings.TrimLeftFunc(region, unicode.IsSpace)
		lead := region[:len(region)-len(said)]
		said = strings.TrimRightFunc(said, unicode.IsSpace)
		if said == "" {
			continue
		}
		start := l.bodyRune + utf8.RuneCountInString(lead)
		turns = append(turns, Turn{
			Speaker: l.speaker,
			Start:   start,
			End:     start + utf8.RuneCountInString(said),
			TimeMS:  l.timeMS,
		})
	}
	return turns
}
