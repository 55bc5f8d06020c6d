package export

// Report is a document made of sections: what `qcode report` writes to
// XLSX, HTML, DOCX and Markdown. Tabular formats (csv, tsv, table, json)
// write a report's tables only.
type Report struct {
	Title    string
	Subtitle string // e.g. project, filters applied; no timestamps (output is deterministic)
	Sections []Section
}

// Section is a heading with, in this order, paragraphs, a chart, a table
// and quotes. Any of them may be empty.
type Section struct {
	Heading    string
	Level      int // 1 = top-level section, 2 = sub-section, ...
	Paragraphs []string
	Chart      *Chart
	Table      *Table
	Quotes     []Quote
	SheetName  string // XLSX sheet for Table (default: from Heading); at most 31 characters
}

// Chart describes an inline chart (SVG in HTML; omitted or rendered as a
// table elsewhere).
type Chart struct {
	Kind   string // "bars" (horizontal bars, grouped by series) or "heatmap"
	Title  string
	Labels []string    // row labels (bars: one group of bars per label; heatmap: rows)
	Series []string    // bars: one bar per series within each label; heatmap: columns
	Values [][]float64 // [len(Labels)][len(Series)]
	Unit   string      // e.g. "participants", "%"; shown in tooltips / legends
}

// Quote is one coded excerpt.
type Quote struct {
	Text     string
	Document string
	Speaker  string
	Role     string
	Site     string
	Where    string // position or media time, e.g. "turn 12, 0:14:03"
	Coder    string
	Memo     string
}
