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

// ReadParticipantsCSV reads a participants table: a "label" column, then one
// column per attribute (role, site, ...). It accepts what spreadsheets save:
// a UTF-8 BOM, Windows-1252, and ";" as the separator (Excel in many
// European locales). Errors name the file and line.
func ReadParticipantsCSV(path string) ([]ParticipantRow, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, unwrapPathErr(err))
	}
	if info.Size() > 16<<20 {
		return nil, fmt.Errorf("%s: participants file is larger than 16 MB", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, unwrapPathErr(err))
	}
	return ParseParticipantsCSV(path, data)
}

// ParseParticipantsCSV parses participants CSV data; name is used in errors.
func ParseParticipantsCSV(path string, data []byte) ([]ParticipantRow, error) {
	text, _, err := transcript.DecodeText(path, data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffSeparator(text)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: file is empty", path)
		}
		return nil, csvError(path, err)
	}
	labelCol := -1
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
		if strings.EqualFold(header[i], "label") {
			labelCol = i
		}
	}
	if labelCol < 0 {
		return nil, fmt.Errorf("%s:1: no \"label\" column (the header is %q)", path, strings.Join(header, string(r.Comma)))
	}
	var rows []ParticipantRow
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(path, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, but the header has %d", path, line, len(rec), len(header))
		}
		row := ParticipantRow{Label: strings.TrimSpace(rec[labelCol]), Attributes: map[string]string{}, Line: line}
		if err := checkLabel(row.Label); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		key := strings.ToLower(row.Label)
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("%s:%d: label %q already appears on line %d", path, line, row.Label, first)
		}
		seen[key] = line
		for i, v := range rec {
			if i != labelCol && header[i] != "" {
				row.Attributes[header[i]] = strings.TrimSpace(v)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// sniffSeparator picks ";" when the header line has semicolons and no commas.
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
