package export

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var htmlUpdateGolden = flag.Bool("update-html", false, "rewrite testdata golden files")

const htmlEvil = `<script>alert("x")</script> & 'q'`

func htmlSampleReport() *Report {
	tb := &Table{Columns: []string{"code", "count", "share"}}
	tb.Add("Disclosure", 12, 0.4)
	tb.Add(htmlEvil, 3, 0.1)
	tb.Add("multi\nline", 0, 0.0)
	return &Report{
		Title:    "Interview study " + htmlEvil,
		Subtitle: "Project: pilot",
		Sections: []Section{
			{Heading: "Overview", Level: 1, Paragraphs: []string{"First paragraph.\nWith a line break.", htmlEvil}},
			{Heading: "Codes by site", Level: 2,
				Chart: &Chart{Kind: "bars", Title: "Participants per code", Unit: "participants",
					Labels: []string{"Disclosure", "Trust in the care team and in the wider health system, as described", htmlEvil},
					Series: []string{"Site A", "Site B"},
					Values: [][]float64{{5, 3}, {2, 0}, {1, 4}}},
				Table: tb},
			{Heading: "Co-occurrence", Level: 2,
				Chart: &Chart{Kind: "heatmap", Title: "Codes × codes",
					Labels: []string{"Disclosure", "Trust", "Stigma"},
					Series: []string{"Disclosure", "Trust", "A much longer column label"},
					Values: [][]float64{{0, 4, 2}, {4, 0, 7}, {2, 7, 0.5}}}},
			{Heading: "Quotes", Level: 2, Quotes: []Quote{
				{Text: "I'd rather not say.\nNot yet.", Speaker: "P07", Role: "nurse", Site: "A", Document: "int-07.txt", Where: "turn 12", Coder: "mk", Memo: "Hesitation; compare P03."},
				{Text: htmlEvil, Speaker: htmlEvil, Document: htmlEvil, Memo: htmlEvil},
			}},
		},
	}
}

func writeHTMLString(t *testing.T, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// htmlElems parses doc as strict XML and returns its start elements in
// order, with the character data directly inside each.
type htmlElem struct {
	name  string
	attrs map[string]string
	text  string
}

func htmlElems(t *testing.T, doc string) []*htmlElem {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	var out, stack []*htmlElem
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("output is not well-formed: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			e := &htmlElem{name: tk.Name.Local, attrs: map[string]string{}}
			for _, a := range tk.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		}
	}
	return out
}

func TestHTMLSelfContained(t *testing.T) {
	out := writeHTMLString(t, htmlSampleReport())
	for _, bad := range []string{"http:", "https:", "//", "<script", "@import", "url(", "@font-face", "<link", "<img", "<iframe", "xmlns", "src="} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	if !strings.Contains(out, `<meta charset="utf-8" />`) {
		t.Error("no UTF-8 meta")
	}
	if !strings.Contains(out, "@media print") {
		t.Error("no print styles")
	}
	for _, e := range htmlElems(t, out) {
		if href, ok := e.attrs["href"]; ok && !strings.HasPrefix(href, "#") {
			t.Errorf("link to %q", href)
		}
		for k := range e.attrs {
			if strings.HasPrefix(k, "on") {
				t.Errorf("event handler attribute %s on <%s>", k, e.name)
			}
		}
	}
}

func TestHTMLEscapesUserText(t *testing.T) {
	out := writeHTMLString(t, htmlSampleReport())
	if strings.Contains(out, "<script") || strings.Contains(out, `alert("x")`) || strings.Contains(out, "'q'") {
		t.Fatal("user text not escaped")
	}
	escaped := `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39;`
	if n := strings.Count(out, escaped); n < 8 {
		t.Errorf("escaped text appears %d times, want it in title, paragraph, table, chart, quote, ...", n)
	}
	// The decoded text is intact.
	var found bool
	for _, e := range htmlElems(t, out) {
		if e.name == "h1" && e.text == "Interview study "+htmlEvil {
			found = true
		}
	}
	if !found {
		t.Error("title does not decode to the original text")
	}
}

