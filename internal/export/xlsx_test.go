package export

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func xlsxSampleReport() *Report {
	codes := &Table{Columns: []string{"code", "text", "count", "share"}}
	codes.Add("Disclosure", "She said: \"I'd rather not,\nnot yet\"", 3, 0.25)
	codes.Add("=HYPERLINK(\"http://x\",\"click\")", "-quit", -2, 1.5)
	codes.Add("@SUM(A1)", "+1 more", int64(0), nil)
	codes.Add("long", strings.Repeat("word ", 40), uint8(7), float32(0.5))
	codes.Add("short row")
	return &Report{
		Title:    "Codebook report",
		Subtitle: "Project: pilot; coder: all",
		Sections: []Section{
			{Heading: "Overview", Level: 1, Paragraphs: []string{"Three interviews.", "Second paragraph."}},
			{Heading: "Codes: frequency [all] / by document?", Level: 2, Table: codes},
			{Heading: "Codes: frequency [all] / by document?", Level: 2, Table: &Table{Columns: []string{"a"}, Rows: [][]any{{1}}}},
			{Heading: "A heading that is much longer than thirty-one characters", SheetName: "History", Table: &Table{Columns: []string{"x"}}},
			{Heading: "Quotes only", Quotes: []Quote{{Text: "hello"}}},
		},
	}
}

func writeXLSXBytes(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openXLSX(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestXLSXSheetsAndCells(t *testing.T) {
	f := openXLSX(t, writeXLSXBytes(t, xlsxSampleReport()))

	wantSheets := []string{"About", "Codes_ frequency _all_ _ by doc", "Codes_ frequency _all_ _ by (2)", "History (2)"}
	got := f.GetSheetList()
	if strings.Join(got, "|") != strings.Join(wantSheets, "|") {
		t.Fatalf("sheets = %q, want %q", got, wantSheets)
	}
	for _, name := range got {
		if n := len([]rune(name)); n > 31 {
			t.Errorf("sheet name %q has %d characters", name, n)
		}
	}

	sh := wantSheets[1]
	rows, err := f.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], "|") != "code|text|count|share" {
		t.Errorf("header = %q", rows[0])
	}

	// Numbers are numeric cells.
	for _, cell := range []string{"C2", "C3", "C4", "D2", "D3", "C5", "D5"} {
		if typ, _ := f.GetCellType(sh, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s type = %v, want number", cell, typ)
		}
		if v, _ := f.GetCellValue(sh, cell, excelize.Options{RawCellValue: true}); v == "" {
			t.Errorf("%s is empty", cell)
		}
	}
	if v, _ := f.GetCellValue(sh, "C3", excelize.Options{RawCellValue: true}); v != "-2" {
		t.Errorf("C3 = %q, want -2", v)
	}
	if v, _ := f.GetCellValue(sh, "D2", excelize.Options{RawCellValue: true}); v != "0.25" {
		t.Errorf("D2 = %q, want 0.25", v)
	}

	// Text that looks like a formula is a plain string, kept verbatim.
	for cell, want := range map[string]string{
		"A3": "=HYPERLINK(\"http://x\",\"click\")",
		"B3": "-quit",
		"A4": "@SUM(A1)",
		"B4": "+1 more",
		"B2": "She said: \"I'd rather not,\nnot yet\"",
	} {
		if typ, _ := f.GetCellType(sh, cell); typ != excelize.CellTypeSharedString {
			t.Errorf("%s type = %v, want shared string", cell, typ)
		}
		if v, _ := f.GetCellValue(sh, cell); v != want {
			t.Errorf("%s = %q, want %q", cell, v, want)
		}
		if fm, _ := f.GetCellFormula(sh, cell); fm != "" {
			t.Errorf("%s has formula %q", cell, fm)
		}
	}

	// Header is frozen and filterable; long text wraps in a capped column.
	panes, err := f.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want header frozen", panes, err)
	}
	if w, _ := f.GetColWidth(sh, "B"); w > 60 || w < 30 {
		t.Errorf("column B width = %v, want capped at 60", w)
	}
	if w, _ := f.GetColWidth(sh, "A"); w > 40 {
		t.Errorf("column A width = %v", w)
	}
	sid, _ := f.GetCellStyle(sh, "B2")
	st, err := f.GetStyle(sid)
	if err != nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("B2 style = %+v, want wrapped text", st)
	}
	hid, _ := f.GetCellStyle(sh, "A1")
	if hs, _ := f.GetStyle(hid); hs == nil || hs.Font == nil || !hs.Font.Bold {
		t.Errorf("header not bold")
	}

	// About sheet: title, subtitle, headings, paragraphs.
	about, _ := f.GetRows("About")
	var text []string
	for _, r := range about {
		text = append(text, strings.Join(r, "|"))
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"Codebook report", "Project: pilot; coder: all", "Overview", "Three interviews.", "→ " + wantSheets[1], "Quotes only"} {
		if !strings.Contains(all, want) {
			t.Errorf("About sheet lacks %q:\n%s", want, all)
		}
	}

	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Title != "Codebook report" || props.Subject != "Project: pilot; coder: all" || props.Creator != "qcode" {
		t.Errorf("doc props = %+v", props)
	}
}

