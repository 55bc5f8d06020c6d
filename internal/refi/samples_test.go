package refi

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The vendor exports in shared/reference/refi/samples are read from there,
// never copied into the repository.

func TestSamplesAllRead(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(refiDir, "samples", "*.qdpx"))
	if len(files) == 0 {
		t.Skipf("no samples in %s (shared/reference/refi is expected beside the repository)", refiDir)
	}
	for _, f := range files {
		p, err := ReadFile(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if len(p.Problems) > 0 || len(p.Skipped) > 0 {
			t.Errorf("%s: problems %v, skipped %v", filepath.Base(f), p.Problems, p.Skipped)
		}
	}
}

// NVivo for Windows 12.6: a BOM, CRLF and 894 emoji in one source of
// YouTube comments laid out one field per line (video id, title, date,
// comment id, @author, comment text, likes, date); 97 selections coded
// whole comments. Counted as UTF-16 units every one lands on a whole
// comment: it starts at the start of the line after an "@author" line and
// ends at the end of a line (some take the line break too), followed by a
// likes count and a timestamp. Read as code points, only 36 would.
func TestSampleNVivoSelectionsLandOnWholeComments(t *testing.T) {
	data := readSample(t, "nvivo12win_97_selections.qdpx")
	p := mustRead(t, data)
	if len(p.Sources) != 1 {
		t.Fatalf("%d sources", len(p.Sources))
	}
	s := p.Sources[0]
	if s.Convention != NVivo || s.Encoding != "utf-8-bom" || strings.ContainsRune(s.Text, '\r') {
		t.Errorf("convention %v, encoding %s", s.Convention, s.Encoding)
	}
	if len(s.Selections) != 97 || len(p.Problems) != 0 {
		t.Fatalf("%d selections placed, problems %v", len(s.Selections), p.Problems)
	}
	if n := wholeComments(s); n != 97 {
		t.Errorf("%d of 97 selections on whole comments", n)
	}
	// The same file claiming to come from a program that counts code
	// points (and no names to check against) misplaces most selections.
	qde := strings.Replace(string(mustUnzipQDE(t, data)), `origin="NVivo for Windows 12.6"`, `origin="Other"`, 1)
	files := map[string][]byte{}
	for k, v := range unzipAll(t, data) {
		files[k] = v
	}
	other, err := ReadQDE("other.qde", []byte(qde), files, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if n := wholeComments(other.Sources[0]); n != 36 {
		t.Errorf("read as code points, %d selections on whole comments; the NVivo convention is what makes 97", n)
	}
}

var (
	likesLine = regexp.MustCompile(`^\d+$`)
	timeLine  = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
)

func wholeComments(s TextSource) int {
	r := []rune(s.Text)
	n := 0
	for _, sel := range s.Selections {
		before, after := string(r[:sel.Start]), string(r[sel.End:])
		text := string(r[sel.Start:sel.End])
		if !strings.HasSuffix(before, "\n") {
			continue
		}
		lines := strings.Split(strings.TrimSuffix(before, "\n"), "\n")
		if !strings.HasPrefix(lines[len(lines)-1], "@") {
			continue
		}
		if !strings.HasSuffix(text, "\n") {
			if !strings.HasPrefix(after, "\n") {
				continue
			}
			after = after[1:]
		}
		next := strings.SplitN(after, "\n", 3)
		if len(next) >= 2 && likesLine.MatchString(next[0]) && timeLine.MatchString(next[1]) {
			n++
		}
	}
	return n
}

// MAXQDA 24.7: ten text sources (no BOM, LF), two document sets, a
// codebook of 307 codes with colours and descriptions, no codings.
func TestSampleMAXQDA(t *testing.T) {
	data := readSample(t, "maxqda24_ten_sources.qdpx")
	p := mustRead(t, data)
	files := unzipAll(t, data)
	if len(p.Sources) != 10 || len(p.Codebook.Codes) != 307 || len(p.Sets) != 2 || len(p.Users) != 1 {
		t.Fatalf("sources %d, codes %d, sets %d, users %d", len(p.Sources), len(p.Codebook.Codes), len(p.Sets), len(p.Users))
	}
	for _, s := range p.Sources {
		raw := files["sources/"+strings.ToUpper(s.GUID)+".txt"]
		if s.Text != strings.ReplaceAll(string(raw), "\r\n", "\n") || s.Encoding != "utf-8" || s.Name == "" {
			t.Errorf("source %s (%s): text differs from its file", s.Name, s.Encoding)
		}
	}
	if got := len(p.Sets[0].Sources) + len(p.Sets[1].Sources); got != 10 || p.Sets[0].Name != "ICLS 2024" {
		t.Errorf("sets %+v", p.Sets)
	}
	c := p.Codebook.Codes[0]
	if c.Name != "Additional Themes and Ideas" || c.Colour != "#ef8256" || !strings.HasPrefix(c.Description, "This category encompasses") {
		t.Errorf("first code %+v", c)
	}
}

// ATLAS.ti 23: the project file is project.qde here; a user and a code
// hierarchy, no sources.
func TestSampleAtlasTi(t *testing.T) {
	p := mustRead(t, readSample(t, "atlasti23_codebook_only.qdpx"))
	if p.Origin != "ATLAS.ti for Windows 23.2.3.27778" || len(p.Users) != 2 || p.Users[0].Name != "Enric Llagostera" {
		t.Errorf("origin %q users %+v", p.Origin, p.Users)
	}
	if len(p.Codebook.Codes) != 3 || p.Codebook.Codes[1].ParentID != p.Codebook.Codes[0].ID || p.Codebook.Codes[0].Name != "Commits" {
		t.Errorf("codes %+v", p.Codebook.Codes)
	}
}
