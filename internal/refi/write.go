package refi

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qcode-qda/qcode/codebook"
)

// WriteOptions tune Write.
type WriteOptions struct {
	// CRLF writes the sources' line breaks as CRLF, for programs that want
	// Windows text files; positions stay code points over the text as
	// written, as the specification says.
	CRLF bool
}

const schemaLocation = Namespace + " http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"

// Write writes p as a .qdpx: project.qde and sources/<GUID>.txt for every
// text source. The project file validates against Project.xsd 1.0:
// children in the schema's order, no empty container elements, GUIDs in
// upper case, isCodable on every code, colours as #RRGGBB. Sources are
// UTF-8 without a BOM with LF line breaks (or CRLF, see WriteOptions);
// positions are code points, end exclusive, and every selection's name is
// the text it selects. Selection.Name, TextSource.Raw and the fields
// reading fills (Skipped, Problems, ...) are ignored.
//
// Write checks everything before writing the first byte: a selection
// outside its text, a GUID that is not one, a character XML cannot hold
// in a name or memo is an error naming the element.
func Write(w io.Writer, p *Project, opt WriteOptions) error {
	if err := checkProject(p); err != nil {
		return err
	}
	// Zip entries carry the project's time (a zero time would be written as
	// the invalid DOS date 1980-00-00).
	stamp := p.Modified
	if stamp.IsZero() {
		stamp = p.Created
	}
	if stamp.IsZero() {
		stamp = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	zw := zip.NewWriter(w)
	// The fastest deflate level: a 140 MB project file packs in half the
	// time of the default level, for a file about a fifth larger.
	// Entries are written one after the other, so one compressor serves
	// them all (a new one per source file would allocate 1 MB each).
	var fw *flate.Writer
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		if fw == nil {
			var err error
			fw, err = flate.NewWriter(w, flate.BestSpeed)
			return fw, err
		}
		fw.Reset(w)
		return fw, nil
	})
	f, err := zw.CreateHeader(&zip.FileHeader{Name: "project.qde", Method: zip.Deflate, Modified: stamp})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	x := &xw{w: bw, types: map[string]VariableType{}}
	for _, v := range p.Variables {
		x.types[v.GUID] = v.Type
	}
	if err := x.project(p, opt); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	for i := range p.Sources {
		s := &p.Sources[i]
		f, err := zw.CreateHeader(&zip.FileHeader{Name: "sources/" + strings.ToUpper(s.GUID) + ".txt", Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		text := s.Text
		if opt.CRLF {
			text = strings.ReplaceAll(text, "\n", "\r\n")
		}
		if _, err := io.WriteString(f, text); err != nil {
			return err
		}
	}
	return zw.Close()
}

// checkProject finds what would make the file invalid or untrue.
func checkProject(p *Project) error {
	bad := func(el, id, format string, args ...any) error {
		return fmt.Errorf("<%s> %s: %s", el, id, fmt.Sprintf(format, args...))
	}
	guid := func(el, g string) error {
		if _, ok := codebook.ParseGUID(g); !ok {
			return bad(el, g, "%q is not a GUID", g)
		}
		return nil
	}
	xmlOK := func(el, id, what, s string) error {
		if r, ok := codebook.NonXMLRune(s); ok {
			return bad(el, id, "the %s contains %U, which XML cannot carry", what, r)
		}
		return nil
	}
	if err := xmlOK("Project", p.Name, "name or description", p.Name+p.Description); err != nil {
		return err
	}
	for _, u := range p.Users {
		if err := guid("User", u.GUID); err != nil {
			return err
		}
		if err := xmlOK("User", u.GUID, "name", u.Name+u.ID); err != nil {
			return err
		}
	}
	for _, v := range p.Variables {
		if err := guid("Variable", v.GUID); err != nil {
			return err
		}
		if !slices.Contains([]VariableType{Text, Boolean, Integer, Float, Date, DateTime}, v.Type) {
			return bad("Variable", v.Name, "type %q is not a REFI-QDA variable type", v.Type)
		}
		if err := xmlOK("Variable", v.Name, "name or description", v.Name+v.Description); err != nil {
			return err
		}
	}
	values := func(el, id string, vs []Value) error {
		for _, v := range vs {
			if err := guid("VariableRef", v.Variable); err != nil {
				return err
			}
			if err := xmlOK(el, id, "value", v.Value); err != nil {
				return err
			}
		}
		return nil
	}
	for _, c := range p.Cases {
		if err := guid("Case", c.GUID); err != nil {
			return err
		}
		if err := xmlOK("Case", c.Name, "name or description", c.Name+c.Description); err != nil {
			return err
		}
		if err := values("Case", c.Name, c.Values); err != nil {
			return err
		}
	}
	for i := range p.Sources {
		s := &p.Sources[i]
		if err := guid("TextSource", s.GUID); err != nil {
			return err
		}
		if strings.ContainsRune(s.Text, '\r') || strings.HasPrefix(s.Text, "\uFEFF") || !utf8.ValidString(s.Text) {
			return bad("TextSource", s.Name, "the text is not normalised UTF-8 (no BOM, LF line breaks)")
		}
		if err := xmlOK("TextSource", s.Name, "name or description", s.Name+s.Description); err != nil {
			return err
		}
		if err := values("TextSource", s.Name, s.Values); err != nil {
			return err
		}
		n := utf8.RuneCountInString(s.Text)
		for _, sel := range s.Selections {
			if err := guid("PlainTextSelection", sel.GUID); err != nil {
				return err
			}
			if sel.Start < 0 || sel.Start >= sel.End || sel.End > n {
				return bad("PlainTextSelection", sel.GUID, "range %d-%d is not inside the %d characters of %q", sel.Start, sel.End, n, s.Name)
			}
			if err := xmlOK("PlainTextSelection", sel.GUID, "description", sel.Description); err != nil {
				return err
			}
			for _, c := range sel.Codings {
				if err := guid("Coding", c.GUID); err != nil {
					return err
				}
				if err := guid("CodeRef", c.Code); err != nil {
					return err
				}
			}
		}
	}
	for _, n := range p.Notes {
		if err := guid("Note", n.GUID); err != nil {
			return err
		}
		if err := xmlOK("Note", n.GUID, "text", n.Name+n.Description+n.Text); err != nil {
			return err
		}
	}
	for _, s := range p.Sets {
		if err := guid("Set", s.GUID); err != nil {
			return err
		}
		if err := xmlOK("Set", s.Name, "name or description", s.Name+s.Description); err != nil {
			return err
		}
	}
	return nil
}

// xw writes the project file. Write errors stick in the bufio.Writer and
// come out of Flush.
type xw struct {
	w     *bufio.Writer
	types map[string]VariableType // by variable GUID
}

func (x *xw) s(s string) { x.w.WriteString(s) }

// attr writes name="value" with a leading space.
func (x *xw) attr(name, value string) {
	x.s(" " + name + `="`)
	codebook.EscapeXML(x.w, value, true)
	x.s(`"`)
}

func (x *xw) guidAttr(name, g string) {
	if g != "" {
		x.s(" ")
		x.s(name)
		x.s(`="`)
		x.guid(g)
		x.s(`"`)
	}
}

// guid writes a GUID in upper case.
func (x *xw) guid(g string) {
	var up [64]byte
	if len(g) > len(up) {
		x.s(strings.ToUpper(g))
		return
	}
	for i := 0; i < len(g); i++ {
		c := g[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		up[i] = c
	}
	x.w.Write(up[:len(g)])
}

func (x *xw) timeAttr(name string, t time.Time) {
	if !t.IsZero() {
		var buf [32]byte
		x.s(" ")
		x.s(name)
		x.s(`="`)
		x.w.Write(t.UTC().AppendFormat(buf[:0], "2006-01-02T15:04:05Z"))
		x.s(`"`)
	}
}

// text writes <el>s</el> on a line of its own at the indent.
func (x *xw) text(indent, el, s string) {
	x.s(indent + "<" + el + ">")
	codebook.EscapeXML(x.w, s, false)
	x.s("</" + el + ">\n")
}

func (x *xw) ref(indent, el, g string) {
	x.s(indent)
	x.s("<")
	x.s(el)
	x.s(` targetGUID="`)
	x.guid(g)
	x.s(`"/>` + "\n")
}

func (x *xw) project(p *Project, opt WriteOptions) error {
	name := p.Name
	if strings.TrimSpace(name) == "" {
		name = "qcode project"
	}
	x.s(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	x.s(`<Project xmlns="` + Namespace + `" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="` + schemaLocation + `"`)
	x.attr("name", name)
	if p.Origin != "" {
		x.attr("origin", p.Origin)
	}
	x.guidAttr("creatingUserGUID", p.CreatingUser)
	x.timeAttr("creationDateTime", p.Created)
	x.timeAttr("modifiedDateTime", p.Modified)
	x.s(">\n")
	if len(p.Users) > 0 {
		x.s("  <Users>\n")
		for _, u := range p.Users {
			x.s("    <User")
			x.guidAttr("guid", u.GUID)
			if u.Name != "" {
				x.attr("name", u.Name)
			}
			if u.ID != "" {
				x.attr("id", u.ID)
			}
			x.s("/>\n")
		}
		x.s("  </Users>\n")
	}
	if p.Codebook != nil && len(p.Codebook.Codes) > 0 {
		x.s("  <CodeBook>\n")
		if err := codebook.WriteQDCCodes(x.w, p.Codebook, 2, func(id string) []string { return p.CodeNotes[id] }); err != nil {
			return err
		}
		x.s("  </CodeBook>\n")
	}
	if len(p.Variables) > 0 {
		x.s("  <Variables>\n")
		for _, v := range p.Variables {
			x.s("    <Variable")
			x.guidAttr("guid", v.GUID)
			x.attr("name", v.Name)
			x.s(` typeOfVariable="` + string(v.Type) + `"`)
			if v.Description == "" {
				x.s("/>\n")
				continue
			}
			x.s(">\n")
			x.text("      ", "Description", v.Description)
			x.s("    </Variable>\n")
		}
		x.s("  </Variables>\n")
	}
	if len(p.Cases) > 0 {
		x.s("  <Cases>\n")
		for _, c := range p.Cases {
			x.s("    <Case")
			x.guidAttr("guid", c.GUID)
			if c.Name != "" {
				x.attr("name", c.Name)
			}
			if c.Description == "" && len(c.Values) == 0 && len(c.Sources) == 0 {
				x.s("/>\n")
				continue
			}
			x.s(">\n")
			if c.Description != "" {
				x.text("      ", "Description", c.Description)
			}
			x.values("      ", c.Values)
			for _, s := range c.Sources {
				x.ref("      ", "SourceRef", s)
			}
			x.s("    </Case>\n")
		}
		x.s("  </Cases>\n")
	}
	if len(p.Sources) > 0 {
		x.s("  <Sources>\n")
		for i := range p.Sources {
			x.source(&p.Sources[i], opt)
		}
		x.s("  </Sources>\n")
	}
	if len(p.Notes) > 0 {
		x.s("  <Notes>\n")
		for _, n := range p.Notes {
			x.s("    <Note")
			x.guidAttr("guid", n.GUID)
			if n.Name != "" {
				x.attr("name", n.Name)
			}
			x.guidAttr("creatingUser", n.CreatingUser)
			x.timeAttr("creationDateTime", n.Created)
			x.timeAttr("modifiedDateTime", n.Modified)
			x.s(">\n")
			if n.Description != "" {
				x.text("      ", "Description", n.Description)
			}
			x.text("      ", "PlainTextContent", n.Text)
			x.s("    </Note>\n")
		}
		x.s("  </Notes>\n")
	}
	if len(p.Sets) > 0 {
		x.s("  <Sets>\n")
		for _, s := range p.Sets {
			x.s("    <Set")
			x.guidAttr("guid", s.GUID)
			x.attr("name", s.Name)
			if s.Description == "" && len(s.Codes)+len(s.Sources)+len(s.Notes) == 0 {
				x.s("/>\n")
				continue
			}
			x.s(">\n")
			if s.Description != "" {
				x.text("      ", "Description", s.Description)
			}
			for _, g := range s.Codes {
				x.ref("      ", "MemberCode", g)
			}
			for _, g := range s.Sources {
				x.ref("      ", "MemberSource", g)
			}
			for _, g := range s.Notes {
				x.ref("      ", "MemberNote", g)
			}
			x.s("    </Set>\n")
		}
		x.s("  </Sets>\n")
	}
	if p.Description != "" {
		x.text("  ", "Description", p.Description)
	}
	for _, g := range p.NoteRefs {
		x.ref("  ", "NoteRef", g)
	}
	x.s("</Project>\n")
	return nil
}

func (x *xw) values(indent string, vs []Value) {
	for _, v := range vs {
		el := string(x.types[v.Variable]) + "Value"
		if x.types[v.Variable] == "" {
			el = "TextValue"
		}
		x.s(indent + "<VariableValue>\n")
		x.ref(indent+"  ", "VariableRef", v.Variable)
		x.text(indent+"  ", el, v.Value)
		x.s(indent + "</VariableValue>\n")
	}
}

func (x *xw) source(s *TextSource, opt WriteOptions) {
	x.s("    <TextSource")
	x.guidAttr("guid", s.GUID)
	if s.Name != "" {
		x.attr("name", s.Name)
	}
	x.s(` plainTextPath="internal://` + strings.ToUpper(s.GUID) + `.txt"`)
	x.guidAttr("creatingUser", s.CreatingUser)
	x.timeAttr("creationDateTime", s.Created)
	x.guidAttr("modifyingUser", s.ModifyingUser)
	x.timeAttr("modifiedDateTime", s.Modified)
	if s.Description == "" && len(s.Selections)+len(s.Codings)+len(s.NoteRefs)+len(s.Values) == 0 {
		x.s("/>\n")
		return
	}
	x.s(">\n")
	if s.Description != "" {
		x.text("      ", "Description", s.Description)
	}
	var lfs []int
	if opt.CRLF {
		lfs = lfIndex(s.Text)
	}
	ix := runeOffsets(s.Text)
	for _, sel := range s.Selections {
		start, end := sel.Start, sel.End
		name := s.Text[ix[start]:ix[end]]
		if opt.CRLF {
			start, end = fromNorm(lfs, start), fromNorm(lfs, end)
			name = strings.ReplaceAll(name, "\n", "\r\n")
		}
		x.s("      <PlainTextSelection")
		x.guidAttr("guid", sel.GUID)
		if _, bad := codebook.NonXMLRune(name); !bad {
			x.attr("name", name) // the selected text; left out if XML cannot hold it
		}
		var num [20]byte
		x.s(` startPosition="`)
		x.w.Write(strconv.AppendInt(num[:0], int64(start), 10))
		x.s(`" endPosition="`)
		x.w.Write(strconv.AppendInt(num[:0], int64(end), 10))
		x.s(`"`)
		x.guidAttr("creatingUser", sel.CreatingUser)
		x.timeAttr("creationDateTime", sel.Created)
		x.guidAttr("modifyingUser", sel.ModifyingUser)
		x.timeAttr("modifiedDateTime", sel.Modified)
		if sel.Description == "" && len(sel.Codings)+len(sel.NoteRefs) == 0 {
			x.s("/>\n")
			continue
		}
		x.s(">\n")
		if sel.Description != "" {
			x.text("        ", "Description", sel.Description)
		}
		for _, c := range sel.Codings {
			x.coding("        ", c)
		}
		for _, g := range sel.NoteRefs {
			x.ref("        ", "NoteRef", g)
		}
		x.s("      </PlainTextSelection>\n")
	}
	for _, c := range s.Codings {
		x.coding("      ", c)
	}
	for _, g := range s.NoteRefs {
		x.ref("      ", "NoteRef", g)
	}
	x.values("      ", s.Values)
	x.s("    </TextSource>\n")
}

func (x *xw) coding(indent string, c Coding) {
	x.s(indent + "<Coding")
	x.guidAttr("guid", c.GUID)
	x.guidAttr("creatingUser", c.CreatingUser)
	x.timeAttr("creationDateTime", c.Created)
	x.s(">\n")
	x.ref(indent+"  ", "CodeRef", c.Code)
	for _, g := range c.NoteRefs {
		x.ref(indent+"  ", "NoteRef", g)
	}
	x.s(indent + "</Coding>\n")
}
