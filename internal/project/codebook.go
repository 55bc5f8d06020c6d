package project

import (
	"strings"

	"github.com/google/uuid"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/store"
)

// Codebook returns the project's codebook.
func (p *Project) Codebook() (*codebook.Codebook, error) {
	var cb *codebook.Codebook
	err := p.view(func(tx *store.Tx) error {
		var err error
		cb, err = readCodebook(tx)
		return err
	})
	return cb, err
}

func readCodebook(tx *store.Tx) (*codebook.Codebook, error) {
	info, err := tx.CodebookInfo()
	if err != nil {
		return nil, err
	}
	codes, err := tx.Codes()
	if err != nil {
		return nil, err
	}
	return &codebook.Codebook{Name: info.Name, Description: info.Description, Frameworks: info.Frameworks, Codes: codes}, nil
}

// AddCodebook adds every code of cb to the project. A code whose path is
// already in the project is refused: adding a codebook does not merge.
// The project's codebook name and description are taken from cb when the
// project has none.
func (p *Project) AddCodebook(cb *codebook.Codebook) error {
	return p.update(func(tx *store.Tx) error {
		have, err := readCodebook(tx)
		if err != nil {
			return err
		}
		haveIx, newIx := codebook.NewIndex(have.Codes), codebook.NewIndex(cb.Codes)
		paths := map[string]bool{}
		for _, c := range have.Codes {
			paths[strings.ToLower(haveIx.Path(c.ID))] = true
		}
		for _, pr := range codebook.Lint(cb) {
			if pr.Severity == "error" {
				return userErr("%s", problemText(pr))
			}
		}
		for _, c := range cb.Codes {
			if path := newIx.Path(c.ID); paths[strings.ToLower(path)] {
				return userErr("code %q is already in the project's codebook", path)
			}
			if _, err := tx.Code(c.ID); err == nil {
				return userErr("code id %s is already in the project's codebook", c.ID)
			}
			if err := tx.PutCode(c); err != nil {
				return err
			}
		}
		info, err := tx.CodebookInfo()
		if err != nil {
			return err
		}
		if info.Name == "" {
			info.Name, info.Description = cb.Name, cb.Description
		}
		for _, fw := range cb.Frameworks {
			if !containsFold(info.Frameworks, fw) {
				info.Frameworks = append(info.Frameworks, fw)
			}
		}
		return tx.PutCodebookInfo(info)
	})
}

// AddCode adds one code under parentRef ("" for a top-level code). The
// change is refused if it would make the codebook invalid (a name taken
// among its siblings, a clashing hotkey, an unknown framework link).
func (p *Project) AddCode(c codebook.Code, parentRef string) (codebook.Code, error) {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || strings.Contains(c.Name, "/") {
		return c, userErr("code name %q must be non-empty and contain no \"/\"", c.Name)
	}
	err := p.changeCodebook(func(_ *store.Tx, _ *codebook.Codebook, ix *codebook.Index) ([]codebook.Code, []string, error) {
		if parentRef != "" {
			parent, err := findCode(ix, parentRef)
			if err != nil {
				return nil, nil, err
			}
			c.ParentID = parent.ID
		}
		for _, sib := range ix.Children(c.ParentID) {
			if strings.EqualFold(sib.Name, c.Name) {
				return nil, nil, userErr("code %q already exists", ix.Path(sib.ID))
			}
		}
		if c.ID == "" {
			c.ID = uuid.NewString()
		}
		return []codebook.Code{c}, nil, nil
	})
	return c, err
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
