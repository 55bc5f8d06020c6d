package export

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// WriteHTML writes r as one self-contained HTML file that works offline:
// inline CSS (with print styles), no JavaScript, no fonts, images or links
// to anything outside the file; charts are inline SVG. All text from the
// report is escaped. Void elements are self-closed and only XML's five
// entities are used, so the file is also well-formed XML.
//
// Section levels map to headings below the title (<h1>): level 1 is <h2>,
// level 2 <h3>, ... (level 1 is <h1> when the report has no title). A
// contents list is added when three or more sections have headings.
//
// The output is deterministic: the same Report gives the same bytes.
func WriteHTML(w io.Writer, r *Report) error {
	if r == nil {
		r = &Report{}
	}
	// Written as it goes: a quote report of a large project is hundreds
	// of megabytes, too much to assemble in memory first.
	h := &htmlWriter{chunkWriter: newChunkWriter(w)}
	h.report(r)
	return h.close()
}

type htmlWriter struct {
	*chunkWriter
	charts int // charts written so far, for unique ids
}

func (h *htmlWriter) p(parts ...string) {
	h.str(parts...)
	h.flushed()
}

// htmlEsc escapes s for HTML text and double-quoted attribute values. Control
// characters HTML and XML do not allow become U+FFFD.
func htmlEsc(s string) string {
	return html.EscapeString(htmlClean(s))
}

