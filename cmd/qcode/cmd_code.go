package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newCodeCmd(a *app) *cobra.Command {
	var (
		req       project.CodeRequest
		rangeFlag string
	)
	cmd := &cobra.Command{
		Use:   "code DOC --code C (--turn N | --range S:E | --match TEXT) [--memo M]",
		Short: "Apply a code to a turn, a range or a piece of text",
		Long: `Apply a code to part of a document, as --coder (or QCODE_CODER).
--turn N codes what was said in turn N (numbered as in "qcode show DOC --turns").
--range S:E codes rune offsets [S, E) of the text ("qcode show DOC --format json").
--match TEXT codes the text where it occurs (exactly, else ignoring case); if it
occurs more than once, --nth K picks one and --all codes every occurrence.
C is a code's path ("Theme/Sub-theme"), its name if unique, or its id.`,
		Example: `  qcode code staff-01 --code "Readiness gatekeeping" --turn 12
  qcode code staff-01 --code Disclosure --match "told the employer about my record" --memo "ex-offender"`,
		Args: exactArgs(1, "a document (name, file name or id)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Doc, req.Coder = args[0], a.coder
			if req.Code == "" {
				return usagef("qcode code needs --code C")
			}
			if rangeFlag != "" {
				s, e, ok := strings.Cut(rangeFlag, ":")
				start, err1 := strconv.Atoi(s)
				end, err2 := strconv.Atoi(e)
				if !ok || err1 != nil || err2 != nil {
					return usagef("--range %q is not of the form START:END (rune offsets)", rangeFlag)
				}
				req.Target.Range = &[2]int{start, end}
			}
			return a.withProject(false, func(p *project.Project) error {
				made, err := p.Code(req)
				if err != nil {
					return err
				}
				ids := make([]string, len(made))
				for i, c := range made {
					ids[i] = c.ID
				}
				if a.format == "json" {
					return a.json(ids)
				}
				t := &export.Table{Columns: []string{"id", "start", "end"}}
				for _, c := range made {
					t.Add(c.ID, c.Start, c.End)
				}
				a.say("applied %s %d time(s) as %s", req.Code, len(made), req.Coder)
				return a.table(t)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&req.Code, "code", "", "code to apply (path, unique name or id)")
	f.IntVar(&req.Target.Turn, "turn", 0, "turn number (1-based)")
	f.StringVar(&rangeFlag, "range", "", "rune offsets START:END (end exclusive)")
	f.StringVar(&req.Target.Match, "match", "", "text to find and code")
	f.IntVar(&req.Target.Nth, "nth", 0, "with --match: code only the Nth occurrence")
	f.BoolVar(&req.Target.All, "all", false, "with --match: code every occurrence")
	f.StringVar(&req.Memo, "memo", "", "memo on the coding")
	return cmd
}

func newUncodeCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "uncode CODING_ID",
		Short: "Remove a coding (by id or unambiguous id prefix)",
		Args:  exactArgs(1, "a coding id (see `qcode codings`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withProject(false, func(p *project.Project) error {
				c, err := p.Uncode(args[0])
				if err != nil {
					return err
				}
				a.say("removed coding %s (%d:%d, by %s)", c.ID, c.Start, c.End, c.Coder)
				return nil
			})
		},
	}
}

func newCodingsCmd(a *app) *cobra.Command {
	var f project.CodingFilter
	cmd := &cobra.Command{
		Use:   "codings [--doc D] [--code C] [--coder X]",
		Short: "List codings with their text and speaker",
		Long: `List codings ordered by document and position. --code includes the code's
sub-codes. --format json gives id, document, code, start, end, text, coder,
memo and speaker for each.`,
		Args: exactArgs(0, "no arguments (filters are flags: --doc, --code, --coder)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			// --coder is global ("who is coding"); here it filters, but
			// only when given on the command line, not from the default.
			if cmd.Flag("coder").Changed {
				f.Coder = a.coder
			}
			return a.withProject(true, func(p *project.Project) error {
				cs, err := p.Codings(f)
				if err != nil {
					return err
				}
				return a.writeCodings(p, cs)
			})
		},
	}
	cmd.Flags().StringVar(&f.Doc, "doc", "", "only this document")
	cmd.Flags().StringVar(&f.Code, "code", "", "only this code and its sub-codes")
	return cmd
}

// writeCodings lists codings in --format (shared by codings and query).
func (a *app) writeCodings(p *project.Project, cs []project.CodingView) error {
	ps, err := a.pseudonymiser(p)
	if err != nil {
		return err
	}
	if ps != nil {
		for i := range cs {
			cs[i].Speaker = ps.LabelOf(cs[i].Speaker)
			cs[i].Text, cs[i].Memo = ps.Text(cs[i].Text), ps.Text(cs[i].Memo)
		}
	}
	if a.format == "json" {
		return a.json(codingsJSON(cs))
	}
	t := &export.Table{Columns: []string{"id", "document", "code", "coder", "speaker", "turn", "start", "end", "text", "memo"}}
	for _, c := range cs {
		t.Add(c.ID[:8], c.Document, c.CodePath, c.Coder, c.Speaker, c.Turn, c.Start, c.End, c.Text, c.Memo)
	}
	if a.format != "table" {
		for i, c := range cs {
			t.Rows[i][0] = c.ID // full ids where a program reads them
		}
	}
	return a.table(t)
}

type codingJSON struct {
	ID         string    `json:"id"`
	DocumentID string    `json:"document_id"`
	Document   string    `json:"document"`
	CodeID     string    `json:"code_id"`
	Code       string    `json:"code"`
	CodePath   string    `json:"code_path"`
	Start      int       `json:"start"`
	End        int       `json:"end"`
	Text       string    `json:"text"`
	Coder      string    `json:"coder"`
	Memo       string    `json:"memo"`
	Speaker    string    `json:"speaker"`
	Role       string    `json:"role"`
	Turn       int       `json:"turn"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
}

func codingsJSON(cs []project.CodingView) []codingJSON {
	out := make([]codingJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, codingJSON{c.ID, c.DocID, c.Document, c.CodeID, c.CodeName, c.CodePath, c.Start, c.End, c.Text, c.Coder, c.Memo, c.Speaker, c.Role, c.Turn, c.Created, c.Updated})
	}
	return out
}
