//go:build ignore

// Writes testdata/schema3.qcode.db: a project in the schema-3 layout
// (codings in the binary form, indexes, no batches bucket), the input for
// the 3 -> 4 migration test. It writes bbolt directly, so it keeps making
// the old layout whatever the current schema is. Run from the repository
// root:
//
//	go run ./internal/store/testdata/gen_schema3/main.go
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

const out = "internal/store/testdata/schema3.qcode.db"

const (
	docID         = "0b6d3a52-6a4e-4a43-9c57-5d1c2f0e8a11"
	interviewerID = "5e0c1d4a-1111-4c1e-8e21-3b5a6c7d8e01"
	p1ID          = "5e0c1d4a-2222-4c1e-8e21-3b5a6c7d8e02"
	fearID        = "c0de0001-0000-4000-8000-000000000001"
	coding1       = "c0d10001-0000-4000-8000-000000000001"
	coding2       = "c0d10002-0000-4000-8000-000000000002"
)

// coding is the schema-3 binary coding record (internal/store/coding_codec.go).
func coding(doc, code string, start, end int, coder, memo string, created time.Time) []byte {
	b := []byte{1}
	for _, s := range []string{doc, code} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(start))
	b = binary.AppendUvarint(b, uint64(end))
	for _, s := range []string{coder, memo} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendVarint(b, created.UnixNano())
	return binary.AppendVarint(b, created.UnixNano())
}

func spanKey(doc, code string, start, end int, coder string) []byte {
	k := append([]byte(doc), code...)
	k = binary.BigEndian.AppendUint64(k, uint64(start))
	k = binary.BigEndian.AppendUint64(k, uint64(end))
	return append(k, coder...)
}

func main() {
	os.Remove(out)
	db, err := bolt.Open(out, 0o600, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	put := func(tx *bolt.Tx, bucket string, key, v any) {
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			log.Fatal(err)
		}
		var data []byte
		switch v := v.(type) {
		case []byte:
			data = v
		case string:
			data = []byte(v)
		default:
			if data, err = json.Marshal(v); err != nil {
				log.Fatal(err)
			}
		}
		var k []byte
		switch key := key.(type) {
		case string:
			k = []byte(key)
		case []byte:
			k = key
		}
		if err := b.Put(k, data); err != nil {
			log.Fatal(err)
		}
	}
	text := "Interviewer: How did the referral reach you?\nP1: Through my nurse in Tromsø. She said I was ready.\nInterviewer: And benefits?\nP1: I was scared of losing NAV money.\n"
	created := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *bolt.Tx) error {
		ver := make([]byte, 8)
		binary.BigEndian.PutUint64(ver, 3)
		put(tx, "meta", "schema_version", ver)
		put(tx, "meta", "created", "2026-10-01T10:00:00Z")
		put(tx, "meta", "codebook", map[string]any{"name": "Schema 3 codebook", "frameworks": []string{"ips25"}})
		put(tx, "meta", "code_order", []string{fearID})
		sha := fmt.Sprintf("%x", sha256.Sum256([]byte(text)))
		put(tx, "documents", docID, map[string]any{
			"id": docID, "name": "patient-01", "kind": "interview",
			"attributes": map[string]string{"site": "Tromsø"}, "source_file": "patient-01.txt",
			"source_sha256": "7d5e1d0f8f6c4e0e8b1d3c2a9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c",
			"text_sha256":   sha, "format": "txt", "encoding": "utf-8", "runes": len([]rune(text)), "words": 31,
			"imported_at": "2026-10-01T10:05:00Z",
			"turns": []map[string]any{
				{"participant_id": interviewerID, "start": 13, "end": 44, "time_ms": -1},
				{"participant_id": p1ID, "start": 49, "end": 98, "time_ms": -1},
				{"participant_id": interviewerID, "start": 112, "end": 125, "time_ms": -1},
				{"participant_id": p1ID, "start": 130, "end": 163, "time_ms": -1},
			},
		})
		put(tx, "texts", docID, text)
		put(tx, "idx_doc_sha", sha, docID)
		for id, p := range map[string][2]string{interviewerID: {"Interviewer", "interviewer"}, p1ID: {"P1", "patient"}} {
			put(tx, "participants", id, map[string]any{"id": id, "label": p[0], "attributes": map[string]string{"role": p[1]}, "created": "2026-10-01T10:05:00Z"})
			put(tx, "idx_participant_label", strings.ToLower(p[0]), id)
		}
		put(tx, "codes", fearID, map[string]any{"id": fearID, "name": "Fear of losing benefits", "polarity": "barrier", "links": []string{"ips25:12"}})
		for _, c := range []struct {
			id, coder, memo string
		}{{coding1, "amina", ""}, {coding2, "jonas", "same passage"}} {
			put(tx, "codings", c.id, coding(docID, fearID, 130, 163, c.coder, c.memo, created))
			put(tx, "idx_codings_by_doc", docID+c.id, []byte{})
			put(tx, "idx_coding_span", spanKey(docID, fearID, 130, 163, c.coder), c.id)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
}
