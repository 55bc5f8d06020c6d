package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qcode-qda/qcode/internal/project"
)

var crashKills = flag.Int("crash.kills", 12, "SIGKILLs in TestCrashSafety (the long form uses 200 or more)")

// codeLoop is the "codeloop" test command: N codings of consecutive
// five-character spans, one transaction each, acknowledged on stdout only
// after Code returns.
func codeLoop(args []string) int {
	n, _ := strconv.Atoi(args[4])
	p, err := project.Open(args[0], project.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer p.Close()
	out := bufio.NewWriter(os.Stdout)
	for i := 0; i < n; i++ {
		made, err := p.Code(project.CodeRequest{Doc: args[1], Code: args[2], Coder: args[3], Target: project.Target{Range: &[2]int{i, i + 5}}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Fprintf(out, "ack %s\n", made[0].ID)
		out.Flush() // the harness must see every acknowledgement
	}
	return 0
}

// TestCrashSafety kills real qcode processes with SIGKILL at random points
// while they code, through the project API and through the CLI. After each
// kill the project must pass `check`, and every coding that was
// acknowledged must be there. -crash.kills=200 runs the long form.
func TestCrashSafety(t *testing.T) {
	qcodeBin, err := exec.LookPath("qcode")
	if err != nil {
		t.Skip("the qcode test command is not on PATH (run through go test)")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "crash.db")
	os.WriteFile(filepath.Join(dir, "cb.yaml"), []byte("name: c\ncodes:\n  - name: Theme\n    description: x\n"), 0o600)
	var text strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&text, "Interviewer: Question %d about work and benefits?\nP1: Answer %d, about the employer and the team.\n", i, i)
	}
	os.WriteFile(filepath.Join(dir, "long.txt"), []byte(text.String()), 0o600)
	for _, args := range [][]string{{"init", "--codebook", filepath.Join(dir, "cb.yaml")}, {"import", filepath.Join(dir, "long.txt")}} {
		if out, err := exec.Command(qcodeBin, append([]string{"-p", db}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("qcode %v: %v\n%s", args, err, out)
		}
	}
	rng := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	acked := map[string]bool{}
	cliCoded := 0
	for kill := 0; kill < *crashKills; kill++ {
		var cmd *exec.Cmd
		coder := fmt.Sprintf("crash-%d", kill)
		viaCLI := kill%3 == 2
		if viaCLI {
			// One CLI coding; killed before, during or after its commit.
			cmd = exec.Command(qcodeBin, "-p", db, "--coder", coder, "code", "long", "--code", "Theme", "--turn", strconv.Itoa(1+kill))
		} else {
			cmd = exec.Command(filepath.Join(filepath.Dir(qcodeBin), "codeloop"), db, "long", "Theme", coder, "100000")
		}
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acks := make(chan string, 1<<16)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if id, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
					acks <- id
				} else if id := uuidRE.FindString(sc.Text()); id != "" {
					acks <- id // the CLI printed the new coding: acknowledged
				}
			}
			close(acks)
		}()
		time.Sleep(time.Duration(5+rng.IntN(120)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		for id := range acks {
			acked[id] = true
		}
		if viaCLI && cmd.ProcessState.ExitCode() == 0 {
			cliCoded++
		}
		// The project opens, checks clean, and holds every acknowledged coding.
		p, err := project.Open(db, project.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("after kill %d the project does not open: %v", kill, err)
		}
		problems, err := p.Check(0)
		if err != nil || len(problems) > 0 {
			t.Fatalf("after kill %d: check: %v %v", kill, err, problems)
		}
		cs, err := p.Codings(project.CodingFilter{})
		p.Close()
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, c := range cs {
			have[c.ID] = true
		}
		for id := range acked {
			if !have[id] {
				t.Fatalf("after kill %d an acknowledged coding %s is lost", kill, id)
			}
		}
	}
	if len(acked) == 0 {
		t.Fatal("no coding was ever acknowledged: the harness tested nothing")
	}
	t.Logf("%d kills, %d acknowledged codings all present, %d CLI codings completed before their kill", *crashKills, len(acked), cliCoded)
}
