package project

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/transcript"
)

// refiDir is the shared REFI-QDA reference beside the repository; the
// vendor samples are read from there, never copied in.
const refiDir = "../../../shared/reference/refi"

func refiSample(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(refiDir, "samples", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("REFI-QDA sample %s not available (shared/reference/refi is expected beside the repository): %v", name, err)
	}
	return p
}

var when = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

// bundleDoc makes a document the way an import does: turns detected in
// text, speakers matched to the bundle's participants by label.
func bundleDoc(t *testing.T, b *Bundle, id, name, kind, text string, attrs map[string]string, memo string) {
	t.Helper()
	var labels []string
	for _, pp := range b.Participants {
		labels = append(labels, pp.Label)
	}
	tr, err := transcript.Parse(name+".txt", []byte(text), transcript.Options{Speakers: labels})
	if err != nil {
		t.Fatal(err)
	}
	d := Document{ID: id, Name: name, Kind: kind, Attributes: attrs, Memo: memo, Runes: len([]rune(text)), Format: "txt", ImportedAt: when}
	for _, tt := range tr.Turns {
		turn := Turn{Start: tt.Start, End: tt.End, TimeMS: tt.TimeMS}
		for _, pp := range b.Participants {
			if strings.EqualFold(pp.Label, tt.Speaker) {
				turn.ParticipantID = pp.ID
			}
		}
		if tt.Speaker != "" && turn.ParticipantID == "" {
			t.Fatalf("speaker %q is not a participant of the test bundle", tt.Speaker)
		}
		d.Turns = append(d.Turns, turn)
	}
	b.Documents = append(b.Documents, BundleDocument{Document: d, Text: text})
}

func span(b *Bundle, doc int, s string) (int, int) {
	text := b.Documents[doc].Text
	i := strings.Index(text, s)
	if i < 0 {
		panic(s)
	}
	start := len([]rune(text[:i]))
	return start, start + len([]rune(s))
}

// roundTripBundle has every part a qdpx carries: a codebook with a
// hierarchy, colours and qcode's own fields; participants with attributes
// and memos; documents of each kind with attributes, sets, memos, emoji
// and speaker turns; codings by two coders with memos and times; a coder
// with no codings; a project memo.
func roundTripBundle(t *testing.T) *Bundle {
	b := &Bundle{
		Name: "study.qcode",
		Memo: "Project memo.\nSecond line.",
		Codebook: &codebook.Codebook{Name: "IPS barriers", Description: "Barriers and facilitators.", Frameworks: []string{"ips25"}, Codes: []codebook.Code{
			{ID: "10000000-0000-4000-8000-000000000001", Name: "Benefits", Grouping: true, Colour: "#336699"},
			{ID: "10000000-0000-4000-8000-000000000002", ParentID: "10000000-0000-4000-8000-000000000001", Name: "Fear of losing benefits",
				Polarity: codebook.PolarityBarrier, Links: []string{"ips25:12"}, Description: "Fear that earnings cut benefits.", Inclusion: "Any mention.", Memo: "Watch wave 2."},
			{ID: "10000000-0000-4000-8000-000000000003", Name: "Employer contact", Polarity: codebook.PolarityFacilitator, Colour: "#00aa00", Hotkey: "e"},
		}},
		Participants: []Participant{
			{ID: "20000000-0000-4000-8000-000000000001", Label: "Interviewer", Attributes: map[string]string{"role": "interviewer"}},
			{ID: "20000000-0000-4000-8000-000000000002", Label: "P1", Attributes: map[string]string{"role": "patient", "site": "Tromsø"}, Memo: "Talks fast."},
			{ID: "20000000-0000-4000-8000-000000000003", Label: "Kari", Attributes: map[string]string{"role": "staff", "site": "Bodø"}},
			{ID: "20000000-0000-4000-8000-000000000004", Label: "P2", Attributes: map[string]string{"role": "patient"}},
			{ID: "20000000-0000-4000-8000-000000000005", Label: "P3", Attributes: map[string]string{"role": "patient"}},
		},
		Coders: []string{"amina", "jonas", "reviewer"},
	}
	bundleDoc(t, b, "30000000-0000-4000-8000-000000000001", "P1 interview", "interview",
		"Interviewer: How was the first week? 😀\nP1: Good — the café job 🎉🎉 is fine.\nBut NAV money worries me.\nInterviewer: Why?\nP1: If I earn more, they cut it.\n",
		map[string]string{"site": "Tromsø", "wave": "1", SetsAttribute: "Wave 1; Pilot"}, "Recorded on a bad line.")
	bundleDoc(t, b, "30000000-0000-4000-8000-000000000002", "Focus group", "focus-group",
		"Interviewer: Who has met an employer?\nP1: I have.\nP2: Not yet.\nP3: Twice 👍🏽.\nKari: We go along.\n",
		map[string]string{"site": "Bodø", SetsAttribute: "Wave 1"}, "")
	bundleDoc(t, b, "30000000-0000-4000-8000-000000000003", "Site visit notes", "written-account",
		"Notes from the site visit.\n\nThe team meets on Mondays.\n", nil, "")
	at := func(doc int, s string) (int, int) { return span(b, doc, s) }
	add := func(id string, doc int, code, coder, text, memo string, updated time.Duration) {
		s, e := at(doc, text)
		b.Codings = append(b.Codings, Coding{ID: id, DocID: b.Documents[doc].ID, CodeID: code, Start: s, End: e, Coder: coder, Memo: memo, Created: when, Updated: when.Add(updated)})
	}
	add("40000000-0000-4000-8000-000000000001", 0, "10000000-0000-4000-8000-000000000002", "amina", "But NAV money worries me.", "Clear barrier.\nQuote it.", time.Hour)
	add("40000000-0000-4000-8000-000000000002", 0, "10000000-0000-4000-8000-000000000002", "jonas", "But NAV money worries me.", "", 0)
	add("40000000-0000-4000-8000-000000000003", 0, "10000000-0000-4000-8000-000000000003", "amina", "the café job 🎉🎉 is fine.\nBut", "", 0)
	add("40000000-0000-4000-8000-000000000004", 1, "10000000-0000-4000-8000-000000000003", "jonas", "Twice 👍🏽.", "Emoji with a skin tone.", 2*time.Minute)
	add("40000000-0000-4000-8000-000000000005", 2, "10000000-0000-4000-8000-000000000003", "amina", "The team meets on Mondays.", "", 0)
	return b
}

