package project_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/synth"
)

// The query target is 1,000,000 codings over 2,000 documents (the report
// corpus); the project is built once and kept in the temp directory under
// the name cmd/qcode's benchmarks use (0.5 GB; delete it when done).
var (
	bigOnce sync.Once
	bigErr  error
)

func bigProject(b *testing.B) string {
	path := os.Getenv("QCODE_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), "qcode-bench-1m-2000x600-v4.db")
	}
	bigOnce.Do(func() {
		if _, err := os.Stat(path); err == nil {
			return
		}
		p, err := synth.Project(path, b.TempDir(), 2000, 600, 1_000_000)
		if err == nil {
			err = p.Close()
		}
		bigErr = err
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return path
}

// BenchmarkQuery1M runs queries over 1,000,000 codings with the project
// open: reading every coding, evaluating, and building the listing of
// what was found (text, speaker, code path), as `qcode query` does.
func BenchmarkQuery1M(b *testing.B) {
	p, err := project.Open(bigProject(b), project.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for _, expr := range []string{
		`code:"Code 3" AND role=patient`,
		`code:"Code 3" OVERLAPS code:"Code 4" AND coder=amina`,
		`code:"Theme 1" NEAR/2 code:"Theme 2" AND site="Site 3"`,
	} {
		b.Run(strings.NewReplacer(" ", "_", `"`, "").Replace(expr), func(b *testing.B) {
			var found int
			cpuPerOp(b, func() {
				res, err := p.Query(expr)
				if err != nil {
					b.Fatal(err)
				}
				found = len(res.Codings)
			})
			b.ReportMetric(float64(found), "codings")
		})
	}
}

// BenchmarkSearch50MB searches about 50 MB of transcripts (500 documents
// of ~16,000 words, internal/synth) with the project open and its texts
// in a SearchCache, as the TUI keeps them: each search reads the
// documents' metadata, matches, maps offsets, finds turns and speakers
// and builds keyword-in-context for every hit. The first search, which
// also loads and folds the texts, is BenchmarkSearch50MBCold.
func BenchmarkSearch50MB(b *testing.B) {
	p := searchCorpus(b)
	cache := project.NewSearchCache()
	for _, opt := range searchBenchOptions {
		if _, err := p.Search(opt.with(cache)); err != nil { // warm the cache
			b.Fatal(err)
		}
	}
	for _, opt := range searchBenchOptions {
		b.Run(opt.name, func(b *testing.B) {
			var hits int
			cpuPerOp(b, func() {
				hs, err := p.Search(opt.with(cache))
				if err != nil {
					b.Fatal(err)
				}
				hits = len(hs)
			})
			b.ReportMetric(float64(hits), "hits")
		})
	}
}

// BenchmarkSearch50MBCold is the first search of a session: the texts are
// read from the project file and folded as well.
func BenchmarkSearch50MBCold(b *testing.B) {
	p := searchCorpus(b)
	opt := searchBenchOptions[1]
	cpuPerOp(b, func() {
		if _, err := p.Search(opt.with(nil)); err != nil {
			b.Fatal(err)
		}
	})
}

type searchBench struct {
	name string
	opt  project.SearchOptions
}

func (s searchBench) with(c *project.SearchCache) project.SearchOptions {
	o := s.opt
	o.Cache = c
	return o
}

var searchBenchOptions = []searchBench{
	{"rare_word", project.SearchOptions{Text: "TROMSØYA"}},                                 // 0 hits
	{"phrase", project.SearchOptions{Text: "employer contact job search"}},                 // a few hundred
	{"common_word", project.SearchOptions{Text: "nav", WholeWord: true}},                   // one word in 70
	{"accents", project.SearchOptions{Text: "tromso cafe", FoldAccents: true}},             // a folded phrase
	{"regex", project.SearchOptions{Text: `ferry \w+ rural`, Regex: true}},                 // a pattern
	{"role_filter", project.SearchOptions{Text: "disclosure", Roles: []string{"patient"}}}, // a third of the speakers
}

var (
	searchOnce sync.Once
	searchDB   string
	searchErr  error
)

// searchCorpus imports 500 × 16,000 words (55 MB of text) once, and keeps
// the project in the temp directory for later runs (87 MB; delete it when
// done), as the 1M-coding project is kept.
func searchCorpus(b *testing.B) *project.Project {
	searchOnce.Do(func() {
		searchDB = filepath.Join(os.TempDir(), "qcode-bench-search-500x16000-v4.db")
		if _, err := os.Stat(searchDB); err == nil {
			return
		}
		var p *project.Project
		if p, searchErr = synth.Project(searchDB, b.TempDir(), 500, 16_000, 0); searchErr == nil {
			searchErr = p.Close()
		}
	})
	if searchErr != nil {
		b.Fatal(searchErr)
	}
	p, err := project.Open(searchDB, project.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	return p
}

// cpuPerOp reports the process's CPU time (user and system, all threads)
// per operation next to the wall time: on a shared machine the wall time
// also counts waiting for a core.
func cpuPerOp(b *testing.B, run func()) {
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run()
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano()+after.Stime.Nano()-before.Utime.Nano()-before.Stime.Nano()) / time.Duration(b.N)
	b.ReportMetric(float64(cpu.Milliseconds()), "cpu-ms/op")
}
