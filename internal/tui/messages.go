package tui

import (
	"time"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/analysis"
	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/tui/codetree"
)

// Messages that commands send back to Update. Commands do the I/O; Update
// only ever changes the model from these.

// loadedMsg carries a fresh read of the project (at start, and when
// another process changed the file).
type loadedMsg struct {
	docs         []project.DocumentSummary
	codebook     *codebook.Codebook
	participants []project.Participant
	doc          *project.DocumentView // the open document, re-read
	codings      []project.Coding
	reload       bool
	err          error
}

// docMsg carries a document that was opened.
type docMsg struct {
	doc     *project.DocumentView
	codings []project.Coding
	goTo    *[2]int // select this span once shown
	err     error
}

// countsMsg carries per-code counts, computed in the background.
type countsMsg struct {
	counts map[string]codetree.Count
	err    error
}

// savedMsg reports a write: what was done (to push on the undo or redo
// stack), the document's codings after it, or why it failed.
type savedMsg struct {
	act      action
	undoing  bool // act was undone (push it on the redo stack)
	redoing  bool
	codings  []project.Coding
	docID    string
	codebook *codebook.Codebook // after a new code
	selectID string             // the code to highlight (a new code)
	status   string
	at       time.Time
	err      error
}

// retrieveMsg carries a list of places to show in the results view:
// every excerpt of a code, a query's codings, or search hits.
type retrieveMsg struct {
	title string // what the list is ("Retrieve: Disclosure")
	rows  []project.CodingView
	hits  []project.Hit
	err   error
}

// summaryMsg carries the summary view's tables.
type summaryMsg struct {
	freq *analysis.FreqTable
	fid  *analysis.FidelityTable
	err  error
}

// countsDueMsg says coding paused: recount, unless a later save asked
// again (gen is older than the model's).
type countsDueMsg struct{ gen int }

// tickMsg asks whether another process changed the file.
type tickMsg struct{}

// changedMsg says it did.
type changedMsg struct{}
