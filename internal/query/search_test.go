package query

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// hits returns the matched original text and rune offsets.
func hits(t *testing.T, text string, opt PatternOptions) [][3]any {
	t.Helper()
	p, err := Compile(opt)
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(text)
	var out [][3]any
	for m := range p.All(NewText(text)) {
		if got := string(runes[m.Start.Rune:m.End.Rune]); got != text[m.Start.Byte:m.End.Byte] {
			t.Fatalf("rune offsets %d:%d give %q, byte offsets %d:%d give %q", m.Start.Rune, m.End.Rune, got, m.Start.Byte, m.End.Byte, text[m.Start.Byte:m.End.Byte])
		}
		out = append(out, [3]any{string(runes[m.Start.Rune:m.End.Rune]), m.Start.Rune, m.End.Rune})
	}
	return out
}

func TestSearchIgnoresCaseWithUnicodeFolding(t *testing.T) {
	text := "Ferry from TROMSØ. Back to Tromsø; tromsø again."
	got := hits(t, text, PatternOptions{Text: "Tromsø", Fold: FoldCase})
	want := [][3]any{{"TROMSØ", 11, 17}, {"Tromsø", 27, 33}, {"tromsø", 35, 41}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// Case-sensitive when asked.
	if got := hits(t, text, PatternOptions{Text: "Tromsø"}); len(got) != 1 || got[0][1] != 27 {
		t.Errorf("case-sensitive: %v", got)
	}
	// Kelvin sign and long s fold like strings.EqualFold does.
	if got := hits(t, "7 \u212Am, the \u017Fign", PatternOptions{Text: "KM", Fold: FoldCase}); len(got) != 1 || got[0][0] != "\u212Am" {
		t.Errorf("Kelvin sign: %v", got)
	}
}

func TestSearchFoldsAccentsOnlyWhenAsked(t *testing.T) {
	text := "the café in Tromsø, a cafe\u0301 at Straße 5, CAFÉ"
	// Without accent folding only the unaccented letters match (here the
	// base letters of a decomposed é).
	if got := hits(t, text, PatternOptions{Text: "cafe", Fold: FoldCase}); len(got) != 1 || got[0][1] != 22 {
		t.Errorf("without accent folding: %v", got)
	}
	got := hits(t, text, PatternOptions{Text: "cafe", Fold: FoldCase | FoldAccents})
	want := [][3]any{{"café", 4, 8}, {"cafe\u0301", 22, 27}, {"CAFÉ", 41, 45}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v (a decomposed accent belongs to its letter)", got, want)
	}
	if got := hits(t, text, PatternOptions{Text: "tromso", Fold: FoldCase | FoldAccents}); len(got) != 1 || got[0][0] != "Tromsø" {
		t.Errorf("ø folds to o: %v", got)
	}
	if got := hits(t, text, PatternOptions{Text: "strasse", Fold: FoldCase | FoldAccents}); len(got) != 1 || got[0][0] != "Straße" {
		t.Errorf("ß folds to ss: %v", got)
	}
	// A match that ends inside an expansion covers the whole letter.
	if got := hits(t, text, PatternOptions{Text: "stras", Fold: FoldCase | FoldAccents}); len(got) != 1 || got[0][0] != "Straß" {
		t.Errorf("half of ß: %v", got)
	}
	// The pattern is folded too: "Café" finds "cafe".
	if got := hits(t, "cafe", PatternOptions{Text: "Café", Fold: FoldCase | FoldAccents}); len(got) != 1 {
		t.Errorf("folded pattern: %v", got)
	}
}

func TestPhraseMatchesAcrossLineBreaks(t *testing.T) {
	text := "I was afraid of losing\nmy  benefits, losing my\u00a0benefits, losing mine"
	got := hits(t, text, PatternOptions{Text: "Losing my benefits", Fold: FoldCase})
	if len(got) != 2 || got[0][0] != "losing\nmy  benefits" || got[1][0] != "losing my\u00a0benefits" {
		t.Errorf("phrase: %v", got)
	}
	// Regular-expression characters in a phrase are plain text.
	if got := hits(t, "costs (NOK) 200", PatternOptions{Text: "(nok) 200", Fold: FoldCase}); len(got) != 1 {
		t.Errorf("phrase with parentheses: %v", got)
	}
}

func TestWholeWords(t *testing.T) {
	text := "NAV, navigate, canvas, NAV-office, NAVs"
	got := hits(t, text, PatternOptions{Text: "nav", Fold: FoldCase, Word: true})
	if len(got) != 2 || got[0][1] != 0 || got[1][1] != 23 {
		t.Errorf("whole words: %v", got)
	}
	if got := hits(t, text, PatternOptions{Text: "nav", Fold: FoldCase}); len(got) != 4 {
		t.Errorf("substrings: %v", got)
	}
	// Non-ASCII letters are letters: "Tromsø" is not a whole word in "Tromsøya".
	if got := hits(t, "Tromsøya og Tromsø", PatternOptions{Text: "tromsø", Fold: FoldCase, Word: true}); len(got) != 1 || got[0][1] != 12 {
		t.Errorf("non-ASCII word boundary: %v", got)
	}
}

func TestRegex(t *testing.T) {
	text := "Benefit, BENEFITS and benefitting; Tromsø TROMSØ"
	got := hits(t, text, PatternOptions{Text: `benefit\w*`, Regex: true, Fold: FoldCase})
	if len(got) != 3 || got[1][0] != "BENEFITS" || got[2][0] != "benefitting" {
		t.Errorf("regex: %v", got)
	}
	if got := hits(t, text, PatternOptions{Text: `[A-Z]{4,}`, Regex: true}); len(got) != 2 || got[0][0] != "BENEFITS" {
		t.Errorf("case-sensitive classes: %v", got)
	}
	if got := hits(t, text, PatternOptions{Text: `troms[øo]`, Regex: true, Fold: FoldCase}); len(got) != 2 {
		t.Errorf("non-ASCII class, case folded: %v", got)
	}
	if got := hits(t, "a\nNAV b\nnav", PatternOptions{Text: `(?m)^nav`, Regex: true, Fold: FoldCase}); len(got) != 2 {
		t.Errorf("line anchors: %v", got)
	}
	for _, c := range []struct{ pat, msg string }{
		{`(benefit`, `invalid regular expression "(benefit": missing closing )`},
		{`a**`, `invalid regular expression "a**": invalid nested repetition operator (at "**")`},
		{`x*`, `matches empty text`},
		{``, `nothing to search for`},
	} {
		_, err := Compile(PatternOptions{Text: c.pat, Regex: true, Fold: FoldCase})
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: err = %v, want %q", c.pat, err, c.msg)
		}
	}
	if _, err := Compile(PatternOptions{Text: " \n ", Fold: FoldCase}); err != ErrEmptyPattern {
		t.Errorf("blank text: %v", err)
	}
}