func TestHTMLStructure(t *testing.T) {
	elems := htmlElems(t, writeHTMLString(t, htmlSampleReport()))
	count := func(name, class string) (n int) {
		for _, e := range elems {
			if e.name == name && (class == "" || e.attrs["class"] == class) {
				n++
			}
		}
		return n
	}
	if n := count("h1", ""); n != 1 {
		t.Errorf("%d h1", n)
	}
	if n := count("h2", ""); n != 1 { // Overview (level 1 under the title)
		t.Errorf("%d h2", n)
	}
	if n := count("h3", ""); n != 3 {
		t.Errorf("%d h3", n)
	}
	if n := count("nav", "toc"); n != 1 {
		t.Errorf("%d contents lists", n)
	}
	if n := count("svg", ""); n != 2 {
		t.Errorf("%d svg", n)
	}
	if n := count("rect", "bar"); n != 6 {
		t.Errorf("bars chart has %d bars, want 6 (3 labels × 2 series)", n)
	}
	if n := count("rect", "cell"); n != 9 {
		t.Errorf("heatmap has %d cells, want 9", n)
	}
	if n := count("blockquote", ""); n != 2 {
		t.Errorf("%d blockquotes", n)
	}
	if n := count("p", "memo"); n != 2 {
		t.Errorf("%d memos", n)
	}
	// Numeric columns are right-aligned, text columns not.
	if n := count("td", "num"); n != 6 {
		t.Errorf("%d numeric cells, want 6", n)
	}
	if n := count("th", "num"); n != 2 {
		t.Errorf("%d numeric headers, want 2", n)
	}
	// Each bar and heatmap cell sits in a group with a <title>.
	for i, e := range elems {
		if e.name == "rect" && (e.attrs["class"] == "bar" || e.attrs["class"] == "cell") {
			if elems[i-1].name != "title" || elems[i-1].text == "" {
				t.Errorf("rect %v has no title", e.attrs)
			}
		}
	}
	// svg must have an accessible name.
	for _, e := range elems {
		if e.name == "svg" && (e.attrs["role"] != "img" || e.attrs["aria-labelledby"] == "") {
			t.Errorf("svg attrs %v", e.attrs)
		}
	}
}

func TestHTMLBarsDetails(t *testing.T) {
	elems := htmlElems(t, writeHTMLString(t, htmlSampleReport()))
	var titles []string
	var sawTruncated bool
	for i, e := range elems {
		if e.name == "title" {
			titles = append(titles, e.text)
		}
		if e.name == "text" && strings.HasSuffix(e.text, "…") {
			sawTruncated = true
			full := map[string]bool{"Trust in the care team and in the wider health system, as described": true, htmlEvil: true, "A much longer column label": true}
			if i+1 >= len(elems) || elems[i+1].name != "title" || !full[elems[i+1].text] {
				t.Errorf("truncated label %q lacks its full text in a title", e.text)
			}
		}
	}
	if !sawTruncated {
		t.Error("long label was not truncated")
	}
	all := strings.Join(titles, "\n")
	for _, want := range []string{"Disclosure — Site A: 5 participants", "Disclosure — Site B: 3 participants", "Trust × A much longer column label: 7", "Stigma × A much longer column label: 0.5"} {
		if !strings.Contains(all, want) {
			t.Errorf("no title %q in\n%s", want, all)
		}
	}
	// Zero gives a zero-width bar, larger values longer bars.
	widths := map[string]string{}
	for i, e := range elems {
		if e.name == "rect" && e.attrs["class"] == "bar" {
			widths[elems[i-1].text] = e.attrs["width"]
		}
	}
	if w := widths["Trust in the care team and in the wider health system, as described — Site B: 0 participants"]; w != "0" {
		t.Errorf("zero bar width = %q", w)
	}
	if w := widths["Disclosure — Site A: 5 participants"]; w != "360" {
		t.Errorf("max bar width = %q, want the full plot width", w)
	}
}

