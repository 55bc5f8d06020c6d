package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/project"
)

// newExportCmd is the parent of the commands that write the project, or a
// part of it, to a file in another form.
func newExportCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export project|qdpx|yaml|csv|qdc -o FILE",
		Short: "Write the project (a copy for a coder) or its codebook to a file",
		Args:  exactArgs(0, "a subcommand"),
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newExportProjectCmd(a), newExportQDPXCmd(a))
	for _, format := range []string{"yaml", "csv", "qdc"} {
		cmd.AddCommand(newExportCodebookCmd(a, format))
	}
	return cmd
}

func newExportProjectCmd(a *app) *cobra.Command {
	var (
		out   string
		force bool
	)
	cmd := &cobra.Command{
		Use:   "project -o FILE [--coder NAME] [--force]",
		Short: "Write a copy of the project for one coder to work in",
		Long: `Write a copy of the project to FILE (mode 0600): every document,
participant, code, memo and fidelity score. With --coder NAME the copy
keeps only NAME's codings, so the coder starts from the shared material
without seeing anyone else's codings and codes independently; without
--coder it keeps every coding. The coder works in the copy (qcode -p FILE
--coder NAME ...) and the lead brings it back with qcode merge FILE.

The copy is written to a temporary file and renamed, so FILE is never
half-written. An existing FILE is replaced only with --force.`,
		Example: `  qcode export project -o amina.db --coder amina
  qcode -p amina.db --coder amina code staff-01 --code Disclosure --turn 4
  qcode merge amina.db`,
		Args: exactArgs(0, "no arguments (the file goes in -o FILE)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("qcode export project needs -o FILE")
			}
			opt := project.ExportProjectOptions{Force: force}
			// The global --coder defaults to QCODE_CODER or the user name;
			// only an explicit --coder narrows the copy.
			if cmd.Flags().Changed("coder") {
				if opt.Coder = a.coder; opt.Coder == "" {
					return usagef("--coder needs a name")
				}
			}
			return a.withProject(true, func(p *project.Project) error {
				res, err := p.ExportProject(out, opt)
				if err != nil {
					return err
				}
				if opt.Coder != "" {
					a.say("wrote %s for %s: %d of their coding(s) kept, %d coding(s) of others left out", out, opt.Coder, res.Kept, res.Removed)
				} else {
					a.say("wrote %s with all %d coding(s)", out, res.Kept)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the file to write")
	cmd.Flags().BoolVar(&force, "force", false, "replace FILE if it exists")
	return cmd
}

// newExportCodebookCmd is `qcode codebook export` with the format named
// rather than taken from the file's extension.
func newExportCodebookCmd(a *app, format string) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   format + " -o FILE",
		Short: "Write the codebook as " + map[string]string{"yaml": "YAML", "csv": "CSV (one row per code)", "qdc": "REFI-QDA .qdc"}[format] + " (as qcode codebook export; - for stdout)",
		Args:  exactArgs(0, "no arguments (the file goes in -o FILE)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("qcode export %s needs -o FILE (- for stdout)", format)
			}
			return a.withProject(true, func(p *project.Project) error {
				cb, err := p.Codebook()
				if err != nil {
					return err
				}
				if out == "-" {
					return codebook.Write(a.stdout, format, cb)
				}
				var buf bytes.Buffer
				if err := codebook.Write(&buf, format, cb); err != nil {
					return err
				}
				if err := writeFileAtomic(out, buf.Bytes()); err != nil {
					return err
				}
				a.say("wrote %d codes to %s", len(cb.Codes), out)
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the file to write (- for stdout)")
	return cmd
}

// writeFileAtomic writes data to path through a temporary file renamed into
// place, so a failure never leaves a half-written file.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	err := os.WriteFile(tmp, data, 0o644)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
