package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/project"
)

// codeFlags are the code fields shared by `add` and `edit`.
type codeFlags struct {
	description, inclusion, exclusion, example, colour, hotkey, memo, polarity, name string
	links                                                                            []string
	grouping                                                                         bool
}

func (f *codeFlags) register(fs *pflag.FlagSet, withName bool) {
	fs.StringVar(&f.description, "description", "", "definition")
	fs.StringVar(&f.inclusion, "inclusion", "", "when to apply the code")
	fs.StringVar(&f.exclusion, "exclusion", "", "when not to apply it (and what to use instead)")
	fs.StringVar(&f.example, "example", "", "a typical excerpt")
	fs.StringVar(&f.polarity, "polarity", "", "barrier, facilitator, mixed or none")
	fs.StringArrayVar(&f.links, "link", nil, "framework item, e.g. ips25:13 or cfir2:III.D.2 (repeatable)")
	fs.StringVar(&f.colour, "color", "", "colour as #RRGGBB")
	fs.StringVar(&f.colour, "colour", "", "colour as #RRGGBB")
	fs.StringVar(&f.hotkey, "hotkey", "", "one key that applies the code in the TUI")
	fs.StringVar(&f.memo, "memo", "", "memo on the code")
	fs.BoolVar(&f.grouping, "grouping", false, "a grouping code (theme heading), not applied to text")
	if withName {
		fs.StringVar(&f.name, "name", "", "new name")
	}
}

func newCodebookAddCmd(a *app) *cobra.Command {
	var (
		f      codeFlags
		parent string
	)
	cmd := &cobra.Command{
		Use:     "add NAME [--parent PATH] [--polarity P] [--link ips25:13]... [--description TEXT] [--color #RRGGBB] [--hotkey K]",
		Short:   "Add a code",
		Example: `  qcode codebook add "Fear of losing benefits" --parent "Benefits and NAV" --polarity barrier --link ips25:12`,
		Args:    exactArgs(1, "the new code's name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			pol, err := codebook.ParsePolarity(f.polarity)
			if err != nil {
				return usageError{err}
			}
			c := codebook.Code{Name: args[0], Description: f.description, Inclusion: f.inclusion, Exclusion: f.exclusion, Example: f.example, Polarity: pol, Links: f.links, Colour: f.colour, Hotkey: f.hotkey, Memo: f.memo, Grouping: f.grouping}
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
	cmd.Flags().StringVar(&parent, "parent", "", "parent code (path, name or id)")
	f.register(cmd.Flags(), false)
	return cmd
}

func newCodebookEditCmd(a *app) *cobra.Command {
	var f codeFlags
	cmd := &cobra.Command{
		Use:     "edit CODE [--name N] [--description TEXT] [--polarity P] [--link L]... [...]",
		Short:   "Change a code's name, definition, polarity, links, colour or hotkey",
		Example: `  qcode codebook edit "Readiness gatekeeping" --inclusion "Staff delay referral until a patient seems ready"`,
		Args:    exactArgs(1, "a code"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var e project.CodeEdit
			changed := cmd.Flags().Changed
			for flag, field := range map[string]**string{"name": &e.Name, "description": &e.Description, "inclusion": &e.Inclusion, "exclusion": &e.Exclusion, "example": &e.Example, "hotkey": &e.Hotkey, "memo": &e.Memo} {
				if changed(flag) {
					v := cmd.Flags().Lookup(flag).Value.String()
					*field = &v
				}
			}
			if changed("color") || changed("colour") {
				e.Colour = &f.colour
			}
			if changed("polarity") {
				pol, err := codebook.ParsePolarity(f.polarity)
				if err != nil {
					return usageError{err}
				}
				e.Polarity = &pol
			}
			if changed("link") {
				e.Links = &f.links
			}
			if changed("grouping") {
				e.Grouping = &f.grouping
			}
			return a.withProject(false, func(p *project.Project) error {
				c, err := p.EditCode(args[0], e)
				if err != nil {
					return err
				}
				a.say("changed code %s", c.Name)
				return nil
			})
		},
	}
	f.register(cmd.Flags(), true)
	return cmd
}

func newCodebookRmCmd(a *app) *cobra.Command {
	var opt project.RemoveOptions
	cmd := &cobra.Command{
		Use:   "rm CODE [--reassign TO | --force]",
		Short: "Remove a code and its sub-codes (--reassign merges it into another code)",
		Long: `Remove a code and its sub-codes. If they have codings, rm refuses unless
--reassign TO moves the codings to another code (this is how two codes are
merged into one) or --force deletes them.`,
		Args: exactArgs(1, "a code"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opt.ReassignTo != "" && opt.Force {
				return usagef("--reassign and --force exclude each other")
			}
			return a.withProject(false, func(p *project.Project) error {
				res, err := p.RemoveCode(args[0], opt)
				if err != nil {
					return err
				}
				a.say("removed %s", strings.Join(res.Removed, ", "))
				if opt.ReassignTo != "" {
					a.say("moved %d coding(s) to %s (%d already there)", res.Reassigned, opt.ReassignTo, res.Merged)
				}
				if res.Deleted > 0 {
					a.say("deleted %d coding(s)", res.Deleted)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&opt.ReassignTo, "reassign", "", "move the codings to this code")
	cmd.Flags().BoolVar(&opt.Force, "force", false, "delete the codings")
	return cmd
}

func newCodebookMvCmd(a *app) *cobra.Command {
	var (
		parent string
		top    bool
	)
	cmd := &cobra.Command{
		Use:   "mv CODE (--parent P | --top)",
		Short: "Move a code (with its sub-codes) under another parent",
		Args:  exactArgs(1, "a code"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (parent == "") == !top {
				return usagef("say where to move it: --parent P or --top")
			}
			return a.withProject(false, func(p *project.Project) error {
				c, err := p.MoveCode(args[0], parent)
				if err != nil {
					return err
				}
				a.say("moved %s", c.Name)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&parent, "parent", "", "new parent code")
	cmd.Flags().BoolVar(&top, "top", false, "make it a top-level code")
	return cmd
}
