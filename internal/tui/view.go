package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"

	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/tui/dialog"
	"github.com/qcode-qda/qcode/internal/tui/listview"
)

type rect struct{ x, y, w, h int }

// layout holds where each pane's inside is on screen.
type layoutInfo struct {
	docs, codebook, transcript, full rect
}

// layout computes every pane's size from the window size, once per resize,
// and pushes the sizes down. The left column (documents over codebook)
// takes about a third of the width; the transcript the rest; two lines at
// the bottom hold the status bar and the key hint.
func (m *Model) layout() {
	w, h := max(m.width, 40), max(m.height, 10)
	mainH := h - 2
	left := min(max(w*3/10, 24), 44)
	docsH := min(max(mainH/4, 5), 12)
	m.lay = layoutInfo{
		docs:       rect{1, 1, left - 2, docsH - 2},
		codebook:   rect{1, docsH + 1, left - 2, mainH - docsH - 2},
		transcript: rect{left + 1, 1, w - left - 2, mainH - 2},
		full:       rect{1, 1, w - 2, mainH - 2},
	}
	m.docs.SetSize(m.lay.docs.w, m.lay.docs.h)
	m.cb.SetSize(m.lay.codebook.w, m.lay.codebook.h)
	m.tr.SetSize(m.lay.transcript.w, m.lay.transcript.h)
	m.retrieve.SetSize(m.lay.full.w, m.lay.full.h)
	m.summary.SetSize(m.lay.full.w, m.lay.full.h)
	if m.rev != nil {
		m.rev.SetSize(m.lay.full.w, m.lay.full.h)
	}
	if m.dlg != nil {
		m.dlg.SetSize(w, h)
	}
}

// box draws a bordered pane with its title in the top border; content
// lines must already be w wide.
func (m *Model) box(title, content string, w, h int, focused bool) string {
	st := m.st.Pane
	if focused {
		st = m.st.PaneFocused
	}
	b := st.GetBorderStyle()
	paint := lipgloss.NewStyle().Foreground(st.GetBorderTopForeground())
	if m.st.NoColor {
		paint = lipgloss.NewStyle()
	}
	title = runewidth.Truncate(title, max(w-2, 1), "…")
	tw := runewidth.StringWidth(title)
	titleSt := m.st.Muted
	if focused {
		titleSt = m.st.Title
	}
	var sb strings.Builder
	sb.WriteString(paint.Render(b.TopLeft+b.Top) + titleSt.Render(title) + paint.Render(strings.Repeat(b.Top, max(w-tw-1, 0))+b.TopRight) + "\n")
	lines := strings.Split(content, "\n")
	for i := 0; i < h; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		sb.WriteString(paint.Render(b.Left) + l + paint.Render(b.Right) + "\n")
	}
	sb.WriteString(paint.Render(b.BottomLeft + strings.Repeat(b.Bottom, w) + b.BottomRight))
	return sb.String()
}

// joinColumns puts two blocks of equally tall, fixed-width lines side by
// side (cheaper than measuring every line as lipgloss.JoinHorizontal does).
func joinColumns(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	var sb strings.Builder
	for i := range max(len(la), len(lb)) {
		if i > 0 {
			sb.WriteByte('\n')
		}
		if i < len(la) {
			sb.WriteString(la[i])
		}
		if i < len(lb) {
			sb.WriteString(lb[i])
		}
	}
	return sb.String()
}

// View draws the screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "qcode"
	return v
}

