package theme

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
)

// KeyMap is every binding of the TUI. Panes show the part that applies to
// them in the hint line and in the full help (`?`).
type KeyMap struct {
	// Global
	NextPane, PrevPane, Help, Quit, Undo, Redo, Retrieve, Summary, Review, FindAll, Query, Escape key.Binding
	// Transcript
	Down, Up, PageDown, PageUp, Top, Bottom, Visual, WordNext, WordPrev,
	SentenceNext, SentencePrev, SwapEnds, NextUncoded, Search, NextHit, PrevHit,
	Remove, Memo, ApplyNumber key.Binding
	// Codebook
	Apply, Filter, NewCode key.Binding
	// Lists (documents, retrieve, pickers)
	Open key.Binding
}

// DefaultKeyMap is the key map documented in docs/TUI.md.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, h string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, h))
	}
	return KeyMap{
		NextPane: b([]string{"tab"}, "tab", "next pane"),
		PrevPane: b([]string{"shift+tab"}, "shift+tab", "previous pane"),
		Help:     b([]string{"?"}, "?", "help"),
		Quit:     b([]string{"q", "ctrl+c"}, "q", "quit"),
		Undo:     b([]string{"u"}, "u", "undo"),
		Redo:     b([]string{"ctrl+r"}, "ctrl+r", "redo"),
		Retrieve: b([]string{"r"}, "r", "retrieve code"),
		Summary:  b([]string{"s"}, "s", "summary"),
		Review:   b([]string{"D"}, "D", "review disagreements"),
		FindAll:  b([]string{"f"}, "f", "search all documents"),
		Query:    b([]string{":"}, ":", "query codings"),
		Escape:   b([]string{"esc"}, "esc", "back/cancel"),

		Down:         b([]string{"j", "down"}, "j/↓", "next turn"),
		Up:           b([]string{"k", "up"}, "k/↑", "previous turn"),
		PageDown:     b([]string{"pgdown", "ctrl+d", "space"}, "pgdn", "page down"),
		PageUp:       b([]string{"pgup", "ctrl+u"}, "pgup", "page up"),
		Top:          b([]string{"g", "home"}, "g", "first turn"),
		Bottom:       b([]string{"G", "end"}, "G", "last turn"),
		Visual:       b([]string{"v"}, "v", "select words"),
		WordNext:     b([]string{"w"}, "w", "word →"),
		WordPrev:     b([]string{"b"}, "b", "word ←"),
		SentenceNext: b([]string{")"}, ")", "sentence →"),
		SentencePrev: b([]string{"("}, "(", "sentence ←"),
		SwapEnds:     b([]string{"o"}, "o", "other end"),
		NextUncoded:  b([]string{"n"}, "n", "next uncoded / hit"),
		Search:       b([]string{"/"}, "/", "search"),
		NextHit:      b([]string{"n"}, "n", "next hit"),
		PrevHit:      b([]string{"N"}, "N", "previous hit"),
		Remove:       b([]string{"x"}, "x", "remove coding"),
		Memo:         b([]string{"m"}, "m", "memo"),
		ApplyNumber:  b([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, "1-9", "apply code"),

		Apply:   b([]string{"enter"}, "enter", "apply code"),
		Filter:  b([]string{"/"}, "/", "filter"),
		NewCode: b([]string{"a"}, "a", "new code"),

		Open: b([]string{"enter"}, "enter", "open"),
	}
}

// Reserved reports whether a bare key is one of the TUI's own commands, so
// that a code hotkey with the same key is reached with alt+KEY only.
func (k KeyMap) Reserved(s string) bool {
	for _, b := range []key.Binding{k.NextPane, k.PrevPane, k.Help, k.Quit, k.Undo, k.Redo, k.Retrieve, k.Summary, k.Review, k.FindAll, k.Query,
		k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom, k.Visual, k.WordNext, k.WordPrev, k.SentenceNext,
		k.SentencePrev, k.SwapEnds, k.NextUncoded, k.Search, k.PrevHit, k.Remove, k.Memo, k.ApplyNumber, k.NewCode} {
		for _, key := range b.Keys() {
			if key == s {
				return true
			}
		}
	}
	return false
}

// SteadyCursor stops a text input's cursor from blinking: a blinking cursor
// redraws the whole screen twice a second for nothing.
func SteadyCursor(ti *textinput.Model) {
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
}
