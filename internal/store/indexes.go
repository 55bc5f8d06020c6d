package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// rebuildIndexes recreates every idx_ bucket from the records (used by
// migrations and Store.Repair).
func rebuildIndexes(tx *bolt.Tx) error {
	for _, name := range indexBuckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	docSHA, labels := tx.Bucket(bucketDocSHA), tx.Bucket(bucketParticipantIx)
	byDoc, span := tx.Bucket(bucketCodingsByDoc), tx.Bucket(bucketCodingSpan)
	err := tx.Bucket(bucketDocuments).ForEach(func(k, v []byte) error {
		var d Document
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("document %s: %w", k, err)
		}
		return docSHA.Put([]byte(d.TextSHA256), []byte(d.ID))
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketParticipants).ForEach(func(k, v []byte) error {
		var p Participant
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("participant %s: %w", k, err)
		}
		return labels.Put(labelKey(p.Label), []byte(p.ID))
	})
	if err != nil {
		return err
	}
	return tx.Bucket(bucketCodings).ForEach(func(k, v []byte) error {
		c, err := decodeCoding(k, v)
		if err != nil {
			return fmt.Errorf("coding %s: %w", k, err)
		}
		if err := byDoc.Put(byDocKey(c.DocID, c.ID), nil); err != nil {
			return err
		}
		return span.Put(spanKey(&c), []byte(c.ID))
	})
}
