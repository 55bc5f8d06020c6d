package project

import "github.com/qcode-qda/qcode/internal/store"

// Memo returns the project memo.
func (p *Project) Memo() (string, error) {
	var m string
	err := p.view(func(tx *store.Tx) error { m = tx.Memo(); return nil })
	return m, err
}

// SetMemo replaces the project memo.
func (p *Project) SetMemo(m string) error {
	return p.update(func(tx *store.Tx) error { return tx.SetMemo(m) })
}
