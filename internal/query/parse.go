package query

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The query language, loosest binding first:
//
//	expr     = and { OR and }
//	and      = relation { AND relation }
//	relation = unary { (NEAR[/n] | WITHIN | OVERLAPS) unary }
//	unary    = NOT unary | "(" expr ")" | term
//	term     = code:NAME | code:=NAME | ATTR=VALUE | ATTR!=VALUE
//
// NAME and VALUE are a "quoted string" (\" and \\ escape) or a bare word
// that runs to the next space or parenthesis. Keywords are
// case-insensitive. Every term is a set of codings; see Eval for what
// each operator does with them.

// Error is a mistake in a query, at a column of its text.
type Error struct {
	Query  string
	Col    int // 1-based, in characters
	Msg    string
	Syntax bool // a mistake in the query's form, not an unknown name
}

func (e *Error) Error() string { return fmt.Sprintf("column %d: %s", e.Col, e.Msg) }

// Caret shows the query with a caret under the column at fault:
//
//	code:Disclosure AND
//	                   ^
func (e *Error) Caret() string {
	pad := strings.Repeat(" ", max(0, e.Col-1))
	return e.Query + "\n" + pad + "^"
}

// Query is a parsed query.
type Query struct {
	Src  string
	root node
}

type node interface{ pos() int }

type codeTerm struct {
	at    int
	name  string
	exact bool // code:=Name: the code alone, not its sub-codes
}

type attrTerm struct {
	at         int
	key, value string
	negate     bool // ATTR!=VALUE
}

type notNode struct {
	at int
	x  node
}

type boolNode struct {
	at   int
	or   bool
	l, r node
}

// Relations keep the codings on their left that stand in the relation to
// some coding on their right.
type relKind int

const (
	relNear relKind = iota
	relWithin
	relOverlaps
)

type relNode struct {
	at   int
	kind relKind
	n    int // NEAR/n: turns apart
	l, r node
}

func (n *codeTerm) pos() int { return n.at }
func (n *attrTerm) pos() int { return n.at }
func (n *notNode) pos() int  { return n.at }
func (n *boolNode) pos() int { return n.at }
func (n *relNode) pos() int  { return n.at }

// Parse parses a query. A syntax error is an *Error.
func Parse(src string) (*Query, error) {
	p := &parser{src: []rune(src), query: src}
	p.skip()
	if p.i == len(p.src) {
		return nil, p.errAt(p.i, "the query is empty; try code:NAME, e.g. code:\"Fear of losing benefits\" AND role=patient")
	}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.src) {
		if p.src[p.i] == ')' {
			return nil, p.errAt(p.i, "unmatched )")
		}
		word := p.peekWord()
		if _, ok := keywords[strings.ToUpper(word)]; ok {
			return nil, p.errAt(p.i, "%s cannot follow here: it needs a term on its left", strings.ToUpper(word))
		}
		return nil, p.errAt(p.i, "expected AND, OR, NEAR, WITHIN or OVERLAPS between terms")
	}
	return &Query{Src: src, root: root}, nil
}

type parser struct {
	src   []rune
	query string
	i     int
}

var keywords = map[string]bool{"AND": true, "OR": true, "NOT": true, "NEAR": true, "WITHIN": true, "OVERLAPS": true}

func (p *parser) errAt(i int, format string, args ...any) error {
	return &Error{Query: p.query, Col: i + 1, Msg: fmt.Sprintf(format, args...), Syntax: true}
}

func (p *parser) skip() {
	for p.i < len(p.src) && unicode.IsSpace(p.src[p.i]) {
		p.i++
	}
}

func isIdentRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.'
}

// peekWord returns the identifier at the cursor without moving.
func (p *parser) peekWord() string {
	j := p.i
	for j < len(p.src) && isIdentRune(p.src[j]) {
		j++
	}
	return string(p.src[p.i:j])
}

// keyword consumes kw (case-insensitive) when it is the next word.
func (p *parser) keyword(kw string) bool {
	w := p.peekWord()
	if !strings.EqualFold(w, kw) {
		return false
	}
	p.i += utf8.RuneCountInString(w)
	p.skip()
	return true
}

