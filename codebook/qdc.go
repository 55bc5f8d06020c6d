package codebook

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	// QDCNamespace is the XML namespace of a REFI-QDA 1.0 codebook.
	QDCNamespace = "urn:QDA-XML:codebook:1.0"

	qdcSchemaLocation = QDCNamespace + " http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
	qdcMaxBytes       = 32 << 20 // no real codebook comes close
	qdcMaxDepth       = 256      // XML elements, CodeBook and Codes included
	qdcBlockHeader    = "[qcode]"
)

// ReadQDC reads a REFI-QDA codebook (.qdc), the codebook exchange format of
// NVivo, ATLAS.ti, MAXQDA, QualCoder and others (REFI-QDA 1.5, section 5.2).
// name is used in errors and, as a .qdc has no codebook name, for the
// codebook's Name (without directory and extension).
//
// It reads the namespace urn:QDA-XML:codebook:1.0, the older
// urn:QDA-XML:codebook:0:4 (ATLAS.ti), other urn:QDA-XML:codebook:*
// versions and no namespace, matching elements by local name. Input is
// limited to 32 MB and 256 levels of elements; a DOCTYPE declaring entities
// is refused.
//
// The mapping, which [WriteQDC] follows the other way:
//
//   - Code.ID is Code/@guid, read in either case, with or without braces,
//     and kept in lower case; written in upper case without braces, as
//     ATLAS.ti and MAXQDA write it.
//   - Code.Name is @name; ParentID is the nesting of <Code> elements.
//   - Code.Grouping is @isCodable="false" (a folder or theme heading that is
//     not applied to text).
//   - Code.Colour is @color: #RRGGBB or #RGB, read as lower-case #rrggbb.
//   - Code.Description is <Description>, without surrounding white space.
//   - Codebook.Description and Frameworks have no place in a .qdc.
//   - <Sets> and elements REFI-QDA or a vendor adds are skipped.
//
// REFI-QDA has no place for a code's polarity, links, inclusion, exclusion,
// example, hotkey and memo, so they follow the description in a block of
// plain lines that other programs show as readable text:
//
//	Workers fear that earnings will cut their benefits.
//
//	[qcode]
//	polarity: barrier
//	links: ips25:12 cfir2:II.F
//	inclusion: Any mention of benefit loss.
//	memo: "First line.\nSecond line."
//
// The block starts at the last line that is exactly "[qcode]" and runs to
// the end of the description. Each line is "key: value", with the keys
// polarity, links (space separated), inclusion, exclusion, example, hotkey,
// colour (only for a colour that is not #RRGGBB) and memo. A value that
// spans lines, holds a tab or another character that is not printable, has
// surrounding spaces or starts with a double quote is written as a Go
// (JSON-like) quoted string. Unknown keys are ignored, and
// text that does not parse as such a block stays in the description.
func ReadQDC(name string, r io.Reader) (*Codebook, error) {
	cr := &countingReader{r: io.LimitReader(r, qdcMaxBytes+1)}
	br := bufio.NewReader(cr)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil, fmt.Errorf("%s: is a zip archive (a .qdpx project?), not a .qdc codebook", name)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, fmt.Errorf("%s: is UTF-16; REFI-QDA codebooks are UTF-8 (save the file as UTF-8)", name)
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		br.Discard(3)
	}
	p := newQDCReader(name, xml.NewDecoder(br), qdcMaxDepth)
	p.cb.Name = codebookNameFromFile(name)
	p.dec.CharsetReader = func(charset string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return input, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported; REFI-QDA codebooks are UTF-8", charset)
	}
	err := p.read()
	if cr.n > qdcMaxBytes {
		return nil, fmt.Errorf("%s: larger than %d MB; not a codebook qcode will read", name, qdcMaxBytes>>20)
	}
	if err != nil {
		return nil, err
	}
	return p.cb, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// codebookNameFromFile turns "dir/My codebook.qdc" into "My codebook".
func codebookNameFromFile(name string) string {
	base := filepath.Base(filepath.ToSlash(name))
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	base = strings.TrimSuffix(base, filepath.Ext(base))
	if base == "." || base == "" {
		return ""
	}
	return base
}

type qdcFrameKind int

