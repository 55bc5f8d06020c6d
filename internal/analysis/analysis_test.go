package analysis

import (
	"cmp"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

type counts struct{ segs, docs, parts int }

func freqRows(t *testing.T, ft *FreqTable) map[string]FreqRow {
	t.Helper()
	m := map[string]FreqRow{}
	for _, r := range ft.Rows {
		m[r.CodeID] = r
	}
	return m
}

func checkFreq(t *testing.T, ft *FreqTable, want map[string]counts) {
	t.Helper()
	rows := freqRows(t, ft)
	for id, w := range want {
		r := rows[id]
		if got := (counts{r.Segments, r.Documents, r.Participants}); got != w {
			t.Errorf("%s: segments/documents/participants = %v, want %v", id, got, w)
		}
	}
}

func checkGroups(t *testing.T, ft *FreqTable, code string, want map[string]GroupCount) {
	t.Helper()
	r := freqRows(t, ft)[code]
	if len(r.Groups) != len(ft.Groups) {
		t.Errorf("%s: %d groups in the row, table has %d", code, len(r.Groups), len(ft.Groups))
	}
	for _, g := range ft.Groups {
		got := r.Groups[g.Key]
		w := want[g.Key] // zero when not listed
		if got.Participants != w.Participants || got.Segments != w.Segments || math.Abs(got.Share-w.Share) > 1e-12 {
			t.Errorf("%s / %s: got %+v, want %+v", code, g.Key, got, w)
		}
	}
	for k := range want {
		if _, ok := r.Groups[k]; !ok {
			t.Errorf("%s: no group %q", code, k)
		}
	}
}

func groupSizes(ft *FreqTable) map[string]int {
	m := map[string]int{}
	for _, g := range ft.Groups {
		m[g.Key] = g.Participants
	}
	return m
}

func groupKeys(gs []GroupInfo) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Key)
	}
	return out
}

