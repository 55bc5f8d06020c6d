package project

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/qcode-qda/qcode/internal/store"
	"github.com/qcode-qda/qcode/internal/transcript"
)

// ImportOptions tune one import call.
type ImportOptions struct {
	Kind         string            // document kind for every file; "" guesses per file
	Attributes   map[string]string // document attributes for every file (site, wave, ...)
	Participants []ParticipantRow  // participant attributes to set (from --participants)
	Transcript   transcript.Options
}

// ImportResult says what one import call did.
type ImportResult struct {
	Imported        []ImportedDocument
	Skipped         []Skipped
	NewParticipants []string // labels created by this call
	Updated         []string // participant labels whose attributes were set
}

// ImportedDocument is one document added by an import.
type ImportedDocument struct {
	Document
	KindGuessed bool
	Renamed     bool // the file's name was taken, so a suffix was added
}

// Skipped is a file that was not imported, and why.
type Skipped struct {
	File   string
	Reason string
}

type parsedFile struct {
	path   string
	t      *transcript.Transcript
	srcSHA string
	txtSHA string
}

// Source is one file's name and bytes.
type Source struct {
	Name string // path or file name; it names the document and appears in errors
	Data []byte
}

// Import reads every file and imports them with ImportSources.
func (p *Project) Import(files []string, opt ImportOptions) (*ImportResult, error) {
	srcs := make([]Source, 0, len(files))
	for _, f := range files {
		data, err := transcript.ReadFile(f)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, Source{Name: f, Data: data})
	}
	return p.ImportSources(srcs, opt)
}

