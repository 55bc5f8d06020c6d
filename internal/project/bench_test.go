package project_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/qcode-qda/qcode/internal/agreement"
	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/refi"
	"github.com/qcode-qda/qcode/internal/synth"
)

// The corpus is internal/synth's (docs/PERFORMANCE.md describes it).

// BenchmarkImport60x8000: a typical study, 60 one-hour interviews of about
// 8,000 words, imported in one call.
func BenchmarkImport60x8000(b *testing.B) {
	paths, err := synth.WriteCorpus(b.TempDir(), 60, 8000)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := project.Create(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := p.Import(paths, project.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p.Close()
		b.StartTimer()
	}
}

// BenchmarkCodeAll100k applies 100,000 codings in one transaction, as a
// bulk auto-coding or a REFI-QDA import does.
func BenchmarkCodeAll100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := synth.Project(filepath.Join(b.TempDir(), "bench.db"), b.TempDir(), 60, 8000, 0)
		if err != nil {
			b.Fatal(err)
		}
		reqs := synth.Requests(p, synth.Codebook(), 100_000)
		b.StartTimer()
		if _, err := p.CodeAll(reqs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p.Close()
		b.StartTimer()
	}
}

// BenchmarkCodings100k lists 100,000 codings over the 60-interview corpus
// with their text and speaker, as `qcode codings` does.
func BenchmarkCodings100k(b *testing.B) {
	p, err := synth.Project(filepath.Join(b.TempDir(), "bench.db"), b.TempDir(), 60, 8000, 100_000)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cs, err := p.Codings(project.CodingFilter{})
		if err != nil || len(cs) != 100_000 {
			b.Fatalf("%v, %d codings", err, len(cs))
		}
	}
}

// BenchmarkDataset1M loads the report dataset of a project with 1,000,000
// codings over 2,000 documents (the scale of the report speed targets):
// the part of every `qcode report` that reads the project file.
func BenchmarkDataset1M(b *testing.B) {
	p, err := synth.Project(filepath.Join(b.TempDir(), "bench.db"), b.TempDir(), 2000, 600, 1_000_000)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ds, err := p.Dataset(project.ReportFilter{}, false)
		if err != nil || len(ds.Segments) != 1_000_000 {
			b.Fatalf("%v, %d segments", err, len(ds.Segments))
		}
	}
}

// BenchmarkImport50MB imports about 50 MB of plain-text transcripts (500
// documents of ~16,000 words) in one call, and reports the project file's
// size relative to the raw text (target: at most 3×).
func BenchmarkImport50MB(b *testing.B) {
	dir := b.TempDir()
	paths, err := synth.WriteCorpus(dir, 500, 16_000)
	if err != nil {
		b.Fatal(err)
	}
	var raw int64
	for _, p := range paths {
		info, _ := os.Stat(p)
		raw += info.Size()
	}
	b.SetBytes(raw)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := filepath.Join(b.TempDir(), "bench.db")
		p, err := project.Create(db)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := p.Import(paths, project.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p.Close()
		info, _ := os.Stat(db)
		b.ReportMetric(float64(info.Size())/float64(raw), "file/text")
		b.StartTimer()
	}
}

