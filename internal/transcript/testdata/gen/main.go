//go:build ignore

// Writes the transcript fixtures that are not plain UTF-8 (Windows-1252,
// UTF-16, a UTF-8 BOM, a binary file, .docx packages) and the seed corpora
// of FuzzPlain and FuzzDocx. Encodings are done here by hand (a byte table,
// unicode/utf16) rather than with golang.org/x/text, so the fixtures do not
// depend on the decoder they test. Run from the repository root:
//
//	go run ./internal/transcript/testdata/gen/main.go
package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf16"
)

const dir = "internal/transcript/testdata"

func main() {
	write("txt_cp1252_crlf.txt", cp1252(crlf(cp1252Interview)))
	// A DOS (code page 850) file: "ü" is 0x81 there, a byte Windows-1252 lacks.
	write("txt_cp1252_undefined.txt", bytes.ReplaceAll(cp1252(crlf("Interview 9\nInterviewer: Welcome.\nP2: I grew up in Zürich.\n")), []byte{0xFC}, []byte{0x81}))
	write("txt_utf16le_bom.txt", utf16LE(crlf(utf16Interview)))
	write("md_utf8_bom_bold.md", append([]byte{0xEF, 0xBB, 0xBF}, boldMarkdown...))
	write("txt_binary.txt", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), make([]byte, 64)...))
	write("docx_not_zip.docx", []byte("Interviewer: this was saved as plain text and renamed to .docx\n"))
	featuresDocx := docx(featuresBody)
	teamsDocx := docx(teamsBody)
	write("docx_features.docx", featuresDocx)
	write("docx_teams.docx", teamsDocx)

	for _, name := range []string{"txt_cp1252_crlf.txt", "txt_utf16le_bom.txt", "md_utf8_bom_bold.md", "txt_traps.txt", "txt_otter.txt", "txt_zoom_captions.txt", "txt_timestamps.txt"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			log.Fatal(err)
		}
		seed("FuzzPlain", strings.TrimSuffix(name, filepath.Ext(name)), data)
	}
	seed("FuzzDocx", "features_zip", featuresDocx)
	seed("FuzzDocx", "teams_zip", teamsDocx)
	// Bare document.xml bodies: FuzzDocx wraps input that is not a zip in
	// a package, so mutations explore the XML rather than the zip format.
	seed("FuzzDocx", "features_xml", []byte(documentXML(featuresBody)))
	seed("FuzzDocx", "table_xml", []byte(documentXML(`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A:</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>x</w:t><w:br/><w:t>y</w:t></w:r></w:p><w:p/></w:tc></w:tr></w:tbl><w:p><w:r><w:t>A: z</w:t></w:r></w:p>`)))
}

func write(name string, data []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		log.Fatal(err)
	}
}

