package export

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Inline SVG charts for WriteHTML. Inline SVG in HTML needs no xmlns, so
// the markup contains no URL at all. Sizes come from the data: label
// columns fit the longest label (truncated with "…", the full text in a
// <title>), heights grow with the number of rows.

// htmlPalette is Okabe & Ito's colour-blind-safe palette, reordered so
// that the first colours contrast well on white; bars charts with more
// series than colours reuse them.
var htmlPalette = []string{"#0072b2", "#e69f00", "#009e73", "#d55e00", "#56b4e9", "#cc79a7", "#f0e442", "#000000"}

// htmlBlues is ColorBrewer's sequential "Blues" (9 classes), light to dark:
// single-hue, so readable with any colour-vision deficiency.
var htmlBlues = [][3]float64{
	{0xf7, 0xfb, 0xff}, {0xde, 0xeb, 0xf7}, {0xc6, 0xdb, 0xef}, {0x9e, 0xca, 0xe1}, {0x6b, 0xae, 0xd6},
	{0x42, 0x92, 0xc6}, {0x21, 0x71, 0xb5}, {0x08, 0x51, 0x9c}, {0x08, 0x30, 0x6b},
}

const (
	svgFont      = 12.0 // px, set by the CSS for figure.chart svg
	svgCharW     = 7.0  // average advance of a character at svgFont, generous
	svgPad       = 8.0
	svgLabelMax  = 32 // characters of a row label before truncation
	svgLegendMax = 24 // characters of a legend or column label
)

// svgTextW estimates the rendered width of s in px.
func svgTextW(s string) float64 {
	var w float64
	for _, r := range s {
		w += xlsxRuneWidth(r)
	}
	return w * svgCharW
}

// svgTrunc shortens s to at most n characters (with "…"); full reports
// whether s was kept whole.
func svgTrunc(s string, n int) (short string, full bool) {
	s = strings.Join(strings.Fields(htmlClean(s)), " ")
	rs := []rune(s)
	if len(rs) <= n {
		return s, true
	}
	return strings.TrimSpace(string(rs[:n-1])) + "…", false
}

// svgLabel writes a <text> element holding label s, truncated to n
// characters, with the full text in a <title> when truncated. attrs are the
// element's attributes.
func svgLabel(b *strings.Builder, s string, n int, attrs string) float64 {
	short, full := svgTrunc(s, n)
	b.WriteString("<text " + attrs + ">")
	if !full {
		b.WriteString("<title>" + htmlEsc(s) + "</title>")
	}
	b.WriteString(htmlEsc(short) + "</text>\n")
	return svgTextW(short)
}

