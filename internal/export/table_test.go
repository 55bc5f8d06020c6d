package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

func sample() *Table {
	t := &Table{Columns: []string{"code", "text", "count"}}
	t.Add("Disclosure", "She said: \"I'd rather not, \nnot yet\"", 3)
	t.Add("=HYPERLINK(\"http://x\")", "-quit", -2)
	t.Add("@SUM(A1)", "+1 more", 0)
	return t
}

func TestCSVRoundTripsAndDefusesFormulas(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "csv", sample()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\r\n") {
		t.Error("CSV lines must end in CRLF (RFC 4180)")
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"code", "text", "count"},
		{"Disclosure", "She said: \"I'd rather not, \nnot yet\"", "3"},
		{"'=HYPERLINK(\"http://x\")", "'-quit", "-2"},
		{"'@SUM(A1)", "'+1 more", "0"},
	}
	for i := range want {
		for j := range want[i] {
			if recs[i][j] != want[i][j] {
				t.Errorf("row %d col %d = %q, want %q", i, j, recs[i][j], want[i][j])
			}
		}
	}
}

func TestTSVIsOneLinePerRow(t *testing.T) {
	var buf bytes.Buffer
	Write(&buf, "tsv", sample())
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), buf.String())
	}
	for _, l := range lines {
		if n := strings.Count(l, "\t"); n != 2 {
			t.Errorf("line %q has %d tabs", l, n)
		}
	}
}

func TestMarkdownEscapesPipes(t *testing.T) {
	tb := &Table{Columns: []string{"a", "n"}}
	tb.Add("x | y", 2)
	var buf bytes.Buffer
	Write(&buf, "md", tb)
	want := "| a | n |\n| --- | ---: |\n| x \\| y | 2 |\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestJSONKeysAndNumbers(t *testing.T) {
	var buf bytes.Buffer
	Write(&buf, "json", sample())
	var rows []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	if rows[1]["count"] != float64(-2) || rows[1]["code"] != "=HYPERLINK(\"http://x\")" {
		t.Errorf("JSON carries data as is: %v", rows[1])
	}
}

func TestTextTableAlignsAndTruncates(t *testing.T) {
	tb := &Table{Columns: []string{"name", "n"}}
	tb.Add("Tromsø", 12)
	tb.Add(strings.Repeat("long ", 30), 3)
	var buf bytes.Buffer
	Write(&buf, "table", tb)
	lines := strings.Split(buf.String(), "\n")
	if !strings.HasPrefix(lines[1], "Tromsø") || !strings.HasSuffix(lines[1], "12") {
		t.Errorf("row: %q", lines[1])
	}
	if !strings.Contains(lines[2], "…") {
		t.Errorf("long cell not truncated: %q", lines[2])
	}
	if len([]rune(lines[1])) != len([]rune(lines[2])) {
		t.Errorf("columns not aligned:\n%s", buf.String())
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", sample()); err == nil || !strings.Contains(err.Error(), "csv") {
		t.Errorf("err = %v", err)
	}
}

func TestTextTableFitsTheTerminal(t *testing.T) {
	tb := &Table{Columns: []string{"code", "segments", "text"}}
	long := "We used to say someone had to be stable first, medication sorted, housing sorted, and then maybe a course."
	tb.Add("Referral and access/Readiness gatekeeping", 7, long)
	tb.Add("Disclosure", 12, "Short.")
	var buf bytes.Buffer
	if err := WriteText(&buf, tb, 60); err != nil {
		t.Fatal(err)
	}
	var joined []string
	for _, l := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		if n := len([]rune(l)); n > 60 {
			t.Errorf("line of %d characters in a 60-column terminal: %q", n, l)
		}
		joined = append(joined, l)
	}
	// Every word of the long cell is still there, wrapped, not cut.
	all := strings.Join(strings.Fields(strings.Join(joined, " ")), " ")
	for _, w := range strings.Fields(long) {
		if !strings.Contains(all, w) {
			t.Errorf("word %q lost in wrapping", w)
		}
	}
	if strings.Contains(buf.String(), "…") {
		t.Error("a fitted table wraps rather than cuts")
	}
	if !strings.Contains(buf.String(), "      7") {
		t.Errorf("numbers keep their column and alignment:\n%s", buf.String())
	}
}