func (p *parser) expr() (node, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for {
		at := p.i
		if !p.keyword("OR") {
			return l, nil
		}
		r, err := p.operand("OR", p.and)
		if err != nil {
			return nil, err
		}
		l = &boolNode{at: at, or: true, l: l, r: r}
	}
}

func (p *parser) and() (node, error) {
	l, err := p.relation()
	if err != nil {
		return nil, err
	}
	for {
		at := p.i
		if !p.keyword("AND") {
			return l, nil
		}
		r, err := p.operand("AND", p.relation)
		if err != nil {
			return nil, err
		}
		l = &boolNode{at: at, l: l, r: r}
	}
}

func (p *parser) relation() (node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		at := p.i
		rel := &relNode{at: at, l: l}
		var name string
		switch {
		case p.keyword("WITHIN"):
			rel.kind, name = relWithin, "WITHIN"
		case p.keyword("OVERLAPS"):
			rel.kind, name = relOverlaps, "OVERLAPS"
		case strings.EqualFold(p.peekWord(), "NEAR"):
			p.i += 4
			rel.kind, rel.n, name = relNear, 1, "NEAR"
			if p.i < len(p.src) && p.src[p.i] == '/' {
				p.i++
				j := p.i
				for j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
					j++
				}
				n, err := strconv.Atoi(string(p.src[p.i:j]))
				if err != nil || n > 1_000_000 {
					return nil, p.errAt(p.i, "NEAR/ needs a number of turns, e.g. NEAR/2")
				}
				rel.n, p.i = n, j
				name = fmt.Sprintf("NEAR/%d", n)
			}
			p.skip()
		default:
			return l, nil
		}
		r, err := p.operand(name, p.unary)
		if err != nil {
			return nil, err
		}
		rel.r = r
		l = rel
	}
}

// operand parses the right-hand side of operator op, saying clearly when
// it is missing.
func (p *parser) operand(op string, next func() (node, error)) (node, error) {
	if p.i == len(p.src) {
		return nil, p.errAt(p.i, "the query ends after %s; it needs a term on its right", op)
	}
	return next()
}