// seed writes one file of a go test fuzz corpus for a target taking []byte.
func seed(target, name string, data []byte) {
	d := filepath.Join(dir, "fuzz", target)
	if err := os.MkdirAll(d, 0o755); err != nil {
		log.Fatal(err)
	}
	body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
	if err := os.WriteFile(filepath.Join(d, name), []byte(body), 0o644); err != nil {
		log.Fatal(err)
	}
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// cp1252 encodes s as Windows-1252. Only the characters the fixtures use
// are in the table; any other non-ASCII rune is a mistake here.
func cp1252(s string) []byte {
	table := map[rune]byte{'–': 0x96, 'ø': 0xF8, 'é': 0xE9, '“': 0x93, '”': 0x94, '’': 0x92, 'Ø': 0xD8, 'ü': 0xFC}
	var b []byte
	for _, r := range s {
		switch c, ok := table[r]; {
		case r < 0x80:
			b = append(b, byte(r))
		case ok:
			b = append(b, c)
		default:
			log.Fatalf("cp1252: no byte for %q", r)
		}
	}
	return b
}

// utf16LE encodes s as UTF-16LE with a BOM, as Notepad's "Unicode" does.
func utf16LE(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

const cp1252Interview = `Interview 7 – Tromsø site
Date: 3 March 2024
Note: consent recorded on paper; names changed.

Interviewer: Thanks for meeting me at the café. How did you find the programme?
P3: My friend said “just go to the office”, so I did. [laughs]
Interviewer: And here in Tromsø, was that easy?
P3: Not really (.) the bus was late ((coughs)) but the staff were kind.

I went back the next week – with my CV.
`

const utf16Interview = `Interview 4 — Site D

I: Good morning. Shall we start?
P1: Yes. I brought my notes 🙂 from the job fair.
I: What did you find there?
P1: Mostly warehouse jobs. Naïve me thought I’d get an office job.
`

const boldMarkdown = `# Focus group 2 — Site A

*Date:* 14 June 2024
**Note:** two participants joined late.

**Interviewer:** Welcome, everyone. Let's go round the table.

**FG2-P3:** I'm P3. I've been in the programme since *January*.

**Interviewer**: What has helped most?

**FG2-P3:** Honestly? The weekly check-ins.
They made me feel someone was keeping track.

**FG2-P4:** For me it was the job coach.
`

// docx builds a minimal but complete WordprocessingML package around a
// document body: the parts Word and LibreOffice need to open it.
func docx(body string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := []struct{ name, data string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"word/document.xml", documentXML(body)},
		{"word/_rels/document.xml.rels", documentRels},
	}
	modified := time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC) // fixed, so regenerating changes nothing
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := w.Write([]byte(p.data)); err != nil {
			log.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

const packageRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/referrals" TargetMode="External"/></Relationships>`

func documentXML(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><w:body>` +
		body +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>`
}

func para(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

// featuresBody has every construct whose text must (or must not) reach the
// transcript: a field, a removed paragraph, a hyperlink, tracked changes, a
// table, content controls, a text box with its VML fallback, line breaks.
var featuresBody = para("Interview 12 – Site B") +
	// A DATE field: the code is not text, its cached result is.
	`<w:p><w:r><w:t xml:space="preserve">Date: </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE \@ "d MMMM yyyy" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3 March 2024</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` +
	// An empty plain-text content control shows its prompt, which is not text.
	`<w:p><w:r><w:t xml:space="preserve">Site code: </w:t></w:r><w:sdt><w:sdtPr><w:alias w:val="Site code"/><w:id w:val="1002"/><w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt></w:p>` +
	// A paragraph deleted with tracked changes, mark and all.
	`<w:p><w:pPr><w:rPr><w:del w:id="10" w:author="Dana Reyes" w:date="2024-03-04T10:00:00Z"/></w:rPr></w:pPr><w:del w:id="11" w:author="Dana Reyes" w:date="2024-03-04T10:00:00Z"><w:r><w:delText>Interviewer: This question was removed before analysis.</w:delText></w:r></w:del></w:p>` +
	// Tab stops in the paragraph properties are not tab characters.
	`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="1440"/></w:tabs></w:pPr><w:r><w:t>Interviewer: How did you hear about the programme?</w:t></w:r></w:p>` +
	`<w:p><w:r><w:t xml:space="preserve">P7: My case worker sent me </w:t></w:r><w:hyperlink r:id="rId2" w:history="1"><w:r><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr><w:t>the referral page</w:t></w:r></w:hyperlink><w:r><w:t xml:space="preserve"> and I signed up.</w:t></w:r></w:p>` +
	para("Interviewer: What happened next?") +
	`<w:p><w:r><w:t xml:space="preserve">P7: I met </w:t></w:r><w:ins w:id="1" w:author="Dana Reyes" w:date="2024-03-04T10:00:00Z"><w:r><w:t>the employment specialist</w:t></w:r></w:ins><w:del w:id="2" w:author="Dana Reyes" w:date="2024-03-04T10:00:00Z"><w:r><w:delText xml:space="preserve"> my old boss</w:delText></w:r></w:del><w:r><w:t xml:space="preserve"> the week after.</w:t></w:r></w:p>` +
	`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="7000"/></w:tblGrid>` +
	`<w:tr><w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>` + para("Interviewer:") + `</w:tc><w:tc><w:tcPr><w:tcW w:w="7000" w:type="dxa"/></w:tcPr>` + para("Did the job search feel slow?") + `</w:tc></w:tr>` +
	`<w:tr><w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>` + para("P7:") + `</w:tc><w:tc><w:tcPr><w:tcW w:w="7000" w:type="dxa"/></w:tcPr>` + para("Very slow.") + para("Three months.") + `</w:tc></w:tr>` +
	`</w:tbl>` +
	`<w:sdt><w:sdtPr><w:alias w:val="Question"/><w:tag w:val="q5"/><w:id w:val="1001"/></w:sdtPr><w:sdtContent>` + para("Interviewer: Any advice for others?") + `</w:sdtContent></w:sdt>` +
	`<w:p><w:r><w:t xml:space="preserve">P7: </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>` +
	`<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="2743200" cy="457200"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="1" name="Text Box 1"/><wp:cNvGraphicFramePr/>` +
	`<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2743200" cy="457200"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>` +
	`<wps:txbx><w:txbxContent>` + para("Keep going, and ask for help.") + `</w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>` +
	`</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>` +
	`<v:shape id="Text Box 1" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute;margin-left:0;margin-top:0;width:216pt;height:36pt;z-index:251659264"><v:textbox><w:txbxContent>` + para("Keep going, and ask for help.") + `</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
	`<w:p><w:r><w:t>Interviewer: Thank you.</w:t><w:br/><w:t xml:space="preserve">We'll send a follow</w:t><w:noBreakHyphen/><w:t>up letter.</w:t></w:r></w:p>`

// teamsBody is laid out as a Microsoft Teams transcript download: a title
// block, then "Name   m:ss" header paragraphs each followed by what was said.
var teamsBody = para("Weekly check-in") +
	para("3 March 2024, 10:02AM") +
	para("45m 12s") +
	para("Dana Reyes   0:03") + para("Okay, we're recording now. Can you hear me?") +
	para("Sam Okafor   0:07") + para("Yes. So the referral came through in January.") +
	para("Dana Reyes   0:15") + para("And what happened after that?") +
	para("Priya Nair   0:25") + para("Sorry I'm late, my other call ran over.") +
	para("Sam Okafor   0:31") + para("I started at the warehouse two weeks later.") + para("It was night shifts at first.")
