package project

import (
	"fmt"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/store"
)

// changeCodebook runs fn on the project's codebook inside one transaction,
// then refuses the change if it introduced a lint error (a clashing name or
// hotkey, an unknown framework link, a cycle): the codebook in the project
// stays as valid as it was. fn returns the codes to store and the ids to
// delete.
func (p *Project) changeCodebook(fn func(tx *store.Tx, cb *codebook.Codebook, ix *codebook.Index) (put []codebook.Code, del []string, err error)) error {
	return p.update(func(tx *store.Tx) error {
		cb, err := readCodebook(tx)
		if err != nil {
			return err
		}
		before := lintErrors(cb)
		put, del, err := fn(tx, cb, codebook.NewIndex(cb.Codes))
		if err != nil {
			return err
		}
		after := applyCodes(cb, put, del)
		for key, prob := range lintErrors(after) {
			if _, had := before[key]; !had {
				return userErr("%s", problemText(prob))
			}
		}
		for _, id := range del {
			if err := tx.DeleteCode(id); err != nil {
				return err
			}
		}
		for _, c := range put {
			if err := tx.PutCode(c); err != nil {
				return err
			}
		}
		return nil
	})
}

func lintErrors(cb *codebook.Codebook) map[string]codebook.Problem {
	out := map[string]codebook.Problem{}
	for _, pr := range codebook.Lint(cb) {
		if pr.Severity == "error" {
			out[pr.Rule+"\x00"+pr.CodeID+"\x00"+pr.Message] = pr
		}
	}
	return out
}

func problemText(pr codebook.Problem) string {
	if pr.Code != "" && !strings.Contains(pr.Message, pr.Code) {
		return fmt.Sprintf("code %q: %s", pr.Code, pr.Message)
	}
	return pr.Message
}

// applyCodes returns a copy of cb with put stored (replacing same ids) and
// del removed, keeping the codebook's order.
func applyCodes(cb *codebook.Codebook, put []codebook.Code, del []string) *codebook.Codebook {
	out := *cb
	out.Codes = nil
	gone := map[string]bool{}
	for _, id := range del {
		gone[id] = true
	}
	replaced := map[string]codebook.Code{}
	for _, c := range put {
		replaced[c.ID] = c
	}
	for _, c := range cb.Codes {
		if gone[c.ID] {
			continue
		}
		if r, ok := replaced[c.ID]; ok {
			c = r
			delete(replaced, c.ID)
		}
		out.Codes = append(out.Codes, c)
	}
	for _, c := range put {
		if _, ok := replaced[c.ID]; ok {
			out.Codes = append(out.Codes, c)
		}
	}
	return &out
}

func findCode(ix *codebook.Index, ref string) (*codebook.Code, error) {
	c, err := ix.Find(ref)
	if err != nil {
		return nil, &UserError{Msg: err.Error()}
	}
	return c, nil
}

// CodeEdit lists the fields to change; nil fields stay as they are.
type CodeEdit struct {
	Name, Description, Inclusion, Exclusion, Example, Colour, Hotkey, Memo *string
	Polarity                                                               *codebook.Polarity
	Links                                                                  *[]string
	Grouping                                                               *bool
}

// EditCode changes a code's fields.
func (p *Project) EditCode(ref string, e CodeEdit) (codebook.Code, error) {
	var out codebook.Code
	err := p.changeCodebook(func(_ *store.Tx, _ *codebook.Codebook, ix *codebook.Index) ([]codebook.Code, []string, error) {
		c, err := findCode(ix, ref)
		if err != nil {
			return nil, nil, err
		}
		out = *c
		for _, f := range []struct {
			dst *string
			src *string
		}{{&out.Name, e.Name}, {&out.Description, e.Description}, {&out.Inclusion, e.Inclusion}, {&out.Exclusion, e.Exclusion}, {&out.Example, e.Example}, {&out.Colour, e.Colour}, {&out.Hotkey, e.Hotkey}, {&out.Memo, e.Memo}} {
			if f.src != nil {
				*f.dst = strings.TrimSpace(*f.src)
			}
		}
		if e.Polarity != nil {
			out.Polarity = *e.Polarity
		}
		if e.Links != nil {
			out.Links = append([]string(nil), (*e.Links)...)
		}
		if e.Grouping != nil {
			out.Grouping = *e.Grouping
		}
		return []codebook.Code{out}, nil, nil
	})
	return out, err
}

// MoveCode re-parents a code (with its sub-codes); parentRef "" makes it a
// top-level code.
func (p *Project) MoveCode(ref, parentRef string) (codebook.Code, error) {
	var out codebook.Code
	err := p.changeCodebook(func(_ *store.Tx, _ *codebook.Codebook, ix *codebook.Index) ([]codebook.Code, []string, error) {
		c, err := findCode(ix, ref)
		if err != nil {
			return nil, nil, err
		}
		out = *c
		out.ParentID = ""
		if parentRef != "" {
			parent, err := findCode(ix, parentRef)
			if err != nil {
				return nil, nil, err
			}
			for _, id := range ix.Subtree(c.ID) {
				if id == parent.ID {
					return nil, nil, userErr("cannot move %q under itself or one of its sub-codes", ix.Path(c.ID))
				}
			}
			out.ParentID = parent.ID
		}
		return []codebook.Code{out}, nil, nil
	})
	return out, err
}

