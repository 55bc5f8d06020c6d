package tui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/qcode-qda/qcode/internal/project"
)

// A whole session through a real bubbletea program: open the demo project,
// code a turn with the code's own hotkey, undo, quit. The store is checked
// after each step, as a second program would see it.
func TestFlowHotkeyUndoQuit(t *testing.T) {
	path := demoProject(t)
	p, err := project.Open(path, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hk := "F"
	code, err := p.EditCode("Fear of losing benefits", project.CodeEdit{Hotkey: &hk})
	p.Close()
	if err != nil {
		t.Fatal(err)
	}
	base := len(storedCodings(t, path, "amina"))

	m := New(Options{Path: path, Coder: "amina", Now: fixedNow, NoColor: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	waitScreen(t, tm, "Bjørn Mikkelsen")

	tm.Send(tea.KeyPressMsg{Code: 'j', Text: "j"})
	tm.Send(tea.KeyPressMsg{Code: 'F', Text: "F"})
	waitStore(t, path, base+1, func(cs []project.CodingView) bool {
		for _, c := range cs {
			if c.CodeID == code.ID && c.Document == firstDoc && c.Turn == 2 {
				return true
			}
		}
		return false
	})
	waitScreen(t, tm, "coded Fear of losing benefits")

	tm.Send(tea.KeyPressMsg{Code: 'u', Text: "u"})
	waitStore(t, path, base, nil)

	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if n := len(storedCodings(t, path, "amina")); n != base {
		t.Fatalf("after quit: %d codings, want %d", n, base)
	}
}

func waitScreen(t *testing.T, tm *teatest.TestModel, want string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(want)) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// waitStore polls the project file (opened read-only between the TUI's own
// short accesses) until amina has n codings that satisfy ok.
func waitStore(t *testing.T, path string, n int, ok func([]project.CodingView) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p, err := project.Open(path, project.Options{ReadOnly: true})
		if err == nil {
			cs, err := p.Codings(project.CodingFilter{Coder: "amina"})
			p.Close()
			if err == nil && len(cs) == n && (ok == nil || ok(cs)) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("store never reached %d codings by amina", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
