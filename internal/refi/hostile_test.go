package refi

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
)

const okQDE = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t"/>`

// qdeAround puts XML inside a project with one code and one source.
func qdeAround(inner string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t">
  <CodeBook><Codes><Code guid="` + codeG + `" name="Joy" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="` + sourceG + `" name="S" plainTextPath="internal://` + sourceG + `.txt">
` + inner + `
    </TextSource>
  </Sources>
</Project>`
}

// Every hostile or broken file ends in one line that names the file and
// what is wrong with it (the entry, or the element and its line).
func TestReadHostileFiles(t *testing.T) {
	src := entry{"sources/" + sourceG + ".txt", "Hello world"}
	deep := strings.Repeat("<x>", 300) + strings.Repeat("</x>", 300)
	var deepCodes strings.Builder
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&deepCodes, `<Code guid="00000000-0000-4000-8000-%012d" name="a" isCodable="true">`, i)
	}
	small := DefaultLimits
	small.MaxXMLBytes, small.MaxSourceBytes, small.MaxTotalBytes = 1<<20, 1<<20, 3<<20
	for _, tc := range []struct {
		name string
		zip  []byte
		lim  Limits
		want string
	}{
		{"dot-dot path", zipOf(t, entry{"project.qde", okQDE}, entry{"sources/../../evil.txt", "x"}), DefaultLimits,
			`test.qdpx: zip entry "sources/../../evil.txt" has ".." in its path; refusing the file`},
		{"backslash dot-dot path", zipOf(t, entry{"project.qde", okQDE}, entry{`..\evil.txt`, "x"}), DefaultLimits,
			`test.qdpx: zip entry "..\\evil.txt" has ".." in its path`},
		{"absolute path", zipOf(t, entry{"project.qde", okQDE}, entry{"/etc/cron.d/evil", "x"}), DefaultLimits,
			`test.qdpx: zip entry "/etc/cron.d/evil" has an absolute path; refusing the file`},
		{"drive letter", zipOf(t, entry{"project.qde", okQDE}, entry{`C:\Windows\evil.dll`, "x"}), DefaultLimits,
			`has an absolute path`},
		{"not a zip", []byte("just text"), DefaultLimits, "test.qdpx: not a zip archive, so not a .qdpx"},
		{"no project file", zipOf(t, src), DefaultLimits, "test.qdpx: no project file (*.qde) at the top of the zip"},
		{"project file in a folder", zipOf(t, entry{"export/project.qde", okQDE}), DefaultLimits, "no project file (*.qde) at the top of the zip"},
		{"two project files", zipOf(t, entry{"a.qde", okQDE}, entry{"b.qde", okQDE}), DefaultLimits, "test.qdpx: 2 project files (a.qde, b.qde) at the top of the zip"},
		{"source bomb", zipOf(t, entry{"project.qde", qdeAround("")}, entry{"sources/" + sourceG + ".txt", strings.Repeat("a", 2<<20)}), small,
			"test.qdpx: sources/" + sourceG + ".txt is larger than 1 MB unpacked; refusing it (a damaged file or a zip bomb)"},
		{"lying size", lyingZip(t), DefaultLimits, "test.qdpx: sources/" + sourceG + ".txt is damaged"},
		{"total size", zipOf(t, entry{"project.qde", qdeAround(`<NoteRef targetGUID="` + codeG + `"/>`)}, entry{"sources/" + sourceG + ".txt", strings.Repeat("a", 900<<10)},
			entry{"x1.txt", "x"}), Limits{MaxEntries: 10, MaxXMLBytes: 1 << 20, MaxXMLDepth: 256, MaxSourceBytes: 1 << 20, MaxTotalBytes: 600 << 10},
			"test.qdpx: more than 600 KB unpacked in all; refusing the file (a zip bomb?)"},
		{"too many entries", zipOf(t, entry{"project.qde", okQDE}, entry{"a", ""}, entry{"b", ""}), Limits{MaxEntries: 2}, "test.qdpx: the zip has 3 entries, more than the 2 qcode reads"},
		{"huge XML", zipOf(t, entry{"project.qde", qdeAround("<Description>" + strings.Repeat("x", 2<<20) + "</Description>")}, src), small,
			"test.qdpx: project.qde is larger than 1 MB unpacked; refusing it"},
		{"deep XML", zipOf(t, entry{"project.qde", qdeAround(deep)}, src), DefaultLimits,
			"test.qdpx: project.qde:6: elements nested more than 256 deep at <x>"},
		{"deep codes", zipOf(t, entry{"project.qde", `<Project xmlns="urn:QDA-XML:project:1.0" name="t"><CodeBook><Codes>` + deepCodes.String()}), DefaultLimits,
			"test.qdpx: project.qde:1: elements nested more than 256 deep at <Code>"},
		{"entity declarations", zipOf(t, entry{"project.qde", `<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Project name="&b;"/>`}), DefaultLimits,
			"test.qdpx: project.qde:1: DOCTYPE with entity declarations is not allowed in a project file"},
		{"not well-formed", zipOf(t, entry{"project.qde", qdeAround(`<PlainTextSelection guid="` + codeG + `" startPosition="0" endPosition="1">`)}, src), DefaultLimits,
			"test.qdpx: project.qde:7: not well-formed XML: element <PlainTextSelection> closed by </TextSource> (inside <PlainTextSelection> of line 6)"},
		{"codebook, not project", zipOf(t, entry{"project.qde", `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>`}), DefaultLimits,
			"test.qdpx: project.qde:1: root element is <CodeBook>: a REFI-QDA codebook (.qdc), not a project"},
		{"other namespace", zipOf(t, entry{"project.qde", `<Project xmlns="urn:other" name="t"/>`}), DefaultLimits,
			`test.qdpx: project.qde:1: root element <Project> is in namespace "urn:other", want "urn:QDA-XML:project:1.0"`},
		{"empty project file", zipOf(t, entry{"project.qde", ""}), DefaultLimits, "test.qdpx: project.qde: no XML element in the file; not a REFI-QDA project"},
		{"start not a number", zipOf(t, entry{"project.qde", qdeAround(`<PlainTextSelection guid="` + codeG + `" startPosition="abc" endPosition="5"/>`)}, src), DefaultLimits,
			`test.qdpx: project.qde:6: <PlainTextSelection>: startPosition "abc" is not a whole number`},
		{"start negative", zipOf(t, entry{"project.qde", qdeAround(`<PlainTextSelection guid="` + codeG + `" startPosition="-3" endPosition="5"/>`)}, src), DefaultLimits,
			`test.qdpx: project.qde:6: <PlainTextSelection>: startPosition -3 is negative`},
		{"start after end", zipOf(t, entry{"project.qde", qdeAround(`<PlainTextSelection guid="` + codeG + `" startPosition="9" endPosition="5"/>`)}, src), DefaultLimits,
			`test.qdpx: project.qde:6: <PlainTextSelection>: startPosition 9 is after endPosition 5`},
		{"end missing", zipOf(t, entry{"project.qde", qdeAround(`<PlainTextSelection guid="` + codeG + `" startPosition="1"/>`)}, src), DefaultLimits,
			`test.qdpx: project.qde:6: <PlainTextSelection>: has no endPosition`},
		{"position overflows", zipOf(t, entry{"project.qde", qdeAround(`<PlainTextSelection guid="` + codeG + `" startPosition="1" endPosition="99999999999999999999"/>`)}, src), DefaultLimits,
			`test.qdpx: project.qde:6: <PlainTextSelection>: endPosition "99999999999999999999" is not a whole number`},
		{"bad GUID", zipOf(t, entry{"project.qde", qdeAround(`<PlainTextSelection guid="not-a-guid" startPosition="1" endPosition="2"/>`)}, src), DefaultLimits,
			`test.qdpx: project.qde:6: <PlainTextSelection>: guid "not-a-guid" is not a GUID (8-4-4-4-12 hex digits)`},
		{"coding without code", zipOf(t, entry{"project.qde", qdeAround(`<Coding guid="` + codeG + `"/>`)}, src), DefaultLimits,
			`test.qdpx: project.qde:6: <Coding>: has no <CodeRef>`},
		{"code without guid", zipOf(t, entry{"project.qde", `<Project xmlns="urn:QDA-XML:project:1.0" name="t"><CodeBook><Codes><Code name="a" isCodable="true"/></Codes></CodeBook></Project>`}), DefaultLimits,
			`test.qdpx: project.qde:1: code "a" has no guid`},
		{"UTF-16 project file", zipOf(t, entry{"project.qde", "\xFF\xFE<\x00"}), DefaultLimits, "test.qdpx: project.qde: is UTF-16; REFI-QDA project files are UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := readZip(tc.zip, tc.lim)
			if err == nil {
				t.Fatalf("no error; read %d sources", len(p.Sources))
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error\n%s\nwant one line with\n%s", msg, tc.want)
			}
		})
	}
}

// lyingZip holds a source whose header claims 11 bytes but that unpacks to
// 8 MB.
func lyingZip(t *testing.T) []byte {
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.BestSpeed)
	fw.Write(bytes.Repeat([]byte("a"), 8<<20))
	fw.Close()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("project.qde")
	w.Write([]byte(qdeAround("")))
	h := &zip.FileHeader{Name: "sources/" + sourceG + ".txt", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte("Hello world")),
		CompressedSize64: uint64(raw.Len()), UncompressedSize64: 11}
	rw, err := zw.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	rw.Write(raw.Bytes())
	zw.Close()
	return b.Bytes()
}
