package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputChangesNothing: every bad file gets one clear line naming it,
// exit 1, and the project file is byte-for-byte what it was — even when a
// good file is imported in the same call.
func TestBadInputChangesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "study.db")
	good := filepath.Join(dir, "good.txt")
	os.WriteFile(good, []byte("Interviewer: Hello.\nP1: Hi there.\nInterviewer: Bye.\nP1: Bye now.\n"), 0o600)
	mustRun(t, "-p", db, "init")
	mustRun(t, "-p", db, "import", good)
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}

	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	huge := filepath.Join(dir, "recording.txt")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(200 << 20) // sparse: 200 MB without using the disk
	f.Close()

	// One line of 100 MB of real words (no line break anywhere), and one
	// of NUL bytes inside an otherwise normal transcript.
	oneLine := write("one-line.txt", bytes.Repeat([]byte("employer contact disclosure benefits "), 100<<20/37+1))
	nul := write("nul.txt", []byte("Interviewer: Hello.\nP1: Hi\x00\x00 there.\n"))

	other := write("other.txt", []byte("Interviewer: A new one.\nP2: Yes.\nInterviewer: Ok.\nP2: Fine.\n"))
	cases := []struct {
		file string
		want string
	}{
		{write("empty.txt", nil), "empty"},
		{write("photo.txt", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 600)...)), "binary"},
		{write("broken.docx", []byte("this is not a zip file at all")), "not a Word .docx file"},
		{write("mystery.txt", []byte("Interviewer: caf\xe9\nP1: \x81\x8d\x8f\x90\x9d\n")), "neither UTF-8 nor Windows-1252"},
		{huge, "200 MB"},
		{oneLine, "100 MB"},
		{nul, "binary"},
		{write("slides.pptx", []byte("PK\x03\x04")), "unsupported file type"},
		{filepath.Join(dir, "missing.txt"), "no such file"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run([]string{"-p", db, "import", other, c.file}, strings.NewReader(""), &out, &errb)
		msg := strings.TrimSpace(errb.String())
		if code != exitError {
			t.Errorf("%s: exit %d, want 1", c.file, code)
		}
		if !strings.Contains(msg, c.file) || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: message %q should be one line naming the file and saying %q", c.file, msg, c.want)
		}
		after, _ := os.ReadFile(db)
		if !bytes.Equal(before, after) {
			t.Fatalf("%s: the project file changed after a failed import", c.file)
		}
	}
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(args, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("qcode %v: exit %d: %s", args, code, errb.String())
	}
	return out.String()
}