const (
	qdcRoot qdcFrameKind = iota
	qdcCodes
	qdcCode
	qdcDescription
	qdcSkip
)

type qdcFrame struct {
	kind qdcFrameKind
	code int // index into cb.Codes (qdcCode, qdcDescription)
}

type qdcCodeInfo struct {
	line    int
	desc    strings.Builder
	hasDesc bool
}

type qdcReader struct {
	name     string
	dec      *xml.Decoder
	cb       *Codebook
	stack    []qdcFrame
	info     []*qdcCodeInfo
	ids      map[string]int            // id -> line
	names    map[string]map[string]int // parent id -> lower-case name -> line
	maxDepth int                       // elements open at once, counted from the document's root
	outer    int                       // elements enclosing the CodeBook element
	// onChild, when set, receives the elements of a <Code> that are not
	// its Description or sub-codes (a project's NoteRef).
	onChild func(codeID string, line int, el xml.StartElement) error
}

func newQDCReader(name string, dec *xml.Decoder, maxDepth int) *qdcReader {
	return &qdcReader{
		name:     name,
		dec:      dec,
		cb:       &Codebook{},
		ids:      map[string]int{},
		names:    map[string]map[string]int{},
		maxDepth: maxDepth,
	}
}

// ReadQDCCodeBook reads the codes of a REFI-QDA <CodeBook> element inside a
// larger document, such as a project (.qde): dec has just returned the
// element's start tag, and reading stops after its end tag. The codes are
// read and checked exactly as [ReadQDC] reads them. name prefixes errors
// ("name:line: ..."); maxDepth limits the nesting of elements counted
// from the document's root, of which outer enclose <CodeBook>. onChild, if not nil, is called for every element
// directly inside a <Code> other than its <Description> and sub-codes
// (in a project: <NoteRef>), with the code's id; the element's content
// is skipped.
func ReadQDCCodeBook(dec *xml.Decoder, name string, outer, maxDepth int, onChild func(codeID string, line int, el xml.StartElement) error) (*Codebook, error) {
	p := newQDCReader(name, dec, maxDepth)
	p.outer = outer
	p.onChild = onChild
	p.stack = append(p.stack, qdcFrame{kind: qdcRoot})
	if err := p.readElement(); err != nil {
		return nil, err
	}
	return p.cb, nil
}

func (p *qdcReader) errf(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.name, line, fmt.Sprintf(format, args...))
}

// token returns the next token, with the line it starts on.
func (p *qdcReader) token() (xml.Token, int, error) {
	line, _ := p.dec.InputPos()
	tok, err := p.dec.Token()
	if err != nil && err != io.EOF {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, se.Line, p.errf(se.Line, "not well-formed XML: %s", se.Msg)
		}
		return nil, line, fmt.Errorf("%s:%d: %w", p.name, line, err)
	}
	return tok, line, err
}

func (p *qdcReader) read() error {
	for {
		tok, line, err := p.token()
		if err == io.EOF {
			return fmt.Errorf("%s: no XML element in the file; not a REFI-QDA codebook (.qdc)", p.name)
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			if err := p.checkDirective(line, t); err != nil {
				return err
			}
		case xml.StartElement:
			if err := p.checkRoot(line, t.Name); err != nil {
				return err
			}
			p.stack = append(p.stack, qdcFrame{kind: qdcRoot})
			return p.readElement() // the rest of the file is not part of the codebook
		}
	}
}

func (p *qdcReader) checkDirective(line int, t xml.Directive) error {
	if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) && bytes.Contains(t, []byte("<!ENTITY")) {
		return p.errf(line, "DOCTYPE with entity declarations is not allowed in a codebook")
	}
	return nil
}

