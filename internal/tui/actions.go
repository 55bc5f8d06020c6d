package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/project"
)

// An action is one stored change that undo can take back: codings added,
// codings removed, or a memo changed. Undo and redo replay the inverse or
// the change itself, each in one transaction; they put codings back with
// their original ids and timestamps.
type action struct {
	kind    actionKind
	codings []project.Coding // added or removed; for a memo change, the coding before it
	memo    string           // for a memo change, the memo after it
	label   string           // for messages: "coding of Benefits fear"
}

type actionKind int

const (
	actCode actionKind = iota
	actUncode
	actMemo
)

// saveCmd runs fn against the project, then reads the document's codings
// back so that the screen shows what is stored.
func (m *Model) saveCmd(docID string, fn func(p *project.Project, msg *savedMsg) error) tea.Cmd {
	s, now := m.sess, m.now
	return func() tea.Msg {
		msg := savedMsg{docID: docID}
		msg.err = s.write(func(p *project.Project) error {
			if err := fn(p, &msg); err != nil {
				return err
			}
			msg.at = now()
			if docID == "" {
				return nil
			}
			var err error
			msg.codings, err = p.DocumentCodings(docID)
			return err
		})
		return msg
	}
}

// applyCode codes the selection with a code.
func (m *Model) applyCode(c codebook.Code) tea.Cmd {
	if c.Grouping {
		return m.flash(fmt.Sprintf("%q groups other codes and is not applied to text", c.Name), true)
	}
	doc := m.tr.Document()
	start, end, ok := m.tr.Selection()
	if doc == nil || !ok {
		return m.flash("nothing selected to code", true)
	}
	coder, unit := m.coder, m.tr.Cursor()+1
	m.tr.ClearSelection()
	return m.saveCmd(doc.ID, func(p *project.Project, msg *savedMsg) error {
		made, err := p.Code(project.CodeRequest{Doc: doc.ID, Code: c.ID, Coder: coder, Target: project.Target{Range: &[2]int{start, end}}})
		if err != nil {
			return err
		}
		msg.act = action{kind: actCode, codings: made, label: "coding of " + c.Name}
		msg.status = fmt.Sprintf("coded %s (turn %d, %d characters)", c.Name, unit, end-start)
		return nil
	})
}

// removeCodings removes codings (x).
func (m *Model) removeCodings(cs []project.Coding) tea.Cmd {
	doc := m.tr.Document()
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	label := m.codingLabel(cs)
	return m.saveCmd(doc.ID, func(p *project.Project, msg *savedMsg) error {
		gone, err := p.UncodeAll(ids)
		if err != nil {
			return err
		}
		msg.act = action{kind: actUncode, codings: gone, label: label}
		msg.status = "removed " + label
		return nil
	})
}

// setMemo stores a coding's memo (m).
func (m *Model) setMemo(c project.Coding, memo string) tea.Cmd {
	label := m.codingLabel([]project.Coding{c})
	return m.saveCmd(c.DocID, func(p *project.Project, msg *savedMsg) error {
		before, err := p.SetCodingMemo(c.ID, memo)
		if err != nil {
			return err
		}
		msg.act = action{kind: actMemo, codings: []project.Coding{before}, memo: memo, label: "memo of " + label}
		msg.status = "memo saved on " + label
		return nil
	})
}

// replay stores an action (redo) or its inverse (undo).
func (m *Model) replay(a action, undo bool) tea.Cmd {
	docID := ""
	if d := m.tr.Document(); d != nil {
		docID = d.ID
	}
	return m.saveCmd(docID, func(p *project.Project, msg *savedMsg) error {
		msg.act, msg.undoing, msg.redoing = a, undo, !undo
		ids := make([]string, len(a.codings))
		for i, c := range a.codings {
			ids[i] = c.ID
		}
		var err error
		switch {
		case a.kind == actMemo && undo:
			_, err = p.SetCodingMemo(a.codings[0].ID, a.codings[0].Memo)
		case a.kind == actMemo:
			_, err = p.SetCodingMemo(a.codings[0].ID, a.memo)
		case (a.kind == actCode) == undo:
			_, err = p.UncodeAll(ids)
		default:
			err = p.RestoreCodings(a.codings)
		}
		verb := "redone: "
		if undo {
			verb = "undone: "
		}
		msg.status = verb + a.label
		return err
	})
}

// addCode creates a code from the new-code form's answers.
func (m *Model) addCode(name, parent, polarity, link string) tea.Cmd {
	pol, err := codebook.ParsePolarity(polarity)
	if err != nil {
		return m.flash(err.Error(), true)
	}
	c := codebook.Code{Name: name, Polarity: pol}
	if link != "" {
		for _, l := range strings.FieldsFunc(link, func(r rune) bool { return r == ',' || r == ' ' }) {
			if err := codebook.CheckLink(l); err != nil {
				return m.flash(err.Error(), true)
			}
			c.Links = append(c.Links, l)
		}
	}
	return m.saveCmd("", func(p *project.Project, msg *savedMsg) error {
		made, err := p.AddCode(c, parent)
		if err != nil {
			return err
		}
		if msg.codebook, err = p.Codebook(); err != nil {
			return err
		}
		// Not on the undo stack (msg.act stays empty): codes are removed
		// with `qcode codebook rm`, which guards codes in use.
		msg.selectID = made.ID
		msg.status = "added code " + made.Name
		return nil
	})
}

func (m *Model) codingLabel(cs []project.Coding) string {
	if len(cs) == 1 {
		return "coding of " + m.codeName(cs[0].CodeID)
	}
	return fmt.Sprintf("%d codings", len(cs))
}

func (m *Model) codeName(id string) string {
	if l, ok := m.looks[id]; ok {
		return l.Name
	}
	return "(unknown code)"
}

// flashMsg shows a message in the status bar.
type flashMsg struct {
	text  string
	isErr bool
}

func (m *Model) flash(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return flashMsg{text, isErr} }
}

// errorText turns a failed save into the status line's message.
func errorText(err error) string {
	switch {
	case err == nil:
		return ""
	case strings.Contains(err.Error(), "in use by another qcode process"):
		return "not saved: the project is in use by another qcode process; try again in a moment"
	}
	return "not saved: " + err.Error()
}
