package export

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// WriteDOCX writes r as a Word document (Office Open XML WordprocessingML,
// .docx) that Microsoft Word and LibreOffice open: A4 portrait with 2 cm
// margins, built-in styles (Title, Subtitle, Heading 1-3, Quote, Caption,
// Table Grid) plus Attribution, Memo and TableText, so text pasted into a
// paper keeps its structure.
//
// Each section is its heading (Heading1..3 by Level), its paragraphs, its
// chart as a table of values under a "Chart data" caption (Word charts are
// out of scope), its table (bold header row repeated on every page, numbers
// right-aligned) and its quotes: the text in curly quotes, then an
// attribution "— Speaker (role, site), document, where", then the memo, if
// any, as a small note. A section whose table is too wide for portrait is
// set in landscape.
//
// The output is deterministic: fixed document properties (no dates) and
// fixed zip entry times, so the same report gives the same bytes.
func WriteDOCX(w io.Writer, r *Report) error {
	if r == nil {
		r = &Report{}
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxPackageRels},
		{"docProps/core.xml", docxCore(r)},
		{"docProps/app.xml", docxApp},
		{"word/document.xml", ""}, // written as it is made, see docxDocument
		{"word/_rels/document.xml.rels", docxDocumentRels},
		{"word/styles.xml", docxStyles},
		{"word/settings.xml", docxSettings},
	}
	zw := zip.NewWriter(w)
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: docxModified})
		if err != nil {
			return err
		}
		if p.name == "word/document.xml" {
			err = docxDocument(f, r, chunkSize)
		} else {
			_, err = io.WriteString(f, p.body)
		}
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

// docxModified is every zip entry's modification time: the earliest
// MS-DOS date, the usual choice for reproducible archives.
var docxModified = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Page geometry in twentieths of a point (twips): A4, 2 cm margins.
const (
	docxPageShort = 11906 // 210 mm
	docxPageLong  = 16838 // 297 mm
	docxMargin    = 1134  // 20 mm
	// docxTextPortrait and docxTextLandscape are the widths between the
	// margins, the widths tables are set to.
	docxTextPortrait  = docxPageShort - 2*docxMargin
	docxTextLandscape = docxPageLong - 2*docxMargin
	// docxCharWidth approximates one character of 10 pt table text;
	// docxCellPadding is a cell's left plus right margin (Word's 0.19 cm).
	docxCharWidth   = 100
	docxCellPadding = 216
	// Column widths are proportional to their longest line in characters,
	// within these bounds (longer text wraps).
	docxMinColChars = 3
	docxMaxColChars = 40
)

