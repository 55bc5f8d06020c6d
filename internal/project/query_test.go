package project

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/examples"
)

func hitTexts(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Document+":"+h.Speaker+":"+h.Text)
	}
	return out
}

func TestSearchFindsTextWithSpeakerTurnAndContext(t *testing.T) {
	p := setupCoded(t)
	hits, err := p.Search(SearchOptions{Text: "nav"})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitTexts(hits); !slices.Equal(got, []string{"patient-01:P1:NAV", "staff-01:Kari:NAV"}) {
		t.Fatalf("hits = %v", got)
	}
	h := hits[1]
	d, _ := p.Document("staff-01")
	if got := string([]rune(d.Text)[h.Start:h.End]); got != "NAV" || h.Turn != 4 || h.Role != "" {
		t.Errorf("hit %+v: offsets give %q", h, got)
	}
	// The context stays inside Kari's turn.
	if h.Before != "Losing their " || h.After != " money. The fear of losing benefits…" {
		t.Errorf("context %q / %q", h.Before, h.After)
	}

	// Speaker labels are not text: "Kari" is found where P1 names her,
	// not in the labels of Kari's turns.
	hits, _ = p.Search(SearchOptions{Text: "KARI"})
	if got := hitTexts(hits); !slices.Equal(got, []string{"patient-01:P1:Kari"}) {
		t.Errorf("KARI: %v", got)
	}
	// Text outside turns (the preamble) is searched, with no speaker.
	hits, _ = p.Search(SearchOptions{Text: "tromsø"})
	if len(hits) != 1 || hits[0].Turn != 0 || hits[0].Speaker != "" || hits[0].Start != 17 {
		t.Errorf("preamble hit: %+v", hits)
	}
	// A phrase across a line break; whole words; accents.
	hits, _ = p.Search(SearchOptions{Text: "until someone"})
	if len(hits) != 1 || hits[0].Text != "until\nsomeone" {
		t.Errorf("phrase: %+v", hits)
	}
	if hits, _ = p.Search(SearchOptions{Text: "care", WholeWord: true}); len(hits) != 1 {
		t.Errorf("whole word care (not career): %v", hitTexts(hits))
	}
	if hits, _ = p.Search(SearchOptions{Text: "cafe"}); len(hits) != 0 {
		t.Errorf("cafe without --fold-accents: %v", hitTexts(hits))
	}
	if hits, _ = p.Search(SearchOptions{Text: "cafe", FoldAccents: true}); len(hits) != 1 || hits[0].Text != "café" {
		t.Errorf("cafe with --fold-accents: %v", hitTexts(hits))
	}
}

