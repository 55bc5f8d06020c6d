package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A migration moves a file from schema version from to from+1. Migrations
// run in order, all in one transaction, after a backup copy is written: a
// failure leaves the file exactly as it was.
type migration struct {
	from  int
	what  string
	apply func(tx *bolt.Tx) error
}

var migrations = []migration{
	{1, "move document text into its own bucket; add indexes", migrate1to2},
	{2, "store codings in a compact binary form", migrate2to3},
	{3, "add the batches bucket (auto-coding runs that undo removes whole)", migrate3to4},
}

func migrate(db *bolt.DB, path string, from int, onMigrate func(from, to int, backup string)) error {
	dir := BackupDir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create backup directory %s before upgrading project %s: %w", dir, path, unwrapPathErr(err))
	}
	backup := filepath.Join(dir, fmt.Sprintf("%s-schema%d.qcode", time.Now().UTC().Format("20060102T150405.000000000Z"), from))
	if err := db.View(func(tx *bolt.Tx) error { return tx.CopyFile(backup, 0o600) }); err != nil {
		return fmt.Errorf("cannot write backup %s before upgrading project %s: %w", backup, path, err)
	}
	if onMigrate != nil {
		onMigrate(from, SchemaVersion, backup)
	}
	return db.Update(func(tx *bolt.Tx) error {
		for _, m := range migrations {
			if m.from < from {
				continue
			}
			if err := m.apply(tx); err != nil {
				return fmt.Errorf("upgrading project %s from schema %d (%s): %w (the file is unchanged; a backup is at %s)", path, m.from, m.what, err, backup)
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(SchemaVersion))
	})
}

// migrate1to2: schema 1 kept each document's text inside its JSON record and
// had no indexes.
func migrate1to2(tx *bolt.Tx) error {
	texts, err := tx.CreateBucketIfNotExists(bucketTexts)
	if err != nil {
		return err
	}
	docs := tx.Bucket(bucketDocuments)
	if docs == nil {
		return fmt.Errorf("bucket %s missing", bucketDocuments)
	}
	type rewrite struct{ key, value []byte }
	var rewrites []rewrite // bbolt forbids writing to a bucket while iterating it
	err = docs.ForEach(func(k, v []byte) error {
		var rec map[string]json.RawMessage
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("document %s: %w", k, err)
		}
		var text string
		if err := json.Unmarshal(rec["text"], &text); err != nil {
			return fmt.Errorf("document %s has no text: %w", k, err)
		}
		delete(rec, "text")
		out, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		rewrites = append(rewrites, rewrite{append([]byte(nil), k...), out})
		return texts.Put(append([]byte(nil), k...), []byte(text))
	})
	if err != nil {
		return err
	}
	for _, r := range rewrites {
		if err := docs.Put(r.key, r.value); err != nil {
			return err
		}
	}
	return rebuildIndexes(tx)
}

// migrate2to3: schema 2 stored codings as JSON; schema 3 uses the binary
// form of coding_codec.go.
func migrate2to3(tx *bolt.Tx) error {
	codings := tx.Bucket(bucketCodings)
	type rec struct{ k, v []byte }
	var recs []rec // bbolt forbids writing to a bucket while iterating it
	err := codings.ForEach(func(k, v []byte) error {
		c, err := decodeCoding(k, v)
		if err != nil {
			return fmt.Errorf("coding %s: %w", k, err)
		}
		c.ID = string(k)
		recs = append(recs, rec{append([]byte(nil), k...), encodeCoding(&c)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := codings.Put(r.k, r.v); err != nil {
			return err
		}
	}
	return nil
}

// migrate3to4: schema 4 records batches of codings applied together (an
// auto-coding run) so that undo can remove a batch whole. Coding records
// are unchanged: a batch lists its codings' ids.
func migrate3to4(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketBatches)
	return err
}
