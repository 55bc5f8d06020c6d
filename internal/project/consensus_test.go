package project

import (
	"path/filepath"
	"testing"

	"github.com/qcode-qda/qcode/examples"
)

func TestResolveTakesEitherBothOrNeither(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	if _, err := BuildDemo(examples.FS, path); err != nil {
		t.Fatal(err)
	}
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	doc := "employer-interview-nordtroms-01"
	code := func(coder string, s, e int) {
		t.Helper()
		if _, err := p.Code(CodeRequest{Doc: doc, Code: "Fear of losing benefits", Coder: coder, Target: Target{Range: &[2]int{s, e}}}); err != nil {
			t.Fatal(err)
		}
	}
	code("amina", 130, 200)
	code("jonas", 180, 260)
	cb, _ := p.Codebook()
	var codeID string
	for _, c := range cb.Codes {
		if c.Name == "Fear of losing benefits" {
			codeID = c.ID
		}
	}
	consensus := func() [][2]int {
		cs, err := p.Codings(CodingFilter{Doc: doc, Coder: DefaultConsensusCoder})
		if err != nil {
			t.Fatal(err)
		}
		var out [][2]int
		for _, c := range cs {
			out = append(out, [2]int{c.Start, c.End})
		}
		return out
	}
	res := Resolution{Doc: doc, CodeID: codeID, Start: 124, End: 438}
	for _, tc := range []struct {
		take []string
		want [][2]int
	}{
		{[]string{"amina"}, [][2]int{{130, 200}}},
		{[]string{"jonas"}, [][2]int{{180, 260}}},
		{[]string{"amina", "jonas"}, [][2]int{{130, 260}}}, // union
		{nil, nil}, // neither: the earlier decision is taken back
	} {
		res.Take = tc.take
		if _, _, err := p.Resolve(res); err != nil {
			t.Fatal(err)
		}
		got := consensus()
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Fatalf("take %v: consensus %v, want %v", tc.take, got, tc.want)
		}
	}
}
