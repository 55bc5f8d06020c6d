package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/analysis"
	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newReportCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report freq|fidelity|matrix|cooccur|quotes|codebook",
		Short: "Thematic-analysis tables, fidelity matrix and quotes, in paper-ready formats",
		Long: `Reports for a paper: theme frequencies by stakeholder group, the fidelity
matrix (with the joint display of review scores), code × column matrices,
co-occurrence, quotes, and the codebook as a document.

Every report takes --docs, --kind, --where ATTR=VALUE and --coder filters,
--format table|csv|tsv|md|json for stdout, and -o FILE where the extension
picks the format (.csv .tsv .md .json .xlsx .html .docx). Output is
deterministic: the same project gives byte-identical files. See
docs/REPORTS.md for the counting rules.`,
		Args: exactArgs(0, "a report: freq, fidelity, matrix, cooccur, quotes or codebook"),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newReportFreqCmd(a), newReportFidelityCmd(a), newReportMatrixCmd(a), newReportCooccurCmd(a), newReportQuotesCmd(a), newReportCodebookCmd(a))
	for _, c := range cmd.Commands() {
		c.RunE = batchGC(c.RunE)
	}
	return cmd
}

// reportGCPercent is the garbage collector's setting while a report runs.
// A report's heap is almost all its dataset, live until the report is
// written, and little else is allocated: collecting as the dataset grows
// only marks the same codings again. At 400 the 1M-coding quotes report
// runs 2 collections instead of 7 and about 10% faster, with the same peak
// memory, as does freq (docs/PERFORMANCE.md).
const reportGCPercent = 400

// batchGC runs a report with reportGCPercent, unless GOGC says otherwise.
func batchGC(run func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if _, set := os.LookupEnv("GOGC"); !set {
			defer debug.SetGCPercent(debug.SetGCPercent(reportGCPercent))
		}
		return run(cmd, args)
	}
}

// dataset loads the filtered dataset for a report.
func (a *app) dataset(cmd *cobra.Command, f *reportFlags, withText bool) (*analysis.Dataset, string, error) {
	rf, err := f.filter(cmd, a)
	if err != nil {
		return nil, "", err
	}
	var ds *analysis.Dataset
	err = a.withProject(true, func(p *project.Project) error {
		var err error
		if ds, err = p.Dataset(rf, withText); err != nil {
			return err
		}
		ps, err := a.pseudonymiser(p)
		if ps != nil {
			ps.Apply(ds)
		}
		return err
	})
	return ds, f.describe(rf), err
}

// explainTable lists the codings behind a count.
func (a *app) explain(ds *analysis.Dataset, segs []int, what string) error {
	a.say("%d coding(s) behind %s", len(segs), what)
	t := &export.Table{Columns: []string{"coding", "document", "code", "speaker", "role", "turn", "start", "end", "coder"}}
	for _, i := range segs {
		s := &ds.Segments[i]
		speaker := ds.People[s.ParticipantID]
		t.Add(s.CodingID, ds.Docs[s.Doc].Name, ds.Index.Path(s.CodeID), speaker.Label, speaker.Attrs["role"], s.Turn+1, s.Start, s.End, s.Coder)
	}
	return a.table(t)
}

func newReportFreqCmd(a *app) *cobra.Command {
	var (
		f       reportFlags
		opt     analysis.FreqOptions
		explain string
		group   string
	)
	cmd := &cobra.Command{
		Use:   "freq [--by ATTR[,ATTR]] [--codes PATH] [--rollup] [--include-interviewers]",
		Short: "Per code: segments, documents, participants; with --by, per stakeholder group",
		Example: `  qcode report freq --by role
  qcode report freq --by role,site --codes "Benefits and NAV" --rollup -o freq.xlsx
  qcode report freq --by role --explain "Fear of losing benefits" --group patient`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, filters, err := a.dataset(cmd, &f, false)
			if err != nil {
				return err
			}
			if err := resolveRoot(ds, &opt.Root); err != nil {
				return err
			}
			if explain != "" {
				id, err := codeID(ds, explain)
				if err != nil {
					return err
				}
				segs, err := analysis.ExplainFreq(ds, id, group, opt)
				if err != nil {
					return err
				}
				what := ds.Index.Path(id)
				if group != "" {
					what += " in group " + group
				}
				return a.explain(ds, segs, what)
			}
			ft, err := analysis.Freq(ds, opt)
			if err != nil {
				return err
			}
			return a.emit(freqOutput(ft, filters, a.format == "table" && f.out == ""), f.out)
		},
	}
	f.register(cmd)
	fl := cmd.Flags()
	fl.StringSliceVar(&opt.By, "by", nil, "group participants by these attributes (role, site, any participant or document attribute)")
	fl.StringVar(&opt.Root, "codes", "", "only this code and its sub-codes")
	fl.BoolVar(&opt.Rollup, "rollup", false, "count each code with its whole subtree")
	fl.BoolVar(&opt.IncludeInterviewers, "include-interviewers", false, "count interviewers as participants")
	fl.StringVar(&explain, "explain", "", "list the codings behind this code's counts instead of the table")
	fl.StringVar(&group, "group", "", "with --explain: only this group's codings (a --by value)")
	return cmd
}

