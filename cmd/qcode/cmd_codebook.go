package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newCodebookCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "codebook list|add|import",
		Short: "Show and edit the codebook",
		Args:  exactArgs(0, "a subcommand: list, add or import"),
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCodebookListCmd(a), newCodebookAddCmd(a), newCodebookImportCmd(a))
	return cmd
}

func newCodebookListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List codes with their paths, polarity and framework links",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withProject(true, func(p *project.Project) error {
				cb, err := p.Codebook()
				if err != nil {
					return err
				}
				ix := codebook.NewIndex(cb.Codes)
				var ordered []*codebook.Code
				var walk func(parent string)
				walk = func(parent string) {
					for _, c := range ix.Children(parent) {
						ordered = append(ordered, c)
						walk(c.ID)
					}
				}
				walk("")
				if a.format == "json" {
					type row struct {
						codebook.Code
						Path string `json:"path"`
					}
					out := []row{}
					for _, c := range ordered {
						out = append(out, row{*c, ix.Path(c.ID)})
					}
					return a.json(out)
				}
				t := &export.Table{Columns: []string{"path", "polarity", "links", "hotkey", "id"}}
				for _, c := range ordered {
					t.Add(ix.Path(c.ID), string(c.Polarity), strings.Join(c.Links, " "), c.Hotkey, c.ID[:8])
				}
				return a.table(t)
			})
		},
	}
}

func newCodebookAddCmd(a *app) *cobra.Command {
	var (
		c                codebook.Code
		parent, polarity string
	)
	cmd := &cobra.Command{
		Use:     "add NAME [--parent P] [--polarity barrier|facilitator|mixed] [--link ips25:N]...",
		Short:   "Add a code",
		Example: `  qcode codebook add "Fear of losing benefits" --parent "Work incentives" --polarity barrier --link ips25:12`,
		Args:    exactArgs(1, "the new code's name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			pol, err := codebook.ParsePolarity(polarity)
			if err != nil {
				return usageError{err}
			}
			c.Name, c.Polarity = args[0], pol
			return a.withProject(false, func(p *project.Project) error {
				added, err := p.AddCode(c, parent)
				if err != nil {
					return err
				}
				a.say("added code %s (%s)", added.Name, added.ID[:8])
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&parent, "parent", "", "parent code (path, name or id)")
	f.StringVar(&polarity, "polarity", "", "barrier, facilitator or mixed")
	f.StringArrayVar(&c.Links, "link", nil, "framework item, e.g. ips25:13 (repeatable)")
	f.StringVar(&c.Description, "description", "", "definition")
	f.StringVar(&c.Colour, "colour", "", "colour as #rrggbb")
	f.StringVar(&c.Hotkey, "hotkey", "", "key that applies the code in the TUI")
	return cmd
}

func newCodebookImportCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE.yaml",
		Short: "Add the codes of a codebook YAML file",
		Args:  exactArgs(1, "a codebook file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cb, err := readCodebookFile(args[0])
			if err != nil {
				return err
			}
			return a.withProject(false, func(p *project.Project) error {
				if err := p.AddCodebook(cb); err != nil {
					return err
				}
				a.say("added %d codes from %s", len(cb.Codes), args[0])
				return nil
			})
		},
	}
}
