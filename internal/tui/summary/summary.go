// Package summary is the TUI's summary view: theme frequency by
// participant role as horizontal bars, and barrier versus facilitator
// counts per fidelity item.
package summary

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/mattn/go-runewidth"

	"github.com/qcode-qda/qcode/internal/analysis"
	"github.com/qcode-qda/qcode/internal/tui/theme"
)

// Model shows the charts and scrolls them.
type Model struct {
	st     *theme.Styles
	keys   theme.KeyMap
	freq   *analysis.FreqTable
	fid    *analysis.FidelityTable
	lines  []string
	top    int
	width  int
	height int
}

func New(st *theme.Styles, keys theme.KeyMap) Model { return Model{st: st, keys: keys} }

func (m *Model) SetStyles(st *theme.Styles) { m.st = st; m.render() }

// SetData replaces the tables.
func (m *Model) SetData(freq *analysis.FreqTable, fid *analysis.FidelityTable) {
	m.freq, m.fid = freq, fid
	m.render()
}

func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 20), max(h, 1)
	m.render()
}

// Update scrolls.
func (m *Model) Update(msg tea.Msg) bool {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return false
	}
	k := m.keys
	switch {
	case key.Matches(km, k.Down):
		m.top++
	case key.Matches(km, k.Up):
		m.top--
	case key.Matches(km, k.PageDown):
		m.top += m.height - 1
	case key.Matches(km, k.PageUp):
		m.top -= m.height - 1
	case key.Matches(km, k.Top):
		m.top = 0
	case key.Matches(km, k.Bottom):
		m.top = len(m.lines)
	default:
		return false
	}
	m.top = max(0, min(m.top, len(m.lines)-m.height))
	return true
}

func (m *Model) bar(n, max_, width int, st lipgloss.Style) string {
	if max_ == 0 || n == 0 {
		return ""
	}
	w := max(n*width/max_, 1)
	return st.Render(strings.Repeat("█", w))
}

func (m *Model) render() {
	m.lines = m.lines[:0]
	if m.freq == nil {
		m.lines = append(m.lines, m.st.Muted.Render("computing…"))
		return
	}
	label := min(max(m.width/3, 14), 36)
	barW := max(m.width-label-12, 6)
	add := func(s string) { m.lines = append(m.lines, s) }
	add(m.st.Title.Render("Participants raising each theme, by role") + m.st.Muted.Render(fmt.Sprintf("  (%d documents, %d participants)", m.freq.Documents, m.freq.Participants)))
	groups := "  " + m.st.Muted.Render("groups:")
	for _, g := range m.freq.Groups {
		groups += fmt.Sprintf(" %s n=%d", g.Key, g.Participants)
	}
	add(groups)
	add("")
	most := 0
	for _, r := range m.freq.Rows {
		for _, g := range r.Groups {
			most = max(most, g.Participants)
		}
	}
	for _, r := range m.freq.Rows {
		if r.Grouping || r.Segments == 0 {
			continue
		}
		add(m.st.Title.Render(runewidth.Truncate(r.Path, m.width, "…")) + m.st.Muted.Render(fmt.Sprintf("  %d segments, %d participants", r.Segments, r.Participants)))
		for _, g := range m.freq.Groups {
			c := r.Groups[g.Key]
			if c.Participants == 0 {
				continue
			}
			name := runewidth.FillRight(runewidth.Truncate("  "+g.Key, label, "…"), label)
			add(name + m.bar(c.Participants, most, barW, m.st.Bar) + m.st.Muted.Render(fmt.Sprintf(" %d/%d", c.Participants, g.Participants)))
		}
	}
	if m.fid != nil {
		add("")
		add(m.st.Title.Render("Barriers and facilitators per "+m.fid.FrameworkName+" item") + m.st.Muted.Render("  (segments: ") + m.st.BarAlt.Render("█ barrier") + " " + m.st.Bar.Render("█ facilitator") + m.st.Muted.Render(")"))
		most := 0
		for _, r := range m.fid.Rows {
			most = max(most, r.Counts.Barrier.Segments, r.Counts.Facilitator.Segments)
		}
		half := max((barW)/2, 3)
		for _, r := range m.fid.Rows {
			if r.Kind != "" && r.Kind != "item" && r.Kind != "construct" {
				continue
			}
			name := runewidth.FillRight(runewidth.Truncate(r.Key+" "+r.Name, label, "…"), label)
			c := r.Counts
			if c.Barrier.Segments+c.Facilitator.Segments == 0 {
				add(m.st.Muted.Render(name + " ·"))
				continue
			}
			b := m.bar(c.Barrier.Segments, most, half, m.st.BarAlt)
			f := m.bar(c.Facilitator.Segments, most, half, m.st.Bar)
			add(name + b + m.st.Muted.Render(fmt.Sprintf(" %d ", c.Barrier.Segments)) + f + m.st.Muted.Render(fmt.Sprintf(" %d", c.Facilitator.Segments)))
		}
	}
	m.top = max(0, min(m.top, len(m.lines)-m.height))
}

// View draws the visible part.
func (m *Model) View() string {
	var out []string
	for i := m.top; i < len(m.lines) && len(out) < m.height; i++ {
		out = append(out, m.lines[i])
	}
	for len(out) < m.height {
		out = append(out, "")
	}
	for i, l := range out {
		l = lipgloss.NewStyle().MaxWidth(m.width).Render(l)
		out[i] = l + strings.Repeat(" ", max(m.width-lipgloss.Width(l), 0))
	}
	return strings.Join(out, "\n")
}
