package refi

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/qcode-qda/qcode/codebook"
)

// The .qde reader streams the XML once, element by element, keeping a
// stack of frames that say what each open element is. Elements are matched
// by local name in any urn:QDA-XML namespace (or none), since programs
// write other versions (urn:QDA-XML:project:0:10). Elements it does not
// know, and those in other namespaces, are skipped with their content.
// Attributes the schema marks optional may be missing; a required one that
// is missing or malformed is an error naming the element and its line.

type frameKind uint8

const (
	fSkip frameKind = iota
	fProject
	fUsers
	fVariables
	fVariable
	fCases
	fCase
	fValue
	fSources
	fTextSource
	fSelection
	fCoding
	fMedia // a PDF, picture, audio or video source, and everything in it
	fNotes
	fNote
	fLinks
	fGraphs
	fSets
	fSet
	fText // an element whose character data is kept
)

type frame struct {
	kind frameKind
	line int
	name string // the element's local name
	// indices of what the frame fills: source, selection, coding, case,
	// variable, note, set, skipped source
	a, b, c int
	text    func(string) // fText: receives the character data
	val     *pendingValue
}

type pendingValue struct {
	variable string
	value    string
	has      bool
	line     int
	to       func(Value)
}

// pendingSource is a TextSource being read, with what its text needs.
type pendingSource struct {
	TextSource
	line       int
	richPath   string
	content    string
	hasContent bool
}

type pendingNote struct {
	Note
	line       int
	path       string
	content    string
	hasContent bool
}

type qdeReader struct {
	name    string // for messages: "file.qdpx: project.qde"
	dec     *xml.Decoder
	lim     Limits
	p       *Project
	stack   []frame
	text    strings.Builder
	sources []pendingSource
	notes   []pendingNote
	intern  map[string]string
	sawRoot bool
}

// readQDE parses a project file. It fills the model; texts are resolved
// and selections placed afterwards (see resolve).
func readQDE(name string, r io.Reader, lim Limits) (*qdeReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil, fmt.Errorf("%s: is a zip archive inside the .qdpx, not a project file", name)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, fmt.Errorf("%s: is UTF-16; REFI-QDA project files are UTF-8", name)
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		br.Discard(3)
	}
	q := &qdeReader{
		name:   name,
		dec:    xml.NewDecoder(br),
		lim:    lim,
		p:      &Project{CodeNotes: map[string][]string{}},
		intern: map[string]string{},
	}
	q.dec.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return input, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported; REFI-QDA project files are UTF-8", charset)
	}
	if err := q.read(); err != nil {
		return nil, err
	}
	return q, nil
}

func (q *qdeReader) errf(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", q.name, line, fmt.Sprintf(format, args...))
}

// elemErr is an error about an element: "<Name>: message".
func (q *qdeReader) elemErr(line int, el string, format string, args ...any) error {
	return q.errf(line, "<%s>: %s", el, fmt.Sprintf(format, args...))
}

func (q *qdeReader) read() error {
	for {
		line, _ := q.dec.InputPos()
		tok, err := q.dec.Token()
		if err == io.EOF {
			if !q.sawRoot {
				return fmt.Errorf("%s: no XML element in the file; not a REFI-QDA project", q.name)
			}
			if len(q.stack) > 0 {
				return q.errf(line, "not well-formed XML: the file ends inside <%s>", q.stack[len(q.stack)-1].name)
			}
			return nil
		}
		if err != nil {
			var le *limitError
			if errors.As(err, &le) {
				return le
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				where := ""
				if n := len(q.stack); n > 0 {
					where = fmt.Sprintf(" (inside <%s> of line %d)", q.stack[n-1].name, q.stack[n-1].line)
				}
				return q.errf(se.Line, "not well-formed XML: %s%s", se.Msg, where)
			}
			return q.errf(line, "%v", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) && bytes.Contains(t, []byte("<!ENTITY")) {
				return q.errf(line, "DOCTYPE with entity declarations is not allowed in a project file")
			}
		case xml.StartElement:
			if len(q.stack) >= q.lim.MaxXMLDepth {
				return q.errf(line, "elements nested more than %d deep at <%s>", q.lim.MaxXMLDepth, t.Name.Local)
			}
			if !q.sawRoot {
				if err := q.root(line, t); err != nil {
					return err
				}
				continue
			}
			if len(q.stack) == 0 {
				return q.elemErr(line, t.Name.Local, "a second top-level element after </Project>")
			}
			if err := q.start(line, t); err != nil {
				return err
			}
		case xml.EndElement:
			if err := q.end(line); err != nil {
				return err
			}
		case xml.CharData:
			if n := len(q.stack); n > 0 && q.stack[n-1].kind == fText {
				q.text.Write(t)
			}
		}
	}
}