// ImportSources parses every source and stores them all in one
// transaction: if any fails, nothing from this call is stored and the error
// names the file (and line). A source whose normalised text is already in
// the project (or earlier in the same call) is skipped with a message.
func (p *Project) ImportSources(srcs []Source, opt ImportOptions) (*ImportResult, error) {
	if opt.Kind != "" && !slices.Contains(Kinds, opt.Kind) {
		return nil, userErr("document kind %q is not one of %s", opt.Kind, strings.Join(Kinds, ", "))
	}
	// Labels the user has already named — in the participants file or as
	// participants of the project — are confirmed speakers: the
	// seen-only-once guard against false positives does not apply to them.
	known, err := p.participantLabels()
	if err != nil {
		return nil, err
	}
	for _, row := range opt.Participants {
		known = append(known, row.Label)
	}
	opt.Transcript.Speakers = append(append([]string(nil), opt.Transcript.Speakers...), known...)
	parsed := make([]parsedFile, 0, len(srcs))
	for _, src := range srcs {
		t, err := transcript.Parse(src.Name, src.Data, opt.Transcript)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(src.Data)
		parsed = append(parsed, parsedFile{path: src.Name, t: t, srcSHA: hex.EncodeToString(sum[:]), txtSHA: sha256Hex([]byte(t.Text))})
	}
	if len(parsed) > 0 {
		if _, err := p.backupIfNotEmpty("import"); err != nil {
			return nil, err
		}
	}
	res := &ImportResult{}
	err = p.update(func(tx *store.Tx) error {
		*res = ImportResult{} // a retried transaction starts clean
		for _, row := range opt.Participants {
			pp, created, err := upsertParticipant(tx, row)
			if err != nil {
				return fmt.Errorf("participants line %d: %w", row.Line, err)
			}
			if created {
				res.NewParticipants = append(res.NewParticipants, pp.Label)
			} else {
				res.Updated = append(res.Updated, pp.Label)
			}
		}
		names, err := documentNames(tx)
		if err != nil {
			return err
		}
		for _, pf := range parsed {
			if id, dup := tx.DocumentBySHA(pf.txtSHA); dup {
				d, _ := tx.Document(id)
				res.Skipped = append(res.Skipped, Skipped{File: pf.path, Reason: fmt.Sprintf("same text as document %q", d.Name)})
				continue
			}
			doc, err := p.newDocument(tx, pf, opt, names, res)
			if err != nil {
				return fmt.Errorf("%s: %w", pf.path, err)
			}
			res.Imported = append(res.Imported, doc)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (p *Project) newDocument(tx *store.Tx, pf parsedFile, opt ImportOptions, names map[string]bool, res *ImportResult) (ImportedDocument, error) {
	base := filepath.Base(pf.path)
	name := strings.TrimSuffix(base, filepath.Ext(base))
	out := ImportedDocument{}
	if names[strings.ToLower(name)] {
		for i := 2; ; i++ {
			if cand := fmt.Sprintf("%s (%d)", name, i); !names[strings.ToLower(cand)] {
				name, out.Renamed = cand, true
				break
			}
		}
	}
	names[strings.ToLower(name)] = true
	d := Document{
		ID:           uuid.NewString(),
		Name:         name,
		Kind:         opt.Kind,
		Attributes:   map[string]string{},
		SourceFile:   base,
		SourceSHA256: pf.srcSHA,
		TextSHA256:   pf.txtSHA,
		Format:       pf.t.Format,
		Encoding:     pf.t.Encoding,
		Runes:        utf8.RuneCountInString(pf.t.Text),
		Words:        countWords(pf.t.Text),
		ImportedAt:   time.Now().UTC(),
	}
	for k, v := range opt.Attributes {
		d.Attributes[k] = v
	}
	speakerRoles := map[string]string{}
	for _, t := range pf.t.Turns {
		turn := Turn{Start: t.Start, End: t.End, TimeMS: t.TimeMS}
		if t.Speaker != "" {
			pp, created, err := upsertParticipant(tx, ParticipantRow{Label: t.Speaker})
			if err != nil {
				return out, err
			}
			if created {
				res.NewParticipants = append(res.NewParticipants, pp.Label)
			}
			turn.ParticipantID = pp.ID
			speakerRoles[pp.ID] = pp.Attributes["role"]
		}
		d.Turns = append(d.Turns, turn)
	}
	if d.Kind == "" {
		d.Kind, out.KindGuessed = guessKind(pf.t, speakerRoles), true
	}
	if err := tx.PutDocument(d, pf.t.Text); err != nil {
		return out, err
	}
	out.Document = d
	return out, nil
}

// guessKind: three or more speakers besides interviewers make a focus group;
// a text file with no speakers at all is field notes; else an interview.
// The import summary shows the guess and --kind overrides it.
func guessKind(t *transcript.Transcript, roles map[string]string) string {
	others := 0
	for _, role := range roles {
		if role != RoleInterviewer {
			others++
		}
	}
	switch {
	case others >= 3:
		return "focus-group"
	case len(roles) == 0 && (t.Format == "txt" || t.Format == "md" || t.Format == "docx"):
		return "field-notes"
	}
	return "interview"
}

func documentNames(tx *store.Tx) (map[string]bool, error) {
	docs, err := tx.Documents()
	names := make(map[string]bool, len(docs))
	for _, d := range docs {
		names[strings.ToLower(d.Name)] = true
	}
	return names, err
}

func (p *Project) participantLabels() ([]string, error) {
	var labels []string
	err := p.view(func(tx *store.Tx) error {
		ps, err := tx.Participants()
		for _, pp := range ps {
			labels = append(labels, pp.Label)
		}
		return err
	})
	return labels, err
}

// backupIfNotEmpty takes an automatic backup before a bulk change to a
// project that already holds documents (an empty one has nothing to lose),
// and returns its path ("" when none was needed).
func (p *Project) backupIfNotEmpty(reason string) (string, error) {
	empty := true
	err := p.view(func(tx *store.Tx) error {
		docs, err := tx.Documents()
		empty = len(docs) == 0
		return err
	})
	if err != nil || empty {
		return "", err
	}
	return p.autoBackup(reason)
}
