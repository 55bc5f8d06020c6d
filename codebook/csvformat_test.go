package codebook

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// csvBook has cells a spreadsheet would take for formulas, and text that
// needs quoting.
func csvBook() *Codebook {
	cb := roundTripBook()
	cb.Codes[0].Name = "Benefits & NAV, rules"
	cb.Codes[2].Description = "Mentions; semicolons, commas and \"quotes\"."
	cb.Codes = append(cb.Codes,
		Code{ID: "a0000000-0000-4000-8000-000000000007", Name: "-minus", Description: "+plus", Inclusion: "@mention",
			Exclusion: "'=already quoted", Example: "''+two apostrophes", Memo: "'plain apostrophe", Hotkey: "="},
		Code{ID: "a0000000-0000-4000-8000-000000000008", ParentID: "a0000000-0000-4000-8000-000000000007", Name: "@child", Grouping: true},
	)
	return cb
}

func TestCSVRoundTrip(t *testing.T) {
	cb := csvBook()
	var w1 bytes.Buffer
	if err := WriteCSV(&w1, cb); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV("codes.csv", bytes.NewReader(w1.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, w1.String())
	}
	// The CSV writer turns \r\n in a cell into a spreadsheet line break,
	// read back as \n.
	want := csvBook().Codes
	want[3].Memo = "carriage\nreturn"
	if back.Name != "codes" {
		t.Errorf("name %q", back.Name)
	}
	if !reflect.DeepEqual(back.Codes, want) {
		for i := range want {
			if i < len(back.Codes) && !reflect.DeepEqual(back.Codes[i], want[i]) {
				t.Errorf("code %d\n got %#v\nwant %#v", i, back.Codes[i], want[i])
			}
		}
		t.Fatalf("round trip changed the codes\n%s", w1.String())
	}
	var w2 bytes.Buffer
	if err := WriteCSV(&w2, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w1.Bytes(), w2.Bytes()) {
		t.Errorf("WriteCSV(ReadCSV(WriteCSV(cb))) differs:\n%q\n%q", w1.String(), w2.String())
	}
}

func TestWriteCSVShape(t *testing.T) {
	var out bytes.Buffer
	if err := WriteCSV(&out, csvBook()); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"\ufeffid,path,name,parent,polarity,links,description,inclusion,exclusion,example,colour,hotkey,memo,grouping\r\n" +
			"a0000000-0000-4000-8000-000000000001,\"Benefits & NAV, rules\",\"Benefits & NAV, rules\",,,,\"Theme heading.\r\n\r\nSecond",
		"\r\na0000000-0000-4000-8000-000000000002,\"Benefits & NAV, rules/Fear of losing benefits\",Fear of losing benefits,\"Benefits & NAV, rules\",barrier,ips25:12 cfir2:II.F,",
		",\" starts with a space\",",
		"\r\na0000000-0000-4000-8000-000000000007,'-minus,'-minus,,,,'+plus,'@mention,''=already quoted,'''+two apostrophes,,'=,'plain apostrophe,\r\n",
		"\r\na0000000-0000-4000-8000-000000000008,'-minus/@child,'@child,'-minus,,,,,,,,,,true\r\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%q", want, s)
		}
	}
	// Parents come before children: the child of code 1 written after code 4's
	// subtree is not possible, so check the order of ids.
	var ids []string
	for _, line := range strings.Split(s, "\r\na0000000-0000-4000-8000-")[1:] {
		ids = append(ids, line[:12])
	}
	want := []string{"000000000001", "000000000002", "000000000003", "000000000004", "000000000005", "000000000006", "000000000007", "000000000008"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("row order %v", ids)
	}
}

func TestWriteCSVParentsFirst(t *testing.T) {
	cb := &Codebook{Codes: []Code{
		{ID: "b0000000-0000-4000-8000-000000000002", Name: "Child", ParentID: "b0000000-0000-4000-8000-000000000001"},
		{ID: "b0000000-0000-4000-8000-000000000003", Name: "Other"},
		{ID: "b0000000-0000-4000-8000-000000000001", Name: "Parent"},
	}}
	var out bytes.Buffer
	if err := WriteCSV(&out, cb); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\r\n")
	if !strings.Contains(lines[1], ",Other,") || !strings.Contains(lines[2], ",Parent,") || !strings.Contains(lines[3], ",Parent/Child,") {
		t.Errorf("rows out of order:\n%s", out.String())
	}
}