// svgPx formats a coordinate with at most one decimal.
func svgPx(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

// htmlNum formats a chart value: integers as such, others with one or two
// decimals (two below 10), without trailing zeros.
func htmlNum(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v+0, 'f', 0, 64) // +0 turns -0 into 0
	}
	prec := 1
	if math.Abs(v) < 10 {
		prec = 2
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// htmlWithUnit appends the chart's unit: "12 participants", "40%".
func htmlWithUnit(v float64, unit string) string {
	s := htmlNum(v)
	switch {
	case unit == "":
		return s
	case strings.HasPrefix(unit, "%"):
		return s + unit
	}
	return s + " " + unit
}

// htmlChartValue returns Values[i][j] and whether it exists and is finite.
func htmlChartValue(c *Chart, i, j int) (float64, bool) {
	if i >= len(c.Values) || j >= len(c.Values[i]) {
		return 0, false
	}
	v := c.Values[i][j]
	return v, !math.IsNaN(v) && !math.IsInf(v, 0)
}

// svgOpen starts the <svg> element with its accessible name and
// description.
func svgOpen(b *strings.Builder, id string, w, h float64, name, desc string) {
	fmt.Fprintf(b, `<svg role="img" aria-labelledby="%s-title %s-desc" width="%s" height="%s" viewBox="0 0 %s %s">`+"\n",
		id, id, svgPx(w), svgPx(h), svgPx(w), svgPx(h))
	b.WriteString(`<title id="` + id + `-title">` + htmlEsc(name) + "</title>\n")
	b.WriteString(`<desc id="` + id + `-desc">` + htmlEsc(desc) + "</desc>\n")
}

// svgBars draws horizontal grouped bars: one group per label, one bar per
// series, a legend when there is more than one series (or a named one),
// value labels at the bar ends and a <title> on each bar. Every present,
// finite value gets exactly one <rect class="bar">, zero-width for 0.
// Negative values extend left of a zero line.
func svgBars(c *Chart, id string) string {
	const (
		barH     = 16.0
		barGap   = 3.0
		groupGap = 12.0
		plotW    = 360.0
	)
	nl, ns := len(c.Labels), len(c.Series)

	lo, hi, valueW := 0.0, 0.0, 0.0
	for i := range nl {
		for j := range ns {
			if v, ok := htmlChartValue(c, i, j); ok {
				lo, hi = min(lo, v), max(hi, v)
				valueW = max(valueW, svgTextW(htmlNum(v)))
			}
		}
	}
	if hi == lo {
		hi = lo + 1
	}
	valueW += 6

	labelW := 0.0
	for _, l := range c.Labels {
		short, _ := svgTrunc(l, svgLabelMax)
		labelW = max(labelW, svgTextW(short))
	}
	labelW += 10

	plotX := svgPad + labelW
	if lo < 0 {
		plotX += valueW
	}
	width := plotX + plotW + valueW + svgPad
	x := func(v float64) float64 { return plotX + (v-lo)/(hi-lo)*plotW }

	var b strings.Builder
	// Legend: swatch + name per series, wrapping to fit the width.
	legend := ns > 1 || strings.TrimSpace(c.Series[0]) != ""
	type item struct {
		x, y float64
	}
	var items []item
	top := svgPad
	if legend {
		lx, ly := svgPad, svgPad
		for _, s := range c.Series {
			short, _ := svgTrunc(s, svgLegendMax)
			w := 14 + 5 + svgTextW(short) + 16
			if lx > svgPad && lx+w > width-svgPad {
				lx, ly = svgPad, ly+20
			}
			items = append(items, item{lx, ly})
			lx += w
		}
		top = ly + 20 + 8
	}
	groupH := float64(ns)*barH + float64(ns-1)*barGap
	height := top + float64(nl)*groupH + float64(nl-1)*groupGap + svgPad

	name := c.Title
	if name == "" {
		name = "Bar chart"
	}
	desc := fmt.Sprintf("Horizontal bar chart: %d %s", nl, htmlPlural(nl, "group", "groups"))
	if ns > 1 {
		desc += fmt.Sprintf(" of %d bars (%s)", ns, strings.Join(c.Series, ", "))
	}
	if c.Unit != "" {
		desc += "; values in " + c.Unit
	}
	svgOpen(&b, id, width, height, name, desc+".")

	if legend {
		b.WriteString(`<g class="legend">` + "\n")
		for j, s := range c.Series {
			it := items[j]
			fmt.Fprintf(&b, `<rect class="swatch" x="%s" y="%s" width="14" height="14" fill="%s" />`+"\n",
				svgPx(it.x), svgPx(it.y), htmlPalette[j%len(htmlPalette)])
			svgLabel(&b, s, svgLegendMax, fmt.Sprintf(`x="%s" y="%s" dy="0.35em"`, svgPx(it.x+19), svgPx(it.y+7)))
		}
		b.WriteString("</g>\n")
	}

	for i, l := range c.Labels {
		y0 := top + float64(i)*(groupH+groupGap)
		b.WriteString(`<g class="group">` + "\n")
		svgLabel(&b, l, svgLabelMax, fmt.Sprintf(`x="%s" y="%s" dy="0.35em" text-anchor="end"`, svgPx(svgPad+labelW-6), svgPx(y0+groupH/2)))
		for j, s := range c.Series {
			v, ok := htmlChartValue(c, i, j)
			if !ok {
				continue
			}
			y := y0 + float64(j)*(barH+barGap)
			x0, x1 := min(x(0), x(v)), max(x(0), x(v))
			tip := strings.Join(strings.Fields(htmlClean(l)), " ")
			if ns > 1 || strings.TrimSpace(s) != "" {
				tip += " — " + strings.Join(strings.Fields(htmlClean(s)), " ")
			}
			tip += ": " + htmlWithUnit(v, c.Unit)
			b.WriteString("<g><title>" + htmlEsc(tip) + "</title>")
			fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s" />`,
				svgPx(x0), svgPx(y), svgPx(x1-x0), svgPx(barH), htmlPalette[j%len(htmlPalette)])
			if v < 0 {
				fmt.Fprintf(&b, `<text x="%s" y="%s" dy="0.35em" text-anchor="end">%s</text>`, svgPx(x0-4), svgPx(y+barH/2), htmlNum(v))
			} else {
				fmt.Fprintf(&b, `<text x="%s" y="%s" dy="0.35em">%s</text>`, svgPx(x1+4), svgPx(y+barH/2), htmlNum(v))
			}
			b.WriteString("</g>\n")
		}
		b.WriteString("</g>\n")
	}
	fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555" stroke-width="1" />`+"\n",
		svgPx(x(0)), svgPx(top-3), svgPx(x(0)), svgPx(height-svgPad+3))
	b.WriteString("</svg>\n")
	return b.String()
}

