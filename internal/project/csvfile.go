package project

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/qcode-qda/qcode/internal/transcript"
)

// csvRow is one data row of a CSV file with its line number.
type csvRow struct {
	Line   int
	Fields []string
}

// parseCSVTable reads a small table a researcher brings (participants,
// fidelity scores) the way spreadsheets save it: a UTF-8 BOM or
// Windows-1252, "," or ";" or tab separators. It returns the trimmed header
// and the non-empty rows; errors name the file and line.
func parseCSVTable(path string, data []byte) ([]string, []csvRow, error) {
	text, _, err := transcript.DecodeText(path, data)
	if err != nil {
		return nil, nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffSeparator(text)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("%s: file is empty", path)
		}
		return nil, nil, csvError(path, err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	var rows []csvRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return header, rows, nil
		}
		if err != nil {
			return nil, nil, csvError(path, err)
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, csvRow{Line: line, Fields: rec})
	}
}

// readCSVTable reads path (at most 16 MB) with parseCSVTable.
func readCSVTable(path string) ([]string, []csvRow, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, unwrapPathErr(err))
	}
	if info.Size() > 16<<20 {
		return nil, nil, fmt.Errorf("%s: file is larger than 16 MB", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", path, unwrapPathErr(err))
	}
	return parseCSVTable(path, data)
}

// sniffSeparator picks ";" or tab when the header line has them and no commas.
func sniffSeparator(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	if strings.Contains(first, ";") && !strings.Contains(first, ",") {
		return ';'
	}
	if strings.Contains(first, "\t") && !strings.Contains(first, ",") {
		return '\t'
	}
	return ','
}

func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v", path, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %v", path, err)
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
