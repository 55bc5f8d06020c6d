package transcript

import (
	"regexp"
	"strconv"
	"strings"
)

// scanCues finds the cues of a caption file. It works line by line rather
// than block by block so that it can forgive what real files get wrong:
//   - a missing WEBVTT header or SRT index line;
//   - extra blank lines (between index and timing, or inside a payload: text
//     after a blank line that has no timing line is kept as part of the
//     previous cue rather than silently dropped);
//   - a missing blank line between cues (a line that parses as a timing line
//     inside a payload starts the next cue; an index line just before it is
//     taken as that cue's id, not as text).
//
// A line with "-->" that does not parse is an error (an *Error naming the
// line) where it must have meant to be a timing line: the first line of a
// block, or the second one (after an id) when it starts with a digit. Any
// other such line is text.
func scanCues(name, text string, d *captionDialect) ([]cue, error) {
	const (
		between  = iota // at a block boundary: expecting id or timing line
		inCue           // reading payload lines
		inSkip          // inside a NOTE/STYLE/REGION block
		inHeader        // inside the WEBVTT header block
	)
	var (
		cues    []cue
		pending []string // lines of the current block before its timing line
		state   = between
		seen    bool // a non-blank line has been seen (the header must be first)
	)
	// adopt keeps text that belongs to no cue: index or id lines are
	// dropped, anything else is appended to the previous cue (text before
	// the first cue is metadata and is dropped).
	adopt := func(lines []string) {
		for _, l := range lines {
			if len(cues) > 0 && !looksLikeCueID(l) {
				c := &cues[len(cues)-1]
				c.payload = append(c.payload, l)
			}
		}
	}
	rest := text
	for n := 1; ; n++ {
		raw, tail, more := strings.Cut(rest, "\n")
		rest = tail
		ln := strings.TrimSpace(raw)
		switch {
		case ln == "":
			adopt(pending)
			pending = pending[:0]
			state = between
		case state == inSkip:
			// NOTE, STYLE and REGION blocks end at a blank line only.
		case state == inHeader:
			// A header directly followed by a cue (no blank line).
			if s, e, bad, _ := cueTiming(ln); bad == "" {
				cues = append(cues, cue{line: n, start: s, end: e})
				state = inCue
			}
		case state == inCue:
			if strings.Contains(ln, "-->") {
				if s, e, bad, _ := cueTiming(ln); bad == "" {
					c := &cues[len(cues)-1]
					if k := len(c.payload); k > 0 && looksLikeCueID(c.payload[k-1]) {
						c.payload = c.payload[:k-1]
					}
					cues = append(cues, cue{line: n, start: s, end: e})
					break
				}
			}
			c := &cues[len(cues)-1]
			c.payload = append(c.payload, ln)
		case strings.Contains(ln, "-->"): // state == between
			s, e, err := parseCueTiming(ln)
			if err != nil {
				if meantAsTiming(ln, len(pending)) {
					return nil, &Error{File: name, Line: n, Msg: "bad cue timing " + quoteClipped(ln) + ": " + err.Error()}
				}
				pending = append(pending, ln) // text cut off from its cue by a blank line
				break
			}
			if k := len(pending); k > 1 {
				adopt(pending[:k-1]) // the last pending line is the cue id
			}
			pending = pending[:0]
			cues = append(cues, cue{line: n, start: s, end: e})
			state, seen = inCue, true
		default: // state == between, not a timing line
			if len(pending) == 0 {
				if !seen && d.header != nil && d.header(ln) {
					state, seen = inHeader, true
					break
				}
				if d.skipBlock != nil && d.skipBlock(ln) {
					state, seen = inSkip, true
					break
				}
			}
			seen = true
			pending = append(pending, ln)
		}
		if !more {
			break
		}
	}
	adopt(pending)
	return cues, nil
}

// meantAsTiming reports whether a "-->" line that does not parse, found
// at position pos of a block, was meant as a timing line: the first line of
// a block, or the second (after an id) when it starts with a digit as every
// timing line does.
func meantAsTiming(line string, pos int) bool {
	return pos == 0 || (pos == 1 && line[0] >= '0' && line[0] <= '9')
}

// cueIDPattern matches the ids that tools write before timing lines: SRT
// indexes and Zoom's numbers, and Microsoft Teams' "<GUID>/<n>-<m>".
var cueIDPattern = regexp.MustCompile(`^(?:[0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?:/[0-9]+-[0-9]+)?)$`)

// looksLikeCueID reports whether a line that is not followed by a timing
// line is a stray cue id rather than words someone said.
func looksLikeCueID(line string) bool {
	return len(line) <= 64 && cueIDPattern.MatchString(line)
}

// quoteClipped quotes a line for an error message, shortened so the message
// stays one readable line.
func quoteClipped(s string) string {
	const limit = 60
	if len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}
