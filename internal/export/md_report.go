package export

import (
	"bytes"
	"io"
	"strings"
)

// WriteMarkdownReport writes r as Markdown: headings, paragraphs, tables
// (pipe tables) and quotes as block quotes with their attribution. Charts
// are left out: their numbers are in the section's table.
func WriteMarkdownReport(w io.Writer, r *Report) error {
	b := newChunkWriter(w)
	if r.Title != "" {
		b.str("# ", r.Title, "\n\n")
	}
	if r.Subtitle != "" {
		b.str(r.Subtitle, "\n\n")
	}
	for i := range r.Sections {
		s := &r.Sections[i]
		if s.Heading != "" {
			b.str(strings.Repeat("#", min(max(s.Level, 1)+1, 6)), " ", s.Heading, "\n\n")
		}
		for _, p := range s.Paragraphs {
			b.str(p, "\n\n")
		}
		if s.Table != nil && len(s.Table.Columns) > 0 {
			var t bytes.Buffer
			if err := writeMarkdown(&t, s.Table); err != nil {
				return err
			}
			b.buf = append(append(b.buf, t.Bytes()...), '\n')
		}
		for i := range s.quoteCount() {
			q := s.quote(i)
			text := strings.TrimSpace(q.Text)
			for {
				line, rest, more := strings.Cut(text, "\n")
				b.str("> ", line, "\n")
				if !more {
					break
				}
				text = rest
			}
			b.str(">\n> — ")
			b.buf = appendAttribution(b.buf, &q, appendString)
			b.str("\n")
			if q.Memo != "" {
				b.str(">\n> *Memo: ", q.Memo, "*\n")
			}
			b.str("\n")
			b.flushed()
		}
		b.flushed()
	}
	return b.close()
}

// Attribution is the line under a quote: "Speaker (role, site), document,
// where [coded by coder]". Every report format uses it, so quotes read the
// same in Markdown, HTML and Word.
func Attribution(q Quote) string {
	return string(appendAttribution(nil, &q, appendString))
}

// appendAttribution appends q's Attribution to b, passing the quote's own
// text through text (to escape it) and appending the punctuation as is.
func appendAttribution(b []byte, q *Quote, text func([]byte, string) []byte) []byte {
	if q.Speaker == "" {
		b = append(b, "unknown speaker"...)
	} else {
		b = text(b, q.Speaker)
	}
	if q.Role != "" || q.Site != "" {
		b = append(b, " ("...)
		if q.Role != "" {
			b = text(b, q.Role)
			if q.Site != "" {
				b = append(b, ", "...)
			}
		}
		if q.Site != "" {
			b = text(b, q.Site)
		}
		b = append(b, ')')
	}
	for _, s := range [...]string{q.Document, q.Where} {
		if s != "" {
			b = append(b, ", "...)
			b = text(b, s)
		}
	}
	if q.Coder != "" {
		b = append(b, " [coded by "...)
		b = text(b, q.Coder)
		b = append(b, ']')
	}
	return b
}

func appendString(b []byte, s string) []byte { return append(b, s...) }
