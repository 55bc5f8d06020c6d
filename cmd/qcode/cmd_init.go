package main

import (
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/project"
)

func newInitCmd(a *app) *cobra.Command {
	var codebookRef string
	cmd := &cobra.Command{
		Use:   "init [--codebook NAME|FILE]",
		Short: "Create a new project file",
		Long: `Create a new, empty project file (default qcode.db, or -p PATH), readable
only by you. --codebook starts it with a codebook: a built-in starter
(ips25-barriers-facilitators: a barrier and a facilitator code for every
IPS-25 item, grouped by section; cfir2: the CFIR 2.0 domains, constructs
and subconstructs) or a codebook file (.yaml, .csv, .qdc).`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var cb *codebook.Codebook
			if codebookRef != "" {
				var err error
				if slices.Contains(codebook.StarterNames(), codebookRef) {
					cb, err = codebook.Starter(codebookRef)
				} else {
					cb, err = codebook.ReadFile(codebookRef)
				}
				if err != nil {
					return err
				}
			}
			p, err := project.Create(a.projectPath)
			if err != nil {
				return err
			}
			defer p.Close()
			if cb != nil {
				if err := p.AddCodebook(cb); err != nil {
					p.Close()
					os.Remove(a.projectPath)
					return err
				}
				a.say("created %s with %d codes from %s", a.projectPath, len(cb.Codes), codebookRef)
				return nil
			}
			a.say("created %s", a.projectPath)
			return nil
		},
	}
	cmd.Flags().StringVar(&codebookRef, "codebook", "", "starter codebook (ips25-barriers-facilitators, cfir2) or codebook file")
	return cmd
}
