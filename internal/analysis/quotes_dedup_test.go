package analysis

import (
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/codebook"
)

// A passage double-coded by two coders is one quote naming both.
func TestQuotesFoldDoubleCodedPassages(t *testing.T) {
	cb := &codebook.Codebook{Codes: []codebook.Code{{ID: "c1", Name: "Disclosure"}}}
	text := "Interviewer: Did you tell him?\nP1: I told him myself, on the first day."
	ds := &Dataset{
		Codebook: cb, Index: codebook.NewIndex(cb.Codes),
		Docs:   []Doc{{ID: "d1", Name: "p1", Turns: []Turn{{ParticipantID: "i", Start: 13, End: 30, TimeMS: -1}, {ParticipantID: "p", Start: 35, End: 71, TimeMS: -1}}}},
		People: map[string]Person{"i": {ID: "i", Label: "Interviewer", Attrs: map[string]string{"role": "interviewer"}}, "p": {ID: "p", Label: "P1", Attrs: map[string]string{"role": "patient"}}},
		Segments: []Segment{
			{CodingID: "a", Doc: 0, CodeID: "c1", Start: 35, End: 71, Coder: "amina", Memo: "own choice", Turn: 1, ParticipantID: "p"},
			{CodingID: "b", Doc: 0, CodeID: "c1", Start: 35, End: 71, Coder: "jonas", Turn: 1, ParticipantID: "p"},
			{CodingID: "c", Doc: 0, CodeID: "c1", Start: 35, End: 52, Coder: "jonas", Turn: 1, ParticipantID: "p"},
		},
		Text: func(int) string { return text },
	}
	groups, err := Quotes(ds, QuoteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || len(groups[0].Quotes) != 2 || groups[0].Total != 2 {
		t.Fatalf("want 2 quotes (one double-coded, one shorter span): %+v", groups)
	}
	var whole QuoteItem
	for _, q := range groups[0].Quotes {
		if q.End == 71 {
			whole = q
		}
	}
	if whole.Coder != "amina, jonas" || whole.Memo != "own choice" || !strings.HasPrefix(whole.Text, "I told him myself") {
		t.Errorf("folded quote: %+v", whole)
	}
}
