// Package codetree is the TUI's codebook pane: the code tree with counts,
// polarity marks and framework tags, filtered as you type, with the first
// nine codes of the current view numbered for the 1-9 keys.
package codetree

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/mattn/go-runewidth"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/tui/theme"
)

// Count is how often a code was applied.
type Count struct{ Segments, Participants int }

// Row is one line of the tree.
type Row struct {
	Code  codebook.Code
	Path  string
	Depth int
}

// Model is the codebook pane.
type Model struct {
	st      *theme.Styles
	keys    theme.KeyMap
	all     []Row
	rows    []Row // after the filter
	counts  map[string]Count
	cursor  int
	top     int
	filter  textinput.Model
	editing bool // the filter has the keyboard
	width   int
	height  int
	focused bool

	version  int // bumped by every change of rows or counts
	cacheKey string
	cache    string
}

// New returns an empty pane.
func New(st *theme.Styles, keys theme.KeyMap) Model {
	ti := textinput.New()
	ti.Prompt = "filter: "
	ti.Placeholder = "type to filter"
	theme.SteadyCursor(&ti)
	return Model{st: st, keys: keys, filter: ti, counts: map[string]Count{}}
}

func (m *Model) SetStyles(st *theme.Styles) { m.st = st }
func (m *Model) SetFocused(f bool)          { m.focused = f }
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 8), max(h, 2)
	m.filter.SetWidth(max(m.width-9, 1))
	m.scroll()
}

// SetCodebook replaces the tree, keeping the cursor on the same code.
func (m *Model) SetCodebook(cb *codebook.Codebook) {
	cur, _ := m.Current()
	ix := codebook.NewIndex(cb.Codes)
	m.all = m.all[:0]
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, c := range ix.Children(parent) {
			m.all = append(m.all, Row{Code: *c, Path: ix.Path(c.ID), Depth: depth})
			walk(c.ID, depth+1)
		}
	}
	walk("", 0)
	m.applyFilter()
	m.Select(cur.ID)
}

// SetCounts replaces the per-code counts (segments and participants).
func (m *Model) SetCounts(c map[string]Count) { m.counts = c; m.version++ }

// Current is the highlighted code.
func (m *Model) Current() (codebook.Code, bool) {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return codebook.Code{}, false
	}
	return m.rows[m.cursor].Code, true
}

// Select moves the cursor to a code by id, when it is shown.
func (m *Model) Select(id string) {
	for i, r := range m.rows {
		if r.Code.ID == id {
			m.cursor = i
			m.scroll()
			return
		}
	}
}

// Numbered returns the code the key 1-9 stands for: the n-th codable code
// of the current view.
func (m *Model) Numbered(n int) (codebook.Code, bool) {
	i := 0
	for _, r := range m.rows {
		if r.Code.Grouping {
			continue
		}
		if i++; i == n {
			return r.Code, true
		}
	}
	return codebook.Code{}, false
}

// Editing reports whether the filter line has the keyboard.
func (m *Model) Editing() bool { return m.editing }

// Filter is the current filter text.
func (m *Model) Filter() string { return m.filter.Value() }

func (m *Model) applyFilter() {
	m.version++
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	if q == "" {
		m.rows = append(m.rows[:0], m.all...)
	} else {
		m.rows = m.rows[:0]
		for _, r := range m.all {
			if strings.Contains(strings.ToLower(r.Path), q) || linksContain(r.Code.Links, q) {
				m.rows = append(m.rows, r)
			}
		}
	}
	m.cursor = max(0, min(m.cursor, len(m.rows)-1))
	m.scroll()
}

func linksContain(links []string, q string) bool {
	for _, l := range links {
		if strings.Contains(strings.ToLower(l), q) {
			return true
		}
	}
	return false
}

// Update handles the pane's keys; it reports whether it used the message.
func (m *Model) Update(msg tea.Msg) (bool, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return false, nil
	}
	if m.editing {
		switch km.String() {
		case "enter", "tab", "down":
			m.editing = false
			m.filter.Blur()
			return km.String() != "tab", nil
		case "esc":
			m.editing = false
			m.filter.Blur()
			m.filter.SetValue("")
			m.applyFilter()
			return true, nil
		}
		var cmd tea.Cmd
		m.filter, cmd = m.filter.Update(msg)
		m.applyFilter()
		return true, cmd
	}
	k := m.keys
	switch {
	case key.Matches(km, k.Down):
		m.move(1)
	case key.Matches(km, k.Up):
		m.move(-1)
	case key.Matches(km, k.PageDown):
		m.move(m.height - 2)
	case key.Matches(km, k.PageUp):
		m.move(-(m.height - 2))
	case key.Matches(km, k.Top):
		m.move(-len(m.rows))
	case key.Matches(km, k.Bottom):
		m.move(len(m.rows))
	case key.Matches(km, k.Filter):
		m.editing = true
		return true, m.filter.Focus()
	case key.Matches(km, k.Escape) && m.filter.Value() != "":
		m.filter.SetValue("")
		m.applyFilter()
	default:
		return false, nil
	}
	return true, nil
}

