package query

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// at returns the Pos of byte offset b in s.
func at(s string, b int) Pos { return Pos{utf8.RuneCountInString(s[:b]), b} }

func find(s, sub string) Match {
	i := strings.Index(s, sub)
	return Match{at(s, i), at(s, i+len(sub))}
}

func TestSentence(t *testing.T) {
	turn := `Losing their NAV money. The fear of losing
benefits comes up in every first meeting! Åse said: "It stops." Then 3.5 hours later… we talked`
	lo, hi := at(turn, 0), at(turn, len(turn))
	for _, c := range []struct{ hit, want string }{
		{"NAV", "Losing their NAV money."},
		{"benefits", "The fear of losing\nbenefits comes up in every first meeting!"},
		{"said", `Åse said: "It stops."`},
		{"hours", "Then 3.5 hours later…"},
		{"talked", "we talked"},
		{"money. The fear", "Losing their NAV money. The fear of losing\nbenefits comes up in every first meeting!"},
	} {
		m := Sentence(turn, lo, hi, find(turn, c.hit))
		if got := turn[m.Start.Byte:m.End.Byte]; got != c.want {
			t.Errorf("%s: sentence %q, want %q", c.hit, got, c.want)
		}
		if got := string([]rune(turn)[m.Start.Rune:m.End.Rune]); got != c.want {
			t.Errorf("%s: rune offsets give %q", c.hit, got)
		}
	}
	// A blank line ends a sentence; the unit's bounds are never crossed.
	notes := "Day 1\n\nLeft Tromsø at 06:40 in a rental car\n\nThe ferry was late"
	m := Sentence(notes, at(notes, 0), at(notes, len(notes)), find(notes, "rental"))
	if got := notes[m.Start.Byte:m.End.Byte]; got != "Left Tromsø at 06:40 in a rental car" {
		t.Errorf("blank lines: %q", got)
	}
	inner := find(notes, "Tromsø at 06:40")
	m = Sentence(notes, inner.Start, inner.End, find(notes, "at"))
	if got := notes[m.Start.Byte:m.End.Byte]; got != "Tromsø at 06:40" {
		t.Errorf("bounded: %q", got)
	}
	m = Paragraph(notes, at(notes, 0), at(notes, len(notes)), find(notes, "rental").Start)
	if got := notes[m.Start.Byte:m.End.Byte]; got != "Left Tromsø at 06:40 in a rental car" {
		t.Errorf("paragraph: %q", got)
	}
	if got := ParagraphStarts(notes); len(got) != 3 || got[1] != 7 || got[2] != utf8.RuneCountInString("Day 1\n\nLeft Tromsø at 06:40 in a rental car\n\n") {
		t.Errorf("paragraph starts: %v", got)
	}
}
