package tui

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-qda/qcode/internal/project"
)

// updateGolden is the -update flag (registered by teatest's golden package,
// which this package links).
func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// The first document of the demo (by name) is an employer interview whose
// second turn is Bjørn Mikkelsen's answer starting "Sure. We're a building
// supplies store".
const firstDoc = "employer-interview-nordtroms-01"

func TestOpensOnFirstDocument(t *testing.T) {
	m := openModel(t, demoProject(t), 100, 30)
	s := screen(m)
	for _, want := range []string{"Documents", "Codebook", firstDoc, "Interviewer", "Bjørn Mikkelsen · employer", "turn 1/32", "coder amina"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
}

func TestNumberKeyCodesTheTurnAndUndoRedo(t *testing.T) {
	path := demoProject(t)
	m := openModel(t, path, 100, 30)
	code, ok := m.cb.Numbered(5)
	if !ok {
		t.Fatal("no fifth code")
	}
	before := len(storedCodings(t, path, "amina"))

	press(t, m, "j", "5")
	after := storedCodings(t, path, "amina")
	if len(after) != before+1 {
		t.Fatalf("codings by amina: %d, want %d", len(after), before+1)
	}
	var made project.CodingView
	for _, c := range after {
		if c.Document == firstDoc && c.Turn == 2 && c.CodeID == code.ID {
			made = c
		}
	}
	if made.ID == "" || !strings.HasPrefix(made.Text, "Sure. We're a building supplies store") {
		t.Fatalf("turn 2 not coded with %s: %+v", code.Name, made)
	}
	if !strings.Contains(screen(m), "saved 10:30:00") || !strings.Contains(screen(m), "coded "+code.Name) {
		t.Errorf("status does not say it was saved:\n%s", screen(m))
	}

	press(t, m, "u")
	if n := len(storedCodings(t, path, "amina")); n != before {
		t.Fatalf("after undo: %d codings, want %d", n, before)
	}
	press(t, m, "ctrl+r")
	again := storedCodings(t, path, "amina")
	if len(again) != before+1 {
		t.Fatalf("after redo: %d codings, want %d", len(again), before+1)
	}
	found := false
	for _, c := range again {
		found = found || c.ID == made.ID
	}
	if !found {
		t.Error("redo did not restore the coding with its id")
	}
}

func TestVisualSelectionByWordAndSentence(t *testing.T) {
	path := demoProject(t)
	m := openModel(t, path, 100, 30)
	press(t, m, "j", "v") // first word of turn 2
	if s, e, _ := m.tr.Selection(); string([]rune(m.tr.Document().Text)[s:e]) != "Sure" {
		t.Fatalf("v selected %q", string([]rune(m.tr.Document().Text)[s:e]))
	}
	press(t, m, "w", "w", "b") // Sure. We're | a | back
	sel := func() string {
		s, e, _ := m.tr.Selection()
		return string([]rune(m.tr.Document().Text)[s:e])
	}
	if got := sel(); got != "Sure. We're" {
		t.Fatalf("after w w b: %q", got)
	}
	press(t, m, ")") // to the end of the next sentence
	// Move the start forward a sentence with o then ).
	press(t, m, "o", ")")
	if got := sel(); !strings.HasPrefix(got, "We're a building supplies store") {
		t.Fatalf("after o ): %q", got)
	}
	want := sel()
	// Apply the highlighted code from the codebook pane with enter.
	press(t, m, "tab", "j", "j", "enter")
	cs := storedCodings(t, path, "amina")
	ok := false
	for _, c := range cs {
		ok = ok || c.Text == want
	}
	if !ok {
		t.Fatalf("no coding of %q stored", want)
	}
	if m.tr.Visual() {
		t.Error("selection still active after coding")
	}
}

func TestRemoveAndMemo(t *testing.T) {
	path := demoProject(t)
	m := openModel(t, path, 100, 30)
	press(t, m, "j", "1", "2") // two codes on turn 2
	if n := len(m.tr.CodingsUnderCursor()); n != 2 {
		t.Fatalf("%d codings under the cursor, want 2", n)
	}
	press(t, m, "m") // several codings: a picker first
	if m.dlg == nil || m.dlg.Purpose != dlgPickMemo {
		t.Fatal("no picker for the memo")
	}
	press(t, m, "enter")
	typeText(t, m, "Owner frames IPS as a favour")
	press(t, m, "enter")
	memo := ""
	for _, c := range storedCodings(t, path, "amina") {
		if c.Memo != "" && c.Document == firstDoc && c.Turn == 2 {
			memo = c.Memo
		}
	}
	if memo != "Owner frames IPS as a favour" {
		t.Fatalf("stored memo %q", memo)
	}
	press(t, m, "u") // undo the memo
	for _, c := range storedCodings(t, path, "amina") {
		if c.Memo != "" && c.Document == firstDoc && c.Turn == 2 {
			t.Fatalf("memo %q survived undo", c.Memo)
		}
	}
	press(t, m, "x") // remove: which one?
	if m.dlg == nil || m.dlg.Purpose != dlgPickRemove {
		t.Fatal("no picker for removing")
	}
	press(t, m, "j", "enter")
	if n := len(m.tr.CodingsUnderCursor()); n != 1 {
		t.Fatalf("%d codings left under the cursor, want 1", n)
	}
	press(t, m, "x") // one left: removed at once
	if n := len(storedCodings(t, path, "amina")); n != 0+countDemo(t, path) {
		t.Fatalf("%d codings by amina, want the demo's %d", n, countDemo(t, path))
	}
}

// countDemo is how many codings the demo gives amina outside the first
// document's turn 2 (none are there).
func countDemo(t *testing.T, path string) int {
	n := 0
	for _, c := range storedCodings(t, path, "amina") {
		if !(c.Document == firstDoc && c.Turn == 2) {
			n++
		}
	}
	return n
}

func TestSearchAndNextUncoded(t *testing.T) {
	m := openModel(t, demoProject(t), 100, 30)
	press(t, m, "/")
	typeText(t, m, "WAREHOUSE")
	press(t, m, "enter")
	i, n, _ := m.tr.Hit()
	if n == 0 || i != 1 {
		t.Fatalf("hits %d of %d", i, n)
	}
	first := m.tr.Cursor()
	if u, _ := m.tr.Unit(); !strings.Contains(strings.ToLower(string([]rune(m.tr.Document().Text)[u.Start:u.End])), "warehouse") {
		t.Fatal("cursor not on a turn with the hit")
	}
	press(t, m, "n")
	if i2, _, _ := m.tr.Hit(); n > 1 && i2 != 2 {
		t.Fatalf("n went to hit %d", i2)
	}
	press(t, m, "N")
	if m.tr.Cursor() != first {
		t.Fatal("N did not go back")
	}
	press(t, m, "esc", "g", "1", "n") // turn 1 coded: n goes to turn 2
	if m.tr.Cursor() != 1 {
		t.Fatalf("next uncoded: turn %d", m.tr.Cursor()+1)
	}
}

func TestNewCodeInPlace(t *testing.T) {
	path := demoProject(t)
	m := openModel(t, path, 100, 30)
	press(t, m, "tab", "a")
	typeText(t, m, "Peer support")
	press(t, m, "enter")
	// parent: keep the suggested parent of the highlighted code, empty it
	for range 80 {
		press(t, m, "backspace")
	}
	press(t, m, "enter")
	typeText(t, m, "facilitator")
	press(t, m, "enter")
	typeText(t, m, "ips25:14")
	press(t, m, "enter")
	p, err := project.Open(path, project.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	cb, _ := p.Codebook()
	p.Close()
	for _, c := range cb.Codes {
		if c.Name == "Peer support" {
			if c.Polarity != "facilitator" || len(c.Links) != 1 || c.Links[0] != "ips25:14" || c.ParentID != "" {
				t.Fatalf("stored %+v", c)
			}
			if cur, _ := m.cb.Current(); cur.ID != c.ID {
				t.Error("the new code is not highlighted")
			}
			return
		}
	}
	t.Fatalf("no new code in the codebook; status %q", m.status)
}

// The TUI holds the file only while it reads or writes: another qcode
// process can write while it is open, and the TUI shows that change.
func TestAnotherProcessWritesWhileOpen(t *testing.T) {
	path := demoProject(t)
	m := openModel(t, path, 100, 30)
	p, err := project.Open(path, project.Options{}) // would fail with "in use" if the TUI held the file
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Code(project.CodeRequest{Doc: firstDoc, Code: "Fear of losing benefits", Coder: "jonas", Target: project.Target{Turn: 1}})
	p.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !m.sess.changed() {
		t.Fatal("the change was not noticed")
	}
	_, cmd := m.Update(changedMsg{})
	drive(t, m, cmd)
	if !strings.Contains(screen(m), "j:Fear of") {
		t.Fatalf("the other coder's coding is not shown:\n%s", screen(m))
	}
	if !strings.Contains(m.status, "reloaded") {
		t.Errorf("status %q", m.status)
	}
}

func TestResizeRedrawsToSize(t *testing.T) {
	m := openModel(t, demoProject(t), 80, 24)
	for _, sz := range [][2]int{{80, 24}, {160, 48}, {100, 30}, {81, 25}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		lines := strings.Split(screen(m), "\n")
		if len(lines) != sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > sz[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", sz[0], sz[1], i, w, l)
			}
		}
	}
}

func TestGoldenViews(t *testing.T) {
	path := demoProject(t)
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		m := openModel(t, path, sz[0], sz[1])
		press(t, m, "j", "j", "j")
		golden(t, filepath.Join("testdata", ansiName("workspace", sz)), screen(m))
		press(t, m, "?")
		golden(t, filepath.Join("testdata", ansiName("help", sz)), screen(m))
		press(t, m, "esc", "tab", "r")
		golden(t, filepath.Join("testdata", ansiName("retrieve", sz)), screen(m))
		press(t, m, "esc", "s")
		golden(t, filepath.Join("testdata", ansiName("summary", sz)), screen(m))
	}
}

