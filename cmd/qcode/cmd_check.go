package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newCheckCmd(a *app) *cobra.Command {
	var repair bool
	var limit int
	cmd := &cobra.Command{
		Use:   "check [--repair]",
		Short: "Check the project file: bbolt's consistency check and qcode's invariants",
		Long: `Check the project file: bbolt's own consistency check, and qcode's
invariants — every document's text matches its SHA-256, turns and codings lie
inside the text, every reference (document, code, participant, parent code)
resolves, and the indexes agree with the records. Exit status 1 if anything
is wrong. --repair rebuilds the indexes (after an automatic backup) and
checks again; damage to records themselves is reported, never hidden.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withProject(!repair, func(p *project.Project) error {
				if repair {
					saved, err := p.AutoBackupNow("repair")
					if err != nil {
						return err
					}
					if err := p.Repair(); err != nil {
						return err
					}
					a.say("rebuilt the indexes (backup: %s)", saved)
				}
				problems, err := p.Check(limit)
				if err != nil {
					return err
				}
				if len(problems) == 0 {
					a.say("%s: no problems found", a.projectPath)
					return nil
				}
				t := &export.Table{Columns: []string{"area", "id", "problem"}}
				for _, pr := range problems {
					t.Add(pr.Area, pr.ID, pr.Msg)
				}
				if err := a.table(t); err != nil {
					return err
				}
				hint := ""
				for _, pr := range problems {
					if pr.Area == "index" && !repair {
						hint = "; index problems are fixed by `qcode check --repair`"
					}
				}
				a.say("%s: %d problem(s)%s", a.projectPath, len(problems), hint)
				return errReported
			})
		},
	}
	cmd.Flags().BoolVar(&repair, "repair", false, "rebuild the indexes, then check")
	cmd.Flags().IntVar(&limit, "limit", 1000, "report at most this many problems (0: all)")
	return cmd
}

func newBackupCmd(a *app) *cobra.Command {
	var (
		list    bool
		restore string
	)
	cmd := &cobra.Command{
		Use:   "backup DEST | --list | --restore NAME",
		Short: "Copy the project safely; list or restore automatic backups",
		Long: `qcode backup DEST writes a consistent copy of the project (mode 0600) from
one read transaction, so it can run beside other qcode readers.

qcode keeps automatic backups in PROJECT.backups/ before changes that are
hard to undo: imports into a project that has documents, codebook imports,
merges, index repairs, schema upgrades and restores. It keeps the last 10
($QCODE_BACKUP_KEEP). --list shows them; --restore NAME puts one back,
keeping the current state as a backup first.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case list:
				bs, err := project.ListBackups(a.projectPath)
				if err != nil {
					return err
				}
				t := &export.Table{Columns: []string{"name", "time", "reason", "size"}}
				for _, b := range bs {
					t.Add(b.Name, b.Time.Format("2006-01-02 15:04:05 UTC"), b.Reason, fmt.Sprintf("%.1f MB", float64(b.Size)/(1<<20)))
				}
				if len(bs) == 0 {
					a.say("no automatic backups of %s yet", a.projectPath)
					return nil
				}
				return a.table(t)
			case restore != "":
				from := restore
				if !strings.ContainsRune(from, filepath.Separator) {
					from = filepath.Join(a.projectPath+".backups", restore)
				}
				saved, err := project.Restore(a.projectPath, from)
				if err != nil {
					return err
				}
				a.say("restored %s from %s (the state before is kept in %s)", a.projectPath, from, saved)
				return nil
			case len(args) == 1:
				return a.withProject(true, func(p *project.Project) error {
					if err := p.Backup(args[0]); err != nil {
						return err
					}
					a.say("wrote %s", args[0])
					return nil
				})
			}
			return usagef("qcode backup needs DEST, --list or --restore NAME")
		},
	}
	cmd.Flags().BoolVar(&list, "list", false, "list the automatic backups")
	cmd.Flags().StringVar(&restore, "restore", "", "put back this automatic backup (a name from --list, or a path)")
	return cmd
}
