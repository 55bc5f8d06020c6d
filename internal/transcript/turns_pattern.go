package transcript

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// patternTurns finds turns with the user's speaker pattern instead of
// detection: every line the pattern matches at its start begins a turn,
// with no frequency guard, since the user has said what a label looks like.
// The speaker is the group named "speaker" (else group 1), the time the
// optional group named "time".
//
// The pattern is not rewritten to anchor it: a leftmost match that starts
// at offset 0 is exactly the anchored match, so the line is a label when
// the match found starts there. (Wrapping the user's text in "^(?:...)"
// would break patterns such as `\Qa)`.)
func patternTurns(text string, re *regexp.Regexp) ([]Turn, error) {
	speakerGroup := re.SubexpIndex("speaker")
	if speakerGroup < 0 {
		if re.NumSubexp() == 0 {
			return nil, &Error{Msg: fmt.Sprintf("speaker pattern %q has no group for the speaker; mark it (?P<speaker>...)", re.String())}
		}
		speakerGroup = 1
	}
	timeGroup := re.SubexpIndex("time")
	var found []labelAt
	var err error
	lineNo := 0
	forEachLine(text, func(line string, start, startRune int) {
		lineNo++
		m := re.FindStringSubmatchIndex(line)
		if err != nil || m == nil || m[0] != 0 || m[1] == 0 {
			return
		}
		l := labelLine{timeMS: -1, body: m[1]}
		if s, e := m[2*speakerGroup], m[2*speakerGroup+1]; s >= 0 {
			l.speaker = strings.TrimSpace(line[s:e])
		}
		if utf8.RuneCountInString(l.speaker) > MaxLabelRunes {
			err = &Error{Line: lineNo, Msg: fmt.Sprintf("speaker pattern matches a speaker longer than %d characters: %q", MaxLabelRunes, clipForMsg(l.speaker, 40))}
			return
		}
		if timeGroup > 0 {
			if s, e := m[2*timeGroup], m[2*timeGroup+1]; s >= 0 {
				if ms, ok := parseClock(strings.Trim(line[s:e], " \t[]()")); ok {
					l.timeMS = ms
				}
			}
		}
		found = append(found, labelAt{l, start, start + l.body, startRune + utf8.RuneCountInString(line[:l.body])})
	})
	if err != nil {
		return nil, err
	}
	return buildTurns(text, found), nil
}

// clipForMsg shortens s to at most n runes for an error message.
func clipForMsg(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
