package transcript

import (
	"strings"
	"unicode/utf8"
)

// Caption files (WebVTT, SRT) share one pipeline:
//
//	decode -> scanCues (captions_scan.go) -> cleanCuePayload (captions_text.go)
//	-> assignPrefixSpeakers (captions_speaker.go) -> buildCaptionText (here)
//
// vtt.go and srt.go only describe what differs between the two formats.
// The caption fragments are merged into turns because researchers code what
// a person said, not 3-second subtitle slices; the document text is then
// built from the turns, so it is a readable transcript rather than a copy of
// the caption file.

// captionPauseMS is the silence that ends a speakerless turn. Whisper output
// names no speakers, so a pause is the only turn boundary there is: 2 s is
// longer than the gaps between fragments of one sentence (usually 0-500 ms)
// and short enough that a question and its answer rarely end up together.
const captionPauseMS = 2000

// captionDialect is what separates one caption format from the other.
type captionDialect struct {
	format string // Transcript.Format
	// header reports whether the first non-blank line opens a header block
	// to skip (WebVTT's "WEBVTT"). nil when the format has none.
	header func(line string) bool
	// skipBlock reports whether a block starting with line is not a cue
	// (WebVTT NOTE, STYLE, REGION). nil when the format has none.
	skipBlock func(line string) bool
	// voices enables <v Name> voice spans as the speaker.
	voices bool
}

// cue is one timed block as found in the file.
type cue struct {
	line       int      // 1-based line of the timing line in the decoded text
	start, end int64    // media times in milliseconds
	payload    []string // payload lines, trimmed, still with markup
}

// captionSeg is a cue's text after cleaning: one per cue, or one per voice
// span when a cue holds several.
type captionSeg struct {
	start, end int64
	speaker    string // "" when none is known
	voiced     bool   // speaker came from markup, so no prefix guessing
	text       string // markup removed, single-spaced, trimmed
}

// parseCaptions is parseVTT and parseSRT: d says which format it is.
func parseCaptions(name string, data []byte, d *captionDialect) (*Transcript, error) {
	text, enc, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	cues, err := scanCues(name, text, d)
	if err != nil {
		return nil, err
	}
	if len(cues) == 0 {
		return nil, &Error{File: name, Msg: "no caption cues found"}
	}
	segs := make([]captionSeg, 0, len(cues))
	for _, c := range cues {
		for _, p := range cleanCuePayload(c.payload, d.voices) {
			segs = append(segs, captionSeg{start: c.start, end: c.end, speaker: p.speaker, voiced: p.speaker != "", text: p.text})
		}
	}
	assignPrefixSpeakers(segs)
	body, turns := buildCaptionText(segs)
	return &Transcript{Text: body, Turns: turns, Format: d.format, Encoding: enc}, nil
}

// buildCaptionText merges segments into turns and writes the document:
// "Label: text" per turn (just the text when there is no speaker), turns
// separated by a blank line. Consecutive segments of one speaker join one
// turn; speakerless segments join while the pause between them is shorter
// than captionPauseMS. A turn keeps its first segment's start time. Offsets
// come from a running rune count, so this is linear in the text size.
func buildCaptionText(segs []captionSeg) (string, []Turn) {
	var (
		b       strings.Builder
		runes   int
		turns   []Turn
		prevEnd int64
	)
	write := func(s string) {
		b.WriteString(s)
		runes += utf8.RuneCountInString(s)
	}
	for _, s := range segs {
		if s.text == "" {
			continue
		}
		if n := len(turns); n > 0 && turns[n-1].Speaker == s.speaker &&
			(s.speaker != "" || s.start-prevEnd < captionPauseMS) {
			write(" ")
			write(s.text)
			turns[n-1].End = runes
		} else {
			if n > 0 {
				write("\n\n")
			}
			if s.speaker != "" {
				write(s.speaker)
				write(": ")
			}
			t := Turn{Speaker: s.speaker, Start: runes, TimeMS: s.start}
			write(s.text)
			t.End = runes
			turns = append(turns, t)
		}
		prevEnd = s.end
	}
	return b.String(), turns
}
