package tui

import (
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/qcode-qda/qcode/internal/project"
)

// session is the TUI's only way to the project file. It opens the file for
// the length of one operation and closes it again, so that `qcode report`,
// `qcode codings` and even `qcode code` work from a second terminal while
// the TUI is open (bbolt lets one process hold the file at a time). It
// remembers the file's size and modification time after each of its own
// operations; when they differ later, another process changed the file and
// the TUI reloads.
type session struct {
	path string
	mu   sync.Mutex // one operation at a time: two opens of one file in a process would block each other
	seen stamp
	log  *slog.Logger // nil: no logging
}

type stamp struct {
	size int64
	mod  time.Time
}

func statFile(path string) stamp {
	fi, err := os.Stat(path)
	if err != nil {
		return stamp{}
	}
	return stamp{fi.Size(), fi.ModTime()}
}

// read runs fn on the project opened read-only (a shared lock).
func (s *session) read(fn func(*project.Project) error) error {
	return s.with(true, fn)
}

// write runs fn on the project opened for writing; each project call in fn
// is its own transaction, stored before it returns.
func (s *session) write(fn func(*project.Project) error) error {
	return s.with(false, fn)
}

func (s *session) with(readOnly bool, fn func(*project.Project) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	p, err := project.Open(s.path, project.Options{ReadOnly: readOnly})
	if err == nil {
		err = fn(p)
		if cerr := p.Close(); err == nil {
			err = cerr
		}
	}
	s.seen = statFile(s.path)
	if s.log != nil {
		s.log.Info("project access", "write", !readOnly, "took", time.Since(start), "err", err)
	}
	return err
}

// changed reports whether another process wrote the file since the
// session's last operation.
func (s *session) changed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return statFile(s.path) != s.seen
}
