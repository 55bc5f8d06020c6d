package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQueryAndAutocodeMistakes: a malformed query or pattern is a usage
// error (exit 2), an unknown name an error (exit 1); either way the
// project file is byte-for-byte what it was.
func TestQueryAndAutocodeMistakes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	mustRun(t, "-p", db, "demo")
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args  []string
		code  int
		lines int
		msg   string
	}{
		{[]string{"query", `code:"Fear of losing benefits" AND (role=patient`, "--save", "x"}, exitUsage, 3, "column 36: this ( is never closed"},
		{[]string{"query", `code:"Fear of losing benefit"`, "--save", "x"}, exitError, 3, `no code "Fear of losing benefit"`},
		{[]string{"query", "--run", "x"}, exitError, 1, `no saved query "x"`},
		{[]string{"search", "--regex", "a{2,1}"}, exitUsage, 1, "invalid regular expression"},
		{[]string{"search", "NAV", "--speaker", "Nobody"}, exitError, 1, `no participant "Nobody"`},
		{[]string{"autocode", "--match", "NAV", "--code", "Fear of losing benefit"}, exitError, 1, `no code "Fear of losing benefit"`},
		{[]string{"autocode", "--match", "NAV", "--regex", "NAV", "--code", "Fear of losing benefits"}, exitUsage, 1, "not both"},
		{[]string{"undo", "--batch", "0000"}, exitError, 1, `no batch "0000"`},
	} {
		var out, errb bytes.Buffer
		code := run(append([]string{"-p", db}, c.args...), strings.NewReader(""), &out, &errb)
		msg := strings.TrimRight(errb.String(), "\n")
		if code != c.code || !strings.Contains(msg, c.msg) || strings.Count(msg, "\n")+1 != c.lines {
			t.Errorf("qcode %v: exit %d, stderr %q; want exit %d, %d line(s) with %q", c.args, code, msg, c.code, c.lines, c.msg)
		}
		after, _ := os.ReadFile(db)
		if !bytes.Equal(before, after) {
			t.Fatalf("qcode %v changed the project file", c.args)
		}
	}
}
