package project

import (
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/codebook"
)

func paths(t *testing.T, p *Project) []string {
	t.Helper()
	cb, err := p.Codebook()
	if err != nil {
		t.Fatal(err)
	}
	ix := codebook.NewIndex(cb.Codes)
	var out []string
	for _, c := range cb.Codes {
		out = append(out, ix.Path(c.ID))
	}
	return out
}

func TestCodebookKeepsAuthoredOrder(t *testing.T) {
	p := setupCoded(t)
	if _, err := p.AddCode(codebook.Code{Name: "Alpha first by name"}, ""); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(paths(t, p), " | ")
	want := "Work incentives | Work incentives/Fear of losing benefits | Disclosure | Alpha first by name"
	if got != want {
		t.Errorf("order:\n got %s\nwant %s", got, want)
	}
}

func TestCodebookChangesAreLinted(t *testing.T) {
	p := setupCoded(t)
	cases := []struct {
		do   func() error
		want string
	}{
		{func() error {
			_, err := p.AddCode(codebook.Code{Name: "fear of losing benefits"}, "Work incentives")
			return err
		}, "already exists"},
		{func() error {
			_, err := p.AddCode(codebook.Code{Name: "Caseload", Links: []string{"ips25:26"}}, "")
			return err
		}, "ips25:26"},
		{func() error {
			_, err := p.AddCode(codebook.Code{Name: "Fidelity", Links: []string{"cfir9:I"}}, "")
			return err
		}, "cfir9"},
		{func() error {
			k := "d"
			if _, err := p.EditCode("Disclosure", CodeEdit{Hotkey: &k}); err != nil {
				return err
			}
			_, err := p.EditCode("Fear of losing benefits", CodeEdit{Hotkey: &k})
			return err
		}, "hotkey"},
		{func() error {
			_, err := p.MoveCode("Work incentives", "Fear of losing benefits")
			return err
		}, "under itself"},
	}
	for i, c := range cases {
		err := c.do()
		if err == nil || !strings.Contains(err.Error(), c.want) || !IsUserError(err) {
			t.Errorf("case %d: err = %v, want %q", i, err, c.want)
		}
	}
	if got := len(paths(t, p)); got != 3 {
		t.Errorf("refused changes added codes: %d", got)
	}
}

func TestEditAndMove(t *testing.T) {
	p := setupCoded(t)
	name, def := "Benefit fears", "Worry that earnings stop benefits."
	pol := codebook.PolarityMixed
	if _, err := p.EditCode("fear of losing benefits", CodeEdit{Name: &name, Description: &def, Polarity: &pol, Links: &[]string{"ips25:12", "cfir2:II.F"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.MoveCode("Benefit fears", ""); err != nil {
		t.Fatal(err)
	}
	cb, _ := p.Codebook()
	ix := codebook.NewIndex(cb.Codes)
	c, err := ix.Find("Benefit fears")
	if err != nil {
		t.Fatal(err)
	}
	if ix.Path(c.ID) != "Benefit fears" || c.Description != def || c.Polarity != pol || strings.Join(c.Links, ",") != "ips25:12,cfir2:II.F" {
		t.Errorf("after edit and move: %+v path %s", c, ix.Path(c.ID))
	}
}

func TestRemoveRefusesThenReassigns(t *testing.T) {
	p := setupCoded(t)
	for _, coder := range []string{"amina", "jonas"} {
		if _, err := p.Code(CodeRequest{Doc: "staff-01", Code: "Fear of losing benefits", Coder: coder, Target: Target{Turn: 4}}); err != nil {
			t.Fatal(err)
		}
	}
	// amina already has Disclosure on turn 4: her moved coding merges.
	if _, err := p.Code(CodeRequest{Doc: "staff-01", Code: "Disclosure", Coder: "amina", Target: Target{Turn: 4}}); err != nil {
		t.Fatal(err)
	}
	_, err := p.RemoveCode("Work incentives", RemoveOptions{})
	if err == nil || !strings.Contains(err.Error(), "2 coding(s)") {
		t.Fatalf("rm with codings: %v", err)
	}
	res, err := p.RemoveCode("Work incentives", RemoveOptions{ReassignTo: "Disclosure"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Removed) != 2 || res.Reassigned != 1 || res.Merged != 1 {
		t.Errorf("result %+v", res)
	}
	cs, _ := p.Codings(CodingFilter{})
	if len(cs) != 2 {
		t.Fatalf("%d codings after merge, want 2", len(cs))
	}
	for _, c := range cs {
		if c.CodePath != "Disclosure" {
			t.Errorf("coding left on %q", c.CodePath)
		}
	}
	if got := strings.Join(paths(t, p), ","); got != "Disclosure" {
		t.Errorf("codebook after rm: %s", got)
	}
	// --force deletes codings.
	res, err = p.RemoveCode("Disclosure", RemoveOptions{Force: true})
	if err != nil || res.Deleted != 2 {
		t.Fatalf("force: %v %+v", err, res)
	}
}

func TestImportCodebookMergesByIDAndName(t *testing.T) {
	p := setupCoded(t)
	cb, _ := p.Codebook()
	ix := codebook.NewIndex(cb.Codes)
	disc, _ := ix.Find("Disclosure")
	in, err := codebook.ReadYAML("theirs.yaml", strings.NewReader(`
name: theirs
codes:
  - name: Work incentives
    codes:
      - name: Fear of losing benefits
        polarity: barrier
        links: [ips25:12]
      - name: Benefits counselling
        polarity: facilitator
        links: [ips25:12]
  - id: `+disc.ID+`
    name: Disclosure
    polarity: barrier
    links: [ips25:13]
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.ImportCodebook(in, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 1 || !strings.Contains(res.Added[0], "Benefits counselling") {
		t.Errorf("added %v", res.Added)
	}
	if len(res.Conflicts) == 0 {
		t.Error("a polarity that differs for the same id must be reported")
	}
	got := strings.Join(paths(t, p), " | ")
	if got != "Work incentives | Work incentives/Fear of losing benefits | Disclosure | Work incentives/Benefits counselling" {
		t.Errorf("codebook after import: %s", got)
	}
	cb, _ = p.Codebook()
	for _, c := range cb.Codes {
		if c.ID == disc.ID && c.Polarity != codebook.PolarityMixed {
			t.Errorf("a conflict keeps the project's value by default; polarity = %s", c.Polarity)
		}
	}
}