func (m *Model) move(d int) {
	m.cursor = max(0, min(m.cursor+d, len(m.rows)-1))
	m.scroll()
}

func (m *Model) listHeight() int { return max(m.height-1, 1) }

func (m *Model) scroll() {
	h := m.listHeight()
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+h {
		m.top = m.cursor - h + 1
	}
	m.top = max(0, min(m.top, max(len(m.rows)-h, 0)))
}

func (m *Model) polarityMark(p codebook.Polarity) string {
	switch p {
	case codebook.PolarityBarrier:
		return m.st.Barrier.Render("−")
	case codebook.PolarityFacilitator:
		return m.st.Facilitator.Render("+")
	case codebook.PolarityMixed:
		return m.st.Mixed.Render("±")
	}
	return " "
}

// View draws the filter line and the visible rows, each padded to width.
// The drawing is reused until something it shows changes: the codebook
// pane is redrawn on every keystroke in the transcript.
func (m *Model) View() string {
	key := fmt.Sprint(m.version, m.cursor, m.top, m.focused, m.editing, m.filter.Value(), m.filter.Position(), m.width, m.height, m.st)
	if key == m.cacheKey {
		return m.cache
	}
	m.cacheKey, m.cache = key, m.view()
	return m.cache
}

func (m *Model) view() string {
	var lines []string
	if m.editing || m.filter.Value() != "" {
		lines = append(lines, m.filter.View())
	} else {
		lines = append(lines, m.st.Muted.Render(fmt.Sprintf("%d codes · / filter · a new", len(m.all))))
	}
	number := map[string]int{}
	for n := 1; n <= 9; n++ {
		if c, ok := m.Numbered(n); ok {
			number[c.ID] = n
		}
	}
	for i := m.top; i < len(m.rows) && len(lines) < m.height; i++ {
		lines = append(lines, m.row(i, number[m.rows[i].Code.ID]))
	}
	if len(m.rows) == 0 {
		lines = append(lines, m.st.Muted.Render("no code matches"))
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	for i, l := range lines {
		l = lipgloss.NewStyle().MaxWidth(m.width).Render(l)
		if w := lipgloss.Width(l); w < m.width {
			l += strings.Repeat(" ", m.width-w)
		}
		lines[i] = l
	}
	return strings.Join(lines[:m.height], "\n")
}

func (m *Model) row(i, n int) string {
	r := m.rows[i]
	num := "  "
	if n > 0 {
		num = fmt.Sprintf("%d ", n)
	}
	if i == m.cursor && !m.focused {
		num = "›" + num[1:]
	}
	indent := strings.Repeat(" ", min(r.Depth, 4))
	name := r.Code.Name
	if m.filter.Value() != "" {
		name, indent = r.Path, ""
	}
	if r.Code.Hotkey != "" {
		name += " [" + r.Code.Hotkey + "]"
	}
	c := m.counts[r.Code.ID]
	count := ""
	if !r.Code.Grouping {
		count = fmt.Sprintf("%d·%d", c.Segments, c.Participants)
	}
	tags := ""
	if m.width >= 40 && len(r.Code.Links) > 0 {
		tags = " " + strings.Join(r.Code.Links, ",")
	}
	right := count + tags
	nameW := m.width - len(num) - len(indent) - 2 - runewidth.StringWidth(right) - 1
	if nameW < 6 {
		right = count
		nameW = m.width - len(num) - len(indent) - 2 - runewidth.StringWidth(right) - 1
	}
	name = runewidth.Truncate(name, max(nameW, 1), "…")
	nameStyle := m.st.Code(r.Code.Colour).UnsetUnderline()
	if r.Code.Grouping {
		nameStyle = m.st.Title
	}
	pad := max(nameW-runewidth.StringWidth(name), 0)
	line := m.st.Muted.Render(num) + indent + m.polarityMark(r.Code.Polarity) + " " + nameStyle.Render(name) + strings.Repeat(" ", pad+1) + m.st.Muted.Render(right)
	if i == m.cursor && m.focused {
		plain := num + indent + polarityText(r.Code.Polarity) + " " + name + strings.Repeat(" ", pad+1) + right
		return m.st.Cursor.Render(padTo(plain, m.width))
	}
	return line
}

func polarityText(p codebook.Polarity) string {
	switch p {
	case codebook.PolarityBarrier:
		return "−"
	case codebook.PolarityFacilitator:
		return "+"
	case codebook.PolarityMixed:
		return "±"
	}
	return " "
}

func padTo(s string, w int) string {
	if n := runewidth.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return runewidth.Truncate(s, w, "")
}