// render is the screen as text (tests compare it, ANSI stripped, with
// golden files).
func (m *Model) render() string {
	if m.quitting {
		return ""
	}
	if !m.loaded {
		return "Opening " + m.sess.path + " …"
	}
	l := m.lay
	var body string
	switch m.mode {
	case modeHelp:
		body = m.box(" Help ", m.helpView(l.full.w, l.full.h), l.full.w, l.full.h, true)
	case modeRetrieve:
		title := fmt.Sprintf(" %s · %d found · enter opens · esc back ", m.retTitle, len(m.retrieve.Items()))
		body = m.box(title, m.retrieve.View(), l.full.w, l.full.h, true)
	case modeSummary:
		body = m.box(" Summary · j/k scroll · esc back ", m.summary.View(), l.full.w, l.full.h, true)
	case modeReview:
		content := "Finding disagreements…"
		if m.rev != nil {
			content = m.rev.View()
		} else {
			content = lipgloss.NewStyle().Width(l.full.w).Height(l.full.h).Render(content)
		}
		body = m.box(" Disagreement review ", content, l.full.w, l.full.h, true)
	default:
		left := m.box(" Documents ", m.docs.View(), l.docs.w, l.docs.h, m.focus == paneDocs) + "\n" +
			m.box(" Codebook ", m.cb.View(), l.codebook.w, l.codebook.h, m.focus == paneCodebook)
		body = joinColumns(left, m.box(m.transcriptTitle(), m.tr.View(), l.transcript.w, l.transcript.h, m.focus == paneTranscript))
	}
	screen := body + "\n" + m.statusBar() + "\n" + m.hintLine()
	if m.dlg != nil {
		screen = dialog.Overlay(screen, m.dlg.View(), m.width, m.height)
	}
	return screen
}

func (m *Model) transcriptTitle() string {
	d := m.tr.Document()
	if d == nil {
		return " Transcript "
	}
	t := fmt.Sprintf(" %s · %s ", d.Name, d.Kind)
	if i, n, q := m.tr.Hit(); n > 0 {
		t += fmt.Sprintf("· %q %d/%d ", q, i, n)
	}
	if m.tr.Visual() {
		s, e, _ := m.tr.Selection()
		t += fmt.Sprintf("· selecting %d chars ", e-s)
	}
	return t
}

// statusBar: document, turn i/N, coder, share of turns coded by the coder,
// last save, and the latest message.
func (m *Model) statusBar() string {
	w := max(m.width, 40)
	var parts []string
	if d := m.tr.Document(); d != nil {
		coded, n := m.tr.CodedShare()
		pct := 0
		if n > 0 {
			pct = coded * 100 / n
		}
		parts = append(parts, d.Name, fmt.Sprintf("turn %d/%d", m.tr.Cursor()+1, n), fmt.Sprintf("coded %d%%", pct))
	}
	parts = append(parts, "coder "+m.coder)
	save := "no changes yet"
	if !m.lastSave.IsZero() {
		save = "saved " + m.lastSave.Format("15:04:05")
	}
	if m.busy > 0 {
		save = "saving…"
	}
	parts = append(parts, save)
	line := runewidth.FillRight(runewidth.Truncate(" "+strings.Join(parts, " │ "), w, "…"), w)
	return m.st.StatusBar.Render(line)
}

// paneKeys are the bindings shown for the focused pane, most used first.
func (m *Model) paneKeys() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeRetrieve:
		return []key.Binding{k.Down, k.Up, k.Open, k.Escape}
	case modeSummary:
		return []key.Binding{k.Down, k.Up, k.PageDown, k.Escape}
	case modeHelp, modeReview:
		return []key.Binding{k.Escape}
	}
	switch m.focus {
	case paneCodebook:
		return []key.Binding{k.Apply, k.ApplyNumber, k.Filter, k.NewCode, k.Down, k.Up, k.Retrieve}
	case paneDocs:
		return []key.Binding{k.Open, k.Down, k.Up}
	}
	if m.tr.Visual() {
		return []key.Binding{k.WordNext, k.WordPrev, k.SentenceNext, k.SentencePrev, k.SwapEnds, k.ApplyNumber, k.Escape}
	}
	return []key.Binding{k.Down, k.Up, k.Visual, k.ApplyNumber, k.Remove, k.Memo, k.NextUncoded, k.Search, k.Undo}
}