func TestFreqPlain(t *testing.T) {
	ds := fixture()
	ft, err := Freq(ds, FreqOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range ft.Rows {
		order = append(order, r.CodeID)
	}
	if want := []string{"t1", "c1", "c2", "t2", "c3", "c4", "c5"}; !slices.Equal(order, want) {
		t.Errorf("row order %v, want %v", order, want)
	}
	checkFreq(t, ft, map[string]counts{
		"t1": {0, 0, 0},
		"c1": {4, 3, 3}, // codings 1 4 7 15; s1 s2 e1
		"c2": {2, 2, 1}, // 0 (interviewer) 8 (s2)
		"t2": {1, 1, 1},
		"c3": {4, 3, 3}, // 2 3 9 11; s1 p1 e1
		"c4": {3, 3, 3}, // 5 10 13; e1 p1 u1
		"c5": {2, 2, 1}, // 6 (no speaker) 12 (e1)
	})
	r := freqRows(t, ft)["c1"]
	if r.Path != "Referral and access/Readiness gatekeeping" || r.Depth != 1 || r.Polarity != "barrier" || !slices.Equal(r.Links, []string{"ips25:8"}) || r.Name != "Readiness gatekeeping" {
		t.Errorf("c1 row info: %+v", r.CodeInfo)
	}
	if ft.Participants != 5 || ft.Documents != 3 || ft.Groups != nil || r.Groups != nil {
		t.Errorf("table: participants %d documents %d groups %v", ft.Participants, ft.Documents, ft.Groups)
	}
}

func TestFreqIncludeInterviewers(t *testing.T) {
	ft, err := Freq(fixture(), FreqOptions{IncludeInterviewers: true})
	if err != nil {
		t.Fatal(err)
	}
	checkFreq(t, ft, map[string]counts{"c2": {2, 2, 2}, "c1": {4, 3, 3}})
	if ft.Participants != 6 {
		t.Errorf("participants %d, want 6", ft.Participants)
	}
	ft, _ = Freq(fixture(), FreqOptions{IncludeInterviewers: true, By: []string{"role"}})
	if got := groupSizes(ft)["interviewer"]; got != 1 {
		t.Errorf("interviewer group size %d", got)
	}
	checkGroups(t, ft, "c2", map[string]GroupCount{"interviewer": {1, 1, 1}, "staff": {1, 1, 0.5}})
}

func TestFreqByRole(t *testing.T) {
	ft, err := Freq(fixture(), FreqOptions{By: []string{"role"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := groupKeys(ft.Groups), []string{"client", "employer", "staff", "(none)"}; !slices.Equal(got, want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
	if got, want := groupSizes(ft), map[string]int{"client": 1, "employer": 1, "staff": 2, "(none)": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("group sizes %v, want %v", got, want)
	}
	checkGroups(t, ft, "c1", map[string]GroupCount{"staff": {2, 3, 1}, "employer": {1, 1, 1}})
	checkGroups(t, ft, "c2", map[string]GroupCount{"staff": {1, 1, 0.5}}) // the interviewer's coding is left out
	checkGroups(t, ft, "c3", map[string]GroupCount{"staff": {1, 2, 0.5}, "client": {1, 1, 1}, "employer": {1, 1, 1}})
	checkGroups(t, ft, "c4", map[string]GroupCount{"employer": {1, 1, 1}, "client": {1, 1, 1}, "(none)": {1, 1, 1}})
	checkGroups(t, ft, "c5", map[string]GroupCount{"employer": {1, 1, 1}}) // coding 6 has no speaker
	checkGroups(t, ft, "t1", nil)
	checkFreq(t, ft, map[string]counts{"c1": {4, 3, 3}})
}

func TestFreqByRoleSite(t *testing.T) {
	ft, err := Freq(fixture(), FreqOptions{By: []string{"role", "site"}})
	if err != nil {
		t.Fatal(err)
	}
	// e1 has no site of their own: North in d0, South in d2, so in two
	// groups; p1's own site (North) wins over d1's (South).
	want := []string{"client / North", "employer / North", "employer / South", "staff / North", "staff / South", "(none) / South"}
	if got := groupKeys(ft.Groups); !slices.Equal(got, want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
	for _, g := range ft.Groups {
		if g.Participants != 1 {
			t.Errorf("group %s size %d, want 1", g.Key, g.Participants)
		}
	}
	if v := ft.Groups[2].Values; !slices.Equal(v, []string{"employer", "South"}) {
		t.Errorf("values %v", v)
	}
	checkGroups(t, ft, "c1", map[string]GroupCount{"staff / North": {1, 2, 1}, "staff / South": {1, 1, 1}, "employer / South": {1, 1, 1}})
	checkGroups(t, ft, "c4", map[string]GroupCount{"employer / North": {1, 1, 1}, "client / North": {1, 1, 1}, "(none) / South": {1, 1, 1}})
	checkGroups(t, ft, "c3", map[string]GroupCount{"staff / North": {1, 2, 1}, "client / North": {1, 1, 1}, "employer / South": {1, 1, 1}})
}

func TestFreqBySiteShares(t *testing.T) {
	ft, err := Freq(fixture(), FreqOptions{By: []string{"site"}})
	if err != nil {
		t.Fatal(err)
	}
	// North: s1 p1 e1; South: s2 e1 u1 (e1 in both).
	if got, want := groupSizes(ft), map[string]int{"North": 3, "South": 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("sizes %v, want %v", got, want)
	}
	checkGroups(t, ft, "c4", map[string]GroupCount{"North": {2, 2, 2.0 / 3}, "South": {1, 1, 1.0 / 3}})
	checkGroups(t, ft, "c1", map[string]GroupCount{"North": {1, 2, 1.0 / 3}, "South": {2, 2, 2.0 / 3}})
}

func TestFreqRollup(t *testing.T) {
	ft, err := Freq(fixture(), FreqOptions{Rollup: true, By: []string{"site"}})
	if err != nil {
		t.Fatal(err)
	}
	checkFreq(t, ft, map[string]counts{
		"t1": {6, 3, 3}, // c1 + c2 codings; s1 s2 e1
		"t2": {8, 3, 4}, // 14 + c3 (4) + c4 (3); u1 s1 p1 e1
		"c3": {4, 3, 3},
		"c5": {2, 2, 1},
	})
	// t2 North: codings 2 3 (s1) 9 10 (p1) 5 (e1 in d0); South: 11 (e1) 13 14 (u1).
	checkGroups(t, ft, "t2", map[string]GroupCount{"North": {3, 5, 1}, "South": {2, 3, 2.0 / 3}})

	sub, err := Freq(fixture(), FreqOptions{Rollup: true, Root: "t2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Rows) != 3 || sub.Rows[0].CodeID != "t2" || sub.Rows[0].Depth != 0 || sub.Rows[1].Depth != 1 {
		t.Errorf("root t2 rows: %+v", sub.Rows)
	}
	checkFreq(t, sub, map[string]counts{"t2": {8, 3, 4}})
	byPath, err := Freq(fixture(), FreqOptions{Root: "Employer engagement/Job development"})
	if err != nil || len(byPath.Rows) != 1 || byPath.Rows[0].CodeID != "c3" {
		t.Errorf("root by path: %v %+v", err, byPath)
	}
	if _, err := Freq(fixture(), FreqOptions{Root: "nope"}); err == nil {
		t.Error("unknown root: no error")
	}
}

func TestFreqOrphansAndCodebookOrder(t *testing.T) {
	ds := fixture()
	ds.Segments = append(ds.Segments, Segment{Doc: 0, CodeID: "gone", Start: 1, End: 2, Turn: 0, ParticipantID: "i1"})
	// A code whose parent is missing still gets a row, after the tree.
	ds.Codebook.Codes = append(ds.Codebook.Codes, ds.Codebook.Codes[0])
	ds.Codebook.Codes[len(ds.Codebook.Codes)-1].ID, ds.Codebook.Codes[len(ds.Codebook.Codes)-1].ParentID = "lost", "missing"
	ds.Index = nil
	ft, err := Freq(ds, FreqOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ft.Orphans != 1 || ft.Rows[len(ft.Rows)-1].CodeID != "lost" || len(ft.Rows) != 8 {
		t.Errorf("orphans %d rows %d last %s", ft.Orphans, len(ft.Rows), ft.Rows[len(ft.Rows)-1].CodeID)
	}
}

func TestFreqJSONShape(t *testing.T) {
	ft, _ := Freq(fixture(), FreqOptions{By: []string{"role"}})
	b, err := json.Marshal(ft.Rows[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"code", "path", "polarity", "segments", "documents", "participants", "groups"} {
		if _, ok := m[k]; !ok {
			t.Errorf("row JSON lacks %q: %s", k, b)
		}
	}
	g := m["groups"].(map[string]any)["staff"].(map[string]any)
	if g["participants"] != 2.0 || g["segments"] != 3.0 {
		t.Errorf("groups.staff = %v", g)
	}
}

// Explain must list exactly the codings behind every count Freq reports.
func TestExplainConsistent(t *testing.T) {
	ds := fixture()
	for _, opt := range []FreqOptions{
		{}, {By: []string{"role"}}, {By: []string{"role", "site"}}, {By: []string{"site"}, Rollup: true},
		{By: []string{"role"}, IncludeInterviewers: true}, {Rollup: true, IncludeInterviewers: true, By: []string{"kind"}},
	} {
		ft, err := Freq(ds, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range ft.Rows {
			idx, err := ExplainFreq(ds, r.CodeID, "", opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(idx) != r.Segments || distinctDocs(ds, idx) != r.Documents || distinctSpeakers(ds, idx, opt.IncludeInterviewers) != r.Participants {
				t.Errorf("%+v %s: explain %v does not give %d/%d/%d", opt, r.CodeID, idx, r.Segments, r.Documents, r.Participants)
			}
			for key, g := range r.Groups {
				idx, _ := ExplainFreq(ds, r.CodeID, key, opt)
				if len(idx) != g.Segments || distinctSpeakers(ds, idx, true) != g.Participants {
					t.Errorf("%+v %s/%s: explain %v does not give %+v", opt, r.CodeID, key, idx, g)
				}
			}
		}
	}
	if got := Explain(ds, "c1", "", nil); !slices.Equal(got, []int{1, 4, 7, 15}) {
		t.Errorf("Explain c1 = %v", got)
	}
	if got := Explain(ds, "c1", "staff", []string{"role"}); !slices.Equal(got, []int{1, 4, 7}) {
		t.Errorf("Explain c1 staff = %v", got)
	}
	if got := Explain(ds, "c2", "interviewer", []string{"role"}); len(got) != 0 {
		t.Errorf("Explain c2 interviewer = %v", got)
	}
	if got, _ := ExplainFreq(ds, "t2", "North", FreqOptions{By: []string{"site"}, Rollup: true}); !slices.Equal(got, []int{2, 3, 5, 9, 10}) {
		t.Errorf("ExplainFreq t2 North rollup = %v", got)
	}
}

func TestCodebookUse(t *testing.T) {
	u := CodebookUse(fixture())
	want := map[string]Use{"t1": {}, "c1": {4, 3, 3}, "c2": {2, 2, 1}, "t2": {1, 1, 1}, "c3": {4, 3, 3}, "c4": {3, 3, 3}, "c5": {2, 2, 1}}
	if !reflect.DeepEqual(u, want) {
		t.Errorf("CodebookUse = %v, want %v", u, want)
	}
}

func fidelityRow(ft *FidelityTable, item string) FidelityRow {
	for _, r := range ft.Rows {
		if r.Item == item {
			return r
		}
	}
	return FidelityRow{}
}

func TestFidelityRows(t *testing.T) {
	ft, err := Fidelity(fixture(), FidelityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ft.Rows) != 25 || ft.Rows[0].Item != "ips25:1" || ft.Rows[24].Item != "ips25:25" || ft.Framework != "ips25" {
		t.Fatalf("%d rows, first %s", len(ft.Rows), ft.Rows[0].Item)
	}
	if ft.Groups != nil || ft.Sites != nil || ft.Rows[0].Groups != nil || ft.Rows[0].Joint != nil {
		t.Error("no scores, no --by: expected no groups or joint display")
	}
	empty := 0
	for _, r := range ft.Rows {
		if r.Counts == (FidelityCounts{}) && len(r.Codes) == 0 {
			empty++
		}
	}
	if empty != 22 {
		t.Errorf("%d empty rows, want 22", empty)
	}
	r8 := fidelityRow(ft, "ips25:8")
	want8 := FidelityCounts{Barrier: PolarityCount{4, 3}, Facilitator: PolarityCount{2, 1}, Total: PolarityCount{6, 3}}
	if r8.Counts != want8 || !slices.Equal(r8.Codes, []string{"c1", "c2"}) {
		t.Errorf("item 8: %+v %v, want %+v", r8.Counts, r8.Codes, want8)
	}
	// t2's mixed polarity is its own; c4 (no polarity) is unspecified, not mixed.
	r16 := fidelityRow(ft, "ips25:16")
	want16 := FidelityCounts{Facilitator: PolarityCount{4, 3}, Mixed: PolarityCount{1, 1}, Unspecified: PolarityCount{3, 3}, Total: PolarityCount{8, 4}}
	if r16.Counts != want16 || !slices.Equal(r16.Codes, []string{"t2", "c3", "c4"}) {
		t.Errorf("item 16: %+v %v, want %+v", r16.Counts, r16.Codes, want16)
	}
	if r17 := fidelityRow(ft, "ips25:17"); r17.Counts != (FidelityCounts{Facilitator: PolarityCount{4, 3}, Total: PolarityCount{4, 3}}) {
		t.Errorf("item 17: %+v", r17.Counts)
	}

	cf, err := Fidelity(fixture(), FidelityOptions{Framework: "cfir2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cf.Rows) != 72 || cf.Sites != nil {
		t.Errorf("cfir2: %d rows", len(cf.Rows))
	}
	if r := fidelityRow(cf, "cfir2:II"); r.Counts != (FidelityCounts{Unspecified: PolarityCount{2, 1}, Total: PolarityCount{2, 1}}) {
		t.Errorf("cfir2:II %+v", r.Counts)
	}
	if _, err := Fidelity(fixture(), FidelityOptions{Framework: "nope"}); err == nil {
		t.Error("unknown framework: no error")
	}
}

func TestFidelityByRole(t *testing.T) {
	ft, err := Fidelity(fixture(), FidelityOptions{By: "role"})
	if err != nil {
		t.Fatal(err)
	}
	r8 := fidelityRow(ft, "ips25:8")
	if got := r8.Groups["staff"]; got != (FidelityCounts{Barrier: PolarityCount{3, 2}, Facilitator: PolarityCount{1, 1}, Total: PolarityCount{4, 2}}) {
		t.Errorf("item 8 staff %+v", got)
	}
	if got := r8.Groups["employer"]; got != (FidelityCounts{Barrier: PolarityCount{1, 1}, Total: PolarityCount{1, 1}}) {
		t.Errorf("item 8 employer %+v", got)
	}
	if len(fidelityRow(ft, "ips25:1").Groups) != 4 {
		t.Error("empty rows should carry every group")
	}
}

func TestFidelityJoint(t *testing.T) {
	ds := fixture()
	ds.Scores = fixtureScores()
	ft, err := Fidelity(ds, FidelityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ft.By, []string{"site"}) || !slices.Equal(groupKeys(ft.Groups), []string{"North", "South"}) {
		t.Errorf("by %v groups %v", ft.By, groupKeys(ft.Groups))
	}
	wantSites := []SiteScore{
		{Site: "North", Total: 101, Scored: 25, Band: "Good fidelity", Participants: 3},
		{Site: "South", Total: 60, Scored: 20, Missing: 5, MissingItems: []string{"ips25:21", "ips25:22", "ips25:23", "ips25:24", "ips25:25"}, Participants: 3},
	}
	if !reflect.DeepEqual(ft.Sites, wantSites) {
		t.Errorf("sites %+v, want %+v", ft.Sites, wantSites)
	}
	r8 := fidelityRow(ft, "ips25:8")
	// North: c1 codings 1 4 (s1); c2's only North coding is the interviewer's.
	if got, want := r8.Joint["North"], (JointCell{Score: 5, Scored: true, FidelityCounts: FidelityCounts{Barrier: PolarityCount{2, 1}, Total: PolarityCount{2, 1}}}); got != want {
		t.Errorf("item 8 North %+v, want %+v", got, want)
	}
	// South: c1 codings 7 (s2) 15 (e1 in d2); c2 coding 8 (s2).
	if got, want := r8.Joint["South"], (JointCell{Score: 3, Scored: true, FidelityCounts: FidelityCounts{Barrier: PolarityCount{2, 2}, Facilitator: PolarityCount{1, 1}, Total: PolarityCount{3, 2}}}); got != want {
		t.Errorf("item 8 South %+v, want %+v", got, want)
	}
	r16 := fidelityRow(ft, "ips25:16")
	if got, want := r16.Joint["North"], (JointCell{Score: 4, Scored: true, FidelityCounts: FidelityCounts{Facilitator: PolarityCount{3, 2}, Unspecified: PolarityCount{2, 2}, Total: PolarityCount{5, 3}}}); got != want {
		t.Errorf("item 16 North %+v, want %+v", got, want)
	}
	if got, want := r16.Joint["South"], (JointCell{Score: 3, Scored: true, FidelityCounts: FidelityCounts{Facilitator: PolarityCount{1, 1}, Mixed: PolarityCount{1, 1}, Unspecified: PolarityCount{1, 1}, Total: PolarityCount{3, 2}}}); got != want {
		t.Errorf("item 16 South %+v, want %+v", got, want)
	}
	if got := fidelityRow(ft, "ips25:22").Joint["South"]; got.Scored || got.Score != 0 {
		t.Errorf("item 22 South %+v", got)
	}
	if len(r8.Joint) != 2 {
		t.Errorf("joint sites %v", sortedKeys(r8.Joint))
	}
	// With another --by the joint display still counts by site.
	fr, err := Fidelity(ds, FidelityOptions{By: "role"})
	if err != nil {
		t.Fatal(err)
	}
	if got := fidelityRow(fr, "ips25:8").Joint["South"]; got != r8.Joint["South"] {
		t.Errorf("by role: joint South %+v", got)
	}
	if !slices.Equal(groupKeys(fr.Groups), []string{"client", "employer", "staff", "(none)"}) {
		t.Errorf("by role groups %v", groupKeys(fr.Groups))
	}
	// Explain a joint cell and an overall count.
	idx, err := ExplainFidelity(ds, FidelityOptions{By: "site"}, "ips25:16", "facilitator", "North")
	if err != nil || !slices.Equal(idx, []int{2, 3, 9}) {
		t.Errorf("explain 16 facilitator North: %v %v", idx, err)
	}
	idx, _ = ExplainFidelity(ds, FidelityOptions{}, "16", "", "")
	if len(idx) != 8 || distinctSpeakers(ds, idx, false) != 4 {
		t.Errorf("explain 16 total: %v", idx)
	}
}

func TestFidelityBands(t *testing.T) {
	for _, tc := range []struct {
		each int
		band string
	}{{5, "Exemplary fidelity"}, {4, "Good fidelity"}, {3, "Fair fidelity"}, {2, "Not supported employment"}} {
		ds := fixture()
		m := map[string]int{}
		for i := 1; i <= 25; i++ {
			m["ips25:"+itoa(i)] = tc.each
		}
		ds.Scores = map[string]map[string]int{"North": m}
		ft, err := Fidelity(ds, FidelityOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ft.Sites) != 1 || ft.Sites[0].Total != 25*tc.each || ft.Sites[0].Band != tc.band {
			t.Errorf("all %d: %+v, want band %s", tc.each, ft.Sites, tc.band)
		}
	}
}

func matrixCells(mt *MatrixTable) map[string][]int {
	m := map[string][]int{}
	for _, r := range mt.Rows {
		m[r.CodeID] = r.Cells
	}
	return m
}

func columnKeys(mt *MatrixTable) []string {
	var out []string
	for _, c := range mt.Columns {
		out = append(out, c.Label)
	}
	return out
}

func TestMatrix(t *testing.T) {
	ds := fixture()
	mt, err := Matrix(ds, "documents", false, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := columnKeys(mt); !slices.Equal(got, []string{"FG1", "P2", "P10"}) {
		t.Errorf("columns %v", got)
	}
	want := map[string][]int{"t1": {0, 0, 0}, "c1": {1, 1, 2}, "c2": {0, 1, 1}, "t2": {1, 0, 0}, "c3": {1, 1, 2}, "c4": {1, 1, 1}, "c5": {1, 1, 0}}
	if got := matrixCells(mt); !reflect.DeepEqual(got, want) {
		t.Errorf("documents matrix %v, want %v", got, want)
	}
	if mt.Rows[1].Total != 4 {
		t.Errorf("c1 total %d", mt.Rows[1].Total)
	}

	mt, _ = Matrix(ds, "documents", false, "", true)
	if got := matrixCells(mt); !slices.Equal(got["t1"], []int{1, 2, 3}) || !slices.Equal(got["t2"], []int{3, 2, 3}) || mt.Rows[3].Total != 8 {
		t.Errorf("rollup t1 %v t2 %v", got["t1"], got["t2"])
	}
	mt, _ = Matrix(ds, "documents", true, "", false)
	if got := matrixCells(mt); !slices.Equal(got["c3"], []int{1, 1, 1}) || mt.Rows[4].Total != 3 {
		t.Errorf("binary c3 %v", got["c3"])
	}

	mt, err = Matrix(ds, "participants", false, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := columnKeys(mt); !slices.Equal(got, []string{"Client 1", "Employer 1", "Interviewer A", "Staff 2", "Staff 10", "u1", "(none)"}) {
		t.Errorf("participant columns %v", got)
	}
	got := matrixCells(mt)
	for code, w := range map[string][]int{"c3": {1, 1, 0, 0, 2, 0, 0}, "c5": {0, 1, 0, 0, 0, 0, 1}, "c1": {0, 1, 0, 1, 2, 0, 0}, "c2": {0, 0, 1, 1, 0, 0, 0}} {
		if !slices.Equal(got[code], w) {
			t.Errorf("participants %s = %v, want %v", code, got[code], w)
		}
	}

	mt, _ = Matrix(ds, "site", false, "", false)
	if got := columnKeys(mt); !slices.Equal(got, []string{"North", "South"}) {
		t.Errorf("site columns %v", got)
	}
	got = matrixCells(mt)
	for code, w := range map[string][]int{"c1": {2, 2}, "c4": {2, 1}, "c5": {0, 2}, "c2": {1, 1}, "c3": {3, 1}} {
		if !slices.Equal(got[code], w) {
			t.Errorf("site %s = %v, want %v", code, got[code], w)
		}
	}
	mt, _ = Matrix(ds, "role", false, "t2", false)
	if got := columnKeys(mt); !slices.Equal(got, []string{"client", "employer", "interviewer", "staff", "(none)"}) || len(mt.Rows) != 3 {
		t.Errorf("role columns %v rows %d", got, len(mt.Rows))
	}
	// c5's coding without a speaker falls in d1's (absent) role: (none).
	idx, err := ExplainMatrix(ds, "site", "c3", "North", false)
	if err != nil || !slices.Equal(idx, []int{2, 3, 9}) {
		t.Errorf("explain matrix %v %v", idx, err)
	}
	idx, _ = ExplainMatrix(ds, "documents", "t2", "d0", true)
	if !slices.Equal(idx, []int{2, 3, 5}) {
		t.Errorf("explain matrix rollup %v", idx)
	}
	if _, err := Matrix(ds, "", false, "", false); err == nil {
		t.Error("no columns: no error")
	}
}

func cooccurAt(ct *CooccurTable, a, b string) (int, float64) {
	ia, ib := -1, -1
	for i, c := range ct.Codes {
		if c.CodeID == a {
			ia = i
		}
		if c.CodeID == b {
			ib = i
		}
	}
	return ct.Counts[ia][ib], ct.Jaccard[ia][ib]
}

func TestCooccur(t *testing.T) {
	ds := fixture()
	type cell struct {
		a, b string
		n    int
		j    float64
	}
	check := func(unit string, cells []cell, total int) {
		t.Helper()
		ct, err := Cooccur(ds, unit, "")
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for i := range ct.Counts {
			for j := range ct.Counts[i] {
				if ct.Counts[i][j] != ct.Counts[j][i] {
					t.Errorf("%s: not symmetric at %d,%d", unit, i, j)
				}
				if j > i {
					sum += ct.Counts[i][j]
				}
			}
		}
		if sum != total {
			t.Errorf("%s: %d co-occurrences above the diagonal, want %d", unit, sum, total)
		}
		for _, c := range cells {
			n, j := cooccurAt(ct, c.a, c.b)
			if n != c.n || math.Abs(j-c.j) > 1e-12 {
				t.Errorf("%s %s×%s = %d (%.4f), want %d (%.4f)", unit, c.a, c.b, n, j, c.n, c.j)
			}
		}
	}
	// Segments: overlapping pairs 1-2 1-3 (c1 c3), 7-8, 9-10, 11-12, 12-13,
	// 12-14, 12-15, 13-14; 2-3 are both c3 and not counted.
	check("segment", []cell{
		{"c1", "c1", 4, 1}, {"c3", "c3", 4, 1}, {"c5", "c5", 2, 1}, {"t1", "t1", 0, 0},
		{"c1", "c3", 2, 2.0 / 6}, {"c1", "c2", 1, 1.0 / 5}, {"c3", "c4", 1, 1.0 / 6}, {"c3", "c5", 1, 1.0 / 5},
		{"c4", "c5", 1, 1.0 / 4}, {"c5", "t2", 1, 1.0 / 2}, {"c1", "c5", 1, 1.0 / 5}, {"c4", "t2", 1, 1.0 / 3},
		{"c2", "c3", 0, 0},
	}, 9)
	// Turns: d0 T0 {c2} T1 {c1 c3} T3 {c1} T4 {c4}; d1 T1 {c1 c2} T3 {c3 c4};
	// d2 T1 {c3 c5} T2 {c4 c5 t2} T3 {c1 c5}. Coding 6 is in no turn.
	check("turn", []cell{
		{"c1", "c1", 4, 1}, {"c3", "c3", 3, 1}, {"c5", "c5", 3, 1}, {"c2", "c2", 2, 1},
		{"c1", "c3", 1, 1.0 / 6}, {"c1", "c2", 1, 1.0 / 5}, {"c3", "c4", 1, 1.0 / 5}, {"c3", "c5", 1, 1.0 / 5},
		{"c4", "c5", 1, 1.0 / 5}, {"c5", "t2", 1, 1.0 / 3}, {"c1", "c5", 1, 1.0 / 6}, {"c4", "t2", 1, 1.0 / 3},
	}, 8)
	ct, _ := Cooccur(ds, "turn", "t2")
	if len(ct.Codes) != 3 || ct.Counts[0][1] != 0 || ct.Counts[1][2] != 1 {
		t.Errorf("scoped to t2: %v", ct.Counts)
	}
	if _, err := Cooccur(ds, "sentence", ""); err == nil {
		t.Error("bad unit: no error")
	}
	for _, tc := range []struct {
		unit, a, b string
		want       []int
	}{
		{"segment", "c1", "c3", []int{1, 2, 3}},
		{"turn", "c1", "c3", []int{1, 2, 3}},
		{"turn", "c5", "c1", []int{12, 15}},
		{"turn", "c5", "c5", []int{12}},
		{"segment", "c5", "c5", []int{6, 12}},
	} {
		if got, err := ExplainCooccur(ds, tc.unit, tc.a, tc.b); err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("explain %s %s×%s = %v %v, want %v", tc.unit, tc.a, tc.b, got, err, tc.want)
		}
	}
}

func quoteSegs(g QuoteGroup) []int {
	var out []int
	for _, q := range g.Quotes {
		out = append(out, q.Segment)
	}
	return out
}

func TestQuotes(t *testing.T) {
	ds := fixture()
	qs, err := Quotes(ds, QuoteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, g := range qs {
		codes = append(codes, g.CodeID)
	}
	if !slices.Equal(codes, []string{"c1", "c2", "t2", "c3", "c4", "c5"}) {
		t.Errorf("groups %v", codes)
	}
	// c3: FG1 (11), P2 (9), P10 (2 then 3).
	if got := quoteSegs(qs[3]); !slices.Equal(got, []int{11, 9, 2, 3}) || qs[3].Total != 4 {
		t.Errorf("c3 quotes %v", got)
	}
	c1 := qs[0]
	if got := quoteSegs(c1); !slices.Equal(got, []int{15, 7, 1, 4}) {
		t.Errorf("c1 quotes %v", got)
	}
	q := c1.Quotes[2]
	if q.Text != "Ready first, café" || q.Document != "P10" || q.Speaker != "Staff 10" || q.Role != "staff" || q.Site != "North" || q.Turn != 2 || q.TimeMS != -1 || q.Coder != "ann" {
		t.Errorf("quote %+v", q)
	}
	if qs[1].Quotes[1].Text != "ééé" || qs[1].Quotes[1].Role != "interviewer" {
		t.Errorf("c2 quote %+v", qs[1].Quotes[1])
	}
	for _, g := range qs {
		for _, q := range g.Quotes {
			s := ds.Segments[q.Segment]
			if want := sliceRunes(fixtureText(s.Doc), s.Start, s.End); q.Text != want {
				t.Errorf("quote %d text %q, want %q", q.Segment, q.Text, want)
			}
		}
	}
	c5 := qs[5]
	if q := c5.Quotes[0]; q.Segment != 12 || q.Speaker != "Employer 1" || q.Site != "South" || q.Turn != 2 || q.TimeMS != 10000 || q.Memo != "spans three turns" {
		t.Errorf("c5 quote %+v", q)
	}
	if q := c5.Quotes[1]; q.Segment != 6 || q.Speaker != "" || q.Turn != 0 || q.TimeMS != -1 || q.Site != "South" {
		t.Errorf("c5 preamble quote %+v", q)
	}

	byRole, _ := Quotes(ds, QuoteOptions{By: "role", Root: "c5"})
	if len(byRole) != 2 || byRole[0].Group != "employer" || byRole[1].Group != "(none)" || !slices.Equal(quoteSegs(byRole[1]), []int{6}) {
		t.Errorf("by role %+v", byRole)
	}
	limited, _ := Quotes(ds, QuoteOptions{Max: 2})
	if got := quoteSegs(limited[3]); !slices.Equal(got, []int{11, 9}) || limited[3].Total != 4 {
		t.Errorf("max 2 c3 %v", got)
	}

	// Round robin: FG1 gets two more c5 codings; Max 2 takes FG1's first and
	// P2's, not FG1's first two.
	ds.Segments = append(ds.Segments,
		Segment{Doc: 2, CodeID: "c5", Start: 80, End: 85, Turn: 3, ParticipantID: "e1"},
		Segment{Doc: 2, CodeID: "c5", Start: 90, End: 95, Turn: 3, ParticipantID: "e1"})
	rr, _ := Quotes(ds, QuoteOptions{Max: 2, Root: "c5"})
	if got := quoteSegs(rr[0]); !slices.Equal(got, []int{12, 6}) || rr[0].Total != 4 {
		t.Errorf("round robin %v", got)
	}
	rr, _ = Quotes(ds, QuoteOptions{Max: 3, Root: "c5"})
	if got := quoteSegs(rr[0]); !slices.Equal(got, []int{12, 16, 6}) {
		t.Errorf("round robin 3 %v", got)
	}
	ds.Text = nil
	nt, _ := Quotes(ds, QuoteOptions{Root: "c5"})
	if nt[0].Quotes[0].Text != "" {
		t.Error("text without Dataset.Text")
	}
}

// Quote lists make the same quotes as Quotes, in whatever order they are
// read.
func TestQuoteListsInAnyOrder(t *testing.T) {
	ds := fixture()
	want, err := Quotes(ds, QuoteOptions{By: "role"})
	if err != nil {
		t.Fatal(err)
	}
	lists, err := QuoteLists(ds, QuoteOptions{By: "role"})
	if err != nil || len(lists) != len(want) {
		t.Fatalf("%d lists (%v), want %d", len(lists), err, len(want))
	}
	for i := len(lists) - 1; i >= 0; i-- {
		l := &lists[i]
		if l.CodeID != want[i].CodeID || l.Group != want[i].Group || l.Total != want[i].Total || l.Len() != len(want[i].Quotes) {
			t.Fatalf("list %d is %s/%s with %d of %d, want %s/%s", i, l.CodeID, l.Group, l.Len(), l.Total, want[i].CodeID, want[i].Group)
		}
		for j := l.Len() - 1; j >= 0; j-- {
			if got := l.Item(j); got != want[i].Quotes[j] {
				t.Errorf("list %d item %d = %+v, want %+v", i, j, got, want[i].Quotes[j])
			}
		}
	}
}

func TestNaturalCompare(t *testing.T) {
	ordered := []string{"", "a", "FG1", "fg2", "P02", "P2", "P10", "p10", "P10a", "Staff 2", "Staff 10"}
	for i := range ordered {
		for j := range ordered {
			if got := NaturalCompare(ordered[i], ordered[j]); got != cmp.Compare(i, j) {
				t.Errorf("NaturalCompare(%q, %q) = %d, want %d", ordered[i], ordered[j], got, cmp.Compare(i, j))
			}
		}
	}
}

// Every report gives byte-identical JSON run after run (maps are iterated
// in random order; nothing may depend on it).
func TestDeterministic(t *testing.T) {
	run := func() string {
		ds := fixture()
		ds.Scores = fixtureScores()
		var b strings.Builder
		enc := json.NewEncoder(&b)
		f1, _ := Freq(ds, FreqOptions{By: []string{"role", "site"}, Rollup: true})
		f2, _ := Fidelity(ds, FidelityOptions{By: "role"})
		m1, _ := Matrix(ds, "site", false, "", true)
		m2, _ := Matrix(ds, "participants", true, "", false)
		c1, _ := Cooccur(ds, "turn", "")
		c2, _ := Cooccur(ds, "segment", "")
		q, _ := Quotes(ds, QuoteOptions{By: "site", Max: 1})
		for _, v := range []any{f1, f2, m1, m2, c1, c2, q, CodebookUse(ds)} {
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
		}
		return b.String()
	}
	first := run()
	for i := 0; i < 20; i++ {
		if run() != first {
			t.Fatal("output differs between runs")
		}
	}
}