func ansiName(view string, sz [2]int) string {
	return view + "-" + itoa(sz[0]) + "x" + itoa(sz[1]) + ".golden"
}

func itoa(n int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n))
}

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if updateGolden() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/tui -run Golden -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the view:\n%s", path, got)
	}
}

func TestNoColorHasNoColourCodes(t *testing.T) {
	m := openModel(t, demoProject(t), 100, 30)
	press(t, m, "j", "1")
	out := m.render()
	for _, sgr := range []string{"38;2;", "48;2;", "38;5;", "48;5;"} {
		if strings.Contains(out, sgr) {
			t.Fatalf("NO_COLOR view has colour sequence %q", sgr)
		}
	}
	if !strings.Contains(out, "\x1b[") {
		t.Fatal("NO_COLOR view has no styling at all: selection and codes would be invisible")
	}
}

func TestMouseDragSelectsWholeWords(t *testing.T) {
	path := demoProject(t)
	m := openModel(t, path, 100, 30)
	lines := strings.Split(screen(m), "\n")
	y, x := -1, -1
	for i, l := range lines {
		if j := strings.Index(l, "Sure. We're"); j >= 0 {
			y, x = i, ansi.StringWidth(l[:j])
		}
	}
	if y < 0 {
		t.Fatal("turn 2 not on screen")
	}
	m.Update(tea.MouseClickMsg{X: x + 1, Y: y, Button: tea.MouseLeft}) // inside "Sure"
	m.Update(tea.MouseMotionMsg{X: x + 8, Y: y, Button: tea.MouseLeft})
	m.Update(tea.MouseReleaseMsg{X: x + 9, Y: y, Button: tea.MouseLeft}) // inside "We're"
	s, e, _ := m.tr.Selection()
	if got := string([]rune(m.tr.Document().Text)[s:e]); got != "Sure. We're" {
		t.Fatalf("drag selected %q", got)
	}
	press(t, m, "1")
	found := false
	for _, c := range storedCodings(t, path, "amina") {
		found = found || c.Text == "Sure. We're"
	}
	if !found {
		t.Fatal("the dragged selection was not coded")
	}
}