// comparableBundle drops what an import sets anew (times of import,
// hashes, format) and orders what has no order.
func comparableBundle(b *Bundle) *Bundle {
	out := &Bundle{Memo: b.Memo, Codebook: b.Codebook, Coders: b.Coders}
	for _, pp := range b.Participants {
		pp.Created = time.Time{}
		if len(pp.Attributes) == 0 {
			pp.Attributes = nil
		}
		out.Participants = append(out.Participants, pp)
	}
	for _, d := range b.Documents {
		d.SourceFile, d.SourceSHA256, d.TextSHA256, d.Format, d.Encoding, d.Words, d.ImportedAt = "", "", "", "", "", 0, time.Time{}
		if len(d.Attributes) == 0 {
			d.Attributes = nil
		}
		out.Documents = append(out.Documents, d)
	}
	out.Codings = slices.Clone(b.Codings)
	sort.Slice(out.Codings, func(i, j int) bool { return out.Codings[i].ID < out.Codings[j].ID })
	return out
}

// qcode → qdpx → qcode gives the same documents (text, turns, kind,
// attributes, memo), participants, codebook, codings (coder, memo, times)
// and coders.
func TestQDPXRoundTrip(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		b := roundTripBundle(t)
		path := filepath.Join(t.TempDir(), "out.qdpx")
		if err := WriteQDPX(b, path, QDPXOptions{CRLF: crlf}); err != nil {
			t.Fatal(err)
		}
		back, rep, err := ReadQDPX(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Skipped) > 0 {
			t.Errorf("skipped %+v", rep.Skipped)
		}
		got, want := comparableBundle(back), comparableBundle(b)
		for _, part := range []struct {
			name      string
			got, want any
		}{
			{"memo", got.Memo, want.Memo},
			{"codebook", got.Codebook, want.Codebook},
			{"participants", got.Participants, want.Participants},
			{"documents", got.Documents, want.Documents},
			{"codings", got.Codings, want.Codings},
			{"coders", got.Coders, want.Coders},
		} {
			if !reflect.DeepEqual(part.got, part.want) {
				t.Errorf("CRLF %v: %s differ\n got %+v\nwant %+v", crlf, part.name, part.got, part.want)
			}
		}
		for i, d := range back.Documents {
			if d.Format != "qdpx" || d.SourceFile != "out.qdpx" || d.TextSHA256 != sha256Hex([]byte(b.Documents[i].Text)) || d.Words == 0 {
				t.Errorf("document %q: format %q, source %q, words %d", d.Name, d.Format, d.SourceFile, d.Words)
			}
		}
		if rep.Codings != 5 || rep.Participants != 5 || len(rep.Documents) != 3 || rep.Memos != 3 {
			t.Errorf("report %+v", rep)
		}
	}
}

