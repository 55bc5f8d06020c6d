package transcript

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/mattn/go-runewidth"
)

func runeWidth(r rune) int {
	if r == '\t' {
		return 1
	}
	return max(runewidth.RuneWidth(r), 0)
}

// textWidth is the width of a line of turn text: the pane less the margin
// (2), the gap (1) and the gutter.
func (m *Model) textWidth() int { return max(m.width-m.gutter-3, 4) }

// wrap breaks a unit's text into lines at spaces (or mid-word when a word
// is longer than a line) and at line breaks; results are cached per unit.
func (m *Model) wrap(u int) []span {
	if w, ok := m.wraps[u]; ok {
		return w
	}
	un := m.units[u]
	width := m.textWidth()
	var out []span
	start, col, lastSpace := un.Start, 0, -1
	for p := un.Start; p < un.End; p++ {
		r := m.text[p]
		if r == '\n' {
			out = append(out, span{start, p})
			start, col, lastSpace = p+1, 0, -1
			continue
		}
		w := runeWidth(r)
		if col+w > width && p > start {
			if lastSpace > start {
				out = append(out, span{start, lastSpace})
				start = lastSpace + 1
			} else {
				out = append(out, span{start, p})
				start = p
			}
			col = 0
			for q := start; q < p; q++ {
				col += runeWidth(m.text[q])
			}
			lastSpace = -1
		}
		if r == ' ' {
			lastSpace = p
		}
		col += w
	}
	if start < un.End || len(out) == 0 {
		out = append(out, span{start, un.End})
	}
	m.wraps[u] = out
	return out
}

// unitHeight is a unit's lines: header, text, blank separator.
func (m *Model) unitHeight(u int) int { return len(m.wrap(u)) + 2 }

// ensureVisible scrolls so that the cursor's unit is on screen, walking
// back from the cursor only as far as one screen: cost follows the screen,
// not the document.
func (m *Model) ensureVisible() {
	if len(m.units) == 0 {
		m.top = 0
		return
	}
	if m.cursor < m.top {
		m.top = m.cursor
		return
	}
	h, t := m.unitHeight(m.cursor), m.cursor
	for t > m.top && h+m.unitHeight(t-1) <= m.height {
		t--
		h += m.unitHeight(t)
	}
	if t > m.top {
		m.top = t
	}
}

func (m *Model) unitsPerPage() int {
	n, h := 0, 0
	for u := m.top; u < len(m.units) && h < m.height; u++ {
		h += m.unitHeight(u)
		n++
	}
	return max(n-1, 1)
}

