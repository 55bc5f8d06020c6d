package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// xlsxEpoch stands in for every timestamp an XLSX file would otherwise carry
// (document created/modified, ZIP entry times), so that writing the same
// Report twice gives byte-identical files. 1980-01-01 is the earliest time a
// ZIP entry can hold.
var xlsxEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	xlsxAboutSheet   = "About"
	xlsxMaxColWidth  = 60 // characters; longer text wraps
	xlsxMinColWidth  = 6
	xlsxAboutWidth   = 100
	xlsxNumericWidth = 12 // Excel's General format shows at most ~11 characters
)

// WriteXLSX writes r as an Excel workbook: one sheet per section with a
// table (named from Section.SheetName or Heading), each with a bold, frozen,
// filterable header row, numbers as numeric cells and text as text cells
// with the Text ("@") number format. Excel never evaluates a text cell, and
// the "@" format keeps it text when edited, so text is kept exactly: no
// apostrophe prefix as in CSV. A first "About" sheet carries the title, subtitle,
// headings (linked to their sheets) and paragraphs, unless the report is
// just tables. Charts and quotes are not written; the title and subtitle
// are also the document's Title and Subject properties.
//
// The output is deterministic: the same Report gives the same bytes (for a
// given Go and excelize version).
func WriteXLSX(w io.Writer, r *Report) error {
	if r == nil {
		r = &Report{}
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return newXLSXStableZip(w) })

	x := &xlsxWriter{f: f}
	if err := x.styles(); err != nil {
		return err
	}

	// Plan the sheets first: names must be unique, and About links to them.
	names := newXLSXSheetNamer()
	type dataSheet struct {
		name string
		sec  *Section
	}
	var sheets []dataSheet
	sheetOf := map[int]string{} // section index -> sheet name
	about := r.Title != "" || r.Subtitle != ""
	for i := range r.Sections {
		s := &r.Sections[i]
		if len(s.Paragraphs) > 0 {
			about = true
		}
	}
	if about {
		names.take(xlsxAboutSheet)
	}
	for i := range r.Sections {
		s := &r.Sections[i]
		if s.Table == nil || len(s.Table.Columns) == 0 {
			continue
		}
		base := s.SheetName
		if strings.TrimSpace(base) == "" {
			base = s.Heading
		}
		name := names.take(base)
		sheets = append(sheets, dataSheet{name, s})
		sheetOf[i] = name
	}
	if len(sheets) == 0 && !about {
		// A workbook needs at least one sheet.
		about = true
		names.take(xlsxAboutSheet)
	}

	var order []string
	if about {
		order = append(order, xlsxAboutSheet)
	}
	for _, s := range sheets {
		order = append(order, s.name)
	}
	// NewFile made "Sheet1"; rename it to the first sheet, add the rest.
	if err := f.SetSheetName("Sheet1", order[0]); err != nil {
		return err
	}
	for _, name := range order[1:] {
		if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("sheet %q: %w", name, err)
		}
	}
	f.SetActiveSheet(0)

	if about {
		if err := x.about(r, sheetOf); err != nil {
			return err
		}
	}
	for _, s := range sheets {
		if err := x.table(s.name, s.sec.Table); err != nil {
			return fmt.Errorf("sheet %q: %w", s.name, err)
		}
	}

	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          xlsxPropText(r.Title),
		Subject:        xlsxPropText(r.Subtitle),
		Creator:        "qcode",
		LastModifiedBy: "qcode",
		Created:        xlsxEpoch.Format(time.RFC3339),
		Modified:       xlsxEpoch.Format(time.RFC3339),
	}); err != nil {
		return err
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: "qcode"}); err != nil {
		return err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

type xlsxWriter struct {
	f *excelize.File

	header, text, textWrap, number int
	title, subtitle, heading, para int
	link                           int
}

func (x *xlsxWriter) styles() error {
	top := func(wrap bool) *excelize.Alignment {
		return &excelize.Alignment{Vertical: "top", WrapText: wrap}
	}
	defs := []struct {
		id *int
		s  excelize.Style
	}{
		{&x.header, excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE5F0"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "404040", Style: 2}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			NumFmt:    49,
		}},
		// Text cells get the Text number format ("@"), so that editing one
		// in Excel keeps it text rather than turning "=..." into a formula.
		{&x.text, excelize.Style{Alignment: top(false), NumFmt: 49}},
		{&x.textWrap, excelize.Style{Alignment: top(true), NumFmt: 49}},
		{&x.number, excelize.Style{Alignment: top(false)}},
		{&x.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: top(true), NumFmt: 49}},
		{&x.subtitle, excelize.Style{Font: &excelize.Font{Italic: true, Color: "404040"}, Alignment: top(true), NumFmt: 49}},
		{&x.heading, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: top(true), NumFmt: 49}},
		{&x.para, excelize.Style{Alignment: top(true), NumFmt: 49}},
		{&x.link, excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}, Alignment: top(false), NumFmt: 49}},
	}
	for _, d := range defs {
		id, err := x.f.NewStyle(&d.s)
		if err != nil {
			return err
		}
		*d.id = id
	}
	return nil
}

