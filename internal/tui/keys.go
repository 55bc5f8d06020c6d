package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/tui/dialog"
	"github.com/qcode-qda/qcode/internal/tui/listview"
)

// Dialog purposes.
const (
	dlgSearch     = "search"
	dlgMemo       = "memo"
	dlgPickMemo   = "pick-memo"
	dlgPickRemove = "pick-remove"
	dlgNewCode    = "new-code"
	dlgFindAll    = "find-all"
	dlgQuery      = "query"
)

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if msg.String() == "ctrl+c" {
		return m.quit()
	}
	m.status = "" // a message shows until the next key
	if m.dlg != nil {
		return m.onDialogKey(msg)
	}
	if !m.loaded {
		if key.Matches(msg, k.Quit) {
			return m.quit()
		}
		return nil
	}
	switch m.mode {
	case modeHelp:
		if key.Matches(msg, k.Quit) && msg.String() == "q" {
			return m.quit()
		}
		m.mode = modeMain // any other key closes the help
		return nil
	case modeRetrieve:
		return m.onRetrieveKey(msg)
	case modeReview:
		return m.onReviewKey(msg)
	case modeSummary:
		if key.Matches(msg, k.Escape) || key.Matches(msg, k.Summary) {
			m.mode = modeMain
			return nil
		}
		if key.Matches(msg, k.Quit) {
			return m.quit()
		}
		m.summary.Update(msg)
		return nil
	}
	// The codebook filter line takes every key while it is being typed.
	if m.focus == paneCodebook && m.cb.Editing() {
		_, cmd := m.cb.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		m.mode = modeHelp
		return nil
	case key.Matches(msg, k.NextPane):
		m.setFocus((m.focus + 1) % nPanes)
		return nil
	case key.Matches(msg, k.PrevPane):
		m.setFocus((m.focus + nPanes - 1) % nPanes)
		return nil
	case key.Matches(msg, k.Undo):
		return m.undoLast()
	case key.Matches(msg, k.Redo):
		return m.redoLast()
	case key.Matches(msg, k.Retrieve):
		c, ok := m.cb.Current()
		if !ok {
			return m.flash("no code highlighted in the codebook pane", true)
		}
		m.mode = modeRetrieve
		m.retrieve.SetItems(nil)
		return m.retrieveCmd(c)
	case key.Matches(msg, k.Review):
		m.mode = modeReview
		m.rev = nil
		return m.startReviewCmd()
	case key.Matches(msg, k.FindAll) || (m.focus == paneDocs && key.Matches(msg, k.Search)):
		var cmd tea.Cmd
		m.dlg, cmd = dialog.NewForm(m.st, dlgFindAll, "Search all documents", dialog.Field{Label: "Find (case-insensitive; accents folded)"})
		m.dlg.SetSize(m.width, m.height)
		return cmd
	case key.Matches(msg, k.Query):
		var cmd tea.Cmd
		m.dlg, cmd = dialog.NewForm(m.st, dlgQuery, "Query codings", dialog.Field{Label: "Query", Value: m.lastQuery,
			Hint: `e.g. code:"Fear of losing benefits" AND role=patient · code:Disclosure NEAR/2 code:"Employer contact"`})
		m.dlg.SetSize(m.width, m.height)
		return cmd
	case key.Matches(msg, k.Summary):
		m.mode = modeSummary
		m.summary.SetData(nil, nil)
		return m.summaryCmd()
	case key.Matches(msg, k.ApplyNumber) && m.focus != paneDocs:
		n := int(msg.String()[0] - '0')
		c, ok := m.cb.Numbered(n)
		if !ok {
			return m.flash(fmt.Sprintf("no code numbered %d in the codebook pane", n), true)
		}
		return m.write(m.applyCode(c))
	}
	if c, ok := m.hotkeyCode(msg); ok {
		return m.write(m.applyCode(c))
	}
	switch m.focus {
	case paneTranscript:
		return m.onTranscriptKey(msg)
	case paneCodebook:
		return m.onCodebookKey(msg)
	case paneDocs:
		return m.onDocsKey(msg)
	}
	return nil
}

// hotkeyCode finds the code whose hotkey was pressed: alt+KEY always, the
// bare KEY when it is not one of the TUI's own keys.
func (m *Model) hotkeyCode(msg tea.KeyPressMsg) (codebook.Code, bool) {
	if m.codebook == nil {
		return codebook.Code{}, false
	}
	s := msg.String()
	hk, ok := strings.CutPrefix(s, "alt+")
	if !ok {
		if m.keys.Reserved(s) || msg.Text == "" {
			return codebook.Code{}, false
		}
		hk = msg.Text
	}
	for _, c := range m.codebook.Codes {
		if c.Hotkey != "" && c.Hotkey == hk {
			return c, true
		}
	}
	return codebook.Code{}, false
}