// readElement reads up to the end of the element on the bottom of the stack.
func (p *qdcReader) readElement() error {
	for {
		tok, line, err := p.token()
		if err == io.EOF {
			return p.errf(line, "not well-formed XML: unexpected end of file")
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			if err := p.checkDirective(line, t); err != nil {
				return err
			}
		case xml.StartElement:
			if p.outer+len(p.stack) >= p.maxDepth {
				return p.errf(line, "elements nested more than %d deep at <%s>", p.maxDepth, t.Name.Local)
			}
			f, err := p.start(line, t)
			if err != nil {
				return err
			}
			p.stack = append(p.stack, f)
		case xml.EndElement:
			f := p.stack[len(p.stack)-1]
			p.stack = p.stack[:len(p.stack)-1]
			if f.kind == qdcCode {
				if err := p.finishCode(f.code); err != nil {
					return err
				}
			}
			if len(p.stack) == 0 {
				return nil
			}
		case xml.CharData:
			if f := p.stack; f[len(f)-1].kind == qdcDescription {
				p.info[f[len(f)-1].code].desc.Write(t)
			}
		}
	}
}

func (p *qdcReader) checkRoot(line int, n xml.Name) error {
	switch {
	case n.Local == "Project":
		return p.errf(line, "root element is <Project>: a REFI-QDA project (.qde), not a codebook (.qdc)")
	case n.Local != "CodeBook":
		return p.errf(line, "root element is <%s>, want <CodeBook> (a REFI-QDA codebook)", n.Local)
	case n.Space != "" && !strings.HasPrefix(n.Space, "urn:QDA-XML:codebook:"):
		return p.errf(line, "root element <CodeBook> is in namespace %q, want %q", n.Space, QDCNamespace)
	}
	return nil
}

// start handles an element below the root and returns its frame.
func (p *qdcReader) start(line int, t xml.StartElement) (qdcFrame, error) {
	parent := p.stack[len(p.stack)-1]
	switch {
	case parent.kind == qdcRoot && t.Name.Local == "Codes":
		return qdcFrame{kind: qdcCodes}, nil
	case (parent.kind == qdcCodes || parent.kind == qdcCode) && t.Name.Local == "Code":
		parentID := ""
		if parent.kind == qdcCode {
			parentID = p.cb.Codes[parent.code].ID
		}
		c, err := p.code(line, parentID, t.Attr)
		if err != nil {
			return qdcFrame{}, err
		}
		p.cb.Codes = append(p.cb.Codes, c)
		p.info = append(p.info, &qdcCodeInfo{line: line})
		return qdcFrame{kind: qdcCode, code: len(p.cb.Codes) - 1}, nil
	case parent.kind == qdcCode && t.Name.Local == "Description":
		info := p.info[parent.code]
		if info.hasDesc {
			return qdcFrame{kind: qdcSkip}, nil // the schema allows one; keep the first
		}
		info.hasDesc = true
		return qdcFrame{kind: qdcDescription, code: parent.code}, nil
	}
	if parent.kind == qdcCode && p.onChild != nil {
		if err := p.onChild(p.cb.Codes[parent.code].ID, line, t); err != nil {
			return qdcFrame{}, err
		}
	}
	return qdcFrame{kind: qdcSkip}, nil // Sets, NoteRef, vendor extensions
}

func (p *qdcReader) code(line int, parentID string, attrs []xml.Attr) (Code, error) {
	c := Code{ParentID: parentID}
	var guid, codable, colour string
	var hasGUID, hasName bool
	for _, a := range attrs {
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "guid":
			guid, hasGUID = a.Value, true
		case "name":
			c.Name, hasName = strings.TrimSpace(a.Value), true
		case "isCodable":
			codable = a.Value
		case "color":
			colour = a.Value
		}
	}
	if !hasName || c.Name == "" {
		if hasGUID {
			return c, p.errf(line, "code with guid %s has no name", strings.TrimSpace(guid))
		}
		return c, p.errf(line, "a <Code> has no name")
	}
	if !hasGUID {
		return c, p.errf(line, "code %q has no guid", c.Name)
	}
	id, ok := ParseGUID(guid)
	if !ok {
		return c, p.errf(line, "code %q: guid %q is not a GUID (8-4-4-4-12 hex digits)", c.Name, guid)
	}
	if first, dup := p.ids[id]; dup {
		return c, p.errf(line, "code %q: guid %s is used twice (first on line %d)", c.Name, guid, first)
	}
	p.ids[id] = line
	c.ID = id
	switch strings.TrimSpace(codable) {
	case "true", "1", "":
	case "false", "0":
		c.Grouping = true
	default:
		return c, p.errf(line, "code %q: isCodable=%q is not true or false", c.Name, codable)
	}
	if colour != "" {
		hex, ok := ParseHexColour(colour)
		if !ok {
			return c, p.errf(line, "code %q: color %q is not #RRGGBB", c.Name, colour)
		}
		c.Colour = hex
	}
	sib := p.names[parentID]
	if sib == nil {
		sib = map[string]int{}
		p.names[parentID] = sib
	}
	key := strings.ToLower(c.Name)
	if first, dup := sib[key]; dup {
		return c, p.errf(line, "code %q appears twice under the same parent (first on line %d)", c.Name, first)
	}
	sib[key] = line
	return c, nil
}

