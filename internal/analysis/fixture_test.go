package analysis

import (
	"sort"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
)

// The fixture: three documents, six people (one interviewer), sixteen
// codings, two sites. Every expected number in the tests is counted by
// hand from the table below.
//
// Codes (codebook order):
//
//	t1 Referral and access      (grouping)
//	  c1 Readiness gatekeeping  barrier      ips25:8
//	  c2 Open referral          facilitator  ips25:8
//	t2 Employer engagement      mixed        ips25:16
//	  c3 Job development        facilitator  ips25:16 ips25:17
//	  c4 Benefits fears         (none)       ips25:16
//	c5 Other                    (none)       cfir2:II
//
// People: i1 interviewer; s1 "Staff 10" staff North; s2 "Staff 2" staff
// South; p1 "Client 1" client North; e1 "Employer 1" employer (no site);
// u1 (no label, no attributes).
//
// Documents:
//
//	d0 "P10" interview, site North: T0 i1 [0,10) T1 s1 [10,50) T2 i1 [50,60) T3 s1 [60,100) T4 e1 [100,120)
//	d1 "P2"  interview, site South: T0 i1 [5,10) T1 s2 [10,40) T2 i1 [40,50) T3 p1 [50,90)
//	d2 "FG1" focus_group, South:    T0 i1 [0,10) T1 e1 [10,40) T2 u1 [40,70) T3 e1 [70,100)
//
// Codings (index: doc code span turn speaker):
//
//	 0 d0 c2 [2,8)     T0 i1
//	 1 d0 c1 [12,30)   T1 s1
//	 2 d0 c3 [20,45)   T1 s1
//	 3 d0 c3 [25,28)   T1 s1  (coder bob)
//	 4 d0 c1 [62,80)   T3 s1
//	 5 d0 c4 [105,115) T4 e1
//	 6 d1 c5 [0,4)     -  (no speaker)
//	 7 d1 c1 [12,20)   T1 s2
//	 8 d1 c2 [15,38)   T1 s2
//	 9 d1 c3 [55,88)   T3 p1
//	10 d1 c4 [55,70)   T3 p1
//	11 d2 c3 [12,35)   T1 e1
//	12 d2 c5 [30,75)   T1 e1  (spans T1-T3)
//	13 d2 c4 [42,60)   T2 u1
//	14 d2 t2 [45,50)   T2 u1
//	15 d2 c1 [72,90)   T3 e1
func fixture() *Dataset {
	cb := &codebook.Codebook{Name: "fixture", Codes: []codebook.Code{
		{ID: "t1", Name: "Referral and access", Grouping: true},
		{ID: "c1", Name: "Readiness gatekeeping", ParentID: "t1", Polarity: codebook.PolarityBarrier, Links: []string{"ips25:8"}},
		{ID: "c2", Name: "Open referral", ParentID: "t1", Polarity: codebook.PolarityFacilitator, Links: []string{"ips25:8"}},
		{ID: "t2", Name: "Employer engagement", Polarity: codebook.PolarityMixed, Links: []string{"ips25:16"}},
		{ID: "c3", Name: "Job development", ParentID: "t2", Polarity: codebook.PolarityFacilitator, Links: []string{"ips25:16", "ips25:17"}},
		{ID: "c4", Name: "Benefits fears", ParentID: "t2", Links: []string{"ips25:16"}},
		{ID: "c5", Name: "Other", Links: []string{"cfir2:II"}},
	}}
	people := map[string]Person{
		"i1": {ID: "i1", Label: "Interviewer A", Attrs: map[string]string{"role": "interviewer"}},
		"s1": {ID: "s1", Label: "Staff 10", Attrs: map[string]string{"role": "staff", "site": "North"}},
		"s2": {ID: "s2", Label: "Staff 2", Attrs: map[string]string{"role": "staff", "site": "South"}},
		"p1": {ID: "p1", Label: "Client 1", Attrs: map[string]string{"role": "client", "site": "North"}},
		"e1": {ID: "e1", Label: "Employer 1", Attrs: map[string]string{"role": "employer"}},
		"u1": {ID: "u1", Attrs: map[string]string{}},
	}
	turn := func(p string, s, e int, ms int64) Turn { return Turn{ParticipantID: p, Start: s, End: e, TimeMS: ms} }
	docs := []Doc{
		{ID: "d0", Name: "P10", Kind: "interview", Attrs: map[string]string{"site": "North"}, Turns: []Turn{
			turn("i1", 0, 10, -1), turn("s1", 10, 50, -1), turn("i1", 50, 60, -1), turn("s1", 60, 100, -1), turn("e1", 100, 120, -1)}},
		{ID: "d1", Name: "P2", Kind: "interview", Attrs: map[string]string{"site": "South"}, Turns: []Turn{
			turn("i1", 5, 10, -1), turn("s2", 10, 40, -1), turn("i1", 40, 50, -1), turn("p1", 50, 90, -1)}},
		{ID: "d2", Name: "FG1", Kind: "focus_group", Attrs: map[string]string{"site": "South"}, Turns: []Turn{
			turn("i1", 0, 10, 0), turn("e1", 10, 40, 10000), turn("u1", 40, 70, 20000), turn("e1", 70, 100, 30000)}},
	}
	seg := func(doc int, code string, s, e, tu int) Segment {
		pid := ""
		if tu >= 0 {
			pid = docs[doc].Turns[tu].ParticipantID
		}
		return Segment{Doc: doc, CodeID: code, Start: s, End: e, Turn: tu, ParticipantID: pid, Coder: "ann"}
	}
	segs := []Segment{
		seg(0, "c2", 2, 8, 0),
		seg(0, "c1", 12, 30, 1),
		seg(0, "c3", 20, 45, 1),
		seg(0, "c3", 25, 28, 1),
		seg(0, "c1", 62, 80, 3),
		seg(0, "c4", 105, 115, 4),
		seg(1, "c5", 0, 4, -1),
		seg(1, "c1", 12, 20, 1),
		seg(1, "c2", 15, 38, 1),
		seg(1, "c3", 55, 88, 3),
		seg(1, "c4", 55, 70, 3),
		seg(2, "c3", 12, 35, 1),
		seg(2, "c5", 30, 75, 1),
		seg(2, "c4", 42, 60, 2),
		seg(2, "t2", 45, 50, 2),
		seg(2, "c1", 72, 90, 3),
	}
	segs[3].Coder = "bob"
	segs[12].Memo = "spans three turns"
	for i := range segs {
		segs[i].CodingID = "k" + string(rune('a'+i))
	}
	texts := make([]string, len(docs))
	for d := range docs {
		texts[d] = fixtureText(d)
	}
	return &Dataset{Codebook: cb, Index: codebook.NewIndex(cb.Codes), Docs: docs, People: people, Segments: segs,
		Text: func(d int) string { return texts[d] }}
}