func (p *parser) unary() (node, error) {
	if p.i == len(p.src) {
		return nil, p.errAt(p.i, "the query ends where a term is expected")
	}
	at := p.i
	if p.keyword("NOT") {
		x, err := p.operand("NOT", p.unary)
		if err != nil {
			return nil, err
		}
		return &notNode{at: at, x: x}, nil
	}
	if p.src[p.i] == '(' {
		p.i++
		p.skip()
		if p.i < len(p.src) && p.src[p.i] == ')' {
			return nil, p.errAt(p.i, "empty parentheses")
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.i == len(p.src) {
			return nil, p.errAt(at, "this ( is never closed")
		}
		if p.src[p.i] != ')' {
			return nil, p.errAt(p.i, "expected ) or an operator (AND, OR, NEAR, WITHIN, OVERLAPS)")
		}
		p.i++
		p.skip()
		return x, nil
	}
	return p.term()
}

func (p *parser) term() (node, error) {
	at := p.i
	if p.src[p.i] == ')' {
		return nil, p.errAt(p.i, "expected a term before )")
	}
	if p.src[p.i] == '"' {
		return nil, p.errAt(p.i, "a quoted name needs to say what it is: code:\"NAME\" or ATTR=\"VALUE\"")
	}
	word := p.peekWord()
	if word == "" {
		return nil, p.errAt(p.i, "expected a term like code:NAME or ATTR=VALUE, found %q", string(p.src[p.i]))
	}
	if kw := strings.ToUpper(word); keywords[kw] {
		return nil, p.errAt(p.i, "expected a term before %s", kw)
	}
	p.i += utf8.RuneCountInString(word)
	switch {
	case strings.EqualFold(word, "code") && p.i < len(p.src) && p.src[p.i] == ':':
		p.i++
		t := &codeTerm{at: at}
		if p.i < len(p.src) && p.src[p.i] == '=' {
			t.exact = true
			p.i++
		}
		name, err := p.value("code:")
		if err != nil {
			return nil, err
		}
		t.name = name
		return t, nil
	case p.i < len(p.src) && p.src[p.i] == ':':
		return nil, p.errAt(at, "unknown term %s: (terms are code:NAME and ATTR=VALUE)", word)
	case p.i < len(p.src) && p.src[p.i] == '=':
		p.i++
		v, err := p.value(word + "=")
		if err != nil {
			return nil, err
		}
		return &attrTerm{at: at, key: word, value: v}, nil
	case p.i+1 < len(p.src) && p.src[p.i] == '!' && p.src[p.i+1] == '=':
		p.i += 2
		v, err := p.value(word + "!=")
		if err != nil {
			return nil, err
		}
		return &attrTerm{at: at, key: word, value: v, negate: true}, nil
	}
	return nil, p.errAt(at, "%q is not a term; write code:%s for a code, or ATTR=VALUE for an attribute", word, quoteIfNeeded(word))
}

// value reads a NAME or VALUE after what (for messages).
func (p *parser) value(what string) (string, error) {
	if p.i == len(p.src) || unicode.IsSpace(p.src[p.i]) || p.src[p.i] == ')' || p.src[p.i] == '(' {
		return "", p.errAt(p.i, "expected a name after %s (quote names with spaces: %s\"Fear of losing benefits\")", what, what)
	}
	if p.src[p.i] == '"' {
		start := p.i
		p.i++
		var b strings.Builder
		for ; p.i < len(p.src); p.i++ {
			switch r := p.src[p.i]; {
			case r == '\\' && p.i+1 < len(p.src):
				p.i++
				b.WriteRune(p.src[p.i])
			case r == '"':
				p.i++
				p.skip()
				if b.Len() == 0 {
					return "", p.errAt(start, "empty name after %s", what)
				}
				return b.String(), nil
			default:
				b.WriteRune(r)
			}
		}
		return "", p.errAt(start, "this quote is never closed")
	}
	j := p.i
	for j < len(p.src) && !unicode.IsSpace(p.src[j]) && p.src[j] != '(' && p.src[j] != ')' {
		if p.src[j] == '"' {
			return "", p.errAt(j, "a quote inside a name; quote the whole name: %s\"...\"", what)
		}
		j++
	}
	v := string(p.src[p.i:j])
	p.i = j
	p.skip()
	return v, nil
}

func quoteIfNeeded(s string) string {
	if s == "" || strings.HasPrefix(s, "=") || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == ')' || r == '"' || r == '\\' }) {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
	}
	return s
}

// String is the query in canonical form: keywords in capitals, names
// quoted where they need it, parentheses where precedence needs them.
func (q *Query) String() string { return format(q.root, 0) }

func format(n node, parent int) string {
	// Binding strength: OR 1, AND 2, relations 3, NOT and terms 4.
	wrap := func(s string, prec int) string {
		if prec < parent {
			return "(" + s + ")"
		}
		return s
	}
	switch n := n.(type) {
	case *codeTerm:
		eq := ""
		if n.exact {
			eq = "="
		}
		return "code:" + eq + quoteIfNeeded(n.name)
	case *attrTerm:
		op := "="
		if n.negate {
			op = "!="
		}
		return n.key + op + quoteIfNeeded(n.value)
	case *notNode:
		return "NOT " + format(n.x, 4)
	case *boolNode:
		if n.or {
			return wrap(format(n.l, 1)+" OR "+format(n.r, 2), 1)
		}
		return wrap(format(n.l, 2)+" AND "+format(n.r, 3), 2)
	case *relNode:
		op := [...]string{"NEAR/" + strconv.Itoa(n.n), "WITHIN", "OVERLAPS"}[n.kind]
		return wrap(format(n.l, 3)+" "+op+" "+format(n.r, 4), 3)
	}
	return ""
}
