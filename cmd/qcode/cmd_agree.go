package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/agreement"
	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

type agreeFlags struct {
	coders        []string
	codes         string
	docs          []string
	unit          string
	overlap       float64
	disagreements bool
	table         string
	metric        string
}

func newAgreeCmd(a *app) *cobra.Command {
	var f agreeFlags
	cmd := &cobra.Command{
		Use:   "agree [--coders A,B,...] [--codes PATH] [--docs D,...] [--unit turn|sentence|paragraph|char|segment] [--disagreements] | agree --table FILE.csv [--metric M]",
		Short: "Inter-coder agreement: percent, Cohen's and Fleiss' kappa, Krippendorff's alpha, per code and overall",
		Long: `Compare coders' codings of the same documents, per code and over all codes.

--unit turn (default), sentence or paragraph: each unit is coded or not with
each code by each coder: percent agreement, Cohen's kappa and Scott's pi (two
coders), Fleiss' kappa (when every unit has the same number of coders),
Krippendorff's alpha and Brennan–Prediger. A coder who coded nothing in a
document is missing there, not "did not apply the code": only documents two
or more of the coders coded are compared.
--unit char: every character, per code and document (NVivo's coding
comparison) and pooled. --unit segment: coded segments match when another
coder has one of the same code overlapping at least --overlap of their union
(MAXQDA's method); percent agreement and Brennan–Prediger.
--disagreements lists every unit where the coders differ, with its text.

--table FILE.csv computes the same statistics (and alpha for every metric
that applies, or --metric) for any reliability data: a header row of coder
names (an optional first column named unit) and one row per unit; an empty
cell is a missing value. See docs/AGREEMENT.md.`,
		Example: `  qcode agree --coders amina,jonas
  qcode agree --codes "Benefits and NAV" --unit sentence --format csv
  qcode agree --unit char --docs staff-interview-tromso-01
  qcode agree --disagreements --codes "Readiness gatekeeping"
  qcode agree --table ratings.csv --metric ordinal --format json`,
		Args: exactArgs(0, "no arguments (options only)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.table != "" {
				for _, name := range []string{"coders", "codes", "docs", "unit", "overlap", "disagreements"} {
					if cmd.Flag(name).Changed {
						return usagef("--%s compares codings in the project; --table compares the coders of the table", name)
					}
				}
				return a.agreeTable(f.table, f.metric)
			}
			if cmd.Flag("metric").Changed {
				return usagef("--metric applies to --table: codings are compared as coded or not (nominal)")
			}
			unit, err := agreement.ParseUnit(f.unit)
			if err != nil {
				return usageError{err}
			}
			if cmd.Flag("overlap").Changed {
				if unit != agreement.UnitSegment {
					return usagef("--overlap applies to --unit segment")
				}
				if !(f.overlap > 0 && f.overlap <= 1) {
					return usagef("--overlap %v is not a share greater than 0 and at most 1 (0.9 is 90 %%)", f.overlap)
				}
			}
			opt := project.AgreeOptions{Coders: f.coders, Codes: f.codes, Docs: f.docs, Unit: unit, Overlap: f.overlap, Disagreements: f.disagreements}
			return a.withProject(true, func(p *project.Project) error {
				ag, err := p.Agree(opt)
				if err != nil {
					return err
				}
				if ps, err := a.pseudonymiser(p); err != nil {
					return err
				} else if ps != nil {
					for i := range ag.Disagreements {
						ag.Disagreements[i].Text = ps.Text(ag.Disagreements[i].Text)
					}
				}
				return a.agreeOutput(ag, f.disagreements)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.coders, "coders", nil, "coders to compare (default: everyone who coded the selected documents)")
	fl.StringVar(&f.codes, "codes", "", "only this code and its sub-codes (each compared on its own)")
	fl.StringSliceVar(&f.docs, "docs", nil, "only these documents (comma-separated names or ids)")
	fl.StringVar(&f.unit, "unit", "turn", "unit of comparison: turn, sentence, paragraph, char, segment")
	fl.Float64Var(&f.overlap, "overlap", agreement.DefaultOverlap, "with --unit segment: share of their union two segments must overlap to agree")
	fl.BoolVar(&f.disagreements, "disagreements", false, "list the units where the coders differ, with their text")
	fl.StringVar(&f.table, "table", "", "compute agreement for the reliability data in this CSV file instead")
	fl.StringVar(&f.metric, "metric", "", "with --table: alpha for this metric only (nominal, ordinal, interval, ratio)")
	return cmd
}

// human reports whether output is for reading (terminal table, Markdown)
// rather than for a program (CSV, TSV).
func (a *app) human() bool { return a.format == "table" || a.format == "md" }

// statCell shows a statistic in a table: rounded to four decimals, or
// "n/a" (empty in CSV and TSV) when it is not defined.
func (a *app) statCell(s agreement.Stat) any {
	if !s.Defined {
		if a.human() {
			return "n/a"
		}
		return ""
	}
	return round4(s.Value)
}

func round4(x float64) float64 {
	r := math.Round(x*1e4) / 1e4
	if r == 0 {
		return 0 // not -0
	}
	return r
}

// statsJSON is the statistics of one comparison in the JSON contract:
// numbers, or null with the reason in notes.
type statsJSON struct {
	Units            int                       `json:"units"`
	PairableValues   int                       `json:"pairable_values"`
	PercentAgreement agreement.Stat            `json:"percent_agreement"`
	Alpha            map[string]agreement.Stat `json:"krippendorff_alpha"`
	CohenKappa       agreement.Stat            `json:"cohen_kappa"`
	ScottPi          agreement.Stat            `json:"scott_pi"`
	FleissKappa      agreement.Stat            `json:"fleiss_kappa"`
	BrennanPrediger  agreement.Stat            `json:"brennan_prediger"`
	Notes            map[string]string         `json:"notes,omitempty"`
}

func newStatsJSON(r *agreement.Result) statsJSON {
	s := statsJSON{Units: r.PairableUnits, PairableValues: r.PairableValues, PercentAgreement: r.PercentAgreement,
		Alpha: map[string]agreement.Stat{}, CohenKappa: r.CohenKappa.Stat, ScottPi: r.ScottPi.Stat, FleissKappa: r.FleissKappa.Stat, BrennanPrediger: r.BrennanPrediger.Stat}
	note := func(key string, st agreement.Stat) {
		if !st.Defined {
			if s.Notes == nil {
				s.Notes = map[string]string{}
			}
			s.Notes[key] = st.Reason
		}
	}
	for m, al := range r.Alpha {
		s.Alpha[string(m)] = al.Stat
		note("krippendorff_alpha."+string(m), al.Stat)
	}
	note("percent_agreement", r.PercentAgreement)
	note("cohen_kappa", r.CohenKappa.Stat)
	note("scott_pi", r.ScottPi.Stat)
	note("fleiss_kappa", r.FleissKappa.Stat)
	note("brennan_prediger", r.BrennanPrediger.Stat)
	return s
}

// agreeTable is `qcode agree --table FILE`.
func (a *app) agreeTable(path, metric string) error {
	if metric != "" {
		if _, err := agreement.ParseMetric(metric); err != nil {
			return usageError{err}
		}
	}
	tab, err := project.ReadReliabilityTable(path)
	if err != nil {
		return err
	}
	r, err := tab.Compute(metric)
	if err != nil {
		return err
	}
	if a.format == "json" {
		s := newStatsJSON(r)
		out := struct {
			Units          int      `json:"units"`
			Coders         int      `json:"coders"`
			CoderNames     []string `json:"coder_names"`
			PairableUnits  int      `json:"pairable_units"`
			PairableValues int      `json:"pairable_values"`
			Categories     int      `json:"categories"`
			statsJSON
		}{r.Units, r.Coders, tab.Coders, r.PairableUnits, r.PairableValues, r.Categories, s}
		return a.json(out)
	}
	t := &export.Table{Columns: []string{"statistic", "value", "note"}}
	t.Add("units", r.Units, "rows with at least one value")
	t.Add("coders", r.Coders, strings.Join(tab.Coders, ", "))
	t.Add("pairable_units", r.PairableUnits, "units with two or more values")
	t.Add("pairable_values", r.PairableValues, "")
	t.Add("categories", r.Categories, "distinct values")
	row := func(name string, s agreement.Stat) { t.Add(name, a.statCell(s), s.Reason) }
	row("percent_agreement", r.PercentAgreement)
	for _, m := range agreement.Metrics {
		if al, ok := r.Alpha[m]; ok {
			row("krippendorff_alpha_"+string(m), al.Stat)
		}
	}
	row("cohen_kappa", r.CohenKappa.Stat)
	row("scott_pi", r.ScottPi.Stat)
	row("fleiss_kappa", r.FleissKappa.Stat)
	row("brennan_prediger", r.BrennanPrediger.Stat)
	return a.table(t)
}

// unitNoun names the units in column headers and messages.
var unitNoun = map[agreement.Unit]string{
	agreement.UnitTurn: "turns", agreement.UnitSentence: "sentences", agreement.UnitParagraph: "paragraphs",
	agreement.UnitChar: "characters", agreement.UnitSegment: "segment checks",
}

// agreeOutput writes the per-code table, or with listing the
// disagreements; JSON holds both.
func (a *app) agreeOutput(ag *project.Agreement, listing bool) error {
	a.say("compared by %s: %s, in the %d of %d selected document(s) that two or more of them coded", ag.Unit, strings.Join(ag.Coders, ", "), len(ag.Compared), ag.Selected)
	if len(ag.NoUnits) > 0 {
		a.say("without %s, not compared: %s (try --unit paragraph)", unitNoun[ag.Unit], strings.Join(ag.NoUnits, ", "))
	}
	if ag.Unit == agreement.UnitSegment {
		a.say("segments agree when they overlap by %g %% of their union or more", ag.Overlap*100)
	}
	if listing {
		a.say("%d disagreement(s)", len(ag.Disagreements))
	}
	if a.format == "json" {
		return a.json(agreeJSON(ag, listing))
	}
	if listing {
		return a.table(disagreementTable(ag))
	}
	return a.table(a.codingsAgreementTable(ag))
}

// codingsAgreementTable is the per-code table of a comparison of codings;
// by character, with a row per code and document too.
func (a *app) codingsAgreementTable(ag *project.Agreement) *export.Table {
	seg := ag.Unit == agreement.UnitSegment
	char := ag.Unit == agreement.UnitChar
	cols := []string{"code"}
	if char {
		cols = append(cols, "document")
	}
	cols = append(cols, unitNoun[ag.Unit])
	for _, c := range ag.Coders {
		cols = append(cols, "coded by "+c)
	}
	if seg {
		cols = append(cols, "matched", "unmatched", "agreement", "brennan_prediger")
	} else {
		cols = append(cols, "agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "krippendorff_alpha", "brennan_prediger")
	}
	t := &export.Table{Columns: cols}
	add := func(code, doc string, coded []int, r *agreement.Result, matched, unmatched int) {
		row := []any{code}
		if char {
			row = append(row, doc)
		}
		row = append(row, r.PairableUnits)
		for _, n := range coded {
			row = append(row, n)
		}
		if seg {
			row = append(row, matched, unmatched, a.statCell(r.PercentAgreement), a.statCell(r.BrennanPrediger.Stat))
		} else {
			row = append(row, a.statCell(r.PercentAgreement), a.statCell(r.CohenKappa.Stat), a.statCell(r.ScottPi.Stat),
				a.statCell(r.FleissKappa.Stat), a.statCell(r.Alpha[agreement.Nominal].Stat), a.statCell(r.BrennanPrediger.Stat))
		}
		t.Add(row...)
	}
	for _, c := range ag.Codes {
		if char {
			for _, d := range c.Docs {
				add(c.Path, d.Document, d.Coded, d.Stats, 0, 0)
			}
		}
		add(c.Path, "(pooled)", c.Coded, c.Stats, c.Matched, c.Unmatched)
	}
	add("(overall)", "(pooled)", ag.Overall.Coded, ag.Overall.Stats, ag.Overall.Matched, ag.Overall.Unmatched)
	return t
}

func disagreementTable(ag *project.Agreement) *export.Table {
	cols := []string{"document", "code", "unit", "start", "end", "coded by", "not coded by"}
	if ag.Unit == agreement.UnitSegment {
		cols = append(cols, "best overlap")
	}
	t := &export.Table{Columns: append(cols, "text")}
	for _, d := range ag.Disagreements {
		unit := ""
		if d.Index > 0 {
			unit = fmt.Sprintf("%s %d", strings.TrimSuffix(unitNoun[ag.Unit], "s"), d.Index)
		}
		row := []any{d.Document, d.Path, unit, d.Start, d.End, strings.Join(d.Coded, ", "), strings.Join(d.NotCoded, ", ")}
		if ag.Unit == agreement.UnitSegment {
			row = append(row, round4(d.Overlap))
		}
		t.Add(append(row, d.Text)...)
	}
	return t
}

type codeAgreementJSON struct {
	Code   string         `json:"code,omitempty"`
	CodeID string         `json:"code_id,omitempty"`
	Path   string         `json:"path,omitempty"`
	Coded  map[string]int `json:"coded"`
	statsJSON
	Matched   *int               `json:"matched,omitempty"`
	Unmatched *int               `json:"unmatched,omitempty"`
	Documents []docAgreementJSON `json:"documents,omitempty"`
}

type docAgreementJSON struct {
	Document  string         `json:"document"`
	Coded     map[string]int `json:"coded"`
	AllCoded  int            `json:"all_coded"`
	NoneCoded int            `json:"none_coded"`
	statsJSON
}

type disagreementJSON struct {
	Document   string   `json:"document"`
	Code       string   `json:"code"`
	CodeID     string   `json:"code_id"`
	Unit       int      `json:"unit,omitempty"`
	Start      int      `json:"start"`
	End        int      `json:"end"`
	CodedBy    []string `json:"coded_by"`
	NotCodedBy []string `json:"not_coded_by"`
	Overlap    *float64 `json:"overlap,omitempty"`
	Text       string   `json:"text"`
}

func agreeJSON(ag *project.Agreement, listing bool) any {
	coded := func(n []int) map[string]int {
		m := map[string]int{}
		for i, c := range ag.Coders {
			m[c] = n[i]
		}
		return m
	}
	code := func(c project.CodeAgreement) codeAgreementJSON {
		j := codeAgreementJSON{Code: c.Name, CodeID: c.CodeID, Path: c.Path, Coded: coded(c.Coded), statsJSON: newStatsJSON(c.Stats)}
		if ag.Unit == agreement.UnitSegment {
			j.Matched, j.Unmatched = &c.Matched, &c.Unmatched
		}
		for _, d := range c.Docs {
			j.Documents = append(j.Documents, docAgreementJSON{Document: d.Document, Coded: coded(d.Coded), AllCoded: d.AllCoded, NoneCoded: d.NoneCoded, statsJSON: newStatsJSON(d.Stats)})
		}
		return j
	}
	out := struct {
		Unit          string              `json:"unit"`
		Coders        []string            `json:"coders"`
		Overlap       *float64            `json:"overlap,omitempty"`
		Selected      int                 `json:"documents_selected"`
		Compared      []string            `json:"documents_compared"`
		NoUnits       []string            `json:"documents_without_units"`
		Codes         []codeAgreementJSON `json:"codes"`
		Overall       codeAgreementJSON   `json:"overall"`
		Disagreements *[]disagreementJSON `json:"disagreements,omitempty"`
	}{Unit: string(ag.Unit), Coders: ag.Coders, Selected: ag.Selected, Compared: nonNilStrings(ag.Compared), NoUnits: nonNilStrings(ag.NoUnits), Codes: []codeAgreementJSON{}}
	if ag.Unit == agreement.UnitSegment {
		out.Overlap = &ag.Overlap
	}
	for _, c := range ag.Codes {
		out.Codes = append(out.Codes, code(c))
	}
	out.Overall = code(ag.Overall)
	if !listing {
		return out
	}
	list := []disagreementJSON{}
	out.Disagreements = &list
	for _, d := range ag.Disagreements {
		dj := disagreementJSON{Document: d.Document, Code: d.Path, CodeID: d.CodeID, Unit: d.Index, Start: d.Start, End: d.End, CodedBy: d.Coded, NotCodedBy: d.NotCoded, Text: d.Text}
		if ag.Unit == agreement.UnitSegment {
			o := d.Overlap
			dj.Overlap = &o
		}
		list = append(list, dj)
	}
	return out
}
