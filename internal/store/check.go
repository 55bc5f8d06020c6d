package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/qcode-qda/qcode/codebook"
)

// Problem is one thing Check found wrong.
type Problem struct {
	Area string // "file", "document", "participant", "code", "coding", "batch", "index"
	ID   string // the record at fault, when there is one
	Msg  string
}

func (p Problem) String() string {
	if p.ID != "" {
		return fmt.Sprintf("%s %s: %s", p.Area, p.ID, p.Msg)
	}
	return p.Area + ": " + p.Msg
}

// Check runs bbolt's own consistency check (page structure, free list)
// and qcode's invariants: every document's text exists and matches its
// SHA-256 and length, turns lie inside the text in order, every coding's
// document and code exist and its span lies inside the text, codes'
// parents exist without cycles, batch records are readable, and every
// index agrees with the records. (A batch may list codings removed since,
// one by one: that is not a problem.)
// At most limit problems are returned (0: no limit).
func (s *Store) Check(limit int) ([]Problem, error) {
	var out []Problem
	full := func() bool { return limit > 0 && len(out) >= limit }
	add := func(area, id, format string, args ...any) {
		if !full() {
			out = append(out, Problem{area, id, fmt.Sprintf(format, args...)})
		}
	}
	err := s.db.View(func(btx *bolt.Tx) error {
		for err := range btx.Check() {
			add("file", "", "%v", err)
		}
		t := &Tx{tx: btx}
		docs := map[string]Document{}
		if err := btx.Bucket(bucketDocuments).ForEach(func(k, v []byte) error {
			var d Document
			if err := json.Unmarshal(v, &d); err != nil {
				add("document", string(k), "damaged record: %v", err)
				return nil
			}
			docs[d.ID] = d
			checkDocument(t, d, add)
			return nil
		}); err != nil {
			return err
		}
		people := map[string]Participant{}
		if err := btx.Bucket(bucketParticipants).ForEach(func(k, v []byte) error {
			var p Participant
			if err := json.Unmarshal(v, &p); err != nil {
				add("participant", string(k), "damaged record: %v", err)
				return nil
			}
			people[p.ID] = p
			return nil
		}); err != nil {
			return err
		}
		for _, d := range docs {
			for i, tr := range d.Turns {
				if _, ok := people[tr.ParticipantID]; tr.ParticipantID != "" && !ok {
					add("document", d.ID, "turn %d names participant %s, which does not exist", i+1, tr.ParticipantID)
				}
			}
		}
		codes, err := t.Codes()
		if err != nil {
			add("code", "", "%v", err)
		}
		codeIDs := map[string]bool{}
		for _, c := range codes {
			codeIDs[c.ID] = true
		}
		for _, pr := range codebook.Lint(&codebook.Codebook{Codes: codes}) {
			if pr.Severity == "error" && (pr.Rule == "missing-parent" || pr.Rule == "parent-cycle" || pr.Rule == "duplicate-id" || pr.Rule == "missing-id") {
				add("code", pr.CodeID, "%s", pr.Message)
			}
		}
		want := wantIndexes{docSHA: map[string]string{}, labels: map[string]string{}, byDoc: map[string]bool{}, span: map[string]string{}}
		for _, d := range docs {
			want.docSHA[d.TextSHA256] = d.ID
		}
		for _, p := range people {
			want.labels[string(labelKey(p.Label))] = p.ID
		}
		if err := btx.Bucket(bucketCodings).ForEach(func(k, v []byte) error {
			c, err := decodeCoding(k, v)
			if err != nil {
				add("coding", string(k), "damaged record: %v", err)
				return nil
			}
			c.ID = string(k)
			d, ok := docs[c.DocID]
			switch {
			case !ok:
				add("coding", c.ID, "its document %s does not exist", c.DocID)
			case c.Start < 0 || c.End <= c.Start || c.End > d.Runes:
				add("coding", c.ID, "span %d:%d is not inside %s (0:%d)", c.Start, c.End, d.Name, d.Runes)
			}
			if !codeIDs[c.CodeID] {
				add("coding", c.ID, "its code %s does not exist", c.CodeID)
			}
			if c.Coder == "" {
				add("coding", c.ID, "has no coder")
			}
			want.byDoc[string(byDocKey(c.DocID, c.ID))] = true
			want.span[string(spanKey(&c))] = c.ID
			return nil
		}); err != nil {
			return err
		}
		if err := btx.Bucket(bucketBatches).ForEach(func(k, v []byte) error {
			var b Batch
			if err := json.Unmarshal(v, &b); err != nil {
				add("batch", string(k), "damaged record: %v", err)
			} else if b.ID != string(k) {
				add("batch", string(k), "its record says id %s", b.ID)
			}
			return nil
		}); err != nil {
			return err
		}
		want.compare(btx, add)
		return nil
	})
	return out, err
}

func checkDocument(t *Tx, d Document, add func(area, id, format string, args ...any)) {
	text, err := t.Text(d.ID)
	if err != nil {
		add("document", d.ID, "%s has no text", d.Name)
		return
	}
	sum := sha256.Sum256([]byte(text))
	if hex.EncodeToString(sum[:]) != d.TextSHA256 {
		add("document", d.ID, "the text of %s does not match its SHA-256: it was changed after import", d.Name)
	}
	if n := utf8.RuneCountInString(text); n != d.Runes {
		add("document", d.ID, "%s: stored length %d runes, text has %d", d.Name, d.Runes, n)
	}
	prevEnd := 0
	for i, tr := range d.Turns {
		if tr.Start < prevEnd || tr.End < tr.Start || tr.End > d.Runes {
			add("document", d.ID, "%s: turn %d (%d:%d) is out of order or outside the text", d.Name, i+1, tr.Start, tr.End)
		}
		prevEnd = tr.End
	}
}

// wantIndexes is what the idx_ buckets must hold, derived from the records.
type wantIndexes struct {
	docSHA, labels, span map[string]string
	byDoc                map[string]bool
}

func (w wantIndexes) compare(btx *bolt.Tx, add func(area, id, format string, args ...any)) {
	check := func(bucket []byte, want map[string]string) {
		seen := 0
		btx.Bucket(bucket).ForEach(func(k, v []byte) error {
			exp, ok := want[string(k)]
			switch {
			case !ok:
				add("index", "", "%s has an entry no record explains (%q)", bucket, printable(k))
			case exp != string(v):
				add("index", "", "%s entry %q points to %s, not %s", bucket, printable(k), v, exp)
			default:
				seen++
			}
			return nil
		})
		if seen < len(want) {
			var missing []string
			for k := range want {
				if btx.Bucket(bucket).Get([]byte(k)) == nil {
					missing = append(missing, printable([]byte(k)))
				}
			}
			sort.Strings(missing)
			add("index", "", "%s lacks %d entr(ies), e.g. %q", bucket, len(missing), missing[0])
		}
	}
	check(bucketDocSHA, w.docSHA)
	check(bucketParticipantIx, w.labels)
	check(bucketCodingSpan, w.span)
	byDoc := make(map[string]string, len(w.byDoc))
	for k := range w.byDoc {
		byDoc[k] = ""
	}
	check(bucketCodingsByDoc, byDoc)
}

// printable shows an index key without its binary parts.
func printable(k []byte) string {
	return string(bytes.Map(func(r rune) rune {
		if r < 0x20 || r == utf8.RuneError {
			return '·'
		}
		return r
	}, k))
}

// Repair rebuilds every index from the records, in one transaction.
func (s *Store) Repair() error {
	return s.db.Update(func(btx *bolt.Tx) error { return rebuildIndexes(btx) })
}
