package refi

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// fuzzLimits keep one fuzz input cheap.
var fuzzLimits = Limits{MaxEntries: 64, MaxXMLBytes: 1 << 20, MaxXMLDepth: 64, MaxSourceBytes: 1 << 20, MaxTotalBytes: 4 << 20}

// checkRead is what must hold for anything Read accepts: every selection
// lies inside its text, and the project can be written and read back with
// the same selected texts.
func checkRead(t *testing.T, p *Project) {
	for _, s := range p.Sources {
		n := utf8.RuneCountInString(s.Text)
		for _, sel := range s.Selections {
			if sel.Start < 0 || sel.Start >= sel.End || sel.End > n {
				t.Fatalf("selection %d-%d outside the %d characters of %q", sel.Start, sel.End, n, s.Name)
			}
		}
	}
	var b bytes.Buffer
	if err := Write(&b, p, WriteOptions{}); err != nil {
		t.Fatalf("read, but cannot be written: %v", err)
	}
	back, err := Read("again.qdpx", bytes.NewReader(b.Bytes()), int64(b.Len()), DefaultLimits)
	if err != nil {
		t.Fatalf("written, but cannot be read back: %v", err)
	}
	if len(back.Sources) != len(p.Sources) {
		t.Fatalf("%d sources read back, want %d", len(back.Sources), len(p.Sources))
	}
	for i, s := range p.Sources {
		if back.Sources[i].Text != s.Text || len(back.Sources[i].Selections) != len(s.Selections) {
			t.Fatalf("source %q differs after writing and reading back", s.Name)
		}
		for j, sel := range s.Selections {
			if b := back.Sources[i].Selections[j]; b.Start != sel.Start || b.End != sel.End {
				t.Fatalf("selection %d-%d read back as %d-%d", sel.Start, sel.End, b.Start, b.End)
			}
		}
	}
}

// FuzzReadQDPX reads arbitrary bytes as a .qdpx: never a panic, and what
// is accepted is consistent (checkRead). Seeds: testdata/fuzz/FuzzReadQDPX.
func FuzzReadQDPX(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Read("fuzz.qdpx", bytes.NewReader(data), int64(len(data)), fuzzLimits)
		if err != nil {
			return
		}
		checkRead(t, p)
	})
}

// FuzzReadQDE reads an arbitrary project file with one arbitrary source
// file, sources/56A79789-D535-4FB8-BEDD-A915504C54BA.txt: the XML parser
// and the offset conversion, without the zip layer.
func FuzzReadQDE(f *testing.F) {
	f.Fuzz(func(t *testing.T, qde, txt []byte) {
		p, err := ReadQDE("fuzz.qde", qde, map[string][]byte{"sources/" + sourceG + ".txt": txt}, fuzzLimits)
		if err != nil {
			return
		}
		checkRead(t, p)
	})
}