func TestReviewRecordsConsensusAndRefreshesFigures(t *testing.T) {
	path := demoProject(t)
	m := openModel(t, path, 120, 40)
	press(t, m, "D")
	if m.rev == nil {
		t.Fatalf("no review: %q", m.status)
	}
	d, ok := m.rev.Current()
	if !ok {
		t.Fatal("the demo's coders have no disagreement")
	}
	s := screen(m)
	for _, want := range []string{"Review amina (A) vs jonas (B)", "amina–jonas", "Disagreement 1 of", d.Path} {
		if !strings.Contains(s, want) {
			t.Fatalf("review screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "amina–consensus") {
		t.Fatal("figures against a consensus before any decision")
	}
	take := "a" // take the side that coded the unit, so that a coding is stored
	if !strings.EqualFold(d.Coded[0], "amina") {
		take = "b"
	}
	press(t, m, take)
	cons := storedCodings(t, path, "consensus")
	if len(cons) == 0 {
		t.Fatalf("no consensus coding stored; status %q", m.status)
	}
	for _, c := range cons {
		if c.CodeID != d.CodeID || c.Document != d.Document || c.End <= d.Start || c.Start >= d.End {
			t.Fatalf("consensus coding %+v is not the decided unit's", c)
		}
	}
	if !strings.Contains(screen(m), "–consensus") {
		t.Fatalf("figures did not refresh:\n%s", screen(m))
	}
	if m.rev.Current(); strings.Contains(screen(m), "Disagreement 1 of") {
		t.Error("did not move on to the next disagreement")
	}
	press(t, m, "k", "-") // neither: the decision is taken back
	if n := len(storedCodings(t, path, "consensus")); n != 0 {
		t.Fatalf("after deciding neither: %d consensus codings", n)
	}
}

func TestSearchAllDocumentsAndJump(t *testing.T) {
	m := openModel(t, demoProject(t), 120, 40)
	press(t, m, "f")
	typeText(t, m, "tromso") // accents folded: finds Tromsø
	press(t, m, "enter")
	if m.mode != modeRetrieve || len(m.retrieve.Items()) == 0 {
		t.Fatalf("no results list; status %q", m.status)
	}
	docs := map[string]bool{}
	for _, it := range m.retrieve.Items() {
		docs[it.Value.(jump).docID] = true
	}
	if len(docs) < 2 {
		t.Fatalf("hits in %d documents, want several", len(docs))
	}
	if !strings.Contains(screen(m), "Tromsø") {
		t.Fatalf("results do not show the hit:\n%s", screen(m))
	}
	press(t, m, "j", "enter")
	want := m.retrieve.Items()[1].Value.(jump)
	s, e, _ := m.tr.Selection()
	if m.mode != modeMain || m.tr.Document().ID != want.docID || s != want.start || e != want.end {
		t.Fatalf("enter did not open the hit selected: doc %s %d:%d", m.tr.Document().Name, s, e)
	}
	if got := string([]rune(m.tr.Document().Text)[s:e]); !strings.EqualFold(got, "Tromsø") {
		t.Fatalf("selected %q", got)
	}
}

func TestQueryPrompt(t *testing.T) {
	m := openModel(t, demoProject(t), 120, 40)
	press(t, m, ":")
	typeText(t, m, `code:"Benefits and NAV" AND role=patient`)
	press(t, m, "enter")
	if m.mode != modeRetrieve || len(m.retrieve.Items()) == 0 {
		t.Fatalf("no query results; status %q", m.status)
	}
	for _, it := range m.retrieve.Items() {
		if !strings.Contains(it.Plain, "patient") {
			t.Fatalf("result not by a patient: %q", it.Plain)
		}
	}
	press(t, m, "esc", ":")
	for range 80 {
		press(t, m, "backspace")
	}
	typeText(t, m, `code:"Benefits and NAV" AND (`)
	press(t, m, "enter")
	if !m.statusErr || !strings.Contains(m.status, "column") {
		t.Fatalf("a syntax error should name the column: %q", m.status)
	}
}

// qcode tui --review jonas,amina --consensus lead: the review compares the
// named coders in that order and stores decisions under the named coder.
func TestReviewOptions(t *testing.T) {
	path := demoProject(t)
	m := openModelWith(t, Options{Path: path, Review: []string{"jonas", "amina"}, Consensus: "lead"}, 120, 40)
	press(t, m, "D")
	if m.rev == nil || m.rev.A != "jonas" || m.rev.B != "amina" {
		t.Fatalf("review of %+v", m.rev)
	}
	d, _ := m.rev.Current()
	take := "a"
	if !strings.EqualFold(d.Coded[0], "jonas") {
		take = "b"
	}
	press(t, m, take)
	if len(storedCodings(t, path, "lead")) == 0 || len(storedCodings(t, path, "consensus")) != 0 {
		t.Fatalf("decision not stored under lead; status %q", m.status)
	}
}
