package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/project"
)

func newExportQDPXCmd(a *app) *cobra.Command {
	var (
		out, lineEndings string
		force            bool
	)
	cmd := &cobra.Command{
		Use:   "qdpx -o FILE.qdpx [--line-endings lf|crlf]",
		Short: "Write the project as a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder)",
		Long: `Write the whole project as a REFI-QDA .qdpx: documents as text sources,
the codebook, coders as users, participants as cases with their attributes
as variables, codings with who made them and when, memos as notes. Positions
are Unicode code points, end exclusive, as the standard says; sources are
UTF-8 without BOM, LF line breaks unless --line-endings crlf. See
docs/REFI.md.`,
		Args: exactArgs(0, "no arguments (the file goes in -o FILE)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("qcode export qdpx needs -o FILE.qdpx")
			}
			opt := project.QDPXOptions{}
			switch strings.ToLower(lineEndings) {
			case "lf", "":
			case "crlf":
				opt.CRLF = true
			default:
				return usagef("--line-endings %q is not lf or crlf", lineEndings)
			}
			if _, err := os.Stat(out); err == nil && !force {
				return fmt.Errorf("%s already exists (--force replaces it)", out)
			}
			return a.withProject(true, func(p *project.Project) error {
				b, err := p.Bundle()
				if err != nil {
					return err
				}
				ps, err := a.pseudonymiser(p)
				if err != nil {
					return err
				}
				if ps != nil { // --pseudonymise / --names: labels and names in texts and memos
					ps.Bundle(b)
				}
				if err := project.WriteQDPX(b, out, opt); err != nil {
					return err
				}
				a.say("wrote %s: %d documents, %d codes, %d codings, %d coders", out, len(b.Documents), len(b.Codebook.Codes), len(b.Codings), len(b.Coders))
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "the .qdpx file to write")
	f.StringVar(&lineEndings, "line-endings", "lf", "line breaks in the sources: lf or crlf")
	f.BoolVar(&force, "force", false, "replace FILE if it exists")
	return cmd
}

// importQDPX brings REFI-QDA projects into the project (created when it
// does not exist yet), matched as `qcode merge` matches another project.
func (a *app) importQDPX(files []string) error {
	var bundles []*project.Bundle
	var reports []*project.QDPXReport
	for _, f := range files {
		b, rep, err := project.ReadQDPX(f)
		if err != nil {
			return err
		}
		bundles, reports = append(bundles, b), append(reports, rep)
	}
	var p *project.Project
	var err error
	if _, serr := os.Stat(a.projectPath); errors.Is(serr, os.ErrNotExist) {
		p, err = project.Create(a.projectPath)
	} else {
		p, err = a.open(false)
	}
	if err != nil {
		return err
	}
	defer p.Close()
	merged, err := p.MergeBundles(bundles, project.MergeOptions{})
	if err != nil && merged == nil {
		return err
	}
	for _, r := range reports {
		a.say("read %s (%s): %d documents, %d codings, %d codes, coders %s", filepath.Base(r.File), originName(r.Origin), len(r.Documents), r.Codings, r.Codes, strings.Join(r.Coders, ", "))
		for _, s := range r.Skipped {
			where := s.Name
			if s.Position != "" {
				where += " at " + s.Position
			}
			if len(s.Codes) > 0 {
				where += " (" + strings.Join(s.Codes, ", ") + ")"
			}
			a.say("  skipped %s %s: %s", s.What, where, s.Reason)
		}
		for _, n := range r.Notices {
			a.say("  note: %s", n)
		}
	}
	if perr := a.printMerge(merged, false, err == nil); perr != nil {
		return perr
	}
	return err
}

// originName is the program that wrote a .qdpx, as its file says.
func originName(s string) string {
	if s == "" {
		return "unknown program"
	}
	return s
}