func TestReadCSVExcelEurope(t *testing.T) {
	data, err := os.ReadFile("testdata/csv_excel_semicolon.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, utf8BOM) || !bytes.Contains(data, []byte(";\r\n")) {
		t.Fatal("fixture lost its BOM or CRLF line ends")
	}
	cb, err := ReadCSV("testdata/csv_excel_semicolon.csv", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if cb.Name != "csv_excel_semicolon" || len(cb.Codes) != 4 {
		t.Fatalf("%q, %d codes: %+v", cb.Name, len(cb.Codes), cb.Codes)
	}
	ix := NewIndex(cb.Codes)
	var paths []string
	for _, c := range cb.Codes {
		paths = append(paths, ix.Path(c.ID))
		if _, err := uuid.Parse(c.ID); err != nil {
			t.Errorf("code %q: id %q", c.Name, c.ID)
		}
	}
	want := []string{"Referral and access", "Referral and access/Readiness gatekeeping", "Referral and access/Open referral routes", "Benefits"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths %q", paths)
	}
	top, gate, open := cb.Codes[0], cb.Codes[1], cb.Codes[2]
	if top.Description != "How people come to be offered IPS; who decides." || top.Colour != "#1B9E77" {
		t.Errorf("top %+v", top)
	}
	if gate.ID != "6c0b3f3e-2a43-4a7e-9a53-5f0e2d7b1c01" || gate.Polarity != PolarityBarrier || !reflect.DeepEqual(gate.Links, []string{"ips25:9"}) ||
		gate.Inclusion != "Waiting for \"stability\", sobriety\nor housing." {
		t.Errorf("gatekeeping %+v", gate)
	}
	if open.Description != "=anyone who wants to work" || open.Inclusion != "-self-referral, posters" || !reflect.DeepEqual(open.Links, []string{"ips25:9", "ips25:10"}) {
		t.Errorf("open referral %+v", open)
	}
	if cb.Codes[3].Polarity != PolarityMixed {
		t.Errorf("benefits %+v", cb.Codes[3])
	}
}

func TestReadCSVNameAndParentColumns(t *testing.T) {
	in := "name,parent,links\r\nChild,Theme,\"ips25:1, ips25:2\"\r\nTheme,,\r\nGrandchild,Theme / Child,\r\n"
	cb, err := ReadCSV("np.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(cb.Codes)
	var paths []string
	for _, c := range cb.Codes {
		paths = append(paths, ix.Path(c.ID))
	}
	if want := []string{"Theme", "Theme/Child", "Theme/Child/Grandchild"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("paths %q, want parents first", paths)
	}
	if !reflect.DeepEqual(cb.Codes[1].Links, []string{"ips25:1", "ips25:2"}) {
		t.Errorf("links %q", cb.Codes[1].Links)
	}
}

func TestReadCSVErrors(t *testing.T) {
	const id1 = "c0000000-0000-4000-8000-000000000001"
	for _, tc := range []struct{ what, in, want string }{
		{"empty", "", "f.csv: empty file; want a header row"},
		{"unknown column", "path,colour,notes\r\nA,,\r\n", `f.csv:1: unknown column "notes"`},
		{"duplicate column", "path,Path\r\n", `f.csv:1: column "path" appears twice`},
		{"no path or name", "id,description\r\n,x\r\n", "f.csv:1: no path or name column"},
		{"missing parent", "path\r\nA\r\nA/B\r\nC/D\r\n", `f.csv:4: parent "C" of "D" has no row of its own`},
		{"duplicate path", "path\r\nA\r\nB\r\na\r\n", `f.csv:4: code "a" appears twice (first on line 2)`},
		{"empty level", "path\r\nA\r\nA//B\r\n", `f.csv:3: path "A//B" has an empty level`},
		{"slash in name", "name\r\nA/B\r\n", `f.csv:2: name "A/B" contains "/"`},
		{"name does not match path", "path,name\r\nA,B\r\n", `f.csv:2: name "B" does not match the last level of path "A"`},
		{"parent does not match path", "path,parent\r\nA,\r\nB,\r\nA/C,B\r\n", `f.csv:4: parent "B" does not match path "A/C"`},
		{"bad polarity", "path,polarity\r\nA,\r\nB,sideways\r\n", `f.csv:3: polarity "sideways" is not one of`},
		{"bad link", "path,links\r\nA,ips25\r\n", `f.csv:2: framework link "ips25" is not of the form`},
		{"bad id", "id,path\r\nx1,A\r\n", `f.csv:2: id "x1" is not a UUID`},
		{"duplicate id", "id,path\r\n" + id1 + ",A\r\n" + id1 + ",B\r\n", "f.csv:3: id " + id1 + " is used twice (first on line 2)"},
		{"bad grouping", "path,grouping\r\nA,maybe\r\n", `f.csv:2: grouping "maybe" is not true or false`},
		{"extra cells", "path,name\r\nA,A,oops\r\n", "f.csv:2: more cells than the header has columns"},
		{"cell under unnamed column", "path,\r\nA,oops\r\n", "f.csv:2: a cell under a column without a name"},
		{"no path or name in row", "path,description\r\nA,x\r\n,y\r\n", "f.csv:3: the row has no path or name"},
		{"line break in name", "path\r\nA\r\n\"A/B\r\nC\"\r\n", `f.csv:3: "A/B\nC": a code name may not contain a line break`},
		{"bad quotes", "path,description\r\nA,x\r\nB,\"unterminated\r\n", `f.csv:3:`},
		{"stray quote", "path,description\r\nA,x\"y\r\n", `f.csv:2: bare " in non-quoted-field`},
	} {
		t.Run(tc.what, func(t *testing.T) {
			_, err := ReadCSV("f.csv", strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

func TestWriteCSVErrors(t *testing.T) {
	for _, tc := range []struct {
		what  string
		codes []Code
		want  string
	}{
		{"slash in name", []Code{{ID: "c0000000-0000-4000-8000-000000000001", Name: "Barriers/Facilitators"}}, `code "Barriers/Facilitators": a name in a CSV codebook may not contain "/"`},
		{"missing parent", []Code{{ID: "c0000000-0000-4000-8000-000000000001", Name: "A", ParentID: "gone"}}, "which is not in the codebook"},
		{"line break in name", []Code{{ID: "c0000000-0000-4000-8000-000000000001", Name: "A\nB"}}, "the name contains a line break"},
	} {
		if err := WriteCSV(&bytes.Buffer{}, &Codebook{Codes: tc.codes}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v", tc.what, err)
		}
	}
}

func TestCSVLineBreaksInCells(t *testing.T) {
	cb := &Codebook{Codes: []Code{{ID: "c0000000-0000-4000-8000-000000000001", Name: "A", Memo: "one\rtwo\r\nthree\nfour"}}}
	var out bytes.Buffer
	if err := WriteCSV(&out, cb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\"one\r\ntwo\r\nthree\r\nfour\"") {
		t.Errorf("line breaks in a cell are not CRLF: %q", out.String())
	}
	back, err := ReadCSV("f.csv", &out)
	if err != nil {
		t.Fatal(err)
	}
	if m := back.Codes[0].Memo; m != "one\ntwo\nthree\nfour" {
		t.Errorf("memo %q", m)
	}
}

func TestCSVFormulaEscape(t *testing.T) {
	for _, s := range []string{"", "'", "''", "=", "'=", "a=b", "-1", "'plain", "''=x", "@", "+", "'-'"} {
		e := csvEscapeFormula(s)
		if got := csvUnescapeFormula(e); got != s {
			t.Errorf("%q -> %q -> %q", s, e, got)
		}
		if t0 := strings.TrimLeft(e, "'"); len(t0) == len(e) && t0 != "" && strings.ContainsRune(csvFormulaStart, rune(t0[0])) {
			t.Errorf("%q is written as %q, a formula", s, e)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	var out bytes.Buffer
	if err := WriteCSV(&out, csvBook()); err != nil {
		f.Fatal(err)
	}
	f.Add(out.Bytes())
	if data, err := os.ReadFile("testdata/csv_excel_semicolon.csv"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("name,parent\nA,\nB,A\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := ReadCSV("fuzz.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		var w1, w2 bytes.Buffer
		if err := WriteCSV(&w1, cb); err != nil {
			t.Fatalf("read but cannot write: %v", err)
		}
		back, err := ReadCSV("fuzz.csv", bytes.NewReader(w1.Bytes()))
		if err != nil {
			t.Fatalf("cannot read what was written: %v\n%q", err, w1.String())
		}
		if err := WriteCSV(&w2, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(w1.Bytes(), w2.Bytes()) {
			t.Fatalf("not stable:\n%q\n%q", w1.String(), w2.String())
		}
	})
}
