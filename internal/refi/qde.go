package refi

import (
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

// The .qde reader goes through the XML once, element by element (see
// scanner), keeping a stack of frames that say what each open element is. Elements are matched
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
	s       *scanner
	lim     Limits
	p       *Project
	stack   []frame
	text    strings.Builder
	sources []pendingSource
	notes   []pendingNote
	guids   map[string]string    // GUIDs that recur (users, codes), by their text in the file
	times   map[string]time.Time // times, by their text in the file
}

// readQDE parses a project file. It fills the model; texts are resolved
// and selections placed afterwards (see resolve).
func readQDE(name string, data []byte, lim Limits) (*qdeReader, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, fmt.Errorf("%s: is a zip archive inside the .qdpx, not a project file", name)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, fmt.Errorf("%s: is UTF-16; REFI-QDA project files are UTF-8", name)
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: no XML element in the file; not a REFI-QDA project", name)
	}
	if err := checkDeclaration(data); err != nil {
		return nil, fmt.Errorf("%s:1: %v", name, err)
	}
	q := &qdeReader{
		name:  name,
		lim:   lim,
		p:     &Project{CodeNotes: map[string][]string{}},
		guids: map[string]string{},
		times: map[string]time.Time{},
	}
	s, err := newScanner(data)
	if err != nil {
		return nil, q.scanErr(err)
	}
	q.s = s
	if err := q.read(); err != nil {
		return nil, err
	}
	return q, nil
}

// checkDeclaration refuses an XML declaration naming an encoding other
// than UTF-8.
func checkDeclaration(data []byte) error {
	if !bytes.HasPrefix(data, []byte("<?xml")) {
		return nil
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return nil
	}
	decl := string(data[:end])
	i := strings.Index(decl, "encoding=")
	if i < 0 || len(decl) < i+10 {
		return nil
	}
	q := decl[i+9]
	enc, _, _ := strings.Cut(decl[i+10:], string(q))
	switch strings.ToLower(enc) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return nil
	}
	return fmt.Errorf("encoding %q is not supported; REFI-QDA project files are UTF-8", enc)
}

func (q *qdeReader) scanErr(err error) error {
	var se *scanError
	if errors.As(err, &se) {
		return q.errf(se.line, "%s", se.msg)
	}
	return err
}

func (q *qdeReader) errf(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", q.name, line, fmt.Sprintf(format, args...))
}

// elemErr is an error about an element: "<Name>: message".
func (q *qdeReader) elemErr(line int, el string, format string, args ...any) error {
	return q.errf(line, "<%s>: %s", el, fmt.Sprintf(format, args...))
}

func (q *qdeReader) read() error {
	s := q.s
	for {
		if err := s.next(); err != nil {
			var se *scanError
			if errors.As(err, &se) && len(q.stack) > 0 && strings.HasPrefix(se.msg, "not well-formed XML: element <") {
				top := q.stack[len(q.stack)-1]
				return q.errf(se.line, "%s (inside <%s> of line %d)", se.msg, top.name, top.line)
			}
			return q.scanErr(err)
		}
		switch s.kind {
		case tokEOF:
			return nil
		case tokStart:
			if len(q.stack) >= q.lim.MaxXMLDepth {
				return q.errf(s.tokLine, "elements nested more than %d deep at <%s>", q.lim.MaxXMLDepth, s.local)
			}
			if len(q.stack) == 0 {
				if err := q.root(s.tokLine); err != nil {
					return err
				}
				continue
			}
			if err := q.start(s.tokLine); err != nil {
				return err
			}
		case tokEnd:
			if err := q.end(s.tokLine); err != nil {
				return err
			}
		case tokText:
			if n := len(q.stack); n > 0 && q.stack[n-1].kind == fText {
				q.text.WriteString(s.textString())
			}
		}
	}
}

func (q *qdeReader) root(line int) error {
	switch sp := q.s.space; {
	case q.s.local == "CodeBook":
		return q.errf(line, "root element is <CodeBook>: a REFI-QDA codebook (.qdc), not a project")
	case q.s.local != "Project":
		return q.errf(line, "root element is <%s>, want <Project> (a REFI-QDA project)", q.s.local)
	case sp != "" && !strings.HasPrefix(sp, "urn:QDA-XML:project:"):
		return q.errf(line, "root element <Project> is in namespace %q, want %q", sp, Namespace)
	}
	p := q.p
	p.Name, _ = q.s.attr("name")
	p.Origin, _ = q.s.attr("origin")
	p.CreatingUser = q.optGUID("creatingUserGUID")
	p.Created = q.time("creationDateTime")
	p.Modified = q.time("modifiedDateTime")
	p.BasePath, _ = q.s.attr("basePath")
	q.push(frame{kind: fProject, line: line, name: "Project"})
	return nil
}

