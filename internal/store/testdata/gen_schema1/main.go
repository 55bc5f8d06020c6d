//go:build ignore

// Writes testdata/schema1.qcode.db: a project in the schema-1 layout (text
// inside each document record, no indexes), the input for the migration
// test. Run from the repository root:
//
//	go run ./internal/store/testdata/gen_schema1/main.go
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log"
	"os"

	bolt "go.etcd.io/bbolt"
)

const out = "internal/store/testdata/schema1.qcode.db"

func main() {
	os.Remove(out)
	db, err := bolt.Open(out, 0o600, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	put := func(tx *bolt.Tx, bucket, key string, v any) {
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			log.Fatal(err)
		}
		var data []byte
		switch v := v.(type) {
		case []byte:
			data = v
		default:
			if data, err = json.Marshal(v); err != nil {
				log.Fatal(err)
			}
		}
		if err := b.Put([]byte(key), data); err != nil {
			log.Fatal(err)
		}
	}
	err = db.Update(func(tx *bolt.Tx) error {
		ver := make([]byte, 8)
		binary.BigEndian.PutUint64(ver, 1)
		put(tx, "meta", "schema_version", ver)
		put(tx, "meta", "created", []byte("2026-09-01T10:00:00Z"))
		put(tx, "meta", "codebook", map[string]any{"name": "Old codebook", "frameworks": []string{"ips25"}})
		text := "Interviewer: How did the referral reach you?\nP1: Through my nurse in Tromsø. She said I was ready.\nInterviewer: And benefits?\nP1: I was scared of losing NAV money.\n"
		put(tx, "documents", "0b6d3a52-6a4e-4a43-9c57-5d1c2f0e8a11", map[string]any{
			"id": "0b6d3a52-6a4e-4a43-9c57-5d1c2f0e8a11", "name": "patient-01", "kind": "interview",
			"attributes": map[string]string{"site": "Tromsø"}, "source_file": "patient-01.txt",
			"source_sha256": "7d5e1d0f8f6c4e0e8b1d3c2a9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c",
			"text_sha256":   fmt.Sprintf("%x", sha256.Sum256([]byte(text))),
			"format":        "txt", "encoding": "utf-8", "runes": 164, "words": 31,
			"imported_at": "2026-09-01T10:05:00Z",
			"turns": []map[string]any{
				{"participant_id": "5e0c1d4a-1111-4c1e-8e21-3b5a6c7d8e01", "start": 13, "end": 44, "time_ms": -1},
				{"participant_id": "5e0c1d4a-2222-4c1e-8e21-3b5a6c7d8e02", "start": 49, "end": 98, "time_ms": -1},
				{"participant_id": "5e0c1d4a-1111-4c1e-8e21-3b5a6c7d8e01", "start": 112, "end": 125, "time_ms": -1},
				{"participant_id": "5e0c1d4a-2222-4c1e-8e21-3b5a6c7d8e02", "start": 130, "end": 163, "time_ms": -1},
			},
			"text": text,
		})
		put(tx, "participants", "5e0c1d4a-1111-4c1e-8e21-3b5a6c7d8e01", map[string]any{"id": "5e0c1d4a-1111-4c1e-8e21-3b5a6c7d8e01", "label": "Interviewer", "attributes": map[string]string{"role": "interviewer"}, "created": "2026-09-01T10:05:00Z"})
		put(tx, "participants", "5e0c1d4a-2222-4c1e-8e21-3b5a6c7d8e02", map[string]any{"id": "5e0c1d4a-2222-4c1e-8e21-3b5a6c7d8e02", "label": "P1", "attributes": map[string]string{"role": "patient", "site": "Tromsø"}, "created": "2026-09-01T10:05:00Z"})
		put(tx, "codes", "c0de0001-0000-4000-8000-000000000001", map[string]any{"id": "c0de0001-0000-4000-8000-000000000001", "name": "Fear of losing benefits", "polarity": "barrier", "links": []string{"ips25:12"}})
		put(tx, "codings", "c0d10001-0000-4000-8000-000000000001", map[string]any{"id": "c0d10001-0000-4000-8000-000000000001", "doc_id": "0b6d3a52-6a4e-4a43-9c57-5d1c2f0e8a11", "code_id": "c0de0001-0000-4000-8000-000000000001", "start": 130, "end": 163, "coder": "amina", "created": "2026-09-02T09:00:00Z", "updated": "2026-09-02T09:00:00Z"})
		put(tx, "codings", "c0d10002-0000-4000-8000-000000000002", map[string]any{"id": "c0d10002-0000-4000-8000-000000000002", "doc_id": "0b6d3a52-6a4e-4a43-9c57-5d1c2f0e8a11", "code_id": "c0de0001-0000-4000-8000-000000000001", "start": 130, "end": 163, "coder": "jonas", "memo": "same passage", "created": "2026-09-03T09:00:00Z", "updated": "2026-09-03T09:00:00Z"})
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
}