// resolveRoot turns a --codes reference into a code id in place; "" (all
// codes) stays "".
func resolveRoot(ds *analysis.Dataset, ref *string) error {
	if *ref == "" {
		return nil
	}
	id, err := codeID(ds, *ref)
	*ref = id
	return err
}

// codeID resolves a code reference against the dataset's codebook.
func codeID(ds *analysis.Dataset, ref string) (string, error) {
	c, err := ds.Index.Find(ref)
	if err != nil {
		return "", &project.UserError{Msg: err.Error()}
	}
	return c.ID, nil
}

// freqOutput builds the frequency report. indent shows the hierarchy by
// indenting names (for the terminal); elsewhere the code column holds the
// full path, which sorts and filters in a spreadsheet.
func freqOutput(ft *analysis.FreqTable, filters string, indent bool) reportOutput {
	cols := []string{"code", "polarity", "links", "segments", "documents", "participants"}
	for _, g := range ft.Groups {
		cols = append(cols, fmt.Sprintf("%s (n=%d)", g.Key, g.Participants), g.Key+" %")
	}
	t := &export.Table{Columns: cols}
	type groupJSON struct {
		Participants int     `json:"participants"`
		Segments     int     `json:"segments"`
		Share        float64 `json:"share"`
		Size         int     `json:"size"`
	}
	type rowJSON struct {
		Code         string               `json:"code"`
		CodeID       string               `json:"code_id"`
		Path         string               `json:"path"`
		Depth        int                  `json:"depth"`
		Polarity     string               `json:"polarity"`
		Links        []string             `json:"links"`
		Segments     int                  `json:"segments"`
		Documents    int                  `json:"documents"`
		Participants int                  `json:"participants"`
		Groups       map[string]groupJSON `json:"groups,omitempty"`
	}
	rows := []rowJSON{}
	chart := &export.Chart{Kind: "bars", Title: "Participants raising each theme", Unit: "participants"}
	for _, g := range ft.Groups {
		chart.Series = append(chart.Series, g.Key)
	}
	if len(ft.Groups) == 0 {
		chart.Series = []string{"participants"}
	}
	for _, r := range ft.Rows {
		label := r.Path
		if indent {
			label = strings.Repeat("  ", r.Depth) + r.Name
		}
		row := []any{label, string(r.Polarity), strings.Join(r.Links, " "), r.Segments, r.Documents, r.Participants}
		jr := rowJSON{Code: r.Name, CodeID: r.CodeID, Path: r.Path, Depth: r.Depth, Polarity: string(r.Polarity), Links: nonNilStrings(r.Links), Segments: r.Segments, Documents: r.Documents, Participants: r.Participants}
		var values []float64
		if len(ft.Groups) > 0 {
			jr.Groups = map[string]groupJSON{}
		}
		for _, g := range ft.Groups {
			gc := r.Groups[g.Key]
			row = append(row, gc.Participants, percent(gc.Share))
			jr.Groups[g.Key] = groupJSON{gc.Participants, gc.Segments, gc.Share, g.Participants}
			values = append(values, float64(gc.Participants))
		}
		if len(ft.Groups) == 0 {
			values = []float64{float64(r.Participants)}
		}
		t.Add(row...)
		rows = append(rows, jr)
		if !r.Grouping {
			chart.Labels = append(chart.Labels, r.Path)
			chart.Values = append(chart.Values, values)
		}
	}
	intro := "Segments are codings; participants are distinct speakers who raised the theme (interviewers excluded"
	if ft.IncludeInterviewers {
		intro = "Segments are codings; participants are distinct speakers who raised the theme (interviewers included"
	}
	intro += "). With groups, n is the number of participants in the group and % the share of them who raised the theme."
	doc := &export.Report{Title: "Theme frequencies", Subtitle: filters, Sections: []export.Section{
		{Heading: "Frequencies" + byLabel(ft.By), Level: 1, Paragraphs: []string{intro}, Chart: chart, Table: t, SheetName: "Frequencies"},
	}}
	return reportOutput{doc: doc, table: t, json: rows}
}

func byLabel(by []string) string {
	if len(by) == 0 {
		return ""
	}
	return " by " + strings.Join(by, " and ")
}

// percent renders a share as a whole-number percentage for tables.
func percent(share float64) float64 {
	return float64(int(share*1000+0.5)) / 10
}