// finishCode splits the collected description into text and qcode fields.
func (p *qdcReader) finishCode(i int) error {
	c, info := &p.cb.Codes[i], p.info[i]
	desc, ext := splitQDCDescription(info.desc.String())
	c.Description = desc
	if ext == nil {
		return nil
	}
	pol, err := ParsePolarity(ext["polarity"])
	if err != nil {
		return p.errf(info.line, "code %q: %v", c.Name, err)
	}
	c.Polarity = pol
	if l := strings.Fields(ext["links"]); len(l) > 0 {
		if err := checkLinks(l); err != nil {
			return p.errf(info.line, "code %q: %v", c.Name, err)
		}
		c.Links = l
	}
	c.Inclusion = ext["inclusion"]
	c.Exclusion = ext["exclusion"]
	c.Example = ext["example"]
	c.Hotkey = ext["hotkey"]
	c.Memo = ext["memo"]
	if col := ext["colour"]; col != "" {
		c.Colour = col
	}
	return nil
}

// parseGUID accepts 8-4-4-4-12 hex digits in either case, optionally in
// braces, and returns them in lower case.
func ParseGUID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	if len(s) != 36 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return "", false
			}
		default:
			if !isHex(s[i]) {
				return "", false
			}
		}
	}
	return strings.ToLower(s), true
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
}

// parseHexColour accepts #RRGGBB and #RGB and returns lower-case #rrggbb.
func ParseHexColour(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 7 && len(s) != 4 || s[0] != '#' {
		return "", false
	}
	for i := 1; i < len(s); i++ {
		if !isHex(s[i]) {
			return "", false
		}
	}
	s = strings.ToLower(s)
	if len(s) == 4 {
		s = string([]byte{'#', s[1], s[1], s[2], s[2], s[3], s[3]})
	}
	return s, true
}

// qdcBlockKeys are the fields of the [qcode] block, in the order written.
var qdcBlockKeys = []string{"polarity", "links", "inclusion", "exclusion", "example", "hotkey", "colour", "memo"}

// QDCDescription is the <Description> text [WriteQDC] writes for c: the
// description, then the [qcode] block when c has fields REFI-QDA cannot
// hold (or when the description itself contains a "[qcode]" line, which the
// block must then follow so that reading finds the right one).
func QDCDescription(c *Code) string {
	vals := map[string]string{
		"polarity":  string(c.Polarity),
		"links":     strings.Join(c.Links, " "),
		"inclusion": c.Inclusion,
		"exclusion": c.Exclusion,
		"example":   c.Example,
		"hotkey":    c.Hotkey,
		"memo":      c.Memo,
	}
	if _, ok := ParseHexColour(c.Colour); !ok {
		vals["colour"] = c.Colour
	}
	fields := make([][2]string, 0, len(qdcBlockKeys))
	for _, k := range qdcBlockKeys {
		fields = append(fields, [2]string{k, vals[k]})
	}
	return QDCBlock(c.Description, fields)
}

// QDCBlock returns text followed by a [qcode] block of fields, the format
// [ReadQDC] documents: key and value pairs in the order given, keys of
// lower-case letters, pairs with an empty value left out. It returns text
// alone when no value is set, unless text contains a "[qcode]" line of its
// own, which the block must then follow. [SplitQDCBlock] reads it back.
func QDCBlock(text string, fields [][2]string) string {
	var b strings.Builder
	for _, f := range fields {
		k, v := f[0], f[1]
		if v == "" {
			continue
		}
		b.WriteString("\n" + k + ": ")
		if v != strings.TrimSpace(v) || v[0] == '"' || !utf8.ValidString(v) ||
			strings.IndexFunc(v, func(r rune) bool { return !strconv.IsPrint(r) }) >= 0 {
			v = strconv.Quote(v)
		}
		b.WriteString(v)
	}
	if b.Len() == 0 && qdcBlockStart(text) < 0 {
		return text
	}
	if text == "" {
		return qdcBlockHeader + b.String()
	}
	return text + "\n\n" + qdcBlockHeader + b.String()
}

