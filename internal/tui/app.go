// Package tui is qcode's interactive coding workspace (bubbletea v2). The
// root model here owns the layout, routes keys to the focused pane, and
// turns actions into commands that go through internal/project; the panes
// (transcript, codetree, listview, summary, dialog) draw and move, and do
// no I/O.
package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/tui/codetree"
	"github.com/qcode-qda/qcode/internal/tui/dialog"
	"github.com/qcode-qda/qcode/internal/tui/listview"
	"github.com/qcode-qda/qcode/internal/tui/review"
	"github.com/qcode-qda/qcode/internal/tui/summary"
	"github.com/qcode-qda/qcode/internal/tui/theme"
	"github.com/qcode-qda/qcode/internal/tui/transcript"
)

type pane int

const (
	paneTranscript pane = iota
	paneCodebook
	paneDocs
	nPanes
)

type mode int

const (
	modeMain mode = iota
	modeHelp
	modeRetrieve
	modeSummary
	modeReview
)

// Options configure the workspace.
type Options struct {
	Path  string // the project file
	Coder string
	// Now is the clock for "last save" (tests fix it).
	Now func() time.Time
	// NoColor draws without colour (NO_COLOR).
	NoColor bool
	// Review names the two coders of the disagreement review (key D);
	// empty: the first two coders found. ReviewUnit is turn (default),
	// sentence, paragraph, char or segment; Consensus the coder the
	// decisions are stored under (default "consensus").
	// CountsDelay is how long coding must pause before the codebook's
	// counts are redone (default 1.5 s; tests shorten it).
	CountsDelay time.Duration
	Review      []string
	ReviewUnit  string
	Consensus   string
}

// Model is the root model.
type Model struct {
	opt   Options
	rev   *review.Model
	sess  *session
	coder string
	now   func() time.Time
	st    *theme.Styles
	keys  theme.KeyMap

	width, height int
	focus         pane
	mode          mode
	loaded        bool
	quitting      bool

	docs     listview.Model
	tr       transcript.Model
	cb       codetree.Model
	retrieve listview.Model
	retTitle string
	search   *project.SearchCache
	summary  summary.Model
	dlg      *dialog.Model

	docList  []project.DocumentSummary
	codebook *codebook.Codebook
	looks    map[string]transcript.CodeLook
	siteOf   map[string]string // participant label -> site, for excerpts

	undo, redo []action
	busy       int // writes in flight
	lastSave   time.Time
	status     string
	statusErr  bool
	fatal      error
	lastQuery  string
	countsGen  int // the latest recount asked for; older ones are dropped
	lay        layoutInfo
}

// New builds the workspace for a project file; nothing is read until Init.
func New(opt Options) *Model {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	st := theme.NewStyles(true, opt.NoColor)
	keys := theme.DefaultKeyMap()
	m := &Model{
		opt:      opt,
		sess:     &session{path: opt.Path},
		coder:    opt.Coder,
		now:      opt.Now,
		st:       st,
		keys:     keys,
		docs:     listview.New(st, keys, "no documents: import some with `qcode import`"),
		tr:       transcript.New(st, keys),
		cb:       codetree.New(st, keys),
		retrieve: listview.New(st, keys, "no excerpts"),
		summary:  summary.New(st, keys),
		looks:    map[string]transcript.CodeLook{},
		width:    80, height: 24,
	}
	m.retrieve.SetFocused(true)
	m.setFocus(paneTranscript)
	m.layout()
	return m
}

// Init reads the project and asks the terminal for its background colour.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.loadCmd("", false), m.countsCmd(), m.tickCmd(), tea.RequestBackgroundColor)
}

func (m *Model) setFocus(p pane) {
	m.focus = p
	m.cb.SetFocused(p == paneCodebook)
	m.docs.SetFocused(p == paneDocs)
}

func (m *Model) setStyles(st *theme.Styles) {
	m.st = st
	m.docs.SetStyles(st)
	m.tr.SetStyles(st)
	m.cb.SetStyles(st)
	m.retrieve.SetStyles(st)
	m.summary.SetStyles(st)
	if m.rev != nil {
		m.rev.SetStyles(st)
	}
}

// Update routes a message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		m.setStyles(theme.NewStyles(msg.IsDark(), m.st.NoColor))
		return m, nil
	case loadedMsg:
		return m, m.onLoaded(msg)
	case docMsg:
		return m, m.onDoc(msg)
	case countsDueMsg:
		if msg.gen == m.countsGen {
			return m, m.countsCmd()
		}
		return m, nil
	case countsMsg:
		if msg.err == nil {
			m.cb.SetCounts(msg.counts)
		}
		return m, nil
	case savedMsg:
		return m, m.onSaved(msg)
	case retrieveMsg:
		return m, m.onRetrieve(msg)
	case summaryMsg:
		if msg.err != nil {
			m.setStatus("summary: "+msg.err.Error(), true)
			m.mode = modeMain
			return m, nil
		}
		m.summary.SetData(msg.freq, msg.fid)
		return m, nil
	case flashMsg:
		m.setStatus(msg.text, msg.isErr)
		return m, nil
	case tickMsg:
		return m, m.tickCmd()
	case changedMsg:
		if m.busy > 0 { // our own write is landing; look again later
			return m, m.tickCmd()
		}
		return m, tea.Batch(m.loadCmd(m.docID(), true), m.countsCmd(), m.tickCmd())
	case reviewMsg, reviewDocMsg, resolvedMsg:
		return m, m.onReviewMsg(msg)
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case tea.MouseMsg:
		return m, m.onMouse(msg)
	}
	if m.dlg != nil {
		_, cmd := m.dlg.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) docID() string {
	if d := m.tr.Document(); d != nil {
		return d.ID
	}
	return ""
}

