package agreement_test

import (
	"testing"
	"unicode/utf8"

	"github.com/qcode-qda/qcode/internal/agreement"
)

// FuzzSpans: sentence and paragraph units of any text (with or without a
// turn) are non-empty, in order, inside the text and do not overlap.
func FuzzSpans(f *testing.F) {
	f.Add("Dr. Smith said hello. Then (.) we left... OK? yes.\n\nNext (2.0) one!", 3, 40)
	f.Add("…?!\n\n\n  .", 0, 2)
	f.Add("Kari: Ja. Nei?\nP1: «Tja.» Så!", 6, 14)
	f.Fuzz(func(t *testing.T, text string, ts, te int) {
		if !utf8.ValidString(text) {
			return
		}
		n := utf8.RuneCountInString(text)
		docs := []agreement.Doc{{Text: text, Length: n}, {Text: text, Length: n, Turns: [][2]int{{ts, te}}}}
		for _, d := range docs {
			for _, u := range []agreement.Unit{agreement.UnitSentence, agreement.UnitParagraph} {
				prev := 0
				for _, s := range agreement.Spans(&d, u) {
					if s[0] < prev || s[0] >= s[1] || s[1] > n {
						t.Fatalf("%s spans of %q: %v after %d", u, text, s, prev)
					}
					prev = s[1]
				}
			}
		}
	})
}
