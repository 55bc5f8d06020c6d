package transcript

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/qcode-qda/qcode/internal/query"
)

// Update handles the pane's own keys: moving, selecting, search hits. It
// reports whether it used the message; the root handles the rest (coding,
// removing, memos).
func (m *Model) Update(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseClickMsg:
		return m.mouseDown(msg.Mouse())
	case tea.MouseMotionMsg:
		return m.mouseDrag(msg.Mouse())
	case tea.MouseReleaseMsg:
		return m.mouseUp(msg.Mouse())
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelDown:
			m.SetCursor(m.cursor + 1)
		case tea.MouseWheelUp:
			m.SetCursor(m.cursor - 1)
		}
		return true
	}
	return false
}

func (m *Model) key(msg tea.KeyPressMsg) bool {
	k := m.keys
	if len(m.units) == 0 {
		return false
	}
	u := m.units[m.cursor]
	switch {
	case m.visual && key.Matches(msg, k.Escape):
		m.visual = false
	case key.Matches(msg, k.Down):
		if m.visual {
			m.moveHead(m.units[min(m.cursor+1, len(m.units)-1)].End)
		} else {
			m.SetCursor(m.cursor + 1)
		}
	case key.Matches(msg, k.Up):
		if m.visual {
			m.moveHead(m.units[max(m.cursor-1, 0)].Start)
		} else {
			m.SetCursor(m.cursor - 1)
		}
	case key.Matches(msg, k.PageDown):
		m.SetCursor(m.cursor + m.unitsPerPage())
	case key.Matches(msg, k.PageUp):
		m.SetCursor(m.cursor - m.unitsPerPage())
	case key.Matches(msg, k.Top):
		m.SetCursor(0)
	case key.Matches(msg, k.Bottom):
		m.SetCursor(len(m.units) - 1)
	case key.Matches(msg, k.Visual):
		if m.visual {
			m.visual = false
			break
		}
		m.visual, m.anchor = true, u.Start
		m.head = step(u.Start, 1, u.Start, u.End, func(p int) bool { return isWordEnd(m.text, p, u.Start, u.End) })
		if m.head == u.Start {
			m.head = u.End
		}
	case m.visual && key.Matches(msg, k.WordNext):
		m.stepHead(1, isWordEnd, isWordStart)
	case m.visual && key.Matches(msg, k.WordPrev):
		m.stepHead(-1, isWordEnd, isWordStart)
	case m.visual && key.Matches(msg, k.SentenceNext):
		m.stepHead(1, isSentenceEnd, isSentenceStart)
	case m.visual && key.Matches(msg, k.SentencePrev):
		m.stepHead(-1, isSentenceEnd, isSentenceStart)
	case m.visual && key.Matches(msg, k.SwapEnds):
		m.anchor, m.head = m.head, m.anchor
	case len(m.hits) > 0 && key.Matches(msg, k.NextHit):
		m.jumpHit(m.hit + 1)
	case len(m.hits) > 0 && key.Matches(msg, k.PrevHit):
		m.jumpHit(m.hit - 1 + len(m.hits))
	default:
		return false
	}
	return true
}

// stepHead moves the moving end of the selection to the next or previous
// boundary: ends of words or sentences when it is the right end, starts
// when it is the left end. It never collapses the selection.
func (m *Model) stepHead(dir int, endAt, startAt func(text []rune, p, lo, hi int) bool) {
	lo, hi := 0, len(m.text)
	at := func(p int) bool { return endAt(m.text, p, lo, hi) }
	if m.head < m.anchor {
		at = func(p int) bool { return startAt(m.text, p, lo, hi) }
	}
	next := step(m.head, dir, lo, hi, at)
	if next == m.anchor {
		return
	}
	if (m.head > m.anchor) != (next > m.anchor) { // would cross the anchor
		return
	}
	m.moveHead(next)
}

func (m *Model) moveHead(p int) {
	m.head = max(0, min(p, len(m.text)))
	m.cursor = unitAt(m.units, max(m.head-1, 0))
	if m.head < m.anchor {
		m.cursor = unitAt(m.units, m.head)
	}
	m.ensureVisible()
}

