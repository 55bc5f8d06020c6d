package main

import (
	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newParticipantsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "participants [set LABEL key=value...]",
		Short: "List participants, or set their attributes",
		Long: `List participants (the speakers of all documents, matched by label) with
their attributes and how many documents and turns they speak in.`,
		Args: exactArgs(0, "no arguments (did you mean `qcode participants set`?)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withProject(true, func(p *project.Project) error {
				ps, err := p.Participants()
				if err != nil {
					return err
				}
				pseudo, err := a.pseudonymiser(p)
				if err != nil {
					return err
				}
				if pseudo != nil {
					for i := range ps {
						ps[i].Label = pseudo.Label(ps[i].ID, ps[i].Label)
					}
				}
				if a.format == "json" {
					type row struct {
						ID         string            `json:"id"`
						Label      string            `json:"label"`
						Attributes map[string]string `json:"attributes"`
						Documents  int               `json:"documents"`
						Turns      int               `json:"turns"`
					}
					out := []row{}
					for _, pp := range ps {
						out = append(out, row{pp.ID, pp.Label, nonNil(pp.Attributes), pp.Documents, pp.Turns})
					}
					return a.json(out)
				}
				keys := project.AttributeKeys(ps)
				t := &export.Table{Columns: append(append([]string{"label"}, keys...), "documents", "turns")}
				for _, pp := range ps {
					row := []any{pp.Label}
					for _, k := range keys {
						row = append(row, pp.Attributes[k])
					}
					t.Add(append(row, pp.Documents, pp.Turns)...)
				}
				return a.table(t)
			})
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "set LABEL key=value...",
		Short: "Set attributes of a participant (created if new); key= removes one",
		Example: `  qcode participants set "Hanne Sørensen" role=employer site=Tromsø
  qcode participants set P3 years_in_role=`,
		Args: minArgs(2, "a label and at least one key=value"),
		RunE: func(cmd *cobra.Command, args []string) error {
			attrs, err := project.ParseAttrs(args[1:])
			if err != nil {
				return usageError{err}
			}
			return a.withProject(false, func(p *project.Project) error {
				pp, created, err := p.SetParticipant(args[0], attrs)
				if err != nil {
					return err
				}
				if created {
					a.say("created participant %s", pp.Label)
				} else {
					a.say("updated participant %s", pp.Label)
				}
				return nil
			})
		},
	})
	return cmd
}
