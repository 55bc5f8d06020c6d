// Package project is the domain model of a qcode project and the one API
// that the CLI and the TUI go through: documents and their turns,
// participants, the codebook and codings. It enforces the invariants of
// DESIGN.md (UUIDs, immutable normalised text with its SHA-256, rune offsets,
// half-open ranges) and keeps bbolt behind internal/store.
package project

import (
	"errors"
	"fmt"

	"github.com/qcode-qda/qcode/internal/store"
)

// The stored records are the domain types; these aliases let clients name
// them without importing the store.
type (
	Document     = store.Document
	Turn         = store.Turn
	Participant  = store.Participant
	Coding       = store.Coding
	CodebookInfo = store.CodebookInfo
)

// Document kinds.
var Kinds = []string{"interview", "focus-group", "field-notes", "written-account", "other"}

// Re-exported store errors, for errors.Is in clients.
var (
	ErrInUse       = store.ErrInUse
	ErrNoProject   = store.ErrNoProject
	ErrNewerSchema = store.ErrNewerSchema
	ErrNotFound    = store.ErrNotFound
)

// Project is an open project file.
type Project struct {
	st *store.Store
}

// Options for Open.
type Options struct {
	ReadOnly  bool
	OnMigrate func(from, to int, backup string)
	// NoWrite (with ReadOnly) never changes the file, not even to upgrade
	// an older schema: that is done in a private temporary copy.
	NoWrite bool
}

// Create makes a new project file (mode 0600); it refuses to overwrite one.
func Create(path string) (*Project, error) {
	st, err := store.Create(path)
	if err != nil {
		return nil, err
	}
	return &Project{st: st}, nil
}

// Open opens an existing project.
func Open(path string, opt Options) (*Project, error) {
	st, err := store.Open(path, store.Options{ReadOnly: opt.ReadOnly, OnMigrate: opt.OnMigrate, NoWrite: opt.NoWrite})
	if err != nil {
		return nil, err
	}
	return &Project{st: st}, nil
}

// Path is the project file.
func (p *Project) Path() string { return p.st.Path() }

// Close releases the project file.
func (p *Project) Close() error { return p.st.Close() }

// view and update are the only ways this package touches the store.
func (p *Project) view(fn func(*store.Tx) error) error   { return p.st.View(fn) }
func (p *Project) update(fn func(*store.Tx) error) error { return p.st.Update(fn) }

// UserError is an error caused by what the user asked for (a name that does
// not exist, an ambiguous reference, a span out of range), as opposed to an
// I/O or storage failure.
type UserError struct{ Msg string }

func (e *UserError) Error() string { return e.Msg }

func userErr(format string, args ...any) error { return &UserError{Msg: fmt.Sprintf(format, args...)} }

// IsUserError reports whether err was caused by the request itself.
func IsUserError(err error) bool {
	var ue *UserError
	return errors.As(err, &ue)
}
