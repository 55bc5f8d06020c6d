package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/qcode-qda/qcode/codebook"
)

func newProject(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.qcode")
	s, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestCreateMakesPrivateFileWithSchema(t *testing.T) {
	s, path := newProject(t)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("project file mode = %o, want 600 (transcripts are confidential)", mode)
	}
	s.View(func(tx *Tx) error {
		if v := tx.SchemaVersion(); v != SchemaVersion {
			t.Errorf("schema version = %d, want %d", v, SchemaVersion)
		}
		return nil
	})
	s.Close()
	if _, err := Create(path); !errors.Is(err, ErrExists) {
		t.Errorf("Create over an existing project: err = %v, want ErrExists", err)
	}
}

func TestOpenMissingProjectSaysHowToCreateOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.qcode")
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrNoProject) || !strings.Contains(err.Error(), "qcode init") || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v", err)
	}
	if _, statErr := os.Stat(path); !os.IsNotExist(statErr) {
		t.Error("opening a missing project created a file")
	}
}

func TestLockedProjectFailsFastWithClearMessage(t *testing.T) {
	_, path := newProject(t) // held open (write lock) by the cleanup-owned store
	start := time.Now()
	_, err := Open(path, Options{})
	elapsed := time.Since(start)
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("err = %v, want ErrInUse", err)
	}
	want := "project " + path + " is in use by another qcode process"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message %q does not contain %q", err, want)
	}
	if elapsed > 3*time.Second {
		t.Errorf("gave up after %v; must be about a second", elapsed)
	}
	// Read-only opens need the writer gone too (bbolt blocks readers while
	// a writer holds the file), and fail the same clear way.
	if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrInUse) {
		t.Errorf("read-only open while locked: err = %v, want ErrInUse", err)
	}
}

func TestReadersShareTheFile(t *testing.T) {
	s, path := newProject(t)
	s.Close()
	r1, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	r2.Close()
}

func TestNewerSchemaIsRefused(t *testing.T) {
	s, path := newProject(t)
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(SchemaVersion+5)) })
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(path, Options{})
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "upgrade qcode") {
		t.Fatalf("err = %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("refusing a newer file changed it")
	}
}

func TestNonProjectFilesAreRefused(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "notes.txt")
	os.WriteFile(garbage, []byte(strings.Repeat("not a database\n", 2000)), 0o600)
	if _, err := Open(garbage, Options{}); !errors.Is(err, ErrNotProject) {
		t.Errorf("text file: err = %v, want ErrNotProject", err)
	}
	// A valid bbolt file from another program.
	other := filepath.Join(dir, "other.db")
	db, _ := bolt.Open(other, 0o600, nil)
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("stuff")); return err })
	db.Close()
	if _, err := Open(other, Options{}); !errors.Is(err, ErrNotProject) {
		t.Errorf("foreign bbolt file: err = %v, want ErrNotProject", err)
	}
}