func TestXLSXRawXMLHasNoFormulas(t *testing.T) {
	b := writeXLSXBytes(t, xlsxSampleReport())
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part = %s", zr.File[0].Name)
	}
	for _, zf := range zr.File {
		if !zf.Modified.Equal(xlsxEpoch) {
			t.Errorf("%s modified %v", zf.Name, zf.Modified)
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		s := string(body)
		if strings.HasPrefix(zf.Name, "xl/worksheets/") && (strings.Contains(s, "<f>") || strings.Contains(s, "<f ")) {
			t.Errorf("%s contains a formula element", zf.Name)
		}
		if zf.Name == "docProps/core.xml" && !strings.Contains(s, "1980-01-01T00:00:00Z") {
			t.Errorf("core.xml lacks the fixed date:\n%s", s)
		}
		if strings.Contains(s, "xuri") || strings.Contains(s, "Go Excelize") {
			t.Errorf("%s names excelize:\n%s", zf.Name, s)
		}
	}
}

func TestXLSXDeterministic(t *testing.T) {
	a := writeXLSXBytes(t, xlsxSampleReport())
	for range 3 {
		if b := writeXLSXBytes(t, xlsxSampleReport()); !bytes.Equal(a, b) {
			t.Fatal("two writes of the same report differ")
		}
	}
}

func TestXLSXTablesOnlyHasNoAbout(t *testing.T) {
	r := &Report{Sections: []Section{{Table: sample()}}}
	f := openXLSX(t, writeXLSXBytes(t, r))
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Sheet" {
		t.Errorf("sheets = %q, want [Sheet]", got)
	}
	empty := openXLSX(t, writeXLSXBytes(t, &Report{}))
	if got := empty.GetSheetList(); len(got) != 1 || got[0] != "About" {
		t.Errorf("empty report sheets = %q, want [About]", got)
	}
}