func (m *Model) setStatus(s string, isErr bool) { m.status, m.statusErr = s, isErr }

func (m *Model) onLoaded(msg loadedMsg) tea.Cmd {
	if msg.err != nil {
		if !m.loaded {
			m.fatal = msg.err
			return tea.Quit
		}
		m.setStatus("could not reload: "+msg.err.Error(), true)
		return nil
	}
	m.loaded = true
	m.docList = msg.docs
	m.siteOf = make(map[string]string, len(msg.participants))
	for _, p := range msg.participants {
		m.siteOf[p.Label] = p.Attributes["site"]
	}
	m.setCodebook(msg.codebook)
	m.refreshDocList()
	m.tr.SetDocument(msg.doc)
	m.tr.SetCodings(msg.codings, m.looks, m.coder)
	m.selectDocInList()
	if msg.reload {
		m.setStatus("reloaded: the project was changed by another qcode process", false)
	}
	return nil
}

func (m *Model) setCodebook(cb *codebook.Codebook) {
	if cb == nil {
		return
	}
	m.codebook = cb
	m.looks = make(map[string]transcript.CodeLook, len(cb.Codes))
	for _, c := range cb.Codes {
		m.looks[c.ID] = transcript.CodeLook{Name: c.Name, Colour: c.Colour}
	}
	m.cb.SetCodebook(cb)
}

func (m *Model) onDoc(msg docMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus(msg.err.Error(), true)
		return nil
	}
	m.tr.SetDocument(msg.doc)
	m.tr.SetCodings(msg.codings, m.looks, m.coder)
	if msg.goTo != nil {
		m.tr.GoTo(msg.goTo[0], msg.goTo[1])
	}
	m.selectDocInList()
	m.mode = modeMain
	m.setFocus(paneTranscript)
	return nil
}

func (m *Model) onSaved(msg savedMsg) tea.Cmd {
	m.busy--
	if msg.err != nil {
		// The action did not happen: an undo or redo goes back on its stack.
		switch {
		case msg.undoing:
			m.undo = append(m.undo, msg.act)
		case msg.redoing:
			m.redo = append(m.redo, msg.act)
		}
		m.setStatus(errorText(msg.err), true)
		return nil
	}
	m.lastSave = msg.at
	switch {
	case msg.undoing:
		m.redo = append(m.redo, msg.act)
	case msg.redoing:
		m.undo = append(m.undo, msg.act)
	case msg.act.label != "":
		m.undo = append(m.undo, msg.act)
		m.redo = nil
	}
	if msg.codebook != nil {
		m.setCodebook(msg.codebook)
		m.cb.Select(msg.selectID)
	}
	if msg.docID != "" && msg.docID == m.docID() {
		m.tr.SetCodings(msg.codings, m.looks, m.coder)
	}
	m.setStatus(msg.status, false)
	return m.countsLater()
}

// countsLater recounts the codebook's counts once coding pauses: on a
// large project a count reads every coding, and done after each keystroke
// it would hold the file while the next coding waits to be stored.
func (m *Model) countsLater() tea.Cmd {
	m.countsGen++
	gen := m.countsGen
	delay := m.opt.CountsDelay
	if delay <= 0 {
		delay = countsDelay
	}
	return tea.Tick(delay, func(time.Time) tea.Msg { return countsDueMsg{gen} })
}

func (m *Model) onRetrieve(msg retrieveMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus(msg.err.Error(), true)
		m.mode = modeMain
		return nil
	}
	m.retTitle = msg.title
	items := make([]listview.Item, 0, len(msg.rows)+len(msg.hits))
	for _, r := range msg.rows {
		items = append(items, m.excerptItem(r))
	}
	for _, h := range msg.hits {
		items = append(items, m.hitItem(h))
	}
	m.retrieve.SetItems(items)
	m.retrieve.SetCursor(0)
	return nil
}

// write starts a save command, counting it as in flight.
func (m *Model) write(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	m.busy++
	return cmd
}

func (m *Model) quit() tea.Cmd {
	m.quitting = true
	return tea.Quit
}

// Err is the error that ended the program (the project could not be read).
func (m *Model) Err() error { return m.fatal }
