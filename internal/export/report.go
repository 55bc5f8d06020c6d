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
// and quotes (Quotes, or QuoteList when set). Any of them may be empty.
type Section struct {
	Heading    string
	Level      int // 1 = top-level section, 2 = sub-section, ...
	Paragraphs []string
	Chart      *Chart
	Table      *Table
	Quotes     []Quote
	// QuoteList, when not nil, supplies the quotes in place of Quotes, one
	// at a time: a quote report of a large project holds a million quotes,
	// which the writers then never hold all at once.
	QuoteList QuoteList
	SheetName string // XLSX sheet for Table (default: from Heading); at most 31 characters
}

// QuoteList is a section's quotes, made on demand.
type QuoteList interface {
	Len() int
	Quote(i int) Quote // 0 <= i < Len()
}

// quoteCount and quote read a section's quotes from QuoteList or Quotes.
func (s *Section) quoteCount() int {
	if s.QuoteList != nil {
		return s.QuoteList.Len()
	}
	return len(s.Quotes)
}

func (s *Section) quote(i int) Quote {
	if s.QuoteList != nil {
		return s.QuoteList.Quote(i)
	}
	return s.Quotes[i]
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
