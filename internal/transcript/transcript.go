// Package transcript turns the files researchers actually have (plain text,
// Markdown, WebVTT, SRT, Word .docx) into one normalised text plus its
// speaker turns.
//
// The text it returns is what the project stores and what every coding's
// offsets point into, so the rules here are part of the data model:
//   - decoded to UTF-8 (UTF-8 with or without BOM, UTF-16 LE/BE with BOM,
//     Windows-1252 for text that is not valid UTF-8), BOM dropped;
//   - CRLF and lone CR become LF;
//   - offsets are zero-based rune (Unicode code point) offsets, half-open.
//
// The package knows nothing of projects, participants or storage.
package transcript

import (
	"fmt"
	"regexp"
)

// MaxFileBytes is the largest file Parse accepts. Transcripts are text; a
// file larger than this is almost certainly the wrong file (a video, a dump)
// and reading it would only exhaust memory.
const MaxFileBytes = 64 << 20

// MaxLabelRunes is the longest speaker label accepted (MAXQDA's limit).
const MaxLabelRunes = 63

// Transcript is one parsed file.
type Transcript struct {
	Text     string // normalised text (see package comment)
	Turns    []Turn // in text order, non-overlapping
	Format   string // "txt", "md", "vtt", "srt", "docx"
	Encoding string // "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252" ("docx" for Word files)
}

// Turn is one speaker turn.
type Turn struct {
	Speaker string // label as written in the transcript; "" when the format carries none
	Start   int    // rune offset of the first rune of what was said (after the label)
	End     int    // rune offset one past the last rune (trailing whitespace excluded)
	TimeMS  int64  // media time of the turn's start in milliseconds; -1 when unknown
}

// Options tune parsing. The zero value is the default.
type Options struct {
	// SpeakerPattern overrides speaker detection in txt, md and docx. Every
	// line it matches starts a turn. The speaker is the group named
	// "speaker" (else the first group); an optional group named "time" is a
	// media time ([hh:]mm:ss[.ttt]). What was said starts after the match;
	// when the match runs to the end of the line it starts on the next line.
	SpeakerPattern *regexp.Regexp
	// Speakers are labels the user confirms as speakers: they are accepted
	// even when detection's false-positive guards would reject them.
	Speakers []string
}

// Error is a parse failure. Its message is one line naming the file and,
// where there is one, the line.
type Error struct {
	File string // file name as given to Parse
	Line int    // 1-based line in the decoded text; 0 when not about a line
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}
