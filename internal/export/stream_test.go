package export

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// Quote reports of large projects are written as they are made: quotes
// come one at a time from a QuoteList and output goes out in chunks. These
// tests check that neither changes a byte.

// sliceQuotes is a QuoteList over a slice, counting the quotes it makes.
type sliceQuotes struct {
	qs   []Quote
	made *int
}

func (s sliceQuotes) Len() int { return len(s.qs) }
func (s sliceQuotes) Quote(i int) Quote {
	*s.made++
	return s.qs[i]
}

// withQuoteLists returns a copy of r whose sections supply their quotes
// through a QuoteList instead of Quotes.
func withQuoteLists(r *Report, made *int) *Report {
	out := *r
	out.Sections = make([]Section, len(r.Sections))
	for i, s := range r.Sections {
		if len(s.Quotes) > 0 {
			s.QuoteList = sliceQuotes{s.Quotes, made}
			s.Quotes = nil
		}
		out.Sections[i] = s
	}
	return &out
}

func TestQuoteListWritesLikeQuotes(t *testing.T) {
	writers := map[string]func(*bytes.Buffer, *Report) error{
		"html":     func(b *bytes.Buffer, r *Report) error { return WriteHTML(b, r) },
		"markdown": func(b *bytes.Buffer, r *Report) error { return WriteMarkdownReport(b, r) },
		"docx":     func(b *bytes.Buffer, r *Report) error { return WriteDOCX(b, r) },
	}
	for name, write := range writers {
		for _, r := range []*Report{htmlSampleReport(), docxSampleReport()} {
			var want, got bytes.Buffer
			if err := write(&want, r); err != nil {
				t.Fatal(err)
			}
			made := 0
			if err := write(&got, withQuoteLists(r, &made)); err != nil {
				t.Fatal(err)
			}
			if made == 0 {
				t.Fatalf("%s: no quote taken from the QuoteList", name)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s: quotes from a QuoteList are written differently from Quotes", name)
			}
		}
	}
}

func TestChunkedOutputIsTheSame(t *testing.T) {
	for _, r := range []*Report{htmlSampleReport(), docxSampleReport()} {
		// One write per piece versus one write in all.
		var whole, bits bytes.Buffer
		h := &htmlWriter{chunkWriter: &chunkWriter{w: &whole, limit: 1 << 30}}
		h.report(r)
		h2 := &htmlWriter{chunkWriter: &chunkWriter{w: &bits, limit: 1}}
		h2.report(r)
		if err := h.close(); err != nil {
			t.Fatal(err)
		}
		if err := h2.close(); err != nil {
			t.Fatal(err)
		}
		if whole.Len() == 0 || !bytes.Equal(whole.Bytes(), bits.Bytes()) {
			t.Error("HTML written in small chunks differs")
		}

		// The DOCX sample switches to landscape and back: a section break
		// takes back the empty paragraph after a table, which must not
		// have been written out yet.
		whole.Reset()
		bits.Reset()
		if err := docxDocument(&whole, r, 1<<30); err != nil {
			t.Fatal(err)
		}
		if err := docxDocument(&bits, r, 1); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(whole.Bytes(), bits.Bytes()) {
			t.Errorf("document.xml written in small chunks differs:\n%s\n%s", whole.String(), bits.String())
		}
		if strings.Contains(whole.String(), `<w:p/><w:p><w:pPr><w:sectPr>`) {
			t.Error("an empty paragraph is left before a section break")
		}
	}
}

func TestAttribution(t *testing.T) {
	for _, tc := range []struct {
		q    Quote
		want string
	}{
		{Quote{}, "unknown speaker"},
		{Quote{Speaker: "P1", Role: "nurse", Site: "Leeds", Document: "int-1", Where: "turn 3, 0:01:02", Coder: "ab, cd"}, "P1 (nurse, Leeds), int-1, turn 3, 0:01:02 [coded by ab, cd]"},
		{Quote{Speaker: "P1", Site: "Leeds", Where: "turn 3"}, "P1 (Leeds), turn 3"},
		{Quote{Role: "staff", Document: "d"}, "unknown speaker (staff), d"},
		{Quote{Speaker: "<P&>", Coder: `"x'`}, `<P&> [coded by "x']`},
	} {
		if got := Attribution(tc.q); got != tc.want {
			t.Errorf("Attribution(%+v) = %q, want %q", tc.q, got, tc.want)
		}
		if got, want := string(appendAttribution(nil, &tc.q, appendHTMLText)), htmlEsc(tc.want); got != want {
			t.Errorf("HTML attribution %q, want %q", got, want)
		}
	}
}

