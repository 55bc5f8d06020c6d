package refi

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scanner is a small, strict XML tokenizer for project files held in
// memory. encoding/xml reads about 45 MB/s; a project with 200,000
// codings has a .qde of some 140 MB, so the reader uses this instead: it
// finds tags with bytes.IndexByte, slices names and values out of the
// buffer, and decodes an attribute or text only when the caller keeps it.
//
// It accepts well-formed XML 1.0 in UTF-8: elements, attributes in single
// or double quotes, the five predefined entities and character
// references, CDATA sections, comments, processing instructions and a
// DOCTYPE without entity declarations (which it refuses, so no entity can
// expand). Line ends are normalised as XML requires. It checks that tags
// nest, that there is one root, that the text is valid UTF-8 without
// characters XML forbids, and resolves namespace prefixes. It does not
// normalise white space in attribute values, as encoding/xml does not;
// FuzzScanner checks it against encoding/xml.
type scanner struct {
	data []byte
	pos  int
	line int // line of data[pos], from 1

	// the current token
	kind      tokKind
	tokLine   int    // line the token starts on
	tokPos    int    // offset of the token's first byte
	name      []byte // qualified name of a start or end tag
	local     string // its local part (interned)
	space     string // its namespace URI
	attrs     []rawAttr
	empty     bool   // a start tag that closes itself (<a/>)
	text      []byte // character data, raw (see textString)
	textCDATA bool

	stack   []openTag
	ns      []nsBinding
	names   map[string]string // interned local names
	sawRoot bool
	pending bool // the end of a self-closing tag is due
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

type rawAttr struct {
	prefix, local []byte
	value         []byte // raw, entities not decoded
}

type openTag struct {
	name  []byte
	line  int
	local string
	space string
}

type nsBinding struct {
	prefix string // "" for the default namespace
	uri    string
	depth  int // the element depth that declared it
}

type scanError struct {
	line int
	msg  string
}

func (e *scanError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func newScanner(data []byte) (*scanner, error) {
	s := &scanner{data: data, line: 1, names: map[string]string{}}
	if err := s.checkChars(); err != nil {
		return nil, err
	}
	return s, nil
}

// checkChars refuses invalid UTF-8 and control characters XML 1.0 does
// not allow, once for the whole document.
func (s *scanner) checkChars() error {
	for i, c := range s.data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return &scanError{line: 1 + bytes.Count(s.data[:i], []byte{'\n'}), msg: fmt.Sprintf("not well-formed XML: illegal character code U+%04X", c)}
		}
	}
	if !utf8.Valid(s.data) {
		i := 0
		for i < len(s.data) {
			r, n := utf8.DecodeRune(s.data[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return &scanError{line: 1 + bytes.Count(s.data[:i], []byte{'\n'}), msg: "not well-formed XML: invalid UTF-8"}
	}
	return nil
}

func (s *scanner) errf(format string, args ...any) error {
	return &scanError{line: s.line, msg: "not well-formed XML: " + fmt.Sprintf(format, args...)}
}

// advance moves to i, counting the lines passed.
func (s *scanner) advance(i int) {
	s.line += bytes.Count(s.data[s.pos:i], []byte{'\n'})
	s.pos = i
}

// next reads the next token. Comments, processing instructions and the
// DOCTYPE are skipped; text outside the root must be white space and is
// not returned.
func (s *scanner) next() error {
	if s.pending {
		s.pending = false
		s.kind, s.tokLine = tokEnd, s.line
		return s.pop()
	}
	for {
		if s.pos >= len(s.data) {
			if len(s.stack) > 0 {
				return s.errf("the file ends inside <%s> of line %d", s.stack[len(s.stack)-1].name, s.stack[len(s.stack)-1].line)
			}
			if !s.sawRoot {
				return s.errf("no root element")
			}
			s.kind = tokEOF
			return nil
		}
		if s.data[s.pos] != '<' {
			end := bytes.IndexByte(s.data[s.pos:], '<')
			if end < 0 {
				end = len(s.data)
			} else {
				end += s.pos
			}
			text := s.data[s.pos:end]
			s.tokLine = s.line
			if len(s.stack) == 0 {
				if len(bytes.TrimLeft(text, " \t\r\n")) > 0 {
					return s.errf("text outside the root element")
				}
				s.advance(end)
				continue
			}
			if err := s.checkText(text); err != nil {
				return err
			}
			s.kind, s.text, s.textCDATA = tokText, text, false
			s.advance(end)
			return nil
		}
		rest := s.data[s.pos:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return s.errf("unterminated comment")
			}
			s.advance(s.pos + 4 + end + 3)
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest, []byte("?>"))
			if end < 0 {
				return s.errf("unterminated processing instruction")
			}
			s.advance(s.pos + end + 2)
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			if len(s.stack) == 0 {
				return s.errf("CDATA outside the root element")
			}
			end := bytes.Index(rest, []byte("]]>"))
			if end < 0 {
				return s.errf("unterminated CDATA section")
			}
			s.tokLine = s.line
			s.kind, s.text, s.textCDATA = tokText, rest[9:end], true
			s.advance(s.pos + end + 3)
			return nil
		case bytes.HasPrefix(rest, []byte("<!")):
			if err := s.directive(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("</")):
			return s.endTag()
		default:
			return s.startTag()
		}
	}
}

// directive skips a <!DOCTYPE ...> or other <!...> declaration the way
// encoding/xml reads one (quoted strings, nested <...> and comments
// inside; the first byte taken as it is), refusing entity declarations so
// that no entity can expand.
func (s *scanner) directive() error {
	rest := s.data[s.pos:]
	if bytes.HasPrefix(rest, []byte("<!-")) || bytes.HasPrefix(rest, []byte("<![")) {
		return s.errf("invalid sequence %q", rest[:3])
	}
	if len(rest) < 3 {
		return s.errf("unterminated declaration")
	}
	var inquote byte
	depth := 0
	i := 3
	for ; ; i++ {
		if i >= len(rest) {
			return s.errf("unterminated declaration")
		}
		c := rest[i]
		if inquote == 0 && c == '>' && depth == 0 {
			break
		}
		switch {
		case c == inquote:
			inquote = 0
		case inquote != 0:
		case c == '\'' || c == '"':
			inquote = c
		case c == '>':
			depth--
		case c == '<' && bytes.HasPrefix(rest[i:], []byte("<!--")):
			end := bytes.Index(rest[i+4:], []byte("-->"))
			if end < 0 {
				return s.errf("unterminated comment")
			}
			i += 4 + end + 2
		case c == '<':
			depth++
		}
	}
	if bytes.Contains(rest[:i], []byte("<!ENTITY")) {
		return &scanError{line: s.line, msg: "DOCTYPE with entity declarations is not allowed in a project file"}
	}
	s.advance(s.pos + i + 1)
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isNameByte is true for the bytes a name may hold: ASCII letters,
// digits, "-", "_", ".", ":" and any byte of a multi-byte character.
func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':' || c >= 0x80
}

func (s *scanner) readName(i int) (int, error) {
	start := i
	for i < len(s.data) && isNameByte(s.data[i]) {
		i++
	}
	if i == start {
		return i, s.errf("expected a name after %q", s.data[max(0, start-1):start])
	}
	if c := s.data[start]; '0' <= c && c <= '9' || c == '-' || c == '.' {
		return i, s.errf("invalid name %q", s.data[start:i])
	}
	return i, nil
}

func (s *scanner) skipSpace(i int) int {
	for i < len(s.data) && isSpace(s.data[i]) {
		i++
	}
	return i
}

func (s *scanner) startTag() error {
	if s.sawRoot && len(s.stack) == 0 {
		return s.errf("a second root element")
	}
	s.tokLine, s.tokPos = s.line, s.pos
	i, err := s.readName(s.pos + 1)
	if err != nil {
		return err
	}
	s.name = s.data[s.pos+1 : i]
	s.attrs = s.attrs[:0]
	for {
		j := s.skipSpace(i)
		if j >= len(s.data) {
			return s.errf("the file ends inside the tag <%s>", s.name)
		}
		switch c := s.data[j]; {
		case c == '>':
			s.empty = false
			s.advance(j + 1)
			return s.push()
		case c == '/':
			if j+1 >= len(s.data) || s.data[j+1] != '>' {
				return s.errf("expected /> in <%s>", s.name)
			}
			s.empty = true
			s.advance(j + 2)
			if err := s.push(); err != nil {
				return err
			}
			s.pending = true
			return nil
		}
		k, err := s.readName(j)
		if err != nil {
			return err
		}
		an := s.data[j:k]
		k = s.skipSpace(k)
		if k >= len(s.data) || s.data[k] != '=' {
			return s.errf("attribute %s in <%s> has no value", an, s.name)
		}
		k = s.skipSpace(k + 1)
		if k >= len(s.data) || s.data[k] != '"' && s.data[k] != '\'' {
			return s.errf("unquoted value of attribute %s in <%s>", an, s.name)
		}
		q := s.data[k]
		end := bytes.IndexByte(s.data[k+1:], q)
		if end < 0 {
			return s.errf("unterminated value of attribute %s in <%s>", an, s.name)
		}
		v := s.data[k+1 : k+1+end]
		if bytes.IndexByte(v, '<') >= 0 {
			return s.errf("unescaped < in the value of attribute %s in <%s>", an, s.name)
		}
		if err := s.checkText(v); err != nil {
			return err
		}
		a := rawAttr{local: an, value: v}
		a.prefix, a.local = splitName(an)
		s.attrs = append(s.attrs, a)
		i = k + 1 + end + 1
	}
}

// push opens the element just read: namespace declarations, its names.
func (s *scanner) push() error {
	depth := len(s.stack) + 1
	for _, a := range s.attrs {
		switch {
		case len(a.prefix) == 0 && string(a.local) == "xmlns":
			s.ns = append(s.ns, nsBinding{prefix: "", uri: s.attrString(a), depth: depth})
		case string(a.prefix) == "xmlns":
			s.ns = append(s.ns, nsBinding{prefix: string(a.local), uri: s.attrString(a), depth: depth})
		}
	}
	prefix, local := splitName(s.name)
	s.local = s.intern(local)
	s.space = s.lookupNS(prefix)
	s.kind = tokStart
	s.sawRoot = true
	s.stack = append(s.stack, openTag{name: s.name, line: s.tokLine, local: s.local, space: s.space})
	return nil
}

func (s *scanner) lookupNS(prefix []byte) string {
	for i := len(s.ns) - 1; i >= 0; i-- {
		if s.ns[i].prefix == string(prefix) {
			return s.ns[i].uri
		}
	}
	if prefix == nil {
		return ""
	}
	if string(prefix) == "xml" {
		return "http://www.w3.org/XML/1998/namespace"
	}
	return string(prefix) // unbound: kept as is, as encoding/xml does
}

func (s *scanner) intern(b []byte) string {
	if v, ok := s.names[string(b)]; ok {
		return v
	}
	v := string(b)
	s.names[v] = v
	return v
}

func (s *scanner) endTag() error {
	s.tokLine = s.line
	i, err := s.readName(s.pos + 2)
	if err != nil {
		return err
	}
	name := s.data[s.pos+2 : i]
	i = s.skipSpace(i)
	if i >= len(s.data) || s.data[i] != '>' {
		return s.errf("expected > to end </%s>", name)
	}
	if len(s.stack) == 0 {
		return s.errf("unexpected end element </%s>", name)
	}
	if top := s.stack[len(s.stack)-1]; !bytes.Equal(top.name, name) {
		return s.errf("element <%s> closed by </%s>", top.name, name)
	}
	s.advance(i + 1)
	s.kind = tokEnd
	return s.pop()
}

func (s *scanner) pop() error {
	top := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	s.name, s.local, s.space = top.name, top.local, top.space
	for len(s.ns) > 0 && s.ns[len(s.ns)-1].depth > len(s.stack) {
		s.ns = s.ns[:len(s.ns)-1]
	}
	return nil
}

// checkText checks the entity and character references in raw text.
func (s *scanner) checkText(b []byte) error {
	for {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return nil
		}
		_, n, err := decodeRef(b[i:])
		if err != nil {
			return s.errf("%v", err)
		}
		b = b[i+n:]
	}
}

