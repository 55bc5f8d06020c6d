package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/qcode-qda/qcode/internal/synth"
)

// The report speed targets are for 1,000,000 codings over 2,000 documents;
// the benchmarks share one such project (internal/synth), built once.
var (
	bigOnce sync.Once
	bigDB   string
	bigErr  error
)

// bigProject builds the project once and reuses it across benchmark runs:
// at $QCODE_BENCH_DB, or in the system temp directory under a name that
// changes with the corpus (it is 0.5 GB; delete it when done). The real
// binary can be measured on it too:
// /usr/bin/time -v qcode -p $QCODE_BENCH_DB report freq --by role.
func bigProject(b *testing.B) string {
	bigOnce.Do(func() {
		bigDB = os.Getenv("QCODE_BENCH_DB")
		if bigDB == "" {
			bigDB = filepath.Join(os.TempDir(), "qcode-bench-1m-2000x600-v4.db")
		}
		if _, err := os.Stat(bigDB); err == nil {
			return
		}
		p, err := synth.Project(bigDB, b.TempDir(), 2000, 600, 1_000_000)
		if err == nil {
			err = p.Close()
		}
		bigErr = err
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigDB
}

func benchCLI(b *testing.B, args ...string) {
	db := bigProject(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var errb strings.Builder
		if code := run(append([]string{"-p", db}, args...), strings.NewReader(""), io.Discard, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}

// Targets: freq --by role ≤ 1 s and 500 MB; fidelity ≤ 1 s; quotes to HTML ≤ 3 s.
func BenchmarkReportFreqByRole1M(b *testing.B) {
	benchCLI(b, "report", "freq", "--by", "role", "--format", "csv")
}
func BenchmarkReportFidelity1M(b *testing.B) { benchCLI(b, "report", "fidelity", "--format", "csv") }
func BenchmarkReportQuotesHTML1M(b *testing.B) {
	benchCLI(b, "report", "quotes", "-o", filepath.Join(b.TempDir(), "quotes.html"))
}

// The same quotes as Markdown and Word (no targets; see docs/PERFORMANCE.md).
func BenchmarkReportQuotesMD1M(b *testing.B) {
	benchCLI(b, "report", "quotes", "-o", filepath.Join(b.TempDir(), "quotes.md"))
}
func BenchmarkReportQuotesDOCX1M(b *testing.B) {
	benchCLI(b, "report", "quotes", "-o", filepath.Join(b.TempDir(), "quotes.docx"))
}
