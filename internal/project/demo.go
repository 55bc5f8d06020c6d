package project

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
)

// DemoMemo marks a project built by BuildDemo, so rebuilding it may replace
// the file while any other file is left alone.
const DemoMemo = "Demo project built by `qcode demo` from the synthetic IPS study in examples/. Safe to delete."

// DemoSummary says what BuildDemo made.
type DemoSummary struct {
	Documents    int
	Participants int
	Codes        int
	Codings      map[string]int // per coder
}

// BuildDemo builds the demo project at path from the example study in fsys:
// documents.csv (file, kind and document attributes), participants.csv,
// codebook.yaml and demo-codings.csv (document, code, match, coder, memo).
// It builds into a temporary file and renames it into place, so an
// interrupted build leaves no half-made project. An existing file at path is
// replaced only if it is itself a demo project.
func BuildDemo(fsys fs.FS, path string) (*DemoSummary, error) {
	if _, err := os.Stat(path); err == nil {
		if err := checkIsDemo(path); err != nil {
			return nil, err
		}
	}
	tmp := filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.building-%d", filepath.Base(path), os.Getpid()))
	os.Remove(tmp)
	// Building imports file by file, and each import into a non-empty
	// project keeps a backup next to it: those are of a file that is
	// renamed away, so they go with it.
	defer os.RemoveAll(tmp + ".backups")
	sum, err := buildDemo(fsys, tmp)
	if err != nil {
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return sum, nil
}

func checkIsDemo(path string) error {
	p, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer p.Close()
	if m, err := p.Memo(); err != nil || m != DemoMemo {
		return userErr("%s exists and is not a demo project; pass -p NEW.db to build the demo elsewhere", path)
	}
	return nil
}

func buildDemo(fsys fs.FS, path string) (*DemoSummary, error) {
	p, err := Create(path)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	read := func(name string) ([]byte, error) {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("example study: %w", err)
		}
		return b, nil
	}
	if err := p.SetMemo(DemoMemo); err != nil {
		return nil, err
	}
	data, err := read("participants.csv")
	if err != nil {
		return nil, err
	}
	people, err := ParseParticipantsCSV("examples/participants.csv", data)
	if err != nil {
		return nil, err
	}
	if data, err = read("codebook.yaml"); err != nil {
		return nil, err
	}
	cb, err := codebook.ReadYAML("examples/codebook.yaml", strings.NewReader(string(data)))
	if err != nil {
		return nil, err
	}
	if err := p.AddCodebook(cb); err != nil {
		return nil, err
	}
	docs, err := readCSV(fsys, "documents.csv")
	if err != nil {
		return nil, err
	}
	sum := &DemoSummary{Codes: len(cb.Codes), Codings: map[string]int{}}
	for i, row := range docs {
		file, kind := row["file"], row["kind"]
		body, err := read(file)
		if err != nil {
			return nil, err
		}
		attrs := map[string]string{}
		for k, v := range row {
			if k != "file" && k != "kind" && v != "" {
				attrs[k] = v
			}
		}
		opt := ImportOptions{Kind: kind, Attributes: attrs}
		if i == 0 {
			opt.Participants = people
		}
		res, err := p.ImportSources([]Source{{Name: file, Data: body}}, opt)
		if err != nil {
			return nil, err
		}
		sum.Documents += len(res.Imported)
	}
	codings, err := readCSV(fsys, "demo-codings.csv")
	if err != nil {
		return nil, err
	}
	reqs := make([]CodeRequest, len(codings))
	for i, row := range codings {
		reqs[i] = CodeRequest{Doc: row["document"], Code: row["code"], Coder: row["coder"], Memo: row["memo"], Target: Target{Match: row["match"]}}
		sum.Codings[row["coder"]]++
	}
	if _, err := p.CodeAll(reqs); err != nil {
		return nil, fmt.Errorf("examples/demo-codings.csv: %w", err)
	}
	ps, err := p.Participants()
	sum.Participants = len(ps)
	return sum, err
}

// readCSV reads a small CSV with a header into maps keyed by column.
func readCSV(fsys fs.FS, name string) ([]map[string]string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("example study: %w", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("examples/%s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, errors.New("examples/" + name + ": empty")
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(r) {
				m[strings.TrimSpace(h)] = r[i]
			}
		}
		out = append(out, m)
	}
	return out, nil
}