func (q *qdeReader) root(line int, t xml.StartElement) error {
	q.sawRoot = true
	switch {
	case t.Name.Local == "CodeBook":
		return q.errf(line, "root element is <CodeBook>: a REFI-QDA codebook (.qdc), not a project")
	case t.Name.Local != "Project":
		return q.errf(line, "root element is <%s>, want <Project> (a REFI-QDA project)", t.Name.Local)
	case t.Name.Space != "" && !strings.HasPrefix(t.Name.Space, "urn:QDA-XML:project:"):
		return q.errf(line, "root element <Project> is in namespace %q, want %q", t.Name.Space, Namespace)
	}
	p := q.p
	for _, a := range t.Attr {
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "name":
			p.Name = a.Value
		case "origin":
			p.Origin = a.Value
		case "creatingUserGUID":
			p.CreatingUser = q.optGUID(a.Value)
		case "creationDateTime":
			p.Created = parseTime(a.Value)
		case "modifiedDateTime":
			p.Modified = parseTime(a.Value)
		case "basePath":
			p.BasePath = a.Value
		}
	}
	q.push(frame{kind: fProject, line: line, name: "Project"})
	return nil
}

func (q *qdeReader) push(f frame) { q.stack = append(q.stack, f) }

// ours reports whether an element is REFI-QDA's (by namespace).
func ours(n xml.Name) bool {
	return n.Space == "" || strings.HasPrefix(n.Space, "urn:QDA-XML:")
}

// captureText pushes a frame whose character data goes to fn.
func (q *qdeReader) captureText(line int, name string, fn func(string)) {
	q.text.Reset()
	q.push(frame{kind: fText, line: line, name: name, text: fn})
}

func (q *qdeReader) skip(line int, name string) {
	q.push(frame{kind: fSkip, line: line, name: name})
}

