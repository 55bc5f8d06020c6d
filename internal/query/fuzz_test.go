package query

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any text either parses into a query whose canonical form
// parses back to itself, or fails with an error at a column inside it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`code:"Fear of losing benefits" AND role=patient`,
		`code:Disclosure NEAR/2 code:"Employer contact"`,
		`(code:a OR code:=b) WITHIN NOT coder!=amina OVERLAPS site="Nord-Troms"`,
		`code:"a \"quoted\" name"`, `((`, `NEAR/`, `code:`, `x=`, `"`, `code:a AND`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		q, err := Parse(src)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("%q: error %v is not a *Error", src, err)
			}
			if qe.Col < 1 || qe.Col > utf8.RuneCountInString(src)+1 {
				t.Fatalf("%q: column %d outside the query", src, qe.Col)
			}
			return
		}
		canon := q.String()
		q2, err := Parse(canon)
		if err != nil {
			t.Fatalf("%q: canonical form %q does not parse: %v", src, canon, err)
		}
		if q2.String() != canon {
			t.Fatalf("%q: canonical form %q reparses as %q", src, canon, q2.String())
		}
	})
}

// FuzzSearch: matches always lie inside the text, in order, on rune
// boundaries, with rune and byte offsets that agree.
func FuzzSearch(f *testing.F) {
	f.Add("Tromsø TROMSØ café cafe\u0301 Straße", "tromso", true, false)
	f.Add("a\nb  c", "a b", false, false)
	f.Add("NAV nav", `\bnav\b`, true, true)
	f.Fuzz(func(t *testing.T, text, pat string, accents, regex bool) {
		if !utf8.ValidString(text) {
			return // project texts are valid UTF-8 (decoded at import)
		}
		mode := FoldCase
		if accents {
			mode |= FoldAccents
		}
		p, err := Compile(PatternOptions{Text: pat, Regex: regex, Fold: mode})
		if err != nil {
			return
		}
		runes := []rune(text)
		prev := 0
		for m := range p.All(NewText(text)) {
			if m.Start.Rune < prev || m.End.Rune <= m.Start.Rune || m.End.Rune > len(runes) {
				t.Fatalf("match %+v out of order or bounds (text %d runes)", m, len(runes))
			}
			if string(runes[m.Start.Rune:m.End.Rune]) != text[m.Start.Byte:m.End.Byte] {
				t.Fatalf("match %+v: rune and byte offsets disagree", m)
			}
			prev = m.End.Rune
		}
	})
}