// NextUncoded moves to the next unit after the cursor that the coder has
// not coded; it reports false when there is none.
func (m *Model) NextUncoded() bool {
	for u := m.cursor + 1; u < len(m.units); u++ {
		if !m.codedBy(u, m.coder) {
			m.SetCursor(u)
			return true
		}
	}
	return false
}

// Search finds every occurrence of q in the document, ignoring case and
// accents as `qcode search --fold-accents` does (the same matcher), and
// moves to the first one at or after the cursor. It returns the number of
// hits; a query the matcher refuses finds nothing.
func (m *Model) Search(q string) int {
	m.query, m.hits, m.hit = q, nil, 0
	pat, err := query.Compile(query.PatternOptions{Text: q, Fold: query.FoldCase | query.FoldAccents})
	if err != nil || m.doc == nil {
		return 0
	}
	for h := range pat.All(query.NewText(m.doc.Text)) {
		m.hits = append(m.hits, [2]int{h.Start.Rune, h.End.Rune})
	}
	if len(m.hits) == 0 {
		return 0
	}
	from := 0
	if len(m.units) > 0 {
		from = m.units[m.cursor].Start
	}
	first := 0
	for i, h := range m.hits {
		if h[0] >= from {
			first = i
			break
		}
	}
	m.jumpHit(first)
	return len(m.hits)
}

// Hit says which search hit is current (1-based) of how many.
func (m *Model) Hit() (i, n int, q string) {
	if len(m.hits) == 0 {
		return 0, 0, m.query
	}
	return m.hit + 1, len(m.hits), m.query
}

// ClearSearch forgets the search.
func (m *Model) ClearSearch() { m.query, m.hits, m.hit = "", nil, 0 }

func (m *Model) jumpHit(i int) {
	m.hit = i % len(m.hits)
	h := m.hits[m.hit]
	m.visual = false
	m.cursor = unitAt(m.units, h[0])
	m.ensureVisible()
}

// Mouse: a press starts a selection, a drag grows it, a release without
// movement just moves the cursor to the clicked turn.

func (m *Model) offsetAt(x, y int) (unit, off int, ok bool) {
	if y < 0 || y >= len(m.rows) {
		return 0, 0, false
	}
	r := m.rows[y]
	if r.start < 0 {
		return r.unit, -1, r.unit >= 0
	}
	col := r.x0
	for p := r.start; p < r.end; p++ {
		w := runeWidth(m.text[p])
		if x < col+w {
			return r.unit, p, true
		}
		col += w
	}
	return r.unit, r.end, true
}

func (m *Model) mouseDown(ms tea.Mouse) bool {
	if ms.Button != tea.MouseLeft {
		return false
	}
	u, off, ok := m.offsetAt(ms.X, ms.Y)
	if !ok {
		return false
	}
	m.cursor = u
	m.visual, m.dragging = false, off >= 0
	if off >= 0 {
		m.anchor, m.head = off, off
	}
	return true
}

func (m *Model) mouseDrag(ms tea.Mouse) bool {
	if !m.dragging {
		return false
	}
	if _, off, ok := m.offsetAt(ms.X, ms.Y); ok && off >= 0 {
		m.head = off
		m.visual = m.head != m.anchor
		if m.visual {
			m.cursor = unitAt(m.units, min(m.anchor, m.head))
		}
	}
	return true
}

func (m *Model) mouseUp(ms tea.Mouse) bool {
	if !m.dragging {
		return false
	}
	m.mouseDrag(ms)
	m.dragging = false
	if m.visual { // snap the ends out to whole words, as editors do
		s, e := min(m.anchor, m.head), max(m.anchor, m.head)
		for s > 0 && isWordRune(m.text[s-1]) && isWordRune(m.text[s]) {
			s--
		}
		for e < len(m.text) && e > 0 && isWordRune(m.text[e-1]) && isWordRune(m.text[e]) {
			e++
		}
		m.anchor, m.head = s, e
	}
	return true
}