// decodeRef decodes the reference at the start of b ("&amp;", "&#x41;").
func decodeRef(b []byte) (string, int, error) {
	end := bytes.IndexByte(b, ';')
	if end < 0 || end > 12 {
		return "", 0, fmt.Errorf("invalid character entity %s", clipRef(b))
	}
	ref := string(b[1:end])
	switch ref {
	case "lt":
		return "<", end + 1, nil
	case "gt":
		return ">", end + 1, nil
	case "amp":
		return "&", end + 1, nil
	case "quot":
		return `"`, end + 1, nil
	case "apos":
		return "'", end + 1, nil
	}
	if !strings.HasPrefix(ref, "#") || len(ref) < 2 {
		return "", 0, fmt.Errorf("invalid character entity &%s;", ref)
	}
	base, digits := 10, ref[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || digits == "" || digits[0] == '+' || digits[0] == '-' {
		return "", 0, fmt.Errorf("invalid character entity &%s;", ref)
	}
	r := rune(n)
	if !isXMLChar(r) {
		return "", 0, fmt.Errorf("illegal character code %U", r)
	}
	return string(r), end + 1, nil
}

func clipRef(b []byte) string {
	if len(b) > 12 {
		b = b[:12]
	}
	return string(b)
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// decode turns raw text into its value: references replaced, CRLF and
// lone CR turned into LF (XML line-end handling).
func decode(b []byte, cdata bool) string {
	if bytes.IndexByte(b, '\r') < 0 && (cdata || bytes.IndexByte(b, '&') < 0) {
		return string(b)
	}
	var out strings.Builder
	out.Grow(len(b))
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\r':
			out.WriteByte('\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		case c == '&' && !cdata:
			v, n, _ := decodeRef(b[i:]) // checked when scanned
			out.WriteString(v)
			i += n - 1
		default:
			out.WriteByte(c)
		}
	}
	return out.String()
}

func (s *scanner) attrString(a rawAttr) string { return decode(a.value, false) }

// attr returns the value of the unprefixed attribute name of the current
// start tag.
func (s *scanner) attr(name string) (string, bool) {
	for _, a := range s.attrs {
		if len(a.prefix) == 0 && string(a.local) == name {
			return decode(a.value, false), true
		}
	}
	return "", false
}

// rawAttr is like attr but returns the value as written.
func (s *scanner) rawAttr(name string) ([]byte, bool) {
	for _, a := range s.attrs {
		if len(a.prefix) == 0 && string(a.local) == name {
			return a.value, true
		}
	}
	return nil, false
}

func (s *scanner) textString() string { return decode(s.text, s.textCDATA) }

// splitName splits prefix:local as encoding/xml does: a name with the colon
// first or last (":", "a:", ":a") has no prefix and keeps the colon.
func splitName(n []byte) (prefix, local []byte) {
	if c := bytes.IndexByte(n, ':'); c > 0 && c < len(n)-1 {
		return n[:c], n[c+1:]
	}
	return nil, n
}
