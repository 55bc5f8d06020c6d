package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/qcode-qda/qcode/internal/agreement"
	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/tui/review"
)

// reviewMsg carries the disagreements of two coders and the agreement
// figures; figuresMsg only the figures (after a decision).
type reviewMsg struct {
	a, b    string
	items   []project.Disagreement
	figures []string
	err     error
}

type reviewDocMsg struct {
	doc     string
	codings []project.Coding
}

type resolvedMsg struct {
	status  string
	figures []string
	err     error
}

func (m *Model) consensusCoder() string {
	if m.opt.Consensus != "" {
		return m.opt.Consensus
	}
	return project.DefaultConsensusCoder
}

func (m *Model) reviewUnit() agreement.Unit {
	if m.opt.ReviewUnit != "" {
		return agreement.Unit(m.opt.ReviewUnit)
	}
	return agreement.UnitTurn
}

// startReviewCmd finds the two coders (those asked for, else the first two
// who coded, the consensus coder aside) and their disagreements.
func (m *Model) startReviewCmd() tea.Cmd {
	s, asked, unit, cons := m.sess, m.opt.Review, m.reviewUnit(), m.consensusCoder()
	return func() tea.Msg {
		var msg reviewMsg
		msg.err = s.read(func(p *project.Project) error {
			coders := asked
			if len(coders) == 0 {
				all, err := p.Agree(project.AgreeOptions{Unit: unit})
				if err != nil {
					return err
				}
				for _, c := range all.Coders {
					if !strings.EqualFold(c, cons) {
						coders = append(coders, c)
					}
				}
			}
			if len(coders) < 2 {
				return fmt.Errorf("a review needs two coders; found %s", strings.Join(coders, ", "))
			}
			msg.a, msg.b = coders[0], coders[1]
			res, err := p.Agree(project.AgreeOptions{Coders: []string{msg.a, msg.b}, Unit: unit, Disagreements: true})
			if err != nil {
				return err
			}
			msg.items = res.Disagreements
			msg.figures = figures(p, msg.a, msg.b, cons, unit)
			return nil
		})
		return msg
	}
}

// figures are the overall agreement of A and B, and of each with the
// consensus coder once there is a consensus to compare with.
func figures(p *project.Project, a, b, cons string, unit agreement.Unit) []string {
	var out []string
	for _, pair := range [][2]string{{a, b}, {a, cons}, {b, cons}} {
		res, err := p.Agree(project.AgreeOptions{Coders: pair[:], Unit: unit})
		if err != nil || res.Overall.Stats == nil {
			continue
		}
		st := res.Overall.Stats
		out = append(out, fmt.Sprintf("%s–%s: %s agreement %s · Cohen's κ %s · Krippendorff's α %s (%d %s units, %d documents)",
			pair[0], pair[1], "percent", stat(st.PercentAgreement), stat(st.CohenKappa.Stat), stat(st.Alpha[agreement.Nominal].Stat), st.PairableUnits, unit, len(res.Compared)))
	}
	return out
}

func stat(s agreement.Stat) string {
	if !s.Defined {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", s.Value)
}

func (m *Model) reviewDocCmd(doc string) tea.Cmd {
	s := m.sess
	return func() tea.Msg {
		msg := reviewDocMsg{doc: doc}
		_ = s.read(func(p *project.Project) error {
			d, err := p.Document(doc)
			if err != nil {
				return err
			}
			msg.codings, err = p.DocumentCodings(d.ID)
			return err
		})
		return msg
	}
}

// resolveCmd stores a decision, then refreshes the figures.
func (m *Model) resolveCmd(d project.Disagreement, take []string) tea.Cmd {
	s, a, b, cons, unit := m.sess, m.rev.A, m.rev.B, m.consensusCoder(), m.reviewUnit()
	return func() tea.Msg {
		var msg resolvedMsg
		msg.err = s.write(func(p *project.Project) error {
			_, added, err := p.Resolve(project.Resolution{Doc: d.Document, CodeID: d.CodeID, Start: d.Start, End: d.End, Take: take, Consensus: cons})
			if err != nil {
				return err
			}
			msg.status = fmt.Sprintf("%s: %d consensus coding(s) of %s stored", d.Document, len(added), d.Path)
			msg.figures = figures(p, a, b, cons, unit)
			return nil
		})
		return msg
	}
}

func (m *Model) onReviewMsg(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reviewMsg:
		if msg.err != nil {
			m.mode = modeMain
			m.setStatus("review: "+msg.err.Error(), true)
			return nil
		}
		m.rev = review.New(m.st, msg.a, msg.b, m.consensusCoder(), string(m.reviewUnit()))
		m.rev.SetSize(m.lay.full.w, m.lay.full.h)
		m.rev.SetItems(msg.items)
		m.rev.SetFigures(msg.figures)
		return m.reviewEnsureDoc()
	case reviewDocMsg:
		if m.rev != nil {
			m.rev.SetCodings(msg.doc, msg.codings)
		}
	case resolvedMsg:
		m.busy--
		if msg.err != nil {
			m.setStatus(errorText(msg.err), true)
			return nil
		}
		m.lastSave = m.now()
		m.setStatus(msg.status, false)
		if m.rev != nil {
			m.rev.SetFigures(msg.figures)
		}
		return m.reviewEnsureDoc()
	}
	return nil
}

func (m *Model) reviewEnsureDoc() tea.Cmd {
	if m.rev == nil {
		return nil
	}
	if d, ok := m.rev.Current(); ok && !m.rev.HasCodings(d.Document) {
		return m.reviewDocCmd(d.Document)
	}
	return nil
}

func (m *Model) onReviewKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if m.rev == nil {
		if key.Matches(msg, k.Escape) {
			m.mode = modeMain
		}
		return nil
	}
	var dec review.Decision
	switch msg.String() {
	case "a":
		dec = review.TakeA
	case "b":
		dec = review.TakeB
	case "+", "=":
		dec = review.TakeBoth
	case "-", "0":
		dec = review.TakeNeither
	case "j", "down", "n":
		m.rev.Move(1)
		return m.reviewEnsureDoc()
	case "k", "up", "p":
		m.rev.Move(-1)
		return m.reviewEnsureDoc()
	case "esc":
		m.mode = modeMain
		return tea.Batch(m.loadCmd(m.docID(), false), m.countsCmd())
	case "q":
		return m.quit()
	default:
		return nil
	}
	d, ok := m.rev.Current()
	if !ok {
		return nil
	}
	m.rev.Decide(dec)
	m.busy++
	return tea.Batch(m.resolveCmd(d, m.rev.Take(dec)), m.reviewEnsureDoc())
}