func (m *Model) onTranscriptKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if m.tr.Update(msg) {
		return nil
	}
	switch {
	case key.Matches(msg, k.NextUncoded):
		if !m.tr.NextUncoded() {
			return m.flash("no uncoded turn after this one", false)
		}
	case key.Matches(msg, k.Search):
		var cmd tea.Cmd
		m.dlg, cmd = dialog.NewForm(m.st, dlgSearch, "Search this document", dialog.Field{Label: "Find (case and accents ignored)"})
		m.dlg.SetSize(m.width, m.height)
		return cmd
	case key.Matches(msg, k.Escape):
		m.tr.ClearSearch()
	case key.Matches(msg, k.Remove):
		cs := m.tr.CodingsUnderCursor()
		switch len(cs) {
		case 0:
			return m.flash("no coding here to remove", true)
		case 1:
			return m.write(m.removeCodings(cs))
		}
		m.pickCoding(dlgPickRemove, "Remove which coding?", cs)
	case key.Matches(msg, k.Memo):
		cs := m.tr.CodingsUnderCursor()
		switch len(cs) {
		case 0:
			return m.flash("no coding here: a memo belongs to a coding", true)
		case 1:
			return m.memoDialog(cs[0])
		}
		m.pickCoding(dlgPickMemo, "Memo on which coding?", cs)
	}
	return nil
}

func (m *Model) onCodebookKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Apply):
		c, ok := m.cb.Current()
		if !ok {
			return nil
		}
		return m.write(m.applyCode(c))
	case key.Matches(msg, k.NewCode):
		return m.newCodeDialog()
	}
	_, cmd := m.cb.Update(msg)
	return cmd
}

func (m *Model) onDocsKey(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.keys.Open) {
		it, ok := m.docs.Current()
		if !ok {
			return nil
		}
		return m.openDocCmd(it.Value.(string), nil)
	}
	m.docs.Update(msg)
	return nil
}

func (m *Model) onRetrieveKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Escape) || key.Matches(msg, k.Retrieve):
		m.mode = modeMain
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Open):
		it, ok := m.retrieve.Current()
		if !ok {
			return nil
		}
		j := it.Value.(jump)
		return m.openDocCmd(j.docID, &[2]int{j.start, j.end})
	default:
		m.retrieve.Update(msg)
	}
	return nil
}

func (m *Model) undoLast() tea.Cmd {
	if len(m.undo) == 0 {
		return m.flash("nothing to undo", false)
	}
	a := m.undo[len(m.undo)-1]
	m.undo = m.undo[:len(m.undo)-1]
	return m.write(m.replay(a, true))
}

func (m *Model) redoLast() tea.Cmd {
	if len(m.redo) == 0 {
		return m.flash("nothing to redo", false)
	}
	a := m.redo[len(m.redo)-1]
	m.redo = m.redo[:len(m.redo)-1]
	return m.write(m.replay(a, false))
}

func (m *Model) pickCoding(purpose, title string, cs []project.Coding) {
	items := make([]listview.Item, len(cs))
	text := []rune(m.tr.Document().Text)
	for i, c := range cs {
		excerpt := string(text[c.Start:min(c.End, c.Start+60)])
		excerpt = strings.Join(strings.Fields(excerpt), " ")
		t := fmt.Sprintf("%s · %s · %q", m.codeName(c.CodeID), c.Coder, excerpt)
		items[i] = listview.Item{Title: t, Plain: t, Value: c}
	}
	m.dlg = dialog.NewPicker(m.st, m.keys, purpose, title, items)
	m.dlg.SetSize(m.width, m.height)
}

func (m *Model) memoDialog(c project.Coding) tea.Cmd {
	var cmd tea.Cmd
	m.dlg, cmd = dialog.NewForm(m.st, dlgMemo, "Memo on the coding of "+m.codeName(c.CodeID), dialog.Field{Label: "Memo (empty removes it)", Value: c.Memo})
	m.dlg.Payload = c
	m.dlg.SetSize(m.width, m.height)
	return cmd
}

