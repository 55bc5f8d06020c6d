// Package theme holds what every pane of the TUI shares: the styles built
// from semantic colours for light or dark terminals (or none, under
// NO_COLOR), and the key bindings.
package theme

import (
	"hash/fnv"
	"image/color"
	"os"

	"charm.land/lipgloss/v2"
)

// Styles are the TUI's looks, built once per background. Components never
// name a colour themselves.
type Styles struct {
	Dark    bool
	NoColor bool

	Pane        lipgloss.Style // unfocused pane border
	PaneFocused lipgloss.Style
	Title       lipgloss.Style // pane titles
	Muted       lipgloss.Style // secondary text: counts, times, hints
	Cursor      lipgloss.Style // the cursor row of a list
	CursorMark  lipgloss.Style // the ▶ beside the current turn
	Selection   lipgloss.Style // the text that a code would apply to
	Hit         lipgloss.Style // a search hit
	StatusBar   lipgloss.Style
	StatusKey   lipgloss.Style
	Error       lipgloss.Style
	Notice      lipgloss.Style
	Barrier     lipgloss.Style
	Facilitator lipgloss.Style
	Mixed       lipgloss.Style
	Dialog      lipgloss.Style
	Bar         lipgloss.Style // bar charts
	BarAlt      lipgloss.Style
}

// NoColorRequested reports whether the user asked for no colour
// (https://no-color.org: any non-empty NO_COLOR).
func NoColorRequested() bool { return os.Getenv("NO_COLOR") != "" }

// NewStyles builds the styles for a dark or light background. With noColor
// every distinction is made with bold, underline and reverse video instead.
func NewStyles(dark, noColor bool) *Styles {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkC string) color.Color {
		return ld(lipgloss.Color(light), lipgloss.Color(darkC))
	}
	s := &Styles{Dark: dark, NoColor: noColor}
	base := lipgloss.NewStyle()
	border := lipgloss.RoundedBorder()
	s.Pane = base.Border(border)
	s.PaneFocused = base.Border(lipgloss.ThickBorder())
	s.Title = base.Bold(true)
	s.Muted = base
	s.Cursor = base.Reverse(true)
	s.CursorMark = base.Bold(true)
	s.Selection = base.Reverse(true)
	s.Hit = base.Bold(true).Underline(true)
	s.StatusBar = base.Reverse(true)
	s.StatusKey = base.Bold(true)
	s.Error = base.Bold(true)
	s.Notice = base.Bold(true)
	s.Barrier = base.Bold(true)
	s.Facilitator = base.Bold(true)
	s.Mixed = base.Bold(true)
	s.Dialog = base.Border(lipgloss.DoubleBorder()).Padding(0, 1)
	s.Bar = base
	s.BarAlt = base
	if noColor {
		return s
	}
	s.Pane = s.Pane.BorderForeground(c("#b0b0b0", "#555555"))
	s.PaneFocused = s.PaneFocused.BorderForeground(c("#1f5fbf", "#6fa8ff"))
	s.Title = s.Title.Foreground(c("#1f3f7f", "#9fc3ff"))
	s.Muted = s.Muted.Foreground(c("#6b6b6b", "#8a8a8a"))
	s.Cursor = base.Background(c("#d6e4ff", "#2b3f66")).Foreground(c("#000000", "#ffffff"))
	s.CursorMark = s.CursorMark.Foreground(c("#1f5fbf", "#6fa8ff"))
	s.Selection = base.Background(c("#ffe08a", "#7a5c00")).Foreground(c("#000000", "#ffffff"))
	s.Hit = base.Background(c("#b8f0b8", "#1f6b1f")).Foreground(c("#000000", "#ffffff"))
	s.StatusBar = base.Background(c("#e4e4e4", "#303030")).Foreground(c("#1a1a1a", "#e0e0e0"))
	s.StatusKey = s.StatusBar.Bold(true)
	s.Error = s.Error.Foreground(c("#b00020", "#ff6b6b"))
	s.Notice = s.Notice.Foreground(c("#1b7837", "#7fd47f"))
	s.Barrier = s.Barrier.Foreground(c("#b00020", "#ff6b6b"))
	s.Facilitator = s.Facilitator.Foreground(c("#1b7837", "#7fd47f"))
	s.Mixed = s.Mixed.Foreground(c("#8a5a00", "#e6b84d"))
	s.Dialog = s.Dialog.BorderForeground(c("#1f5fbf", "#6fa8ff"))
	s.Bar = base.Foreground(c("#1f5fbf", "#6fa8ff"))
	s.BarAlt = base.Foreground(c("#b00020", "#ff6b6b"))
	return s
}

// Code is how a coded span of a code is drawn: its own colour as an
// underline-and-foreground, so that the words stay readable on both light
// and dark backgrounds. Under NO_COLOR, an underline alone.
func (s *Styles) Code(hex string) lipgloss.Style {
	st := lipgloss.NewStyle().Underline(true)
	if s.NoColor || hex == "" {
		return st
	}
	return st.Foreground(lipgloss.Color(hex))
}

// roleColours are for speaker labels: the common IPS study roles get fixed
// colours so that a team sees the same colour for "employer" everywhere;
// other roles hash into the palette.
var roleColours = map[string][2]string{
	"staff":                 {"#1f5fbf", "#6fa8ff"},
	"employment-specialist": {"#6a3d9a", "#c29bff"},
	"patient":               {"#1b7837", "#7fd47f"},
	"service-user":          {"#1b7837", "#7fd47f"},
	"employer":              {"#b35806", "#ffb366"},
	"manager":               {"#01665e", "#5fd3c6"},
	"interviewer":           {"#6b6b6b", "#9a9a9a"},
	"moderator":             {"#6b6b6b", "#9a9a9a"},
}

var palette = [][2]string{{"#8c510a", "#dfc27d"}, {"#c51b7d", "#f1b6da"}, {"#2166ac", "#92c5de"}, {"#4d9221", "#b8e186"}}

// Speaker styles a speaker label by role.
func (s *Styles) Speaker(role string) lipgloss.Style {
	st := lipgloss.NewStyle().Bold(true)
	if s.NoColor {
		return st
	}
	pair, ok := roleColours[role]
	if !ok && role != "" {
		h := fnv.New32a()
		h.Write([]byte(role))
		pair = palette[int(h.Sum32()%uint32(len(palette)))]
	} else if !ok {
		return st
	}
	ld := lipgloss.LightDark(s.Dark)
	return st.Foreground(ld(lipgloss.Color(pair[0]), lipgloss.Color(pair[1])))
}