func TestSearchFilters(t *testing.T) {
	p := setupCoded(t)
	if _, _, err := p.SetParticipant("P1", map[string]string{"role": "patient", "site": "Nord-Troms"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetDocument("staff-01", map[string]string{"site": "Tromsø"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		opt  SearchOptions
		want []string
	}{
		{SearchOptions{Text: "nav", Roles: []string{"Patient"}}, []string{"patient-01:P1:NAV"}},
		{SearchOptions{Text: "nav", Speakers: []string{"kari"}}, []string{"staff-01:Kari:NAV"}},
		{SearchOptions{Text: "nav", Where: map[string]string{"site": "nord-troms"}}, []string{"patient-01:P1:NAV"}},
		// Kari has no site of her own: her document's counts.
		{SearchOptions{Text: "nav", Where: map[string]string{"site": "Tromsø"}}, []string{"staff-01:Kari:NAV"}},
		{SearchOptions{Text: "nav", Docs: []string{"staff-01.txt"}}, []string{"staff-01:Kari:NAV"}},
		{SearchOptions{Text: "nav", Roles: []string{"interviewer"}}, nil},
		// A speaker filter leaves out text without a speaker.
		{SearchOptions{Text: "tromsø", Roles: []string{"interviewer"}}, nil},
		{SearchOptions{Text: "tromsø", Where: map[string]string{"site": "Tromsø"}}, []string{"staff-01::Tromsø"}},
	} {
		hits, err := p.Search(c.opt)
		if err != nil {
			t.Fatalf("%+v: %v", c.opt, err)
		}
		if got := hitTexts(hits); !slices.Equal(got, c.want) {
			t.Errorf("%+v: %v, want %v", c.opt, got, c.want)
		}
	}
	for _, c := range []struct {
		opt SearchOptions
		msg string
	}{
		{SearchOptions{Text: "nav", Speakers: []string{"Nobody"}}, `no participant "Nobody"`},
		{SearchOptions{Text: "nav", Roles: []string{"pateint"}}, `no participant has role "pateint" (roles: interviewer, patient)`},
		{SearchOptions{Text: "nav", Where: map[string]string{"stie": "x"}}, `--where stie: no participant or document has an attribute "stie"`},
		{SearchOptions{Text: "(nav", Regex: true}, `invalid regular expression "(nav": missing closing )`},
		{SearchOptions{Text: "  "}, `nothing to search for`},
		{SearchOptions{Text: "nav", Docs: []string{"nope"}}, `no document "nope"`},
	} {
		_, err := p.Search(c.opt)
		if !IsUserError(err) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v: err = %v, want a user error with %q", c.opt, err, c.msg)
		}
	}
}

func TestSearchCacheAndCounts(t *testing.T) {
	p := setupCoded(t)
	cache := NewSearchCache()
	first, err := p.Search(SearchOptions{Text: "the", Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if len(cache.texts) != 2 {
		t.Errorf("cache holds %d texts, want 2", len(cache.texts))
	}
	again, _ := p.Search(SearchOptions{Text: "the", Cache: cache})
	plain, _ := p.Search(SearchOptions{Text: "the"})
	if !slices.Equal(first, again) || !slices.Equal(first, plain) {
		t.Error("a cached search differs from an uncached one")
	}
	// A change to the project is seen by the next cached search.
	if _, _, err := p.SetParticipant("P1", map[string]string{"role": "patient"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetDocument("staff-01", map[string]string{"name": "staff-interview"}); err != nil {
		t.Fatal(err)
	}
	hits, err := p.Search(SearchOptions{Text: "NAV", Cache: cache})
	if err != nil || len(hits) != 2 || hits[0].Role != "patient" || hits[1].Document != "staff-interview" {
		t.Errorf("cached search after changes: %v %+v", err, hits)
	}
	counts := CountHits(first)
	var total int
	for _, c := range counts {
		total += c.Hits
	}
	if total != len(first) || counts[0].Document != "patient-01" {
		t.Errorf("counts %+v for %d hits", counts, len(first))
	}
}

// demoProject builds the example study (qcode demo) in a temporary file.
func demoProject(t *testing.T) *Project {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	if _, err := BuildDemo(examples.FS, path); err != nil {
		t.Fatal(err)
	}
	p, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TestQueryListsCodingsAsCodingsDoes: a query that says what a codings
// filter says gives exactly the same rows, in the same order.
func TestQueryListsCodingsAsCodingsDoes(t *testing.T) {
	p := demoProject(t)
	for expr, f := range map[string]CodingFilter{
		`code:"Benefits and NAV"`:                          {Code: "Benefits and NAV"},
		`coder=jonas`:                                      {Coder: "jonas"},
		`document=staff-interview-tromso-01`:               {Doc: "staff-interview-tromso-01"},
		`code:"disclosure and stigma" AND NOT coder=amina`: {Code: "Disclosure and stigma", Coder: "jonas"},
	} {
		res, err := p.Query(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		want, err := p.Codings(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !slices.Equal(res.Codings, want) {
			t.Errorf("%s: %d codings, codings %+v lists %d (or they differ)", expr, len(res.Codings), f, len(want))
		}
	}
}

func TestQueryOverTheExampleStudy(t *testing.T) {
	p := demoProject(t)
	res, err := p.Query(`code:"Fear of losing benefits" AND role=patient`)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Codings) == 0 {
		t.Fatal("no patient codings of Fear of losing benefits in the example study")
	}
	for _, c := range res.Codings {
		if c.Role != "patient" || c.CodeName != "Fear of losing benefits" {
			t.Errorf("%s by %s (%s)", c.CodeName, c.Speaker, c.Role)
		}
	}
	// The two coders read the same passage of the Tromsø staff interview
	// differently: jonas's "Work on the clinical agenda" overlaps amina's
	// "Readiness gatekeeping".
	res, err = p.Query(`code:"Work on the clinical agenda" AND document=staff-interview-tromso-01 OVERLAPS code:"Readiness gatekeeping"`)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Codings) != 1 || res.Codings[0].Coder != "jonas" || !strings.HasPrefix(res.Codings[0].Text, "We used to say someone had to be stable first") {
		t.Errorf("overlap: %+v", res.Codings)
	}
	if res.Query != `code:"Work on the clinical agenda" AND document=staff-interview-tromso-01 OVERLAPS code:"Readiness gatekeeping"` {
		t.Errorf("canonical query %q", res.Query)
	}
	_, err = p.Query(`code:"Fear of losing benefits" AND rol=patient`)
	if qe, ok := IsQueryError(err); !ok || qe.Col != 36 || qe.Syntax {
		t.Errorf("unknown attribute: %v", err)
	}
	_, err = p.Query(`code:"Fear of losing benefits" AND`)
	if qe, ok := IsQueryError(err); !ok || !qe.Syntax {
		t.Errorf("syntax error: %v", err)
	}
}

// In a document without turns (field notes) NEAR counts paragraphs.
func TestQueryNearCountsParagraphsWithoutTurns(t *testing.T) {
	p := setupCoded(t)
	notes := "Day 1\n\nThe ferry was late.\n\nNAV office closed.\n\nBack in Tromsø."
	mustImport(t, p, map[string]string{"notes.md": notes}, ImportOptions{Kind: "field-notes"})
	for _, r := range []struct {
		code, match string
	}{{"Disclosure", "ferry"}, {"Fear of losing benefits", "NAV office"}, {"Fear of losing benefits", "Tromsø"}} {
		if _, err := p.Code(CodeRequest{Doc: "notes", Code: r.code, Coder: "amina", Target: Target{Match: r.match}}); err != nil {
			t.Fatal(err)
		}
	}
	for expr, want := range map[string][]string{
		`code:"Fear of losing benefits" NEAR/0 code:Disclosure`: nil,
		`code:"Fear of losing benefits" NEAR/1 code:Disclosure`: {"NAV office"},
		`code:"Fear of losing benefits" NEAR/2 code:Disclosure`: {"NAV office", "Tromsø"},
	} {
		res, err := p.Query(expr)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range res.Codings {
			got = append(got, c.Text)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", expr, got, want)
		}
	}
}

func TestSavedQueries(t *testing.T) {
	p, path := newProject(t)
	if _, err := p.SaveQuery("Patients' fears", `code:"Fear of losing benefits"  and role=patient`, "amina"); err != nil {
		t.Fatal(err)
	}
	replaced, err := p.SaveQuery("patients' FEARS", `code:"Fear of losing benefits" AND role=patient AND coder=amina`, "jonas")
	if err != nil || !replaced {
		t.Fatalf("replacing: %v %v", replaced, err)
	}
	if _, err := p.SaveQuery("broken", `code:x AND`, "amina"); err == nil {
		t.Error("a query that does not parse was saved")
	}
	if _, err := p.SaveQuery(" ", `code:x`, "amina"); !IsUserError(err) {
		t.Errorf("blank name: %v", err)
	}
	p.Close()
	p, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	qs, err := p.SavedQueries()
	if err != nil || len(qs) != 1 || qs[0].Name != "patients' FEARS" || qs[0].By != "jonas" ||
		qs[0].Query != `code:"Fear of losing benefits" AND role=patient AND coder=amina` {
		t.Fatalf("saved queries after reopening: %v %+v", err, qs)
	}
	if q, err := p.SavedQueryNamed("PATIENTS' fears"); err != nil || q.Name != "patients' FEARS" {
		t.Errorf("by name: %v %+v", err, q)
	}
	if _, err := p.SavedQueryNamed("other"); err == nil || !strings.Contains(err.Error(), `no saved query "other" (saved: patients' FEARS)`) {
		t.Errorf("missing name: %v", err)
	}
	if err := p.DeleteSavedQuery("patients' fears"); err != nil {
		t.Fatal(err)
	}
	if qs, _ := p.SavedQueries(); len(qs) != 0 {
		t.Errorf("after delete: %+v", qs)
	}
}

func spanTexts(plan *AutocodePlan) []string {
	var out []string
	for _, s := range plan.Spans {
		out = append(out, s.Document+":"+s.Speaker+":"+s.Text)
	}
	return out
}

func TestAutocodeDryRunBatchAndUndo(t *testing.T) {
	p := setupCoded(t)
	req := AutocodeRequest{Search: SearchOptions{Text: "NAV"}, Code: "Fear of losing benefits", Coder: "amina", Unit: UnitSentence}
	plan, err := p.PlanAutocode(req)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"patient-01:P1:I was scared of losing NAV money.", "staff-01:Kari:Losing their NAV money."}
	if got := spanTexts(plan); !slices.Equal(got, want) || plan.Hits != 2 || plan.Rule != `--match "NAV" --unit sentence` {
		t.Fatalf("plan: %v, %d hits, rule %q", got, plan.Hits, plan.Rule)
	}
	if cs, _ := p.Codings(CodingFilter{}); len(cs) != 0 {
		t.Fatalf("the dry run coded %d spans", len(cs))
	}
	// amina already coded Kari's whole turn: that sentence lies inside it.
	if _, err := p.Code(CodeRequest{Doc: "staff-01", Code: "Fear of losing benefits", Coder: "amina", Target: Target{Turn: 4}}); err != nil {
		t.Fatal(err)
	}
	plan, batch, err := p.Autocode(req)
	if err != nil {
		t.Fatal(err)
	}
	if got := spanTexts(plan); !slices.Equal(got, want[:1]) || plan.Skipped != 1 || batch == nil || batch.Codings != 1 {
		t.Fatalf("applied %v, skipped %d, batch %+v", got, plan.Skipped, batch)
	}
	cs, _ := p.Codings(CodingFilter{Doc: "patient-01"})
	if len(cs) != 1 || cs[0].Text != "I was scared of losing NAV money." || cs[0].ID != batch.CodingIDs[0] || cs[0].Coder != "amina" {
		t.Fatalf("codings after the run: %+v", cs)
	}
	// Running the rule again codes nothing and makes no batch.
	if plan, again, err := p.Autocode(req); err != nil || again != nil || plan.Skipped != 2 {
		t.Errorf("second run: %v %+v skipped %d", err, again, plan.Skipped)
	}
	// Another coder's rule is theirs: nothing is skipped for jonas.
	other := req
	other.Coder, other.Unit = "jonas", UnitTurn
	plan, jb, err := p.Autocode(other)
	if err != nil || jb == nil || plan.Skipped != 0 {
		t.Fatalf("jonas: %v %+v", err, plan)
	}
	if got := spanTexts(plan); got[1] != "staff-01:Kari:Losing their NAV money. The fear of losing benefits comes up in every first meeting." {
		t.Errorf("turn unit: %v", got)
	}
	bs, err := p.Batches()
	if err != nil || len(bs) != 2 || bs[0].ID != jb.ID || bs[1].ID != batch.ID || bs[1].CodePath != "Work incentives/Fear of losing benefits" {
		t.Fatalf("batches: %v %+v", err, bs)
	}
	// One coding of jonas's batch is removed by hand; undo removes the
	// rest and says so.
	if _, err := p.Uncode(jb.CodingIDs[0]); err != nil {
		t.Fatal(err)
	}
	res, err := p.UndoBatch(jb.ID[:8])
	if err != nil || res.Removed != 1 || res.Missing != 1 {
		t.Fatalf("undo: %v %+v", err, res)
	}
	cs, _ = p.Codings(CodingFilter{Coder: "jonas"})
	if len(cs) != 0 {
		t.Errorf("jonas's codings after undo: %d", len(cs))
	}
	if bs, _ := p.Batches(); len(bs) != 1 {
		t.Errorf("batches after undo: %d", len(bs))
	}
	if _, err := p.UndoBatch(jb.ID); !IsUserError(err) {
		t.Errorf("undoing twice: %v", err)
	}
	if problems, err := p.st.Check(0); err != nil || len(problems) != 0 {
		t.Errorf("check: %v %v", err, problems)
	}
}

func TestAutocodeSpeakerTurnsAndRefusals(t *testing.T) {
	p := setupCoded(t)
	plan, batch, err := p.Autocode(AutocodeRequest{Search: SearchOptions{Roles: []string{"interviewer"}}, Code: "Disclosure", Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"patient-01:Interviewer:Tell me about your job search.", "patient-01:Interviewer:Did you worry about benefits?",
		"staff-01:Interviewer:How do referrals reach you?", "staff-01:Interviewer:What worries people most?", "staff-01:Interviewer:And disclosure?"}
	if got := spanTexts(plan); !slices.Equal(got, want) || batch.Codings != 5 || plan.Rule != "--role interviewer --unit turn" {
		t.Errorf("interviewer turns: %v (rule %q)", got, plan.Rule)
	}
	before, _ := p.Codings(CodingFilter{})
	for _, c := range []struct {
		req AutocodeRequest
		msg string
	}{
		{AutocodeRequest{Code: "Disclosure", Coder: "amina"}, "say what to code"},
		{AutocodeRequest{Search: SearchOptions{Speakers: []string{"Kari"}}, Unit: UnitSentence, Code: "Disclosure", Coder: "amina"}, "--unit sentence needs --match TEXT or --regex RE"},
		{AutocodeRequest{Search: SearchOptions{Text: "NAV"}, Unit: "word", Code: "Disclosure", Coder: "amina"}, `--unit "word" is not one of match, sentence, turn`},
		{AutocodeRequest{Search: SearchOptions{Text: "NAV"}, Code: "Nope", Coder: "amina"}, `no code "Nope"`},
		{AutocodeRequest{Search: SearchOptions{Text: "NAV"}, Code: "Disclosure", Coder: " "}, "no coder"},
		{AutocodeRequest{Search: SearchOptions{Text: "[", Regex: true}, Code: "Disclosure", Coder: "amina"}, "invalid regular expression"},
	} {
		if _, _, err := p.Autocode(c.req); !IsUserError(err) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v: err = %v, want %q", c.req, err, c.msg)
		}
	}
	if after, _ := p.Codings(CodingFilter{}); len(after) != len(before) {
		t.Errorf("refused rules changed the codings: %d -> %d", len(before), len(after))
	}
}
