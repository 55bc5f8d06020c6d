package main

import (
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
	"github.com/qcode-qda/qcode/internal/tui"
)

// app carries the global flags and the output streams to every command.
type app struct {
	projectPath string
	coder       string
	format      string
	pseudo      bool   // --pseudonymise
	names       string // --names FILE (implies --pseudonymise)
	stdin       io.Reader
	stdout      io.Writer
	stderr      io.Writer
	tui         tui.Options // flags of `qcode tui`
}

const defaultProject = "qcode.db"

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "qcode",
		Short: "Qualitative coding of interview and focus-group transcripts",
		Long: `qcode imports interview and focus-group transcripts (txt, md, vtt, srt, docx),
lets you code them against a codebook of barrier and facilitator themes, and
produces the tables a thematic-analysis paper needs. Everything stays in one
project file on your machine.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(export.TabularFormats, a.format) {
				return usagef("--format %q is not one of %s", a.format, strings.Join(export.TabularFormats, ", "))
			}
			return nil
		},
	}
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("unknown command %q (see `qcode --help`)", args[0])
		}
		return nil
	}
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if a.onTerminal() {
			return a.runTUI(cmd)
		}
		return cmd.Help()
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVarP(&a.projectPath, "project", "p", envOr("QCODE_PROJECT", defaultProject), "project file (env QCODE_PROJECT)")
	pf.StringVar(&a.coder, "coder", envOr("QCODE_CODER", osUser()), "who is coding (env QCODE_CODER; default: your user name)")
	pf.StringVar(&a.format, "format", "table", "output format: table, csv, tsv, md, json")
	pf.BoolVar(&a.pseudo, "pseudonymise", false, "replace participant labels (and --names) with stable codes in reports and listings, in text too")
	pf.StringVar(&a.names, "names", "", "file of other names to pseudonymise, one per line (implies --pseudonymise)")
	root.AddCommand(
		newInitCmd(a),
		newImportCmd(a),
		newDocsCmd(a),
		newShowCmd(a),
		newParticipantsCmd(a),
		newCodebookCmd(a),
		newCodeCmd(a),
		newUncodeCmd(a),
		newCodingsCmd(a),
		newSearchCmd(a),
		newQueryCmd(a),
		newAutocodeCmd(a),
		newUndoCmd(a),
		newFidelityCmd(a),
		newReportCmd(a),
		newAgreeCmd(a),
		newCheckCmd(a),
		newBackupCmd(a),
		newDemoCmd(a),
		newTUICmd(a),
		newMergeCmd(a),
		newExportCmd(a),
	)
	return root
}

// open opens the project; read-only commands share the file with each
// other. A schema upgrade is announced on stderr.
func (a *app) open(readOnly bool) (*project.Project, error) {
	return project.Open(a.projectPath, project.Options{ReadOnly: readOnly, OnMigrate: func(from, to int, backup string) {
		fmt.Fprintf(a.stderr, "qcode: upgrading %s from schema %d to %d (backup: %s)\n", a.projectPath, from, to, backup)
	}})
}

// pseudonymiser returns the replacement to apply to output, or nil when
// --pseudonymise was not asked for.
func (a *app) pseudonymiser(p *project.Project) (*project.Pseudonymiser, error) {
	if !a.pseudo && a.names == "" {
		return nil, nil
	}
	return p.Pseudonymiser(a.names)
}

// withProject opens the project, runs fn and closes it.
func (a *app) withProject(readOnly bool, fn func(*project.Project) error) error {
	p, err := a.open(readOnly)
	if err != nil {
		return err
	}
	defer p.Close()
	return fn(p)
}

func (a *app) say(format string, args ...any) { fmt.Fprintf(a.stderr, format+"\n", args...) }

// table writes t in --format; terminal tables are fitted to its width.
func (a *app) table(t *export.Table) error {
	if a.format == "table" {
		return export.WriteText(a.stdout, t, termWidth(a.stdout))
	}
	return export.Write(a.stdout, a.format, t)
}

func (a *app) json(v any) error { return export.JSON(a.stdout, v) }

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

// exactArgs and friends make argument mistakes usage errors (exit 2).
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s needs %s (see `qcode %s --help`)", cmd.CommandPath(), what, cmd.Name())
		}
		return nil
	}
}

func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("%s needs %s (see `qcode %s --help`)", cmd.CommandPath(), what, cmd.Name())
		}
		return nil
	}
}
