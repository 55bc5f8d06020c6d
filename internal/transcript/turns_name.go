package transcript

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// speakerLabelOK reports whether name looks like a speaker label rather
// than the start of a sentence: 1 to MaxLabelRunes runes, at most 5 words,
// starting with a letter or digit (with strict, not a lower-case letter:
// "Interviewer", "P3", "FG2-P3"), made only of letters, marks, digits,
// spaces and the punctuation names use (- _ ' ’ ( ) & / #). A '.' may only
// end a short capitalised abbreviation ("Dr.", "Lisa B.", "Ph.D."), so "He
// left. Then he said" is rejected; so is any sentence punctuation (, ; ? !
// quotes) and a colon. The keys of a transcript's header block ("Date:",
// "Note:", "Location:") are not speakers either, however often they recur.
func speakerLabelOK(name string, strict bool) bool {
	if name == "" || utf8.RuneCountInString(name) > MaxLabelRunes || len(strings.Fields(name)) > 5 {
		return false
	}
	if metadataKeys[strings.ToLower(name)] {
		return false
	}
	first, _ := utf8.DecodeRuneInString(name)
	if !unicode.IsLetter(first) && !unicode.IsDigit(first) || strict && unicode.IsLower(first) {
		return false
	}
	run, runUpper := 0, false // letters since the last non-letter
	for _, r := range name {
		switch {
		case unicode.IsLetter(r):
			if run == 0 {
				runUpper = unicode.IsUpper(r)
			}
			run++
		case unicode.IsMark(r):
			// a combining accent belongs to the letter before it
		case r == '.':
			if run == 0 || run > 4 || !runUpper {
				return false
			}
			run = 0
		case unicode.IsDigit(r) || r == ' ' || strings.ContainsRune("-_'’()&/#", r):
			run = 0
		default:
			return false
		}
	}
	return true
}

// metadataKeys are the labels of a transcript's header block (and of
// notes in it) that are never speakers. Only the user can make one a
// speaker, through Options.Speakers.
var metadataKeys = map[string]bool{
	"note": true, "notes": true, "nb": true, "n.b.": true, "ps": true, "p.s.": true,
	"comment": true, "comments": true, "date": true, "time": true, "duration": true,
	"length": true, "location": true, "place": true, "setting": true, "site": true,
	"title": true, "subject": true, "topic": true, "re": true, "file": true,
	"audio": true, "recording": true, "recorded": true, "recorded by": true,
	"transcript": true, "transcribed": true, "transcribed by": true, "transcriber": true,
	"keywords": true, "tags": true, "consent": true, "attendees": true,
	"present": true, "source": true, "see": true, "url": true, "link": true,
}
