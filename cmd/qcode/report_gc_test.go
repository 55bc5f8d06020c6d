package main

import (
	"runtime/debug"
	"testing"

	"github.com/spf13/cobra"
)

// gcPercent reads the garbage collector's setting.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestReportsRunWithBatchGC(t *testing.T) {
	before := gcPercent()
	during := 0
	run := batchGC(func(*cobra.Command, []string) error { during = gcPercent(); return nil })
	if err := run(nil, nil); err != nil {
		t.Fatal(err)
	}
	if during != reportGCPercent || gcPercent() != before {
		t.Errorf("GC percent %d while the report ran and %d after, want %d and %d", during, gcPercent(), reportGCPercent, before)
	}
	// A user's GOGC wins.
	t.Setenv("GOGC", "100")
	if err := run(nil, nil); err != nil {
		t.Fatal(err)
	}
	if during != before {
		t.Errorf("GC percent %d with GOGC set, want %d", during, before)
	}
}
