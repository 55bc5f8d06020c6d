package codebook

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"testing"
)

// Every embedded file must parse and pass its checks; at run time a broken
// one would only make its framework unknown, so this test is the guard.
func TestEmbeddedFrameworksLoad(t *testing.T) {
	if err := builtinFrameworkErrors(); err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(frameworkFiles, "frameworks/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(builtinFrameworkIDs) {
		t.Errorf("embedded files %v, want one per built-in %v", files, builtinFrameworkIDs)
	}
	for _, f := range files {
		id := strings.TrimSuffix(path.Base(f), ".yaml")
		if _, ok := LookupFramework(id); !ok {
			t.Errorf("%s is embedded but framework %q is not listed in builtinFrameworkIDs", f, id)
		}
	}
	var ids []string
	for _, f := range Frameworks() {
		ids = append(ids, f.ID)
		if f.Citation == "" || f.Description == "" || f.Name == "" {
			t.Errorf("%s: missing name, citation or description", f.ID)
		}
		for _, it := range f.Items {
			if it.ID != f.ID+":"+it.Key || it.Description == "" || it.Anchor != "" {
				t.Errorf("%s: bad item %+v", f.ID, it)
			}
		}
	}
	if got := strings.Join(ids, ","); got != "ips25,cfir2" {
		t.Errorf("Frameworks order = %s", got)
	}
}

func TestParseFrameworkErrors(t *testing.T) {
	head := "id: x\nname: X\ncitation: c\ndescription: d\nkinds: {item: item}\n"
	for src, want := range map[string]string{
		"id: x\n  bad: [":  "t.yaml:",
		head + "nope: 1\n": "field nope not found",
		head + "sections:\n  - name: S\n    items:\n      - {key: '1', name: A, description: a}\n      - {key: '1', name: B, description: b}\n":                                                   "key 1 appears twice",
		head + "sections:\n  - name: S\n    items:\n      - {key: '1', name: A/B, description: a}\n":                                                                                              `without "/"`,
		head + "sections:\n  - name: S\n    items:\n      - {key: '1', name: A}\n":                                                                                                                "item 1 has no description",
		head + "score_min: 1\nscore_max: 5\nbands: [{min: 3, max: 5, label: hi}, {min: 2, max: 2, label: lo}]\nsections:\n  - name: S\n    items:\n      - {key: '1', name: A, description: a}\n": "bands stop at 2",
		"id: X\nname: X\ncitation: c\ndescription: d\n":                                                                                                                                           "lower case",
	} {
		_, err := parseFramework("t.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parse %q: err = %v, want %q", src, err, want)
		}
	}
}

func TestIPS25(t *testing.T) {
	f, ok := LookupFramework("IPS25")
	if !ok {
		t.Fatal("ips25 not found")
	}
	if f.Name != "IPS-25" || f.ScoreMin != 1 || f.ScoreMax != 5 {
		t.Errorf("framework = %q %d-%d", f.Name, f.ScoreMin, f.ScoreMax)
	}
	if !strings.Contains(f.Citation, "Becker") || !strings.Contains(f.Citation, "McLeman") || !strings.Contains(f.Citation, "2019") {
		t.Errorf("citation = %q", f.Citation)
	}
	if len(f.Items) != 25 {
		t.Fatalf("%d items, want 25", len(f.Items))
	}
	for i, it := range f.Items {
		n := i + 1
		want := "Services"
		switch {
		case n <= 3:
			want = "Staffing"
		case n <= 11:
			want = "Organization"
		}
		if it.Key != strconv.Itoa(n) || it.ID != "ips25:"+it.Key || it.Section != want || it.Kind != "item" || it.Parent != "" || it.Group != "" {
			t.Errorf("item %d = %+v, want key %d in %s", i, it, n, want)
		}
	}
	for id, name := range map[string]string{
		"ips25:1":  "Caseload size",
		"3":        "Vocational generalists",
		"ips25:4":  "Integration of rehabilitation with mental health treatment through team assignment",
		"ips25:6":  "Collaboration between employment specialists and vocational rehabilitation counselors",
		"ips25:13": "Disclosure",
		"17":       "Job development: frequent employer contact",
		"ips25:25": "Assertive engagement and outreach by integrated team",
	} {
		it, ok := f.Item(id)
		if !ok || it.Name != name {
			t.Errorf("Item(%q) = %+v, %v; want %q", id, it, ok, name)
		}
	}
	for _, id := range []string{"0", "26", "ips25:26", "cfir2:13", "", "ips25:"} {
		if it, ok := f.Item(id); ok {
			t.Errorf("Item(%q) = %+v", id, it)
		}
	}
	for total, want := range map[int]string{
		125: "Exemplary fidelity", 115: "Exemplary fidelity",
		114: "Good fidelity", 100: "Good fidelity",
		99: "Fair fidelity", 74: "Fair fidelity",
		73: "Not supported employment", 25: "Not supported employment",
	} {
		b, ok := f.Band(total)
		if !ok || b.Label != want {
			t.Errorf("Band(%d) = %+v, %v; want %q", total, b, ok, want)
		}
	}
	for _, total := range []int{24, 126, 0} {
		if b, ok := f.Band(total); ok {
			t.Errorf("Band(%d) = %+v", total, b)
		}
	}
}

