package query

import (
	"errors"
	"fmt"
	"iter"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Text is a document's text prepared for searching. Its folded forms are
// built on first use and kept, so a client that keeps its Texts (the TUI,
// a benchmark) pays only for matching on later searches. It is safe for
// concurrent use.
type Text struct {
	s     string
	mu    sync.Mutex
	forms map[Fold]*folded
}

// NewText prepares s for searching.
func NewText(s string) *Text { return &Text{s: s} }

// String is the original text.
func (t *Text) String() string { return t.s }

func (t *Text) form(mode Fold) *folded {
	t.mu.Lock()
	defer t.mu.Unlock()
	if fd, ok := t.forms[mode]; ok {
		return fd
	}
	if t.forms == nil {
		t.forms = map[Fold]*folded{}
	}
	fd := foldText(t.s, newFolder(mode))
	t.forms[mode] = fd
	return fd
}

// PatternOptions say what to look for.
type PatternOptions struct {
	Text  string // a word or phrase; with Regex, a Go regular expression
	Regex bool
	Fold  Fold // FoldCase is what users expect by default
	// Word keeps only matches that are whole words: no letter or digit
	// right before or after them ("NAV" but not "navigate").
	Word bool
}

// Pattern is a compiled search.
type Pattern struct {
	fold  Fold
	words []string       // a word or phrase, folded: the first found with strings.Index
	re    *regexp.Regexp // a regular expression, over the folded text
	word  bool
}

// ErrEmptyPattern is returned for a search for nothing.
var ErrEmptyPattern = errors.New("nothing to search for")

// Compile prepares a search. A phrase (several words) matches with any
// white space between its words, line breaks included, so a phrase
// wrapped across caption lines is still found. Regular expressions use Go's
// syntax (RE2: no backreferences, always linear time); with FoldCase they
// match ignoring case, and with FoldAccents their literal text is folded.
func Compile(opt PatternOptions) (*Pattern, error) {
	f := newFolder(opt.Fold)
	p := &Pattern{fold: opt.Fold, word: opt.Word}
	if opt.Regex {
		if opt.Text == "" {
			return nil, ErrEmptyPattern
		}
		re, err := compileRegex(opt.Text, f)
		if err != nil {
			return nil, err
		}
		p.re = re
		return p, nil
	}
	for _, w := range strings.Fields(opt.Text) {
		if w = f.String(w); w != "" { // a lone combining accent folds away
			p.words = append(p.words, w)
		}
	}
	if len(p.words) == 0 {
		return nil, ErrEmptyPattern
	}
	return p, nil
}

// compileRegex compiles a user's expression to run over text folded by f:
// its literal runes are folded the same way (and, when case is folded,
// parsed case-insensitively so classes like [a-z] cover both cases). A
// literal prefix then stays a plain literal, which regexp finds with a
// fast substring search instead of running the matcher at every byte.
func compileRegex(pat string, f *folder) (*regexp.Regexp, error) {
	flags := syntax.Perl
	if f.mode&FoldCase != 0 {
		flags |= syntax.FoldCase
	}
	tree, err := syntax.Parse(pat, flags)
	if err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			msg := fmt.Sprintf("invalid regular expression %q: %s", pat, se.Code)
			if se.Expr != "" && se.Expr != pat {
				msg += fmt.Sprintf(" (at %q)", se.Expr)
			}
			return nil, errors.New(msg)
		}
		return nil, fmt.Errorf("invalid regular expression %q: %v", pat, err)
	}
	if f.mode != 0 {
		foldLiterals(tree, f)
	}
	re, err := regexp.Compile(tree.String())
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %v", pat, err)
	}
	if re.MatchString("") {
		return nil, fmt.Errorf("regular expression %q matches empty text, so it would match everywhere; make it match at least one character", pat)
	}
	return re, nil
}

func foldLiterals(re *syntax.Regexp, f *folder) {
	if re.Op == syntax.OpLiteral {
		var out []rune
		for _, r := range re.Rune {
			out = append(out, []rune(f.String(string(r)))...)
		}
		re.Rune, re.Flags = out, re.Flags&^syntax.FoldCase
		if len(out) == 0 {
			re.Op = syntax.OpEmptyMatch
		}
	}
	for _, s := range re.Sub {
		foldLiterals(s, f)
	}
}

// Match is one hit: [Start, End) of the original text.
type Match struct{ Start, End Pos }

