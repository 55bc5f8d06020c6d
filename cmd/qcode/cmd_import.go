package main

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-qda/qcode/internal/export"
	"github.com/qcode-qda/qcode/internal/project"
)

func newImportCmd(a *app) *cobra.Command {
	var (
		kind, participantsCSV, speakerPattern string
		attrs, speakers                       []string
	)
	cmd := &cobra.Command{
		Use:   "import FILE... [--kind K] [--attr k=v]... [--participants CSV]",
		Short: "Import transcripts (txt, md, vtt, srt, docx)",
		Long: `Import transcripts into the project. One call is atomic: if any file fails,
nothing from the call is stored. A file whose text is already in the project
is skipped. Speaker labels become participants, matched by label across
documents; labels like Interviewer, Moderator or I get the role interviewer.

Speaker detection in txt, md and docx recognises "Name: text", "@Name: text",
"**Name:** text", "[00:01:23] Name: text", Otter/Teams header lines
("Name  0:03" then the text) and Zoom saved captions ("[Name] 10:02:11"). A
label must occur at least twice and have at most five words; --speaker LABEL
accepts a label anyway, --speaker-pattern REGEX replaces detection (group
"speaker", optional group "time").

--participants CSV sets participant attributes: a "label" column, then one
column per attribute (role, site, ...). It can be given without files.`,
		Example: `  qcode import interviews/*.docx --attr site=Tromsø
  qcode import fg1.vtt --kind focus-group --participants participants.csv
  qcode import notes.txt --speaker-pattern '^(?P<speaker>[A-Z]{2,3})> '`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && participantsCSV == "" {
				return usagef("qcode import needs files to import, or --participants CSV")
			}
			if qdpx, rest := splitQDPX(args); len(qdpx) > 0 {
				if len(rest) > 0 || participantsCSV != "" {
					return usagef("import .qdpx files on their own (they carry their own participants)")
				}
				return a.importQDPX(qdpx)
			}
			opt := project.ImportOptions{Kind: kind}
			var err error
			if opt.Attributes, err = project.ParseAttrs(attrs); err != nil {
				return usageError{err}
			}
			if speakerPattern != "" {
				re, err := regexp.Compile(speakerPattern)
				if err != nil {
					return usagef("--speaker-pattern: %v", err)
				}
				opt.Transcript.SpeakerPattern = re
			}
			opt.Transcript.Speakers = speakers
			if participantsCSV != "" {
				if opt.Participants, err = project.ReadParticipantsCSV(participantsCSV); err != nil {
					return err
				}
			}
			return a.withProject(false, func(p *project.Project) error {
				res, err := p.Import(args, opt)
				if err != nil {
					return err
				}
				return a.printImport(res)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&kind, "kind", "", "document kind: "+strings.Join(project.Kinds, ", ")+" (default: guessed)")
	f.StringArrayVar(&attrs, "attr", nil, "document attribute key=value (repeatable), e.g. site=Leeds")
	f.StringVar(&participantsCSV, "participants", "", "CSV of participant attributes (label, role, site, ...)")
	f.StringVar(&speakerPattern, "speaker-pattern", "", "regular expression that starts a turn (replaces detection)")
	f.StringArrayVar(&speakers, "speaker", nil, "accept this speaker label even if seen only once (repeatable)")
	return cmd
}

func (a *app) printImport(res *project.ImportResult) error {
	for _, s := range res.Skipped {
		a.say("skipped %s: %s", s.File, s.Reason)
	}
	if a.format == "json" {
		type doc struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Kind     string `json:"kind"`
			Source   string `json:"source_file"`
			Format   string `json:"format"`
			Encoding string `json:"encoding"`
			Turns    int    `json:"turns"`
			Words    int    `json:"words"`
		}
		type skipped struct {
			File   string `json:"file"`
			Reason string `json:"reason"`
		}
		out := struct {
			Imported        []doc     `json:"imported"`
			Skipped         []skipped `json:"skipped"`
			NewParticipants []string  `json:"new_participants"`
		}{Imported: []doc{}, Skipped: []skipped{}, NewParticipants: append([]string{}, res.NewParticipants...)}
		for _, d := range res.Imported {
			out.Imported = append(out.Imported, doc{d.ID, d.Name, d.Kind, d.SourceFile, d.Format, d.Encoding, len(d.Turns), d.Words})
		}
		for _, s := range res.Skipped {
			out.Skipped = append(out.Skipped, skipped{s.File, s.Reason})
		}
		return a.json(out)
	}
	if len(res.Imported) > 0 {
		t := &export.Table{Columns: []string{"document", "kind", "format", "encoding", "turns", "speakers", "words"}}
		for _, d := range res.Imported {
			kind := d.Kind
			if d.KindGuessed {
				kind += " (guessed)"
			}
			speakers := map[string]bool{}
			for _, tr := range d.Turns {
				if tr.ParticipantID != "" {
					speakers[tr.ParticipantID] = true
				}
			}
			t.Add(d.Name, kind, d.Format, d.Encoding, len(d.Turns), len(speakers), d.Words)
		}
		if err := a.table(t); err != nil {
			return err
		}
	}
	for _, d := range res.Imported {
		if d.Renamed {
			a.say("note: a document named %q already existed, so %s was imported as %q", strings.TrimSuffix(d.Name, d.Name[strings.LastIndex(d.Name, " ("):]), d.SourceFile, d.Name)
		}
		if len(d.Turns) == 0 {
			a.say("note: no speaker turns found in %s; if it has speakers, try --speaker LABEL or --speaker-pattern", d.SourceFile)
		}
	}
	a.say("imported %d document(s), skipped %d; %s", len(res.Imported), len(res.Skipped), participantNote(res))
	return nil
}

func participantNote(res *project.ImportResult) string {
	var parts []string
	if len(res.NewParticipants) > 0 {
		parts = append(parts, "new participants: "+strings.Join(res.NewParticipants, ", "))
	}
	if len(res.Updated) > 0 {
		parts = append(parts, "updated: "+strings.Join(res.Updated, ", "))
	}
	if len(parts) == 0 {
		return "no new participants"
	}
	return strings.Join(parts, "; ")
}

// splitQDPX separates REFI-QDA projects from transcripts.
func splitQDPX(args []string) (qdpx, rest []string) {
	for _, f := range args {
		if strings.EqualFold(filepath.Ext(f), ".qdpx") {
			qdpx = append(qdpx, f)
		} else {
			rest = append(rest, f)
		}
	}
	return qdpx, rest
}
