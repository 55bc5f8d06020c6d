package transcript

import (
	"strings"
	"unicode"
)

// assignPrefixSpeakers finds speakers written as a text prefix: Zoom's
// "Dana Reyes: Okay, we're recording" and WhisperX's "[SPEAKER_00]: ...".
// The same shape occurs in speech ("Remember: bring your payslips"), so a
// prefix is only a candidate, and a candidate label becomes the speaker
// when the file backs it up:
//
//   - the label is name-like (cueLabelOK), and
//   - the file has a reliable speaker: this label or another one starts at
//     least two cues, or the file has <v> voice spans.
//
// The second rule accepts a guest who speaks once in an otherwise labelled
// Zoom file, while a one-off "Remember:" in a Whisper file (no speakers at
// all) stays text. One-off candidates cannot vouch for each other: two
// different false positives in an unlabelled file are still rejected.
// Rejected prefixes stay in the text unchanged.
func assignPrefixSpeakers(segs []captionSeg) {
	type candidate struct {
		label, rest string
		ok          bool
	}
	cands := make([]candidate, len(segs))
	count := map[string]int{}
	reliable := false
	for i, s := range segs {
		if s.voiced {
			reliable = true
			continue
		}
		label, rest, ok := splitCueLabel(s.text)
		if !ok {
			continue
		}
		cands[i] = candidate{label, rest, true}
		count[label]++
		if count[label] >= 2 {
			reliable = true
		}
	}
	if !reliable {
		return
	}
	for i, c := range cands {
		if c.ok {
			segs[i].speaker, segs[i].text = c.label, c.rest
		}
	}
}

// splitCueLabel splits "Label: rest" when the text before the first colon
// is a name-like label and the colon is followed by a space. Square
// brackets around the label (WhisperX) are not part of the speaker.
func splitCueLabel(text string) (label, rest string, ok bool) {
	// A label is at most MaxLabelRunes runes (4 bytes each) plus brackets,
	// so the colon is searched for in a bounded window: linear overall.
	window := text[:min(len(text), 4*MaxLabelRunes+2)]
	i := strings.IndexByte(window, ':')
	if i <= 0 || i+1 >= len(text) || text[i+1] != ' ' {
		return "", "", false
	}
	label = text[:i]
	if len(label) >= 2 && label[0] == '[' && label[len(label)-1] == ']' {
		label = strings.TrimSpace(label[1 : len(label)-1])
	}
	if !cueLabelOK(label) {
		return "", "", false
	}
	return label, strings.TrimSpace(text[i+2:]), true
}

// cueLabelOK reports whether a caption prefix looks like a speaker name
// (speakerLabelOK, not strict about case, since caption tools write what
// the meeting software shows) and has at least one letter, so "10: " or
// "2021: " never becomes a speaker.
func cueLabelOK(label string) bool {
	return speakerLabelOK(label, false) && strings.IndexFunc(label, unicode.IsLetter) >= 0
}
