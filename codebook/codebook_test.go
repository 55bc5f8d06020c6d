package codebook

import (
	"bytes"
	"strings"
	"testing"
)

const sample = `
name: IPS barriers and facilitators
frameworks: [ips25]
codes:
  - name: Benefits and NAV
    codes:
      - name: Fear of losing benefits
        polarity: barrier
        links: [ips25:12]
        description: Worry that earnings will cut benefits.
      - name: Work incentives planning
        polarity: Facilitator
        links: [ips25:12]
  - name: Disclosure
    polarity: mixed
    links: [ips25:13]
    codes:
      - name: Criminal record
        polarity: barrier
`

func TestReadYAMLBuildsHierarchy(t *testing.T) {
	cb, err := ReadYAML("cb.yaml", strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if cb.Name != "IPS barriers and facilitators" || len(cb.Codes) != 5 {
		t.Fatalf("%+v", cb)
	}
	ix := NewIndex(cb.Codes)
	c, err := ix.Find("work incentives planning")
	if err != nil {
		t.Fatal(err)
	}
	if ix.Path(c.ID) != "Benefits and NAV/Work incentives planning" || c.Polarity != PolarityFacilitator {
		t.Errorf("path %q polarity %q", ix.Path(c.ID), c.Polarity)
	}
	parent, _ := ix.Find("Benefits and NAV")
	if got := ix.Subtree(parent.ID); len(got) != 3 {
		t.Errorf("subtree has %d codes, want 3", len(got))
	}
	if _, err := ix.Find(c.ID[:6]); err != nil {
		t.Errorf("id prefix: %v", err)
	}
}

func TestFindAmbiguousAndMissing(t *testing.T) {
	cb, _ := ReadYAML("cb.yaml", strings.NewReader(`
name: x
codes:
  - name: Staff
    codes: [{name: Stigma}]
  - name: Employers
    codes: [{name: Stigma}]
`))
	ix := NewIndex(cb.Codes)
	_, err := ix.Find("Stigma")
	if err == nil || !strings.Contains(err.Error(), "Employers/Stigma, Staff/Stigma") {
		t.Errorf("ambiguous name: %v", err)
	}
	if c, err := ix.Find("staff/stigma"); err != nil || ix.Path(c.ID) != "Staff/Stigma" {
		t.Errorf("path lookup: %v", err)
	}
	if _, err := ix.Find("Nope"); err == nil || !strings.Contains(err.Error(), `no code "Nope"`) {
		t.Errorf("missing: %v", err)
	}
}

func TestReadYAMLErrorsNameFileAndCode(t *testing.T) {
	cases := map[string]string{
		"codes:\n  - name: A\n  - name: a\n":                        `"a" appears twice`,
		"codes:\n  - name: A\n    polarity: good\n":                 `code "A": polarity "good"`,
		"codes:\n  - name: A\n    links: [13]\n":                    `framework link "13"`,
		"codes:\n  - name: A\n    id: not-a-uuid\n":                 `id "not-a-uuid" is not a UUID`,
		"codes:\n  - name: A\n    colour: red\n    shade: dark\n":   "shade",
		"codes:\n  - name: A\n    codes:\n      - description: x\n": `under "A" has no name`,
		"codes: [\n": "cb.yaml:",
	}
	for in, want := range cases {
		_, err := ReadYAML("cb.yaml", strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "cb.yaml") {
			t.Errorf("%q: err = %v, want %q", in, err, want)
		}
	}
}

func TestYAMLRoundTrip(t *testing.T) {
	cb, err := ReadYAML("cb.yaml", strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteYAML(&buf, cb); err != nil {
		t.Fatal(err)
	}
	again, err := ReadYAML("again.yaml", &buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(again.Codes) != len(cb.Codes) {
		t.Fatalf("%d codes after round trip", len(again.Codes))
	}
	for i := range cb.Codes {
		a, b := cb.Codes[i], again.Codes[i]
		if a.ID != b.ID || a.Name != b.Name || a.ParentID != b.ParentID || a.Polarity != b.Polarity || strings.Join(a.Links, ",") != strings.Join(b.Links, ",") || a.Description != b.Description {
			t.Errorf("code %d: %+v != %+v", i, a, b)
		}
	}
}
