package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/project"
)

func newInitCmd(a *app) *cobra.Command {
	var codebookRef string
	cmd := &cobra.Command{
		Use:   "init [--codebook FILE]",
		Short: "Create a new project file",
		Long: `Create a new, empty project file (default qcode.db, or -p PATH), readable
only by you. --codebook FILE starts it with the codes of a codebook YAML file.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var cb *codebook.Codebook
			if codebookRef != "" {
				var err error
				if cb, err = readCodebookFile(codebookRef); err != nil {
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
	cmd.Flags().StringVar(&codebookRef, "codebook", "", "start with the codes of this codebook file (.yaml)")
	return cmd
}

func readCodebookFile(path string) (*codebook.Codebook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return codebook.ReadYAML(path, f)
}
