package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/qcode-qda/qcode/internal/project"
)

func TestMain(m *testing.M) {
	testscript.RunMain(m, map[string]func() int{
		"qcode": func() int { return run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr) },
		// holdlock PROJECT SECONDS: another process holding the project
		// open for writing, as a long-running qcode would.
		"holdlock": func() int {
			secs, _ := strconv.Atoi(os.Args[2])
			p, err := project.Open(os.Args[1], project.Options{})
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			fmt.Println("holding")
			os.WriteFile(os.Args[1]+".held", nil, 0o600) // tells the script it holds the lock
			time.Sleep(time.Duration(secs) * time.Second)
			p.Close()
			return 0
		},
		// codeloop PROJECT DOC CODE CODER N: apply N codings, one
		// transaction each, printing "ack ID" after each returns (and so
		// is durable); the crash test kills it at random moments.
		"codeloop": func() int { return codeLoop(os.Args[1:]) },
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script. Each runs
// in a fresh directory holding a copy of examples/ under examples/.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("QCODE_CODER", "amina")
			env.Setenv("QCODE_PROJECT", "")
			return copyDir(filepath.Join("..", "..", "examples"), filepath.Join(env.WorkDir, "examples"))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// grabbackup DIR REASON VAR: set VAR to the name of the first
			// backup in DIR made for REASON.
			"grabbackup": func(ts *testscript.TestScript, neg bool, args []string) {
				entries, err := os.ReadDir(ts.MkAbs(args[0]))
				ts.Check(err)
				for _, e := range entries {
					if strings.Contains(e.Name(), "-"+args[1]) {
						ts.Setenv(args[2], e.Name())
						return
					}
				}
				ts.Fatalf("no %s backup in %s", args[1], args[0])
			},
			// waitfile NAME: wait (up to 10 s) until NAME exists.
			"waitfile": func(ts *testscript.TestScript, neg bool, args []string) {
				deadline := time.Now().Add(10 * time.Second)
				for {
					if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
						return
					}
					if time.Now().After(deadline) {
						ts.Fatalf("%s did not appear", args[0])
					}
					time.Sleep(20 * time.Millisecond)
				}
			},
			// grabid FILE VAR: set VAR to the first 8 characters of the
			// first UUID in FILE (stdout, stderr or a file), to refer to a
			// coding or document the way a user would.
			"grabid": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: grabid FILE VAR")
				}
				m := uuidRE.FindString(ts.ReadFile(args[0]))
				if m == "" {
					ts.Fatalf("no id in %s", args[0])
				}
				ts.Setenv(args[1], m[:8])
			},
		},
	})
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"frobnicate"}, exitUsage, "unknown command"},
		{[]string{"docs", "--nope"}, exitUsage, "unknown flag"},
		{[]string{"--format", "xml", "docs"}, exitUsage, "--format"},
		{[]string{"show"}, exitUsage, "needs a document"},
		{[]string{"-p", db, "docs"}, exitError, "no project at " + db},
		{[]string{"-p", db, "init"}, exitOK, ""},
		{[]string{"-p", db, "init"}, exitError, "already exists"},
		{[]string{"-p", db, "show", "nothing"}, exitError, `no document "nothing"`},
		{[]string{"-p", db, "docs"}, exitOK, ""},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(c.args, strings.NewReader(""), &out, &errb)
		if code != c.code {
			t.Errorf("qcode %v: exit %d, want %d (stderr %q)", c.args, code, c.code, errb.String())
		}
		if c.msg != "" && !strings.Contains(errb.String(), c.msg) {
			t.Errorf("qcode %v: stderr %q lacks %q", c.args, errb.String(), c.msg)
		}
		if lines := strings.Count(strings.TrimSpace(errb.String()), "\n"); c.code != exitOK && lines > 0 {
			t.Errorf("qcode %v: error is %d lines, want one: %q", c.args, lines+1, errb.String())
		}
	}
}
