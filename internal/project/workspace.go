package project

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/qcode-qda/qcode/internal/store"
)

// The calls in this file serve an interactive client (the TUI): undo needs
// to remove several codings at once and to put removed ones back exactly as
// they were, ids and timestamps included.

// DocumentCodings returns a document's codings ordered by start, end, code
// and coder.
func (p *Project) DocumentCodings(docID string) ([]Coding, error) {
	var out []Coding
	err := p.view(func(tx *store.Tx) error {
		var err error
		out, err = tx.CodingsOfDocument(docID)
		return err
	})
	slices.SortFunc(out, func(a, b Coding) int {
		switch {
		case a.Start != b.Start:
			return a.Start - b.Start
		case a.End != b.End:
			return a.End - b.End
		case a.CodeID != b.CodeID:
			return strings.Compare(a.CodeID, b.CodeID)
		}
		return strings.Compare(a.Coder, b.Coder)
	})
	return out, err
}

// UncodeAll removes codings by id in one transaction: all of them or none.
// It returns the removed codings so that a client can put them back.
func (p *Project) UncodeAll(ids []string) ([]Coding, error) {
	var out []Coding
	err := p.update(func(tx *store.Tx) error {
		out = out[:0]
		for _, id := range ids {
			c, err := tx.Coding(id)
			if err != nil {
				return userErr("coding %s no longer exists (removed by another qcode process?)", id)
			}
			if err := tx.DeleteCoding(id); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// RestoreCodings puts codings back exactly as given (ids, coder, memo and
// timestamps), in one transaction. Their document and code must still
// exist and the span must lie within the document.
func (p *Project) RestoreCodings(cs []Coding) error {
	return p.update(func(tx *store.Tx) error {
		for _, c := range cs {
			d, err := tx.Document(c.DocID)
			if err != nil {
				return userErr("cannot restore coding %s: its document is gone", c.ID)
			}
			if _, err := tx.Code(c.CodeID); err != nil {
				return userErr("cannot restore coding %s: its code is gone", c.ID)
			}
			if c.Start < 0 || c.End > d.Runes || c.Start >= c.End {
				return userErr("cannot restore coding %s: span %d:%d is outside %s", c.ID, c.Start, c.End, d.Name)
			}
		}
		err := tx.PutCodings(cs)
		if errors.Is(err, store.ErrDuplicateCoding) {
			return userErr("cannot restore: the same coding exists again (added by another qcode process?)")
		}
		return err
	})
}

// SetCodingMemo replaces a coding's memo and returns the coding as it was
// before, so that the change can be undone.
func (p *Project) SetCodingMemo(id, memo string) (before Coding, err error) {
	err = p.update(func(tx *store.Tx) error {
		c, err := tx.Coding(id)
		if err != nil {
			return userErr("coding %s no longer exists (removed by another qcode process?)", id)
		}
		before = c
		c.Memo = memo
		c.Updated = time.Now().UTC()
		return tx.PutCoding(c)
	})
	return before, err
}
