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
	// benchDir is removed by TestMain when the tests end.
	benchDir string
)

// bigProject builds the project in a temporary directory removed when the
// tests end, or at $QCODE_BENCH_DB, kept (and reused when it exists) so
// the real binary can be measured on it: /usr/bin/time -v qcode -p $QCODE_BENCH_DB report freq --by role.
func bigProject(b *testing.B) string {
	bigOnce.Do(func() {
		if keep := os.Getenv("QCODE_BENCH_DB"); keep != "" {
			bigDB = keep
			if _, err := os.Stat(keep); err == nil {
				return
			}
			p, err := synth.Project(keep, b.TempDir(), 2000, 600, 1_000_000)
			if err == nil {
				err = p.Close()
			}
			bigErr = err
			return
		}
		dir, err := os.MkdirTemp("", "qcode-bench-")
		if err != nil {
			bigErr = err
			return
		}
		benchDir = dir
		bigDB = filepath.Join(dir, "big.db")
		p, err := synth.Project(bigDB, dir, 2000, 600, 1_000_000)
		if err != nil {
			bigErr = err
			return
		}
		bigErr = p.Close()
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