// The file is written whole or not at all, mode 0600, with no temporary
// file left behind.
func TestWriteQDPXIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.qdpx")
	if err := WriteQDPX(roundTripBundle(t), path, QDPXOptions{}); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", info.Mode(), err)
	}
	before, _ := os.ReadFile(path)
	bad := roundTripBundle(t)
	bad.Codings[0].End = 10_000
	err = WriteQDPX(bad, path, QDPXOptions{})
	if err == nil || !strings.Contains(err.Error(), path+": <PlainTextSelection>") || !strings.Contains(err.Error(), "is not inside the") {
		t.Errorf("error %v, want the file and the selection named", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Errorf("a failed export changed the existing file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	bad = roundTripBundle(t)
	bad.Codings[1].CodeID = "no-such-code"
	if err := WriteQDPX(bad, path, QDPXOptions{}); err == nil || !strings.Contains(err.Error(), "code no-such-code is not in the codebook") {
		t.Errorf("error %v", err)
	}
}

// An imported plain-text source gets the speaker turns `qcode import
// file.txt` gives the same text, and the same guessed kind.
func TestReadQDPXTurnsAsImport(t *testing.T) {
	text := staffInterview
	b := &Bundle{Codebook: &codebook.Codebook{}}
	b.Documents = []BundleDocument{{Document: Document{ID: "30000000-0000-4000-8000-000000000009", Name: "staff"}, Text: text}}
	path := filepath.Join(t.TempDir(), "x.qdpx")
	if err := WriteQDPX(b, path, QDPXOptions{}); err != nil {
		t.Fatal(err)
	}
	back, _, err := ReadQDPX(path)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := newProject(t)
	mustImport(t, p, map[string]string{"staff.txt": text}, ImportOptions{})
	dv, err := p.Document("staff")
	if err != nil {
		t.Fatal(err)
	}
	got := back.Documents[0]
	if len(got.Turns) != len(dv.Turns) || len(got.Turns) == 0 {
		t.Fatalf("%d turns, import finds %d", len(got.Turns), len(dv.Turns))
	}
	labels := map[string]string{}
	for _, pp := range back.Participants {
		labels[pp.ID] = pp.Label
	}
	for i, tv := range dv.Turns {
		g := got.Turns[i]
		if g.Start != tv.Start || g.End != tv.End || labels[g.ParticipantID] != tv.Speaker {
			t.Errorf("turn %d: %d-%d %s, import has %d-%d %s", i+1, g.Start, g.End, labels[g.ParticipantID], tv.Start, tv.End, tv.Speaker)
		}
	}
	if got.Kind != dv.Kind {
		t.Errorf("kind %q, import guesses %q", got.Kind, dv.Kind)
	}
	for _, pp := range back.Participants {
		if pp.Label == "Interviewer" && pp.Attributes["role"] != RoleInterviewer {
			t.Errorf("interviewer without the interviewer role: %+v", pp)
		}
	}
}

// Every vendor sample reads without error.
func TestReadQDPXSamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(refiDir, "samples", "*.qdpx"))
	if len(files) == 0 {
		t.Skipf("no samples in %s", refiDir)
	}
	for _, f := range files {
		b, rep, err := ReadQDPX(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if lint := codebookErrors(b.Codebook); lint != "" {
			t.Errorf("%s: the codebook read does not lint: %s", filepath.Base(f), lint)
		}
		if rep.Codes != len(b.Codebook.Codes) || rep.Codings != len(b.Codings) {
			t.Errorf("%s: report counts %+v", filepath.Base(f), rep)
		}
	}
}

func codebookErrors(cb *codebook.Codebook) string {
	var out []string
	for _, p := range codebook.Lint(cb) {
		if p.Severity == codebook.SeverityError {
			out = append(out, p.String())
		}
	}
	return strings.Join(out, "; ")
}

// NVivo for Windows counts UTF-16 units with CRLF as 2: every one of the
// sample's codings lands on a whole YouTube comment (the line after an
// "@author" line, before a likes count and a timestamp).
func TestReadQDPXNVivoSample(t *testing.T) {
	b, rep, err := ReadQDPX(refiSample(t, "nvivo12win_97_selections.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Documents) != 1 || len(rep.Skipped) != 0 || rep.Documents[0].Offsets != "UTF-16 units, CRLF as 2, BOM not counted" {
		t.Fatalf("documents %d, report %+v", len(b.Documents), rep)
	}
	if len(b.Codings) != 97 {
		t.Errorf("%d codings, want 97", len(b.Codings))
	}
	r := []rune(b.Documents[0].Text)
	likes := regexp.MustCompile(`^\d+\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n`)
	for _, c := range b.Codings {
		before, sel, after := string(r[:c.Start]), string(r[c.Start:c.End]), string(r[c.End:])
		prev := before[strings.LastIndex(strings.TrimSuffix(before, "\n"), "\n")+1:]
		if !strings.HasSuffix(sel, "\n") {
			after = strings.TrimPrefix(after, "\n")
		}
		if !strings.HasPrefix(prev, "@") || !strings.HasSuffix(before, "\n") || !likes.MatchString(after) {
			t.Errorf("coding %d-%d is not a whole comment: %q", c.Start, c.End, clipText(sel, 50))
		}
	}
	if !slices.Equal(b.Coders, []string{"Gergo", "floriansipos"}) {
		t.Errorf("coders %v", b.Coders)
	}
}

// MAXQDA 24: ten documents with their document sets as the "sets"
// attribute, the codebook, no codings.
func TestReadQDPXMAXQDASample(t *testing.T) {
	b, rep, err := ReadQDPX(refiSample(t, "maxqda24_ten_sources.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Documents) != 10 || len(b.Codebook.Codes) != 307 || len(rep.Skipped) != 0 {
		t.Fatalf("documents %d codes %d skipped %v", len(b.Documents), len(b.Codebook.Codes), rep.Skipped)
	}
	sets := map[string]int{}
	for _, d := range b.Documents {
		sets[d.Attributes[SetsAttribute]]++
		if d.Encoding != "utf-8" || d.Runes == 0 {
			t.Errorf("%s: encoding %s, %d characters", d.Name, d.Encoding, d.Runes)
		}
	}
	if sets["ICLS 2024"] != 5 || sets["ICLS 2025"] != 5 {
		t.Errorf("sets %v", sets)
	}
	if b.Codebook.Name != "2025-06-16_ICLS_Conf_Themes_ALL_just10" {
		t.Errorf("codebook name %q", b.Codebook.Name)
	}
}

// ATLAS.ti 23: a codebook and two users, no sources.
func TestReadQDPXAtlasTiSample(t *testing.T) {
	b, _, err := ReadQDPX(refiSample(t, "atlasti23_codebook_only.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Codebook.Codes) != 3 || len(b.Documents) != 0 || !slices.Equal(b.Coders, []string{"Enric Llagostera", "ATLAS.ti"}) {
		t.Errorf("codes %d documents %d coders %v", len(b.Codebook.Codes), len(b.Documents), b.Coders)
	}
}

// The hand-written minimal example: a case with a variable, notes on a
// selection and a code, an inline source, a set of sources and one of
// codes, a link.
func TestReadQDPXMinimalSample(t *testing.T) {
	b, rep, err := ReadQDPX(refiSample(t, "minimal_example.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Participants) != 1 || b.Participants[0].Label != "Participant 1" || b.Participants[0].Attributes["Age"] != "34" {
		t.Errorf("participants %+v", b.Participants)
	}
	if len(b.Documents) != 2 || b.Documents[0].Memo != "First interview" || b.Documents[0].Attributes[SetsAttribute] != "Interviews" ||
		b.Documents[0].Attributes[CaseAttribute] != "Participant 1" {
		t.Errorf("documents %+v", b.Documents)
	}
	if len(b.Codings) != 1 || b.Codings[0].Memo != "Selection memo\n\nAnnotation on selection\nStrong positive affect here." || b.Codings[0].Coder != "Alice" {
		t.Errorf("codings %+v", b.Codings)
	}
	if string([]rune(b.Documents[0].Text)[b.Codings[0].Start:b.Codings[0].End]) != "I was so happy" {
		t.Errorf("coding on the wrong text")
	}
	if b.Codebook.Codes[1].Memo != "Code memo for Joy\nUse for explicit statements of happiness." {
		t.Errorf("code memo %q", b.Codebook.Codes[1].Memo)
	}
	if b.Memo != "Project-level memo." {
		t.Errorf("project memo %q", b.Memo)
	}
	var skipped []string
	for _, s := range rep.Skipped {
		skipped = append(skipped, s.What+": "+s.Reason)
	}
	want := []string{"set: 1 code or note member(s): sets of codes and notes are not imported", "link: links between elements are not imported"}
	if !reflect.DeepEqual(skipped, want) {
		t.Errorf("skipped %q", skipped)
	}
}

// A selection that cannot be placed exactly is in the report with its
// source, position and code, and its coding is not imported; so is a PDF.
func TestReadQDPXReportsWhatItLeavesOut(t *testing.T) {
	qde := `<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="NVivo for Windows 12.6">
  <Users><User guid="50000000-0000-4000-8000-000000000001" name="Ana"/></Users>
  <CodeBook><Codes><Code guid="10000000-0000-4000-8000-000000000001" name="Joy" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="30000000-0000-4000-8000-000000000001" name="Talk" plainTextPath="internal://30000000-0000-4000-8000-000000000001.txt">
      <PlainTextSelection guid="60000000-0000-4000-8000-000000000001" startPosition="3" endPosition="9">
        <Coding guid="40000000-0000-4000-8000-000000000001" creatingUser="50000000-0000-4000-8000-000000000001"><CodeRef targetGUID="10000000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="60000000-0000-4000-8000-000000000002" startPosition="4" endPosition="900">
        <Coding guid="40000000-0000-4000-8000-000000000002"><CodeRef targetGUID="10000000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="30000000-0000-4000-8000-000000000002" name="Report.pdf" path="internal://x.pdf"/>
  </Sources>
</Project>`
	path := filepath.Join(t.TempDir(), "in.qdpx")
	writeZipFile(t, path, map[string]string{"project.qde": qde, "Sources/30000000-0000-4000-8000-000000000001.txt": "\uFEFF😀 Happy day\r\nyes"})
	b, rep, err := ReadQDPX(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Codings) != 1 || string([]rune(b.Documents[0].Text)[b.Codings[0].Start:b.Codings[0].End]) != "Happy " {
		t.Errorf("codings %+v", b.Codings)
	}
	want := []QDPXSkipped{
		{What: "PDF source", Name: "Report.pdf", Reason: "PDF sources are not imported"},
		{What: "selection", Name: "Talk", Position: "4-900", Codes: []string{"Joy"}, Line: 9,
			Reason: "cannot be placed exactly: it ends beyond the end of the text (17 units counted as UTF-16 units, CRLF as 2)"},
	}
	if !reflect.DeepEqual(rep.Skipped, want) {
		t.Errorf("skipped\n%+v\nwant\n%+v", rep.Skipped, want)
	}
}

func writeZipFile(t *testing.T, path string, files map[string]string) {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range files {
			if !yield(k) {
				return
			}
		}
	})
	for _, n := range names {
		w, _ := zw.Create(n)
		fmt.Fprint(w, files[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The same code on the same text by the same user twice (two selections,
// as NVivo can write) is one coding, with both memos; a coding of the
// whole source covers the whole text.
func TestReadQDPXRepeatedCodingsAndWholeSource(t *testing.T) {
	sel := func(n int, memo string) string {
		return fmt.Sprintf(`<PlainTextSelection guid="60000000-0000-4000-8000-00000000000%d" name="Hello" startPosition="0" endPosition="5"><Description>%s</Description>
        <Coding guid="40000000-0000-4000-8000-00000000000%d" creatingUser="50000000-0000-4000-8000-000000000001"><CodeRef targetGUID="10000000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>`, n, memo, n)
	}
	qde := `<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="NVivo 14">
  <Users><User guid="50000000-0000-4000-8000-000000000001" name="Ana"/></Users>
  <CodeBook><Codes><Code guid="10000000-0000-4000-8000-000000000001" name="Joy" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="30000000-0000-4000-8000-000000000001" name="Talk"><PlainTextContent>Hello world</PlainTextContent>
      ` + sel(1, "first") + sel(2, "second") + `
      <Coding guid="40000000-0000-4000-8000-000000000009"><CodeRef targetGUID="10000000-0000-4000-8000-000000000001"/></Coding>
    </TextSource>
  </Sources>
</Project>`
	path := filepath.Join(t.TempDir(), "in.qdpx")
	writeZipFile(t, path, map[string]string{"project.qde": qde})
	b, rep, err := ReadQDPX(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Codings) != 2 || b.Codings[0].Memo != "first\n\nsecond" || b.Codings[0].End != 5 {
		t.Errorf("codings %+v", b.Codings)
	}
	if whole := b.Codings[1]; whole.Start != 0 || whole.End != 11 || whole.Coder != "unknown" {
		t.Errorf("whole-source coding %+v", whole)
	}
	notices := strings.Join(rep.Notices, "\n")
	if !strings.Contains(notices, "1 coding(s) repeat a code on the same text by the same coder; each kept once (memos joined)") ||
		!strings.Contains(notices, `codings without a user are attributed to the coder "unknown"`) {
		t.Errorf("notices %q", rep.Notices)
	}
	if rep.Documents[0].Codings != 2 {
		t.Errorf("report: %d codings in the document", rep.Documents[0].Codings)
	}
}