func formatTime(ms int64) string {
	if ms < 0 {
		return ""
	}
	s := ms / 1000
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// View draws the visible units. Each line is padded to the pane width.
func (m *Model) View() string {
	m.rows = m.rows[:0]
	if m.doc == nil {
		return m.fill([]string{m.st.Muted.Render("No document open. Pick one in the documents pane (tab) and press enter.")})
	}
	if len(m.units) == 0 {
		return m.fill([]string{m.st.Muted.Render("This document has no text.")})
	}
	var lines []string
	selS, selE, hasSel := m.Selection()
	for u := m.top; u < len(m.units) && len(lines) < m.height; u++ {
		lines = m.drawUnit(lines, u, selS, selE, hasSel)
	}
	return m.fill(lines)
}

func (m *Model) fill(lines []string) string {
	if len(lines) > m.height {
		lines = lines[:m.height]
		m.rows = m.rows[:m.height]
	}
	for len(lines) < m.height {
		lines = append(lines, "")
		m.rows = append(m.rows, row{unit: -1, start: -1})
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w < m.width {
			lines[i] = l + strings.Repeat(" ", m.width-w)
		}
	}
	return strings.Join(lines, "\n")
}

func (m *Model) drawUnit(lines []string, u, selS, selE int, hasSel bool) []string {
	un := m.units[u]
	cur := u == m.cursor
	gut := m.gutterLines(u)
	mark := "  "
	if cur {
		mark = m.st.CursorMark.Render("▶ ")
	}
	header := fmt.Sprintf("#%d", un.Number)
	if un.Speaker != "" {
		label := m.st.Speaker(un.Role).Render(un.Speaker)
		if un.Role != "" {
			label += m.st.Muted.Render(" · " + un.Role)
		}
		header = label + m.st.Muted.Render("  "+header)
	} else {
		header = m.st.Muted.Render(header)
	}
	if t := formatTime(un.TimeMS); t != "" {
		header += m.st.Muted.Render("  " + t)
	}
	header = lipgloss.NewStyle().MaxWidth(m.textWidth() + 2).Render(mark + header)
	lines = append(lines, m.withGutter(header, gut, 0))
	m.rows = append(m.rows, row{unit: u, start: -1})
	bar := "  "
	if cur && !m.visual {
		bar = m.st.CursorMark.Render("┃ ")
	}
	for i, sp := range m.wrap(u) {
		text := m.drawSpan(u, sp, selS, selE, hasSel && m.visual)
		lines = append(lines, m.withGutter(bar+text, gut, i+1))
		m.rows = append(m.rows, row{unit: u, start: sp.start, end: sp.end, x0: 2})
	}
	lines = append(lines, m.withGutter("", gut, len(m.wrap(u))+1))
	m.rows = append(m.rows, row{unit: u, start: -1})
	return lines
}

func (m *Model) withGutter(left string, gut []string, i int) string {
	w := lipgloss.Width(left)
	pad := max(m.width-m.gutter-w, 1)
	g := ""
	if i < len(gut) {
		g = gut[i]
	}
	return left + strings.Repeat(" ", pad) + g
}

// gutterLines names the codes on a unit, one per line, in their colour;
// codes by other coders are marked with their coder's initial.
func (m *Model) gutterLines(u int) []string {
	idx := m.unitCodings[u]
	if len(idx) == 0 {
		return nil
	}
	type entry struct{ name, colour string }
	seen := map[string]bool{}
	var es []entry
	for _, i := range idx {
		c := m.codings[i]
		look := m.looks[c.CodeID]
		name := look.Name
		if name == "" {
			name = "?"
		}
		if c.Coder != m.coder && c.Coder != "" { // another coder's: their initial first
			name = string([]rune(c.Coder)[0]) + ":" + name
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		es = append(es, entry{name, look.Colour})
	}
	maxLines := m.unitHeight(u) - 1
	var out []string
	for i, e := range es {
		if i == maxLines-1 && len(es) > maxLines {
			out = append(out, m.st.Muted.Render(fmt.Sprintf("+%d more", len(es)-i)))
			break
		}
		out = append(out, "│"+m.st.Code(e.colour).UnsetUnderline().Render(truncate(e.name, m.gutter-1)))
	}
	return out
}

func truncate(s string, w int) string {
	if runewidth.StringWidth(s) <= w {
		return s
	}
	return runewidth.Truncate(s, w, "…")
}

// drawSpan renders text [sp.start, sp.end) with runs of the same look:
// selection, search hit, coded (in the colour of the innermost coding), or
// plain.
func (m *Model) drawSpan(u int, sp span, selS, selE int, sel bool) string {
	var b strings.Builder
	idx := m.unitCodings[u]
	look := func(p int) (kind int, code string) {
		if sel && p >= selS && p < selE {
			return 1, ""
		}
		if m.isHit(p) {
			return 2, ""
		}
		best := -1
		for _, i := range idx {
			c := m.codings[i]
			if c.Start <= p && p < c.End && (best < 0 || c.End-c.Start < m.codings[best].End-m.codings[best].Start) {
				best = int(i)
			}
		}
		if best >= 0 {
			return 3, m.codings[best].CodeID
		}
		return 0, ""
	}
	runStart := sp.start
	kind, code := look(sp.start)
	flush := func(end int) {
		if end <= runStart {
			return
		}
		s := string(m.text[runStart:end])
		s = strings.ReplaceAll(s, "\t", " ")
		switch kind {
		case 1:
			s = m.st.Selection.Render(s)
		case 2:
			s = m.st.Hit.Render(s)
		case 3:
			s = m.st.Code(m.looks[code].Colour).Render(s)
		}
		b.WriteString(s)
	}
	for p := sp.start + 1; p < sp.end; p++ {
		k, c := look(p)
		if k != kind || c != code {
			flush(p)
			runStart, kind, code = p, k, c
		}
	}
	flush(sp.end)
	return b.String()
}

func (m *Model) isHit(p int) bool {
	if len(m.hits) == 0 {
		return false
	}
	i := sort.Search(len(m.hits), func(i int) bool { return m.hits[i][1] > p })
	return i < len(m.hits) && m.hits[i][0] <= p
}
