package refi

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// scanTokens lists the tokens of the scanner as comparable lines.
func scanTokens(data []byte) ([]string, error) {
	s, err := newScanner(data)
	if err != nil {
		return nil, err
	}
	var out []string
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, "text "+text.String())
			text.Reset()
		}
	}
	for {
		if err := s.next(); err != nil {
			return nil, err
		}
		switch s.kind {
		case tokEOF:
			flush()
			return out, nil
		case tokStart:
			flush()
			line := fmt.Sprintf("start {%s}%s", s.space, s.local)
			for _, a := range s.attrs {
				line += fmt.Sprintf(" %s=%q", a.local, decode(a.value, false))
			}
			out = append(out, line)
		case tokEnd:
			flush()
			out = append(out, fmt.Sprintf("end {%s}%s", s.space, s.local))
		case tokText:
			text.WriteString(s.textString())
		}
	}
}

// xmlTokens lists the tokens encoding/xml gives, the same way.
func xmlTokens(data []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var out []string
	var text strings.Builder
	depth := 0
	flush := func() {
		if text.Len() > 0 {
			out = append(out, "text "+text.String())
			text.Reset()
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			flush()
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			flush()
			depth++
			line := fmt.Sprintf("start {%s}%s", t.Name.Space, t.Name.Local)
			for _, a := range t.Attr {
				line += fmt.Sprintf(" %s=%q", a.Name.Local, a.Value)
			}
			out = append(out, line)
		case xml.EndElement:
			flush()
			depth--
			out = append(out, fmt.Sprintf("end {%s}%s", t.Name.Space, t.Name.Local))
		case xml.CharData:
			if depth > 0 {
				text.Write(t)
			}
		}
	}
}

var scanSeeds = []string{
	`<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="a &amp; b"><Users><User guid="x" name='it&apos;s'/></Users></Project>`,
	"<a xmlns:q=\"urn:q\"><q:b q:c=\"1\">t&#xD;&#xA;u\r\nv<![CDATA[<x> & y]]></q:b><!-- c --><?pi x?></a>",
	"<a>\u00e9\U0001F600 &#128512; &lt;&gt;</a>",
	`<!DOCTYPE a><a b="1"  c = "2" />`,
}

func TestScannerAgreesWithEncodingXML(t *testing.T) {
	for _, s := range scanSeeds {
		got, err1 := scanTokens([]byte(s))
		want, err2 := xmlTokens([]byte(s))
		if err1 != nil || err2 != nil {
			t.Errorf("%q: scanner %v, encoding/xml %v", s, err1, err2)
			continue
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%q:\nscanner\n%s\nencoding/xml\n%s", s, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

func TestScannerRefuses(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"<a><b></a>", "line 1: not well-formed XML: element <b> closed by </a>"},
		{"<a>\n\n<b x=1/></a>", "line 3: not well-formed XML: unquoted value of attribute x in <b>"},
		{"<a>&bogus;</a>", "invalid character entity &bogus;"},
		{"<a>&#0;</a>", "illegal character code U+0000"},
		{"<a>\x01</a>", "illegal character code U+0001"},
		{"<a>\xff</a>", "invalid UTF-8"},
		{"<a></a><b/>", "a second root element"},
		{"<a>", "the file ends inside <a> of line 1"},
		{"text<a/>", "text outside the root element"},
		{`<a b="<"/>`, "unescaped < in the value of attribute b"},
		{"<!DOCTYPE a [<!ENTITY x 'y'>]><a/>", "DOCTYPE with entity declarations is not allowed"},
		{"<a><!-- open</a>", "unterminated comment"},
		{"", "no root element"},
	} {
		_, err := scanTokens([]byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.doc, err, tc.want)
		}
	}
}

// FuzzScanner checks the scanner against encoding/xml: what both accept
// gives the same elements, namespaces, attribute values and text; what
// encoding/xml accepts the scanner accepts too, except what it refuses on
// purpose: a DOCTYPE declaring entities, a document that is not one root
// element (encoding/xml takes text alone, or several roots), and invalid
// UTF-8 or control characters anywhere (encoding/xml lets them pass in
// comments and declarations).
func FuzzScanner(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err1 := scanTokens(data)
		want, err2 := xmlTokens(data)
		switch {
		case err2 != nil:
			return // the scanner may accept a little more (see below) or refuse too
		case err1 != nil:
			for _, deliberate := range []string{"DOCTYPE with entity declarations", "no root element", "text outside the root element", "a second root element", "CDATA outside the root element",
				"invalid UTF-8", "illegal character code"} {
				if strings.Contains(err1.Error(), deliberate) {
					return // refused on purpose; encoding/xml does not check the document's shape
				}
			}
			t.Fatalf("encoding/xml reads it, the scanner refuses: %v", err1)
		case strings.Join(got, "\n") != strings.Join(want, "\n"):
			t.Fatalf("tokens differ\nscanner\n%s\nencoding/xml\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
