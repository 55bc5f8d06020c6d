package export

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdownReport writes r as Markdown: headings, paragraphs, tables
// (pipe tables) and quotes as block quotes with their attribution. Charts
// are left out: their numbers are in the section's table.
func WriteMarkdownReport(w io.Writer, r *Report) error {
	var b strings.Builder
	if r.Title != "" {
		b.WriteString("# " + r.Title + "\n\n")
	}
	if r.Subtitle != "" {
		b.WriteString(r.Subtitle + "\n\n")
	}
	for _, s := range r.Sections {
		if s.Heading != "" {
			b.WriteString(strings.Repeat("#", min(max(s.Level, 1)+1, 6)) + " " + s.Heading + "\n\n")
		}
		for _, p := range s.Paragraphs {
			b.WriteString(p + "\n\n")
		}
		if s.Table != nil && len(s.Table.Columns) > 0 {
			if err := writeMarkdown(&b, s.Table); err != nil {
				return err
			}
			b.WriteString("\n")
		}
		for _, q := range s.Quotes {
			for _, line := range strings.Split(strings.TrimSpace(q.Text), "\n") {
				b.WriteString("> " + line + "\n")
			}
			b.WriteString(">\n> — " + Attribution(q) + "\n")
			if q.Memo != "" {
				b.WriteString(">\n> *Memo: " + q.Memo + "*\n")
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Attribution is the line under a quote: "Speaker (role, site), document,
// where [coder]". Every report format uses it, so quotes read the same in
// Markdown, HTML and Word.
func Attribution(q Quote) string {
	who := q.Speaker
	if who == "" {
		who = "unknown speaker"
	}
	var ctx []string
	for _, s := range []string{q.Role, q.Site} {
		if s != "" {
			ctx = append(ctx, s)
		}
	}
	if len(ctx) > 0 {
		who += " (" + strings.Join(ctx, ", ") + ")"
	}
	parts := []string{who}
	for _, s := range []string{q.Document, q.Where} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	out := strings.Join(parts, ", ")
	if q.Coder != "" {
		out += fmt.Sprintf(" [coded by %s]", q.Coder)
	}
	return out
}
