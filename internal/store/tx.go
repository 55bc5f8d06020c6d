package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/qcode-qda/qcode/codebook"
)

// Tx is a transaction with typed accessors. Records returned are copies:
// they stay valid after the transaction ends.
type Tx struct {
	tx *bolt.Tx
}

// ErrNotFound is returned by the getters for a missing id.
var ErrNotFound = errors.New("not found")

// ErrDuplicateCoding is returned by PutCoding when the same coder already
// applied the same code to exactly the same span.
var ErrDuplicateCoding = errors.New("the same coder already applied this code to this exact span")

func (t *Tx) bucket(name []byte) *bolt.Bucket {
	b := t.tx.Bucket(name)
	if b == nil {
		// Open verifies every bucket exists, so this is a programming
		// error (a bucket added without a migration), not bad input.
		panic(fmt.Sprintf("store: bucket %s missing", name))
	}
	return b
}

func getJSON(b *bolt.Bucket, key string, v any) error {
	data := b.Get([]byte(key))
	if data == nil {
		return ErrNotFound
	}
	return json.Unmarshal(data, v)
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

func forEachJSON[T any](b *bolt.Bucket, fn func(*T) error) error {
	return b.ForEach(func(k, v []byte) error {
		var rec T
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("damaged record %s: %w", k, err)
		}
		return fn(&rec)
	})
}

// --- documents ---

// Document returns the document with id.
func (t *Tx) Document(id string) (Document, error) {
	var d Document
	return d, getJSON(t.bucket(bucketDocuments), id, &d)
}

// Documents returns every document, in id order.
func (t *Tx) Documents() ([]Document, error) {
	var out []Document
	return out, forEachJSON(t.bucket(bucketDocuments), func(d *Document) error { out = append(out, *d); return nil })
}

// PutDocument stores a document's metadata. text is stored only when the
// document is new: text is immutable once imported.
func (t *Tx) PutDocument(d Document, text string) error {
	docs := t.bucket(bucketDocuments)
	isNew := docs.Get([]byte(d.ID)) == nil
	if err := putJSON(docs, d.ID, d); err != nil {
		return err
	}
	if !isNew {
		return nil
	}
	if err := t.bucket(bucketTexts).Put([]byte(d.ID), []byte(text)); err != nil {
		return err
	}
	return t.bucket(bucketDocSHA).Put([]byte(d.TextSHA256), []byte(d.ID))
}

// Text returns a document's text.
func (t *Tx) Text(docID string) (string, error) {
	b := t.bucket(bucketTexts).Get([]byte(docID))
	if b == nil {
		return "", ErrNotFound
	}
	return string(b), nil
}

// DocumentBySHA returns the id of the document whose text has this SHA-256.
func (t *Tx) DocumentBySHA(sha string) (string, bool) {
	v := t.bucket(bucketDocSHA).Get([]byte(sha))
	return string(v), v != nil
}

// --- participants ---

// Participant returns the participant with id.
func (t *Tx) Participant(id string) (Participant, error) {
	var p Participant
	return p, getJSON(t.bucket(bucketParticipants), id, &p)
}

// ParticipantByLabel finds a participant by label, ignoring case.
func (t *Tx) ParticipantByLabel(label string) (Participant, error) {
	id := t.bucket(bucketParticipantIx).Get(labelKey(label))
	if id == nil {
		return Participant{}, ErrNotFound
	}
	return t.Participant(string(id))
}

// Participants returns every participant, in id order.
func (t *Tx) Participants() ([]Participant, error) {
	var out []Participant
	return out, forEachJSON(t.bucket(bucketParticipants), func(p *Participant) error { out = append(out, *p); return nil })
}

// PutParticipant stores p. Labels are unique, ignoring case.
func (t *Tx) PutParticipant(p Participant) error {
	ix := t.bucket(bucketParticipantIx)
	if owner := ix.Get(labelKey(p.Label)); owner != nil && string(owner) != p.ID {
		return fmt.Errorf("participant label %q is already taken", p.Label)
	}
	if old, err := t.Participant(p.ID); err == nil && !bytes.Equal(labelKey(old.Label), labelKey(p.Label)) {
		if err := ix.Delete(labelKey(old.Label)); err != nil {
			return err
		}
	}
	if err := putJSON(t.bucket(bucketParticipants), p.ID, p); err != nil {
		return err
	}
	return ix.Put(labelKey(p.Label), []byte(p.ID))
}