func (q *qdeReader) push(f frame) { q.stack = append(q.stack, f) }

// ours reports whether an element is REFI-QDA's (by namespace).
func ours(space string) bool {
	return space == "" || strings.HasPrefix(space, "urn:QDA-XML:")
}

// captureText pushes a frame whose character data goes to fn.
func (q *qdeReader) captureText(line int, name string, fn func(string)) {
	q.text.Reset()
	q.push(frame{kind: fText, line: line, name: name, text: fn})
}

func (q *qdeReader) skip(line int, name string) {
	q.push(frame{kind: fSkip, line: line, name: name})
}

func (q *qdeReader) start(line int) error {
	parent := q.stack[len(q.stack)-1]
	el := q.s.local
	if !ours(q.s.space) || parent.kind == fSkip || parent.kind == fText {
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
			return q.noteRef(line, &p.NoteRefs)
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
		if u.GUID, err = q.reqGUID(line, "guid"); err != nil {
			return err
		}
		u.Name, _ = q.s.attr("name")
		u.ID, _ = q.s.attr("id")
		p.Users = append(p.Users, u)
		q.skip(line, el)
	case fVariables:
		if el != "Variable" {
			q.skip(line, el)
			return nil
		}
		return q.variable(line)
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
		if c.GUID, err = q.reqGUID(line, "guid"); err != nil {
			return err
		}
		c.Name, _ = q.s.attr("name")
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
			g, err := q.reqGUID(line, "targetGUID")
			if err != nil {
				return err
			}
			p.Cases[i].Sources = append(p.Cases[i].Sources, g)
			q.skip(line, el)
		case "CodeRef", "SelectionRef":
			p.CaseRefs++
			q.skip(line, el)
		default:
			q.skip(line, el)
		}
	case fValue:
		return q.valuePart(line, parent.val)
	case fSources:
		return q.source(line)
	case fTextSource:
		return q.inTextSource(line, parent.a)
	case fSelection:
		s := &q.sources[parent.a].Selections[parent.b]
		switch el {
		case "Description":
			src, sel := parent.a, parent.b
			q.captureText(line, el, func(txt string) { q.sources[src].Selections[sel].Description = txt })
		case "Coding":
			c, err := q.coding(line)
			if err != nil {
				return err
			}
			s.Codings = append(s.Codings, c)
			q.push(frame{kind: fCoding, line: line, name: el, a: parent.a, b: parent.b, c: len(s.Codings) - 1})
		case "NoteRef":
			return q.noteRef(line, &s.NoteRefs)
		default:
			q.skip(line, el)
		}
	case fCoding:
		c := q.codingAt(parent)
		switch el {
		case "CodeRef":
			g, err := q.recurringGUID(line, "targetGUID")
			if err != nil {
				return err
			}
			c.Code = g
			q.skip(line, el)
		case "NoteRef":
			return q.noteRef(line, &c.NoteRefs)
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
		return q.note(line)
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
		if s.GUID, err = q.reqGUID(line, "guid"); err != nil {
			return err
		}
		s.Name, _ = q.s.attr("name")
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
			if _, ok := q.s.attr(a); !ok {
				a = "guid" // as a codebook (.qdc) writes MemberCode
			}
			g, err := q.reqGUID(line, a)
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
// reads codes exactly as it reads a .qdc (with encoding/xml: a codebook is
// small), and collects the codes' NoteRefs. The element is cut out of the
// file and given the namespace declarations in scope and its own line
// numbers, so that errors point into the .qde.
func (q *qdeReader) codeBook(line int) error {
	if q.p.Codebook != nil {
		return q.elemErr(line, "CodeBook", "a second <CodeBook> in the project")
	}
	s := q.s
	from := s.tokPos
	var wrap strings.Builder
	wrap.WriteString("<qcode-wrap")
	for _, b := range s.ns {
		if b.prefix == "" {
			wrap.WriteString(` xmlns="`)
		} else {
			wrap.WriteString(" xmlns:" + b.prefix + `="`)
		}
		codebook.EscapeXML(&wrap, b.uri, true)
		wrap.WriteString(`"`)
	}
	wrap.WriteString(">" + strings.Repeat("\n", line-1))
	depth := len(s.stack)
	for len(s.stack) >= depth { // to the end of the CodeBook element; the scanner checks it
		if err := s.next(); err != nil {
			return q.scanErr(err)
		}
		if s.kind == tokStart && len(q.stack)+len(s.stack)-depth >= q.lim.MaxXMLDepth {
			return q.errf(s.tokLine, "elements nested more than %d deep at <%s>", q.lim.MaxXMLDepth, s.local)
		}
	}
	dec := xml.NewDecoder(io.MultiReader(strings.NewReader(wrap.String()), bytes.NewReader(s.data[from:s.pos]), strings.NewReader("</qcode-wrap>")))
	for {
		tok, err := dec.Token()
		if err != nil {
			return q.errf(line, "<CodeBook>: %v", err)
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "CodeBook" {
			break
		}
	}
	cb, err := codebook.ReadQDCCodeBook(dec, q.name, len(q.stack), q.lim.MaxXMLDepth, func(codeID string, l int, el xml.StartElement) error {
		if el.Name.Local != "NoteRef" || !ours(el.Name.Space) {
			return nil
		}
		for _, a := range el.Attr {
			if a.Name.Local == "targetGUID" && a.Name.Space == "" {
				g, ok := codebook.ParseGUID(a.Value)
				if !ok {
					return q.elemErr(l, "NoteRef", "targetGUID %q is not a GUID (8-4-4-4-12 hex digits)", a.Value)
				}
				q.p.CodeNotes[codeID] = append(q.p.CodeNotes[codeID], g)
				return nil
			}
		}
		return q.elemErr(l, "NoteRef", "has no targetGUID")
	})
	if err != nil {
		return err
	}
	cb.Name = q.p.Name
	q.p.Codebook = cb
	return nil
}

func (q *qdeReader) variable(line int) error {
	v := Variable{}
	var err error
	if v.GUID, err = q.reqGUID(line, "guid"); err != nil {
		return err
	}
	v.Name, _ = q.s.attr("name")
	if strings.TrimSpace(v.Name) == "" {
		return q.elemErr(line, "Variable", "has no name")
	}
	typ, _ := q.s.attr("typeOfVariable")
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

func (q *qdeReader) valuePart(line int, v *pendingValue) error {
	el := q.s.local
	switch el {
	case "VariableRef":
		g, err := q.reqGUID(line, "targetGUID")
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

func (q *qdeReader) source(line int) error {
	el := q.s.local
	kind := map[string]string{"PDFSource": "PDF", "PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}[el]
	if el != "TextSource" && kind == "" {
		q.skip(line, el)
		return nil
	}
	g, err := q.reqGUID(line, "guid")
	if err != nil {
		return err
	}
	name, _ := q.s.attr("name")
	if kind != "" {
		path, _ := q.s.attr("path")
		q.p.Skipped = append(q.p.Skipped, SkippedSource{GUID: g, Name: name, Kind: kind, Path: path, Reason: kind + " sources are not imported"})
		q.push(frame{kind: fMedia, line: line, name: el, a: len(q.p.Skipped) - 1})
		return nil
	}
	s := pendingSource{line: line}
	s.GUID, s.Name = g, name
	s.Path, _ = q.s.attr("plainTextPath")
	s.richPath, _ = q.s.attr("richTextPath")
	s.CreatingUser, s.Created, s.ModifyingUser, s.Modified = q.audit()
	q.sources = append(q.sources, s)
	q.push(frame{kind: fTextSource, line: line, name: el, a: len(q.sources) - 1})
	return nil
}

func (q *qdeReader) inTextSource(line int, i int) error {
	el := q.s.local
	s := &q.sources[i]
	switch el {
	case "Description":
		q.captureText(line, el, func(txt string) { q.sources[i].Description = txt })
	case "PlainTextContent":
		q.captureText(line, el, func(txt string) { q.sources[i].content, q.sources[i].hasContent = txt, true })
	case "PlainTextSelection":
		sel, err := q.selection(line)
		if err != nil {
			return err
		}
		s.Selections = append(s.Selections, sel)
		q.push(frame{kind: fSelection, line: line, name: el, a: i, b: len(s.Selections) - 1})
	case "Coding":
		c, err := q.coding(line)
		if err != nil {
			return err
		}
		s.Codings = append(s.Codings, c)
		q.push(frame{kind: fCoding, line: line, name: el, a: i, b: -1, c: len(s.Codings) - 1})
	case "NoteRef":
		return q.noteRef(line, &s.NoteRefs)
	case "VariableValue":
		q.value(line, el, func(v Value) { q.sources[i].Values = append(q.sources[i].Values, v) })
	default:
		q.skip(line, el)
	}
	return nil
}

func (q *qdeReader) selection(line int) (Selection, error) {
	s := Selection{Line: line}
	var err error
	if s.GUID, err = q.reqGUID(line, "guid"); err != nil {
		return s, err
	}
	s.Name, _ = q.s.attr("name")
	if s.RawStart, err = q.position(line, "startPosition"); err != nil {
		return s, err
	}
	if s.RawEnd, err = q.position(line, "endPosition"); err != nil {
		return s, err
	}
	if s.RawStart > s.RawEnd {
		return s, q.elemErr(line, "PlainTextSelection", "startPosition %d is after endPosition %d", s.RawStart, s.RawEnd)
	}
	s.CreatingUser, s.Created, s.ModifyingUser, s.Modified = q.audit()
	return s, nil
}

func (q *qdeReader) position(line int, name string) (int64, error) {
	v, ok := q.s.attr(name)
	if !ok {
		return 0, q.elemErr(line, q.s.local, "has no %s", name)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	switch {
	case err != nil:
		return 0, q.elemErr(line, q.s.local, "%s %q is not a whole number", name, v)
	case n < 0:
		return 0, q.elemErr(line, q.s.local, "%s %d is negative", name, n)
	}
	return n, nil
}

func (q *qdeReader) coding(line int) (Coding, error) {
	c := Coding{Line: line}
	var err error
	if c.GUID, err = q.reqGUID(line, "guid"); err != nil {
		return c, err
	}
	c.CreatingUser = q.optGUID("creatingUser")
	c.Created = q.time("creationDateTime")
	return c, nil
}

func (q *qdeReader) note(line int) error {
	n := pendingNote{line: line}
	var err error
	if n.GUID, err = q.reqGUID(line, "guid"); err != nil {
		return err
	}
	n.Name, _ = q.s.attr("name")
	n.path, _ = q.s.attr("plainTextPath")
	n.CreatingUser, n.Created, _, n.Modified = q.audit()
	q.notes = append(q.notes, n)
	q.push(frame{kind: fNote, line: line, name: "Note", a: len(q.notes) - 1})
	return nil
}

func (q *qdeReader) noteRef(line int, to *[]string) error {
	g, err := q.reqGUID(line, "targetGUID")
	if err != nil {
		return err
	}
	*to = append(*to, g)
	q.skip(line, q.s.local)
	return nil
}

// audit reads the optional creatingUser, creationDateTime, modifyingUser
// and modifiedDateTime; malformed values count as missing.
func (q *qdeReader) audit() (cu string, created time.Time, mu string, modified time.Time) {
	return q.optGUID("creatingUser"), q.time("creationDateTime"), q.optGUID("modifyingUser"), q.time("modifiedDateTime")
}

// reqGUID reads a required GUID attribute.
func (q *qdeReader) reqGUID(line int, name string) (string, error) {
	raw, ok := q.s.rawAttr(name)
	if !ok {
		return "", q.elemErr(line, q.s.local, "has no %s", name)
	}
	if g, ok := guidBytes(raw); ok {
		return g, nil // the usual case, without a detour through strings
	}
	v := decode(raw, false)
	g, ok := codebook.ParseGUID(v)
	if !ok {
		return "", q.elemErr(line, q.s.local, "%s %q is not a GUID (8-4-4-4-12 hex digits)", name, v)
	}
	return g, nil
}

// guidBytes reads a GUID written plainly (8-4-4-4-12 hex digits, no
// braces, spaces or references) and returns it in lower case.
func guidBytes(b []byte) (string, bool) {
	if len(b) != 36 {
		return "", false
	}
	var out [36]byte
	for i, c := range b {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return "", false
			}
		case '0' <= c && c <= '9' || 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			c += 'a' - 'A'
		default:
			return "", false
		}
		out[i] = c
	}
	return string(out[:]), true
}

// recurringGUID reads a required GUID attribute whose values recur (the
// code of every coding), keeping one copy of each.
func (q *qdeReader) recurringGUID(line int, name string) (string, error) {
	if raw, ok := q.s.rawAttr(name); ok {
		if g, ok := q.guids[string(raw)]; ok {
			return g, nil
		}
	}
	g, err := q.reqGUID(line, name)
	if err == nil && len(q.guids) < 1<<16 {
		raw, _ := q.s.rawAttr(name)
		q.guids[string(raw)] = g
	}
	return g, err
}

// optGUID reads an optional GUID attribute (a user); a malformed one
// counts as missing.
func (q *qdeReader) optGUID(name string) string {
	raw, ok := q.s.rawAttr(name)
	if !ok {
		return ""
	}
	if g, ok := q.guids[string(raw)]; ok {
		return g
	}
	g, ok := codebook.ParseGUID(decode(raw, false))
	if !ok {
		return ""
	}
	if len(q.guids) < 1<<16 {
		q.guids[string(raw)] = g
	}
	return g
}

// time reads an optional time attribute; a malformed one counts as
// missing.
func (q *qdeReader) time(name string) time.Time {
	raw, ok := q.s.rawAttr(name)
	if !ok {
		return time.Time{}
	}
	if t, ok := q.times[string(raw)]; ok {
		return t
	}
	t := parseTime(decode(raw, false))
	if len(q.times) >= 1<<12 {
		clear(q.times)
	}
	q.times[string(raw)] = t
	return t
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
