package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/analysis"
	"github.com/qcode-qda/qcode/internal/export"
)

func newReportMatrixCmd(a *app) *cobra.Command {
	var (
		f                        reportFlags
		cols, root, explain, col string
		binary, rollup           bool
	)
	cmd := &cobra.Command{
		Use:   "matrix --cols documents|participants|ATTR [--binary]",
		Short: "Codes × documents, participants or attribute values: counts or 0/1",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, filters, err := a.dataset(cmd, &f, false)
			if err != nil {
				return err
			}
			if err := resolveRoot(ds, &root); err != nil {
				return err
			}
			mt, err := analysis.Matrix(ds, cols, binary, root, rollup)
			if err != nil {
				return err
			}
			if explain != "" {
				id, err := codeID(ds, explain)
				if err != nil {
					return err
				}
				key := ""
				for _, c := range mt.Columns {
					if strings.EqualFold(c.Label, col) || c.Key == col {
						key = c.Key
					}
				}
				if key == "" {
					return usagef("--col %q is not a column of this matrix", col)
				}
				segs, err := analysis.ExplainMatrix(ds, cols, id, key, rollup)
				if err != nil {
					return err
				}
				return a.explain(ds, segs, ds.Index.Path(id)+" in "+col)
			}
			t := &export.Table{Columns: []string{"code"}}
			heat := &export.Chart{Kind: "heatmap", Title: "Codings per code and " + cols}
			for _, c := range mt.Columns {
				t.Columns = append(t.Columns, c.Label)
				heat.Series = append(heat.Series, c.Label)
			}
			t.Columns = append(t.Columns, "total")
			for _, r := range mt.Rows {
				row := []any{r.Path}
				vals := make([]float64, len(r.Cells))
				for i, v := range r.Cells {
					row = append(row, v)
					vals[i] = float64(v)
				}
				t.Add(append(row, r.Total)...)
				heat.Labels = append(heat.Labels, r.Path)
				heat.Values = append(heat.Values, vals)
			}
			what := "codings"
			if binary {
				what = "1 if coded at least once, else 0"
			}
			doc := &export.Report{Title: "Code matrix by " + cols, Subtitle: filters, Sections: []export.Section{{Heading: "Codes × " + cols, Level: 1, Paragraphs: []string{"Cells: " + what + "."}, Chart: heat, Table: t, SheetName: "Matrix"}}}
			return a.emit(reportOutput{doc: doc, table: t, json: mt}, f.out)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&cols, "cols", "documents", "columns: documents, participants, or an attribute (role, site, ...)")
	cmd.Flags().BoolVar(&binary, "binary", false, "1 if coded at least once, else 0")
	cmd.Flags().StringVar(&root, "codes", "", "only this code and its sub-codes")
	cmd.Flags().BoolVar(&rollup, "rollup", false, "count each code with its whole subtree")
	cmd.Flags().StringVar(&explain, "explain", "", "list the codings behind this code's cell in --col instead of the table")
	cmd.Flags().StringVar(&col, "col", "", "with --explain: the column (document name, participant label or attribute value)")
	return cmd
}

