package refi

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// refiDir is the shared REFI-QDA reference (schemas, vendor samples); CI
// checks it out beside the repository. The samples stay there: NOTES.md
// gives a licence for the schemas and the specification only.
const refiDir = "../../../shared/reference/refi"

func refiFile(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(refiDir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("REFI-QDA reference %s not available (shared/reference/refi is expected beside the repository): %v", name, err)
	}
	return p
}

type entry struct {
	name string
	data string
}

// zipOf builds a zip of the entries, in order.
func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readZip(data []byte, lim Limits) (*Project, error) {
	return Read("test.qdpx", bytes.NewReader(data), int64(len(data)), lim)
}

func mustRead(t testing.TB, data []byte) *Project {
	t.Helper()
	p, err := readZip(data, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	userG   = "8CA3A2C1-8B7A-41C3-A9DD-A8FB46CAA645"
	codeG   = "3C51EFBB-071F-43A7-9F32-228B89668E8D"
	sourceG = "56A79789-D535-4FB8-BEDD-A915504C54BA"
)

// sel is a selection to put into a test project: its positions as the
// file gives them, its name, and the text it must land on.
type sel struct {
	start, end int
	name       string
}

// projectWith is a .qdpx with one user, one code, and one text source
// holding raw (BOM and line breaks as given) with the selections.
func projectWith(t testing.TB, origin, raw string, sels ...sel) []byte {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin=%q>
  <Users><User guid="%s" name="Ana"/></Users>
  <CodeBook><Codes><Code guid="%s" name="Joy" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="%s" name="Interview 1" plainTextPath="internal://%s.txt">
`, origin, userG, codeG, sourceG, sourceG)
	for i, s := range sels {
		fmt.Fprintf(&b, `      <PlainTextSelection guid="00000000-0000-4000-8000-%012d" name="%s" startPosition="%d" endPosition="%d">
        <Coding guid="00000000-0000-4000-9000-%012d" creatingUser="%s"><CodeRef targetGUID="%s"/></Coding>
      </PlainTextSelection>
`, i, xmlAttr(s.name), s.start, s.end, i, userG, codeG)
	}
	b.WriteString("    </TextSource>\n  </Sources>\n</Project>\n")
	return zipOf(t, entry{"project.qde", b.String()}, entry{"sources/" + sourceG + ".txt", raw})
}

func xmlAttr(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '"':
			b.WriteString("&quot;")
		case '\r':
			b.WriteString("&#xD;")
		case '\n':
			b.WriteString("&#xA;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// selectedTexts returns the text each kept selection of the only source
// lands on.
func selectedTexts(t testing.TB, p *Project) []string {
	t.Helper()
	if len(p.Sources) != 1 {
		t.Fatalf("%d sources, want 1 (skipped: %v)", len(p.Sources), p.Skipped)
	}
	s := p.Sources[0]
	r := []rune(s.Text)
	var out []string
	for _, sel := range s.Selections {
		out = append(out, string(r[sel.Start:sel.End]))
	}
	return out
}

// readSample returns the bytes of a vendor sample (skipping the test when
// the shared reference is not there).
func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(refiFile(t, "samples/"+name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// mustUnzipQDE returns the .qde of a .qdpx.
func mustUnzipQDE(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".qde") {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			var b bytes.Buffer
			if _, err := b.ReadFrom(rc); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
	}
	t.Fatal("no .qde in the zip")
	return nil
}

// unzipAll returns every entry of a zip by its path.
func unzipAll(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := b.ReadFrom(rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
		out[f.Name] = b.Bytes()
	}
	return out
}

// firstDiff describes where got and want first differ ("" when they are
// deeply equal), treating nil and empty slices and maps alike.
func firstDiff(got, want any) string {
	return diffValue(reflect.ValueOf(got), reflect.ValueOf(want), "")
}

func diffValue(a, b reflect.Value, path string) string {
	if a.Kind() != b.Kind() {
		return fmt.Sprintf("%s: kind %v vs %v", path, a.Kind(), b.Kind())
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil %v vs %v", path, a.IsNil(), b.IsNil())
			}
			return ""
		}
		return diffValue(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		if a.Type() == reflect.TypeOf(time.Time{}) {
			if !a.Interface().(time.Time).Equal(b.Interface().(time.Time)) {
				return fmt.Sprintf("%s: %v vs %v", path, a.Interface(), b.Interface())
			}
			return ""
		}
		for i := 0; i < a.NumField(); i++ {
			if d := diffValue(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
	case reflect.Slice:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d vs %d elements", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if d := diffValue(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d vs %d keys", path, a.Len(), b.Len())
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%s[%v]: missing", path, k)
			}
			if d := diffValue(a.MapIndex(k), bv, fmt.Sprintf("%s[%v]", path, k)); d != "" {
				return d
			}
		}
	default:
		if a.CanInterface() && !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Sprintf("%s: %#v vs %#v", path, a.Interface(), b.Interface())
		}
	}
	return ""
}
