package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newMergeCmd(a *app) *cobra.Command {
	var (
		mapFile, prefer string
		dryRun          bool
	)
	cmd := &cobra.Command{
		Use:   "merge OTHER.db... [--map FILE.csv] [--prefer ours|theirs] [--dry-run]",
		Short: "Bring other coders' project files into this project",
		Long: `Merge other project files — typically each coder's copy made with
qcode export project --coder NAME — into this project, all in one
transaction after an automatic backup. The other files are only read.

  documents     matched by the SHA-256 of their text; new ones come in with
                their turns. A document named like one of ours but with
                another text is not merged, nor are its codings (reported).
  participants  matched by label, ignoring case; attributes we lack are
                added, differing ones keep ours (reported).
  codebook      merged as by qcode codebook merge (match by id, then by name
                under the same parent; --map FILE.csv with columns
                theirs,ours forces matches). A code whose fields differ is a
                conflict: --prefer ours|theirs settles it; without it the
                merge is refused and nothing changes.
  codings       re-pointed to our documents and codes, keeping their ids and
                coders. One whose id we have, or the same coder's same code
                on the same span, is already present.

Merging the same file twice adds nothing. The summary (stdout) counts what
was added and already present per file and lists every conflict;
--format json gives one object. Exit status 0 when merged, conflicts
reported or not; 1 when the merge was refused (unresolved codebook
conflicts, listed) or failed. --dry-run reports without storing anything.`,
		Example: `  qcode export project -o amina.db --coder amina     # one copy per coder
  qcode merge amina.db jonas.db                     # the lead brings them back
  qcode merge amina.db --dry-run --format json
  qcode merge other-team.db --map codes-map.csv --prefer ours`,
		Args: minArgs(1, "one or more project files to merge"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if prefer != "" && prefer != "ours" && prefer != "theirs" {
				return usagef("--prefer is ours or theirs")
			}
			opt := project.MergeOptions{Prefer: prefer, DryRun: dryRun}
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
			self, _ := os.Stat(a.projectPath)
			var bundles []*project.Bundle
			for _, path := range args {
				info, err := os.Stat(path)
				switch {
				case errors.Is(err, os.ErrNotExist):
					return fmt.Errorf("%s: no such file", path)
				case err == nil && self != nil && os.SameFile(info, self):
					return fmt.Errorf("%s is this project itself; merge other coders' files into it", path)
				}
				b, err := project.ReadBundle(path)
				if err != nil {
					return err
				}
				b.Name = path
				bundles = append(bundles, b)
			}
			return a.withProject(false, func(p *project.Project) error {
				reps, err := p.MergeBundles(bundles, opt)
				var refused *project.MergeRefusedError
				if err != nil && !errors.As(err, &refused) {
					return err
				}
				if perr := a.printMerge(reps, dryRun, refused == nil); perr != nil {
					return perr
				}
				if refused != nil {
					return err
				}
				for _, r := range reps {
					a.say("%s: %s", r.Source, mergeNote(r))
				}
				switch {
				case dryRun:
					a.say("dry run: nothing was stored")
				case len(reps) > 0 && reps[0].Backup != "":
					a.say("merged into %s (backup: %s)", a.projectPath, reps[0].Backup)
				default:
					a.say("merged into %s", a.projectPath)
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&mapFile, "map", "", "CSV (theirs,ours) of codes to treat as the same")
	f.StringVar(&prefer, "prefer", "", "settle conflicting code fields with ours or theirs")
	f.BoolVar(&dryRun, "dry-run", false, "report what would be merged; store nothing")
	return cmd
}

// printMerge writes the merge summary: --format json as one object, else a
// table of counts per file and kind of record, then the conflicts.
func (a *app) printMerge(reps []*project.MergeReport, dryRun, merged bool) error {
	if a.format == "json" {
		if reps == nil {
			reps = []*project.MergeReport{}
		}
		return a.json(struct {
			Project string                 `json:"project"`
			Merged  bool                   `json:"merged"`
			DryRun  bool                   `json:"dry_run"`
			Sources []*project.MergeReport `json:"sources"`
		}{a.projectPath, merged && !dryRun, dryRun, reps})
	}
	sum := &export.Table{Columns: []string{"source", "records", "added", "already present", "not merged", "conflicts"}}
	conflicts := &export.Table{Columns: []string{"source", "conflict", "item", "field", "ours", "theirs", "resolution", "detail"}}
	for _, r := range reps {
		count := func(prefix string) int {
			n := 0
			for _, c := range r.Conflicts {
				if strings.HasPrefix(c.Kind, prefix) {
					n++
				}
			}
			return n
		}
		sum.Add(r.Source, "documents", len(r.Documents.Added), r.Documents.AlreadyPresent, len(r.Documents.NotMerged), count("document-"))
		sum.Add(r.Source, "participants", len(r.Participants.Added), r.Participants.AlreadyPresent, 0, count("participant-"))
		sum.Add(r.Source, "codes", len(r.Codes.Added), r.Codes.AlreadyPresent, 0, count("code-"))
		sum.Add(r.Source, "codings", r.Codings.Added, r.Codings.AlreadyPresent, r.Codings.Skipped, count("coding-"))
		for _, c := range r.Conflicts {
			conflicts.Add(r.Source, c.Kind, c.Item, c.Field, c.Ours, c.Theirs, c.Resolution, c.Detail)
		}
	}
	if !merged {
		// A refused merge: only the conflicts that refused it matter.
		return a.table(conflicts)
	}
	if err := a.table(sum); err != nil {
		return err
	}
	if len(conflicts.Rows) == 0 {
		return nil
	}
	io.WriteString(a.stdout, "\n")
	return a.table(conflicts)
}

// mergeNote is one line on what a merge brought in.
func mergeNote(r *project.MergeReport) string {
	var coders []string
	for _, c := range slices.Sorted(maps.Keys(r.Codings.AddedByCoder)) {
		coders = append(coders, fmt.Sprintf("%s %d", c, r.Codings.AddedByCoder[c]))
	}
	by := ""
	if len(coders) > 0 {
		by = " (" + strings.Join(coders, ", ") + ")"
	}
	return fmt.Sprintf("added %d document(s), %d participant(s), %d code(s), %d coding(s)%s; %d coding(s) already present; %d conflict(s)",
		len(r.Documents.Added), len(r.Participants.Added), len(r.Codes.Added), r.Codings.Added, by, r.Codings.AlreadyPresent, len(r.Conflicts))
}