// about fills the About sheet: title, subtitle, then each section's heading
// (indented by level, with a link to its sheet) and paragraphs.
func (x *xlsxWriter) about(r *Report, sheetOf map[int]string) error {
	const sh = xlsxAboutSheet
	f := x.f
	row := 1
	put := func(col int, s string, style int) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(sh, cell, xlsxCell(s)); err != nil {
			return err
		}
		return f.SetCellStyle(sh, cell, cell, style)
	}
	if r.Title != "" {
		if err := put(1, r.Title, x.title); err != nil {
			return err
		}
		row++
	}
	if r.Subtitle != "" {
		if err := put(1, r.Subtitle, x.subtitle); err != nil {
			return err
		}
		row++
	}
	if row > 1 {
		row++ // blank line under the title block
	}
	for i := range r.Sections {
		s := &r.Sections[i]
		name, hasSheet := sheetOf[i]
		if s.Heading == "" && len(s.Paragraphs) == 0 && !hasSheet {
			continue
		}
		if s.Heading != "" || hasSheet {
			if s.Heading != "" {
				if err := put(1, s.Heading, x.headingStyle(s.Level)); err != nil {
					return err
				}
			}
			if hasSheet {
				if err := put(2, "→ "+name, x.link); err != nil {
					return err
				}
				cell, _ := excelize.CoordinatesToCellName(2, row)
				ref := "'" + strings.ReplaceAll(name, "'", "''") + "'!A1"
				if err := f.SetCellHyperLink(sh, cell, ref, "Location"); err != nil {
					return err
				}
			}
			row++
		}
		for _, p := range s.Paragraphs {
			if err := put(1, p, x.para); err != nil {
				return err
			}
			row++
		}
		row++
	}
	if err := f.SetColWidth(sh, "A", "A", xlsxAboutWidth); err != nil {
		return err
	}
	return f.SetColWidth(sh, "B", "B", 34)
}

// headingStyle indents sub-section headings in the About sheet.
func (x *xlsxWriter) headingStyle(level int) int {
	if level <= 1 {
		return x.heading
	}
	id, err := x.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true, Indent: min(level-1, 5) * 2},
		NumFmt:    49,
	})
	if err != nil { // cannot happen for these options; fall back to no indent
		return x.heading
	}
	return id // NewStyle returns the existing id for an identical style
}