func htmlClean(s string) string {
	if htmlIsClean(s) {
		return s // the common case, without allocating
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r == '\r':
			return '\n'
		case r < 0x20 || (r >= 0x7F && r <= 0x9F) || r == 0xFFFE || r == 0xFFFF:
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

func (h *htmlWriter) report(r *Report) {
	title := r.Title
	if title == "" {
		title = "qcode report"
	}
	h.p("<!DOCTYPE html>\n<html>\n<head>\n",
		`<meta charset="utf-8" />`, "\n",
		`<meta name="viewport" content="width=device-width, initial-scale=1" />`, "\n",
		`<meta name="generator" content="qcode" />`, "\n",
		"<title>", htmlEsc(title), "</title>\n",
		"<style>\n", htmlCSS, "</style>\n</head>\n<body>\n")

	base := 0
	if r.Title != "" || r.Subtitle != "" {
		h.p("<header>\n")
		if r.Title != "" {
			h.p("<h1>", htmlEsc(r.Title), "</h1>\n")
			base = 1
		}
		if r.Subtitle != "" {
			h.p(`<p class="subtitle">`, htmlEsc(r.Subtitle), "</p>\n")
		}
		h.p("</header>\n")
	}

	h.toc(r, base)

	h.p("<main>\n")
	for i := range r.Sections {
		h.section(i, &r.Sections[i], base)
	}
	h.p("</main>\n</body>\n</html>\n")
}

func (h *htmlWriter) toc(r *Report, base int) {
	n := 0
	for _, s := range r.Sections {
		if s.Heading != "" {
			n++
		}
	}
	if n < 3 {
		return
	}
	h.p(`<nav class="toc" aria-label="Contents">`, "\n<p class=\"toc-title\">Contents</p>\n<ul>\n")
	for i, s := range r.Sections {
		if s.Heading == "" {
			continue
		}
		lvl := min(max(s.Level, 1), 6)
		h.p(`<li class="l`, strconv.Itoa(lvl), `"><a href="#sec-`, strconv.Itoa(i+1), `">`, htmlEsc(s.Heading), "</a></li>\n")
	}
	h.p("</ul>\n</nav>\n")
}

func (h *htmlWriter) section(i int, s *Section, base int) {
	h.p(`<section id="sec-`, strconv.Itoa(i+1), `">`, "\n")
	if s.Heading != "" {
		tag := "h" + strconv.Itoa(min(max(s.Level, 1)+base, 6))
		h.p("<", tag, ">", htmlEsc(s.Heading), "</", tag, ">\n")
	}
	for _, para := range s.Paragraphs {
		h.p("<p>", htmlEsc(para), "</p>\n")
	}
	if s.Chart != nil {
		h.chart(s.Chart)
	}
	if s.Table != nil && len(s.Table.Columns) > 0 {
		h.table(s.Table)
	}
	if n := s.quoteCount(); n > 0 {
		h.p(`<div class="quotes">`, "\n")
		for i := range n {
			q := s.quote(i)
			h.quote(&q)
		}
		h.p("</div>\n")
	}
	h.p("</section>\n")
}

func (h *htmlWriter) table(t *Table) {
	num := make([]bool, len(t.Columns))
	for i := range num {
		num[i] = t.numeric(i)
	}
	class := func(i int) string {
		if num[i] {
			return ` class="num"`
		}
		return ""
	}
	h.p(`<div class="table-wrap">`, "\n<table>\n<thead>\n<tr>")
	for i, c := range t.Columns {
		h.p(`<th scope="col"`, class(i), ">", htmlEsc(c), "</th>")
	}
	h.p("</tr>\n</thead>\n<tbody>\n")
	for _, row := range t.Rows {
		h.p("<tr>")
		for i := range t.Columns {
			s := ""
			if i < len(row) {
				s = cellString(row[i])
			}
			h.p("<td", class(i), ">", htmlEsc(s), "</td>")
		}
		h.p("</tr>\n")
	}
	h.p("</tbody>\n</table>\n</div>\n")
}

// quote writes q as a blockquote with the shared Attribution line (the same
// wording as the Markdown and Word reports) and the memo as a smaller note.
func (h *htmlWriter) quote(q *Quote) {
	// Quote reports can hold a million quotes: escape straight into the
	// output rather than building strings.
	h.str(`<figure class="quote">`, "\n<blockquote><p>")
	h.buf = appendHTMLText(h.buf, q.Text)
	h.str("</p></blockquote>\n", "<figcaption>— ")
	h.buf = appendAttribution(h.buf, q, appendHTMLText)
	if q.Memo != "" {
		h.str(`<p class="memo"><span class="memo-label">Memo:</span> `)
		h.buf = appendHTMLText(h.buf, q.Memo)
		h.str("</p>")
	}
	h.p("</figcaption>\n</figure>\n")
}

// appendHTMLText appends htmlEsc(s) without building the escaped string.
func appendHTMLText(b []byte, s string) []byte {
	if out, ok := appendHTMLEscaped(b, s, false); ok {
		return out // the common case: nothing for htmlClean to change
	}
	out, _ := appendHTMLEscaped(b, htmlClean(s), true)
	return out
}

// appendHTMLEscaped appends s with the five characters html.EscapeString
// escapes replaced by the same entities. Unless clean, it stops and
// reports false at the first character htmlClean would change; b is then
// to be discarded past its original length.
func appendHTMLEscaped(b []byte, s string, clean bool) ([]byte, bool) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch htmlASCII[c] {
			case htmlPlain:
				i++
				continue
			case htmlControl:
				if !clean {
					return b, false
				}
				i++
				continue
			}
			b = append(b, s[last:i]...)
			b = append(b, htmlEntity(c)...)
			i++
			last = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !clean && (r == utf8.RuneError || (r >= 0x80 && r <= 0x9F) || r == 0xFFFE || r == 0xFFFF) {
			return b, false // (RuneError may be invalid UTF-8, which htmlClean replaces)
		}
		i += n
	}
	return append(b, s[last:]...), true
}

// The kinds of ASCII characters for appendHTMLEscaped.
const (
	htmlPlain   = iota
	htmlEscape  // one of < > & ' "
	htmlControl // a control character htmlClean replaces
)

var htmlASCII = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch {
		case c == '\t' || c == '\n':
		case c < 0x20 || c == 0x7F:
			t[c] = htmlControl
		case c == '<' || c == '>' || c == '&' || c == '\'' || c == '"':
			t[c] = htmlEscape
		}
	}
	return t
}()

