package transcript

import (
	"strings"
	"unicode"
	"unicode/utf8"
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

// cueLabelOK reports whether label looks like a speaker name rather than
// the start of a sentence: 1 to MaxLabelRunes runes, at most 5 words, at
// least one letter, starting with a letter or digit, and made only of
// letters, digits, marks, spaces and the punctuation names use
// (- _ ' ’ ( ) & /). A '.' is allowed only after a short capitalised
// abbreviation ("Dr.", "Lisa B.", "Ph.D."), never after an ordinary word,
// so "I agree. Then" is not a label. Sentence punctuation (, ; ? ! ")
// rejects the label outright.
func cueLabelOK(label string) bool {
	if label == "" || utf8.RuneCountInString(label) > MaxLabelRunes || strings.Count(label, " ") > 4 {
		return false
	}
	first, _ := utf8.DecodeRuneInString(label)
	if !unicode.IsLetter(first) && !unicode.IsDigit(first) {
		return false
	}
	letters := 0
	run, runUpper := 0, false // letters since the last non-letter
	for _, r := range label {
		switch {
		case unicode.IsLetter(r):
			if run == 0 {
				runUpper = unicode.IsUpper(r)
			}
			run++
			letters++
		case unicode.IsMark(r):
			// combining accents belong to the letter before them
		case r == '.':
			if run == 0 || run > 3 || !runUpper {
				return false
			}
			run = 0
		case unicode.IsDigit(r) || strings.ContainsRune(" -_'’()&/", r):
			run = 0
		default:
			return false
		}
	}
	return letters > 0
}
