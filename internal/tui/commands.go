package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/analysis"
	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/tui/codetree"
)

// pollInterval is how often the TUI looks for changes by other processes.
const pollInterval = time.Second

// countsDelay is how long coding must pause before the counts are redone.
const countsDelay = 1500 * time.Millisecond

// loadCmd reads the document list, codebook and participants, and the open
// document (docID, or the first document when docID is "").
func (m *Model) loadCmd(docID string, reload bool) tea.Cmd {
	s := m.sess
	return func() tea.Msg {
		msg := loadedMsg{reload: reload}
		msg.err = s.read(func(p *project.Project) error {
			var err error
			if msg.docs, err = p.Documents(); err != nil {
				return err
			}
			if msg.codebook, err = p.Codebook(); err != nil {
				return err
			}
			if msg.participants, err = participants(p); err != nil {
				return err
			}
			if docID == "" && len(msg.docs) > 0 {
				docID = msg.docs[0].ID
			}
			if docID == "" {
				return nil
			}
			msg.doc, msg.codings, err = readDocument(p, docID)
			if project.IsUserError(err) { // the document was removed meanwhile
				msg.doc, err = nil, nil
			}
			return err
		})
		return msg
	}
}

func participants(p *project.Project) ([]project.Participant, error) {
	ps, err := p.Participants()
	out := make([]project.Participant, len(ps))
	for i, x := range ps {
		out[i] = x.Participant
	}
	return out, err
}

func readDocument(p *project.Project, id string) (*project.DocumentView, []project.Coding, error) {
	d, err := p.Document(id)
	if err != nil {
		return nil, nil, err
	}
	cs, err := p.DocumentCodings(d.ID)
	return d, cs, err
}

// openDocCmd reads one document and its codings.
func (m *Model) openDocCmd(id string, goTo *[2]int) tea.Cmd {
	s := m.sess
	return func() tea.Msg {
		msg := docMsg{goTo: goTo}
		msg.err = s.read(func(p *project.Project) error {
			var err error
			msg.doc, msg.codings, err = readDocument(p, id)
			return err
		})
		return msg
	}
}

// countsCmd counts segments and participants per code as the frequency
// report does (interviewers excluded).
func (m *Model) countsCmd() tea.Cmd {
	s := m.sess
	return func() tea.Msg {
		var msg countsMsg
		msg.err = s.read(func(p *project.Project) error {
			ds, err := p.Dataset(project.ReportFilter{}, false)
			if err != nil {
				return err
			}
			t, err := analysis.Freq(ds, analysis.FreqOptions{})
			if err != nil {
				return err
			}
			msg.counts = make(map[string]codetree.Count, len(t.Rows))
			for _, r := range t.Rows {
				msg.counts[r.CodeID] = codetree.Count{Segments: r.Segments, Participants: r.Participants}
			}
			return nil
		})
		return msg
	}
}

func (m *Model) retrieveCmd(c codebook.Code) tea.Cmd {
	s := m.sess
	return func() tea.Msg {
		msg := retrieveMsg{title: "Retrieve: " + c.Name}
		msg.err = s.read(func(p *project.Project) error {
			var err error
			msg.rows, err = p.Codings(project.CodingFilter{Code: c.ID})
			return err
		})
		return msg
	}
}

func (m *Model) summaryCmd() tea.Cmd {
	s := m.sess
	return func() tea.Msg {
		var msg summaryMsg
		msg.err = s.read(func(p *project.Project) error {
			ds, err := p.Dataset(project.ReportFilter{}, false)
			if err != nil {
				return err
			}
			if msg.freq, err = analysis.Freq(ds, analysis.FreqOptions{By: []string{"role"}}); err != nil {
				return err
			}
			msg.fid, err = analysis.Fidelity(ds, analysis.FidelityOptions{Framework: "ips25", By: "role"})
			return err
		})
		return msg
	}
}

// tickCmd polls the file for changes made by other processes.
func (m *Model) tickCmd() tea.Cmd {
	s := m.sess
	return tea.Tick(pollInterval, func(time.Time) tea.Msg {
		if s.changed() {
			return changedMsg{}
		}
		return tickMsg{}
	})
}

// jump is where a results-view entry opens: a document and a span.
type jump struct {
	docID      string
	start, end int
}

// findAllCmd searches every document (case-insensitive, accents folded);
// the search cache keeps folded texts between searches.
func (m *Model) findAllCmd(q string) tea.Cmd {
	s := m.sess
	if m.search == nil {
		m.search = project.NewSearchCache()
	}
	cache := m.search
	return func() tea.Msg {
		msg := retrieveMsg{title: fmt.Sprintf("Search %q", q)}
		msg.err = s.read(func(p *project.Project) error {
			var err error
			msg.hits, err = p.Search(project.SearchOptions{Text: q, FoldAccents: true, Cache: cache})
			return err
		})
		return msg
	}
}

// queryCmd runs a boolean query over codings (docs/QUERY.md).
func (m *Model) queryCmd(q string) tea.Cmd {
	s := m.sess
	return func() tea.Msg {
		msg := retrieveMsg{title: "Query " + q}
		msg.err = s.read(func(p *project.Project) error {
			res, err := p.Query(q)
			if err != nil {
				return err
			}
			msg.rows = res.Codings
			return nil
		})
		if msg.err != nil { // a syntax error's caret line does not fit a status line
			msg.err = fmt.Errorf("%s", strings.SplitN(msg.err.Error(), "\n", 2)[0])
		}
		return msg
	}
}
