package codebook

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// uid is a readable UUID for tests: uid(7) = 00000000-0000-4000-8000-000000000007.
func uid(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

var uidRef = regexp.MustCompile(`\bU(\d+)\b`)

// cbYAML parses a test codebook; "U7" stands for uid(7).
func cbYAML(t *testing.T, src string) *Codebook {
	t.Helper()
	src = uidRef.ReplaceAllStringFunc(src, func(s string) string {
		var n int
		fmt.Sscanf(s[1:], "%d", &n)
		return uid(n)
	})
	cb, err := ReadYAML("test.yaml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return cb
}

// rules returns "severity rule path" for each problem.
func rules(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Severity+" "+p.Rule+" "+p.Code)
	}
	return out
}

func hasRule(ps []Problem, rule, path string) bool {
	for _, p := range ps {
		if p.Rule == rule && p.Code == path {
			return true
		}
	}
	return false
}

func TestLintExampleCodebookIsClean(t *testing.T) {
	f, err := os.Open("../examples/codebook.yaml")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	cb, err := ReadYAML("codebook.yaml", f)
	if err != nil {
		t.Fatal(err)
	}
	if ps := Lint(cb); len(ps) > 0 {
		t.Errorf("example codebook: %v", rules(ps))
	}
}

func TestLintCleanAndGroupingExemption(t *testing.T) {
	cb := cbYAML(t, `
name: x
codes:
  - name: Benefits
    codes:
      - name: Fear of losing benefits
        polarity: barrier
        description: Worry that earnings cut benefits.
        colour: "#D95F02"
        hotkey: f
  - name: Heading
    grouping: true
  - name: Employers
    polarity: facilitator
    codes:
      - name: Job carving
        polarity: facilitator
        description: Jobs shaped around a person.
        hotkey: F
`)
	ps := Lint(cb)
	// "Benefits" (sub-codes, no polarity) and "Heading" (grouping) are
	// exempt; "Employers" has a polarity, so it needs a definition.
	want := []string{"warning no-definition Employers"}
	if got := rules(ps); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLintRulesOnYAML(t *testing.T) {
	cb := cbYAML(t, `
name: x
codes:
  - name: Employers
    polarity: barrier
    description: d
    codes:
      - name: Employer contact
        polarity: facilitator
        description: d
        colour: red
        hotkey: e
      - name: Employer-contacts
        description: d
        hotkey: e
      - name: Stigma
        description: d
        hotkey: ab
  - name: Mixed theme
    polarity: mixed
    description: d
    codes:
      - name: Not contradicting
        polarity: facilitator
        description: d
  - name: Barriers
    polarity: barrier
    description: d
    codes:
      - name: Level
        description: d
        codes:
          - name: Deep facilitator
            polarity: facilitator
            description: d
  - name: Other
    description: d
    codes:
      - name: employer  contacts
        description: d
      - name: Undefined
`)
	ps := Lint(cb)
	want := []string{
		"error hotkey-clash Employers/Employer contact",
		"error hotkey-clash Employers/Employer-contacts",
		"error hotkey-length Employers/Stigma",
		"warning polarity-contradiction Barriers/Level/Deep facilitator",
		"warning invalid-colour Employers/Employer contact",
		"warning polarity-contradiction Employers/Employer contact",
		"warning near-duplicate Employers/Employer-contacts",
		"warning no-definition Other/Undefined",
		"warning near-duplicate Other/employer  contacts",
	}
	if got := rules(ps); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range ps {
		if strings.Contains(p.Message, "\n") || p.Message == "" {
			t.Errorf("message %q is not one line", p.Message)
		}
		if p.CodeID == "" {
			t.Errorf("%v: no code id", p)
		}
	}
	// Near-duplicates point at the first path in order.
	for _, p := range ps {
		if p.Rule == "near-duplicate" && !strings.Contains(p.Message, `"Employers/Employer contact"`) {
			t.Errorf("near-duplicate message: %s", p.Message)
		}
	}
}

func TestLintStructuralErrors(t *testing.T) {
	cb := &Codebook{Name: "x", Codes: []Code{
		{ID: "a", Name: "A", Description: "d"},
		{ID: "b", Name: "B", ParentID: "c", Description: "d"},
		{ID: "c", Name: "C", ParentID: "b", Description: "d"},
		{ID: "s", Name: "Self", ParentID: "s", Description: "d"},
		{ID: "d", Name: "Orphan", ParentID: "nowhere", Description: "d"},
		{ID: "a", Name: "Again", Description: "d"},
		{ID: "", Name: "No id", Description: "d"},
		{ID: "e", Name: "", Description: "d"},
		{ID: "f", Name: "Yes/No", Description: "d"},
		{ID: "g", Name: "a", Description: "d"},
		{ID: "h", Name: "Bad polarity", Polarity: "Barrier", Description: "d"},
		{ID: "i", Name: "Bad link", Links: []string{"ips25:99", "nosuch:1"}, Description: "d"},
	}}
	done := make(chan []Problem)
	go func() { done <- Lint(cb) }()
	var ps []Problem
	select {
	case ps = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Lint does not finish on a cyclic codebook")
	}
	for _, w := range []struct{ rule, path string }{
		{"parent-cycle", "C/B"}, // reported once, on the smaller id (b)
		{"parent-cycle", "Self"},
		{"missing-parent", "Orphan"},
		{"duplicate-id", "Again"},
		{"missing-id", "No id"},
		{"empty-name", ""},
		{"slash-in-name", "Yes/No"},
		{"duplicate-name", "a"},
		{"invalid-polarity", "Bad polarity"},
		{"unknown-link", "Bad link"},
	} {
		if !hasRule(ps, w.rule, w.path) {
			t.Errorf("no %s on %q in\n%s", w.rule, w.path, strings.Join(rules(ps), "\n"))
		}
	}
	n := 0
	for _, p := range ps {
		if p.Rule == "parent-cycle" {
			n++
			if p.Severity != SeverityError || p.CodeID == "c" {
				t.Errorf("cycle problem %v", p)
			}
		}
		if p.Rule == "unknown-link" && !strings.Contains(p.Message, "ips25:99") && !strings.Contains(p.Message, "nosuch:1") {
			t.Errorf("link message %q", p.Message)
		}
	}
	if n != 2 {
		t.Errorf("%d cycle problems, want 2", n)
	}
	if !HasErrors(ps) {
		t.Error("HasErrors false")
	}
	// Errors first, then by path, then rule.
	for i := 1; i < len(ps); i++ {
		a, b := ps[i-1], ps[i]
		if a.Severity == SeverityWarning && b.Severity == SeverityError {
			t.Errorf("warning before error: %v, %v", a, b)
		}
		if a.Severity == b.Severity && (a.Code > b.Code || a.Code == b.Code && a.Rule > b.Rule) {
			t.Errorf("not sorted: %v, %v", a, b)
		}
	}
	// Deterministic.
	for range 10 {
		if again := Lint(cb); !reflect.DeepEqual(again, ps) {
			t.Fatal("Lint is not deterministic")
		}
	}
	for _, p := range ps {
		if _, ok := LintRules[p.Rule]; !ok || LintRules[p.Rule] != p.Severity {
			t.Errorf("rule %s not in LintRules with severity %s", p.Rule, p.Severity)
		}
	}
}
