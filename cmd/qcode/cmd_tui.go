package main

import (
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/tui"
	"github.com/qcode-qda/qcode/internal/tui/theme"
)

func newTUICmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tui",
		Short: "Open the interactive coding workspace",
		Long: `Open the project in the interactive coding workspace: documents, the
transcript as speaker turns, and the codebook. Every coding is stored the
moment it is shown as done. Press ? inside for every key; see docs/TUI.md.
The log is written to $QCODE_LOG (default: qcode/tui.log in your cache
directory), never to the terminal.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runTUI(cmd)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&a.tui.Review, "review", nil, "the two coders of the disagreement review (key D); default: the first two who coded")
	f.StringVar(&a.tui.ReviewUnit, "unit", "turn", "unit of the disagreement review: turn, sentence, paragraph, char, segment")
	f.StringVar(&a.tui.Consensus, "consensus", "consensus", "coder name under which review decisions are stored")
	return cmd
}

func (a *app) runTUI(cmd *cobra.Command) error {
	opt := a.tui
	opt.Path, opt.Coder, opt.NoColor = a.projectPath, a.coder, theme.NoColorRequested()
	return tui.Run(cmd.Context(), opt, a.stdin, a.stdout)
}

// onTerminal reports whether qcode was started interactively, so that a
// bare `qcode` opens the workspace there and prints help everywhere else.
func (a *app) onTerminal() bool {
	in, ok1 := a.stdin.(*os.File)
	out, ok2 := a.stdout.(*os.File)
	return ok1 && ok2 && term.IsTerminal(in.Fd()) && term.IsTerminal(out.Fd())
}
