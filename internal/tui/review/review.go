// Package review is the TUI's disagreement review for two coders: it steps
// through the units where they differ, shows both codings on the text, and
// records the decision (A, B, both or neither) under a consensus coder.
package review

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/tui/theme"
)

// Decision is what the consensus coder takes at a unit.
type Decision string

const (
	TakeA       Decision = "A"
	TakeB       Decision = "B"
	TakeBoth    Decision = "both"
	TakeNeither Decision = "neither"
)

// Model holds the disagreements and the decisions made so far.
type Model struct {
	st            *theme.Styles
	A, B          string
	Consensus     string
	Unit          string
	items         []project.Disagreement
	cursor        int
	decided       map[int]Decision
	spans         map[string][]project.Coding // by document name: its codings
	figures       []string
	width, height int
}

// New starts a review of coders a and b.
func New(st *theme.Styles, a, b, consensus, unit string) *Model {
	return &Model{st: st, A: a, B: b, Consensus: consensus, Unit: unit, decided: map[int]Decision{}, spans: map[string][]project.Coding{}}
}

func (m *Model) SetStyles(st *theme.Styles) { m.st = st }
func (m *Model) SetSize(w, h int)           { m.width, m.height = max(w, 20), max(h, 6) }

// SetItems replaces the disagreements (first load, or after a refresh),
// keeping the position.
func (m *Model) SetItems(items []project.Disagreement) {
	m.items = items
	m.cursor = max(0, min(m.cursor, len(items)-1))
}

// SetFigures sets the agreement lines shown at the top.
func (m *Model) SetFigures(lines []string) { m.figures = lines }

// SetCodings gives a document's codings, to draw each coder's spans.
func (m *Model) SetCodings(doc string, cs []project.Coding) { m.spans[doc] = cs }

// HasCodings reports whether a document's codings are loaded.
func (m *Model) HasCodings(doc string) bool { _, ok := m.spans[doc]; return ok }

// Current is the disagreement under review.
func (m *Model) Current() (project.Disagreement, bool) {
	if m.cursor < 0 || m.cursor >= len(m.items) {
		return project.Disagreement{}, false
	}
	return m.items[m.cursor], true
}

// Move goes to the next (d > 0) or previous disagreement.
func (m *Model) Move(d int) { m.cursor = max(0, min(m.cursor+d, len(m.items)-1)) }

// Decide records the decision on the current unit and moves on to the
// next undecided one.
func (m *Model) Decide(d Decision) {
	m.decided[m.cursor] = d
	for i := m.cursor + 1; i < len(m.items); i++ {
		if _, ok := m.decided[i]; !ok {
			m.cursor = i
			return
		}
	}
}

// Take lists the coders a decision adopts.
func (m *Model) Take(d Decision) []string {
	switch d {
	case TakeA:
		return []string{m.A}
	case TakeB:
		return []string{m.B}
	case TakeBoth:
		return []string{m.A, m.B}
	}
	return nil
}

// View draws the header, figures, the unit with both coders' spans, and
// the decision keys.
func (m *Model) View() string {
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	add(m.st.Title.Render(fmt.Sprintf("Review %s (A) vs %s (B) · by %s · decisions stored as %q", m.A, m.B, m.Unit, m.Consensus)))
	for _, f := range m.figures {
		add(m.st.Muted.Render(f))
	}
	add("")
	d, ok := m.Current()
	if !ok {
		add("No disagreements: the two coders agree on every unit compared.")
		return m.fill(lines)
	}
	add(fmt.Sprintf("Disagreement %d of %d · decided %d", m.cursor+1, len(m.items), len(m.decided)))
	where := d.Document
	if d.Index > 0 {
		where += fmt.Sprintf(" · %s %d", m.Unit, d.Index)
	}
	add(m.st.Title.Render(d.Path) + m.st.Muted.Render(" · "+where))
	add(m.coderLine(d))
	add("")
	body := m.drawText(d)
	avail := max(m.height-len(lines)-3, 1)
	wrapped := strings.Split(ansi.Wrap(body, max(m.width-2, 10), " "), "\n")
	if len(wrapped) > avail {
		wrapped = append(wrapped[:avail-1], m.st.Muted.Render("…"))
	}
	for _, l := range wrapped {
		add(" " + l)
	}
	add("")
	dec := "undecided"
	if x, ok := m.decided[m.cursor]; ok {
		dec = "decided: " + string(x)
	}
	add(m.st.Muted.Render("a take A · b take B · + both · - neither · j/k next/previous · esc back   ") + m.st.Notice.Render(dec))
	return m.fill(lines)
}

func (m *Model) coderLine(d project.Disagreement) string {
	mark := func(c string) string {
		for _, x := range d.Coded {
			if strings.EqualFold(x, c) {
				return "✓ coded"
			}
		}
		return "✗ not coded"
	}
	return m.styleA().Render("A "+m.A+": "+mark(m.A)) + "   " + m.styleB().Render("B "+m.B+": "+mark(m.B)) + m.st.Muted.Render("   (A: underlined · B: bold · both: reversed)")
}

func (m *Model) styleA() lipgloss.Style { return m.st.Code("#1f78b4") }
func (m *Model) styleB() lipgloss.Style { return m.st.Mixed.Bold(true) }

// drawText is the unit's text with A's and B's codings of the code marked.
func (m *Model) drawText(d project.Disagreement) string {
	text := []rune(d.Text)
	inA := make([]bool, len(text))
	inB := make([]bool, len(text))
	for _, c := range m.spans[d.Document] {
		if c.CodeID != d.CodeID {
			continue
		}
		var set []bool
		switch {
		case strings.EqualFold(c.Coder, m.A):
			set = inA
		case strings.EqualFold(c.Coder, m.B):
			set = inB
		default:
			continue
		}
		for p := max(c.Start, d.Start); p < min(c.End, d.End); p++ {
			set[p-d.Start] = true
		}
	}
	var b strings.Builder
	run, kind := 0, -1
	look := func(i int) int {
		k := 0
		if inA[i] {
			k |= 1
		}
		if inB[i] {
			k |= 2
		}
		return k
	}
	flush := func(end int) {
		if end <= run {
			return
		}
		s := strings.ReplaceAll(string(text[run:end]), "\n", " ")
		switch kind {
		case 1:
			s = m.styleA().Render(s)
		case 2:
			s = m.styleB().Render(s)
		case 3:
			s = m.st.Selection.Render(s)
		}
		b.WriteString(s)
	}
	for i := range text {
		if k := look(i); k != kind {
			flush(i)
			run, kind = i, k
		}
	}
	flush(len(text))
	return b.String()
}

func (m *Model) fill(lines []string) string {
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	lines = lines[:m.height]
	for i, l := range lines {
		if lipgloss.Width(l) > m.width {
			l = ansi.Truncate(l, m.width, "…")
		}
		lines[i] = l + strings.Repeat(" ", max(m.width-lipgloss.Width(l), 0))
	}
	return strings.Join(lines, "\n")
}
