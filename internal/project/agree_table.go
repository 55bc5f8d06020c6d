package project

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/qcode-qda/qcode/internal/agreement"
)

// ReliabilityTable is reliability data read from a CSV file: a header row
// of coder names (after an optional first column named "unit") and one row
// per unit; an empty cell is a missing value.
type ReliabilityTable struct {
	Path   string
	Units  []string // the unit column, or the row numbers
	Coders []string
	Data   *agreement.Data

	cells []string // as read, row-major
	lines []int    // line of each row
}

// ReadReliabilityTable reads a reliability-data CSV (the same spreadsheet
// conventions as other CSV files: UTF-8 with or without BOM or
// Windows-1252; "," ";" or tab). Errors name the file and line.
func ReadReliabilityTable(path string) (*ReliabilityTable, error) {
	header, rows, err := readCSVTable(path)
	if err != nil {
		return nil, err
	}
	return reliabilityTable(path, header, rows)
}

// ParseReliabilityTable parses reliability-data CSV; path is used in errors.
func ParseReliabilityTable(path string, data []byte) (*ReliabilityTable, error) {
	header, rows, err := parseCSVTable(path, data)
	if err != nil {
		return nil, err
	}
	return reliabilityTable(path, header, rows)
}

func reliabilityTable(path string, header []string, rows []csvRow) (*ReliabilityTable, error) {
	var err error
	t := &ReliabilityTable{Path: path}
	first := 0
	if len(header) > 0 && strings.EqualFold(header[0], "unit") {
		first = 1
	}
	// Spreadsheets add empty columns at the right; they are not coders.
	last := len(header)
	for last > first && header[last-1] == "" {
		last--
	}
	seen := map[string]bool{}
	for i, h := range header[first:last] {
		if h == "" {
			return nil, fmt.Errorf("%s:1: column %d has no coder name", path, first+i+1)
		}
		if seen[strings.ToLower(h)] {
			return nil, fmt.Errorf("%s:1: coder %q is named twice", path, h)
		}
		seen[strings.ToLower(h)] = true
		t.Coders = append(t.Coders, h)
	}
	if len(t.Coders) < 2 {
		return nil, fmt.Errorf("%s:1: the header row must name two or more coders, one per column (an optional first column is named unit)", path)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no units: the file has only a header row", path)
	}
	for _, r := range rows {
		for i := last; i < len(r.Fields); i++ {
			if strings.TrimSpace(r.Fields[i]) != "" {
				return nil, fmt.Errorf("%s:%d: %d values, but the header names %d columns", path, r.Line, len(r.Fields), last)
			}
		}
		label := strconv.Itoa(len(t.Units) + 1)
		if first == 1 && len(r.Fields) > 0 {
			label = strings.TrimSpace(r.Fields[0])
		}
		t.Units = append(t.Units, label)
		t.lines = append(t.lines, r.Line)
		for i := first; i < last; i++ {
			cell := ""
			if i < len(r.Fields) {
				cell = strings.TrimSpace(r.Fields[i])
			}
			t.cells = append(t.cells, cell)
		}
	}
	if t.Data, err = agreement.NewStrings(t.Coders, t.cells); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return t, nil
}

// Compute computes the statistics; metric "" means every metric the data
// allow. A metric that needs numbers, on a table with text, is an error
// naming the first cell that is not a number.
func (t *ReliabilityTable) Compute(metric string) (*agreement.Result, error) {
	opt := agreement.Options{}
	if metric != "" {
		m, err := agreement.ParseMetric(metric)
		if err != nil {
			return nil, &UserError{Msg: err.Error()}
		}
		if m != agreement.Nominal && !t.Data.Numeric() {
			for i, c := range t.cells {
				if _, ok := agreement.ParseNumber(c); c != "" && !ok {
					n := len(t.Coders)
					return nil, userErr("%s:%d: %q (coder %s) is not a number: the %s metric needs numbers, and text allows --metric nominal only (a missing value is an empty cell)", t.Path, t.lines[i/n], c, t.Coders[i%n], m)
				}
			}
		}
		opt.Metrics = []agreement.Metric{m}
	}
	r, err := agreement.Compute(t.Data, opt)
	if err != nil { // no pairable unit, a metric the data do not allow
		return nil, userErr("%s: %v", t.Path, err)
	}
	return r, nil
}