func TestCFIR2(t *testing.T) {
	f, ok := LookupFramework("cfir2")
	if !ok {
		t.Fatal("cfir2 not found")
	}
	if !strings.Contains(f.Citation, "Damschroder") || !strings.Contains(f.Citation, "17:75") {
		t.Errorf("citation = %q", f.Citation)
	}
	if len(f.Bands) != 0 {
		t.Errorf("cfir2 has bands %v", f.Bands)
	}
	if b, ok := f.Band(3); ok {
		t.Errorf("Band(3) = %v", b)
	}
	count := map[string]int{}
	perDomain := map[string]int{}
	sub := map[string]int{}
	for _, it := range f.Items {
		count[it.Kind]++
		if it.Kind == "construct" {
			perDomain[it.Section]++
		}
		if it.Kind == "subconstruct" {
			sub[it.Parent]++
			p, ok := f.Item(it.Parent)
			if !ok || p.Kind != "construct" || !strings.HasPrefix(it.Key, p.Key+".") || p.Section != it.Section {
				t.Errorf("subconstruct %s has parent %q", it.ID, it.Parent)
			}
		} else if it.Parent != "" {
			t.Errorf("%s %s has parent %q", it.Kind, it.ID, it.Parent)
		}
	}
	if count["domain"] != 5 || count["construct"] != 48 || count["subconstruct"] != 19 || len(f.Items) != 72 {
		t.Errorf("counts = %v (%d items), want 5 domains, 48 constructs, 19 subconstructs", count, len(f.Items))
	}
	wantDomains := map[string]int{"Innovation": 8, "Outer setting": 7, "Inner setting": 11, "Individuals": 13, "Implementation process": 9}
	if fmt.Sprint(perDomain) != fmt.Sprint(wantDomains) {
		t.Errorf("constructs per domain = %v, want %v", perDomain, wantDomains)
	}
	wantSub := map[string]int{"cfir2:II.G": 3, "cfir2:III.A": 3, "cfir2:III.D": 4, "cfir2:III.J": 3, "cfir2:V.B": 2, "cfir2:V.F": 2, "cfir2:V.H": 2}
	if fmt.Sprint(sub) != fmt.Sprint(wantSub) {
		t.Errorf("subconstructs per construct = %v, want %v", sub, wantSub)
	}
	for id, want := range map[string]string{
		"cfir2:I":         "domain Innovation Innovation",
		"cfir2:V":         "domain Implementation process Implementation process",
		"cfir2:I.A":       "construct Innovation source Innovation",
		"cfir2:II.F":      "construct Financing Outer setting",
		"cfir2:II.G.3":    "subconstruct Performance-measurement pressure Outer setting",
		"cfir2:III.B":     "construct Relational connections Inner setting",
		"cfir2:III.D.2":   "subconstruct Recipient-centeredness Inner setting",
		"III.D.1":         "subconstruct Human equality-centeredness Inner setting",
		"cfir2:iii.j.3":   "subconstruct Materials & equipment Inner setting",
		"cfir2:IV.A":      "construct High-level leaders Individuals",
		"cfir2:IV.I":      "construct Innovation recipients Individuals",
		"cfir2:IV.Char.A": "construct Need Individuals",
		"cfir2:IV.Char.D": "construct Motivation Individuals",
		"cfir2:V.H.1":     "subconstruct Implementation Implementation process",
		"cfir2:V.I":       "construct Adapting Implementation process",
	} {
		it, ok := f.Item(id)
		if !ok {
			t.Errorf("Item(%q) not found", id)
			continue
		}
		if got := it.Kind + " " + it.Name + " " + it.Section; got != want {
			t.Errorf("Item(%q) = %q, want %q", id, got, want)
		}
	}
	if it, _ := f.Item("cfir2:III.D.2"); it.Parent != "cfir2:III.D" || it.Key != "III.D.2" {
		t.Errorf("III.D.2 = %+v", it)
	}
	for _, key := range []string{"IV.A", "IV.I"} {
		if it, _ := f.Item(key); it.Group != "Roles" {
			t.Errorf("%s group = %q", key, it.Group)
		}
	}
	if it, _ := f.Item("IV.Char.B"); it.Group != "Characteristics" || it.Name != "Capability" {
		t.Errorf("IV.Char.B = %+v", it)
	}
	for _, id := range []string{"IV.J", "IV.Char.E", "III.L", "VI", "III.D.5", "ips25:1"} {
		if _, ok := f.Item(id); ok {
			t.Errorf("Item(%q) found", id)
		}
	}
}

