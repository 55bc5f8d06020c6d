package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/analysis"
	"github.com/qcode-qda/qcode/internal/export"
)

func newReportFidelityCmd(a *app) *cobra.Command {
	var (
		f                        reportFlags
		opt                      analysis.FidelityOptions
		explain, polarity, group string
	)
	cmd := &cobra.Command{
		Use:   "fidelity [--framework ips25|cfir2] [--by ATTR]",
		Short: "Barriers and facilitators per fidelity item, beside each site's review scores",
		Long: `One row per framework item (all 25 IPS-25 items, uncoded ones too) with the
barrier, facilitator and mixed codings and participants of the codes linked
to it. When review scores are recorded (qcode fidelity set/import), each
site's item score stands beside that site's barriers and facilitators, with
the site's total score and band (115-125 exemplary, 100-114 good, 74-99
fair, 73 and below not supported employment).`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, filters, err := a.dataset(cmd, &f, false)
			if err != nil {
				return err
			}
			if explain != "" {
				item := explain
				if !strings.Contains(item, ":") {
					item = opt.Framework + ":" + item
				}
				segs, err := analysis.ExplainFidelity(ds, opt, item, polarity, group)
				if err != nil {
					return err
				}
				what := item
				if polarity != "" {
					what += " " + polarity
				}
				if group != "" {
					what += " in " + group
				}
				return a.explain(ds, segs, what)
			}
			ft, err := analysis.Fidelity(ds, opt)
			if err != nil {
				return err
			}
			return a.emit(fidelityOutput(ft, filters), f.out)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&opt.Framework, "framework", "ips25", "ips25 or cfir2")
	cmd.Flags().StringVar(&opt.By, "by", "", "also count per group of this attribute (default with review scores: site)")
	cmd.Flags().BoolVar(&opt.IncludeInterviewers, "include-interviewers", false, "count interviewers as participants")
	cmd.Flags().StringVar(&explain, "explain", "", "list the codings behind an item's counts (13 or ips25:13) instead of the table")
	cmd.Flags().StringVar(&polarity, "polarity", "", "with --explain: barrier, facilitator, mixed or unspecified")
	cmd.Flags().StringVar(&group, "group", "", "with --explain: a --by value, or a site of the joint display")
	return cmd
}

func fidelityOutput(ft *analysis.FidelityTable, filters string) reportOutput {
	cols := []string{"item", "name", "section", "barrier segments", "barrier participants", "facilitator segments", "facilitator participants", "mixed segments", "mixed participants"}
	for _, s := range ft.Sites {
		cols = append(cols, s.Site+" score", s.Site+" barriers", s.Site+" facilitators")
	}
	t := &export.Table{Columns: cols}
	heat := &export.Chart{Kind: "heatmap", Title: "Participants raising barriers and facilitators per item", Series: []string{"barrier", "facilitator", "mixed"}, Unit: "participants"}
	for _, r := range ft.Rows {
		c := r.Counts
		row := []any{r.Key, r.Name, r.Section, c.Barrier.Segments, c.Barrier.Participants, c.Facilitator.Segments, c.Facilitator.Participants, c.Mixed.Segments, c.Mixed.Participants}
		for _, s := range ft.Sites {
			j := r.Joint[s.Site]
			score := any("")
			if j.Scored {
				score = j.Score
			}
			row = append(row, score, j.Barrier.Participants, j.Facilitator.Participants)
		}
		t.Add(row...)
		heat.Labels = append(heat.Labels, r.Key+" "+r.Name)
		heat.Values = append(heat.Values, []float64{float64(c.Barrier.Participants), float64(c.Facilitator.Participants), float64(c.Mixed.Participants)})
	}
	sections := []export.Section{{
		Heading: ft.FrameworkName + " items: barriers and facilitators", Level: 1,
		Paragraphs: []string{"Counts come from codes linked to each item; the column is the code's own polarity. Segments are codings, participants distinct speakers (interviewers excluded unless asked)."},
		Chart:      heat, Table: t, SheetName: "Fidelity matrix",
	}}
	if len(ft.Sites) > 0 {
		st := &export.Table{Columns: []string{"site", "total score", "items scored", "items missing", "band"}}
		var lines []string
		for _, s := range ft.Sites {
			band := s.Band
			if band == "" && s.Missing > 0 {
				band = fmt.Sprintf("(incomplete: %s not scored)", strings.Join(s.MissingItems, ", "))
			}
			st.Add(s.Site, s.Total, s.Scored, s.Missing, band)
			lines = append(lines, fmt.Sprintf("%s: %d (%s)", s.Site, s.Total, band))
		}
		sections = append(sections, export.Section{Heading: "Fidelity review scores", Level: 1, Paragraphs: []string{strings.Join(lines, "; ") + "."}, Table: st, SheetName: "Review scores"})
	}
	if len(ft.Unlinked) > 0 {
		sections[0].Paragraphs = append(sections[0].Paragraphs, "Codes link to items this framework does not have: "+strings.Join(ft.Unlinked, ", ")+".")
	}
	doc := &export.Report{Title: "Fidelity matrix", Subtitle: filters, Sections: sections}
	return reportOutput{doc: doc, table: t, json: ft}
}
