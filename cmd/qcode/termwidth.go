package main

import (
	"io"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// termWidth is the width tables are fitted to: $COLUMNS when set, else the
// terminal's width when stdout is one, else 0 (piped: no fitting).
func termWidth(stdout io.Writer) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	f, ok := stdout.(*os.File)
	if !ok {
		return 0
	}
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 {
		return 0
	}
	return int(ws.Col)
}
