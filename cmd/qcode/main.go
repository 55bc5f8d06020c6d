// Command qcode is a terminal toolkit for qualitative coding of interview
// and focus-group transcripts. See README.md.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes (DESIGN.md): 0 ok, 1 any error, 2 usage error.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// run is main without os.Exit, so tests can run the CLI in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ue usageError
	isUsage := errors.As(err, &ue)
	if !errors.Is(err, errReported) { // else the command has already said what is wrong
		fmt.Fprintln(stderr, "qcode: "+oneLine(err.Error()))
	}
	if isUsage {
		return exitUsage
	}
	return exitError
}

// usageError marks a mistake in how the command was called.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// oneLine keeps every error to one line, as scripts and people expect.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
