// Package dialog is the TUI's modal boxes: a form of one or more text
// fields (memo, search, new code) and a picker (which coding to remove).
package dialog

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/qcode-qda/qcode/internal/tui/listview"
	"github.com/qcode-qda/qcode/internal/tui/theme"
)

// Field is one question of a form.
type Field struct {
	Label       string
	Value       string   // initial value
	Hint        string   // shown under the field
	Suggestions []string // completed with tab / right arrow
}

// Result says how an Update left the dialog.
type Result int

const (
	Open Result = iota
	Submitted
	Cancelled
)

// Model is a form or a picker. Purpose tells the root what to do with the
// answer; Payload carries what it needs for that.
type Model struct {
	Purpose string
	Payload any

	st     *theme.Styles
	title  string
	fields []Field
	values []string
	i      int
	input  textinput.Model
	picker *listview.Model
	width  int
}

// NewForm asks the fields one after another.
func NewForm(st *theme.Styles, purpose, title string, fields ...Field) (*Model, tea.Cmd) {
	m := &Model{Purpose: purpose, st: st, title: title, fields: fields, values: make([]string, len(fields)), width: 60}
	m.input = textinput.New()
	m.input.Prompt = "> "
	m.input.ShowSuggestions = true
	theme.SteadyCursor(&m.input)
	return m, m.load(0)
}

// NewPicker offers a choice among items; the answer is the chosen item's
// Value (see Chosen).
func NewPicker(st *theme.Styles, keys theme.KeyMap, purpose, title string, items []listview.Item) *Model {
	l := listview.New(st, keys, "nothing to choose")
	l.SetItems(items)
	l.SetFocused(true)
	m := &Model{Purpose: purpose, st: st, title: title, picker: &l, width: 60}
	m.SetSize(80, 24)
	return m
}

func (m *Model) load(i int) tea.Cmd {
	m.i = i
	f := m.fields[i]
	m.input.SetValue(f.Value)
	m.input.CursorEnd()
	m.input.SetSuggestions(f.Suggestions)
	return m.input.Focus()
}

// SetSize fits the box into the screen.
func (m *Model) SetSize(w, h int) {
	m.width = max(min(w-6, 72), 20)
	m.input.SetWidth(m.width - 4)
	if m.picker != nil {
		m.picker.SetSize(m.width-2, max(min(h-8, 12), 3))
	}
}

// Values are the form's answers, in field order.
func (m *Model) Values() []string { return m.values }

// Chosen is the picker's chosen item's value.
func (m *Model) Chosen() any {
	if m.picker == nil {
		return nil
	}
	it, _ := m.picker.Current()
	return it.Value
}

// Update handles keys while the dialog is open.
func (m *Model) Update(msg tea.Msg) (Result, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if m.picker == nil {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return Open, cmd
		}
		return Open, nil
	}
	switch km.String() {
	case "esc", "ctrl+c":
		return Cancelled, nil
	case "enter":
		if m.picker != nil {
			if _, ok := m.picker.Current(); !ok {
				return Cancelled, nil
			}
			return Submitted, nil
		}
		m.values[m.i] = strings.TrimSpace(m.input.Value())
		if m.i+1 < len(m.fields) {
			return Open, m.load(m.i + 1)
		}
		return Submitted, nil
	}
	if m.picker != nil {
		m.picker.Update(msg)
		return Open, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return Open, cmd
}

// View draws the box.
func (m *Model) View() string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render(m.title))
	b.WriteString("\n")
	if m.picker != nil {
		b.WriteString(m.picker.View())
		b.WriteString("\n")
		b.WriteString(m.st.Muted.Render("j/k choose · enter ok · esc cancel"))
	} else {
		for j := 0; j < m.i; j++ {
			b.WriteString(m.st.Muted.Render(m.fields[j].Label+": ") + m.values[j] + "\n")
		}
		f := m.fields[m.i]
		b.WriteString(f.Label + "\n")
		b.WriteString(m.input.View())
		b.WriteString("\n")
		hint := f.Hint
		if len(f.Suggestions) > 0 {
			hint = strings.TrimSpace(hint + "  (tab completes)")
		}
		if hint != "" {
			b.WriteString(m.st.Muted.Render(hint) + "\n")
		}
		b.WriteString(m.st.Muted.Render("enter ok · esc cancel"))
	}
	return m.st.Dialog.Width(m.width).Render(b.String())
}

// Overlay draws box centred over a background of width w and height h.
func Overlay(bg, box string, w, h int) string {
	bw, bh := lipgloss.Width(box), lipgloss.Height(box)
	x, y := max((w-bw)/2, 0), max((h-bh)/3, 0)
	return lipgloss.NewCompositor(lipgloss.NewLayer(bg), lipgloss.NewLayer(box).X(x).Y(y).Z(1)).Render()
}
