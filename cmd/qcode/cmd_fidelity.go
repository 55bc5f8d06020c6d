package main

import (
	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newFidelityCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fidelity [set SITE ITEM SCORE | import FILE.csv]",
		Short: "Record IPS-25 fidelity review scores per site (for the joint display)",
		Long: `Record the item scores of IPS-25 fidelity reviews, per site, so that
"qcode report fidelity" can show each site's score beside that site's coded
barriers and facilitators. Without a subcommand, list the recorded scores.
ITEM is an IPS-25 item number (13) or id (ips25:13); SCORE is 1-5.`,
		Args: exactArgs(0, "no arguments, or a subcommand: set, import"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withProject(true, func(p *project.Project) error {
				scores, err := p.Scores()
				if err != nil {
					return err
				}
				t := &export.Table{Columns: []string{"site", "item", "score"}}
				for _, s := range scores {
					t.Add(s.Site, s.Item, s.Score)
				}
				return a.table(t)
			})
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:     "set SITE ITEM SCORE",
		Short:   "Record one site's score on one item",
		Example: `  qcode fidelity set Tromsø 13 4`,
		Args:    exactArgs(3, "a site, an item and a score"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := project.ParseScore(args[0], args[1], args[2])
			if err != nil {
				return err
			}
			return a.withProject(false, func(p *project.Project) error {
				if err := p.SetScores([]project.Score{s}); err != nil {
					return err
				}
				a.say("%s %s: %d", s.Site, s.Item, s.Score)
				return nil
			})
		},
	}, &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Record scores from a CSV with columns site, item, score (all or nothing)",
		Args:  exactArgs(1, "a CSV file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			scores, err := project.ReadScoresCSV(args[0])
			if err != nil {
				return err
			}
			return a.withProject(false, func(p *project.Project) error {
				if err := p.SetScores(scores); err != nil {
					return err
				}
				a.say("recorded %d score(s) from %s", len(scores), args[0])
				return nil
			})
		},
	})
	return cmd
}