const (
	docxXMLHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	docxNSMain    = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	docxNSRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

const docxContentTypes = docxXMLHeader +
	`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const docxPackageRels = docxXMLHeader +
	`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const docxDocumentRels = docxXMLHeader +
	`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`</Relationships>`

const docxApp = docxXMLHeader +
	`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
	`<Application>qcode</Application>` +
	`</Properties>`

// docxSettings declares Word 2013+ compatibility, so Word does not open
// the document in "Compatibility Mode".
const docxSettings = docxXMLHeader +
	`<w:settings xmlns:w="` + docxNSMain + `">` +
	`<w:defaultTabStop w:val="709"/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

// docxCore holds the title (and subtitle as subject) only: no author, no
// dates, so output does not depend on who ran it or when.
func docxCore(r *Report) string {
	var b strings.Builder
	b.WriteString(docxXMLHeader)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	if t := docxOneLine(r.Title); t != "" {
		b.WriteString(`<dc:title>` + docxEscape(t) + `</dc:title>`)
	}
	if s := docxOneLine(r.Subtitle); s != "" {
		b.WriteString(`<dc:subject>` + docxEscape(s) + `</dc:subject>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

// docxStyles defines the styles document.xml uses. Built-in styles keep
// Word's built-in names ("heading 1", "caption", ...) so Word's navigation
// pane, table of contents and caption tools recognise them.
var docxStyles = docxXMLHeader +
	`<w:styles xmlns:w="` + docxNSMain + `">` +
	`<w:docDefaults>` +
	`<w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:eastAsia="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>` +
	`</w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>` +
	`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="10"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:after="120" w:line="240" w:lineRule="auto"/><w:contextualSpacing/></w:pPr>` +
	`<w:rPr><w:kern w:val="28"/><w:sz w:val="48"/><w:szCs w:val="48"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="11"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:after="320"/></w:pPr>` +
	`<w:rPr><w:color w:val="595959"/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>` +
	docxHeadingStyle(1, 360, 120, 32) +
	docxHeadingStyle(2, 240, 80, 26) +
	docxHeadingStyle(3, 200, 60, 23) +
	`<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Attribution"/><w:uiPriority w:val="29"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:before="120" w:after="40"/><w:ind w:left="720" w:right="720"/></w:pPr>` +
	`<w:rPr><w:i/><w:iCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Attribution"><w:name w:val="Attribution"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:after="160"/><w:ind w:left="720" w:right="720"/></w:pPr>` +
	`<w:rPr><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="Memo"><w:name w:val="Memo"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:before="0" w:after="200"/><w:ind w:left="720" w:right="720"/></w:pPr>` +
	`<w:rPr><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="35"/><w:unhideWhenUsed/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="80"/></w:pPr>` +
	`<w:rPr><w:i/><w:iCs/><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>` +
	`<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/>` +
	`<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>` +
	`<w:tblPr>` + docxTableBorders + `</w:tblPr></w:style>` +
	`</w:styles>`

const docxTableBorders = `<w:tblBorders>` +
	`<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
	`<w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
	`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
	`<w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
	`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
	`<w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
	`</w:tblBorders>`

func docxHeadingStyle(level, before, after, size int) string {
	n := strconv.Itoa(level)
	sz := strconv.Itoa(size)
	return `<w:style w:type="paragraph" w:styleId="Heading` + n + `"><w:name w:val="heading ` + n + `"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>` +
		`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="` + strconv.Itoa(before) + `" w:after="` + strconv.Itoa(after) + `"/><w:outlineLvl w:val="` + strconv.Itoa(level-1) + `"/></w:pPr>` +
		`<w:rPr><w:b/><w:bCs/><w:sz w:val="` + sz + `"/><w:szCs w:val="` + sz + `"/></w:rPr></w:style>`
}

// docxBody writes word/document.xml, tracking the page orientation of the
// Word section being written. It is written as it is made (a quote report
// of a large project runs to hundreds of megabytes): buf holds what is not
// yet written to w.
type docxBody struct {
	buf       bytes.Buffer
	w         io.Writer
	limit     int // write buf out once it holds this much
	err       error
	landscape bool // orientation of the current Word section
	content   bool // the current Word section has content
	spacerAt  int  // buf length before a trailing empty paragraph, or -1
}

// flushed writes buf out once it holds a chunk, keeping back a trailing
// empty paragraph that a section break may yet take back.
func (d *docxBody) flushed() {
	if d.buf.Len() < d.limit {
		return
	}
	n := d.buf.Len()
	if d.spacerAt >= 0 {
		n, d.spacerAt = d.spacerAt, 0
	}
	if out := d.buf.Next(n); d.err == nil {
		_, d.err = d.w.Write(out)
	}
}

func docxDocument(w io.Writer, r *Report, limit int) error {
	d := &docxBody{w: w, limit: limit, spacerAt: -1}
	d.buf.WriteString(docxXMLHeader)
	d.buf.WriteString(`<w:document xmlns:w="` + docxNSMain + `" xmlns:r="` + docxNSRel + `"><w:body>`)
	// The title goes on the first section's page, in its orientation.
	for i := range r.Sections {
		if !docxEmpty(&r.Sections[i]) {
			d.landscape = docxWide(&r.Sections[i])
			break
		}
	}
	if r.Title != "" {
		d.para(`<w:pStyle w:val="Title"/>`, "", r.Title)
	}
	if r.Subtitle != "" {
		d.para(`<w:pStyle w:val="Subtitle"/>`, "", r.Subtitle)
	}
	for i := range r.Sections {
		d.section(&r.Sections[i])
		d.flushed()
	}
	if !d.content {
		d.buf.WriteString(`<w:p/>`) // Word expects at least one paragraph
	}
	d.buf.WriteString(docxSectPr(d.landscape))
	d.buf.WriteString(`</w:body></w:document>`)
	if d.err == nil {
		_, d.err = d.w.Write(d.buf.Bytes())
	}
	return d.err
}

// docxSectPr is a section's page setup: A4 with 2 cm margins.
func docxSectPr(landscape bool) string {
	size := `<w:pgSz w:w="` + strconv.Itoa(docxPageShort) + `" w:h="` + strconv.Itoa(docxPageLong) + `"/>`
	if landscape {
		size = `<w:pgSz w:w="` + strconv.Itoa(docxPageLong) + `" w:h="` + strconv.Itoa(docxPageShort) + `" w:orient="landscape"/>`
	}
	m := strconv.Itoa(docxMargin)
	return `<w:sectPr>` + size +
		`<w:pgMar w:top="` + m + `" w:right="` + m + `" w:bottom="` + m + `" w:left="` + m + `" w:header="709" w:footer="709" w:gutter="0"/>` +
		`<w:cols w:space="709"/></w:sectPr>`
}

func docxEmpty(s *Section) bool {
	return s.Heading == "" && len(s.Paragraphs) == 0 && s.Chart == nil &&
		(s.Table == nil || len(s.Table.Columns) == 0) && s.quoteCount() == 0
}

// docxWide reports whether s holds a table (or chart data) too wide for
// portrait pages, to set it in landscape.
func docxWide(s *Section) bool {
	if s.Table != nil && len(s.Table.Columns) > 0 && docxNaturalWidth(s.Table.Columns, s.Table.Rows) > docxTextPortrait {
		return true
	}
	if s.Chart != nil {
		cols, rows := docxChartTable(s.Chart)
		return docxNaturalWidth(cols, rows) > docxTextPortrait
	}
	return false
}

func (d *docxBody) section(s *Section) {
	if docxEmpty(s) {
		return
	}
	if wide := docxWide(s); wide != d.landscape {
		if d.content {
			// A paragraph carrying a sectPr ends the Word section before
			// it; reuse a trailing empty paragraph rather than add one.
			if d.spacerAt >= 0 {
				d.buf.Truncate(d.spacerAt)
			}
			d.buf.WriteString(`<w:p><w:pPr>` + docxSectPr(d.landscape) + `</w:pPr></w:p>`)
			d.content = false
		}
		d.landscape = wide
	}
	if s.Heading != "" {
		d.para(`<w:pStyle w:val="Heading`+strconv.Itoa(min(max(s.Level, 1), 3))+`"/>`, "", s.Heading)
	}
	for _, p := range s.Paragraphs {
		d.para("", "", p)
	}
	if c := s.Chart; c != nil {
		caption := "Chart data"
		if t := docxOneLine(c.Title); t != "" {
			caption += ": " + t
		}
		if u := docxOneLine(c.Unit); u != "" {
			caption += " (" + u + ")"
		}
		d.para(`<w:pStyle w:val="Caption"/>`, "", caption)
		d.table(docxChartTable(c))
	}
	if t := s.Table; t != nil && len(t.Columns) > 0 {
		d.table(t.Columns, t.Rows)
	}
	for i := range s.quoteCount() {
		q := s.quote(i)
		d.quote(&q)
		d.flushed()
	}
}

func (d *docxBody) quote(q *Quote) {
	// Written from the quote's fields without building strings: a quote
	// report can hold a million quotes.
	var parts [12]string
	attribution := docxAttribution(append(parts[:0], "\u2014 "), q) // after the dash
	hasAttribution := len(attribution) > 1
	memo := strings.TrimSpace(q.Memo)
	const (
		quote     = `<w:pStyle w:val="Quote"/>`
		quoteKeep = quote + `<w:keepNext/>`
		attr      = `<w:pStyle w:val="Attribution"/>`
		attrKeep  = attr + `<w:keepNext/>`
	)
	ppr := quote
	if hasAttribution || memo != "" {
		ppr = quoteKeep
	}
	d.para(ppr, "", "\u201c", q.Text, "\u201d")
	if hasAttribution {
		ppr = attr
		if memo != "" {
			ppr = attrKeep
		}
		d.para(ppr, "", attribution...)
	}
	if memo != "" {
		d.para(`<w:pStyle w:val="Memo"/>`, "", "Memo: ", memo)
	}
}

// docxAttribution appends to parts the pieces of "Speaker (role, site),
// document, where", leaving out what is empty (or only spaces).
func docxAttribution(parts []string, q *Quote) []string {
	base := len(parts)
	speaker, role, site := strings.TrimSpace(q.Speaker), strings.TrimSpace(q.Role), strings.TrimSpace(q.Site)
	ctx := func() {
		parts = append(parts, role)
		if role != "" && site != "" {
			parts = append(parts, ", ")
		}
		parts = append(parts, site)
	}
	switch {
	case speaker != "" && (role != "" || site != ""):
		parts = append(parts, speaker, " (")
		ctx()
		parts = append(parts, ")")
	case speaker != "":
		parts = append(parts, speaker)
	case role != "" || site != "":
		ctx()
	}
	for _, s := range [...]string{q.Document, q.Where} {
		if s = strings.TrimSpace(s); s != "" {
			if len(parts) > base {
				parts = append(parts, ", ")
			}
			parts = append(parts, s)
		}
	}
	return parts
}

// para writes a paragraph with paragraph properties ppr (in schema order)
// and one run of text, the parts joined, with run properties rpr.
func (d *docxBody) para(ppr, rpr string, text ...string) {
	d.content = true
	d.spacerAt = -1
	d.buf.WriteString(`<w:p>`)
	if ppr != "" {
		d.buf.WriteString(`<w:pPr>`)
		d.buf.WriteString(ppr)
		d.buf.WriteString(`</w:pPr>`)
	}
	docxRun(&d.buf, rpr, text...)
	d.buf.WriteString(`</w:p>`)
}

// table writes a Word table: column widths spread over the text width in
// proportion to their content, a bold header row repeated on each page,
// numbers right-aligned. An empty paragraph follows, as Word needs between
// two tables (else they merge) and before a section break.
func (d *docxBody) table(cols []string, rows [][]any) {
	d.content = true
	total := docxTextPortrait
	if d.landscape {
		total = docxTextLandscape
	}
	widths := docxColumnWidths(cols, rows, total)
	numeric := make([]bool, len(cols))
	for i := range cols {
		// A column is numeric if it holds numbers and nothing else
		// (missing cells aside).
		for _, r := range rows {
			if i >= len(r) || r[i] == nil {
				continue
			}
			_, num := docxCell(r[i])
			numeric[i] = num
			if !num {
				break
			}
		}
	}
	b := &d.buf
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="` + strconv.Itoa(total) + `" w:type="dxa"/>` +
		docxTableBorders + `<w:tblLayout w:type="fixed"/>` +
		`<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(w) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	cell := func(i int, text string, right, header bool) {
		b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(widths[i]) + `" w:type="dxa"/>`)
		if header {
			b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>`)
		}
		b.WriteString(`</w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>`)
		if header {
			b.WriteString(`<w:keepNext/>`)
		}
		if right {
			b.WriteString(`<w:jc w:val="right"/>`)
		}
		b.WriteString(`</w:pPr>`)
		rpr := ""
		if header {
			rpr = `<w:b/><w:bCs/>`
		}
		docxRun(b, rpr, text)
		b.WriteString(`</w:p></w:tc>`)
	}
	b.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
	for i, c := range cols {
		cell(i, c, numeric[i], true)
	}
	b.WriteString(`</w:tr>`)
	for _, r := range rows {
		b.WriteString(`<w:tr>`)
		for i := range cols {
			var text string
			var num bool
			if i < len(r) {
				text, num = docxCell(r[i])
			}
			cell(i, text, num, false)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	d.spacerAt = b.Len()
	b.WriteString(`<w:p/>`)
}

// docxChartTable is a chart's values as a table: one row per label, one
// column per series.
func docxChartTable(c *Chart) ([]string, [][]any) {
	n := len(c.Series)
	for _, v := range c.Values {
		n = max(n, len(v))
	}
	cols := make([]string, 1+n)
	copy(cols[1:], c.Series)
	rows := make([][]any, 0, max(len(c.Labels), len(c.Values)))
	for i := 0; i < max(len(c.Labels), len(c.Values)); i++ {
		row := make([]any, 1+n)
		row[0] = ""
		if i < len(c.Labels) {
			row[0] = c.Labels[i]
		}
		if i < len(c.Values) {
			for j, v := range c.Values[i] {
				row[1+j] = v
			}
		}
		rows = append(rows, row)
	}
	return cols, rows
}

// docxCell is a cell's text and whether it is a number (to right-align).
// Floats show at most two decimals (three significant digits below 1),
// enough for percentages and agreement coefficients in a paper.
func docxCell(c any) (string, bool) {
	switch v := c.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return cellString(v), true
	case float32:
		return docxFloat(float64(v)), true
	case float64:
		return docxFloat(v), true
	}
	return cellString(c), false
}

func docxFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	dot := strings.IndexByte(s, '.')
	if dot < 0 || len(s)-dot-1 <= 2 || math.IsInf(v, 0) || math.IsNaN(v) {
		return s
	}
	if math.Abs(v) >= 1 {
		s = strconv.FormatFloat(v, 'f', 2, 64)
	} else {
		s = strconv.FormatFloat(v, 'g', 3, 64)
	}
	if strings.Contains(s, ".") && !strings.ContainsAny(s, "eE") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// docxColumnChars is each column's width in characters: its longest line
// (bounded), and at least its header's longest word so headers do not
// break inside words.
func docxColumnChars(cols []string, rows [][]any) []int {
	chars := make([]int, len(cols))
	for i, c := range cols {
		w := docxMinColChars
		for _, word := range strings.Fields(c) {
			w = max(w, utf8.RuneCountInString(word))
		}
		for _, r := range rows {
			if i < len(r) {
				s, _ := docxCell(r[i])
				for _, line := range strings.Split(s, "\n") {
					w = max(w, min(utf8.RuneCountInString(line), docxMaxColChars))
				}
			}
		}
		chars[i] = w
	}
	return chars
}

func docxNaturalWidth(cols []string, rows [][]any) int {
	total := 0
	for _, c := range docxColumnChars(cols, rows) {
		total += c*docxCharWidth + docxCellPadding
	}
	return total
}

// docxColumnWidths spreads total twips over the columns in proportion to
// their natural widths.
func docxColumnWidths(cols []string, rows [][]any, total int) []int {
	chars := docxColumnChars(cols, rows)
	natural := make([]int, len(chars))
	sum := 0
	for i, c := range chars {
		natural[i] = c*docxCharWidth + docxCellPadding
		sum += natural[i]
	}
	widths := make([]int, len(chars))
	left := total
	for i := range natural {
		if i == len(natural)-1 {
			widths[i] = left
			break
		}
		widths[i] = total * natural[i] / sum
		left -= widths[i]
	}
	return widths
}

// docxRun writes text (the parts joined) as one run: line breaks become
// <w:br/>, tabs <w:tab/>, characters XML 1.0 does not allow are dropped,
// and spaces are preserved.
func docxRun(b *bytes.Buffer, rpr string, text ...string) {
	empty := true
	for _, t := range text {
		empty = empty && t == ""
	}
	if empty {
		return
	}
	b.WriteString(`<w:r>`)
	if rpr != "" {
		b.WriteString(`<w:rPr>`)
		b.WriteString(rpr)
		b.WriteString(`</w:rPr>`)
	}
	// Text between breaks and tabs goes into <w:t> elements, left out
	// when empty. Quote reports are large: runs of characters that need
	// no escaping are copied as they are.
	const open = `<w:t xml:space="preserve">`
	at := -1 // buffer length before the open <w:t>, or -1
	startText := func() {
		if at < 0 {
			at = b.Len()
			b.WriteString(open)
		}
	}
	endText := func() {
		if at >= 0 {
			if b.Len() == at+len(open) {
				b.Truncate(at)
			} else {
				b.WriteString(`</w:t>`)
			}
			at = -1
		}
	}
	prevCR := false
	for _, t := range text {
		last := 0 // t[last:i] is still to be copied
		for i := 0; i < len(t); {
			r, n := rune(t[i]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(t[i:])
			}
			cr := prevCR
			prevCR = r == '\r'
			if docxPlain(r, n) {
				i += n
				continue
			}
			if i > last {
				startText()
				b.WriteString(t[last:i])
			}
			i += n
			last = i
			switch r {
			case '\n':
				if cr {
					continue // \r\n is one break
				}
				endText()
				b.WriteString(`<w:br/>`)
			case '\r', '\u2028', '\u2029':
				endText()
				b.WriteString(`<w:br/>`)
			case '\t':
				endText()
				b.WriteString(`<w:tab/>`)
			default:
				startText()
				docxEscapeRune(b, r)
			}
		}
		if len(t) > last {
			startText()
			b.WriteString(t[last:])
		}
	}
	endText()
	b.WriteString(`</w:r>`)
}

// docxPlain reports whether the rune r, n bytes long in a run's text, is
// copied as it is: a character XML 1.0 allows that is not escaped and is
// neither a break nor a tab (nor invalid UTF-8, written as U+FFFD).
func docxPlain(r rune, n int) bool {
	switch r {
	case '&', '<', '>', '"', '\'', '\u2028', '\u2029':
		return false
	case utf8.RuneError:
		return n > 1
	}
	return docxValidChar(r)
}

// docxEscape escapes s for XML text and attribute values, dropping
// characters XML 1.0 does not allow.
func docxEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		docxEscapeRune(&b, r)
	}
	return b.String()
}

func docxEscapeRune(b *bytes.Buffer, r rune) {
	switch r {
	case '&':
		b.WriteString("&amp;")
	case '<':
		b.WriteString("&lt;")
	case '>':
		b.WriteString("&gt;")
	case '"':
		b.WriteString("&quot;")
	case '\'':
		b.WriteString("&apos;")
	case '\t', '\n', '\r':
		b.WriteRune(r) // only reached from docxEscape, for metadata
	default:
		if docxValidChar(r) {
			b.WriteRune(r) // invalid UTF-8 arrives as U+FFFD, which is valid
		}
	}
}

// docxValidChar reports whether r is a Char in XML 1.0 (other than tab,
// line feed and carriage return, handled by the callers).
func docxValidChar(r rune) bool {
	switch {
	case r < 0x20:
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return r <= unicode.MaxRune
}

// docxOneLine collapses runs of white space (including line breaks) to one
// space, for captions and document properties.
func docxOneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