// TestFoldedOffsetsAgreeWithNaiveSearch checks offset mapping on random
// texts long enough to cross many marks, with letters whose folded forms
// differ in byte length from the original (K: 3 bytes -> 1).
func TestFoldedOffsetsAgreeWithNaiveSearch(t *testing.T) {
	alphabet := []rune("aAkK\u212AsS\u017FøØé \n")
	r := rand.New(rand.NewPCG(7, 8))
	for round := 0; round < 200; round++ {
		text := make([]rune, 50+r.IntN(400))
		for i := range text {
			text[i] = alphabet[r.IntN(len(alphabet))]
		}
		pat := make([]rune, 1+r.IntN(3))
		for i := range pat {
			pat[i] = alphabet[r.IntN(len(alphabet)-2)] // no spaces: one word
		}
		var want [][3]any
		for i := 0; i+len(pat) <= len(text); {
			if strings.EqualFold(string(text[i:i+len(pat)]), string(pat)) {
				want = append(want, [3]any{string(text[i : i+len(pat)]), i, i + len(pat)})
				i += len(pat)
				continue
			}
			i++
		}
		got := hits(t, string(text), PatternOptions{Text: string(pat), Fold: FoldCase})
		if !slices.Equal(got, want) {
			t.Fatalf("text %q, pattern %q:\n got %v\nwant %v", string(text), string(pat), got, want)
		}
	}
}

func TestContext(t *testing.T) {
	text := "Interviewer: And benefits?\nP1: I was scared of losing NAV money, everyone says they stop it."
	n := utf8.RuneCountInString(text)
	m := find(text, "NAV")
	before, after := Context(text, m, 20, 0, n)
	if before != "…scared of losing " || after != " money, everyone…" {
		t.Errorf("context = %q %q", before, after)
	}
	before, after = Context(text, find(text, "Interviewer"), 20, 0, n)
	if before != "" || after != ": And benefits? P1:…" {
		t.Errorf("context at the start = %q %q", before, after)
	}
	last := strings.LastIndex(text, "it")
	before, after = Context(text, Match{at(text, last), at(text, last+2)}, 200, 0, n)
	if !strings.HasPrefix(before, "Interviewer: And benefits? P1: I was") || after != "." {
		t.Errorf("context at the end = %q %q", before, after)
	}
	// Bounded by the turn: no label of the turn before, no "…" at its edge.
	turn := find(text, "I was scared of losing NAV money, everyone says they stop it.")
	before, after = Context(text, m, 200, turn.Start.Rune, turn.End.Rune)
	if before != "I was scared of losing " || after != " money, everyone says they stop it." {
		t.Errorf("context in a turn = %q %q", before, after)
	}
}