// htmlEntity is the entity html.EscapeString writes for c.
func htmlEntity(c byte) string {
	switch c {
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '&':
		return "&amp;"
	case '\'':
		return "&#39;"
	}
	return "&#34;"
}

// htmlIsClean reports whether htmlClean would leave s unchanged.
func htmlIsClean(s string) bool {
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n':
		case r < 0x20 || (r >= 0x7F && r <= 0x9F) || r == 0xFFFE || r == 0xFFFF, r == utf8.RuneError:
			return false // (RuneError may be invalid UTF-8, which htmlClean replaces)
		}
	}
	return true
}

func (h *htmlWriter) chart(c *Chart) {
	if len(c.Labels) == 0 || len(c.Series) == 0 {
		return
	}
	h.charts++
	id := "chart-" + strconv.Itoa(h.charts)
	var svg string
	switch c.Kind {
	case "", "bars":
		svg = svgBars(c, id)
	case "heatmap":
		svg = svgHeatmap(c, id)
	default:
		if h.err == nil {
			h.err = fmt.Errorf("chart %q: unknown kind %q (use bars or heatmap)", c.Title, c.Kind)
		}
		return
	}
	h.p(`<figure class="chart">`, "\n", svg)
	if c.Title != "" {
		h.p("<figcaption>", htmlEsc(c.Title), "</figcaption>\n")
	}
	h.p("</figure>\n")
}

// htmlCSS is the whole style sheet. It must stay free of URLs, imports and
// fonts to download, and of '<' and '&' (the file is also well-formed XML).
const htmlCSS = `:root {
  color-scheme: light;
  --fg: #1b1b1b;
  --muted: #555;
  --rule: #d0d7de;
  --accent: #0072b2;
  --shade: #f3f5f8;
}
* { box-sizing: border-box; }
body {
  margin: 0 auto;
  max-width: 62rem;
  padding: 1.5rem 1.25rem 3rem;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg);
  background: #fff;
}
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.6em 0 0.5em; }
h1 { font-size: 1.9rem; margin-top: 0.5rem; }
h2 { font-size: 1.45rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2em; }
h3 { font-size: 1.2rem; }
h4, h5, h6 { font-size: 1rem; }
p { white-space: pre-line; }
header .subtitle { color: var(--muted); margin-top: -0.25rem; }
nav.toc { background: var(--shade); padding: 0.75rem 1.25rem; border-radius: 4px; margin: 1rem 0 2rem; }
nav.toc .toc-title { font-weight: 600; margin: 0 0 0.25rem; }
nav.toc ul { list-style: none; margin: 0; padding: 0; }
nav.toc li.l2 { padding-left: 1.25rem; }
nav.toc li.l3, nav.toc li.l4, nav.toc li.l5, nav.toc li.l6 { padding-left: 2.5rem; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
.table-wrap { overflow-x: auto; margin: 1rem 0 1.5rem; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { padding: 0.3rem 0.65rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--rule); white-space: pre-line; }
thead th { background: var(--shade); border-bottom: 2px solid #444; }
tbody tr:nth-child(even) { background: #fafbfc; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1.25rem 0; }
figure.quote { border-left: 4px solid var(--accent); padding: 0.1rem 0 0.1rem 1rem; }
figure.quote blockquote { margin: 0; font-size: 1.05rem; }
figure.quote blockquote p { margin: 0.2rem 0; }
figure.quote figcaption { color: var(--muted); font-size: 0.9rem; }
figure.quote .memo { font-size: 0.8rem; margin: 0.25rem 0 0; padding: 0.2rem 0.5rem; background: var(--shade); border-radius: 3px; }
figure.quote .memo-label { font-weight: 600; }
figure.chart svg { display: block; max-width: 100%; height: auto; font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
figure.chart svg text { fill: #1b1b1b; }
figure.chart svg text.on-dark { fill: #fff; }
figure.chart figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 0.35rem; }
@page { margin: 18mm 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav.toc { display: none; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  figure, tr, blockquote { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
  tbody tr:nth-child(even) { background: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`
