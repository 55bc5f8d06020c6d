package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScoresCSV(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(dir, "scores.csv")
		os.WriteFile(p, []byte(body), 0o600)
		return p
	}
	scores, err := ReadScoresCSV(write("\ufeffsite;item;score\nTromsø;13;4\nTromsø;ips25:1;5\n\nNord-Troms;IPS25:13;2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 3 || scores[0].Item != "ips25:13" || scores[2].Item != "ips25:13" || scores[2].Score != 2 || scores[1].Line != 3 {
		t.Errorf("scores = %+v", scores)
	}
	for body, want := range map[string]string{
		"site,score\nA,3\n":                     `:1: no "item" column`,
		"site,item,score\nA,26,3\n":             ":2: framework link",
		"site,item,score\nA,13,6\n":             ":2: score \"6\"",
		"site,item,score\nA,13,3\nA,ips25:13,4": ":3: A ips25:13 is already scored on line 2",
		"site,item,score\n,13,3\n":              ":2: site is empty",
		"site,item,score\nA,cfir2:II.F,3\n":     "only ips25 items are scored",
	} {
		_, err := ReadScoresCSV(write(body))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "scores.csv") {
			t.Errorf("%q: err = %v, want %q", body, err, want)
		}
	}
	p, _ := newProject(t)
	if err := p.SetScores(scores); err != nil {
		t.Fatal(err)
	}
	if err := p.SetScores([]Score{{Site: "Tromsø", Item: "ips25:13", Score: 5}}); err != nil {
		t.Fatal(err)
	}
	got, _ := p.Scores()
	if len(got) != 3 || got[2].Site != "Tromsø" || got[2].Item != "ips25:13" || got[2].Score != 5 {
		t.Errorf("stored scores (a later score replaces an earlier one): %+v", got)
	}
}
