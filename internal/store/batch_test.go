package store

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestSchema3FixtureMigrates opens a schema-3 project (written by
// testdata/gen_schema3) and finds it upgraded: its codings and indexes as
// they were, an empty batches bucket that takes batches, and a backup of
// the schema-3 file.
func TestSchema3FixtureMigrates(t *testing.T) {
	fixture, err := os.ReadFile("testdata/schema3.qcode.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.qcode")
	if err := os.WriteFile(path, fixture, 0o600); err != nil {
		t.Fatal(err)
	}
	var backup string
	s, err := Open(path, Options{OnMigrate: func(from, to int, b string) {
		if from != 3 || to != 4 {
			t.Errorf("migrating %d -> %d, want 3 -> 4", from, to)
		}
		backup = b
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const docID = "0b6d3a52-6a4e-4a43-9c57-5d1c2f0e8a11"
	err = s.Update(func(tx *Tx) error {
		if v := tx.SchemaVersion(); v != 4 {
			t.Errorf("schema after migration = %d", v)
		}
		cs, err := tx.CodingsOfDocument(docID)
		if err != nil || len(cs) != 2 || cs[1].Memo != "same passage" || cs[0].Start != 130 {
			t.Errorf("codings after migration: %v %+v", err, cs)
		}
		if bs, err := tx.Batches(); err != nil || len(bs) != 0 {
			t.Errorf("batches after migration: %v %v", err, bs)
		}
		return tx.PutBatch(Batch{ID: "b1", Coder: "amina", CodingIDs: []string{cs[0].ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if problems, err := s.Check(0); err != nil || len(problems) != 0 {
		t.Errorf("check after migration: %v %v", err, problems)
	}
	db, err := bolt.Open(backup, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		if v := beU64(tx.Bucket(bucketMeta).Get(keySchemaVersion)); v != 3 {
			t.Errorf("backup schema = %d, want 3", v)
		}
		if tx.Bucket(bucketBatches) != nil {
			t.Error("the backup is not the untouched schema-3 file")
		}
		return nil
	})
}

func TestBatchesAndSavedQueries(t *testing.T) {
	s, path := newProject(t)
	created := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	b := Batch{ID: "7f1c0000-0000-4000-8000-000000000001", Created: created, Coder: "amina", CodeID: "c1", Rule: `--match "NAV" --unit sentence`, CodingIDs: []string{"x", "y"}}
	err := s.Update(func(tx *Tx) error {
		if err := tx.PutBatch(b); err != nil {
			return err
		}
		return tx.PutSavedQueries(map[string]SavedQuery{"patients": {Name: "patients", Query: "role=patient", Saved: created, By: "amina"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Both survive closing and reopening the file.
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Update(func(tx *Tx) error {
		got, err := tx.Batch(b.ID)
		if err != nil || got.Rule != b.Rule || !slices.Equal(got.CodingIDs, b.CodingIDs) || !got.Created.Equal(created) {
			t.Errorf("batch read back: %v %+v", err, got)
		}
		qs, err := tx.SavedQueries()
		if err != nil || qs["patients"].Query != "role=patient" {
			t.Errorf("saved queries read back: %v %+v", err, qs)
		}
		if err := tx.DeleteBatch(b.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Batch(b.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted batch: %v", err)
		}
		return nil
	})
}

// A damaged batch record is reported by Check, naming the batch.
func TestCheckReportsDamagedBatch(t *testing.T) {
	s, _ := newProject(t)
	s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketBatches).Put([]byte("b-bad"), []byte("{not json")) })
	problems, err := s.Check(0)
	if err != nil || len(problems) != 1 || problems[0].Area != "batch" || problems[0].ID != "b-bad" {
		t.Errorf("check: %v %v", err, problems)
	}
}
