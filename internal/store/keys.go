package store

import (
	"encoding/binary"
	"strings"
)

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func beU64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

func byDocKey(docID, codingID string) []byte {
	return append([]byte(docID), codingID...)
}

// spanKey orders a document's codings by code then position, and makes
// "same coder, same code, same span" a single key.
func spanKey(c *Coding) []byte {
	k := make([]byte, 0, len(c.DocID)+len(c.CodeID)+16+len(c.Coder))
	k = append(k, c.DocID...)
	k = append(k, c.CodeID...)
	k = binary.BigEndian.AppendUint64(k, uint64(c.Start))
	k = binary.BigEndian.AppendUint64(k, uint64(c.End))
	return append(k, c.Coder...)
}

func labelKey(label string) []byte { return []byte(strings.ToLower(strings.TrimSpace(label))) }