// SplitQDCBlock splits text written by [QDCBlock] into the text before
// its [qcode] block, without surrounding white space, and the block's
// fields. Without a block that parses, it returns text unchanged and
// ok false.
func SplitQDCBlock(text string) (rest string, fields map[string]string, ok bool) {
	rest, fields = splitQDCDescription(text)
	if fields == nil {
		return text, nil, false
	}
	return rest, fields, true
}

// qdcBlockStart is the offset of the last line that is "[qcode]" (white
// space around it allowed), or -1.
func qdcBlockStart(s string) int {
	for end := len(s); end > 0; {
		i := strings.LastIndex(s[:end], qdcBlockHeader)
		if i < 0 {
			return -1
		}
		rest := s[i+len(qdcBlockHeader):]
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = rest[:nl]
		}
		lineStart := strings.LastIndexByte(s[:i], '\n') + 1
		if strings.TrimSpace(s[lineStart:i]) == "" && strings.TrimSpace(rest) == "" {
			return lineStart
		}
		end = i
	}
	return -1
}

// splitQDCDescription splits a <Description> into the description and the
// fields of its [qcode] block (nil when there is none).
func splitQDCDescription(s string) (string, map[string]string) {
	start := qdcBlockStart(s)
	if start < 0 {
		return strings.TrimSpace(s), nil
	}
	lines := strings.Split(s[start:], "\n")[1:]
	ext := map[string]string{}
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok || !isBlockKey(key) {
			return strings.TrimSpace(s), nil
		}
		val = strings.TrimSpace(val)
		if strings.HasPrefix(val, `"`) {
			uq, err := strconv.Unquote(val)
			if err != nil {
				return strings.TrimSpace(s), nil
			}
			val = uq
		}
		ext[key] = val
	}
	return strings.TrimSpace(s[:start]), ext
}

func isBlockKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 'a' || k[i] > 'z' {
			return false
		}
	}
	return true
}

