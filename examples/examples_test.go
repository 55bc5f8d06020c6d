package examples

import (
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/qcode-qda/qcode/internal/project"
)

// TestStudyIsWhatTheDemoPromises checks the example material itself: every
// transcript parses into at least 800 words, the focus groups have their
// speakers, both sites and every format are there, and every speaker has a
// role.
func TestStudyIsWhatTheDemoPromises(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	if _, err := project.BuildDemo(FS, path); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(path, project.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	docs, err := p.Documents()
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 8 {
		t.Fatalf("%d documents, want at least 8", len(docs))
	}
	formats, sites, kinds := map[string]bool{}, map[string]bool{}, map[string]int{}
	for _, d := range docs {
		formats[d.Format] = true
		sites[d.Attributes["site"]] = true
		kinds[d.Kind]++
		if d.Words < 800 {
			t.Errorf("%s has %d words, want at least 800", d.Name, d.Words)
		}
		if d.Kind == "focus-group" && d.Speakers < 5 {
			t.Errorf("focus group %s has %d speakers", d.Name, d.Speakers)
		}
		if d.Kind != "field-notes" && len(d.Turns) < 10 {
			t.Errorf("%s has only %d turns: speaker detection failed?", d.Name, len(d.Turns))
		}
	}
	for _, f := range []string{"txt", "md", "vtt", "srt", "docx"} {
		if !formats[f] {
			t.Errorf("no %s transcript", f)
		}
	}
	if !sites["Tromsø"] || !sites["Nord-Troms"] {
		t.Errorf("sites: %v", sites)
	}
	if kinds["focus-group"] < 2 || kinds["field-notes"] < 1 || kinds["interview"] < 3 {
		t.Errorf("kinds: %v", kinds)
	}
	ps, _ := p.Participants()
	for _, pp := range ps {
		if pp.Attributes["role"] == "" || pp.Turns == 0 {
			t.Errorf("participant %s: role %q, %d turns", pp.Label, pp.Attributes["role"], pp.Turns)
		}
	}
	entries, _ := fs.Glob(FS, "*.yaml")
	if len(entries) != 1 {
		t.Errorf("codebook files: %v", entries)
	}
}