// RemoveOptions say what happens to the codings of removed codes.
type RemoveOptions struct {
	ReassignTo string // move the codings to this code (merging two codes into one)
	Force      bool   // delete the codings
}

// RemoveResult says what RemoveCode did.
type RemoveResult struct {
	Removed    []string // paths of the removed codes (the code and its sub-codes)
	Reassigned int      // codings moved to ReassignTo
	Merged     int      // codings dropped because the same coder already had ReassignTo on that span
	Deleted    int      // codings deleted (Force)
}

// RemoveCode removes a code and its sub-codes. If they have codings it
// refuses unless the codings are reassigned to another code (which is how
// two codes are merged into one) or Force deletes them.
func (p *Project) RemoveCode(ref string, opt RemoveOptions) (*RemoveResult, error) {
	res := &RemoveResult{}
	err := p.changeCodebook(func(tx *store.Tx, _ *codebook.Codebook, ix *codebook.Index) ([]codebook.Code, []string, error) {
		*res = RemoveResult{}
		c, err := findCode(ix, ref)
		if err != nil {
			return nil, nil, err
		}
		subtree := ix.Subtree(c.ID)
		gone := map[string]bool{}
		for _, id := range subtree {
			gone[id] = true
			res.Removed = append(res.Removed, ix.Path(id))
		}
		var to *codebook.Code
		if opt.ReassignTo != "" {
			if to, err = findCode(ix, opt.ReassignTo); err != nil {
				return nil, nil, err
			}
			if gone[to.ID] {
				return nil, nil, userErr("cannot reassign codings to %q: it is being removed", ix.Path(to.ID))
			}
		}
		var affected []Coding
		err = tx.ForEachCoding(func(cd *Coding) error {
			if gone[cd.CodeID] {
				affected = append(affected, *cd)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		if len(affected) > 0 && to == nil && !opt.Force {
			return nil, nil, userErr("%q has %d coding(s); pass --reassign TO to move them to another code, or --force to delete them", ix.Path(c.ID), len(affected))
		}
		for _, cd := range affected {
			if err := tx.DeleteCoding(cd.ID); err != nil {
				return nil, nil, err
			}
			if to == nil {
				res.Deleted++
				continue
			}
			cd.CodeID = to.ID
			switch err := tx.PutCoding(cd); err {
			case nil:
				res.Reassigned++
			case store.ErrDuplicateCoding:
				res.Merged++ // the same coder already applied the target there
			default:
				return nil, nil, err
			}
		}
		return nil, subtree, nil
	})
	return res, err
}

// ImportCodebook merges a codebook file into the project's codebook: codes
// match by id, then by name under the same parent; new codes are added.
// Conflicting fields keep the project's value unless prefer is "theirs";
// every conflict is reported.
func (p *Project) ImportCodebook(in *codebook.Codebook, prefer string) (*codebook.MergeResult, error) {
	if _, err := p.backupIfNotEmpty("codebook-import"); err != nil {
		return nil, err
	}
	var res *codebook.MergeResult
	err := p.update(func(tx *store.Tx) error {
		ours, err := readCodebook(tx)
		if err != nil {
			return err
		}
		if res, err = codebook.Merge(ours, in, codebook.MergeOptions{Prefer: prefer}); err != nil {
			return &UserError{Msg: err.Error()}
		}
		return putMergedCodebook(tx, ours, res.Codebook)
	})
	return res, err
}

// putMergedCodebook replaces the project's codebook ours with the result
// of a merge: codes stored in the merged order, codes the merge dropped
// deleted, the name and description kept unless the project had none, the
// frameworks those of the merge.
func putMergedCodebook(tx *store.Tx, ours, merged *codebook.Codebook) error {
	keep := map[string]bool{}
	order := make([]string, 0, len(merged.Codes))
	for _, c := range merged.Codes {
		keep[c.ID] = true
		order = append(order, c.ID)
		if err := tx.PutCode(c); err != nil {
			return err
		}
	}
	for _, c := range ours.Codes {
		if !keep[c.ID] {
			if err := tx.DeleteCode(c.ID); err != nil {
				return err
			}
		}
	}
	if err := tx.SetCodeOrder(order); err != nil {
		return err
	}
	info, err := tx.CodebookInfo()
	if err != nil {
		return err
	}
	if info.Name == "" {
		info.Name, info.Description = merged.Name, merged.Description
	}
	info.Frameworks = merged.Frameworks
	return tx.PutCodebookInfo(info)
}

// Anchors returns imported official anchor texts by framework item id.
func (p *Project) Anchors() (map[string]string, error) {
	var m map[string]string
	err := p.view(func(tx *store.Tx) error {
		var err error
		m, err = tx.Anchors()
		return err
	})
	return m, err
}

// SetAnchors stores official anchor texts (item id -> text), replacing
// those of the same items.
func (p *Project) SetAnchors(anchors map[string]string) error {
	return p.update(func(tx *store.Tx) error {
		have, err := tx.Anchors()
		if err != nil {
			return err
		}
		for k, v := range anchors {
			have[k] = v
		}
		return tx.PutAnchors(have)
	})
}