// WriteQDC writes cb as a REFI-QDA 1.0 codebook that validates against
// Codebook.xsd: UTF-8, indented, codes in the codebook's order with
// children nested under their parents. See [ReadQDC] for the mapping. The
// codebook's name is not written (a .qdc has none).
func WriteQDC(w io.Writer, cb *Codebook) error {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<CodeBook xmlns="` + QDCNamespace + `" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="` + qdcSchemaLocation + `" origin="qcode">` + "\n")
	if err := WriteQDCCodes(&b, cb, 1, nil); err != nil {
		return err
	}
	b.WriteString("</CodeBook>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// WriteQDCCodes writes the <Codes> element of cb as [WriteQDC] writes it,
// indented by level steps of two spaces, so that a REFI-QDA project (.qde)
// carries its codebook exactly as a .qdc does. noteRefs, if not nil, gives
// the GUIDs of the notes a code links to (a project's <NoteRef>s, written
// after the code's description). Write errors of w are left to w (a
// bytes.Buffer has none; a bufio.Writer reports them on Flush).
func WriteQDCCodes(w io.StringWriter, cb *Codebook, level int, noteRefs func(codeID string) []string) error {
	if len(cb.Codes) == 0 {
		return fmt.Errorf("the codebook has no codes; a REFI-QDA codebook needs at least one")
	}
	if err := checkTree(cb.Codes); err != nil {
		return err
	}
	ix := NewIndex(cb.Codes)
	var b bytes.Buffer
	var write func(c *Code, depth int) error
	write = func(c *Code, depth int) error {
		if depth+level+3 > qdcMaxDepth { // the elements above Codes, Codes, the code, its Description
			return fmt.Errorf("code %q: codes nested more than %d levels deep", ix.Path(c.ID), qdcMaxDepth-level-2)
		}
		guid, ok := ParseGUID(c.ID)
		if !ok {
			return fmt.Errorf("code %q: id %q is not a GUID; REFI-QDA needs one", ix.Path(c.ID), c.ID)
		}
		if strings.TrimSpace(c.Name) == "" {
			return fmt.Errorf("code %s has no name", c.ID)
		}
		desc := QDCDescription(c)
		for what, s := range map[string]string{"name": c.Name, "description": desc} {
			if r, ok := NonXMLRune(s); ok {
				return fmt.Errorf("code %q: the %s contains %U, which XML cannot carry", ix.Path(c.ID), what, r)
			}
		}
		indent := strings.Repeat("  ", depth+level+1)
		b.WriteString(indent + `<Code guid="` + strings.ToUpper(guid) + `" name="`)
		EscapeXML(&b, c.Name, true)
		b.WriteString(`" isCodable="` + strconv.FormatBool(!c.Grouping) + `"`)
		if hex, ok := ParseHexColour(c.Colour); ok {
			b.WriteString(` color="` + strings.ToUpper(hex) + `"`)
		}
		kids := ix.Children(c.ID)
		var notes []string
		if noteRefs != nil {
			notes = noteRefs(c.ID)
		}
		if desc == "" && len(kids) == 0 && len(notes) == 0 {
			b.WriteString("/>\n")
			return nil
		}
		b.WriteString(">\n")
		if desc != "" {
			b.WriteString(indent + "  <Description>")
			EscapeXML(&b, desc, false)
			b.WriteString("</Description>\n")
		}
		for _, n := range notes {
			g, ok := ParseGUID(n)
			if !ok {
				return fmt.Errorf("code %q: note %q is not a GUID", ix.Path(c.ID), n)
			}
			b.WriteString(indent + `  <NoteRef targetGUID="` + strings.ToUpper(g) + `"/>` + "\n")
		}
		for _, k := range kids {
			if err := write(k, depth+1); err != nil {
				return err
			}
		}
		b.WriteString(indent + "</Code>\n")
		return nil
	}
	b.WriteString(strings.Repeat("  ", level) + "<Codes>\n")
	for _, c := range ix.Children("") {
		if err := write(c, 0); err != nil {
			return err
		}
	}
	b.WriteString(strings.Repeat("  ", level) + "</Codes>\n")
	_, err := w.WriteString(b.String())
	return err
}

// checkTree checks that ids are unique and every parent exists without
// cycles, so that walking from the roots reaches every code.
func checkTree(codes []Code) error {
	byID := make(map[string]*Code, len(codes))
	for i := range codes {
		c := &codes[i]
		if c.ID == "" {
			return fmt.Errorf("code %q has no id", c.Name)
		}
		if _, dup := byID[c.ID]; dup {
			return fmt.Errorf("code id %s is used twice", c.ID)
		}
		byID[c.ID] = c
	}
	for i := range codes {
		c := &codes[i]
		seen := map[string]bool{}
		for p := c; p.ParentID != ""; {
			if seen[p.ID] {
				return fmt.Errorf("code %q is its own ancestor", c.Name)
			}
			seen[p.ID] = true
			next, ok := byID[p.ParentID]
			if !ok {
				return fmt.Errorf("code %q has parent id %s, which is not in the codebook", p.Name, p.ParentID)
			}
			p = next
		}
	}
	return nil
}

// nonXMLRune reports the first character XML 1.0 cannot hold, if any.
func NonXMLRune(s string) (rune, bool) {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return r, true
			}
		}
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return r, true
		}
	}
	return 0, false
}

// EscapeXML writes s as XML character data, or as an attribute value
// when attr is set. Line breaks stay literal in text; \r is escaped so that
// XML line-end normalisation does not turn it into \n. It does not check
// that s holds only characters XML allows (see [NonXMLRune]). Write errors
// are left to w, as for [WriteQDCCodes].
func EscapeXML(w io.StringWriter, s string, attr bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch c := s[i]; {
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '\r':
			esc = "&#xD;"
		case attr && c == '"':
			esc = "&quot;"
		case attr && c == '\n':
			esc = "&#xA;"
		case attr && c == '\t':
			esc = "&#x9;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
}