func (m *Model) globalKeys() []key.Binding {
	k := m.keys
	return []key.Binding{k.NextPane, k.Undo, k.Redo, k.Retrieve, k.FindAll, k.Query, k.Summary, k.Review, k.Help, k.Quit}
}

// hintLine is the latest message (until the next key), else one line of
// the most useful keys for where the focus is.
func (m *Model) hintLine() string {
	w := max(m.width, 40)
	if m.status != "" {
		st := m.st.Notice
		if m.statusErr {
			st = m.st.Error
		}
		return st.Render(runewidth.Truncate(" "+m.status, w, "…"))
	}
	var parts []string
	seen := map[string]bool{}
	for _, b := range append(m.paneKeys(), m.keys.NextPane, m.keys.Help, m.keys.Quit) {
		h := b.Help()
		if seen[h.Key] {
			continue
		}
		seen[h.Key] = true
		parts = append(parts, h.Key+" "+h.Desc)
	}
	line := ""
	for _, p := range parts {
		next := line
		if next != "" {
			next += " · "
		}
		next += p
		if runewidth.StringWidth(next) > w-1 {
			break
		}
		line = next
	}
	return m.st.Muted.Render(" " + line)
}

// helpView lists every key: the focused pane's first, then the others and
// the global ones, flowed into as many columns as fit.
func (m *Model) helpView(w, h int) string {
	k := m.keys
	pair := func(a, b key.Binding, desc string) key.Binding {
		return key.NewBinding(key.WithHelp(a.Help().Key+" "+b.Help().Key, desc))
	}
	nextHit := key.NewBinding(key.WithHelp("n N", "next/prev hit (after /)"))
	groups := []struct {
		name string
		keys []key.Binding
		p    pane
	}{
		{"Transcript", []key.Binding{pair(k.Down, k.Up, "next/previous turn"), pair(k.PageDown, k.PageUp, "page down/up"), pair(k.Top, k.Bottom, "first/last turn"),
			k.Visual, pair(k.WordNext, k.WordPrev, "grow/shrink by word"), pair(k.SentenceNext, k.SentencePrev, "by sentence"), k.SwapEnds,
			k.ApplyNumber, k.Remove, k.Memo, key.NewBinding(key.WithHelp("n", "next uncoded turn")), k.Search, nextHit, k.Escape}, paneTranscript},
		{"Codebook", []key.Binding{k.Apply, k.ApplyNumber, k.Filter, k.NewCode, pair(k.Down, k.Up, "move"), k.Retrieve}, paneCodebook},
		{"Documents", []key.Binding{k.Open, pair(k.Down, k.Up, "move")}, paneDocs},
		{"Everywhere", m.globalKeys(), -1},
	}
	order := []int{int(m.focus)}
	for i := range groups {
		if i != int(m.focus) {
			order = append(order, i)
		}
	}
	var blocks [][]string
	for _, gi := range order {
		g := groups[gi]
		name := g.name
		if g.p == m.focus {
			name += " (focused)"
		}
		lines := []string{m.st.Title.Render(name)}
		colW := min(max(w/3, 24), 38)
		for _, b := range g.keys {
			hb := b.Help()
			lines = append(lines, runewidth.Truncate(fmt.Sprintf("%-9s %s", hb.Key, hb.Desc), colW-1, "…"))
		}
		blocks = append(blocks, append(lines, ""))
	}
	colW := min(max(w/3, 24), 38)
	ncols := max(w/colW, 1)
	cols := make([][]string, ncols)
	c := 0
	for _, b := range blocks {
		if len(cols[c]) > 0 && len(cols[c])+len(b) > h-3 && c+1 < ncols {
			c++
		}
		cols[c] = append(cols[c], b...)
	}
	var rendered []string
	for _, col := range cols {
		if len(col) > 0 {
			rendered = append(rendered, lipgloss.NewStyle().Width(colW).Render(strings.Join(col, "\n")))
		}
	}
	body := lipgloss.JoinHorizontal(lipgloss.Top, rendered...)
	body += "\n" + m.st.Muted.Width(w).Render("A code's own hotkey applies it (alt+KEY when KEY is taken above). Mouse: drag over text to select. Every change is stored at once. Any key closes this help.")
	lines := strings.Split(body, "\n")
	for len(lines) < h {
		lines = append(lines, "")
	}
	lines = lines[:h]
	for i, l := range lines {
		l = lipgloss.NewStyle().MaxWidth(w).Render(l)
		lines[i] = l + strings.Repeat(" ", max(w-lipgloss.Width(l), 0))
	}
	return strings.Join(lines, "\n")
}

