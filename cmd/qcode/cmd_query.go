package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newQueryCmd(a *app) *cobra.Command {
	var save, runName, del string
	var list bool
	cmd := &cobra.Command{
		Use:   "query EXPR [--save NAME] | --run NAME | --list | --delete NAME",
		Short: "Find codings with a boolean query over codes, speakers and documents",
		Long: `Find codings with a query, and list them as "qcode codings" does (same columns
and --format json fields).

Terms (each is a set of codings):
  code:NAME            codings of the code and its sub-codes; code:="NAME" the code alone
  ATTR=VALUE           the speaker's attribute (role, site, ...), else the document's
  ATTR!=VALUE          the opposite
  coder=X  speaker=LABEL  document=NAME  kind=K
Operators, loosest first:
  A OR B               codings in either
  A AND B              codings in both: code:X AND role=patient
  A NEAR/n B           codings of A at most n turns from a coding of B (NEAR = NEAR/1)
  A WITHIN B           codings of A lying inside a coding of B
  A OVERLAPS B         codings of A sharing text with a coding of B
  NOT A                codings not in A
Relations hold within one document, never pair a coding with itself, and
keep the codings on their left; (A OVERLAPS B) OR (B OVERLAPS A) gives both
sides. Quote names with spaces; keywords may be lower case. Documents
without speaker turns (field notes) count paragraphs for NEAR.

--save NAME stores the query in the project after running it; --run NAME
runs a stored one; --list shows them. See docs/QUERY.md.`,
		Example: `  qcode query 'code:"Fear of losing benefits" AND role=patient'
  qcode query 'code:"Disclosure decisions" NEAR/2 code:"Frequent employer contact"'
  qcode query 'code:"Team integration and information sharing" OVERLAPS code:"Leadership backing"' --save team
  qcode query --run team --format csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			modes := 0
			for _, on := range []bool{len(args) > 0, runName != "", list, del != ""} {
				if on {
					modes++
				}
			}
			switch {
			case modes == 0:
				return usagef("qcode query needs EXPR, --run NAME, --list or --delete NAME (see `qcode query --help`)")
			case modes > 1:
				return usagef("give one of EXPR, --run NAME, --list or --delete NAME")
			case save != "" && len(args) == 0:
				return usagef("--save NAME stores the EXPR given with it")
			case list:
				return a.withProject(true, a.listQueries)
			case del != "":
				return a.withProject(false, func(p *project.Project) error {
					if err := p.DeleteSavedQuery(del); err != nil {
						return err
					}
					a.say("deleted saved query %s", del)
					return nil
				})
			}
			expr, label := strings.Join(args, " "), "query"
			return a.withProject(save == "", func(p *project.Project) error {
				if runName != "" {
					sq, err := p.SavedQueryNamed(runName)
					if err != nil {
						return err
					}
					expr, label = sq.Query, "saved query "+sq.Name
				}
				res, err := p.Query(expr)
				if err != nil {
					return a.queryError(label, err)
				}
				for _, n := range res.Notes {
					a.say("note: %s", n)
				}
				if save != "" {
					replaced, err := p.SaveQuery(save, expr, a.coder)
					if err != nil {
						return err
					}
					verb := "saved"
					if replaced {
						verb = "replaced saved"
					}
					a.say("%s query %s: %s", verb, save, res.Query)
				}
				a.say("%d coding(s)", len(res.Codings))
				return a.writeCodings(p, res.Codings)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&save, "save", "", "store the query under NAME (after running it)")
	f.StringVar(&runName, "run", "", "run the saved query NAME")
	f.BoolVar(&list, "list", false, "list saved queries")
	f.StringVar(&del, "delete", "", "delete the saved query NAME")
	return cmd
}

// queryError prints a mistake in a query with a caret under its column:
//
//	qcode: query: column 21: no code "Nope" in the codebook
//	  code:Disclosure AND code:Nope
//	                      ^
//
// A mistake in the query's form is a usage error (exit 2).
func (a *app) queryError(label string, err error) error {
	qe, ok := project.IsQueryError(err)
	if !ok {
		return err
	}
	fmt.Fprintf(a.stderr, "qcode: %s: %s\n", label, oneLine(qe.Error()))
	for _, line := range strings.Split(qe.Caret(), "\n") {
		fmt.Fprintln(a.stderr, "  "+line)
	}
	if qe.Syntax {
		return usageError{errReported}
	}
	return errReported
}

func (a *app) listQueries(p *project.Project) error {
	qs, err := p.SavedQueries()
	if err != nil {
		return err
	}
	if a.format == "json" {
		type row struct {
			Name  string `json:"name"`
			Query string `json:"query"`
			Saved string `json:"saved"`
			By    string `json:"by"`
		}
		out := make([]row, 0, len(qs))
		for _, q := range qs {
			out = append(out, row{q.Name, q.Query, q.Saved.Format("2006-01-02T15:04:05Z07:00"), q.By})
		}
		return a.json(out)
	}
	t := &export.Table{Columns: []string{"name", "query", "saved", "by"}}
	for _, q := range qs {
		t.Add(q.Name, q.Query, q.Saved.Format("2006-01-02"), q.By)
	}
	return a.table(t)
}