// svgHeatmap draws a grid with one row per label and one column per
// series; each present, finite value is one <rect class="cell"> shaded from
// the lightest blue (0 or less) to the darkest (the maximum), with the value
// printed in it, and a <title>. A five-step legend follows the grid.
func svgHeatmap(c *Chart, id string) string {
	const cellH = 26.0
	nl, ns := len(c.Labels), len(c.Series)

	hi, valueW := 0.0, 0.0
	for i := range nl {
		for j := range ns {
			if v, ok := htmlChartValue(c, i, j); ok {
				hi = max(hi, v)
				valueW = max(valueW, svgTextW(htmlNum(v)))
			}
		}
	}
	cellW := max(40, valueW+12)

	labelW := 0.0
	for _, l := range c.Labels {
		short, _ := svgTrunc(l, svgLabelMax)
		labelW = max(labelW, svgTextW(short))
	}
	labelW += 10

	colW := 0.0
	for _, s := range c.Series {
		short, _ := svgTrunc(s, svgLegendMax)
		colW = max(colW, svgTextW(short))
	}
	rotate := colW > cellW-6
	headerH, extraRight := 20.0, 0.0
	if rotate {
		headerH = colW*math.Sqrt2/2 + 14
		extraRight = max(0, colW*math.Sqrt2/2-cellW/2)
	}

	gridX, gridY := svgPad+labelW, svgPad+headerH
	gridW, gridH := float64(ns)*cellW, float64(nl)*cellH
	legendY := gridY + gridH + 14
	legendSteps := 5
	legendW := float64(legendSteps) * 44
	width := max(gridX+gridW+extraRight, gridX+legendW) + svgPad
	height := legendY + 14 + 16 + svgPad

	var b strings.Builder
	name := c.Title
	if name == "" {
		name = "Heatmap"
	}
	desc := fmt.Sprintf("Heatmap: %d %s by %d %s, darker is higher", nl, htmlPlural(nl, "row", "rows"), ns, htmlPlural(ns, "column", "columns"))
	if c.Unit != "" {
		desc += "; values in " + c.Unit
	}
	svgOpen(&b, id, width, height, name, desc+".")

	b.WriteString(`<g class="columns">` + "\n")
	for j, s := range c.Series {
		cx := gridX + (float64(j)+0.5)*cellW
		if rotate {
			svgLabel(&b, s, svgLegendMax, fmt.Sprintf(`transform="translate(%s %s) rotate(-45)"`, svgPx(cx), svgPx(gridY-6)))
		} else {
			svgLabel(&b, s, svgLegendMax, fmt.Sprintf(`x="%s" y="%s" text-anchor="middle"`, svgPx(cx), svgPx(gridY-6)))
		}
	}
	b.WriteString("</g>\n")

	for i, l := range c.Labels {
		y := gridY + float64(i)*cellH
		b.WriteString(`<g class="row">` + "\n")
		svgLabel(&b, l, svgLabelMax, fmt.Sprintf(`x="%s" y="%s" dy="0.35em" text-anchor="end"`, svgPx(gridX-8), svgPx(y+cellH/2)))
		for j, s := range c.Series {
			v, ok := htmlChartValue(c, i, j)
			if !ok {
				continue
			}
			x := gridX + float64(j)*cellW
			fill, dark := htmlHeatColour(v, hi)
			tip := strings.Join(strings.Fields(htmlClean(l)), " ") + " × " +
				strings.Join(strings.Fields(htmlClean(s)), " ") + ": " + htmlWithUnit(v, c.Unit)
			b.WriteString("<g><title>" + htmlEsc(tip) + "</title>")
			fmt.Fprintf(&b, `<rect class="cell" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff" stroke-width="1" />`,
				svgPx(x), svgPx(y), svgPx(cellW), svgPx(cellH), fill)
			class := ""
			if dark {
				class = ` class="on-dark"`
			}
			fmt.Fprintf(&b, `<text%s x="%s" y="%s" dy="0.35em" text-anchor="middle">%s</text>`,
				class, svgPx(x+cellW/2), svgPx(y+cellH/2), htmlNum(v))
			b.WriteString("</g>\n")
		}
		b.WriteString("</g>\n")
	}

	// Outline, so that the lightest cells stand out from the page.
	fmt.Fprintf(&b, `<rect class="grid" x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#bbb" stroke-width="1" />`+"\n",
		svgPx(gridX), svgPx(gridY), svgPx(gridW), svgPx(gridH))

	// Legend: five swatches from 0 to the maximum.
	b.WriteString(`<g class="legend">` + "\n")
	for k := range legendSteps {
		v := hi * float64(k) / float64(legendSteps-1)
		fill, _ := htmlHeatColour(v, hi)
		lx := gridX + float64(k)*44
		fmt.Fprintf(&b, `<rect class="swatch" x="%s" y="%s" width="40" height="12" fill="%s" stroke="#999" stroke-width="0.5" />`,
			svgPx(lx), svgPx(legendY), fill)
		fmt.Fprintf(&b, `<text x="%s" y="%s" dy="0.8em" text-anchor="middle">%s</text>`+"\n",
			svgPx(lx+20), svgPx(legendY+14), htmlEsc(htmlWithUnit(v, c.Unit)))
	}
	b.WriteString("</g>\n</svg>\n")
	return b.String()
}

// htmlHeatColour maps v in [0, hi] onto htmlBlues (values at or below 0, or any
// value when hi <= 0, get the lightest) and reports whether the colour is
// dark enough to need white text.
func htmlHeatColour(v, hi float64) (string, bool) {
	t := 0.0
	if hi > 0 && v > 0 {
		t = min(v/hi, 1)
	}
	pos := t * float64(len(htmlBlues)-1)
	k := min(int(pos), len(htmlBlues)-2)
	f := pos - float64(k)
	var rgb [3]float64
	for i := range rgb {
		rgb[i] = htmlBlues[k][i] + (htmlBlues[k+1][i]-htmlBlues[k][i])*f
	}
	// Relative luminance (WCAG); white text on anything darker than mid.
	lin := func(c float64) float64 {
		c /= 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	lum := 0.2126*lin(rgb[0]) + 0.7152*lin(rgb[1]) + 0.0722*lin(rgb[2])
	return fmt.Sprintf("#%02x%02x%02x", int(math.Round(rgb[0])), int(math.Round(rgb[1])), int(math.Round(rgb[2]))), lum < 0.18
}

func htmlPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
