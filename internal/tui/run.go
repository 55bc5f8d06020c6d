package tui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"github.com/qcode-qda/qcode/internal/project"
)

// Run opens the workspace on a terminal until the user quits. The project
// is opened (and upgraded, if it is an older schema) once before the
// screen is taken, so that a missing or locked project is an ordinary
// one-line error. While running, nothing is written to stdout or stderr
// except the screen: the log goes to LogPath().
func Run(ctx context.Context, opt Options, in io.Reader, out io.Writer) error {
	if opt.Coder == "" {
		return fmt.Errorf("no coder: pass --coder NAME or set QCODE_CODER")
	}
	logFile, err := openLog()
	if err != nil {
		return err
	}
	defer logFile.Close()
	log := slog.New(slog.NewTextHandler(logFile, nil))
	m := New(opt)
	m.sess.log = log
	if err := m.sess.write(func(*project.Project) error { return nil }); err != nil {
		return err
	}
	log.Info("tui start", "project", opt.Path, "coder", opt.Coder)
	prog := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	if _, err := prog.Run(); err != nil {
		log.Error("tui stopped", "err", err)
		return err
	}
	log.Info("tui end")
	return m.Err()
}

// LogPath is where the TUI logs: $QCODE_LOG, else qcode/tui.log in the
// user's cache directory.
func LogPath() string {
	if p := os.Getenv("QCODE_LOG"); p != "" {
		return p
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "qcode", "tui.log")
}

func openLog() (*os.File, error) {
	p := LogPath()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, fmt.Errorf("log file %s: %w", p, err)
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("log file %s: %w", p, err)
	}
	return f, nil
}