func TestSchema1FixtureMigrates(t *testing.T) {
	fixture, err := os.ReadFile("testdata/schema1.qcode.db")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "old.qcode")
	if err := os.WriteFile(path, fixture, 0o600); err != nil {
		t.Fatal(err)
	}
	var backup string
	s, err := Open(path, Options{ReadOnly: true, OnMigrate: func(from, to int, b string) {
		if from != 1 || to != SchemaVersion {
			t.Errorf("migrating %d -> %d", from, to)
		}
		backup = b
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const docID = "0b6d3a52-6a4e-4a43-9c57-5d1c2f0e8a11"
	err = s.View(func(tx *Tx) error {
		if v := tx.SchemaVersion(); v != SchemaVersion {
			t.Errorf("schema after migration = %d", v)
		}
		text, err := tx.Text(docID)
		if err != nil {
			return err
		}
		if !strings.Contains(text, "Tromsø") {
			t.Errorf("text not carried over: %q", text)
		}
		d, err := tx.Document(docID)
		if err != nil {
			return err
		}
		if d.Name != "patient-01" || len(d.Turns) != 4 || d.Attributes["site"] != "Tromsø" {
			t.Errorf("document after migration: %+v", d)
		}
		if got := string([]rune(text)[d.Turns[3].Start:d.Turns[3].End]); got != "I was scared of losing NAV money." {
			t.Errorf("turn 4 text = %q", got)
		}
		if id, ok := tx.DocumentBySHA(d.TextSHA256); !ok || id != docID {
			t.Error("text hash index not built")
		}
		if p, err := tx.ParticipantByLabel("p1"); err != nil || p.Attributes["role"] != "patient" {
			t.Errorf("label index: %v %+v", err, p)
		}
		cs, err := tx.CodingsOfDocument(docID)
		if err != nil || len(cs) != 2 {
			t.Errorf("codings of document: %v, %d", err, len(cs))
		}
		c, err := tx.Coding("c0d10002-0000-4000-8000-000000000002")
		if err != nil || c.Coder != "jonas" || c.Memo != "same passage" || c.Start != 130 || c.End != 163 ||
			!c.Created.Equal(time.Date(2026, 9, 3, 9, 0, 0, 0, time.UTC)) || c.DocID != docID {
			t.Errorf("coding after migration: %v %+v", err, c)
		}
		info, _ := tx.CodebookInfo()
		if info.Name != "Old codebook" {
			t.Errorf("codebook info lost: %+v", info)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The backup is the untouched schema-1 file, private like the project.
	if backup == "" {
		t.Fatal("no backup reported")
	}
	info, err := os.Stat(backup)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %o", info.Mode().Perm())
	}
	db, err := bolt.Open(backup, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		if v := beU64(tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != 1 {
			t.Errorf("backup schema = %d, want 1", v)
		}
		return nil
	})
}

func TestCodingIndexesAndDuplicateRule(t *testing.T) {
	s, _ := newProject(t)
	now := time.Now().UTC()
	c := Coding{ID: "11111111-1111-4111-8111-111111111111", DocID: "d0000000-0000-4000-8000-000000000001", CodeID: "c0000000-0000-4000-8000-000000000001", Start: 3, End: 9, Coder: "amina", Created: now, Updated: now}
	err := s.Update(func(tx *Tx) error {
		if err := tx.PutCode(codebook.Code{ID: c.CodeID, Name: "Disclosure"}); err != nil {
			return err
		}
		if err := tx.PutCoding(c); err != nil {
			return err
		}
		dup := c
		dup.ID = "22222222-2222-4222-8222-222222222222"
		if err := tx.PutCoding(dup); !errors.Is(err, ErrDuplicateCoding) {
			t.Errorf("same coder, code and span twice: err = %v", err)
		}
		other := dup
		other.Coder = "jonas"
		return tx.PutCoding(other) // another coder may code the same span
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Update(func(tx *Tx) error {
		cs, _ := tx.CodingsOfDocument(c.DocID)
		if len(cs) != 2 {
			t.Errorf("codings of document = %d, want 2", len(cs))
		}
		if err := tx.DeleteCoding(c.ID); err != nil {
			t.Fatal(err)
		}
		cs, _ = tx.CodingsOfDocument(c.DocID)
		if len(cs) != 1 || cs[0].Coder != "jonas" {
			t.Errorf("after delete: %+v", cs)
		}
		// The span is free again for amina.
		return tx.PutCoding(c)
	})
}

func TestNoWriteReadsAnOlderFileWithoutChangingIt(t *testing.T) {
	fixture, err := os.ReadFile("testdata/schema1.qcode.db")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "theirs.qcode")
	if err := os.WriteFile(path, fixture, 0o400); err != nil { // even a read-only file
		t.Fatal(err)
	}
	s, err := Open(path, Options{ReadOnly: true, NoWrite: true, OnMigrate: func(int, int, string) {
		t.Error("OnMigrate called: the file itself must not be upgraded")
	}})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error {
		text, err := tx.Text("0b6d3a52-6a4e-4a43-9c57-5d1c2f0e8a11")
		if err != nil || !strings.Contains(text, "Tromsø") {
			t.Errorf("text of the upgraded copy: %q, %v", text, err)
		}
		if c, err := tx.Coding("c0d10002-0000-4000-8000-000000000002"); err != nil || c.Coder != "jonas" {
			t.Errorf("coding of the upgraded copy: %+v, %v", c, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path {
		t.Errorf("Path() = %s, want the file asked for (%s)", s.Path(), path)
	}
	tmp := s.tmpDir
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("the private copy %s was not removed: %v", tmp, err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(fixture) {
		t.Error("the schema-1 file changed")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("reading left files beside the project: %v", entries)
	}
}

func TestReplaceCodingsKeepsIndexesRight(t *testing.T) {
	s, _ := newProject(t)
	now := time.Now().UTC()
	doc := "d0000000-0000-4000-8000-000000000001"
	mk := func(id, coder string, start int) Coding {
		return Coding{ID: id, DocID: doc, CodeID: "c0000000-0000-4000-8000-000000000001", Start: start, End: start + 5, Coder: coder, Created: now, Updated: now}
	}
	keep := mk("11111111-1111-4111-8111-111111111111", "amina", 0)
	gone := mk("22222222-2222-4222-8222-222222222222", "jonas", 0)
	err := s.Update(func(tx *Tx) error {
		if err := tx.PutCodings([]Coding{keep, gone}); err != nil {
			return err
		}
		return tx.ReplaceCodings([]Coding{keep})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		if tx.HasCoding(gone.ID) || !tx.HasCoding(keep.ID) {
			t.Error("ReplaceCodings did not replace the codings")
		}
		if _, ok := tx.SpanOwner(&gone); ok {
			t.Error("the dropped coding's span is still indexed")
		}
		if id, ok := tx.SpanOwner(&keep); !ok || id != keep.ID {
			t.Errorf("SpanOwner(kept) = %q, %v", id, ok)
		}
		if cs, _ := tx.CodingsOfDocument(doc); len(cs) != 1 {
			t.Errorf("codings of document = %d, want 1", len(cs))
		}
		return nil
	})
	if probs, err := s.Check(0); err != nil || len(probs) > 0 {
		// The code and document do not exist in this bare store; only
		// index problems would point at ReplaceCodings.
		for _, p := range probs {
			if p.Area == "index" {
				t.Errorf("index problem after ReplaceCodings: %v", p)
			}
		}
	}
}

func TestANewProjectFileIsSmall(t *testing.T) {
	// Writable opens map a large region up front (initialMmap); the file
	// must still grow only by about what it holds.
	s, path := newProject(t)
	err := s.Update(func(tx *Tx) error { return tx.SetMemo(strings.Repeat("memo ", 1000)) })
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 2<<20 {
		t.Errorf("a project holding a memo is %d bytes on disk", info.Size())
	}
}
