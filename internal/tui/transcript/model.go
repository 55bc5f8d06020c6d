package transcript

import (
	"slices"

	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/tui/theme"
)

// CodeLook is what the pane needs to know of a code to draw it.
type CodeLook struct {
	Name   string
	Colour string
}

// Model is the transcript pane. It holds one document and never touches
// the project: the root model loads documents and codings and hands them
// over with SetDocument and SetCodings.
type Model struct {
	st    *theme.Styles
	keys  theme.KeyMap
	doc   *project.DocumentView
	text  []rune
	units []Unit

	codings     []project.Coding // ordered by start
	unitCodings [][]int32        // per unit: indices into codings that overlap it
	looks       map[string]CodeLook
	coder       string
	coded       int // units with a coding by coder, counted when codings change

	cursor, top int
	visual      bool
	anchor      int // the fixed end of a visual selection
	head        int // the moving end
	dragging    bool

	query string
	hits  [][2]int
	hit   int

	width, height int
	gutter        int
	wraps         map[int][]span // per unit, at the current width
	rows          []row          // what the last View drew on each line
}

type span struct{ start, end int }

// row records a drawn line so that a mouse position maps to a text offset.
type row struct {
	unit       int
	start, end int // rune offsets of the text on this line; start < 0 for non-text lines
	x0         int // column where the text starts
}

// New returns an empty pane.
func New(st *theme.Styles, keys theme.KeyMap) Model {
	return Model{st: st, keys: keys, looks: map[string]CodeLook{}, wraps: map[int][]span{}}
}

// SetStyles swaps the styles (light/dark background detected).
func (m *Model) SetStyles(st *theme.Styles) { m.st = st }

// SetSize sets the pane's inner size; the gutter takes a fifth of the width.
func (m *Model) SetSize(w, h int) {
	if w != m.width {
		m.wraps = map[int][]span{}
	}
	m.width, m.height = max(w, 10), max(h, 1)
	m.gutter = min(max(m.width/5, 8), 28)
	m.ensureVisible()
}

// SetDocument shows a document from its start (or keeps the cursor when it
// is the same document, reloaded).
func (m *Model) SetDocument(doc *project.DocumentView) {
	same := m.doc != nil && doc != nil && m.doc.ID == doc.ID
	m.doc = doc
	m.text = nil
	m.units = nil
	if doc != nil {
		m.text = []rune(doc.Text)
		m.units = buildUnits(doc, m.text)
	}
	m.wraps = map[int][]span{}
	if !same {
		m.cursor, m.top, m.visual = 0, 0, false
		m.query, m.hits, m.hit = "", nil, 0
	}
	m.cursor = min(m.cursor, max(len(m.units)-1, 0))
	m.indexCodings()
	m.ensureVisible()
}

// SetCodings replaces the document's codings (after a change or a reload).
func (m *Model) SetCodings(cs []project.Coding, looks map[string]CodeLook, coder string) {
	m.codings = slices.Clone(cs)
	slices.SortStableFunc(m.codings, func(a, b project.Coding) int { return a.Start - b.Start })
	m.looks, m.coder = looks, coder
	m.indexCodings()
}

// indexCodings lists, for each unit, the codings that overlap it, by one
// sweep over units and codings ordered by start.
func (m *Model) indexCodings() {
	m.unitCodings = make([][]int32, len(m.units))
	m.coded = 0
	if len(m.units) == 0 {
		return
	}
	for i, c := range m.codings {
		for u := unitAt(m.units, c.Start); u < len(m.units) && m.units[u].Start < c.End; u++ {
			if m.units[u].End > c.Start {
				m.unitCodings[u] = append(m.unitCodings[u], int32(i))
			}
		}
	}
	for u := range m.units {
		if m.codedBy(u, m.coder) {
			m.coded++
		}
	}
}

// Document is the document shown, or nil.
func (m *Model) Document() *project.DocumentView { return m.doc }

// Cursor is the index of the current unit; Units counts them.
func (m *Model) Cursor() int { return m.cursor }
func (m *Model) Units() int  { return len(m.units) }

// Unit returns the current unit.
func (m *Model) Unit() (Unit, bool) {
	if m.cursor < 0 || m.cursor >= len(m.units) {
		return Unit{}, false
	}
	return m.units[m.cursor], true
}

// Visual reports whether a word selection is active.
func (m *Model) Visual() bool { return m.visual }

// Selection is the span a code applies to: the visual selection, else the
// whole current unit.
func (m *Model) Selection() (start, end int, ok bool) {
	if m.visual {
		s, e := min(m.anchor, m.head), max(m.anchor, m.head)
		return s, e, e > s
	}
	u, ok := m.Unit()
	return u.Start, u.End, ok && u.End > u.Start
}

// ClearSelection ends a visual selection (after a code was applied).
func (m *Model) ClearSelection() { m.visual, m.dragging = false, false }

// CodingsUnderCursor are the codings that overlap the selection, in text
// order.
func (m *Model) CodingsUnderCursor() []project.Coding {
	s, e, ok := m.Selection()
	if !ok {
		return nil
	}
	var out []project.Coding
	for _, i := range m.unitCodings[m.cursor] {
		c := m.codings[i]
		if c.Start < e && c.End > s {
			out = append(out, c)
		}
	}
	if m.visual { // a selection may run over several units
		seen := map[string]bool{}
		out = out[:0]
		for u := unitAt(m.units, s); u < len(m.units) && m.units[u].Start < e; u++ {
			for _, i := range m.unitCodings[u] {
				c := m.codings[i]
				if c.Start < e && c.End > s && !seen[c.ID] {
					seen[c.ID] = true
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// CodedShare is the share of units with at least one coding by the coder.
func (m *Model) CodedShare() (coded, total int) { return m.coded, len(m.units) }

func (m *Model) codedBy(u int, coder string) bool {
	for _, i := range m.unitCodings[u] {
		if m.codings[i].Coder == coder {
			return true
		}
	}
	return false
}

// GoTo puts the cursor on the unit holding a text offset and, when end >
// start, selects that span (a retrieved excerpt, a search hit).
func (m *Model) GoTo(start, end int) {
	if len(m.units) == 0 {
		return
	}
	m.cursor = unitAt(m.units, start)
	m.visual = false
	if end > start {
		m.visual, m.anchor, m.head = true, start, end
	}
	m.ensureVisible()
}

// SetCursor moves to a unit index.
func (m *Model) SetCursor(i int) {
	if len(m.units) == 0 {
		return
	}
	m.cursor = max(0, min(i, len(m.units)-1))
	if m.visual && !m.dragging {
		m.visual = false
	}
	m.ensureVisible()
}
