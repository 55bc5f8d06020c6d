package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/examples"
	"github.com/qcode-qda/qcode/internal/project"
)

func newDemoCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Build a demo project from the example IPS study",
		Long: `Build a demo project from the synthetic IPS implementation study in
examples/ (shipped inside the binary): ten transcripts in five formats, the
participants table, a starter codebook linked to IPS-25 items, and codings
by two coders. It is written to demo.db in the current directory, or -p PATH.
Running it again rebuilds the demo project; any other file is left alone.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "demo.db"
			if cmd.Flag("project").Changed {
				path = a.projectPath
			}
			sum, err := project.BuildDemo(examples.FS, path)
			if err != nil {
				return err
			}
			coders := make([]string, 0, len(sum.Codings))
			for c, n := range sum.Codings {
				coders = append(coders, fmt.Sprintf("%s %d", c, n))
			}
			sort.Strings(coders)
			fmt.Fprintf(a.stdout, "Built %s: %d documents, %d participants, %d codes, codings by %s.\n\n", path, sum.Documents, sum.Participants, sum.Codes, strings.Join(coders, ", "))
			fmt.Fprintf(a.stdout, `Try:
  qcode -p %[1]s docs                              the transcripts
  qcode -p %[1]s show es-focus-group-tromso --turns
                                                   a focus group, turn by turn
  qcode -p %[1]s participants                      speakers with role and site
  qcode -p %[1]s codebook list                     themes linked to IPS-25 items
  qcode -p %[1]s codings --code "Disclosure and stigma"
                                                   coded excerpts with speakers
`, path)
			return nil
		},
	}
}
