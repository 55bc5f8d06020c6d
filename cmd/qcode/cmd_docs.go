package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newDocsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "docs [set DOC key=value...]",
		Short: "List documents, or set a document's kind and attributes",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withProject(true, func(p *project.Project) error {
				docs, err := p.Documents()
				if err != nil {
					return err
				}
				if a.format == "json" {
					type row struct {
						ID         string            `json:"id"`
						Name       string            `json:"name"`
						Kind       string            `json:"kind"`
						Attributes map[string]string `json:"attributes"`
						SourceFile string            `json:"source_file"`
						Format     string            `json:"format"`
						Turns      int               `json:"turns"`
						Speakers   int               `json:"speakers"`
						Words      int               `json:"words"`
						Codings    int               `json:"codings"`
						ImportedAt time.Time         `json:"imported_at"`
					}
					out := []row{}
					for _, d := range docs {
						out = append(out, row{d.ID, d.Name, d.Kind, nonNil(d.Attributes), d.SourceFile, d.Format, len(d.Turns), d.Speakers, d.Words, d.Codings, d.ImportedAt})
					}
					return a.json(out)
				}
				keys := attrKeys(docs)
				t := &export.Table{Columns: append(append([]string{"id", "name", "kind"}, keys...), "turns", "speakers", "words", "codings")}
				for _, d := range docs {
					row := []any{d.ID[:8], d.Name, d.Kind}
					for _, k := range keys {
						row = append(row, d.Attributes[k])
					}
					t.Add(append(row, len(d.Turns), d.Speakers, d.Words, d.Codings)...)
				}
				return a.table(t)
			})
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "set DOC key=value...",
		Short: "Set a document's kind, name or attributes (site, wave, date, ...); key= removes one",
		Example: `  qcode docs set fg-2 kind=focus-group site=Tromsø wave=1
  qcode docs set interview-07 name=staff-07`,
		Args: minArgs(2, "a document and at least one key=value"),
		RunE: func(cmd *cobra.Command, args []string) error {
			attrs, err := project.ParseAttrs(args[1:])
			if err != nil {
				return usageError{err}
			}
			return a.withProject(false, func(p *project.Project) error {
				d, err := p.SetDocument(args[0], attrs)
				if err != nil {
					return err
				}
				a.say("updated %s (%s)", d.Name, d.Kind)
				return nil
			})
		},
	})
	return cmd
}

func attrKeys(docs []project.DocumentSummary) []string {
	seen := map[string]bool{}
	var keys []string
	for _, d := range docs {
		for k := range d.Attributes {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func newShowCmd(a *app) *cobra.Command {
	var turns bool
	cmd := &cobra.Command{
		Use:   "show DOC [--turns]",
		Short: "Show one document: its text, or its numbered turns",
		Long: `Show one document. DOC is the document's name, its imported file's name, its
id, or an unambiguous id prefix. Without --turns the text is printed as
stored; --turns lists the numbered turns that "qcode code --turn N" refers
to. --format json prints the document with its text and turns (rune offsets
into the text, half-open).`,
		Args: exactArgs(1, "a document (name, file name or id)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withProject(true, func(p *project.Project) error {
				d, err := p.Document(args[0])
				if err != nil {
					return err
				}
				ps, err := a.pseudonymiser(p)
				if err != nil {
					return err
				}
				if ps != nil {
					ps.Document(d)
				}
				switch {
				case a.format == "json":
					return a.json(showJSON(d))
				case turns || a.format != "table":
					t := &export.Table{Columns: []string{"turn", "speaker", "role", "time", "start", "end", "text"}}
					for _, tv := range d.Turns {
						t.Add(tv.Number, tv.Speaker, tv.Role, formatMS(tv.TimeMS), tv.Start, tv.End, tv.Text)
					}
					return a.table(t)
				}
				fmt.Fprintf(a.stderr, "%s — %s, %d turns, %d words (%s, %s)\n", d.Name, d.Kind, len(d.Turns), d.Words, d.SourceFile, d.Encoding)
				_, err = fmt.Fprint(a.stdout, strings.TrimRight(d.Text, "\n")+"\n")
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&turns, "turns", false, "list numbered turns instead of the text")
	return cmd
}

func showJSON(d *project.DocumentView) any {
	type turn struct {
		Number  int    `json:"number"`
		Speaker string `json:"speaker"`
		Role    string `json:"role,omitempty"`
		Start   int    `json:"start"`
		End     int    `json:"end"`
		TimeMS  *int64 `json:"time_ms,omitempty"`
	}
	out := struct {
		ID         string            `json:"id"`
		Name       string            `json:"name"`
		Kind       string            `json:"kind"`
		Attributes map[string]string `json:"attributes"`
		SourceFile string            `json:"source_file"`
		Format     string            `json:"format"`
		Encoding   string            `json:"encoding"`
		TextSHA256 string            `json:"text_sha256"`
		ImportedAt time.Time         `json:"imported_at"`
		Words      int               `json:"words"`
		Text       string            `json:"text"`
		Turns      []turn            `json:"turns"`
		Memo       string            `json:"memo,omitempty"`
	}{d.ID, d.Name, d.Kind, nonNil(d.Attributes), d.SourceFile, d.Format, d.Encoding, d.TextSHA256, d.ImportedAt, d.Words, d.Text, []turn{}, d.Memo}
	for _, tv := range d.Turns {
		t := turn{Number: tv.Number, Speaker: tv.Speaker, Role: tv.Role, Start: tv.Start, End: tv.End}
		if tv.TimeMS >= 0 {
			ms := tv.TimeMS
			t.TimeMS = &ms
		}
		out.Turns = append(out.Turns, t)
	}
	return out
}

// formatMS renders a media time as h:mm:ss, or "" when unknown.
func formatMS(ms int64) string {
	if ms < 0 {
		return ""
	}
	s := ms / 1000
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}
