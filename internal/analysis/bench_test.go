package analysis

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/qcode-qda/qcode/codebook"
)

// bigDataset is the benchmark size: 1,000,000 codings over 2,000
// documents, 30 codes (6 themes of 4 sub-codes), 300 participants in 3
// roles plus 10 interviewers, 10 sites, and IPS-25 scores for every site.
// Each document has 100 turns of 100 runes alternating between an
// interviewer and three participants, and 500 codings of 30 runes every 20
// runes (so codings overlap their neighbours).
var bigDataset = sync.OnceValue(func() *Dataset {
	const (
		nDocs, perDoc, nPeople, nInterviewers, nSites = 2000, 500, 300, 10, 10
		turnsPerDoc, turnLen                          = 100, 100
	)
	id := func(kind, i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", kind, i) }
	cb := &codebook.Codebook{Name: "bench"}
	pols := []codebook.Polarity{codebook.PolarityBarrier, codebook.PolarityFacilitator, codebook.PolarityMixed, codebook.PolarityNone}
	for th := 0; th < 6; th++ {
		tid := id(1, th*5)
		cb.Codes = append(cb.Codes, codebook.Code{ID: tid, Name: fmt.Sprintf("Theme %d", th), Polarity: pols[th%4], Links: []string{fmt.Sprintf("ips25:%d", th+1)}})
		for k := 1; k <= 4; k++ {
			n := th*5 + k
			cb.Codes = append(cb.Codes, codebook.Code{ID: id(1, n), ParentID: tid, Name: fmt.Sprintf("Code %d", n),
				Polarity: pols[n%4], Links: []string{fmt.Sprintf("ips25:%d", n%25+1), fmt.Sprintf("ips25:%d", (n*7)%25+1)}})
		}
	}
	roles := []string{"staff", "client", "employer"}
	ds := &Dataset{Codebook: cb, Index: codebook.NewIndex(cb.Codes), People: map[string]Person{}, Scores: map[string]map[string]int{}}
	var pids, iids []string
	for p := 0; p < nPeople; p++ {
		pid := id(2, p)
		attrs := map[string]string{"role": roles[p%3]}
		if p%2 == 0 {
			attrs["site"] = fmt.Sprintf("Site %d", p%nSites)
		}
		ds.People[pid] = Person{ID: pid, Label: fmt.Sprintf("P%d", p), Attrs: attrs}
		pids = append(pids, pid)
	}
	for i := 0; i < nInterviewers; i++ {
		pid := id(3, i)
		ds.People[pid] = Person{ID: pid, Label: fmt.Sprintf("I%d", i), Attrs: map[string]string{"role": "interviewer"}}
		iids = append(iids, pid)
	}
	for s := 0; s < nSites; s++ {
		m := map[string]int{}
		for it := 1; it <= 25; it++ {
			m[fmt.Sprintf("ips25:%d", it)] = 1 + (s+it)%5
		}
		ds.Scores[fmt.Sprintf("Site %d", s)] = m
	}
	codeIDs := make([]string, len(cb.Codes))
	for i := range cb.Codes {
		codeIDs[i] = cb.Codes[i].ID
	}
	ds.Segments = make([]Segment, 0, nDocs*perDoc)
	rng := uint64(1)
	for d := 0; d < nDocs; d++ {
		doc := Doc{ID: id(4, d), Name: fmt.Sprintf("P%d", d), Kind: "interview", Attrs: map[string]string{"site": fmt.Sprintf("Site %d", d%nSites)}}
		for tu := 0; tu < turnsPerDoc; tu++ {
			pid := iids[d%nInterviewers]
			if tu%2 == 1 {
				pid = pids[(d*3+tu/2%3)%nPeople]
			}
			doc.Turns = append(doc.Turns, Turn{ParticipantID: pid, Start: tu * turnLen, End: (tu + 1) * turnLen, TimeMS: -1})
		}
		ds.Docs = append(ds.Docs, doc)
		for i := 0; i < perDoc; i++ {
			rng = rng*6364136223846793005 + 1442695040888963407
			start := i * 20
			tu := start / turnLen
			ds.Segments = append(ds.Segments, Segment{CodingID: id(5, len(ds.Segments)), Doc: d, CodeID: codeIDs[int(rng>>33)%len(codeIDs)],
				Start: start, End: start + 30, Coder: "ann", Turn: tu, ParticipantID: doc.Turns[tu].ParticipantID})
		}
	}
	return ds
})

func BenchmarkFreq1M(b *testing.B) {
	ds := bigDataset()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ft, err := Freq(ds, FreqOptions{By: []string{"role"}})
		if err != nil || len(ft.Rows) != 30 {
			b.Fatal(err)
		}
	}
}

func BenchmarkFreqRoleSiteRollup1M(b *testing.B) {
	ds := bigDataset()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Freq(ds, FreqOptions{By: []string{"role", "site"}, Rollup: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFidelity1M(b *testing.B) {
	ds := bigDataset()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ft, err := Fidelity(ds, FidelityOptions{})
		if err != nil || len(ft.Rows) != 25 || len(ft.Sites) != 10 {
			b.Fatal(err)
		}
	}
}

func BenchmarkFidelityByRole1M(b *testing.B) {
	ds := bigDataset()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Fidelity(ds, FidelityOptions{By: "role"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatrixDocuments1M(b *testing.B) {
	ds := bigDataset()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Matrix(ds, "documents", false, "", false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCooccurTurn1M(b *testing.B) {
	ds := bigDataset()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Cooccur(ds, "turn", ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCooccurSegment1M(b *testing.B) {
	ds := bigDataset()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Cooccur(ds, "segment", ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQuotes1M(b *testing.B) {
	ds := bigDataset()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Quotes(ds, QuoteOptions{By: "role"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuoteLists1M is the quote report's analysis side: select and
// order the quotes, then make each one (with its text) as a writer takes
// them.
func BenchmarkQuoteLists1M(b *testing.B) {
	ds := *bigDataset()
	text := strings.Repeat("Tromsø café and the job ", 10000/24+1)
	ds.Text = func(int) string { return text }
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		lists, err := QuoteLists(&ds, QuoteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for i := range lists {
			for j := range lists[i].Len() {
				n += len(lists[i].Item(j).Text)
			}
		}
		if n == 0 {
			b.Fatal("no text")
		}
	}
}

// The benchmark data must be what the issue describes.
func TestBenchDatasetShape(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1,000,000 codings")
	}
	ds := bigDataset()
	if len(ds.Segments) != 1000000 || len(ds.Docs) != 2000 || len(ds.Codebook.Codes) != 30 {
		t.Fatalf("%d segments %d docs %d codes", len(ds.Segments), len(ds.Docs), len(ds.Codebook.Codes))
	}
	ft, err := Freq(ds, FreqOptions{By: []string{"role"}})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, r := range ft.Rows {
		total += r.Segments
	}
	if total != 1000000 || ft.Participants != 300 || len(ft.Groups) != 3 {
		t.Errorf("segments %d participants %d groups %d", total, ft.Participants, len(ft.Groups))
	}
}