// --- codebook ---

// CodebookInfo returns the codebook's name, description and frameworks.
func (t *Tx) CodebookInfo() (CodebookInfo, error) {
	var info CodebookInfo
	err := getJSON(t.bucket(bucketMeta), string(keyCodebook), &info)
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	return info, err
}

// PutCodebookInfo stores the codebook's metadata.
func (t *Tx) PutCodebookInfo(info CodebookInfo) error {
	return putJSON(t.bucket(bucketMeta), string(keyCodebook), info)
}

// Code returns the code with id.
func (t *Tx) Code(id string) (codebook.Code, error) {
	var c codebook.Code
	return c, getJSON(t.bucket(bucketCodes), id, &c)
}

// Codes returns every code in codebook order: the order codes were added
// (a codebook file's order), which is the order researchers see them in.
func (t *Tx) Codes() ([]codebook.Code, error) {
	byID := map[string]codebook.Code{}
	err := forEachJSON(t.bucket(bucketCodes), func(c *codebook.Code) error { byID[c.ID] = *c; return nil })
	if err != nil {
		return nil, err
	}
	order, err := t.codeOrder()
	if err != nil {
		return nil, err
	}
	out := make([]codebook.Code, 0, len(byID))
	for _, id := range order {
		if c, ok := byID[id]; ok {
			out = append(out, c)
			delete(byID, id)
		}
	}
	// Codes missing from the order list (a damaged list) follow, by name.
	rest := make([]codebook.Code, 0, len(byID))
	for _, c := range byID {
		rest = append(rest, c)
	}
	slices.SortFunc(rest, func(a, b codebook.Code) int { return strings.Compare(a.Name+a.ID, b.Name+b.ID) })
	return append(out, rest...), nil
}

func (t *Tx) codeOrder() ([]string, error) {
	var order []string
	err := getJSON(t.bucket(bucketMeta), string(keyCodeOrder), &order)
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	return order, err
}

// PutCode stores c; a new code goes to the end of the codebook order.
func (t *Tx) PutCode(c codebook.Code) error {
	codes := t.bucket(bucketCodes)
	if codes.Get([]byte(c.ID)) == nil {
		order, err := t.codeOrder()
		if err != nil {
			return err
		}
		if err := putJSON(t.bucket(bucketMeta), string(keyCodeOrder), append(order, c.ID)); err != nil {
			return err
		}
	}
	return putJSON(codes, c.ID, c)
}

// SetCodeOrder replaces the codebook order (ids not listed follow by name).
func (t *Tx) SetCodeOrder(ids []string) error {
	return putJSON(t.bucket(bucketMeta), string(keyCodeOrder), ids)
}

// DeleteCode removes a code record. Callers deal with its codings and
// children first.
func (t *Tx) DeleteCode(id string) error {
	order, err := t.codeOrder()
	if err != nil {
		return err
	}
	if i := slices.Index(order, id); i >= 0 {
		if err := putJSON(t.bucket(bucketMeta), string(keyCodeOrder), slices.Delete(order, i, i+1)); err != nil {
			return err
		}
	}
	return t.bucket(bucketCodes).Delete([]byte(id))
}

// Anchors returns imported framework anchor texts, by item id.
func (t *Tx) Anchors() (map[string]string, error) {
	m := map[string]string{}
	err := getJSON(t.bucket(bucketMeta), string(keyAnchors), &m)
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	return m, err
}

// PutAnchors stores framework anchor texts, by item id.
func (t *Tx) PutAnchors(m map[string]string) error {
	return putJSON(t.bucket(bucketMeta), string(keyAnchors), m)
}

// --- codings ---

// Coding returns the coding with id.
func (t *Tx) Coding(id string) (Coding, error) {
	v := t.bucket(bucketCodings).Get([]byte(id))
	if v == nil {
		return Coding{}, ErrNotFound
	}
	return decodeCoding([]byte(id), v)
}

// ForEachCoding calls fn for every coding without collecting them.
// It reads the bucket in key order, the fastest way through all codings.
func (t *Tx) ForEachCoding(fn func(*Coding) error) error {
	return t.bucket(bucketCodings).ForEach(func(k, v []byte) error {
		c, err := decodeCoding(k, v)
		if err != nil {
			return fmt.Errorf("coding %s: %w", k, err)
		}
		return fn(&c)
	})
}