func (q *qdeReader) start(line int, t xml.StartElement) error {
	parent := q.stack[len(q.stack)-1]
	el := t.Name.Local
	if !ours(t.Name) || parent.kind == fSkip || parent.kind == fText {
		q.skip(line, el)
		return nil
	}
	p := q.p
	switch parent.kind {
	case fProject:
		switch el {
		case "Users":
			q.push(frame{kind: fUsers, line: line, name: el})
		case "CodeBook":
			return q.codeBook(line)
		case "Variables":
			q.push(frame{kind: fVariables, line: line, name: el})
		case "Cases":
			q.push(frame{kind: fCases, line: line, name: el})
		case "Sources":
			q.push(frame{kind: fSources, line: line, name: el})
		case "Notes":
			q.push(frame{kind: fNotes, line: line, name: el})
		case "Links":
			q.push(frame{kind: fLinks, line: line, name: el})
		case "Sets":
			q.push(frame{kind: fSets, line: line, name: el})
		case "Graphs":
			q.push(frame{kind: fGraphs, line: line, name: el})
		case "Description":
			q.captureText(line, el, func(s string) { p.Description = s })
		case "NoteRef":
			return q.noteRef(line, t, &p.NoteRefs)
		default:
			q.skip(line, el)
		}
	case fUsers:
		if el != "User" {
			q.skip(line, el)
			return nil
		}
		u := User{}
		var err error
		if u.GUID, err = q.reqGUID(line, t, "guid"); err != nil {
			return err
		}
		u.Name, _ = attr(t, "name")
		u.ID, _ = attr(t, "id")
		p.Users = append(p.Users, u)
		q.skip(line, el)
	case fVariables:
		if el != "Variable" {
			q.skip(line, el)
			return nil
		}
		return q.variable(line, t)
	case fVariable:
		if el == "Description" {
			i := parent.a
			q.captureText(line, el, func(s string) { p.Variables[i].Description = s })
			return nil
		}
		q.skip(line, el)
	case fCases:
		if el != "Case" {
			q.skip(line, el)
			return nil
		}
		c := Case{}
		var err error
		if c.GUID, err = q.reqGUID(line, t, "guid"); err != nil {
			return err
		}
		c.Name, _ = attr(t, "name")
		p.Cases = append(p.Cases, c)
		q.push(frame{kind: fCase, line: line, name: el, a: len(p.Cases) - 1})
	case fCase:
		i := parent.a
		switch el {
		case "Description":
			q.captureText(line, el, func(s string) { p.Cases[i].Description = s })
		case "VariableValue":
			q.value(line, el, func(v Value) { p.Cases[i].Values = append(p.Cases[i].Values, v) })
		case "SourceRef":
			g, err := q.reqGUID(line, t, "targetGUID")
			if err != nil {
				return err
			}
			p.Cases[i].Sources = append(p.Cases[i].Sources, g)
			q.skip(line, el)
		default: // CodeRef, SelectionRef
			q.skip(line, el)
		}
	case fValue:
		return q.valuePart(line, t, parent.val)
	case fSources:
		return q.source(line, t)
	case fTextSource:
		return q.inTextSource(line, t, parent.a)
	case fSelection:
		s := &q.sources[parent.a].Selections[parent.b]
		switch el {
		case "Description":
			src, sel := parent.a, parent.b
			q.captureText(line, el, func(txt string) { q.sources[src].Selections[sel].Description = txt })
		case "Coding":
			c, err := q.coding(line, t)
			if err != nil {
				return err
			}
			s.Codings = append(s.Codings, c)
			q.push(frame{kind: fCoding, line: line, name: el, a: parent.a, b: parent.b, c: len(s.Codings) - 1})
		case "NoteRef":
			return q.noteRef(line, t, &s.NoteRefs)
		default:
			q.skip(line, el)
		}
	case fCoding:
		c := q.codingAt(parent)
		switch el {
		case "CodeRef":
			g, err := q.reqGUID(line, t, "targetGUID")
			if err != nil {
				return err
			}
			c.Code = q.internString(g)
			q.skip(line, el)
		case "NoteRef":
			return q.noteRef(line, t, &c.NoteRefs)
		default:
			q.skip(line, el)
		}
	case fMedia:
		sk := &p.Skipped[parent.a]
		switch {
		case strings.HasSuffix(el, "Selection"):
			sk.Selections++
		case el == "Coding":
			sk.Codings++
		}
		q.push(frame{kind: fMedia, line: line, name: el, a: parent.a})
	case fNotes:
		if el != "Note" {
			q.skip(line, el)
			return nil
		}
		return q.note(line, t)
	case fNote:
		i := parent.a
		switch el {
		case "Description":
			q.captureText(line, el, func(s string) { q.notes[i].Description = s })
		case "PlainTextContent":
			q.captureText(line, el, func(s string) { q.notes[i].content, q.notes[i].hasContent = s, true })
		default:
			q.skip(line, el)
		}
	case fLinks:
		if el == "Link" {
			p.Links++
		}
		q.skip(line, el)
	case fGraphs:
		if el == "Graph" {
			p.Graphs++
		}
		q.skip(line, el)
	case fSets:
		if el != "Set" {
			q.skip(line, el)
			return nil
		}
		s := Set{}
		var err error
		if s.GUID, err = q.reqGUID(line, t, "guid"); err != nil {
			return err
		}
		s.Name, _ = attr(t, "name")
		p.Sets = append(p.Sets, s)
		q.push(frame{kind: fSet, line: line, name: el, a: len(p.Sets) - 1})
	case fSet:
		s := &p.Sets[parent.a]
		switch el {
		case "Description":
			i := parent.a
			q.captureText(line, el, func(txt string) { p.Sets[i].Description = txt })
			return nil
		case "MemberCode", "MemberSource", "MemberNote":
			a := "targetGUID"
			if _, ok := attr(t, a); !ok {
				a = "guid" // as a codebook (.qdc) writes MemberCode
			}
			g, err := q.reqGUID(line, t, a)
			if err != nil {
				return err
			}
			switch el {
			case "MemberCode":
				s.Codes = append(s.Codes, g)
			case "MemberSource":
				s.Sources = append(s.Sources, g)
			default:
				s.Notes = append(s.Notes, g)
			}
		}
		q.skip(line, el)
	default:
		q.skip(line, el)
	}
	return nil
}