func newReportCooccurCmd(a *app) *cobra.Command {
	var (
		f                         reportFlags
		unit, root, explain, with string
	)
	cmd := &cobra.Command{
		Use:   "cooccur [--unit turn|segment]",
		Short: "Code × code co-occurrence counts and Jaccard index",
		Long: `How often two codes occur together: in the same turn (--unit turn, the
default), or as overlapping codings (--unit segment). The Jaccard index is
both / (either). The diagonal is the number of turns (or codings) of a code.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, filters, err := a.dataset(cmd, &f, false)
			if err != nil {
				return err
			}
			if err := resolveRoot(ds, &root); err != nil {
				return err
			}
			if explain != "" {
				a1, err := codeID(ds, explain)
				if err != nil {
					return err
				}
				b1 := a1
				if with != "" {
					if b1, err = codeID(ds, with); err != nil {
						return err
					}
				}
				segs, err := analysis.ExplainCooccur(ds, unit, a1, b1)
				if err != nil {
					return err
				}
				return a.explain(ds, segs, ds.Index.Path(a1)+" with "+ds.Index.Path(b1))
			}
			ct, err := analysis.Cooccur(ds, unit, root)
			if err != nil {
				return err
			}
			counts := &export.Table{Columns: []string{"code"}}
			jac := &export.Table{Columns: []string{"code"}}
			pairs := &export.Table{Columns: []string{"code a", "code b", "both", "a", "b", "jaccard"}}
			heat := &export.Chart{Kind: "heatmap", Title: "Co-occurrence (" + ct.Unit + "s)"}
			for _, c := range ct.Codes {
				counts.Columns = append(counts.Columns, c.Path)
				jac.Columns = append(jac.Columns, c.Path)
				heat.Series = append(heat.Series, c.Path)
			}
			for i, c := range ct.Codes {
				crow, jrow := []any{c.Path}, []any{c.Path}
				vals := make([]float64, len(ct.Codes))
				for j := range ct.Codes {
					crow = append(crow, ct.Counts[i][j])
					jrow = append(jrow, round3(ct.Jaccard[i][j]))
					vals[j] = float64(ct.Counts[i][j])
					if j > i && ct.Counts[i][j] > 0 {
						pairs.Add(c.Path, ct.Codes[j].Path, ct.Counts[i][j], ct.Counts[i][i], ct.Counts[j][j], round3(ct.Jaccard[i][j]))
					}
				}
				counts.Add(crow...)
				jac.Add(jrow...)
				heat.Labels = append(heat.Labels, c.Path)
				heat.Values = append(heat.Values, vals)
			}
			doc := &export.Report{Title: "Code co-occurrence", Subtitle: filters, Sections: []export.Section{
				{Heading: "Pairs that co-occur", Level: 1, Paragraphs: []string{fmt.Sprintf("Unit: %s. Pairs are listed once, with the Jaccard index both / (a + b − both).", ct.Unit)}, Table: pairs, SheetName: "Pairs"},
				{Heading: "Counts", Level: 1, Chart: heat, Table: counts, SheetName: "Counts"},
				{Heading: "Jaccard index", Level: 1, Table: jac, SheetName: "Jaccard"},
			}}
			return a.emit(reportOutput{doc: doc, table: pairs, json: ct}, f.out)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&unit, "unit", "turn", "turn or segment")
	cmd.Flags().StringVar(&root, "codes", "", "only this code and its sub-codes")
	cmd.Flags().StringVar(&explain, "explain", "", "list the codings behind the count of this code --with another instead of the table")
	cmd.Flags().StringVar(&with, "with", "", "with --explain: the other code")
	return cmd
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

func newReportQuotesCmd(a *app) *cobra.Command {
	var (
		f   reportFlags
		opt analysis.QuoteOptions
	)
	cmd := &cobra.Command{
		Use:   "quotes [--codes PATH] [--by ATTR] [--max N]",
		Short: "Every coded excerpt per theme, with speaker, role, site, document and position",
		Example: `  qcode report quotes --codes "Disclosure and stigma" --by role -o quotes.docx
  qcode report quotes --max 3 -o quotes.html`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, filters, err := a.dataset(cmd, &f, true)
			if err != nil {
				return err
			}
			if err := resolveRoot(ds, &opt.Root); err != nil {
				return err
			}
			format, err := a.reportFormat(f.out)
			if err != nil {
				return err
			}
			if format == "json" {
				groups, err := analysis.Quotes(ds, opt)
				if err != nil {
					return err
				}
				return a.emit(reportOutput{json: groups}, f.out)
			}
			// Documents take the quotes one at a time from the analysis
			// (a large project has a million of them); the all-quotes table
			// is for tabular formats and workbooks.
			lists, err := analysis.QuoteLists(ds, opt)
			if err != nil {
				return err
			}
			needTable := format != "md" && format != "html" && format != "docx"
			t := &export.Table{Columns: []string{"code", "group", "document", "speaker", "role", "site", "turn", "time", "text", "coder", "memo"}}
			doc := &export.Report{Title: "Quotes", Subtitle: filters}
			for i := range lists {
				g := &lists[i]
				sec := export.Section{Heading: g.Path, Level: 2, QuoteList: quoteList{g}}
				if g.Group != "" {
					sec.Heading += " — " + g.Group
				}
				info := []string{}
				if g.Polarity != "" {
					info = append(info, string(g.Polarity))
				}
				if len(g.Links) > 0 {
					info = append(info, strings.Join(g.Links, ", "))
				}
				count := fmt.Sprintf("%d quote(s)", g.Len())
				if g.Total > g.Len() {
					count = fmt.Sprintf("%d of %d quotes", g.Len(), g.Total)
				}
				sec.Paragraphs = []string{strings.Join(append(info, count), " · ")}
				if needTable {
					for j := range g.Len() {
						q := g.Item(j)
						t.Add(g.Path, g.Group, q.Document, q.Speaker, q.Role, q.Site, q.Turn, formatMS(q.TimeMS), q.Text, q.Coder, q.Memo)
					}
				}
				doc.Sections = append(doc.Sections, sec)
			}
			if format == "xlsx" {
				// A workbook holds tables: one sheet with every quote.
				doc.Sections = []export.Section{{Heading: "All quotes", Level: 1, Table: t, SheetName: "Quotes"}}
			}
			return a.emit(reportOutput{doc: doc, table: t}, f.out)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&opt.Root, "codes", "", "only this code and its sub-codes")
	cmd.Flags().StringVar(&opt.By, "by", "", "group each theme's quotes by an attribute (role, site, ...)")
	cmd.Flags().IntVar(&opt.Max, "max", 0, "at most N quotes per theme (and group), spread across documents")
	return cmd
}

// quoteList gives a report section the quotes of an analysis.QuoteList.
type quoteList struct{ l *analysis.QuoteList }

func (q quoteList) Len() int { return q.l.Len() }

func (q quoteList) Quote(i int) export.Quote {
	it := q.l.Item(i)
	where := "turn " + strconv.Itoa(it.Turn)
	if it.TimeMS >= 0 {
		where += ", " + formatMS(it.TimeMS)
	}
	return export.Quote{Text: it.Text, Document: it.Document, Speaker: it.Speaker, Role: it.Role, Site: it.Site, Where: where, Coder: it.Coder, Memo: it.Memo}
}

func newReportCodebookCmd(a *app) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "codebook",
		Short: "The codebook as a document: definitions, criteria, examples, links and counts",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, filters, err := a.dataset(cmd, &f, false)
			if err != nil {
				return err
			}
			uses := analysis.CodebookUse(ds)
			ix := ds.Index
			codes, depth := orderedCodes(ix)
			t := &export.Table{Columns: []string{"code", "polarity", "links", "description", "inclusion", "exclusion", "example", "segments", "documents", "participants"}}
			name := ds.Codebook.Name
			if name == "" {
				name = "Codebook"
			}
			doc := &export.Report{Title: name, Subtitle: strings.TrimSpace(ds.Codebook.Description + " " + filters)}
			for i, c := range codes {
				u := uses[c.ID]
				t.Add(ix.Path(c.ID), string(c.Polarity), strings.Join(c.Links, " "), c.Description, c.Inclusion, c.Exclusion, c.Example, u.Segments, u.Documents, u.Participants)
				doc.Sections = append(doc.Sections, export.Section{Heading: c.Name, Level: min(depth[i]+1, 3), Paragraphs: codeParagraphs(c, u)})
			}
			doc.Sections = append(doc.Sections, export.Section{Heading: "All codes", Level: 1, Table: t, SheetName: "Codebook"})
			return a.emit(reportOutput{doc: doc, table: t, json: codesJSON(codes, ix, uses)}, f.out)
		},
	}
	f.register(cmd)
	return cmd
}

func codeParagraphs(c *codebook.Code, u analysis.Use) []string {
	var ps []string
	var tags []string
	if c.Polarity != "" {
		tags = append(tags, string(c.Polarity))
	}
	if len(c.Links) > 0 {
		tags = append(tags, "linked to "+strings.Join(c.Links, ", "))
	}
	tags = append(tags, fmt.Sprintf("%d codings in %d documents from %d participants", u.Segments, u.Documents, u.Participants))
	ps = append(ps, strings.Join(tags, " · "))
	for _, f := range []struct{ label, text string }{{"Definition", c.Description}, {"Include", c.Inclusion}, {"Exclude", c.Exclusion}, {"Example", c.Example}} {
		if f.text != "" {
			ps = append(ps, f.label+": "+f.text)
		}
	}
	return ps
}
