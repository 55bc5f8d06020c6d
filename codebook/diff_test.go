package codebook

import (
	"reflect"
	"strings"
	"testing"
)

const diffA = `
name: Study codebook
frameworks: [ips25]
codes:
  - id: U1
    name: Employers
    description: Employer engagement.
    codes:
      - id: U2
        name: Job development
        description: Meeting employers.
        links: [ips25:13, ips25:14]
      - id: U3
        name: Stigma
        description: Employers' stigma.
  - id: U4
    name: Benefits
    description: NAV and benefits.
    codes:
      - id: U5
        name: Fear of losing benefits
        polarity: barrier
        description: Worry.
      - id: U6
        name: Benefits counselling
        description: Advice.
  - id: U7
    name: Old theme
    description: Dropped later.
  - id: U8
    name: Staff
    description: Staff.
    codes:
      - id: U9
        name: Caseload pressure
        description: Too many clients.
`

const diffB = `
name: Study codebook v2
frameworks: [ips25]
codes:
  - id: U1
    name: Employer engagement
    description: Employer engagement.
    codes:
      - id: U2
        name: Job development
        description: Meeting employers.
        links: [ips25:14, ips25:13]
      - id: U5
        name: Employer worries
        polarity: facilitator
        description: Worry.
  - id: U4
    name: Benefits
    description: NAV and benefits.
    codes:
      - id: U6
        name: Benefits counselling
        description: Advice from NAV.
        hotkey: b
      - id: U3
        name: Stigma
        description: Employers' stigma.
  - id: U10
    name: New theme
    description: Added.
  - id: U11
    name: Staff
    description: Staff.
    codes:
      - id: U9
        name: Caseload pressure
        description: Too many clients.
`

func TestDiff(t *testing.T) {
	a, b := cbYAML(t, diffA), cbYAML(t, diffB)
	got := Diff(a, b)
	type row struct {
		Kind, ID, Path, OldPath string
		Fields                  string
	}
	var rows []row
	for _, c := range got {
		rows = append(rows, row{c.Kind, c.ID, c.Path, c.OldPath, strings.Join(c.Fields, ",")})
		if c.Detail == "" && c.Kind != ChangeAdded && c.Kind != ChangeRemoved {
			t.Errorf("%+v: no detail", c)
		}
	}
	want := []row{
		{ChangeChanged, "", "", "", "name"},
		{ChangeChanged, uid(6), "Benefits/Benefits counselling", "", "description,hotkey"},
		{ChangeMoved, uid(3), "Benefits/Stigma", "Employers/Stigma", "parent"},
		{ChangeRenamed, uid(1), "Employer engagement", "Employers", "name"},
		// Renamed, moved and changed: one row, the most visible kind.
		{ChangeRenamed, uid(5), "Employer engagement/Employer worries", "Benefits/Fear of losing benefits", "name,parent,polarity"},
		// U2's path changed only because its parent was renamed: no row.
		{ChangeAdded, uid(10), "New theme", "", ""},
		{ChangeRemoved, uid(7), "Old theme", "", ""},
		// Matched by name under the same parent, with a new id.
		{ChangeChanged, uid(11), "Staff", "", "id"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("got\n%+v\nwant\n%+v", rows, want)
	}
	for _, c := range got {
		if c.ID == uid(5) && c.Detail != `renamed from "Fear of losing benefits"; moved from "Benefits" to "Employer engagement"; polarity barrier → facilitator` {
			t.Errorf("detail %q", c.Detail)
		}
		if c.ID == uid(11) && !strings.Contains(c.Detail, uid(8)) {
			t.Errorf("detail %q should name the old id", c.Detail)
		}
	}
	if d := Diff(a, a); len(d) != 0 {
		t.Errorf("diff with itself: %+v", d)
	}
	renamed := *a
	renamed.Name = "Another name"
	if d := Diff(a, &renamed); len(d) != 1 || d[0].Path != "" || !strings.Contains(d[0].Detail, "codebook renamed") {
		t.Errorf("codebook rename: %+v", d)
	}
	unnamed := *a
	unnamed.Name = ""
	if d := Diff(a, &unnamed); len(d) != 0 {
		t.Errorf("diff with itself: %+v", d)
	}
	if !reflect.DeepEqual(Diff(a, b), got) {
		t.Error("Diff is not deterministic")
	}
	// Everything added, everything removed. From nothing, the codebook's
	// name is unknown rather than changed.
	if d := Diff(nil, a); len(d) != len(a.Codes) || d[0].Kind != ChangeAdded {
		t.Errorf("diff from nothing: %+v", d)
	}
	if d := Diff(a, &Codebook{Name: a.Name, Frameworks: a.Frameworks}); len(d) != len(a.Codes) || d[0].Kind != ChangeRemoved {
		t.Errorf("diff to nothing: %+v", d)
	}
}

func TestDiffMatchesByNormalisedName(t *testing.T) {
	a := cbYAML(t, `
name: x
codes:
  - name: Employers
    codes:
      - name: Employer contact
        description: d
`)
	b := cbYAML(t, `
name: x
codes:
  - name: employers
    codes:
      - name: Employer-contacts
        description: d
`)
	got := Diff(a, b)
	if len(got) != 2 || got[0].Kind != ChangeRenamed || got[1].Kind != ChangeRenamed ||
		!reflect.DeepEqual(got[1].Fields, []string{"id", "name"}) || got[1].OldPath != "Employers/Employer contact" {
		t.Errorf("%+v", got)
	}
}