// ForEachCodingFields calls fn with every coding's raw fields (see
// CodingFields), in key order.
func (t *Tx) ForEachCodingFields(fn func(*CodingFields) error) error {
	var f CodingFields
	return t.bucket(bucketCodings).ForEach(func(k, v []byte) error {
		if err := decodeFields(k, v, &f); err != nil {
			return fmt.Errorf("coding %s: %w", k, err)
		}
		return fn(&f)
	})
}

// CodingsOfDocument returns a document's codings through the by-document
// index, so its cost follows the document, not the project.
func (t *Tx) CodingsOfDocument(docID string) ([]Coding, error) {
	var out []Coding
	codings := t.bucket(bucketCodings)
	prefix := []byte(docID)
	cur := t.bucket(bucketCodingsByDoc).Cursor()
	for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
		id := k[len(prefix):]
		data := codings.Get(id)
		if data == nil {
			return nil, fmt.Errorf("index lists coding %s that does not exist (run qcode check --repair)", id)
		}
		c, err := decodeCoding(id, data)
		if err != nil {
			return nil, fmt.Errorf("coding %s: %w", id, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// PutCoding stores c, keeping the indexes in step. It refuses a second
// coding by the same coder with the same code on the same span.
func (t *Tx) PutCoding(c Coding) error {
	span := t.bucket(bucketCodingSpan)
	if owner := span.Get(spanKey(&c)); owner != nil && string(owner) != c.ID {
		return ErrDuplicateCoding
	}
	if old, err := t.Coding(c.ID); err == nil {
		if err := span.Delete(spanKey(&old)); err != nil {
			return err
		}
	}
	if err := t.bucket(bucketCodings).Put([]byte(c.ID), encodeCoding(&c)); err != nil {
		return err
	}
	if err := t.bucket(bucketCodingsByDoc).Put(byDocKey(c.DocID, c.ID), nil); err != nil {
		return err
	}
	return span.Put(spanKey(&c), []byte(c.ID))
}

// DuplicateCodingError says which coding of a batch repeats a stored one
// (or an earlier one in the same batch).
type DuplicateCodingError struct{ Index int }

func (e *DuplicateCodingError) Error() string {
	return fmt.Sprintf("coding %d: %v", e.Index+1, ErrDuplicateCoding)
}

func (e *DuplicateCodingError) Unwrap() error { return ErrDuplicateCoding }

// PutCodings stores new codings (ids not yet in the project) with their
// index entries. It checks every coding first, then writes each bucket's
// keys in sorted order: bbolt inserts into an in-memory leaf by shifting
// it, so random-order inserts of a large batch into one transaction cost
// O(n²), while sorted inserts append.
func (t *Tx) PutCodings(cs []Coding) error {
	codings, byDoc, span := t.bucket(bucketCodings), t.bucket(bucketCodingsByDoc), t.bucket(bucketCodingSpan)
	type kv struct{ k, v []byte }
	recs, docKeys, spanKeys := make([]kv, len(cs)), make([]kv, len(cs)), make([]kv, len(cs))
	inBatch := make(map[string]bool, len(cs))
	for i := range cs {
		c := &cs[i]
		sk := spanKey(c)
		if span.Get(sk) != nil || inBatch[string(sk)] {
			return &DuplicateCodingError{Index: i}
		}
		if codings.Get([]byte(c.ID)) != nil {
			return fmt.Errorf("coding id %s already exists", c.ID)
		}
		inBatch[string(sk)] = true
		recs[i] = kv{[]byte(c.ID), encodeCoding(c)}
		docKeys[i] = kv{byDocKey(c.DocID, c.ID), nil}
		spanKeys[i] = kv{sk, []byte(c.ID)}
	}
	for _, set := range []struct {
		b   *bolt.Bucket
		kvs []kv
	}{{codings, recs}, {byDoc, docKeys}, {span, spanKeys}} {
		slices.SortFunc(set.kvs, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
		// Sorted inserts fill pages left to right; bbolt's default split
		// point (half full) would leave every page of a large batch half
		// empty and the file twice as big as needed.
		if len(set.kvs) > 1000 {
			set.b.FillPercent = 0.9
		}
		for _, e := range set.kvs {
			if err := set.b.Put(e.k, e.v); err != nil {
				return err
			}
		}
	}
	return nil
}

// HasCoding reports whether a coding with id exists.
func (t *Tx) HasCoding(id string) bool { return t.bucket(bucketCodings).Get([]byte(id)) != nil }

// SpanOwner returns the id of the coding by the same coder with the same
// code on exactly the same span of the same document as c, if there is one.
func (t *Tx) SpanOwner(c *Coding) (string, bool) {
	v := t.bucket(bucketCodingSpan).Get(spanKey(c))
	return string(v), v != nil
}

// ReplaceCodings drops every coding (and the coding indexes) and stores cs
// instead, as PutCodings does. Emptying the buckets wholesale is much
// cheaper than deleting a large project's codings one by one.
func (t *Tx) ReplaceCodings(cs []Coding) error {
	for _, name := range [][]byte{bucketCodings, bucketCodingsByDoc, bucketCodingSpan} {
		if err := t.tx.DeleteBucket(name); err != nil {
			return err
		}
		if _, err := t.tx.CreateBucket(name); err != nil {
			return err
		}
	}
	return t.PutCodings(cs)
}

// DeleteCoding removes a coding and its index entries.
func (t *Tx) DeleteCoding(id string) error {
	c, err := t.Coding(id)
	if err != nil {
		return err
	}
	if err := t.bucket(bucketCodingSpan).Delete(spanKey(&c)); err != nil {
		return err
	}
	if err := t.bucket(bucketCodingsByDoc).Delete(byDocKey(c.DocID, c.ID)); err != nil {
		return err
	}
	return t.bucket(bucketCodings).Delete([]byte(id))
}

// FidelityScores returns recorded fidelity review scores: site -> item id
// ("ips25:13") -> score.
func (t *Tx) FidelityScores() (map[string]map[string]int, error) {
	m := map[string]map[string]int{}
	err := getJSON(t.bucket(bucketMeta), string(keyFidelity), &m)
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	return m, err
}

// PutFidelityScores replaces the recorded fidelity review scores.
func (t *Tx) PutFidelityScores(m map[string]map[string]int) error {
	return putJSON(t.bucket(bucketMeta), string(keyFidelity), m)
}

// --- batches ---

// PutBatch stores a batch record.
func (t *Tx) PutBatch(b Batch) error { return putJSON(t.bucket(bucketBatches), b.ID, b) }

// Batch returns the batch with id.
func (t *Tx) Batch(id string) (Batch, error) {
	var b Batch
	return b, getJSON(t.bucket(bucketBatches), id, &b)
}

// Batches returns every batch, in id order.
func (t *Tx) Batches() ([]Batch, error) {
	var out []Batch
	return out, forEachJSON(t.bucket(bucketBatches), func(b *Batch) error { out = append(out, *b); return nil })
}

// DeleteBatch removes a batch record (not its codings).
func (t *Tx) DeleteBatch(id string) error { return t.bucket(bucketBatches).Delete([]byte(id)) }

// --- saved queries ---

// SavedQueries returns the saved queries by name.
func (t *Tx) SavedQueries() (map[string]SavedQuery, error) {
	m := map[string]SavedQuery{}
	err := getJSON(t.bucket(bucketMeta), string(keyQueries), &m)
	if errors.Is(err, ErrNotFound) {
		err = nil
	}
	return m, err
}

// PutSavedQueries replaces the saved queries.
func (t *Tx) PutSavedQueries(m map[string]SavedQuery) error {
	return putJSON(t.bucket(bucketMeta), string(keyQueries), m)
}

// --- meta ---

// Memo returns the project memo.
func (t *Tx) Memo() string { return string(t.bucket(bucketMeta).Get(keyMemo)) }

// SetMemo stores the project memo.
func (t *Tx) SetMemo(m string) error { return t.bucket(bucketMeta).Put(keyMemo, []byte(m)) }

// Generation identifies the file's state: it changes with every
// committed write (it is bbolt's transaction id), so a client can keep
// what it read and know when to read it again.
func (t *Tx) Generation() int64 { return int64(t.tx.ID()) }

// SchemaVersion returns the file's schema version.
func (t *Tx) SchemaVersion() int { return int(beU64(t.bucket(bucketMeta).Get(keySchemaVersion))) }
