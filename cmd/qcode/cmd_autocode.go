package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newAutocodeCmd(a *app) *cobra.Command {
	var (
		f      searchFlags
		req    project.AutocodeRequest
		match  string
		dryRun bool
		sample int
	)
	cmd := &cobra.Command{
		Use:   "autocode (--match TEXT | --regex RE | --speaker LABEL | --role R) --code C [--unit match|sentence|turn] [--dry-run]",
		Short: "Apply a code by rule: to every hit of a search, or every turn of a speaker",
		Long: `Apply a code, as --coder, wherever a rule says: every hit of --match TEXT or
--regex RE (found as "qcode search" finds it), widened to --unit: the match
itself, its sentence, or its whole turn; or, without TEXT, every turn of the
speakers --speaker, --role and --where select. Outside speaker turns (field
notes) a turn is a paragraph.

--dry-run shows how many codings the rule would make and a sample, and
changes nothing. A real run applies them all in one transaction as one
batch: "qcode undo --batch ID" removes the batch whole. Spans the coder has
already coded with this code (or that lie inside such a coding) are skipped
and counted, so running a rule twice adds nothing.`,
		Example: `  qcode autocode --match NAV --word --code "NAV counsellor partnership" --unit sentence --dry-run
  qcode autocode --role interviewer --code "Interviewer question"
  qcode autocode --regex 'benefits?' --role patient --code "Fear of losing benefits" --unit sentence`,
		Args: exactArgs(0, "no arguments (the rule is given with --match, --regex, --speaker or --role)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if req.Code == "" {
				return usagef("qcode autocode needs --code C")
			}
			var words []string
			if match != "" {
				words = []string{match}
			}
			opt, err := f.options("autocode", words, false)
			if err != nil {
				if match != "" && f.regex != "" {
					return usagef("give --match TEXT or --regex RE, not both")
				}
				return err
			}
			req.Search, req.Coder = opt, a.coder
			if dryRun {
				return a.withProject(true, func(p *project.Project) error {
					plan, err := p.PlanAutocode(req)
					if err != nil {
						return err
					}
					a.say("dry run: %s would apply %s to %d span(s) (%d hit(s); %d already coded, skipped); nothing changed",
						plan.Coder, plan.CodePath, len(plan.Spans), plan.Hits, plan.Skipped)
					ps, err := a.pseudonymiser(p)
					if err != nil {
						return err
					}
					if ps != nil {
						for i := range plan.Spans {
							s := &plan.Spans[i]
							s.Speaker, s.Text = ps.LabelOf(s.Speaker), ps.Text(s.Text)
						}
					}
					return a.writePlan(plan, sample)
				})
			}
			return a.withProject(false, func(p *project.Project) error {
				plan, batch, err := p.Autocode(req)
				if err != nil {
					return err
				}
				if batch == nil {
					a.say("nothing to code: %d hit(s), %d already coded by %s with %s", plan.Hits, plan.Skipped, plan.Coder, plan.CodePath)
					if a.format == "json" {
						return a.json(autocodeJSON{Code: plan.CodePath, Coder: plan.Coder, Rule: plan.Rule, Hits: plan.Hits, Skipped: plan.Skipped, CodingIDs: []string{}})
					}
					return nil
				}
				a.say("%s applied %s to %d span(s) as batch %s (%d hit(s); %d already coded, skipped); undo with: qcode undo --batch %s",
					plan.Coder, plan.CodePath, batch.Codings, batch.ID, plan.Hits, plan.Skipped, batch.ID[:8])
				if a.format == "json" {
					return a.json(autocodeJSON{Batch: batch.ID, Code: plan.CodePath, Coder: plan.Coder, Rule: plan.Rule, Hits: plan.Hits, Applied: batch.Codings, Skipped: plan.Skipped, CodingIDs: batch.CodingIDs})
				}
				t := &export.Table{Columns: []string{"batch", "code", "coder", "applied", "skipped"}}
				t.Add(batch.ID, plan.CodePath, plan.Coder, batch.Codings, plan.Skipped)
				return a.table(t)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&match, "match", "", "code every hit of this word or phrase")
	f.register(fl, "code")
	fl.StringVar(&req.Code, "code", "", "code to apply (path, unique name or id)")
	fl.StringVar(&req.Unit, "unit", "", "what to code around a hit: match, sentence or turn (default: match; turn without --match/--regex)")
	fl.StringVar(&req.Memo, "memo", "", "memo on every coding made")
	fl.BoolVar(&dryRun, "dry-run", false, "show what would be coded; change nothing")
	fl.IntVar(&sample, "sample", 10, "with --dry-run: how many of the spans to list (0: all)")
	return cmd
}

type autocodeJSON struct {
	Batch     string   `json:"batch,omitempty"`
	Code      string   `json:"code"`
	Coder     string   `json:"coder"`
	Rule      string   `json:"rule"`
	Hits      int      `json:"hits"`
	Applied   int      `json:"applied"`
	Skipped   int      `json:"skipped"`
	CodingIDs []string `json:"coding_ids"`
}

func (a *app) writePlan(plan *project.AutocodePlan, sample int) error {
	spans := plan.Spans
	if sample > 0 && len(spans) > sample {
		spans = spans[:sample]
	}
	if a.format == "json" {
		type span struct {
			DocumentID string `json:"document_id"`
			Document   string `json:"document"`
			Turn       int    `json:"turn"`
			Speaker    string `json:"speaker"`
			Start      int    `json:"start"`
			End        int    `json:"end"`
			Text       string `json:"text"`
		}
		out := struct {
			Code    string `json:"code"`
			Coder   string `json:"coder"`
			Rule    string `json:"rule"`
			Hits    int    `json:"hits"`
			Codings int    `json:"codings"`
			Skipped int    `json:"skipped"`
			Sample  []span `json:"sample"`
		}{plan.CodePath, plan.Coder, plan.Rule, plan.Hits, len(plan.Spans), plan.Skipped, []span{}}
		for _, s := range spans {
			out.Sample = append(out.Sample, span{s.DocID, s.Document, s.Turn, s.Speaker, s.Start, s.End, s.Text})
		}
		return a.json(out)
	}
	if len(spans) < len(plan.Spans) {
		a.say("the first %d of %d (--sample N to see more, 0 for all):", len(spans), len(plan.Spans))
	}
	t := &export.Table{Columns: []string{"document", "turn", "speaker", "start", "end", "text"}}
	for _, s := range spans {
		t.Add(s.Document, s.Turn, s.Speaker, s.Start, s.End, s.Text)
	}
	return a.table(t)
}

func newUndoCmd(a *app) *cobra.Command {
	var (
		batch string
		list  bool
	)
	cmd := &cobra.Command{
		Use:   "undo --batch ID | --list",
		Short: "Remove a batch of codings made together (an auto-coding run)",
		Long: `Remove every coding of a batch (what one "qcode autocode" run applied), in one
transaction. ID is the batch id or an unambiguous prefix of it (at least 4
characters); --list shows the batches, newest first, with how many of their
codings are still there.`,
		Example: `  qcode undo --list
  qcode undo --batch 3f2a9c1e`,
		Args: exactArgs(0, "--batch ID or --list"),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case list && batch != "":
				return usagef("give --batch ID or --list, not both")
			case list:
				return a.withProject(true, a.listBatches)
			case batch == "":
				return usagef("say what to undo: --batch ID (see `qcode undo --list`)")
			}
			return a.withProject(false, func(p *project.Project) error {
				res, err := p.UndoBatch(batch)
				if err != nil {
					return err
				}
				msg := "removed batch %s: %d coding(s) of %s by %s"
				args := []any{res.Batch.ID, res.Removed, res.Batch.CodePath, res.Batch.Coder}
				if res.Missing > 0 {
					msg += " (%d had been removed before)"
					args = append(args, res.Missing)
				}
				a.say(msg, args...)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&batch, "batch", "", "the batch to remove (id or id prefix)")
	cmd.Flags().BoolVar(&list, "list", false, "list batches")
	return cmd
}

func (a *app) listBatches(p *project.Project) error {
	bs, err := p.Batches()
	if err != nil {
		return err
	}
	if a.format == "json" {
		type row struct {
			ID        string `json:"id"`
			Created   string `json:"created"`
			Coder     string `json:"coder"`
			Code      string `json:"code"`
			Rule      string `json:"rule"`
			Codings   int    `json:"codings"`
			Remaining int    `json:"remaining"`
		}
		out := make([]row, 0, len(bs))
		for _, b := range bs {
			out = append(out, row{b.ID, b.Created.Format("2006-01-02T15:04:05Z07:00"), b.Coder, b.CodePath, b.Rule, b.Codings, b.Remaining})
		}
		return a.json(out)
	}
	t := &export.Table{Columns: []string{"batch", "created", "coder", "code", "rule", "codings", "remaining"}}
	for _, b := range bs {
		id := b.ID
		if a.format == "table" {
			id = id[:8]
		}
		t.Add(id, b.Created.Local().Format("2006-01-02 15:04"), b.Coder, b.CodePath, strings.TrimSpace(b.Rule), b.Codings, b.Remaining)
	}
	return a.table(t)
}
