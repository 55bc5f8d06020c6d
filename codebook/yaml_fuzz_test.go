package codebook

import (
	"bytes"
	"testing"
)

// FuzzReadYAML: any input either fails with an error naming the file, or
// gives a codebook that lint finds structurally sound and that survives
// a write and read back.
func FuzzReadYAML(f *testing.F) {
	// Small seeds: Go's fuzzer slows to a crawl on the 30 KB example
	// codebook; its structures are all in these.
	f.Add([]byte(sample))
	f.Add([]byte("codes:\n  - name: A\n    codes:\n      - name: B\n        links: [ips25:13]\n"))
	f.Add([]byte("codes: &a [*a]\n"))
	f.Add([]byte("name: x\nframeworks: [ips25]\ncodes:\n  - id: 65849171-674f-408b-b90f-a8804b209d05\n    name: Referral and access\n    grouping: true\n    codes:\n      - name: Readiness\n        polarity: barrier\n        links:\n          - ips25:9\n        colour: '#d95f02'\n        hotkey: r\n        memo: |\n          two\n          lines\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cb, err := ReadYAML("fuzz.yaml", bytes.NewReader(data))
		if err != nil {
			if !bytes.HasPrefix([]byte(err.Error()), []byte("fuzz.yaml")) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, p := range Lint(cb) {
			switch p.Rule {
			case "duplicate-id", "missing-id", "missing-parent", "parent-cycle", "duplicate-name", "empty-name", "unknown-link":
				t.Fatalf("ReadYAML accepted a broken codebook: %s", p)
			}
		}
		var buf bytes.Buffer
		if err := WriteYAML(&buf, cb); err != nil {
			t.Fatalf("write: %v", err)
		}
		again, err := ReadYAML("again.yaml", &buf)
		if err != nil {
			t.Fatalf("reading back what was written: %v\n%s", err, buf.String())
		}
		if len(again.Codes) != len(cb.Codes) {
			t.Fatalf("%d codes after a round trip, want %d", len(again.Codes), len(cb.Codes))
		}
	})
}
