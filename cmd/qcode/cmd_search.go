package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

// searchFlags are the text and speaker options of search and autocode.
type searchFlags struct {
	opt   project.SearchOptions
	regex string
	where []string
}

func (f *searchFlags) register(fl *pflag.FlagSet, verb string) {
	fl.StringVar(&f.regex, "regex", "", verb+" what this Go regular expression matches (RE2 syntax) instead of TEXT")
	fl.BoolVar(&f.opt.FoldAccents, "fold-accents", false, "ignore accents: cafe finds café, Tromso finds Tromsø")
	fl.BoolVar(&f.opt.CaseSensitive, "case-sensitive", false, "tell upper and lower case apart (they match each other by default)")
	fl.BoolVar(&f.opt.WholeWord, "word", false, "whole words only: NAV but not navigate")
	fl.StringSliceVar(&f.opt.Docs, "docs", nil, "only these documents (comma-separated names or ids)")
	fl.StringArrayVar(&f.where, "where", nil, "only where ATTR=VALUE (the speaker's attribute, else the document's); repeatable")
	fl.StringSliceVar(&f.opt.Speakers, "speaker", nil, "only what these participants said (labels, comma-separated)")
	fl.StringSliceVar(&f.opt.Roles, "role", nil, "only what participants with these roles said (comma-separated)")
}

// options builds the search from the flags and the words of TEXT (joined
// by spaces: several words are a phrase). needText says whether the
// command needs TEXT or --regex.
func (f *searchFlags) options(cmd string, args []string, needText bool) (project.SearchOptions, error) {
	opt := f.opt
	switch {
	case f.regex != "" && len(args) > 0:
		return opt, usagef("give TEXT or --regex RE, not both")
	case f.regex != "":
		opt.Text, opt.Regex = f.regex, true
	case len(args) > 0:
		opt.Text = strings.Join(args, " ")
	case needText:
		return opt, usagef("%s needs TEXT or --regex RE (see `qcode %s --help`)", cmd, cmd)
	}
	if opt.Text != "" {
		if err := project.CheckPattern(opt); err != nil {
			return opt, usageError{err}
		}
	}
	if len(f.where) > 0 {
		w, err := project.ParseAttrs(f.where)
		if err != nil {
			return opt, usageError{err}
		}
		opt.Where = w
	}
	return opt, nil
}

func newSearchCmd(a *app) *cobra.Command {
	var (
		f       searchFlags
		count   bool
		context int
	)
	cmd := &cobra.Command{
		Use:   "search TEXT | --regex RE [--where ATTR=V] [--speaker LABEL] [--role R] [--count]",
		Short: "Find text in every transcript, with keyword in context",
		Long: `Find a word or phrase in every document and list each hit with its document,
turn, speaker and the text around it. Case is ignored by default, for every
script (Tromsø finds TROMSØ); --fold-accents also ignores accents (cafe finds
café, Tromso finds Tromsø). Several words are a phrase: they match across line
breaks and repeated spaces. --regex RE takes a Go regular expression instead.
Speaker labels are not searched: use --speaker or --role to search what
someone said.

--count counts hits per document and speaker instead of listing them.
--format json gives document, speaker, turn, start, end (rune offsets, as
in "qcode show --format json"), text, before, after and context.`,
		Example: `  qcode search NAV --word
  qcode search "losing my benefits" --role patient
  qcode search --regex 'benefit(s)?' --where site=Tromsø --count
  qcode search tromso --fold-accents --format json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := f.options("search", args, true)
			if err != nil {
				return err
			}
			if context < 1 {
				return usagef("--context %d: give at least 1 character of context", context)
			}
			opt.Context = context
			return a.withProject(true, func(p *project.Project) error {
				hits, err := p.Search(opt)
				if err != nil {
					return err
				}
				ps, err := a.pseudonymiser(p)
				if err != nil {
					return err
				}
				if ps != nil {
					for i := range hits {
						h := &hits[i]
						h.Speaker = ps.LabelOf(h.Speaker)
						h.Text, h.Before, h.After = ps.Text(h.Text), ps.Text(h.Before), ps.Text(h.After)
					}
				}
				docs := map[string]bool{}
				for _, h := range hits {
					docs[h.DocID] = true
				}
				a.say("%d hit(s) in %d document(s)", len(hits), len(docs))
				if count {
					return a.writeHitCounts(project.CountHits(hits))
				}
				return a.writeHits(hits)
			})
		},
	}
	f.register(cmd.Flags(), "find")
	cmd.Flags().BoolVar(&count, "count", false, "count hits per document and speaker")
	cmd.Flags().IntVar(&context, "context", project.DefaultContext, "characters of context on each side of a hit")
	return cmd
}

type hitJSON struct {
	DocumentID string `json:"document_id"`
	Document   string `json:"document"`
	Turn       int    `json:"turn"`
	Speaker    string `json:"speaker"`
	Role       string `json:"role"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Text       string `json:"text"`
	Before     string `json:"before"`
	After      string `json:"after"`
	Context    string `json:"context"`
}

func (a *app) writeHits(hits []project.Hit) error {
	if a.format == "json" {
		out := make([]hitJSON, 0, len(hits))
		for _, h := range hits {
			out = append(out, hitJSON{h.DocID, h.Document, h.Turn, h.Speaker, h.Role, h.Start, h.End, h.Text, h.Before, h.After, h.Before + h.Text + h.After})
		}
		return a.json(out)
	}
	if a.format == "table" || a.format == "md" {
		// Keyword in context on one line, the hit in bold (Markdown's
		// **, which reads as emphasis in a terminal too).
		t := &export.Table{Columns: []string{"document", "turn", "speaker", "context"}}
		for _, h := range hits {
			t.Add(h.Document, h.Turn, h.Speaker, h.Before+"**"+strings.Join(strings.Fields(h.Text), " ")+"**"+h.After)
		}
		return a.table(t)
	}
	t := &export.Table{Columns: []string{"document", "turn", "speaker", "role", "start", "end", "before", "text", "after"}}
	for _, h := range hits {
		t.Add(h.Document, h.Turn, h.Speaker, h.Role, h.Start, h.End, h.Before, h.Text, h.After)
	}
	return a.table(t)
}

func (a *app) writeHitCounts(counts []project.HitCount) error {
	if a.format == "json" {
		type row struct {
			Document string `json:"document"`
			Speaker  string `json:"speaker"`
			Role     string `json:"role"`
			Hits     int    `json:"hits"`
		}
		out := make([]row, 0, len(counts))
		for _, c := range counts {
			out = append(out, row{c.Document, c.Speaker, c.Role, c.Hits})
		}
		return a.json(out)
	}
	t := &export.Table{Columns: []string{"document", "speaker", "role", "hits"}}
	for _, c := range counts {
		t.Add(c.Document, c.Speaker, c.Role, c.Hits)
	}
	return a.table(t)
}