// BenchmarkCodeOne applies one code to one turn, as a coder does all day:
// one transaction, synced to disk before it returns (target: ≤ 5 ms).
func BenchmarkCodeOne(b *testing.B) {
	p, err := synth.Project(filepath.Join(b.TempDir(), "bench.db"), b.TempDir(), 60, 8000, 100_000)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	docs, _ := p.Documents()
	code := synth.Codebook().Codes[1].ID
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := docs[i%len(docs)]
		turn := 1 + (i/len(docs))%len(d.Turns)
		if _, err := p.Code(project.CodeRequest{Doc: d.ID, Code: code, Coder: "bench", Target: project.Target{Turn: turn}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAgreeTurns500: turn-level agreement (every statistic, per code
// and overall) for a 500-document project double-coded by three coders
// (synth.DoubleCoding over 500 interviews of about 4,000 words), reading
// the project file included. Target (issue 6): ≤ 2 s.
func BenchmarkAgreeTurns500(b *testing.B) {
	p, err := synth.Project(filepath.Join(b.TempDir(), "bench.db"), b.TempDir(), 500, 4000, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	if _, err := p.CodeAll(synth.DoubleCoding(p, synth.Codebook(), []string{"amina", "jonas", "kari"})); err != nil {
		b.Fatal(err)
	}
	// One run first, so that every figure is with the file in the page
	// cache, as for a second command on a project.
	if _, err := p.Agree(project.AgreeOptions{Unit: agreement.UnitSentence}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for _, u := range []agreement.Unit{agreement.UnitTurn, agreement.UnitSentence, agreement.UnitChar, agreement.UnitSegment} {
		b.Run(string(u), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				a, err := p.Agree(project.AgreeOptions{Unit: u})
				if err != nil || len(a.Coders) != 3 || len(a.Compared) != 500 {
					b.Fatalf("%v", err)
				}
			}
		})
	}
}

// mergeCorpus is the merge benchmarks' corpus: a coder's project of 500
// interviews of about 2,000 words with 200,000 codings, its bundle, and the
// lead's project with the same documents and codebook but no codings.
func mergeCorpus(b *testing.B) (coder, lead string, bundle *project.Bundle) {
	b.Helper()
	dir := b.TempDir()
	coder = filepath.Join(dir, "coder.db")
	p, err := synth.Project(coder, b.TempDir(), 500, 2000, 200_000)
	if err != nil {
		b.Fatal(err)
	}
	lead = filepath.Join(dir, "lead.db")
	if _, err := p.ExportProject(lead, project.ExportProjectOptions{Coder: "lead"}); err != nil {
		b.Fatal(err)
	}
	if bundle, err = p.Bundle(); err != nil {
		b.Fatal(err)
	}
	p.Close()
	return coder, lead, bundle
}

// freshCopy copies the file at src to a new path (outside the timer).
func freshCopy(b *testing.B, src string) *project.Project {
	b.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	dst := filepath.Join(b.TempDir(), "into.db")
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		b.Fatal(err)
	}
	p, err := project.Open(dst, project.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkReadBundle200k reads a coder's whole project (500 documents,
// 200,000 codings), the first half of `qcode merge`.
func BenchmarkReadBundle200k(b *testing.B) {
	coder, _, _ := mergeCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bd, err := project.ReadBundle(coder)
		if err != nil || len(bd.Codings) != 200_000 {
			b.Fatalf("%v, %d codings", err, len(bd.Codings))
		}
	}
}

// BenchmarkMerge200k merges the coder's bundle into the lead's project:
// 500 documents already present, 200,000 codings added, in one
// transaction, including the automatic backup of the lead's project.
func BenchmarkMerge200k(b *testing.B) {
	_, lead, bundle := mergeCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p := freshCopy(b, lead)
		b.StartTimer()
		rep, err := p.MergeBundle(bundle, project.MergeOptions{})
		if err != nil || rep.Codings.Added != 200_000 {
			b.Fatalf("%v, %+v", err, rep.Codings)
		}
		b.StopTimer()
		p.Close()
		b.StartTimer()
	}
}

// BenchmarkMerge200kIntoEmpty merges the same bundle into an empty
// project: every document, participant, code and coding is new.
func BenchmarkMerge200kIntoEmpty(b *testing.B) {
	_, _, bundle := mergeCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := project.Create(filepath.Join(b.TempDir(), "empty.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := p.MergeBundle(bundle, project.MergeOptions{})
		if err != nil || rep.Codings.Added != 200_000 || len(rep.Documents.Added) != 500 {
			b.Fatalf("%v, %+v", err, rep.Codings)
		}
		b.StopTimer()
		p.Close()
		b.StartTimer()
	}
}

// BenchmarkMerge200kAgain merges the coder's bundle into their own
// project: everything is already present and nothing is added.
func BenchmarkMerge200kAgain(b *testing.B) {
	coder, _, bundle := mergeCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p := freshCopy(b, coder)
		b.StartTimer()
		rep, err := p.MergeBundle(bundle, project.MergeOptions{})
		if err != nil || rep.Codings.Added != 0 || rep.Codings.AlreadyPresent != 200_000 {
			b.Fatalf("%v, %+v", err, rep.Codings)
		}
		b.StopTimer()
		p.Close()
		b.StartTimer()
	}
}

// qdpxBundle is the REFI-QDA benchmark corpus: 500 synthetic interviews of
// about 3,000 words (internal/synth), 301 participants, the synthetic
// codebook, and n random codings of 20-200 characters by two coders, one
// in twenty with a memo.
func qdpxBundle(n int) *project.Bundle {
	r := rand.New(rand.NewPCG(5, 6))
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b := &project.Bundle{Name: "bench", Codebook: synth.Codebook(), Coders: []string{"amina", "jonas"}}
	b.Participants = append(b.Participants, project.Participant{ID: uuid.NewString(), Label: "Interviewer", Attributes: map[string]string{"role": "interviewer"}})
	for i := 1; i <= 300; i++ {
		b.Participants = append(b.Participants, project.Participant{ID: uuid.NewString(), Label: fmt.Sprintf("P%d", i),
			Attributes: map[string]string{"role": []string{"staff", "patient", "employer"}[i%3], "site": fmt.Sprintf("Site %d", i%10)}})
	}
	for i := 0; i < 500; i++ {
		text := synth.Transcript(r, i, 3000)
		b.Documents = append(b.Documents, project.BundleDocument{Document: project.Document{ID: uuid.NewString(), Name: fmt.Sprintf("interview-%04d", i),
			Kind: "interview", Attributes: map[string]string{"site": fmt.Sprintf("Site %d", i%10)}, Runes: utf8.RuneCountInString(text)}, Text: text})
	}
	var leaves []string
	for _, c := range b.Codebook.Codes {
		if !c.Grouping {
			leaves = append(leaves, c.ID)
		}
	}
	seen := map[[5]int]bool{}
	for len(b.Codings) < n {
		di, ci, coder := r.IntN(len(b.Documents)), r.IntN(len(leaves)), r.IntN(2)
		d := b.Documents[di]
		s := r.IntN(max(1, d.Runes-200))
		e := s + 20 + r.IntN(180)
		if key := [5]int{di, ci, coder, s, e}; !seen[key] {
			seen[key] = true
			c := project.Coding{ID: uuid.NewString(), DocID: d.ID, CodeID: leaves[ci], Start: s, End: e, Coder: b.Coders[coder], Created: when, Updated: when}
			if len(b.Codings)%20 == 0 {
				c.Memo = "A memo on this coding."
			}
			b.Codings = append(b.Codings, c)
		}
	}
	return b
}

func writeQDPXCorpus(b *testing.B) string {
	path := filepath.Join(b.TempDir(), "bench.qdpx")
	if err := project.WriteQDPX(qdpxBundle(200_000), path, project.QDPXOptions{}); err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(path)
	b.Logf("%s: %.1f MB", path, float64(info.Size())/(1<<20))
	return path
}

// BenchmarkReadQDPX500x200k reads a .qdpx of 500 sources and 200,000
// codings into a Bundle: unzipping, parsing the .qde, placing every
// selection, normalising texts and detecting speaker turns.
func BenchmarkReadQDPX500x200k(b *testing.B) {
	path := writeQDPXCorpus(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bu, rep, err := project.ReadQDPX(path)
		if err != nil || len(bu.Codings) != 200_000 || len(rep.Skipped) != 0 {
			b.Fatalf("%v: %d codings, skipped %v", err, len(bu.Codings), rep.Skipped)
		}
	}
}

// BenchmarkREFIRead500x200k is the part of BenchmarkReadQDPX500x200k that
// internal/refi does: unzip, parse, place selections.
func BenchmarkREFIRead500x200k(b *testing.B) {
	path := writeQDPXCorpus(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := refi.ReadFile(path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteQDPX500x200k exports the same corpus.
func BenchmarkWriteQDPX500x200k(b *testing.B) {
	bu := qdpxBundle(200_000)
	path := filepath.Join(b.TempDir(), "out.qdpx")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := project.WriteQDPX(bu, path, project.QDPXOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQDPXImportProxy500x200k is the whole import into a new project
// as it can be measured before Project.MergeBundle exists: ReadQDPX, then
// the same documents imported, the codebook added and the 200,000 codings
// applied in one transaction each through the public API — the store work
// a merge into an empty project does.
func BenchmarkQDPXImportProxy500x200k(b *testing.B) {
	path := writeQDPXCorpus(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, err := project.Create(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		bu, _, err := project.ReadQDPX(path)
		if err != nil {
			b.Fatal(err)
		}
		srcs := make([]project.Source, len(bu.Documents))
		for j, d := range bu.Documents {
			srcs[j] = project.Source{Name: d.Name + ".txt", Data: []byte(d.Text)}
		}
		res, err := p.ImportSources(srcs, project.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := p.AddCodebook(bu.Codebook); err != nil {
			b.Fatal(err)
		}
		newID := map[string]string{}
		for j, d := range res.Imported {
			newID[bu.Documents[j].ID] = d.ID
		}
		reqs := make([]project.CodeRequest, len(bu.Codings))
		for j, c := range bu.Codings {
			reqs[j] = project.CodeRequest{Doc: newID[c.DocID], Code: c.CodeID, Coder: c.Coder, Memo: c.Memo, Target: project.Target{Range: &[2]int{c.Start, c.End}}}
		}
		if _, err := p.CodeAll(reqs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p.Close()
		b.StartTimer()
	}
}

// BenchmarkImportQDPX500x200k is `qcode import FILE.qdpx` into a new
// project as the command does it: ReadQDPX, then MergeBundles into a
// freshly created project file. Target (REFI-QDA issue): ≤ 10 s.
func BenchmarkImportQDPX500x200k(b *testing.B) {
	src := writeQDPXCorpus(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bundle, _, err := project.ReadQDPX(src)
		if err != nil {
			b.Fatal(err)
		}
		p, err := project.Create(filepath.Join(b.TempDir(), "imported.db"))
		if err != nil {
			b.Fatal(err)
		}
		reps, err := p.MergeBundles([]*project.Bundle{bundle}, project.MergeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if reps[0].Codings.Added != 200_000 {
			b.Fatalf("%d codings added", reps[0].Codings.Added)
		}
		p.Close()
	}
}