// table writes t to sheet: header row, cells, widths, frozen header and
// autofilter.
func (x *xlsxWriter) table(sheet string, t *Table) error {
	f := x.f
	ncol := len(t.Columns)
	width := make([]float64, ncol)
	wrap := make([]bool, ncol)
	for i, c := range t.Columns {
		width[i] = xlsxTextWidth(c) + 3 // room for the filter button
	}
	for _, r := range t.Rows {
		for i := 0; i < ncol && i < len(r); i++ {
			if _, ok := xlsxNumeric(r[i]); ok {
				width[i] = max(width[i], min(float64(len(cellString(r[i]))), xlsxNumericWidth))
				continue
			}
			s := cellString(r[i])
			wd := xlsxTextWidth(s)
			if wd > xlsxMaxColWidth || strings.ContainsAny(s, "\r\n") {
				wrap[i] = true
			}
			width[i] = max(width[i], wd)
		}
	}

	for i, c := range t.Columns {
		cell, err := excelize.CoordinatesToCellName(i+1, 1)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, cell, xlsxCell(c)); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(ncol, 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last, x.header); err != nil {
		return err
	}

	for ri, r := range t.Rows {
		for i := 0; i < ncol && i < len(r); i++ {
			if r[i] == nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(i+1, ri+2)
			if err != nil {
				return err
			}
			style := x.text
			if wrap[i] {
				style = x.textWrap
			}
			switch v, _ := xlsxNumeric(r[i]); n := v.(type) {
			case int64:
				err = f.SetCellInt(sheet, cell, n)
				style = x.number
			case float64:
				err = f.SetCellFloat(sheet, cell, n, -1, 64)
				style = x.number
			case bool:
				err = f.SetCellBool(sheet, cell, n)
				style = x.number
			default:
				err = f.SetCellStr(sheet, cell, xlsxCell(cellString(r[i])))
			}
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
				return err
			}
		}
	}

	for i := range width {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		wd := math.Ceil(min(max(width[i]+2, xlsxMinColWidth), xlsxMaxColWidth))
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return err
		}
	}

	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	bottom, err := excelize.CoordinatesToCellName(ncol, len(t.Rows)+1)
	if err != nil {
		return err
	}
	return f.AutoFilter(sheet, "A1:"+bottom, nil)
}

// xlsxNumeric returns c as an int64, float64 or bool if it is one of Go's
// number types or a bool (ok = true). NaN and ±Inf have no spreadsheet
// representation and are written as text.
func xlsxNumeric(c any) (v any, ok bool) {
	switch n := c.(type) {
	case int:
		return int64(n), true
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint:
		return xlsxUint(uint64(n))
	case uint8:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint64:
		return xlsxUint(n)
	case float32:
		return xlsxFloat(float64(n))
	case float64:
		return xlsxFloat(n)
	case bool:
		return n, true
	}
	return nil, false
}

func xlsxUint(n uint64) (any, bool) {
	if n <= math.MaxInt64 {
		return int64(n), true
	}
	return float64(n), true
}

func xlsxFloat(f float64) (any, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, false
	}
	return f, true
}

// xlsxText makes s safe for a cell: characters XML 1.0 cannot carry (C0
// controls other than tab and line breaks) become U+FFFD, and CRLF becomes LF
// (Excel's line break). Excel's 32,767-character cell limit is enforced by
// excelize, which truncates.
func xlsxText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