// fixtureText is 130 runes: filler letters with an "é" every seventh rune
// (so rune and byte offsets differ), and in d0 "ééé" at 3 and
// "Ready first, café" at 13 (coding 1 is [12,30)).
func fixtureText(d int) string {
	r := make([]rune, 130)
	for i := range r {
		switch {
		case i%7 == 6:
			r[i] = 'é'
		case i%11 == 10:
			r[i] = ' '
		default:
			r[i] = rune('a' + (i+d)%26)
		}
	}
	if d == 0 {
		copy(r[2:8], []rune(" ééé  "))
		copy(r[12:30], []rune(" Ready first, café"))
	}
	return string(r)
}

// fixtureScores: North scores every IPS-25 item 4 except item 8 (5):
// total 101, "Good fidelity". South scores items 1-20 at 3: total 60 with
// 5 missing, no band. East has only a CFIR score, so no IPS-25 entry.
func fixtureScores() map[string]map[string]int {
	north, south := map[string]int{}, map[string]int{}
	for i := 1; i <= 25; i++ {
		north["ips25:"+itoa(i)] = 4
		if i <= 20 {
			south["ips25:"+itoa(i)] = 3
		}
	}
	north["ips25:8"] = 5
	return map[string]map[string]int{"North": north, "South": south, "East": {"cfir2:II": 1}}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// sliceRunes is the test's own rune slicing, independent of fillTexts.
func sliceRunes(s string, a, b int) string {
	r := []rune(s)
	return strings.TrimSpace(string(r[a:b]))
}

func distinctDocs(ds *Dataset, idx []int) int {
	m := map[int]bool{}
	for _, i := range idx {
		m[ds.Segments[i].Doc] = true
	}
	return len(m)
}

func distinctSpeakers(ds *Dataset, idx []int, inclInt bool) int {
	m := map[string]bool{}
	for _, i := range idx {
		p := ds.Segments[i].ParticipantID
		if p != "" && (inclInt || !ds.People[p].Interviewer()) {
			m[p] = true
		}
	}
	return len(m)
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
