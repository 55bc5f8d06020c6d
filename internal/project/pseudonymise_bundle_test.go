package project

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/examples"
)

// A pseudonymised export keeps every coding on the same words: the coded
// text of each coding, pseudonymised, equals the coding's text in the
// pseudonymised document, and no participant's name is left.
func TestPseudonymiseBundleKeepsCodingsOnTheirWords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	if _, err := BuildDemo(examples.FS, path); err != nil {
		t.Fatal(err)
	}
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	orig, err := p.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.Bundle()
	ps, err := p.Pseudonymiser("")
	if err != nil {
		t.Fatal(err)
	}
	ps.Bundle(b)
	texts := map[string][2][]rune{}
	for i, d := range b.Documents {
		texts[d.ID] = [2][]rune{[]rune(orig.Documents[i].Text), []rune(d.Text)}
		for _, name := range []string{"Bjørn Mikkelsen", "Åse Lind"} {
			if strings.Contains(d.Text, name) {
				t.Fatalf("%s still names %s", d.Name, name)
			}
		}
	}
	for i, c := range b.Codings {
		o := orig.Codings[i]
		tt := texts[c.DocID]
		want := ps.Text(string(tt[0][o.Start:o.End]))
		if got := string(tt[1][c.Start:c.End]); got != want {
			t.Fatalf("coding %s: %q, want %q", c.ID, got, want)
		}
	}
	for _, pp := range b.Participants {
		if pp.Label == "Bjørn Mikkelsen" {
			t.Fatal("participant label not pseudonymised")
		}
	}
}
