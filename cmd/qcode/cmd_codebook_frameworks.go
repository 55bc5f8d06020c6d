package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newCodebookFrameworksCmd(a *app) *cobra.Command {
	var anchors string
	cmd := &cobra.Command{
		Use:   "frameworks [NAME] [--anchors FILE.csv]",
		Short: "List the built-in frameworks (ips25, cfir2) or the items of one",
		Long: `List the built-in frameworks, or the items of one (ips25: the 25 items of
the IPS Supported Employment Fidelity Scale; cfir2: the domains, constructs
and subconstructs of CFIR 2.0). Item ids are what codes link to (--link
ips25:13). Descriptions are qcode's own paraphrases; the official anchor
text of the fidelity manual is copyrighted, so --anchors FILE.csv (columns
item, anchor) stores your licensed copy in the project and shows it here.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				if anchors != "" {
					return usagef("--anchors needs a framework name, e.g. qcode codebook frameworks ips25 --anchors anchors.csv")
				}
				return a.listFrameworks()
			}
			fw, ok := codebook.LookupFramework(args[0])
			if !ok {
				return usagef("no built-in framework %q (see `qcode codebook frameworks`)", args[0])
			}
			stored := map[string]string{}
			if anchors != "" {
				f, err := os.Open(anchors)
				if err != nil {
					return err
				}
				m, err := codebook.ReadAnchorsCSV(anchors, f)
				f.Close()
				if err != nil {
					return err
				}
				for k, v := range m {
					if !strings.Contains(k, ":") {
						k = fw.ID + ":" + k
					}
					stored[k] = v
				}
				if err := a.withProject(false, func(p *project.Project) error { return p.SetAnchors(stored) }); err != nil {
					return err
				}
				a.say("stored anchor text for %d item(s) in %s", len(stored), a.projectPath)
			} else if _, err := os.Stat(a.projectPath); err == nil {
				// Show anchors already stored in the project, if any.
				if err := a.withProject(true, func(p *project.Project) error {
					var err error
					stored, err = p.Anchors()
					return err
				}); err != nil {
					return err
				}
			}
			return a.listItems(fw, stored)
		},
	}
	cmd.Flags().StringVar(&anchors, "anchors", "", "CSV of official anchor text (columns item, anchor) to store in the project")
	return cmd
}

func (a *app) listFrameworks() error {
	fws := codebook.Frameworks()
	if a.format == "json" {
		type fwJSON struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Items    int    `json:"items"`
			Citation string `json:"citation"`
		}
		out := []fwJSON{}
		for _, f := range fws {
			out = append(out, fwJSON{f.ID, f.Name, len(f.Items), f.Citation})
		}
		return a.json(out)
	}
	t := &export.Table{Columns: []string{"id", "name", "items", "citation"}}
	for _, f := range fws {
		t.Add(f.ID, f.Name, len(f.Items), f.Citation)
	}
	return a.table(t)
}

func (a *app) listItems(fw *codebook.Framework, anchors map[string]string) error {
	if a.format == "json" {
		type itemJSON struct {
			ID          string `json:"id"`
			Key         string `json:"key"`
			Name        string `json:"name"`
			Section     string `json:"section"`
			Parent      string `json:"parent"`
			Description string `json:"description"`
			Anchor      string `json:"anchor,omitempty"`
		}
		out := []itemJSON{}
		for _, it := range fw.Items {
			out = append(out, itemJSON{it.ID, it.Key, it.Name, it.Section, it.Parent, it.Description, anchors[it.ID]})
		}
		return a.json(out)
	}
	cols := []string{"id", "section", "name", "description"}
	hasAnchors := false
	for _, it := range fw.Items {
		if anchors[it.ID] != "" {
			hasAnchors = true
		}
	}
	if hasAnchors {
		cols = append(cols, "anchor")
	}
	t := &export.Table{Columns: cols}
	for _, it := range fw.Items {
		row := []any{it.ID, it.Section, it.Name, it.Description}
		if hasAnchors {
			row = append(row, anchors[it.ID])
		}
		t.Add(row...)
	}
	if err := a.table(t); err != nil {
		return err
	}
	if len(fw.Bands) > 0 && a.format == "table" {
		var bands []string
		for _, b := range fw.Bands {
			bands = append(bands, fmt.Sprintf("%d-%d %s", b.Min, b.Max, b.Label))
		}
		a.say("%s: %s. Total score bands: %s.", fw.Name, fw.Citation, strings.Join(bands, "; "))
	}
	return nil
}