func TestFrameworksAreCopies(t *testing.T) {
	f, _ := LookupFramework("ips25")
	f.Items[0].Name = "changed"
	f.Bands[0].Label = "changed"
	g, _ := LookupFramework("ips25")
	if g.Items[0].Name != "Caseload size" || g.Bands[0].Label != "Exemplary fidelity" {
		t.Error("changing a returned framework changed the built-in")
	}
	if it, err := ResolveLink("ips25:1"); err != nil || it.Name != "Caseload size" {
		t.Errorf("ResolveLink after change = %+v, %v", it, err)
	}
}

func TestCheckLink(t *testing.T) {
	for _, l := range []string{"ips25:1", "ips25:13", "ips25:25", "cfir2:I", "cfir2:II.F", "cfir2:III.D.2", "cfir2:IV.Char.C"} {
		if err := CheckLink(l); err != nil {
			t.Errorf("CheckLink(%q) = %v", l, err)
		}
	}
	for l, want := range map[string]string{
		"ips25:26":      `framework link "ips25:26": IPS-25 has no item 26 (items 1-25)`,
		"ips25:0":       `framework link "ips25:0": IPS-25 has no item 0 (items 1-25)`,
		"ips25:013":     `framework link "ips25:013": IPS-25 has no item 013 (items 1-25)`,
		"cfir2:III.Z":   `framework link "cfir2:III.Z": CFIR 2.0 has no item III.Z (domains I-V`,
		"cfir2:IV.J":    `CFIR 2.0 has no item IV.J`,
		"qual:1":        `framework link "qual:1": unknown framework "qual" (known: ips25, cfir2)`,
		"13":            `framework link "13" is not of the form framework:item (e.g. ips25:13)`,
		"ips25:":        `is not of the form`,
		":13":           `is not of the form`,
		"ips25: 13":     `is not of the form`,
		"ips25:1:2":     `is not of the form`,
		"IPS25:13":      `framework link "IPS25:13": write it as "ips25:13"`,
		"cfir2:iii.d.2": `write it as "cfir2:III.D.2"`,
		"":              `is not of the form`,
	} {
		err := CheckLink(l)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckLink(%q) = %v, want %q", l, err, want)
		}
	}
	it, err := ResolveLink("IPS25:13")
	if err != nil || it.ID != "ips25:13" || it.Name != "Disclosure" {
		t.Errorf("ResolveLink(IPS25:13) = %+v, %v", it, err)
	}
}

