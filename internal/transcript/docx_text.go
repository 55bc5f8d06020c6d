package transcript

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// maxXMLDepth caps element nesting in document.xml. Real documents nest a
// few dozen levels (tables in text boxes in tables); a deeper file is
// malicious or broken, and the stacks below must not grow without bound.
const maxXMLDepth = 256

const (
	nsWord       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWordStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main" // ISO 29500 Strict
	nsMarkupComp = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// docxText extracts the text of a WordprocessingML main document part as a
// reader would see it with tracked changes accepted:
//
//   - paragraphs (w:p) end with "\n"; w:br and w:cr are line breaks, w:tab
//     a tab, w:noBreakHyphen a '-';
//   - text in hyperlinks, fields' results, content controls (w:sdt) and
//     tracked insertions (w:ins, w:moveTo) is text; tracked deletions
//     (w:del, w:moveFrom), field codes (w:instrText) and the prompt of an
//     empty content control are not;
//   - a table row is one line, its cells separated by a tab (an empty cell
//     still gets its tab, so columns line up), the paragraphs and line
//     breaks inside one cell joined by a space. A transcript kept as a
//     table ("Interviewer: | question") thus keeps one turn per line and
//     its labels are found like those of plain text;
//   - a text box's paragraphs are lines of their own; of the alternatives
//     in mc:AlternateContent (a DrawingML text box and its VML fallback)
//     only the first is read, so the text is not doubled.
//
// It reads the XML as a stream, so memory stays proportional to the text.
func docxText(r io.Reader) (string, error) {
	d := xml.NewDecoder(r)
	var w docxWalker
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			w.depth++
			if w.depth > maxXMLDepth {
				line, _ := d.InputPos()
				return "", fmt.Errorf("elements are nested more than %d deep (line %d)", maxXMLDepth, line)
			}
			w.start(t.Name)
		case xml.EndElement:
			w.end(t.Name)
			w.depth--
		case xml.CharData:
			if w.inText && w.skipFrom == 0 {
				w.write(string(t))
			}
		}
	}
	return strings.TrimRight(w.out.String(), "\n"), nil
}

// docxWalker is the state of docxText between tokens. The stacks hold one
// entry per open element of their kind.
type docxWalker struct {
	out      strings.Builder
	last     byte // last byte written
	pending  byte // separator owed before more text: ' ' between paragraphs of a cell
	depth    int
	skipFrom int // depth of the element whose content is not text; 0: none
	runs     int // open w:r
	pPr      int // open w:pPr
	inText   bool
	paras    []bool // w:p: its paragraph mark is a tracked deletion (it joins the next)
	rows     []int  // w:tr: cells seen so far
	cells    []int  // w:tc: output length when the cell began
	alts     []bool // mc:AlternateContent: a branch has been read
	sdts     []bool // w:sdt: it shows placeholder text, not content
}

func (w *docxWalker) start(n xml.Name) {
	if w.skipFrom != 0 {
		return
	}
	switch markupCompName(n) {
	case "AlternateContent":
		w.alts = append(w.alts, false)
	case "Choice", "Fallback":
		if k := len(w.alts) - 1; k >= 0 {
			if w.alts[k] {
				w.skipFrom = w.depth
			}
			w.alts[k] = true
		}
	}
	switch wordName(n) {
	case "del", "moveFrom":
		if k := len(w.paras) - 1; w.pPr > 0 && k >= 0 {
			w.paras[k] = true // in w:pPr/w:rPr: the paragraph mark was deleted
		}
		w.skipFrom = w.depth
	case "delText", "instrText", "delInstrText", "rt": // rt: ruby (phonetic guide) text
		w.skipFrom = w.depth
	case "sdt":
		w.sdts = append(w.sdts, false)
	case "showingPlcHdr":
		if k := len(w.sdts) - 1; k >= 0 {
			w.sdts[k] = true
		}
	case "sdtContent":
		if k := len(w.sdts) - 1; k >= 0 && w.sdts[k] {
			w.skipFrom = w.depth
		}
	case "p":
		w.paras = append(w.paras, false)
	case "pPr":
		w.pPr++
	case "r":
		w.runs++
	case "t":
		w.inText = true
	case "tab", "ptab": // a w:tab in w:pPr is a tab stop, not a character
		if w.runs > 0 && w.pPr == 0 {
			w.write("\t")
		}
	case "br", "cr":
		if w.runs > 0 && w.pPr == 0 {
			w.newline()
		}
	case "noBreakHyphen":
		if w.runs > 0 {
			w.write("-")
		}
	case "tr":
		w.rows = append(w.rows, 0)
	case "tc":
		if k := len(w.rows) - 1; k >= 0 {
			if w.rows[k] > 0 {
				w.pending = 0
				w.out.WriteByte('\t')
				w.last = '\t'
			}
			w.rows[k]++
		}
		w.cells = append(w.cells, w.out.Len())
	case "txbxContent":
		if w.out.Len() > 0 && w.last != '\n' {
			w.newline()
		}
	}
}

func (w *docxWalker) end(n xml.Name) {
	if w.skipFrom != 0 {
		if w.skipFrom == w.depth {
			w.skipFrom = 0
		}
		return
	}
	if markupCompName(n) == "AlternateContent" && len(w.alts) > 0 {
		w.alts = w.alts[:len(w.alts)-1]
	}
	switch wordName(n) {
	case "sdt":
		w.sdts = popStack(w.sdts)
	case "p":
		if k := len(w.paras) - 1; k >= 0 {
			joined := w.paras[k]
			w.paras = w.paras[:k]
			if joined {
				return
			}
		}
		w.newline()
	case "pPr":
		w.pPr--
	case "r":
		w.runs--
	case "t":
		w.inText = false
	case "tc":
		w.cells = popStack(w.cells)
		w.pending = 0
	case "tr":
		w.rows = popStack(w.rows)
		w.newline()
	}
}

// write appends text, preceded by any separator owed.
func (w *docxWalker) write(s string) {
	if s == "" {
		return
	}
	if w.pending != 0 {
		w.out.WriteByte(w.pending)
		w.pending = 0
	}
	w.out.WriteString(s)
	w.last = s[len(s)-1]
}

// newline ends a line; inside a table cell it owes a space instead, so the
// row stays one line, and only if the cell has text so far.
func (w *docxWalker) newline() {
	if k := len(w.cells) - 1; k >= 0 {
		if w.out.Len() > w.cells[k] {
			w.pending = ' '
		}
		return
	}
	w.pending = 0
	w.out.WriteByte('\n')
	w.last = '\n'
}

func popStack[T any](s []T) []T {
	if len(s) == 0 {
		return s
	}
	return s[:len(s)-1]
}

// wordName is the local name of a WordprocessingML element, "" for any
// other namespace (DrawingML, VML, math). An undeclared "w" prefix is
// accepted: hand-made files forget the declaration.
func wordName(n xml.Name) string {
	switch n.Space {
	case nsWord, nsWordStrict, "w":
		return n.Local
	}
	return ""
}

func markupCompName(n xml.Name) string {
	if n.Space == nsMarkupComp || n.Space == "mc" {
		return n.Local
	}
	return ""
}
