package project

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/qcode-qda/qcode/examples"
)

// Building the demo leaves the project and nothing else: no temporary file
// and no backups of the temporary file.
func TestBuildDemoLeavesNoDebris(t *testing.T) {
	dir := t.TempDir()
	if _, err := BuildDemo(examples.FS, filepath.Join(dir, "demo.db")); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "demo.db" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