var textSeeds = []string{
	"", "plain text", "café ÆØÅ", `<script>alert("x")</script> & 'q'`,
	"tab\tand\nnewline", "cr\r\nlf\rcr", "\x00nul\x08bs\x1besc\x7fdel",
	"c1 \u0085 \u009f", "\ufffe\uffff", "\ufffd replacement", "bad \xff\xfe utf-8 \xe2\x80",
	"line\u2028sep\u2029para", "]]> end", "a\r", "\r\n\r\n",
}

// FuzzHTMLText checks the fast escaper against the plain definition.
func FuzzHTMLText(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendHTMLText([]byte("x"), s)), "x"+htmlEsc(s); got != want {
			t.Errorf("appendHTMLText(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzDOCXRun checks docxRun against the plain definition: one rune at a
// time, text between breaks and tabs in <w:t>, empty ones left out.
func FuzzDOCXRun(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got bytes.Buffer
		docxRun(&got, "<w:i/>", s)
		if want := docxRunPlain("<w:i/>", s); got.String() != want {
			t.Errorf("docxRun(%q) = %q, want %q", s, got.String(), want)
		}
	})
}

// FuzzDOCXRunParts: a run given in parts is the run of the parts joined
// (when the first does not end inside a UTF-8 sequence).
func FuzzDOCXRunParts(f *testing.F) {
	for i, s := range textSeeds {
		f.Add(s, textSeeds[(i+1)%len(textSeeds)])
	}
	f.Fuzz(func(t *testing.T, a, c string) {
		if !utf8.ValidString(a) {
			return
		}
		var parts, joined bytes.Buffer
		docxRun(&parts, "", a, "", c)
		docxRun(&joined, "", a+c)
		if parts.String() != joined.String() {
			t.Errorf("docxRun(%q, %q) = %q, joined %q", a, c, parts.String(), joined.String())
		}
	})
}

func TestDOCXAttribution(t *testing.T) {
	plain := func(q Quote) string { // "Speaker (role, site), document, where", empty parts left out
		join := func(parts ...string) string {
			var keep []string
			for _, p := range parts {
				if p = strings.TrimSpace(p); p != "" {
					keep = append(keep, p)
				}
			}
			return strings.Join(keep, ", ")
		}
		who := strings.TrimSpace(q.Speaker)
		if ctx := join(q.Role, q.Site); ctx != "" {
			if who != "" {
				who += " (" + ctx + ")"
			} else {
				who = ctx
			}
		}
		return join(who, q.Document, q.Where)
	}
	for _, q := range []Quote{
		{}, {Speaker: " "}, {Speaker: "P1"}, {Role: "nurse"}, {Site: " Leeds "}, {Role: "nurse", Site: "Leeds"},
		{Speaker: "P1", Role: "nurse"}, {Speaker: "P1", Site: "Leeds", Where: "turn 2"}, {Document: "int-1"},
		{Speaker: "P1", Role: "nurse", Site: "Leeds", Document: "int-1", Where: "turn 2, 0:01:00", Coder: "ab"},
		{Role: " ", Site: "S", Document: " ", Where: "w"},
	} {
		if got, want := strings.Join(docxAttribution(nil, &q), ""), plain(q); got != want {
			t.Errorf("docxAttribution(%+v) = %q, want %q", q, got, want)
		}
	}
}

func docxRunPlain(rpr, text string) string {
	if text == "" {
		return ""
	}
	b := `<w:r><w:rPr>` + rpr + `</w:rPr>`
	t := ""
	flush := func() {
		if t != "" {
			b += `<w:t xml:space="preserve">` + t + `</w:t>`
			t = ""
		}
	}
	prevCR := false
	for _, r := range text {
		cr := prevCR
		prevCR = r == '\r'
		switch r {
		case '\n':
			if cr {
				continue
			}
			flush()
			b += `<w:br/>`
		case '\r', '\u2028', '\u2029':
			flush()
			b += `<w:br/>`
		case '\t':
			flush()
			b += `<w:tab/>`
		case '&':
			t += "&amp;"
		case '<':
			t += "&lt;"
		case '>':
			t += "&gt;"
		case '"':
			t += "&quot;"
		case '\'':
			t += "&apos;"
		default:
			if docxValidChar(r) {
				t += string(r)
			}
		}
	}
	flush()
	return b + `</w:r>`
}

func TestDOCXRunKeepsText(t *testing.T) {
	// Invalid UTF-8 becomes U+FFFD; characters XML forbids are dropped.
	var b bytes.Buffer
	docxRun(&b, "", "a\xffb\x01c\ufffed")
	if want := "<w:r><w:t xml:space=\"preserve\">a\ufffdbcd</w:t></w:r>"; b.String() != want || !utf8.Valid(b.Bytes()) {
		t.Errorf("docxRun = %q, want %q", b.String(), want)
	}
}