func TestXLSXSheetNamer(t *testing.T) {
	n := newXLSXSheetNamer()
	for _, c := range []struct{ in, want string }{
		{"Codes", "Codes"},
		{"codes", "codes (2)"},
		{"CODES", "CODES (3)"},
		{"'quoted'", "quoted"},
		{"a:b\\c/d?e*f[g]h", "a_b_c_d_e_f_g_h"},
		{"", "Sheet"},
		{"   ", "Sheet (2)"},
		{"line\nbreak", "line break"},
		{"history", "history (2)"},
		{strings.Repeat("x", 40), strings.Repeat("x", 31)},
		{strings.Repeat("x", 40), strings.Repeat("x", 27) + " (2)"},
		{strings.Repeat("😀", 20), strings.Repeat("😀", 15)},
	} {
		if got := n.take(c.in); got != c.want {
			t.Errorf("take(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestXLSXOddValues(t *testing.T) {
	tb := &Table{Columns: []string{"v"}}
	tb.Add("bell\x07 and nul\x00")
	tb.Add(true)
	tb.Add(uint64(1 << 63))
	r := &Report{Sections: []Section{{Heading: "odd", Table: tb}}}
	f := openXLSX(t, writeXLSXBytes(t, r))
	if v, _ := f.GetCellValue("odd", "A2"); v != "bell\uFFFD and nul\uFFFD" {
		t.Errorf("A2 = %q", v)
	}
	if typ, _ := f.GetCellType("odd", "A3"); typ != excelize.CellTypeBool {
		t.Errorf("A3 type = %v, want bool", typ)
	}
	if typ, _ := f.GetCellType("odd", "A4"); typ == excelize.CellTypeSharedString {
		t.Errorf("A4 (uint64) is a string")
	}
}

// TestXLSXOpensInLibreOffice exports every sheet to CSV with LibreOffice
// Calc, when installed, proving that it opens the workbook and reads text
// that looks like a formula as text. A plain excelize workbook converted in
// the same call tells "Calc missing" (skip) from "our file is bad" (fail).
func TestXLSXOpensInLibreOffice(t *testing.T) {
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		t.Skip("libreoffice not on PATH: skipping the conversion check")
	}
	if testing.Short() {
		t.Skip("-short: skipping the LibreOffice conversion")
	}
	dir := t.TempDir()
	ref := excelize.NewFile()
	ref.SetCellStr("Sheet1", "A1", "reference")
	if err := ref.SaveAs(filepath.Join(dir, "ref.xlsx")); err != nil {
		t.Fatal(err)
	}
	ref.Close()
	if err := os.WriteFile(filepath.Join(dir, "report.xlsx"), writeXLSXBytes(t, xlsxSampleReport()), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Filter options: comma, double quote, UTF-8, ..., and -1 = every
	// sheet to its own file, named <file>-<sheet>.csv.
	cmd := exec.CommandContext(ctx, lo, "-env:UserInstallation="+(&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, "profile"))}).String(),
		"--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
		"--outdir", dir, filepath.Join(dir, "ref.xlsx"), filepath.Join(dir, "report.xlsx"))
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "ref-Sheet1.csv")); err != nil {
		t.Skipf("LibreOffice cannot convert XLSX here (Calc not installed?):\n%s", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "report-Codes_ frequency _all_ _ by doc.csv"))
	if err != nil {
		t.Fatalf("no CSV for the data sheet (%v)\n%s", err, out)
	}
	got := string(data)
	for _, want := range []string{
		"code,text,count,share",
		`"=HYPERLINK(""http://x"",""click"")",-quit,-2,1.5`,
		"@SUM(A1),+1 more,0,",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("LibreOffice CSV lacks %q:\n%s", want, got)
		}
	}
	about, err := os.ReadFile(filepath.Join(dir, "report-About.csv"))
	if err != nil || !strings.Contains(string(about), "Codebook report") {
		t.Errorf("About sheet: %v\n%s", err, about)
	}
}

func TestXLSXEscapeSequencesRoundTrip(t *testing.T) {
	texts := []string{"a_x0041_b", "_x005F_x0041_", "_x0041", "x0041_", "_X0041_", "__x0041__", "plain_text", "_x00e9_ and _xD83D_"}
	tb := &Table{Columns: []string{"v"}}
	for _, s := range texts {
		tb.Add(s)
	}
	f := openXLSX(t, writeXLSXBytes(t, &Report{Sections: []Section{{Heading: "s", Table: tb}}}))
	for i, want := range texts {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if got, _ := f.GetCellValue("s", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
}