// All yields t's matches in order. Matches do not overlap.
func (p *Pattern) All(t *Text) iter.Seq[Match] {
	return func(yield func(Match) bool) {
		fd := t.form(p.fold)
		prevEnd := 0
		emit := func(fs, fe int) bool {
			m := Match{fd.mapStart(t.s, fs), fd.mapEnd(t.s, fe)}
			// Two matches inside one expansion (each "s" of ß → ss) map to
			// the same letter: keep the first.
			if m.End.Rune <= m.Start.Rune || m.Start.Rune < prevEnd || (p.word && !wholeWord(t.s, m)) {
				return true
			}
			prevEnd = m.End.Rune
			return yield(m)
		}
		if p.re == nil {
			text, first := fd.text, p.words[0]
			for i := 0; ; {
				j := strings.Index(text[i:], first)
				if j < 0 {
					return
				}
				start := i + j
				end, ok := phraseRest(text, start+len(first), p.words[1:])
				if !ok {
					i = start + 1 // a match never starts inside a rune: UTF-8 resynchronises
					continue
				}
				if !emit(start, end) {
					return
				}
				i = end
			}
		}
		for _, loc := range p.re.FindAllStringIndex(fd.text, -1) {
			if loc[1] > loc[0] && !emit(loc[0], loc[1]) {
				return
			}
		}
	}
}

// phraseRest matches the rest of a phrase at byte at of text: each word
// after a run of white space (line breaks and no-break spaces included).
func phraseRest(text string, at int, words []string) (int, bool) {
	for _, w := range words {
		gap := at
		for at < len(text) {
			r, size := utf8.DecodeRuneInString(text[at:])
			if !unicode.IsSpace(r) {
				break
			}
			at += size
		}
		if at == gap || !strings.HasPrefix(text[at:], w) {
			return 0, false
		}
		at += len(w)
	}
	return at, true
}

// wholeWord reports whether no letter or digit touches the match.
func wholeWord(s string, m Match) bool {
	if r, _ := utf8.DecodeLastRuneInString(s[:m.Start.Byte]); m.Start.Byte > 0 && isWordRune(r) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(s[m.End.Byte:]); m.End.Byte < len(s) && isWordRune(r) {
		return false
	}
	return true
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Context returns up to width runes of s on each side of match m, not
// reaching outside the rune offsets [lo, hi) (the speaker turn the match
// is in; 0 and the text's length for none): cut at a word boundary, with
// every run of white space (line breaks too) shown as one space, and "…"
// where text was left out. It is the keyword-in-context view of a hit.
func Context(s string, m Match, width, lo, hi int) (before, after string) {
	// Before: walk back width runes, then forward to the next word start.
	i, r := m.Start.Byte, m.Start.Rune
	for i > 0 && r > lo && m.Start.Rune-r < width {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		r--
	}
	cut := i > 0 && r > lo
	if cut {
		if c, _ := utf8.DecodeLastRuneInString(s[:i]); !unicode.IsSpace(c) {
			for i < m.Start.Byte {
				c, size := utf8.DecodeRuneInString(s[i:])
				i += size
				if unicode.IsSpace(c) {
					break
				}
			}
		}
	}
	before = squeeze(s[i:m.Start.Byte])
	if cut {
		before = "…" + strings.TrimLeft(before, " ")
	}
	// After: walk forward width runes, then back to the last word end.
	j, r := m.End.Byte, m.End.Rune
	for j < len(s) && r < hi && r-m.End.Rune < width {
		_, size := utf8.DecodeRuneInString(s[j:])
		j += size
		r++
	}
	cut = j < len(s) && r < hi
	if cut {
		if c, _ := utf8.DecodeRuneInString(s[j:]); !unicode.IsSpace(c) {
			for j > m.End.Byte {
				c, size := utf8.DecodeLastRuneInString(s[:j])
				j -= size
				if unicode.IsSpace(c) {
					break
				}
			}
		}
	}
	after = squeeze(s[m.End.Byte:j])
	if cut {
		after = strings.TrimRight(after, " ") + "…"
	}
	return before, after
}

// squeeze shows each run of white space as one space.
func squeeze(s string) string {
	if !needsSqueeze(s) {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// needsSqueeze reports whether s has white space other than single
// spaces; it looks at bytes and decodes only non-ASCII runes, since most
// contexts need nothing done.
func needsSqueeze(s string) bool {
	prevSpace := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if prevSpace {
					return true
				}
				prevSpace = true
			case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
				return true
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return true
		}
		prevSpace = false
		i += size
	}
	return false
}
