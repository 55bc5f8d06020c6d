package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

// errReported is returned after a command has printed what went wrong
// (lint problems, merge conflicts): exit status 1 with no second message.
var errReported = errors.New("")

func newCodebookImportCmd(a *app) *cobra.Command {
	var prefer string
	cmd := &cobra.Command{
		Use:   "import FILE [--prefer ours|theirs]",
		Short: "Merge a codebook file (.yaml, .csv, .qdc) into the project's codebook",
		Long: `Merge a codebook file into the project's codebook: codes match by id, then by
name under the same parent; new codes are added. Where a matched code
differs, the project's version is kept (or the file's, with --prefer
theirs) and the difference is reported. The result is linted.`,
		Args: exactArgs(1, "a codebook file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if prefer != "" && prefer != "ours" && prefer != "theirs" {
				return usagef("--prefer is ours or theirs")
			}
			cb, err := codebook.ReadFile(args[0])
			if err != nil {
				return err
			}
			// Lint the file first: errors refuse the import, warnings are
			// shown.
			probs := codebook.Lint(cb)
			for _, pr := range probs {
				a.say("%s", pr.String())
			}
			if codebook.HasErrors(probs) {
				return fmt.Errorf("%s: not imported: fix the errors above (qcode codebook lint %s)", args[0], args[0])
			}
			return a.withProject(false, func(p *project.Project) error {
				res, err := p.ImportCodebook(cb, prefer)
				if err != nil {
					return err
				}
				a.say("%s: %d codes matched, %d added, %d conflict(s)", args[0], res.Matched, len(res.Added), len(res.Conflicts))
				if len(res.Conflicts) > 0 {
					return a.conflictTable(res.Conflicts)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&prefer, "prefer", "", "on conflicting fields keep ours (default) or take theirs")
	return cmd
}

func newCodebookExportCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "export FILE",
		Short: "Write the project's codebook to FILE (.yaml, .csv or .qdc by extension; - for YAML on stdout)",
		Args:  exactArgs(1, "a file name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withProject(true, func(p *project.Project) error {
				cb, err := p.Codebook()
				if err != nil {
					return err
				}
				if args[0] == "-" {
					return codebook.WriteYAML(a.stdout, cb)
				}
				if err := codebook.WriteFile(args[0], cb); err != nil {
					return err
				}
				a.say("wrote %d codes to %s", len(cb.Codes), args[0])
				return nil
			})
		},
	}
}

// codebookArg reads a codebook file, or the project's codebook for "@".
func (a *app) codebookArg(arg string) (*codebook.Codebook, error) {
	if arg != "@" {
		return codebook.ReadFile(arg)
	}
	var cb *codebook.Codebook
	err := a.withProject(true, func(p *project.Project) error {
		var err error
		cb, err = p.Codebook()
		return err
	})
	return cb, err
}

func newCodebookLintCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "lint [FILE]",
		Short: "Check the codebook (or a codebook file); exit status 1 on errors",
		Long: `Check for duplicate sibling names, near-duplicates (case, spacing, plurals),
cycles, codes without a definition, unknown framework links, hotkey clashes
and a facilitator under a barrier parent. Errors make the exit status 1;
warnings do not.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := "@"
			if len(args) == 1 {
				src = args[0]
			}
			cb, err := a.codebookArg(src)
			if err != nil {
				return err
			}
			probs := codebook.Lint(cb)
			errs := 0
			t := &export.Table{Columns: []string{"severity", "code", "rule", "message"}}
			for _, pr := range probs {
				if pr.Severity == "error" {
					errs++
				}
				t.Add(pr.Severity, pr.Code, pr.Rule, pr.Message)
			}
			if a.format == "json" {
				out := []map[string]string{}
				for _, pr := range probs {
					out = append(out, map[string]string{"severity": pr.Severity, "code": pr.Code, "code_id": pr.CodeID, "rule": pr.Rule, "message": pr.Message})
				}
				if err := a.json(out); err != nil {
					return err
				}
			} else if len(probs) > 0 {
				if err := a.table(t); err != nil {
					return err
				}
			}
			a.say("%d error(s), %d warning(s) in %d codes", errs, len(probs)-errs, len(cb.Codes))
			if errs > 0 {
				return errReported
			}
			return nil
		},
	}
}

func newCodebookDiffCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "diff A B",
		Short: "Show codes added, removed, renamed, moved and changed from A to B (@ = the project's codebook)",
		Args:  exactArgs(2, "two codebooks (files, or @ for the project's)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ca, err := a.codebookArg(args[0])
			if err != nil {
				return err
			}
			cb, err := a.codebookArg(args[1])
			if err != nil {
				return err
			}
			changes := codebook.Diff(ca, cb)
			if a.format == "json" {
				type change struct {
					Kind    string   `json:"kind"`
					ID      string   `json:"id"`
					Path    string   `json:"path"`
					OldPath string   `json:"old_path,omitempty"`
					Fields  []string `json:"fields,omitempty"`
					Detail  string   `json:"detail,omitempty"`
				}
				out := []change{}
				for _, c := range changes {
					out = append(out, change{c.Kind, c.ID, c.Path, c.OldPath, c.Fields, c.Detail})
				}
				return a.json(out)
			}
			t := &export.Table{Columns: []string{"change", "code", "was", "fields", "detail"}}
			for _, c := range changes {
				t.Add(c.Kind, c.Path, c.OldPath, strings.Join(c.Fields, " "), c.Detail)
			}
			if len(changes) == 0 {
				a.say("no differences")
				return nil
			}
			return a.table(t)
		},
	}
}

func newCodebookMergeCmd(a *app) *cobra.Command {
	var (
		out, base, prefer, mapFile string
	)
	cmd := &cobra.Command{
		Use:   "merge A B [-o OUT] [--base BASE] [--prefer ours|theirs] [--map FILE.csv]",
		Short: "Merge two coders' codebooks (two-way, or three-way with --base)",
		Long: `Merge codebook B ("theirs") into A ("ours"). Codes match by id, then by
