package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/analysis"
	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newCodebookCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "codebook list|tree|add|edit|rm|mv|import|export|lint|diff|merge|frameworks",
		Short: "Show, edit, check and merge the codebook",
		Long: `The codebook: themes and sub-themes with definitions, polarity (barrier,
facilitator, mixed) and links to framework items (ips25:13, cfir2:III.D.2).
A code is named by its path ("Theme/Sub-theme"), its name when unique, or
its id.`,
		Args: exactArgs(0, "a subcommand"),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newCodebookListCmd(a), newCodebookTreeCmd(a),
		newCodebookAddCmd(a), newCodebookEditCmd(a), newCodebookRmCmd(a), newCodebookMvCmd(a),
		newCodebookImportCmd(a), newCodebookExportCmd(a), newCodebookLintCmd(a),
		newCodebookDiffCmd(a), newCodebookMergeCmd(a), newCodebookFrameworksCmd(a),
	)
	return cmd
}

// orderedCodes returns codes depth-first in codebook order, with depths.
func orderedCodes(ix *codebook.Index) (codes []*codebook.Code, depth []int) {
	var walk func(parent string, d int)
	walk = func(parent string, d int) {
		for _, c := range ix.Children(parent) {
			codes, depth = append(codes, c), append(depth, d)
			walk(c.ID, d+1)
		}
	}
	walk("", 0)
	return codes, depth
}

// codeJSON is the JSON contract of `codebook list`.
type codeJSON struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Path         string   `json:"path"`
	Parent       string   `json:"parent"`
	ParentID     string   `json:"parent_id"`
	Polarity     string   `json:"polarity"`
	Links        []string `json:"links"`
	Description  string   `json:"description"`
	Inclusion    string   `json:"inclusion"`
	Exclusion    string   `json:"exclusion"`
	Example      string   `json:"example"`
	Colour       string   `json:"colour"`
	Hotkey       string   `json:"hotkey"`
	Grouping     bool     `json:"grouping"`
	Memo         string   `json:"memo"`
	Segments     int      `json:"segments"`
	Participants int      `json:"participants"`
	Documents    int      `json:"documents"`
}

// codebookWithUses returns the project's codebook and each code's use,
// counted as the reports count (analysis.CodebookUse).
func (a *app) codebookWithUses() (*codebook.Codebook, map[string]analysis.Use, error) {
	var ds *analysis.Dataset
	err := a.withProject(true, func(p *project.Project) error {
		var err error
		ds, err = p.Dataset(project.ReportFilter{}, false)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return ds.Codebook, analysis.CodebookUse(ds), nil
}

// codesJSON is the JSON of `codebook list` and `report codebook`.
func codesJSON(codes []*codebook.Code, ix *codebook.Index, uses map[string]analysis.Use) []codeJSON {
	out := []codeJSON{}
	for _, c := range codes {
		u := uses[c.ID]
		parent := ""
		if c.ParentID != "" {
			parent = ix.Path(c.ParentID)
		}
		out = append(out, codeJSON{c.ID, c.Name, ix.Path(c.ID), parent, c.ParentID, string(c.Polarity), nonNilStrings(c.Links), c.Description, c.Inclusion, c.Exclusion, c.Example, c.Colour, c.Hotkey, c.Grouping, c.Memo, u.Segments, u.Participants, u.Documents})
	}
	return out
}

func newCodebookListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List codes with path, polarity, framework links and use",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cb, uses, err := a.codebookWithUses()
			if err != nil {
				return err
			}
			ix := codebook.NewIndex(cb.Codes)
			codes, _ := orderedCodes(ix)
			if a.format == "json" {
				return a.json(codesJSON(codes, ix, uses))
			}
			t := &export.Table{Columns: []string{"path", "polarity", "links", "hotkey", "segments", "participants", "id"}}
			for _, c := range codes {
				u := uses[c.ID]
				id := c.ID
				if a.format == "table" {
					id = id[:8]
				}
				t.Add(ix.Path(c.ID), string(c.Polarity), strings.Join(c.Links, " "), c.Hotkey, u.Segments, u.Participants, id)
			}
			return a.table(t)
		},
	}
}

func newCodebookTreeCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "tree",
		Short: "Show the codebook as a tree with polarity, links and counts",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cb, uses, err := a.codebookWithUses()
			if err != nil {
				return err
			}
			ix := codebook.NewIndex(cb.Codes)
			codes, depth := orderedCodes(ix)
			if cb.Name != "" {
				fmt.Fprintln(a.stdout, cb.Name)
			}
			marks := map[codebook.Polarity]string{codebook.PolarityBarrier: " [barrier]", codebook.PolarityFacilitator: " [facilitator]", codebook.PolarityMixed: " [mixed]"}
			for i, c := range codes {
				line := strings.Repeat("  ", depth[i]) + "- " + c.Name + marks[c.Polarity]
				if len(c.Links) > 0 {
					line += " (" + strings.Join(c.Links, ", ") + ")"
				}
				if u := uses[c.ID]; u.Segments > 0 {
					line += fmt.Sprintf("  %d segments, %d participants", u.Segments, u.Participants)
				}
				fmt.Fprintln(a.stdout, line)
			}
			return nil
		},
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