// refreshDocList fills the documents pane.
func (m *Model) refreshDocList() {
	items := make([]listview.Item, len(m.docList))
	for i, d := range m.docList {
		right := fmt.Sprintf(" %d", d.Codings)
		name := runewidth.Truncate(d.Name, max(m.lay.docs.w-runewidth.StringWidth(right)-1, 4), "…")
		plain := runewidth.FillRight(name, m.lay.docs.w-runewidth.StringWidth(right)) + right
		items[i] = listview.Item{Title: runewidth.FillRight(name, m.lay.docs.w-runewidth.StringWidth(right)) + m.st.Muted.Render(right), Plain: plain, Value: d.ID}
	}
	m.docs.SetItems(items)
}

func (m *Model) selectDocInList() {
	id := m.docID()
	for i, it := range m.docs.Items() {
		if it.Value == id {
			m.docs.SetCursor(i)
			return
		}
	}
}

// excerptItem is a retrieved excerpt: where it is and who said it, then
// its text on two lines.
func (m *Model) excerptItem(r project.CodingView) listview.Item {
	who := r.Speaker
	if who == "" {
		who = "(no speaker)"
	}
	site := m.siteOf[r.Speaker]
	meta := []string{r.Document, who}
	if r.Turn > 0 {
		meta = []string{r.Document, fmt.Sprintf("turn %d", r.Turn), who}
	}
	for _, s := range []string{r.Role, site, r.Coder} {
		if s != "" {
			meta = append(meta, s)
		}
	}
	title := strings.Join(meta, " · ")
	text := strings.Join(strings.Fields(r.Text), " ")
	w := max(m.lay.full.w-2, 10)
	wrapped := strings.Split(ansi.Wordwrap(text, w, ""), "\n")
	l1, l2 := wrapped[0], ""
	if len(wrapped) > 1 {
		l2 = runewidth.Truncate(strings.Join(wrapped[1:], " "), w, "…")
	}
	return listview.Item{Title: m.st.Title.Render(title), Plain: title, Detail: []string{l1, l2}, Value: jump{r.DocID, r.Start, r.End}}
}

// hitItem is a search hit with its keyword in context.
func (m *Model) hitItem(h project.Hit) listview.Item {
	meta := []string{h.Document}
	if h.Turn > 0 {
		meta = append(meta, fmt.Sprintf("turn %d", h.Turn))
	}
	for _, s := range []string{h.Speaker, h.Role} {
		if s != "" {
			meta = append(meta, s)
		}
	}
	title := strings.Join(meta, " · ")
	w := max(m.lay.full.w-2, 10)
	before := []rune(strings.Join(strings.Fields(h.Before), " "))
	room := max((w-len([]rune(h.Text)))/2, 0)
	if len(before) > room {
		before = append([]rune("…"), before[len(before)-room+1:]...)
	}
	line := string(before) + m.st.Hit.Render(h.Text) + runewidth.Truncate(strings.Join(strings.Fields(h.After), " "), max(w-len(before)-len([]rune(h.Text)), 0), "…")
	return listview.Item{Title: m.st.Title.Render(title), Plain: title, Detail: []string{line}, Value: jump{h.DocID, h.Start, h.End}}
}