func (m *Model) newCodeDialog() tea.Cmd {
	var paths []string
	parent := ""
	if m.codebook != nil {
		ix := codebook.NewIndex(m.codebook.Codes)
		for _, c := range m.codebook.Codes {
			paths = append(paths, ix.Path(c.ID))
		}
		if c, ok := m.cb.Current(); ok {
			parent = ix.Path(c.ParentID)
			if c.Grouping {
				parent = ix.Path(c.ID)
			}
		}
	}
	var links []string
	for _, f := range codebook.Frameworks() {
		for _, it := range f.Items {
			links = append(links, it.ID)
		}
	}
	var cmd tea.Cmd
	m.dlg, cmd = dialog.NewForm(m.st, dlgNewCode, "New code",
		dialog.Field{Label: "Name"},
		dialog.Field{Label: "Parent (path; empty for top level)", Value: parent, Suggestions: paths},
		dialog.Field{Label: "Polarity", Hint: "barrier, facilitator, mixed or none", Suggestions: []string{"barrier", "facilitator", "mixed", "none"}},
		dialog.Field{Label: "Framework link", Hint: "e.g. ips25:13 or cfir2:II.F; empty for none", Suggestions: links},
	)
	m.dlg.SetSize(m.width, m.height)
	return cmd
}

func (m *Model) onDialogKey(msg tea.KeyPressMsg) tea.Cmd {
	res, cmd := m.dlg.Update(msg)
	d := m.dlg
	switch res {
	case dialog.Cancelled:
		m.dlg = nil
		return nil
	case dialog.Open:
		return cmd
	}
	m.dlg = nil
	switch d.Purpose {
	case dlgSearch:
		q := d.Values()[0]
		if n := m.tr.Search(q); n == 0 {
			return m.flash(fmt.Sprintf("%q not found in this document", q), true)
		} else {
			return m.flash(fmt.Sprintf("%d hits for %q · n next · N previous · esc clear", n, q), false)
		}
	case dlgFindAll:
		if q := d.Values()[0]; q != "" {
			m.mode = modeRetrieve
			m.retrieve.SetItems(nil)
			return m.findAllCmd(q)
		}
	case dlgQuery:
		if q := d.Values()[0]; q != "" {
			m.lastQuery = q
			m.mode = modeRetrieve
			m.retrieve.SetItems(nil)
			return m.queryCmd(q)
		}
	case dlgMemo:
		return m.write(m.setMemo(d.Payload.(project.Coding), d.Values()[0]))
	case dlgPickMemo:
		return m.memoDialog(d.Chosen().(project.Coding))
	case dlgPickRemove:
		return m.write(m.removeCodings([]project.Coding{d.Chosen().(project.Coding)}))
	case dlgNewCode:
		v := d.Values()
		if v[0] == "" {
			return m.flash("a code needs a name", true)
		}
		return m.write(m.addCode(v[0], v[1], v[2], v[3]))
	}
	return nil
}

// onMouse routes a mouse event to the pane under it, in the pane's own
// coordinates; a click also moves the focus there.
func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	if m.dlg != nil || !m.loaded {
		return nil
	}
	ms := msg.Mouse()
	if m.mode == modeRetrieve {
		m.retrieve.Update(msg)
		return nil
	}
	if m.mode != modeMain {
		return nil
	}
	l := m.lay
	inside := func(r rect) bool { return ms.X >= r.x && ms.X < r.x+r.w && ms.Y >= r.y && ms.Y < r.y+r.h }
	local := ms
	switch {
	case inside(l.transcript) || (m.focus == paneTranscript && isDrag(msg)):
		local.X, local.Y = ms.X-l.transcript.x, ms.Y-l.transcript.y
		if _, click := msg.(tea.MouseClickMsg); click {
			m.setFocus(paneTranscript)
		}
		m.tr.Update(withMouse(msg, local))
	case inside(l.codebook):
		if _, click := msg.(tea.MouseClickMsg); click {
			m.setFocus(paneCodebook)
		}
	case inside(l.docs):
		if _, click := msg.(tea.MouseClickMsg); click {
			m.setFocus(paneDocs)
		}
		m.docs.Update(msg)
	}
	return nil
}

func isDrag(msg tea.MouseMsg) bool {
	switch msg.(type) {
	case tea.MouseMotionMsg, tea.MouseReleaseMsg:
		return true
	}
	return false
}

func withMouse(msg tea.MouseMsg, ms tea.Mouse) tea.Msg {
	switch msg.(type) {
	case tea.MouseClickMsg:
		return tea.MouseClickMsg(ms)
	case tea.MouseMotionMsg:
		return tea.MouseMotionMsg(ms)
	case tea.MouseReleaseMsg:
		return tea.MouseReleaseMsg(ms)
	case tea.MouseWheelMsg:
		return tea.MouseWheelMsg(ms)
	}
	return msg
}