func (q *qdeReader) end(line int) error {
	f := q.stack[len(q.stack)-1]
	q.stack = q.stack[:len(q.stack)-1]
	switch f.kind {
	case fText:
		f.text(q.text.String())
		q.text.Reset()
	case fValue:
		v := f.val
		if v.variable == "" {
			return q.elemErr(f.line, "VariableValue", "has no <VariableRef>")
		}
		v.to(Value{Variable: v.variable, Value: strings.TrimSpace(v.value)})
	case fCoding:
		if q.codingAt(f).Code == "" {
			return q.elemErr(f.line, "Coding", "has no <CodeRef>")
		}
	}
	return nil
}

func (q *qdeReader) codingAt(f frame) *Coding {
	s := &q.sources[f.a]
	if f.b < 0 {
		return &s.Codings[f.c]
	}
	return &s.Selections[f.b].Codings[f.c]
}

// codeBook hands the <CodeBook> element to the codebook package, which
// reads codes exactly as it reads a .qdc, and collects the codes' NoteRefs.
func (q *qdeReader) codeBook(line int) error {
	if q.p.Codebook != nil {
		return q.elemErr(line, "CodeBook", "a second <CodeBook> in the project")
	}
	cb, err := codebook.ReadQDCCodeBook(q.dec, q.name, len(q.stack), q.lim.MaxXMLDepth, func(codeID string, l int, el xml.StartElement) error {
		if el.Name.Local != "NoteRef" || !ours(el.Name) {
			return nil
		}
		g, err := q.reqGUID(l, el, "targetGUID")
		if err == nil {
			q.p.CodeNotes[codeID] = append(q.p.CodeNotes[codeID], g)
		}
		return err
	})
	if err != nil {
		var le *limitError
		if errors.As(err, &le) {
			return le
		}
		return err
	}
	cb.Name = q.p.Name
	q.p.Codebook = cb
	return nil
}

func (q *qdeReader) variable(line int, t xml.StartElement) error {
	v := Variable{}
	var err error
	if v.GUID, err = q.reqGUID(line, t, "guid"); err != nil {
		return err
	}
	v.Name, _ = attr(t, "name")
	if strings.TrimSpace(v.Name) == "" {
		return q.elemErr(line, "Variable", "has no name")
	}
	typ, _ := attr(t, "typeOfVariable")
	switch VariableType(strings.TrimSpace(typ)) {
	case Text, Boolean, Integer, Float, Date, DateTime:
		v.Type = VariableType(strings.TrimSpace(typ))
	case "":
		v.Type = Text
	default:
		return q.elemErr(line, "Variable", "%q: typeOfVariable %q is not one of Text, Boolean, Integer, Float, Date, DateTime", v.Name, typ)
	}
	q.p.Variables = append(q.p.Variables, v)
	q.push(frame{kind: fVariable, line: line, name: "Variable", a: len(q.p.Variables) - 1})
	return nil
}

