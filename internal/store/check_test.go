package store

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/qcode-qda/qcode/codebook"
)

const (
	docID  = "d0000000-0000-4000-8000-000000000001"
	codeID = "c0000000-0000-4000-8000-000000000001"
	pID    = "p0000000-0000-4000-8000-000000000001"
)

// healthy builds a small valid project: one document, one participant,
// one code, two codings.
func healthy(t *testing.T) (*Store, string) {
	t.Helper()
	s, path := newProject(t)
	text := "Interviewer: Hello.\nP1: We met at the café.\n"
	sum := sha256.Sum256([]byte(text))
	err := s.Update(func(tx *Tx) error {
		if err := tx.PutParticipant(Participant{ID: pID, Label: "P1"}); err != nil {
			return err
		}
		d := Document{ID: docID, Name: "p1", TextSHA256: hex.EncodeToString(sum[:]), Runes: len([]rune(text)), Turns: []Turn{{ParticipantID: pID, Start: 24, End: 44, TimeMS: -1}}}
		if err := tx.PutDocument(d, text); err != nil {
			return err
		}
		if err := tx.PutCode(codebook.Code{ID: codeID, Name: "Meeting place"}); err != nil {
			return err
		}
		now := time.Now().UTC()
		return tx.PutCodings([]Coding{
			{ID: "11111111-1111-4111-8111-111111111111", DocID: docID, CodeID: codeID, Start: 24, End: 44, Coder: "amina", Created: now, Updated: now},
			{ID: "22222222-2222-4222-8222-222222222222", DocID: docID, CodeID: codeID, Start: 24, End: 44, Coder: "jonas", Created: now, Updated: now},
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}

func problems(t *testing.T, s *Store) string {
	t.Helper()
	ps, err := s.Check(0)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, p := range ps {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

func TestCheckHealthyProject(t *testing.T) {
	s, _ := healthy(t)
	if got := problems(t, s); got != "" {
		t.Errorf("a healthy project has problems:\n%s", got)
	}
}

// rawUpdate changes the file behind qcode's back, as damage would.
func rawUpdate(t *testing.T, s *Store, fn func(tx *bolt.Tx) error) {
	t.Helper()
	if err := s.db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func TestCheckFindsDamageAndRepairFixesIndexes(t *testing.T) {
	s, _ := healthy(t)
	rawUpdate(t, s, func(tx *bolt.Tx) error {
		// The text changed after import.
		if err := tx.Bucket(bucketTexts).Put([]byte(docID), []byte("Interviewer: Hello.\nP1: We met at the CAFÉ.\n")); err != nil {
			return err
		}
		// A coding outside the text, and one whose code is gone.
		bad := Coding{ID: "33333333-3333-4333-8333-333333333333", DocID: docID, CodeID: codeID, Start: 40, End: 900, Coder: "amina"}
		orphan := Coding{ID: "44444444-4444-4444-8444-444444444444", DocID: docID, CodeID: "c0000000-0000-4000-8000-00000000dead", Start: 1, End: 5, Coder: "amina"}
		for _, c := range []Coding{bad, orphan} {
			if err := tx.Bucket(bucketCodings).Put([]byte(c.ID), encodeCoding(&c)); err != nil {
				return err
			}
		}
		// An index entry lost, and a stray one.
		if err := tx.Bucket(bucketCodingsByDoc).Delete(byDocKey(docID, "11111111-1111-4111-8111-111111111111")); err != nil {
			return err
		}
		return tx.Bucket(bucketParticipantIx).Put([]byte("ghost"), []byte(pID))
	})
	got := problems(t, s)
	for _, want := range []string{
		"does not match its SHA-256",
		"coding 33333333-3333-4333-8333-333333333333: span 40:900 is not inside p1",
		"coding 44444444-4444-4444-8444-444444444444: its code c0000000-0000-4000-8000-00000000dead does not exist",
		"idx_codings_by_doc lacks",
		"idx_participant_label has an entry no record explains",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("check did not report %q; it said:\n%s", want, got)
		}
	}
	if err := s.Repair(); err != nil {
		t.Fatal(err)
	}
	got = problems(t, s)
	if strings.Contains(got, "index") {
		t.Errorf("repair left index problems:\n%s", got)
	}
	if !strings.Contains(got, "SHA-256") || !strings.Contains(got, "not inside") {
		t.Errorf("repair must not hide damage it cannot fix:\n%s", got)
	}
}

func TestBackupsAreConsistentPrivateAndPruned(t *testing.T) {
	s, path := healthy(t)
	dest := filepath.Join(t.TempDir(), "copy.qcode")
	if err := s.Backup(dest); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(dest); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
	if info, _ := os.Stat(dest); info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %o", info.Mode().Perm())
	}
	var made []string
	for _, reason := range []string{"import", "merge", "import"} {
		p, err := s.AutoBackup(reason, 2)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, p)
	}
	list, err := ListBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Path != made[1] || list[1].Path != made[2] || list[0].Reason != "merge" {
		t.Errorf("kept backups %+v, want the last two of %v", list, made)
	}
	if info, _ := os.Stat(BackupDir(path)); info.Mode().Perm() != 0o700 {
		t.Errorf("backup directory mode %o", info.Mode().Perm())
	}
	// A backup is a whole project: it opens and checks clean.
	s.Close()
	b, err := Open(list[0].Path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := problems(t, b); got != "" {
		t.Errorf("backup has problems: %s", got)
	}
	b.Close()
	// Restore: the current state is kept as a backup first.
	rawStore, _ := Open(path, Options{})
	rawUpdate(t, rawStore, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCodings).Delete([]byte("11111111-1111-4111-8111-111111111111"))
	})
	rawStore.Close()
	saved, err := Restore(path, list[0].Path, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(saved, "before-restore") {
		t.Errorf("saved as %s", saved)
	}
	r, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.View(func(tx *Tx) error {
		if _, err := tx.Coding("11111111-1111-4111-8111-111111111111"); err != nil {
			t.Error("restore did not bring the coding back")
		}
		return nil
	})
}
