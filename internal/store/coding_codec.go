package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"
)

// Codings are the most numerous records (a large project has millions), and
// every report reads all of them, so they are stored in a compact binary
// form rather than JSON (schema 3 on). The key is the coding id, so the
// value holds only:
//
//	byte     format version (codingFormat)
//	string   doc id        (uvarint length, bytes)
//	string   code id
//	uvarint  start, end    (rune offsets)
//	string   coder
//	string   memo
//	varint   created, updated (Unix nanoseconds, UTC)
//
// decodeCoding also reads the JSON records of schemas 1 and 2, so the
// migrations that run before re-encoding can still read them.
const codingFormat = 1

var errBadCoding = errors.New("damaged coding record")

func encodeCoding(c *Coding) []byte {
	b := make([]byte, 0, 1+4*10+len(c.DocID)+len(c.CodeID)+len(c.Coder)+len(c.Memo)+2*10)
	b = append(b, codingFormat)
	for _, s := range []string{c.DocID, c.CodeID} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(c.Start))
	b = binary.AppendUvarint(b, uint64(c.End))
	for _, s := range []string{c.Coder, c.Memo} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendVarint(b, c.Created.UnixNano())
	return binary.AppendVarint(b, c.Updated.UnixNano())
}

func decodeCoding(key, v []byte) (Coding, error) {
	var c Coding
	if len(v) > 0 && v[0] == '{' {
		err := json.Unmarshal(v, &c)
		return c, err
	}
	if len(v) == 0 || v[0] != codingFormat {
		return c, errBadCoding
	}
	c.ID = string(key)
	d := decoder{b: v[1:]}
	c.DocID, c.CodeID = d.str(), d.str()
	c.Start, c.End = int(d.uvarint()), int(d.uvarint())
	c.Coder, c.Memo = d.str(), d.str()
	c.Created, c.Updated = time.Unix(0, d.varint()).UTC(), time.Unix(0, d.varint()).UTC()
	if d.err || len(d.b) != 0 {
		return Coding{}, errBadCoding
	}
	return c, nil
}

// decoder reads the fields above, remembering the first error so callers
// check once at the end.
type decoder struct {
	b   []byte
	err bool
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = true, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string { return string(d.bytes()) }

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err || n > uint64(len(d.b)) {
		d.err, d.b = true, nil
		return nil
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}

// CodingFields is a coding as raw bytes, valid only during the callback of
// ForEachCodingFields: the fastest way to read millions of codings when
// the caller maps the repeating fields to its own values.
type CodingFields struct {
	ID, DocID, CodeID, Coder, Memo []byte
	Start, End                     int
}

// decodeFields fills f from a binary record without allocating; legacy
// JSON records are decoded the slow way.
func decodeFields(key, v []byte, f *CodingFields) error {
	if len(v) > 0 && v[0] == codingFormat {
		d := decoder{b: v[1:]}
		f.ID = key
		f.DocID, f.CodeID = d.bytes(), d.bytes()
		f.Start, f.End = int(d.uvarint()), int(d.uvarint())
		f.Coder, f.Memo = d.bytes(), d.bytes()
		d.varint()
		d.varint()
		if !d.err && len(d.b) == 0 {
			return nil
		}
		return errBadCoding
	}
	c, err := decodeCoding(key, v)
	if err != nil {
		return err
	}
	*f = CodingFields{ID: key, DocID: []byte(c.DocID), CodeID: []byte(c.CodeID), Coder: []byte(c.Coder), Memo: []byte(c.Memo), Start: c.Start, End: c.End}
	return nil
}
