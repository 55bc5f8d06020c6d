package codebook

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/google/uuid"
)

// CSVColumns is the header WriteCSV writes, in order.
var CSVColumns = []string{"id", "path", "name", "parent", "polarity", "links", "description", "inclusion", "exclusion", "example", "colour", "hotkey", "memo", "grouping"}

const csvMaxBytes = 16 << 20

var utf8BOM = []byte("\xEF\xBB\xBF")

// WriteCSV writes cb as a spreadsheet-friendly CSV: one row per code under
// the header in CSVColumns, parents before children in the codebook's
// order. path is the code's full path ("Theme/Sub-theme"), parent its
// parent's path, links are space separated, grouping is "true" or empty.
//
// The file is what Excel opens without a wizard: RFC 4180 with CRLF line
// ends (also for line breaks inside a cell, which ReadCSV reads as \n) and
// a UTF-8 byte order mark. A cell that starts with = + - or @ (and so would
// run as a formula) is written with a leading apostrophe, which ReadCSV
// removes again. Names may not contain "/" or control characters.
func WriteCSV(w io.Writer, cb *Codebook) error {
	if err := checkTree(cb.Codes); err != nil {
		return err
	}
	ix := NewIndex(cb.Codes)
	for _, c := range cb.Codes {
		if strings.IndexFunc(c.Name, unicode.IsControl) >= 0 {
			return fmt.Errorf("code %q: the name contains a line break or another control character", c.Name)
		}
		if strings.Contains(c.Name, "/") {
			return fmt.Errorf("code %q: a name in a CSV codebook may not contain \"/\" (it separates the levels of a path)", c.Name)
		}
		if strings.TrimSpace(c.Name) == "" {
			return fmt.Errorf("code %s has no name", c.ID)
		}
	}
	if _, err := w.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	var walk func(parent string) error
	walk = func(parent string) error {
		for _, c := range ix.Children(parent) {
			grouping := ""
			if c.Grouping {
				grouping = "true"
			}
			row := []string{c.ID, ix.Path(c.ID), c.Name, ix.Path(c.ParentID), string(c.Polarity), strings.Join(c.Links, " "),
				c.Description, c.Inclusion, c.Exclusion, c.Example, c.Colour, c.Hotkey, c.Memo, grouping}
			for i := range row {
				row[i] = csvEscapeFormula(normaliseLineBreaks(row[i]))
			}
			if err := cw.Write(row); err != nil {
				return err
			}
			if err := walk(c.ID); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(""); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// A cell is a formula to a spreadsheet when it starts with one of these.
const csvFormulaStart = "=+-@"

// csvEscapeFormula puts an apostrophe before a cell that starts with a
// formula character, or with apostrophes and then one, so that
// csvUnescapeFormula can take exactly one off again.
func csvEscapeFormula(s string) string {
	t := strings.TrimLeft(s, "'")
	if t != "" && strings.IndexByte(csvFormulaStart, t[0]) >= 0 {
		return "'" + s
	}
	return s
}

func csvUnescapeFormula(s string) string {
	t := strings.TrimLeft(s, "'")
	if len(t) < len(s) && t != "" && strings.IndexByte(csvFormulaStart, t[0]) >= 0 {
		return s[1:]
	}
	return s
}

// ReadCSV reads a codebook written by WriteCSV or by hand in a spreadsheet.
// name is used in errors and, without directory and extension, as the
// codebook's Name.
//
// Columns may come in any order and all but path (or name) may be left
// out; "color" is read as colour. The separator may be ',' or ';' (Excel in
// many European locales) or a tab, and a UTF-8 byte order mark is skipped.
// Empty rows are skipped.
//
// The hierarchy comes from path alone ("Theme/Sub-theme", levels trimmed of
// spaces); without a path column it is parent + "/" + name. Every level of
// a path needs its own row: a row whose parent has no row is an error
// rather than a silently created heading, since that is almost always a
// typo. Rows may come in any order; the codebook lists parents before their
// children, otherwise in row order. A name and a parent given beside a path
// must agree with it. An empty id gets a new UUID; grouping takes true,
// yes, 1 or x (and false, no, 0 or empty). An apostrophe WriteCSV put before
// a formula character (= + - @) is removed. Errors name the file and line.
func ReadCSV(name string, r io.Reader) (*Codebook, error) {
	data, err := io.ReadAll(io.LimitReader(r, csvMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(data) > csvMaxBytes {
		return nil, fmt.Errorf("%s: larger than %d MB; not a codebook qcode will read", name, csvMaxBytes>>20)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = csvSeparator(data)
	cr.FieldsPerRecord = -1
	errf := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	readErr := func(err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return errf(pe.Line, "%v", pe.Err)
		}
		return fmt.Errorf("%s: %v", name, err)
	}

	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file; want a header row such as %s", name, strings.Join(CSVColumns, ","))
	}
	if err != nil {
		return nil, readErr(err)
	}
	col := map[string]int{}
	known := map[string]bool{}
	for _, c := range CSVColumns {
		known[c] = true
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "color" {
			h = "colour"
		}
		switch {
		case h == "":
			continue // a trailing separator; cells under it must be empty
		case !known[h]:
			return nil, errf(1, "unknown column %q (known: %s)", header[i], strings.Join(CSVColumns, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, errf(1, "column %q appears twice", h)
		}
		col[h] = i
	}
	_, hasPath := col["path"]
	_, hasName := col["name"]
	if !hasPath && !hasName {
		return nil, errf(1, "no path or name column (the header is %q)", strings.Join(header, string(cr.Comma)))
	}

	type row struct {
		line int
		segs []string // the path, level by level
		code Code
	}
	var rows []*row
	byPath := map[string]*row{}
	ids := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readErr(err)
		}
		line, _ := cr.FieldPos(0)
		blank := true
		for i, v := range rec {
			if strings.TrimSpace(v) == "" {
				continue
			}
			blank = false
			if i >= len(header) {
				return nil, errf(line, "more cells than the header has columns")
			}
			if strings.TrimSpace(header[i]) == "" {
				return nil, errf(line, "a cell under a column without a name in the header")
			}
		}
		if blank {
			continue
		}
		cell := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return csvUnescapeFormula(normaliseLineBreaks(rec[i]))
			}
			return ""
		}
		trimmed := func(k string) string { return strings.TrimSpace(cell(k)) }

		rw := &row{line: line}
		c := &rw.code
		path, cname, parent := trimmed("path"), trimmed("name"), trimmed("parent")
		for _, v := range []string{path, cname, parent} {
			if strings.IndexFunc(v, unicode.IsControl) >= 0 {
				return nil, errf(line, "%q: a code name may not contain a line break or another control character", v)
			}
		}
		if strings.Contains(cname, "/") {
			return nil, errf(line, "name %q contains \"/\", which separates the levels of a path", cname)
		}
		switch {
		case path != "":
			segs, err := splitCSVPath(path)
			if err != nil {
				return nil, errf(line, "%v", err)
			}
			rw.segs = segs
			if cname != "" && cname != segs[len(segs)-1] {
				return nil, errf(line, "name %q does not match the last level of path %q", cname, path)
			}
			if parent != "" {
				psegs, err := splitCSVPath(parent)
				if err != nil {
					return nil, errf(line, "parent: %v", err)
				}
				if !strings.EqualFold(strings.Join(psegs, "/"), strings.Join(segs[:len(segs)-1], "/")) {
					return nil, errf(line, "parent %q does not match path %q", parent, path)
				}
			}
		case cname != "":
			if parent != "" {
				psegs, err := splitCSVPath(parent)
				if err != nil {
					return nil, errf(line, "parent: %v", err)
				}
				rw.segs = append(psegs, cname)
			} else {
				rw.segs = []string{cname}
			}
		default:
			return nil, errf(line, "the row has no path or name")
		}
		c.Name = rw.segs[len(rw.segs)-1]
		key := strings.ToLower(strings.Join(rw.segs, "/"))
		if first, dup := byPath[key]; dup {
			return nil, errf(line, "code %q appears twice (first on line %d)", strings.Join(rw.segs, "/"), first.line)
		}
		byPath[key] = rw

		if id := trimmed("id"); id == "" {
			c.ID = uuid.NewString()
		} else if _, err := uuid.Parse(id); err != nil {
			return nil, errf(line, "id %q is not a UUID", id)
		} else {
			c.ID = id
		}
		if first, dup := ids[c.ID]; dup {
			return nil, errf(line, "id %s is used twice (first on line %d)", c.ID, first)
		}
		ids[c.ID] = line
		if c.Polarity, err = ParsePolarity(cell("polarity")); err != nil {
			return nil, errf(line, "%v", err)
		}
		if links := strings.FieldsFunc(cell("links"), func(r rune) bool { return unicode.IsSpace(r) || r == ',' }); len(links) > 0 {
			if err := checkLinks(links); err != nil {
				return nil, errf(line, "%v", err)
			}
			c.Links = links
		}
		switch g := strings.ToLower(trimmed("grouping")); g {
		case "", "false", "no", "0":
		case "true", "yes", "1", "x":
			c.Grouping = true
		default:
			return nil, errf(line, "grouping %q is not true or false", trimmed("grouping"))
		}
		c.Description = cell("description")
		c.Inclusion = cell("inclusion")
		c.Exclusion = cell("exclusion")
		c.Example = cell("example")
		c.Colour = trimmed("colour")
		c.Hotkey = trimmed("hotkey")
		c.Memo = cell("memo")
		rows = append(rows, rw)
	}

	// Link parents, then list the codes parents first, otherwise in row order.
	children := map[string][]*row{}
	for _, rw := range rows {
		if len(rw.segs) == 1 {
			children[""] = append(children[""], rw)
			continue
		}
		parentPath := strings.Join(rw.segs[:len(rw.segs)-1], "/")
		p, ok := byPath[strings.ToLower(parentPath)]
		if !ok {
			return nil, errf(rw.line, "parent %q of %q has no row of its own (every level of a path needs one)", parentPath, rw.code.Name)
		}
		rw.code.ParentID = p.code.ID
		children[p.code.ID] = append(children[p.code.ID], rw)
	}
	cb := &Codebook{Name: codebookNameFromFile(name), Codes: make([]Code, 0, len(rows))}
	var walk func(id string)
	walk = func(id string) {
		for _, rw := range children[id] {
			cb.Codes = append(cb.Codes, rw.code)
			walk(rw.code.ID)
		}
	}
	walk("")
	return cb, nil
}

// normaliseLineBreaks turns \r\n and \r into \n; the CSV writer writes
// each \n as \r\n.
func normaliseLineBreaks(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// splitCSVPath splits "Theme / Sub-theme" into its trimmed levels.
func splitCSVPath(p string) ([]string, error) {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.TrimSpace(s)
		if segs[i] == "" {
			return nil, fmt.Errorf("path %q has an empty level", p)
		}
	}
	return segs, nil
}

// csvSeparator guesses the separator from the header line: the most
// frequent of ',', ';' and tab outside quotes, ',' when there is none.
func csvSeparator(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, b := range data {
		if b == '"' {
			quoted = !quoted
		}
		if !quoted && (b == '\n' || b == '\r') {
			break
		}
		if !quoted && (b == ',' || b == ';' || b == '\t') {
			counts[rune(b)]++
		}
	}
	sep := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[sep] {
			sep = r
		}
	}
	return sep
}
