package project

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/qcode-qda/qcode/internal/store"
)

// ExportProjectOptions control ExportProject.
type ExportProjectOptions struct {
	// Coder, if set, keeps only this coder's codings (matched ignoring
	// case): the copy for one coder of a team, who then codes without
	// seeing anyone else's codings. "" keeps every coding.
	Coder string
	// Force replaces an existing file at the destination.
	Force bool
}

// ExportProjectResult says what the copy holds.
type ExportProjectResult struct {
	Path    string
	Kept    int // codings in the copy
	Removed int // codings of other coders left out
}

// ExportProject writes a copy of the project to dest for a coder to work
// in: every document, participant, code, memo and fidelity score, and the
// codings opt asks for. The copy is written from one read transaction to a
// temporary file beside dest (mode 0600) and renamed into place, so dest
// is never half-written; an existing dest is replaced only with Force.
func (p *Project) ExportProject(dest string, opt ExportProjectOptions) (*ExportProjectResult, error) {
	if info, err := os.Stat(dest); err == nil {
		if self, err2 := os.Stat(p.Path()); err2 == nil && os.SameFile(info, self) {
			return nil, userErr("%s is this project itself; choose another file", dest)
		}
		if !opt.Force {
			return nil, userErr("%s already exists; pass --force to replace it", dest)
		}
		if !info.Mode().IsRegular() {
			return nil, userErr("%s is not a regular file", dest)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", dest, err)
	}
	tmp := filepath.Join(filepath.Dir(dest), fmt.Sprintf(".%s.exporting-%d", filepath.Base(dest), os.Getpid()))
	compact := tmp + ".compact"
	os.Remove(tmp)
	os.Remove(compact)
	defer os.Remove(tmp)
	defer os.Remove(compact)
	res, err := p.exportTo(tmp, opt)
	final := tmp
	if err == nil && res.Removed > 0 {
		// Dropping codings leaves their pages free inside the file; a
		// compacted copy is as small as what it holds.
		err, final = store.Compact(tmp, compact), compact
	}
	if err == nil {
		err = os.Chmod(final, 0o600)
	}
	if err == nil {
		err = os.Rename(final, dest)
	}
	if err != nil {
		return nil, fmt.Errorf("export to %s: %w", dest, err)
	}
	res.Path = dest
	return res, nil
}

// exportTo writes a copy of the project to tmp and removes the codings
// opt leaves out.
func (p *Project) exportTo(tmp string, opt ExportProjectOptions) (*ExportProjectResult, error) {
	if err := p.st.Backup(tmp); err != nil {
		if cause := errors.Unwrap(err); cause != nil {
			err = cause // the reason, without the temporary file's name
		}
		return nil, err
	}
	cp, err := Open(tmp, Options{})
	if err != nil {
		return nil, err
	}
	res := &ExportProjectResult{}
	err = cp.update(func(tx *store.Tx) error {
		*res = ExportProjectResult{}
		var keep []Coding
		err := tx.ForEachCoding(func(c *Coding) error {
			if opt.Coder == "" || strings.EqualFold(c.Coder, opt.Coder) {
				keep = append(keep, *c)
			} else {
				res.Removed++
			}
			return nil
		})
		if err != nil || res.Removed == 0 {
			res.Kept = len(keep)
			return err
		}
		res.Kept = len(keep)
		return tx.ReplaceCodings(keep)
	})
	if cerr := cp.Close(); err == nil {
		err = cerr
	}
	return res, err
}