func TestHTMLHeatmapShading(t *testing.T) {
	elems := htmlElems(t, writeHTMLString(t, htmlSampleReport()))
	fills := map[string]string{}
	for i, e := range elems {
		if e.name == "rect" && e.attrs["class"] == "cell" {
			fills[elems[i-1].text] = e.attrs["fill"]
			// The value is printed in the cell.
			if elems[i+1].name != "text" || elems[i+1].text == "" {
				t.Errorf("cell %q has no value text", elems[i-1].text)
			}
		}
	}
	if f := fills["Disclosure × Disclosure: 0"]; f != "#f7fbff" {
		t.Errorf("zero cell fill = %q, want the lightest", f)
	}
	if f := fills["Trust × A much longer column label: 7"]; f != "#08306b" {
		t.Errorf("max cell fill = %q, want the darkest", f)
	}
}

func TestHTMLEdgeCases(t *testing.T) {
	// Missing and non-finite values get no rect; all-zero data still draws.
	r := &Report{Sections: []Section{
		{Chart: &Chart{Labels: []string{"a", "b"}, Series: []string{""}, Values: [][]float64{{0}}}},
		{Chart: &Chart{Kind: "heatmap", Labels: []string{"a"}, Series: []string{"x", "y"}, Values: [][]float64{{math.NaN(), -1}}}},
		{Chart: &Chart{Kind: "bars", Labels: []string{"neg", "pos"}, Series: []string{"s"}, Values: [][]float64{{-2}, {3}}}},
		{Chart: &Chart{Kind: "bars"}}, // empty: skipped
		{Table: &Table{}},             // no columns: skipped
	}}
	elems := htmlElems(t, writeHTMLString(t, r))
	var bars, cells, svgs, tables int
	for _, e := range elems {
		switch {
		case e.name == "rect" && e.attrs["class"] == "bar":
			bars++
		case e.name == "rect" && e.attrs["class"] == "cell":
			cells++
		case e.name == "svg":
			svgs++
		case e.name == "table":
			tables++
		}
	}
	if bars != 3 || cells != 1 || svgs != 3 || tables != 0 {
		t.Errorf("bars=%d cells=%d svgs=%d tables=%d, want 3 1 3 0", bars, cells, svgs, tables)
	}
	if err := WriteHTML(io.Discard, &Report{Sections: []Section{{Chart: &Chart{Kind: "pie", Labels: []string{"a"}, Series: []string{"b"}}}}}); err == nil {
		t.Error("unknown chart kind accepted")
	}
	// No title: the first level is h1 and the page still has a <title>.
	out := writeHTMLString(t, &Report{Sections: []Section{{Heading: "Only", Level: 1}}})
	if !strings.Contains(out, "<h1>Only</h1>") || !strings.Contains(out, "<title>qcode report</title>") {
		t.Errorf("untitled report:\n%s", out)
	}
}

func TestHTMLNumberFormat(t *testing.T) {
	for v, want := range map[float64]string{0: "0", math.Copysign(0, -1): "0", 12: "12", -3: "-3", 0.5: "0.5", 0.333333: "0.33", 12.345: "12.3", 99.95: "100", 1e20: "100000000000000000000", -0.001: "0"} {
		if got := htmlNum(v); got != want {
			t.Errorf("htmlNum(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestHTMLGolden pins the output, so that changes to it are seen in review
// (and the file can be opened in a browser). go test -run HTMLGolden -update-html
// rewrites it.
func TestHTMLGolden(t *testing.T) {
	out := writeHTMLString(t, htmlSampleReport())
	if again := writeHTMLString(t, htmlSampleReport()); again != out {
		t.Fatal("two writes of the same report differ")
	}
	path := filepath.Join("testdata", "report.html")
	if *htmlUpdateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != out {
		t.Errorf("output differs from %s; run go test -run HTMLGolden -update-html and review the diff", path)
	}
}
