package project

import (
	"fmt"
	"strings"
)

// ReadParticipantsCSV reads a participants table: a "label" column, then one
// column per attribute (role, site, ...). It accepts what spreadsheets save
// (see parseCSVTable). Errors name the file and line.
func ReadParticipantsCSV(path string) ([]ParticipantRow, error) {
	header, rows, err := readCSVTable(path)
	if err != nil {
		return nil, err
	}
	return participantRows(path, header, rows)
}

// ParseParticipantsCSV parses participants CSV data; path is used in errors.
func ParseParticipantsCSV(path string, data []byte) ([]ParticipantRow, error) {
	header, rows, err := parseCSVTable(path, data)
	if err != nil {
		return nil, err
	}
	return participantRows(path, header, rows)
}

func participantRows(path string, header []string, rows []csvRow) ([]ParticipantRow, error) {
	labelCol := -1
	for i, h := range header {
		if strings.EqualFold(h, "label") {
			labelCol = i
		}
	}
	if labelCol < 0 {
		return nil, fmt.Errorf("%s:1: no \"label\" column (the header is %q)", path, strings.Join(header, ","))
	}
	var out []ParticipantRow
	seen := map[string]int{}
	for _, r := range rows {
		if len(r.Fields) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, but the header has %d", path, r.Line, len(r.Fields), len(header))
		}
		row := ParticipantRow{Label: strings.TrimSpace(r.Fields[labelCol]), Attributes: map[string]string{}, Line: r.Line}
		if err := checkLabel(row.Label); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, r.Line, err)
		}
		key := strings.ToLower(row.Label)
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("%s:%d: label %q already appears on line %d", path, r.Line, row.Label, first)
		}
		seen[key] = r.Line
		for i, v := range r.Fields {
			if i != labelCol && header[i] != "" {
				row.Attributes[header[i]] = strings.TrimSpace(v)
			}
		}
		out = append(out, row)
	}
	return out, nil
}