func (q *qdeReader) value(line int, el string, to func(Value)) {
	q.push(frame{kind: fValue, line: line, name: el, val: &pendingValue{line: line, to: to}})
}

func (q *qdeReader) valuePart(line int, t xml.StartElement, v *pendingValue) error {
	el := t.Name.Local
	switch el {
	case "VariableRef":
		g, err := q.reqGUID(line, t, "targetGUID")
		if err != nil {
			return err
		}
		v.variable = g
		q.skip(line, el)
	case "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue":
		if v.has {
			return q.elemErr(line, el, "a second value in one <VariableValue>")
		}
		v.has = true
		q.captureText(line, el, func(s string) { v.value = s })
	default:
		q.skip(line, el)
	}
	return nil
}

func (q *qdeReader) source(line int, t xml.StartElement) error {
	el := t.Name.Local
	kind := map[string]string{"PDFSource": "PDF", "PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}[el]
	if el != "TextSource" && kind == "" {
		q.skip(line, el)
		return nil
	}
	g, err := q.reqGUID(line, t, "guid")
	if err != nil {
		return err
	}
	name, _ := attr(t, "name")
	if kind != "" {
		path, _ := attr(t, "path")
		q.p.Skipped = append(q.p.Skipped, SkippedSource{GUID: g, Name: name, Kind: kind, Path: path, Reason: kind + " sources are not imported"})
		q.push(frame{kind: fMedia, line: line, name: el, a: len(q.p.Skipped) - 1})
		return nil
	}
	s := pendingSource{line: line}
	s.GUID, s.Name = g, name
	s.Path, _ = attr(t, "plainTextPath")
	s.richPath, _ = attr(t, "richTextPath")
	s.CreatingUser, s.Created, s.ModifyingUser, s.Modified = q.audit(t)
	q.sources = append(q.sources, s)
	q.push(frame{kind: fTextSource, line: line, name: el, a: len(q.sources) - 1})
	return nil
}

func (q *qdeReader) inTextSource(line int, t xml.StartElement, i int) error {
	el := t.Name.Local
	s := &q.sources[i]
	switch el {
	case "Description":
		q.captureText(line, el, func(txt string) { q.sources[i].Description = txt })
	case "PlainTextContent":
		q.captureText(line, el, func(txt string) { q.sources[i].content, q.sources[i].hasContent = txt, true })
	case "PlainTextSelection":
		sel, err := q.selection(line, t)
		if err != nil {
			return err
		}
		s.Selections = append(s.Selections, sel)
		q.push(frame{kind: fSelection, line: line, name: el, a: i, b: len(s.Selections) - 1})
	case "Coding":
		c, err := q.coding(line, t)
		if err != nil {
			return err
		}
		s.Codings = append(s.Codings, c)
		q.push(frame{kind: fCoding, line: line, name: el, a: i, b: -1, c: len(s.Codings) - 1})
	case "NoteRef":
		return q.noteRef(line, t, &s.NoteRefs)
	case "VariableValue":
		q.value(line, el, func(v Value) { q.sources[i].Values = append(q.sources[i].Values, v) })
	default:
		q.skip(line, el)
	}
	return nil
}

func (q *qdeReader) selection(line int, t xml.StartElement) (Selection, error) {
	s := Selection{Line: line}
	var err error
	if s.GUID, err = q.reqGUID(line, t, "guid"); err != nil {
		return s, err
	}
	s.Name, _ = attr(t, "name")
	if s.RawStart, err = q.position(line, t, "startPosition"); err != nil {
		return s, err
	}
	if s.RawEnd, err = q.position(line, t, "endPosition"); err != nil {
		return s, err
	}
	if s.RawStart > s.RawEnd {
		return s, q.elemErr(line, "PlainTextSelection", "startPosition %d is after endPosition %d", s.RawStart, s.RawEnd)
	}
	s.CreatingUser, s.Created, s.ModifyingUser, s.Modified = q.audit(t)
	return s, nil
}

func (q *qdeReader) position(line int, t xml.StartElement, name string) (int64, error) {
	v, ok := attr(t, name)
	if !ok {
		return 0, q.elemErr(line, t.Name.Local, "has no %s", name)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	switch {
	case err != nil:
		return 0, q.elemErr(line, t.Name.Local, "%s %q is not a whole number", name, v)
	case n < 0:
		return 0, q.elemErr(line, t.Name.Local, "%s %d is negative", name, n)
	}
	return n, nil
}

func (q *qdeReader) coding(line int, t xml.StartElement) (Coding, error) {
	c := Coding{Line: line}
	var err error
	if c.GUID, err = q.reqGUID(line, t, "guid"); err != nil {
		return c, err
	}
	if u, ok := attr(t, "creatingUser"); ok {
		c.CreatingUser = q.optGUID(u)
	}
	if v, ok := attr(t, "creationDateTime"); ok {
		c.Created = parseTime(v)
	}
	return c, nil
}

func (q *qdeReader) note(line int, t xml.StartElement) error {
	n := pendingNote{line: line}
	var err error
	if n.GUID, err = q.reqGUID(line, t, "guid"); err != nil {
		return err
	}
	n.Name, _ = attr(t, "name")
	n.path, _ = attr(t, "plainTextPath")
	n.CreatingUser, n.Created, _, n.Modified = q.audit(t)
	q.notes = append(q.notes, n)
	q.push(frame{kind: fNote, line: line, name: "Note", a: len(q.notes) - 1})
	return nil
}

func (q *qdeReader) noteRef(line int, t xml.StartElement, to *[]string) error {
	g, err := q.reqGUID(line, t, "targetGUID")
	if err != nil {
		return err
	}
	*to = append(*to, g)
	q.skip(line, t.Name.Local)
	return nil
}

// audit reads the optional creatingUser, creationDateTime, modifyingUser
// and modifiedDateTime; malformed values count as missing.
func (q *qdeReader) audit(t xml.StartElement) (cu string, created time.Time, mu string, modified time.Time) {
	for _, a := range t.Attr {
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "creatingUser":
			cu = q.optGUID(a.Value)
		case "creationDateTime":
			created = parseTime(a.Value)
		case "modifyingUser":
			mu = q.optGUID(a.Value)
		case "modifiedDateTime":
			modified = parseTime(a.Value)
		}
	}
	return
}

// reqGUID reads a required GUID attribute.
func (q *qdeReader) reqGUID(line int, t xml.StartElement, name string) (string, error) {
	v, ok := attr(t, name)
	if !ok {
		return "", q.elemErr(line, t.Name.Local, "has no %s", name)
	}
	g, ok := codebook.ParseGUID(v)
	if !ok {
		return "", q.elemErr(line, t.Name.Local, "%s %q is not a GUID (8-4-4-4-12 hex digits)", name, v)
	}
	return g, nil
}

// optGUID reads an optional GUID attribute; a malformed one counts as
// missing.
func (q *qdeReader) optGUID(v string) string {
	g, ok := codebook.ParseGUID(v)
	if !ok {
		return ""
	}
	return q.internString(g)
}

// internString keeps one copy of strings that recur on every selection
// (user GUIDs, code GUIDs).
func (q *qdeReader) internString(s string) string {
	if v, ok := q.intern[s]; ok {
		return v
	}
	if len(q.intern) < 1<<16 {
		q.intern[s] = s
	}
	return s
}

func attr(t xml.StartElement, name string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

// parseTime reads an xsd:dateTime; one without a zone is taken as UTC.
// A malformed value gives the zero time (the attribute is optional).
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// formatTime writes a time as xsd:dateTime in UTC to the second, as the
// REFI-QDA programs write and read it.
func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}