// xlsxCell is xlsxText for cell text, which is an OOXML ST_Xstring:
// Excel reads "_xHHHH_" in it as an escaped character (so "_x0041_" would
// show as "A"), so every underscore that starts such a sequence is itself
// escaped as "_x005F_". excelize reads the text back unchanged.
func xlsxCell(s string) string {
	s = xlsxText(s)
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && xlsxIsEscape(s[i:]) {
			b.WriteString("_x005F_")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// xlsxIsEscape reports whether s starts with _xHHHH_.
func xlsxIsEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range s[2:6] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// xlsxPropText is xlsxText for document properties, which are single-line.
func xlsxPropText(s string) string {
	return strings.Join(strings.Fields(xlsxText(s)), " ")
}

// xlsxTextWidth estimates the width of s in Excel's column-width units
// (roughly characters of the default font): the longest line, counting
// East Asian wide characters double.
func xlsxTextWidth(s string) float64 {
	var widest float64
	for line := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		var w float64
		for _, r := range line {
			w += xlsxRuneWidth(r)
		}
		widest = max(widest, w)
	}
	return widest
}

// xlsxRuneWidth is 2 for East Asian wide and fullwidth characters, 0 for
// combining marks and 1 otherwise: an approximation, good enough for column
// widths and chart label sizes.
func xlsxRuneWidth(r rune) float64 {
	switch {
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200B:
		return 0
	case r >= 0x1100 && r <= 0x115F, // Hangul Jamo
		r >= 0x2E80 && r <= 0xA4CF && r != 0x303F, // CJK ... Yi
		r >= 0xAC00 && r <= 0xD7A3,                // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF,                // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F,                // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60,                // fullwidth forms
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x1F300 && r <= 0x1FAFF, // emoji
		r >= 0x20000 && r <= 0x3FFFD: // CJK extensions
		return 2
	}
	return 1
}

// xlsxSheetNamer hands out sheet names that follow Excel's rules: 1 to 31
// UTF-16 units, none of : \ / ? * [ ], no leading or trailing apostrophe,
// not "History" (reserved by Excel), unique ignoring case. Clashes get
// " (2)", " (3)", ... with the base shortened to fit.
type xlsxSheetNamer struct{ used map[string]bool }

func newXLSXSheetNamer() *xlsxSheetNamer {
	return &xlsxSheetNamer{used: map[string]bool{"history": true}}
}

func (n *xlsxSheetNamer) take(want string) string {
	base := strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`:\/?*[]`, r):
			return '_'
		case unicode.IsControl(r) || r == 0xFFFE || r == 0xFFFF:
			return ' '
		}
		return r
	}, want)
	base = strings.Join(strings.Fields(base), " ")
	base = strings.Trim(base, "' ")
	if base == "" {
		base = "Sheet"
	}
	for i := 1; ; i++ {
		suffix := ""
		if i > 1 {
			suffix = " (" + strconv.Itoa(i) + ")"
		}
		name := xlsxTruncateUTF16(base, excelize.MaxSheetNameLength-len(suffix))
		name = strings.TrimRight(name, "' ") + suffix
		if key := strings.ToLower(name); !n.used[key] {
			n.used[key] = true
			return name
		}
	}
}

// xlsxTruncateUTF16 shortens s to at most n UTF-16 code units without splitting
// a character.
func xlsxTruncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > n {
			return s[:i]
		}
	}
	return s
}

// xlsxStableZip is an excelize.ZipWriter that makes the archive reproducible:
// it buffers the parts and writes them sorted by name ([Content_Types].xml
// first), each with the same fixed modification time, whatever order
// excelize produced them in.
type xlsxStableZip struct {
	w     io.Writer
	parts map[string]*bytes.Buffer
}

func newXLSXStableZip(w io.Writer) *xlsxStableZip {
	return &xlsxStableZip{w: w, parts: map[string]*bytes.Buffer{}}
}

func (z *xlsxStableZip) Create(name string) (io.Writer, error) {
	if _, dup := z.parts[name]; dup {
		return nil, fmt.Errorf("xlsx: duplicate part %s", name)
	}
	b := new(bytes.Buffer)
	z.parts[name] = b
	return b, nil
}

func (z *xlsxStableZip) AddFS(fs.FS) error {
	return errors.New("xlsx: AddFS not supported")
}

func (z *xlsxStableZip) Close() error {
	names := make([]string, 0, len(z.parts))
	for name := range z.parts {
		names = append(names, name)
	}
	sort.Strings(names) // "[Content_Types].xml" < "_rels/" < "docProps/" < "xl/"
	zw := zip.NewWriter(z.w)
	for _, name := range names {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: xlsxEpoch})
		if err != nil {
			return err
		}
		if _, err := fw.Write(z.parts[name].Bytes()); err != nil {
			return err
		}
	}
	return zw.Close()
}
