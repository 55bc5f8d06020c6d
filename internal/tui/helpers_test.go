package tui

import (
	"cmp"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-qda/qcode/examples"
	"github.com/qcode-qda/qcode/internal/project"
)

// fixedNow makes "saved HH:MM:SS" in the status bar reproducible.
func fixedNow() time.Time { return time.Date(2026, 11, 23, 10, 30, 0, 0, time.UTC) }

// demoProject builds the demo project (examples/) in a temporary directory.
func demoProject(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	if _, err := project.BuildDemo(examples.FS, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// openModel builds the workspace on a project at a terminal size and runs
// its start-up reads to completion, as the program would.
func openModel(t testing.TB, path string, w, h int) *Model {
	t.Helper()
	return openModelWith(t, Options{Path: path}, w, h)
}

// openModelWith is openModel with options (coder amina, fixed clock and
// no colour unless given).
func openModelWith(t testing.TB, opt Options, w, h int) *Model {
	t.Helper()
	opt.Coder = cmp.Or(opt.Coder, "amina")
	if opt.Now == nil {
		opt.Now = fixedNow
	}
	opt.NoColor, opt.CountsDelay = true, time.Millisecond
	m := New(opt)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	drive(t, m, m.loadCmd("", false))
	drive(t, m, m.countsCmd())
	if m.fatal != nil {
		t.Fatal(m.fatal)
	}
	return m
}

// drive runs a command and feeds what it returns back to Update, until no
// command is left. Commands that wait (the change poll, cursor blink) are
// dropped after a short time: tests step time themselves.
func drive(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		done := make(chan tea.Msg, 1)
		go func() { done <- c() }()
		var msg tea.Msg
		select {
		case msg = <-done:
		case <-time.After(300 * time.Millisecond):
			continue
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tickMsg, changedMsg:
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// press sends keys as the terminal would and runs what they start.
func press(t testing.TB, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		drive(t, m, cmd)
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	if strings.HasPrefix(k, "alt+") {
		r := []rune(k[4:])[0]
		return tea.KeyPressMsg{Code: r, Mod: tea.ModAlt}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// typeText sends each character of s as a key.
func typeText(t testing.TB, m *Model, s string) {
	t.Helper()
	for _, r := range s {
		press(t, m, string(r))
	}
}

// screen is the view without ANSI styling.
func screen(m *Model) string { return ansi.Strip(m.render()) }

// codings lists what the store holds for a coder, opened as another
// program would open it.
func storedCodings(t testing.TB, path, coder string) []project.CodingView {
	t.Helper()
	p, err := project.Open(path, project.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cs, err := p.Codings(project.CodingFilter{Coder: coder})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}
