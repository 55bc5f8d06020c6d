// Package export writes qcode's tabular output in the formats researchers'
// other tools read: aligned text for the terminal, CSV (RFC 4180, safe to
// open in Excel), TSV, Markdown and JSON.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Table is rows of cells under named columns. Cells are strings or numbers;
// numbers are never escaped or quoted as text.
type Table struct {
	Columns []string
	Rows    [][]any
}

// Add appends a row.
func (t *Table) Add(cells ...any) { t.Rows = append(t.Rows, cells) }

// TabularFormats are the --format values Write accepts.
var TabularFormats = []string{"table", "csv", "tsv", "md", "json"}

// Write writes t in format. For "json" it writes an array of objects keyed
// by column name; callers with richer records encode them with JSON instead.
func Write(w io.Writer, format string, t *Table) error {
	switch format {
	case "", "table":
		return writeText(w, t)
	case "csv":
		return writeCSV(w, t)
	case "tsv":
		return writeTSV(w, t)
	case "md", "markdown":
		return writeMarkdown(w, t)
	case "json":
		rows := make([]map[string]any, len(t.Rows))
		for i, r := range t.Rows {
			rows[i] = map[string]any{}
			for j, c := range t.Columns {
				if j < len(r) {
					rows[i][c] = r[j]
				}
			}
		}
		return JSON(w, rows)
	}
	return fmt.Errorf("unknown format %q (use one of %s)", format, strings.Join(TabularFormats, ", "))
}

// JSON writes v indented, with a trailing newline, without escaping <>&
// (quotes from transcripts are data, not HTML).
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func cellString(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(c)
}

