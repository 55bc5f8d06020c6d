package codebook

import (
	"bytes"
	"strings"
	"testing"
)

// A codebook file qcode writes must survive load -> save byte for byte, so
// it diffs cleanly in git: stable key order, stable ids, no reflowing.
func TestYAMLLoadSaveIsByteIdentical(t *testing.T) {
	cb, err := ReadYAML("cb.yaml", strings.NewReader(`
name: Tromsø study — barriers & facilitators
description: |
  Two sites.
  Second line: with a colon, "quotes" and a # hash.
frameworks: [ips25]
codes:
  - name: Benefits and NAV
    grouping: true
    codes:
      - name: Fear of losing benefits
        polarity: barrier
        links: [ips25:12]
        description: Worry that any earnings will stop the work assessment allowance (AAP) or disability benefit, voiced by patients, relatives or staff, and leading people to refuse or delay a job search.
        inclusion: "Yes: fear, worry, \"they'll take it away\""
        example: '“NAV would take it away” — P1'
        colour: "#d95f02"
        hotkey: f
  - name: "Disclosure: criminal record"
    polarity: mixed
    links: [ips25:13]
    memo: "- starts with a dash\n- and has two lines"
`))
	if err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := WriteYAML(&first, cb); err != nil {
		t.Fatal(err)
	}
	again, err := ReadYAML("first.yaml", bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, first.String())
	}
	var second bytes.Buffer
	if err := WriteYAML(&second, again); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Fatalf("load -> save changed the file:\n--- first\n%s\n--- second\n%s", first.String(), second.String())
	}
	out := first.String()
	// Ids are written, so the next load keeps them.
	if strings.Count(out, "id: ") != 3 {
		t.Errorf("every code must carry its id:\n%s", out)
	}
	// Keys come in one fixed order: id, name first; children last.
	if i, j := strings.Index(out, "id: "), strings.Index(out, "name: Benefits"); i > j {
		t.Errorf("id must precede name:\n%s", out)
	}
	// Long lines are not folded (a folded line diffs as two).
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "description: Worry") && !strings.HasSuffix(l, "job search.") {
			t.Errorf("long description folded: %q", l)
		}
	}
	if again.Codes[1].Description != cb.Codes[1].Description || again.Codes[2].Memo != cb.Codes[2].Memo || !again.Codes[0].Grouping {
		t.Error("values changed in the round trip")
	}
}