func TestReadYAMLChecksLinks(t *testing.T) {
	for src, want := range map[string]string{
		"name: b\ncodes:\n  - name: A\n    links: [ips25:26]\n":   `t.yaml: code "A": framework link "ips25:26": IPS-25 has no item 26 (items 1-25)`,
		"name: b\ncodes:\n  - name: A\n    links: [other:1]\n":    `unknown framework "other"`,
		"name: b\ncodes:\n  - name: A\n    links: [IPS25:1]\n":    `write it as "ips25:1"`,
		"name: b\ncodes:\n  - name: A\n    links: [cfir2:VI.A]\n": `CFIR 2.0 has no item VI.A`,
	} {
		_, err := ReadYAML("t.yaml", strings.NewReader(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadYAML(%q) = %v, want %q", src, err, want)
		}
	}
	cb, err := ReadYAML("t.yaml", strings.NewReader("name: b\ncodes:\n  - name: A\n    links: [ips25:13, cfir2:III.D.2, cfir2:IV.Char.A]\n"))
	if err != nil || len(cb.Codes[0].Links) != 3 {
		t.Fatalf("ReadYAML = %v, %v", cb, err)
	}
}

func TestReadAnchorsCSV(t *testing.T) {
	src := "\ufeffItem,Name,ANCHOR\n" +
		"1,Caseload size,\"Official text one,\nover two lines\"\n" +
		"ips25:13,Disclosure,  Official text thirteen  \n" +
		"\n" +
		"cfir2:III.D.2,,Recipient text\n" +
		"II.F,,Financing text\n"
	got, err := ReadAnchorsCSV("a.csv", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ips25:1":       "Official text one,\nover two lines",
		"ips25:13":      "Official text thirteen",
		"cfir2:III.D.2": "Recipient text",
		"cfir2:II.F":    "Financing text",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("anchors = %q, want %q", got, want)
	}

	// A framework column, semicolons (as spreadsheets in many locales
	// write), and a mixed-case prefix.
	got, err = ReadAnchorsCSV("b.csv", strings.NewReader("framework;item;anchor\nIPS25;2;two\n;IPS25:3;three\ncfir2;iv.char.a;need\n"))
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"ips25:2": "two", "ips25:3": "three", "cfir2:IV.Char.A": "need"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("anchors = %q, want %q", got, want)
	}

	f, _ := LookupFramework("ips25")
	g := f.WithAnchors(got)
	if it, _ := g.Item("2"); it.Anchor != "two" {
		t.Errorf("WithAnchors item 2 = %q", it.Anchor)
	}
	if it, _ := f.Item("2"); it.Anchor != "" {
		t.Error("WithAnchors changed the original")
	}

	for src, want := range map[string]string{
		"":                                         "a.csv: empty file",
		"item,text\n1,x\n":                         `a.csv:1: no "anchor" column`,
		"number,anchor\n1,x\n":                     `a.csv:1: no "item" column`,
		"item,anchor\n":                            "a.csv: no anchors after the header row",
		"item,anchor\n1,x\n26,y\n":                 `a.csv:3: no built-in framework has an item "26" (IPS-25: items 1-25; CFIR 2.0: domains I-V`,
		"item,anchor\n1,x\nips25:99,y\n":           "a.csv:3: IPS-25 has no item 99",
		"item,anchor\n1,x\nZ.9,y\n":                `a.csv:3: no built-in framework has an item "Z.9" (IPS-25: items 1-25; CFIR 2.0:`,
		"item,anchor\n1,x\nfoo:1,y\n":              `a.csv:3: unknown framework "foo" (known: ips25, cfir2)`,
		"item,anchor\n1,\"a\nb\"\n2,\n":            "a.csv:4: item ips25:2 has no anchor text",
		"item,anchor\n1,x\n2,y\nips25:1,z\n":       "a.csv:4: item ips25:1 appears twice (first on line 2)",
		"item,anchor\n1,x\n,y\n":                   "a.csv:3: no item",
		"item,anchor\n1,x\n2,\"y\n":                "a.csv:3:",
		"framework,item,anchor\ncfir2,13,x\n":      "a.csv:2: CFIR 2.0 has no item 13",
		"framework,item,anchor\nx,1,a\n":           `a.csv:2: unknown framework "x"`,
		"framework,item,anchor\ncfir2,ips25:1,a\n": `a.csv:2: item "ips25:1" does not belong to framework "cfir2"`,
		"item,anchor\n1,x\n2,caf\xe9\n":            "a.csv:3: not UTF-8",
	} {
		_, err := ReadAnchorsCSV("a.csv", strings.NewReader(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadAnchorsCSV(%q) = %v, want %q", src, err, want)
		}
	}
}

func TestStarterIPS25(t *testing.T) {
	cb, err := Starter("ips25-barriers-facilitators")
	if err != nil {
		t.Fatal(err)
	}
	if len(cb.Frameworks) != 1 || cb.Frameworks[0] != "ips25" {
		t.Errorf("frameworks = %v", cb.Frameworks)
	}
	ix := NewIndex(cb.Codes)
	f, _ := LookupFramework("ips25")
	roots := ix.Children("")
	if len(roots) != 3 || roots[0].Name != "Staffing" || roots[1].Name != "Organization" || roots[2].Name != "Services" {
		t.Fatalf("roots = %v", roots)
	}
	for _, r := range roots {
		if r.Polarity != PolarityNone || len(r.Links) != 0 {
			t.Errorf("section %s = %+v", r.Name, r)
		}
	}
	barriers, facilitators := map[string]string{}, map[string]string{}
	for _, c := range cb.Codes {
		switch c.Polarity {
		case PolarityBarrier:
			barriers[strings.Join(c.Links, ",")] = ix.Path(c.ID)
		case PolarityFacilitator:
			facilitators[strings.Join(c.Links, ",")] = ix.Path(c.ID)
		case PolarityNone:
		default:
			t.Errorf("code %s has polarity %s", c.Name, c.Polarity)
		}
	}
	if len(barriers) != 25 || len(facilitators) != 25 || len(cb.Codes) != 3+25*3 {
		t.Errorf("%d barrier and %d facilitator codes (%d codes)", len(barriers), len(facilitators), len(cb.Codes))
	}
	for _, it := range f.Items {
		base := it.Section + "/" + it.Name + "/" + it.Name
		if barriers[it.ID] != base+" — barrier" || facilitators[it.ID] != base+" — facilitator" {
			t.Errorf("item %s: barrier %q, facilitator %q", it.ID, barriers[it.ID], facilitators[it.ID])
		}
	}
	c, err := ix.Find("Disclosure — barrier")
	if err != nil || c.Links[0] != "ips25:13" || !strings.Contains(c.Description, "IPS-25 item 13") {
		t.Errorf("Find = %+v, %v", c, err)
	}
	if c, err := ix.Find("Services/Disclosure"); err != nil || len(ix.Subtree(c.ID)) != 3 || c.Links[0] != "ips25:13" {
		t.Errorf("item code = %+v, %v", c, err)
	}
	checkStarterStable(t, "ips25-barriers-facilitators", cb)
	// The derivation of ids is part of the file format: coders who start
	// from this starter in different qcode versions must still merge by id.
	if c.ID != "f648d027-fce0-5c2b-99bc-0ba211e90f5d" {
		t.Errorf("id of Disclosure — barrier = %s; starter ids must never change", c.ID)
	}
}

func TestStarterCFIR2(t *testing.T) {
	cb, err := Starter("CFIR2")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := LookupFramework("cfir2")
	ix := NewIndex(cb.Codes)
	linked := map[string]*Code{}
	for i := range cb.Codes {
		c := &cb.Codes[i]
		if c.Polarity != PolarityNone {
			t.Errorf("%s has polarity %s", c.Name, c.Polarity)
		}
		for _, l := range c.Links {
			if linked[l] != nil {
				t.Errorf("two codes link %s", l)
			}
			linked[l] = c
		}
	}
	for _, it := range f.Items {
		c := linked[it.ID]
		if c == nil {
			t.Errorf("no code for %s", it.ID)
			continue
		}
		if c.Name != it.Name || c.Description != it.Description {
			t.Errorf("code for %s = %+v", it.ID, c)
		}
		parent, _ := ix.Code(c.ParentID)
		switch {
		case it.Kind == "domain":
			if c.ParentID != "" {
				t.Errorf("domain %s is not a root", it.ID)
			}
		case it.Parent != "":
			if parent == nil || len(parent.Links) != 1 || parent.Links[0] != it.Parent {
				t.Errorf("%s is under %v, want %s", it.ID, parent, it.Parent)
			}
		}
	}
	if len(linked) != 72 || len(cb.Codes) != 72+2 {
		t.Errorf("%d linked codes of %d", len(linked), len(cb.Codes))
	}
	for path, link := range map[string]string{
		"Inner setting/Culture/Recipient-centeredness":                 "cfir2:III.D.2",
		"Outer setting/Financing":                                      "cfir2:II.F",
		"Individuals/Roles/Innovation deliverers":                      "cfir2:IV.H",
		"Individuals/Characteristics/Capability":                       "cfir2:IV.Char.B",
		"Implementation process/Assessing needs/Innovation deliverers": "cfir2:V.B.1",
		"Implementation process/Engaging/Innovation deliverers":        "cfir2:V.F.1",
	} {
		c, err := ix.Find(path)
		if err != nil || len(c.Links) != 1 || c.Links[0] != link {
			t.Errorf("Find(%q) = %+v, %v; want link %s", path, c, err, link)
		}
	}
	checkStarterStable(t, "cfir2", cb)
}

func TestStarterUnknown(t *testing.T) {
	_, err := Starter("ips")
	if err == nil || !strings.Contains(err.Error(), "ips25-barriers-facilitators, cfir2") {
		t.Errorf("Starter(ips) = %v", err)
	}
	if got := strings.Join(StarterNames(), ","); got != "ips25-barriers-facilitators,cfir2" {
		t.Errorf("StarterNames = %s", got)
	}
}

// checkStarterStable checks that a second call gives the same ids, that the
// ids are unique UUIDs, and that a YAML round trip keeps ids, tree and links.
func checkStarterStable(t *testing.T, name string, cb *Codebook) {
	t.Helper()
	again, err := Starter(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Codes) != len(cb.Codes) {
		t.Fatalf("second call: %d codes, first %d", len(again.Codes), len(cb.Codes))
	}
	seen := map[string]bool{}
	for i, c := range cb.Codes {
		if again.Codes[i].ID != c.ID || again.Codes[i].ParentID != c.ParentID {
			t.Errorf("code %s: id %s then %s", c.Name, c.ID, again.Codes[i].ID)
		}
		if seen[c.ID] {
			t.Errorf("id %s used twice", c.ID)
		}
		seen[c.ID] = true
	}
	var buf bytes.Buffer
	if err := WriteYAML(&buf, cb); err != nil {
		t.Fatal(err)
	}
	back, err := ReadYAML(name+".yaml", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Name != cb.Name || fmt.Sprint(back.Frameworks) != fmt.Sprint(cb.Frameworks) || len(back.Codes) != len(cb.Codes) {
		t.Fatalf("round trip: %q %v %d codes", back.Name, back.Frameworks, len(back.Codes))
	}
	ix, bix := NewIndex(cb.Codes), NewIndex(back.Codes)
	for _, c := range cb.Codes {
		b, ok := bix.Code(c.ID)
		if !ok {
			t.Errorf("round trip lost %s (%s)", ix.Path(c.ID), c.ID)
			continue
		}
		if bix.Path(b.ID) != ix.Path(c.ID) || b.ParentID != c.ParentID || strings.Join(b.Links, ",") != strings.Join(c.Links, ",") ||
			b.Polarity != c.Polarity || b.Description != c.Description {
			t.Errorf("round trip changed %s: %+v -> %+v", ix.Path(c.ID), c, *b)
		}
	}
}
