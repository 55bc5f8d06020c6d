package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadMergeInputChangesNothing: a merge that cannot be done says so in
// one line naming the file at fault, and leaves the project byte-for-byte
// as it was, even when a good file is merged in the same call.
func TestBadMergeInputChangesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "lead.db")
	good := filepath.Join(dir, "good.txt")
	os.WriteFile(good, []byte("Interviewer: Hello.\nP1: Hi there.\nInterviewer: Bye.\nP1: Bye now.\n"), 0o600)
	mustRun(t, "-p", db, "init")
	mustRun(t, "-p", db, "import", good)
	mustRun(t, "-p", db, "codebook", "add", "Disclosure")
	copyDB := filepath.Join(dir, "amina.db")
	mustRun(t, "-p", db, "export", "project", "-o", copyDB, "--coder", "amina")
	mustRun(t, "-p", copyDB, "--coder", "amina", "code", "good", "--code", "Disclosure", "--turn", "2")
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		args []string
		at   string // the file the message must name
		want string
		code int
	}{
		{[]string{copyDB, good}, good, "is not a qcode project", exitError},
		{[]string{copyDB, filepath.Join(dir, "missing.db")}, "missing.db", "no such file", exitError},
		{[]string{copyDB, db}, db, "is this project itself", exitError},
		{[]string{copyDB, "--map", write("map.csv", "theirs,ours\nDisclosure,\n")}, "map.csv:2", "the ours column is empty", exitError},
		{[]string{copyDB, "--map", write("map2.csv", "theirs,ours\nNo such code,Disclosure\n")}, copyDB, "No such code", exitError},
		{[]string{copyDB, "--prefer", "both"}, "--prefer", "ours or theirs", exitUsage},
		{[]string{}, "merge", "needs one or more project files", exitUsage},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(append([]string{"-p", db, "merge"}, c.args...), strings.NewReader(""), &out, &errb)
		msg := strings.TrimSpace(errb.String())
		if code != c.code {
			t.Errorf("merge %v: exit %d, want %d (%s)", c.args, code, c.code, msg)
		}
		if !strings.Contains(msg, c.at) || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("merge %v: message %q should be one line naming %s and saying %q", c.args, msg, c.at, c.want)
		}
		if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
			t.Fatalf("merge %v: the project file changed", c.args)
		}
		if bs, _ := os.ReadDir(db + ".backups"); len(bs) > 0 {
			t.Errorf("merge %v left a backup", c.args)
		}
	}
	// The copy is still good to merge.
	mustRun(t, "-p", db, "merge", copyDB)
	if out := mustRun(t, "-p", db, "codings", "--coder", "amina", "--format", "csv"); !strings.Contains(out, "Disclosure") {
		t.Errorf("after the merge: %s", out)
	}
}