name under the same parent path; --map FILE.csv (columns theirs,ours) forces
matches. The same id with a different name, definition or parent is a
conflict; the same name under different ids is a probable duplicate and is
merged. With --base the merge is three-way: a change on one side only is
taken without conflict; delete against edit is a conflict. Conflicts keep
A's value unless --prefer theirs. The merged codebook is written to -o OUT
(.yaml, .csv, .qdc); the report goes to stdout (--format json: an object
with "conflicts"). Exit status 1 if conflicts remain unresolved.
A, B or BASE may be @ for the project's codebook.`,
		Args: exactArgs(2, "two codebooks"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if prefer != "" && prefer != "ours" && prefer != "theirs" {
				return usagef("--prefer is ours or theirs")
			}
			ours, err := a.codebookArg(args[0])
			if err != nil {
				return err
			}
			theirs, err := a.codebookArg(args[1])
			if err != nil {
				return err
			}
			opt := codebook.MergeOptions{Prefer: prefer}
			if base != "" {
				if opt.Base, err = a.codebookArg(base); err != nil {
					return err
				}
			}
			if mapFile != "" {
				f, err := os.Open(mapFile)
				if err != nil {
					return err
				}
				opt.Map, err = codebook.ReadMapCSV(mapFile, f)
				f.Close()
				if err != nil {
					return err
				}
			}
			res, err := codebook.Merge(ours, theirs, opt)
			if err != nil {
				return err
			}
			if out != "" {
				if err := codebook.WriteFile(out, res.Codebook); err != nil {
					return err
				}
			}
			unresolved := 0
			for _, c := range res.Conflicts {
				if c.Resolution == "unresolved" {
					unresolved++
				}
			}
			if a.format == "json" {
				if err := a.json(mergeJSON(res, out)); err != nil {
					return err
				}
			} else if len(res.Conflicts) > 0 {
				if err := a.conflictTable(res.Conflicts); err != nil {
					return err
				}
			}
			where := "nothing written (no -o)"
			if out != "" {
				where = "wrote " + out
			}
			a.say("%d codes matched, %d added, %d conflict(s), %d unresolved; %s", res.Matched, len(res.Added), len(res.Conflicts), unresolved, where)
			if unresolved > 0 {
				return errReported
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "write the merged codebook here")
	f.StringVar(&base, "base", "", "common ancestor, for a three-way merge")
	f.StringVar(&prefer, "prefer", "", "resolve conflicts with ours or theirs")
	f.StringVar(&mapFile, "map", "", "CSV (theirs,ours) of codes to treat as the same")
	return cmd
}

func (a *app) conflictTable(cs []codebook.Conflict) error {
	t := &export.Table{Columns: []string{"conflict", "code", "field", "ours", "theirs", "base", "resolution"}}
	for _, c := range cs {
		t.Add(c.Kind, c.Path, c.Field, c.Ours, c.Theirs, c.Base, c.Resolution)
	}
	return a.table(t)
}

func mergeJSON(res *codebook.MergeResult, out string) any {
	type conflict struct {
		Kind       string `json:"kind"`
		ID         string `json:"id"`
		Code       string `json:"code"`
		Field      string `json:"field"`
		Ours       string `json:"ours"`
		Theirs     string `json:"theirs"`
		Base       string `json:"base"`
		Resolution string `json:"resolution"`
	}
	r := struct {
		Output    string     `json:"output"`
		Matched   int        `json:"matched"`
		Added     []string   `json:"added"`
		Codes     int        `json:"codes"`
		Conflicts []conflict `json:"conflicts"`
	}{out, res.Matched, nonNilStrings(res.Added), len(res.Codebook.Codes), []conflict{}}
	for _, c := range res.Conflicts {
		r.Conflicts = append(r.Conflicts, conflict{c.Kind, c.ID, c.Path, c.Field, c.Ours, c.Theirs, c.Base, c.Resolution})
	}
	return r
}
