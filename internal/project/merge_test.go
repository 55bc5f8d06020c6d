package project

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/codebook"
)

// leadProject is a lead's project at a path of its own (closed, so coders'
// copies and merges can open it), with two interviews, a codebook and one
// coding by the lead.
func leadProject(t *testing.T) string {
	t.Helper()
	p := setupCoded(t)
	if _, _, err := p.SetParticipant("Kari", map[string]string{"role": "staff", "site": "Tromsø"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Code(CodeRequest{Doc: "staff-01", Code: "Disclosure", Coder: "lead", Target: Target{Turn: 6}}); err != nil {
		t.Fatal(err)
	}
	path := p.Path()
	p.Close()
	return path
}

func open(t *testing.T, path string) *Project {
	t.Helper()
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// coderCopy exports the lead's project for coder and lets them code in it.
func coderCopy(t *testing.T, lead, coder string, reqs ...CodeRequest) string {
	t.Helper()
	p := open(t, lead)
	dest := filepath.Join(t.TempDir(), coder+".qcode")
	if _, err := p.ExportProject(dest, ExportProjectOptions{Coder: coder}); err != nil {
		t.Fatal(err)
	}
	p.Close()
	cp := open(t, dest)
	for i := range reqs {
		reqs[i].Coder = coder
	}
	if _, err := cp.CodeAll(reqs); err != nil {
		t.Fatal(err)
	}
	cp.Close()
	return dest
}

func mergeFiles(t *testing.T, into string, opt MergeOptions, files ...string) ([]*MergeReport, error) {
	t.Helper()
	var bs []*Bundle
	for _, f := range files {
		b, err := ReadBundle(f)
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
	}
	p := open(t, into)
	defer p.Close()
	return p.MergeBundles(bs, opt)
}

func codingsBy(t *testing.T, path string) map[string][]CodingView {
	t.Helper()
	p, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cs, err := p.Codings(CodingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]CodingView{}
	for _, c := range cs {
		out[c.Coder] = append(out[c.Coder], c)
	}
	return out
}

func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTwoCodersCodeIndependentlyAndTheLeadMergesBoth(t *testing.T) {
	lead := leadProject(t)
	amina := coderCopy(t, lead, "amina",
		CodeRequest{Doc: "staff-01", Code: "Fear of losing benefits", Target: Target{Turn: 4}},
		CodeRequest{Doc: "patient-01", Code: "Fear of losing benefits", Target: Target{Match: "scared of losing NAV money"}})
	jonas := coderCopy(t, lead, "jonas",
		CodeRequest{Doc: "staff-01", Code: "Fear of losing benefits", Target: Target{Turn: 4}},
		CodeRequest{Doc: "staff-01", Code: "Disclosure", Target: Target{Turn: 6}, Memo: "tells the employer or not"})

	// The coder's copy has the documents and codebook but none of the
	// lead's codings.
	if got := codingsBy(t, amina); len(got["lead"]) != 0 || len(got["amina"]) != 2 {
		t.Fatalf("amina's copy holds %v", got)
	}
	aminaIDs := map[string]bool{}
	for _, c := range codingsBy(t, amina)["amina"] {
		aminaIDs[c.ID] = true
	}

	reps, err := mergeFiles(t, lead, MergeOptions{}, amina, jonas)
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 2 {
		t.Fatalf("%d reports", len(reps))
	}
	for i, want := range []string{"amina", "jonas"} {
		r := reps[i]
		if r.Codings.Added != 2 || r.Codings.AddedByCoder[want] != 2 || len(r.Documents.Added) != 0 || r.Documents.AlreadyPresent != 2 ||
			len(r.Participants.Added) != 0 || len(r.Codes.Added) != 0 || len(r.Conflicts) != 0 {
			t.Errorf("report %d: %+v", i, r)
		}
		if r.Backup == "" {
			t.Error("no backup before merging into a project with documents")
		} else if _, err := os.Stat(r.Backup); err != nil {
			t.Error(err)
		}
	}
	got := codingsBy(t, lead)
	if len(got["lead"]) != 1 || len(got["amina"]) != 2 || len(got["jonas"]) != 2 {
		t.Fatalf("after the merge: lead %d, amina %d, jonas %d codings", len(got["lead"]), len(got["amina"]), len(got["jonas"]))
	}
	for _, c := range got["amina"] {
		if !aminaIDs[c.ID] {
			t.Errorf("coding id %s was not preserved", c.ID)
		}
	}
	for _, c := range got["jonas"] {
		if c.CodeName == "Disclosure" && (c.Memo != "tells the employer or not" || c.Speaker != "Kari") {
			t.Errorf("jonas's coding lost its memo or speaker: %+v", c)
		}
	}
	p := open(t, lead)
	if probs, err := p.Check(0); err != nil || len(probs) != 0 {
		t.Errorf("check after merge: %v %v", err, probs)
	}
	p.Close()

	// Merging the same files again adds nothing.
	before := bundleOf(t, lead)
	reps, err = mergeFiles(t, lead, MergeOptions{}, amina, jonas)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps {
		if r.Codings.Added != 0 || r.Codings.AlreadyPresent != 2 || len(r.Documents.Added) != 0 || len(r.Participants.Added) != 0 || len(r.Codes.Added) != 0 || len(r.Conflicts) != 0 {
			t.Errorf("second merge of %s: %+v", r.Source, r)
		}
	}
	if after := bundleOf(t, lead); !reflect.DeepEqual(before, after) {
		t.Errorf("the second merge changed the project:\nbefore %+v\nafter  %+v", before, after)
	}
}

func bundleOf(t *testing.T, path string) *Bundle {
	t.Helper()
	p, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	b, err := p.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMergeIntoAnEmptyProjectBringsEverything(t *testing.T) {
	lead := leadProject(t)
	src := open(t, lead)
	b, err := src.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	src.Close()
	if len(b.Documents) != 2 || len(b.Codings) != 1 || !slices.Equal(b.Coders, []string{"lead"}) || len(b.Codebook.Codes) != 3 {
		t.Fatalf("bundle: %d docs, %d codings, coders %v, %d codes", len(b.Documents), len(b.Codings), b.Coders, len(b.Codebook.Codes))
	}
	p, path := newProject(t)
	rep, err := p.MergeBundle(b, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Backup != "" {
		t.Error("a backup of an empty project was written")
	}
	if len(rep.Documents.Added) != 2 || len(rep.Codes.Added) != 3 || rep.Codings.Added != 1 || len(rep.Participants.Added) != len(b.Participants) {
		t.Errorf("report: %+v", rep)
	}
	d, err := p.Document("staff-01")
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != staffInterview || d.ID != b.Documents[slices.IndexFunc(b.Documents, func(x BundleDocument) bool { return x.Name == "staff-01" })].ID {
		t.Error("text or id of the document not carried over")
	}
	if d.Turns[1].Speaker != "Kari" || d.Turns[1].Role != "staff" {
		t.Errorf("turn 2 speaker %q role %q", d.Turns[1].Speaker, d.Turns[1].Role)
	}
	if probs, _ := p.Check(0); len(probs) != 0 {
		t.Errorf("check: %v", probs)
	}
	_ = path
}

func TestSameNameOtherTextIsNotMergedNorAreItsCodings(t *testing.T) {
	lead := leadProject(t)
	other, _ := newProject(t)
	mustImport(t, other, map[string]string{"staff-01.txt": "Interviewer: Different?\nKari: A different interview altogether.\nInterviewer: Really?\nKari: Yes.\n",
		"field-notes.txt": "Notes from the team meeting."}, ImportOptions{})
	lp := open(t, lead)
	cb, _ := lp.Codebook()
	lp.Close()
	if err := other.AddCodebook(cb); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Code(CodeRequest{Doc: "staff-01", Code: "Disclosure", Coder: "jonas", Target: Target{Turn: 2}}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Code(CodeRequest{Doc: "field-notes", Code: "Disclosure", Coder: "jonas", Target: Target{Match: "team meeting"}}); err != nil {
		t.Fatal(err)
	}
	otherPath := other.Path()
	other.Close()

	reps, err := mergeFiles(t, lead, MergeOptions{}, otherPath)
	if err != nil {
		t.Fatal(err)
	}
	r := reps[0]
	if !slices.Equal(r.Documents.Added, []string{"field-notes"}) || !slices.Equal(r.Documents.NotMerged, []string{"staff-01"}) {
		t.Errorf("documents: %+v", r.Documents)
	}
	if r.Codings.Added != 1 || r.Codings.Skipped != 1 {
		t.Errorf("codings: %+v", r.Codings)
	}
	var c *MergeConflict
	for i := range r.Conflicts {
		if r.Conflicts[i].Kind == ConflictDocumentText {
			c = &r.Conflicts[i]
		}
	}
	if c == nil || c.Item != "staff-01" || c.Resolution != "skipped" || c.Detail != "1 coding(s) not merged" {
		t.Fatalf("document-text conflict: %+v", c)
	}
	p := open(t, lead)
	d, _ := p.Document("staff-01")
	if d.Text != staffInterview {
		t.Error("our document's text changed")
	}
	if cs, _ := p.Codings(CodingFilter{Coder: "jonas"}); len(cs) != 1 || cs[0].Document != "field-notes" {
		t.Errorf("jonas's codings after merge: %+v", cs)
	}
}

func TestParticipantAttributeConflictsKeepOursAndNewAttributesComeIn(t *testing.T) {
	lead := leadProject(t)
	copyPath := coderCopy(t, lead, "jonas")
	cp := open(t, copyPath)
	if _, _, err := cp.SetParticipant("kari", map[string]string{"site": "Nord-Troms", "team": "FACT"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cp.SetParticipant("P9", map[string]string{"role": "employer"}); err != nil {
		t.Fatal(err)
	}
	cp.Close()
	reps, err := mergeFiles(t, lead, MergeOptions{}, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	r := reps[0]
	want := MergeConflict{Kind: ConflictParticipantAttribute, Item: "Kari", Field: "site", Ours: "Tromsø", Theirs: "Nord-Troms", Resolution: "ours"}
	if len(r.Conflicts) != 1 {
		t.Fatalf("conflicts: %+v", r.Conflicts)
	}
	got := r.Conflicts[0]
	got.ID = ""
	if got != want {
		t.Errorf("conflict = %+v, want %+v", got, want)
	}
	if r.Participants.AttributesAdded != 1 || !slices.Equal(r.Participants.Added, []string{"P9"}) {
		t.Errorf("participants: %+v", r.Participants)
	}
	p := open(t, lead)
	ps, _ := p.Participants()
	for _, pp := range ps {
		if pp.Label == "Kari" && (pp.Attributes["site"] != "Tromsø" || pp.Attributes["team"] != "FACT") {
			t.Errorf("Kari after merge: %v", pp.Attributes)
		}
	}
}

func TestUnresolvedCodebookConflictRefusesTheMergeAndChangesNothing(t *testing.T) {
	lead := leadProject(t)
	copyPath := coderCopy(t, lead, "amina", CodeRequest{Doc: "staff-01", Code: "Disclosure", Target: Target{Turn: 6}})
	cp := open(t, copyPath)
	desc := "Telling an employer about a mental illness."
	if _, err := cp.EditCode("Disclosure", CodeEdit{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	cp.Close()
	before := readBytes(t, lead)
	reps, err := mergeFiles(t, lead, MergeOptions{}, copyPath)
	var refused *MergeRefusedError
	if !errors.As(err, &refused) || refused.Unresolved != 1 || !strings.Contains(err.Error(), "amina.qcode") {
		t.Fatalf("err = %v", err)
	}
	if len(reps) != 1 || !reps[0].Refused || reps[0].Conflicts[0].Kind != "code-field" || reps[0].Conflicts[0].Field != "description" ||
		reps[0].Conflicts[0].Theirs != desc || reps[0].Conflicts[0].Item != "Disclosure" {
		t.Errorf("report: %+v", reps[0])
	}
	if !bytes.Equal(before, readBytes(t, lead)) {
		t.Error("a refused merge changed the project file")
	}
	if bs, _ := ListBackups(lead); len(bs) != 0 {
		t.Errorf("a refused merge left a backup: %v", bs)
	}

	// --prefer theirs settles it.
	reps, err = mergeFiles(t, lead, MergeOptions{Prefer: "theirs"}, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if reps[0].Codings.Added != 1 || reps[0].Conflicts[0].Resolution != "theirs" {
		t.Errorf("report: %+v", reps[0])
	}
	cb, _ := open(t, lead).Codebook()
	ix := codebook.NewIndex(cb.Codes)
	if c, _ := ix.Find("Disclosure"); c.Description != desc {
		t.Errorf("description after --prefer theirs: %q", c.Description)
	}
}

func TestMapPointsTheirCodeAtOurs(t *testing.T) {
	lead := leadProject(t)
	// A project built independently: same transcript, its own codebook.
	other, _ := newProject(t)
	mustImport(t, other, map[string]string{"staff-01.txt": staffInterview}, ImportOptions{})
	if _, err := other.AddCode(codebook.Code{Name: "Stigma"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Code(CodeRequest{Doc: "staff-01", Code: "Stigma", Coder: "sofia", Target: Target{Turn: 6}}); err != nil {
		t.Fatal(err)
	}
	otherPath := other.Path()
	other.Close()
	reps, err := mergeFiles(t, lead, MergeOptions{Map: map[string]string{"Stigma": "Disclosure"}, Prefer: "ours"}, otherPath)
	if err != nil {
		t.Fatal(err)
	}
	if len(reps[0].Codes.Added) != 0 || reps[0].Codes.AlreadyPresent != 1 {
		t.Errorf("codes: %+v", reps[0].Codes)
	}
	cs := codingsBy(t, lead)["sofia"]
	if len(cs) != 1 || cs[0].CodeName != "Disclosure" {
		t.Errorf("sofia's coding: %+v", cs)
	}
}

func TestSameCoderCodeAndSpanIsNotDuplicatedAndChangedCodingsAreReported(t *testing.T) {
	lead := leadProject(t)
	p := open(t, lead)
	b, err := p.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	// The lead's coding again under a new id, and once more with the
	// original id but another memo.
	again := b.Codings[0]
	again.ID = "0a0a0a0a-0000-4000-8000-000000000001"
	changed := b.Codings[0]
	changed.Memo = "a second thought"
	b.Codings = []Coding{again, changed}
	rep, err := p.MergeBundle(b, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Codings.Added != 0 || rep.Codings.AlreadyPresent != 2 {
		t.Errorf("codings: %+v", rep.Codings)
	}
	if len(rep.Conflicts) != 1 || rep.Conflicts[0].Kind != ConflictCodingDiffers || rep.Conflicts[0].Field != "memo" ||
		rep.Conflicts[0].Theirs != `memo "a second thought"` || rep.Conflicts[0].Resolution != "ours" {
		t.Errorf("conflicts: %+v", rep.Conflicts)
	}
	if cs, _ := p.Codings(CodingFilter{}); len(cs) != 1 || cs[0].Memo != "" {
		t.Errorf("codings after: %+v", cs)
	}
}

func TestAFailedMergeLeavesTheFileByteIdentical(t *testing.T) {
	lead := leadProject(t)
	copyPath := coderCopy(t, lead, "amina", CodeRequest{Doc: "staff-01", Code: "Disclosure", Target: Target{Turn: 6}})
	other, _ := newProject(t)
	mustImport(t, other, map[string]string{"new.txt": "Interviewer: Hello?\nP7: Hello.\nInterviewer: Bye?\nP7: Bye.\n"}, ImportOptions{})
	otherPath := other.Path()
	other.Close()
	before := readBytes(t, lead)
	mergeTestHook = func() error { return errors.New("disk full") }
	defer func() { mergeTestHook = nil }()
	if _, err := mergeFiles(t, lead, MergeOptions{}, copyPath, otherPath); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
	if !bytes.Equal(before, readBytes(t, lead)) {
		t.Error("a merge that failed after writing changed the project file")
	}
}

func TestABrokenBundleIsRefusedNamingItsElement(t *testing.T) {
	lead := leadProject(t)
	p := open(t, lead)
	b, _ := p.Bundle()
	b.Name = "broken.qcode"
	cases := []struct {
		breakIt func(*Bundle)
		want    string
	}{
		{func(b *Bundle) { b.Codings[0].End = 1 << 20 }, "broken.qcode: coding " + b.Codings[0].ID + ": span"},
		{func(b *Bundle) { b.Codings[0].CodeID = "nope" }, "is not in the bundle's codebook"},
		{func(b *Bundle) { b.Codings[0].Coder = " " }, "has no coder"},
		{func(b *Bundle) { b.Documents[0].Turns[0].End = 1 << 20 }, "turn 1"},
		{func(b *Bundle) { b.Documents[0].Turns[0].ParticipantID = "00000000-0000-4000-8000-000000000000" }, "which the bundle does not have"},
		{func(b *Bundle) { b.Documents[0].ID = "doc-1" }, "is not a UUID"},
		{func(b *Bundle) { b.Participants[1].Label = b.Participants[0].Label }, "appears twice"},
	}
	before := readBytes(t, lead)
	for _, c := range cases {
		bb, _ := p.Bundle()
		bb.Name = "broken.qcode"
		c.breakIt(bb)
		_, err := p.MergeBundle(bb, MergeOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "broken.qcode: ") || !IsUserError(err) {
			t.Errorf("err = %v, want one naming broken.qcode and %q", err, c.want)
		}
	}
	p.Close()
	if !bytes.Equal(before, readBytes(t, lead)) {
		t.Error("a refused bundle changed the project")
	}
}

func TestDryRunReportsAndStoresNothing(t *testing.T) {
	lead := leadProject(t)
	copyPath := coderCopy(t, lead, "amina", CodeRequest{Doc: "staff-01", Code: "Disclosure", Target: Target{Turn: 6}})
	before := readBytes(t, lead)
	reps, err := mergeFiles(t, lead, MergeOptions{DryRun: true}, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if reps[0].Codings.Added != 1 || reps[0].Backup != "" {
		t.Errorf("dry run report: %+v", reps[0])
	}
	if !bytes.Equal(before, readBytes(t, lead)) {
		t.Error("a dry run changed the project")
	}
	if bs, _ := ListBackups(lead); len(bs) != 0 {
		t.Error("a dry run wrote a backup")
	}
}

func TestReadBundleOfAnOlderSchemaLeavesTheFileAlone(t *testing.T) {
	fixture, err := os.ReadFile("../store/testdata/schema1.qcode.db")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "old.qcode")
	if err := os.WriteFile(path, fixture, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBundle(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Documents) != 1 || len(b.Codings) != 2 || !slices.Equal(b.Coders, []string{"amina", "jonas"}) || !strings.Contains(b.Documents[0].Text, "Tromsø") {
		t.Errorf("bundle of the schema-1 file: %d docs, %d codings, coders %v", len(b.Documents), len(b.Codings), b.Coders)
	}
	if !bytes.Equal(fixture, readBytes(t, path)) {
		t.Error("reading an older project changed it")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("reading left files beside it: %v", entries)
	}
	// And it merges.
	p, _ := newProject(t)
	rep, err := p.MergeBundle(b, MergeOptions{})
	if err != nil || rep.Codings.Added != 2 {
		t.Fatalf("merge of the schema-1 bundle: %v %+v", err, rep)
	}
}

func TestExportProjectForOneCoder(t *testing.T) {
	lead := leadProject(t)
	p := open(t, lead)
	if _, err := p.Code(CodeRequest{Doc: "patient-01", Code: "Fear of losing benefits", Coder: "amina", Target: Target{Turn: 4}}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "amina.qcode")
	res, err := p.ExportProject(dest, ExportProjectOptions{Coder: "Amina"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Kept != 1 || res.Removed != 1 {
		t.Errorf("result: %+v", res)
	}
	if info, err := os.Stat(dest); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("copy: %v, mode %v", err, info.Mode().Perm())
	}
	got := codingsBy(t, dest)
	if len(got["amina"]) != 1 || len(got["lead"]) != 0 {
		t.Errorf("codings in the copy: %v", got)
	}
	cp := open(t, dest)
	if docs, _ := cp.Documents(); len(docs) != 2 {
		t.Errorf("copy has %d documents", len(docs))
	}
	if probs, _ := cp.Check(0); len(probs) != 0 {
		t.Errorf("check of the copy: %v", probs)
	}
	cp.Close()

	// No overwriting without Force; never the project itself.
	if _, err := p.ExportProject(dest, ExportProjectOptions{}); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("overwrite without force: %v", err)
	}
	if _, err := p.ExportProject(lead, ExportProjectOptions{Force: true}); err == nil || !strings.Contains(err.Error(), "this project itself") {
		t.Errorf("export onto itself: %v", err)
	}
	if _, err := p.ExportProject(dest, ExportProjectOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if got := codingsBy(t, dest); len(got["lead"]) != 1 || len(got["amina"]) != 1 {
		t.Errorf("full copy: %v", got)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dest)); len(entries) != 1 {
		t.Errorf("export left files behind: %v", entries)
	}
}

func TestIdsInOtherSpellingsAreStoredCanonically(t *testing.T) {
	// REFI-QDA files often spell GUIDs in upper case or with braces.
	lead := leadProject(t)
	b := bundleOf(t, lead)
	up := func(id string) string { return "{" + strings.ToUpper(id) + "}" }
	wantDoc := b.Documents[0].ID
	for i := range b.Documents {
		b.Documents[i].ID = up(b.Documents[i].ID)
		for j := range b.Documents[i].Turns {
			if pid := b.Documents[i].Turns[j].ParticipantID; pid != "" {
				b.Documents[i].Turns[j].ParticipantID = strings.ToUpper(pid)
			}
		}
	}
	for i := range b.Participants {
		b.Participants[i].ID = strings.ToUpper(b.Participants[i].ID)
	}
	wantCoding := b.Codings[0].ID
	b.Codings[0].ID, b.Codings[0].DocID = up(b.Codings[0].ID), up(b.Codings[0].DocID)
	p, _ := newProject(t)
	if _, err := p.MergeBundle(b, MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Document(wantDoc); err != nil {
		t.Errorf("document not stored under its canonical id: %v", err)
	}
	if cs, _ := p.Codings(CodingFilter{}); len(cs) != 1 || cs[0].ID != wantCoding {
		t.Errorf("codings: %+v", cs)
	}
	if probs, _ := p.Check(0); len(probs) != 0 {
		t.Errorf("check: %v", probs)
	}
}
