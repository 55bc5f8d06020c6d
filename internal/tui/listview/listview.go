// Package listview is a scrolling list with a cursor, used by the
// documents pane, the retrieve view and the pickers of the TUI.
package listview

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/mattn/go-runewidth"

	"github.com/qcode-qda/qcode/internal/tui/theme"
)

// Item is one entry: a title line and optional detail lines drawn under
// it (an excerpt's text).
type Item struct {
	Title  string // may hold styles
	Plain  string // Title without styles, for the cursor row
	Detail []string
	Value  any
}

// Model is the list.
type Model struct {
	st      *theme.Styles
	keys    theme.KeyMap
	items   []Item
	cursor  int
	top     int
	width   int
	height  int
	focused bool
	empty   string
}

// New returns an empty list that shows empty when it has no items.
func New(st *theme.Styles, keys theme.KeyMap, empty string) Model {
	return Model{st: st, keys: keys, empty: empty}
}

func (m *Model) SetStyles(st *theme.Styles) { m.st = st }
func (m *Model) SetFocused(f bool)          { m.focused = f }
func (m *Model) SetSize(w, h int)           { m.width, m.height = max(w, 4), max(h, 1); m.scroll() }

// SetItems replaces the items, keeping the cursor index where possible.
func (m *Model) SetItems(items []Item) {
	m.items = items
	m.cursor = max(0, min(m.cursor, len(items)-1))
	m.scroll()
}

func (m *Model) Items() []Item { return m.items }
func (m *Model) Cursor() int   { return m.cursor }

// Current is the item under the cursor.
func (m *Model) Current() (Item, bool) {
	if m.cursor < 0 || m.cursor >= len(m.items) {
		return Item{}, false
	}
	return m.items[m.cursor], true
}

// SetCursor moves the cursor.
func (m *Model) SetCursor(i int) {
	m.cursor = max(0, min(i, len(m.items)-1))
	m.scroll()
}

// Update moves the cursor; it reports whether it used the message.
func (m *Model) Update(msg tea.Msg) bool {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if wm, ok := msg.(tea.MouseWheelMsg); ok {
			switch wm.Mouse().Button {
			case tea.MouseWheelDown:
				m.SetCursor(m.cursor + 1)
			case tea.MouseWheelUp:
				m.SetCursor(m.cursor - 1)
			}
			return true
		}
		return false
	}
	k := m.keys
	page := max(m.height/m.itemHeight()-1, 1)
	switch {
	case key.Matches(km, k.Down):
		m.SetCursor(m.cursor + 1)
	case key.Matches(km, k.Up):
		m.SetCursor(m.cursor - 1)
	case key.Matches(km, k.PageDown):
		m.SetCursor(m.cursor + page)
	case key.Matches(km, k.PageUp):
		m.SetCursor(m.cursor - page)
	case key.Matches(km, k.Top):
		m.SetCursor(0)
	case key.Matches(km, k.Bottom):
		m.SetCursor(len(m.items) - 1)
	default:
		return false
	}
	return true
}

// itemHeight is the lines per item (all items of a list have the same
// number of detail lines, plus a separator when they have details).
func (m *Model) itemHeight() int {
	if len(m.items) == 0 || len(m.items[0].Detail) == 0 {
		return 1
	}
	return 2 + len(m.items[0].Detail)
}

func (m *Model) scroll() {
	n := max(m.height/m.itemHeight(), 1)
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+n {
		m.top = m.cursor - n + 1
	}
	m.top = max(0, min(m.top, max(len(m.items)-n, 0)))
}

// View draws the visible items, padded to the width.
func (m *Model) View() string {
	var lines []string
	if len(m.items) == 0 {
		lines = append(lines, m.st.Muted.Render(m.empty))
	}
	for i := m.top; i < len(m.items) && len(lines) < m.height; i++ {
		it := m.items[i]
		title := it.Title
		if i == m.cursor {
			plain := it.Plain
			if plain == "" {
				plain = it.Title
			}
			if m.focused {
				title = m.st.Cursor.Render(pad(runewidth.Truncate(plain, m.width, "…"), m.width))
			} else {
				title = m.st.CursorMark.Render(runewidth.Truncate(plain, m.width, "…"))
			}
		}
		lines = append(lines, title)
		for _, d := range it.Detail {
			lines = append(lines, "  "+d)
		}
		if len(it.Detail) > 0 {
			lines = append(lines, "")
		}
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	lines = lines[:m.height]
	for i, l := range lines {
		l = lipgloss.NewStyle().MaxWidth(m.width).Render(l)
		lines[i] = l + strings.Repeat(" ", max(m.width-lipgloss.Width(l), 0))
	}
	return strings.Join(lines, "\n")
}

func pad(s string, w int) string {
	return s + strings.Repeat(" ", max(w-runewidth.StringWidth(s), 0))
}