// safeCell guards text cells against spreadsheet formula injection: a cell
// that starts with = + - @ (or tab / carriage return, which some spreadsheets
// skip before evaluating) is prefixed with an apostrophe, OWASP's advice.
// Numbers pass through untouched.
func safeCell(c any) string {
	s := cellString(c)
	if _, isText := c.(string); isText && s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeCSV(w io.Writer, t *Table) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, r := range t.Rows {
		for i := range rec {
			rec[i] = ""
			if i < len(r) {
				rec[i] = safeCell(r[i])
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// TSV has no quoting convention, so tabs and line breaks inside cells
// become spaces.
func writeTSV(w io.Writer, t *Table) error {
	flat := strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ")
	line := func(cells []string) error {
		for i := range cells {
			cells[i] = flat.Replace(cells[i])
		}
		_, err := io.WriteString(w, strings.Join(cells, "\t")+"\n")
		return err
	}
	if err := line(append([]string(nil), t.Columns...)); err != nil {
		return err
	}
	for _, r := range t.Rows {
		cells := make([]string, len(t.Columns))
		for i := range cells {
			if i < len(r) {
				cells[i] = safeCell(r[i])
			}
		}
		if err := line(cells); err != nil {
			return err
		}
	}
	return nil
}

func writeMarkdown(w io.Writer, t *Table) error {
	esc := strings.NewReplacer("|", `\|`, "\r\n", "<br>", "\n", "<br>")
	var b strings.Builder
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + esc.Replace(c) + " |")
		}
		b.WriteString("\n")
	}
	row(t.Columns)
	b.WriteString("|")
	for i := range t.Columns {
		if t.numeric(i) {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		cells := make([]string, len(t.Columns))
		for i := range cells {
			if i < len(r) {
				cells[i] = cellString(r[i])
			}
		}
		row(cells)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// maxTextCell keeps tables readable when the width is not known (output
// piped to a file); the other formats carry the full text.
const maxTextCell = 72

func writeText(w io.Writer, t *Table) error { return WriteText(w, t, 0) }

// WriteText writes t as aligned text. With width > 0 (a terminal's width)
// the table is fitted to it: the widest text columns are narrowed and their
// cells wrapped at word boundaries, numbers never. With width 0 long cells
// are cut at maxTextCell characters.
func WriteText(w io.Writer, t *Table, width int) error {
	flat := strings.NewReplacer("\r\n", " ", "\n", " ", "\t", " ")
	cells := make([][]string, len(t.Rows))
	col := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		col[i] = utf8.RuneCountInString(c)
	}
	for r, row := range t.Rows {
		cells[r] = make([]string, len(t.Columns))
		for i := range t.Columns {
			if i >= len(row) {
				continue
			}
			s := flat.Replace(cellString(row[i]))
			if width == 0 && utf8.RuneCountInString(s) > maxTextCell {
				s = string([]rune(s)[:maxTextCell-1]) + "…"
			}
			cells[r][i] = s
			col[i] = max(col[i], utf8.RuneCountInString(s))
		}
	}
	if width > 0 {
		fitColumns(t, col, width)
	}
	var b strings.Builder
	line := func(row []string) {
		wrapped := make([][]string, len(row))
		height := 1
		for i, s := range row {
			wrapped[i] = wrapCell(s, col[i])
			height = max(height, len(wrapped[i]))
		}
		for l := 0; l < height; l++ {
			var out strings.Builder
			for i := range row {
				s := ""
				if l < len(wrapped[i]) {
					s = wrapped[i][l]
				}
				pad := strings.Repeat(" ", max(0, col[i]-utf8.RuneCountInString(s)))
				if t.numeric(i) {
					out.WriteString(pad + s)
				} else {
					out.WriteString(s + pad)
				}
				if i < len(row)-1 {
					out.WriteString("  ")
				}
			}
			b.WriteString(strings.TrimRight(out.String(), " ") + "\n")
		}
	}
	line(t.Columns)
	for _, row := range cells {
		line(row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fitColumns narrows the widest columns, one character at a time, until
// the table fits width or every column is at its minimum: for numbers the
// widest number and the longest header word (headers wrap), for text the
// longest word in the column up to 16 characters, at least 8, so words are
// split only when they must be.
func fitColumns(t *Table, col []int, width int) {
	total := func() int {
		n := 2 * (len(col) - 1)
		for _, c := range col {
			n += c
		}
		return n
	}
	minWidth := make([]int, len(col))
	for i, h := range t.Columns {
		for _, word := range strings.Fields(h) {
			minWidth[i] = max(minWidth[i], utf8.RuneCountInString(word))
		}
		longest := 0
		for _, row := range t.Rows {
			if i < len(row) {
				cell := cellString(row[i])
				indent := len(cell) - len(strings.TrimLeft(cell, " "))
				for _, word := range strings.Fields(cell) {
					longest = max(longest, indent+utf8.RuneCountInString(word))
				}
			}
		}
		if t.numeric(i) {
			minWidth[i] = max(minWidth[i], longest)
		} else {
			minWidth[i] = max(minWidth[i], min(max(longest, 8), 16))
		}
	}
	for over := total() - width; over > 0; over-- {
		widest := -1
		for i := range col {
			if col[i] > minWidth[i] && (widest < 0 || col[i] > col[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			return
		}
		col[widest]--
	}
}

// wrapCell breaks s into lines of at most width runes, at spaces where it
// can and inside a word where it must.
func wrapCell(s string, width int) []string {
	if utf8.RuneCountInString(s) <= width || width <= 0 {
		return []string{s}
	}
	// Leading spaces show a hierarchy: keep them on every line.
	if body := strings.TrimLeft(s, " "); len(body) < len(s) && len(s)-len(body) < width/2 {
		indent := s[:len(s)-len(body)]
		lines := wrapCell(body, width-len(indent))
		for i := range lines {
			lines[i] = indent + lines[i]
		}
		return lines
	}
	var lines []string
	var cur []rune
	for _, word := range strings.Fields(s) {
		wr := []rune(word)
		for len(wr) > width { // a word longer than the column
			if len(cur) > 0 {
				lines, cur = append(lines, string(cur)), nil
			}
			lines, wr = append(lines, string(wr[:width])), wr[width:]
		}
		switch {
		case len(cur) == 0:
			cur = wr
		case len(cur)+1+len(wr) <= width:
			cur = append(append(cur, ' '), wr...)
		default:
			lines, cur = append(lines, string(cur)), wr
		}
	}
	if len(cur) > 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// numeric reports whether column i holds only numbers, to right-align it.
func (t *Table) numeric(i int) bool {
	if len(t.Rows) == 0 {
		return false
	}
	for _, r := range t.Rows {
		if i >= len(r) {
			return false
		}
		switch r[i].(type) {
		case int, int64, float64:
		default:
			return false
		}
	}
	return true
}
