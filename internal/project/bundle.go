package project

import (
	"fmt"
	"slices"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/store"
)

// Bundle is a whole project held in memory, independent of any file: what
// `qcode merge` reads out of another coder's project, what a REFI-QDA import
// produces and what a REFI-QDA export is written from. Bringing a Bundle into
// a project (matching documents by text SHA-256, participants by label,
// codes by the codebook merge rules, codings by id) is one operation used by
// merge and by qdpx import alike.
type Bundle struct {
	// Name is where the bundle came from (a file name), for messages.
	Name         string
	Memo         string
	Codebook     *codebook.Codebook
	Documents    []BundleDocument
	Participants []Participant
	Codings      []Coding
	// Coders lists every coder known to the source, including those with no
	// codings (REFI-QDA users).
	Coders []string
}

// BundleDocument is a document with its text. Turns name participants by the
// ids used in Bundle.Participants; codings name documents and codes by the
// ids used in the bundle. Text must already be normalised as at import
// (UTF-8, LF line ends): offsets of turns and codings are rune offsets
// into it, and its SHA-256 is what documents are matched by.
type BundleDocument struct {
	Document
	Text string
}

// Bundle reads the whole project — documents with their text,
// participants, the codebook, every coding, the coders and the project memo
// — in one read transaction, so it is a consistent picture even while
// another process codes.
func (p *Project) Bundle() (*Bundle, error) {
	b := &Bundle{Name: p.Path()}
	err := p.view(func(tx *store.Tx) error {
		*b = Bundle{Name: p.Path(), Memo: tx.Memo()}
		var err error
		if b.Codebook, err = readCodebook(tx); err != nil {
			return err
		}
		docs, err := tx.Documents()
		if err != nil {
			return err
		}
		b.Documents = make([]BundleDocument, 0, len(docs))
		for _, d := range docs {
			text, err := tx.Text(d.ID)
			if err != nil {
				return fmt.Errorf("document %s (%s): text: %w", d.Name, d.ID, err)
			}
			b.Documents = append(b.Documents, BundleDocument{Document: d, Text: text})
		}
		if b.Participants, err = tx.Participants(); err != nil {
			return err
		}
		coders := map[string]bool{}
		err = tx.ForEachCoding(func(c *Coding) error {
			b.Codings = append(b.Codings, *c)
			coders[c.Coder] = true
			return nil
		})
		for c := range coders {
			b.Coders = append(b.Coders, c)
		}
		slices.Sort(b.Coders)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading project %s: %w", p.Path(), err)
	}
	return b, nil
}

// ReadBundle reads the project file at path without changing it in any
// way: it is opened read-only (other readers may share it), and a file of
// an older schema is upgraded in a private temporary copy rather than in
// place. A file from a newer qcode, or one that is not a project, is
// refused with the store's message naming it.
func ReadBundle(path string) (*Bundle, error) {
	p, err := Open(path, Options{ReadOnly: true, NoWrite: true})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return p.Bundle()
}
