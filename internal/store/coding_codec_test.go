package store

import (
	"testing"
	"time"
)

func TestCodingCodecRoundTrip(t *testing.T) {
	c := Coding{ID: "11111111-1111-4111-8111-111111111111", DocID: "d0000000-0000-4000-8000-000000000001", CodeID: "c0000000-0000-4000-8000-000000000001",
		Start: 0, End: 1 << 40, Coder: "Åse", Memo: "line one\nline two — “quoted”",
		Created: time.Date(2026, 11, 23, 12, 0, 0, 123456789, time.UTC), Updated: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)}
	got, err := decodeCoding([]byte(c.ID), encodeCoding(&c))
	if err != nil {
		t.Fatal(err)
	}
	if got != c {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, c)
	}
}

func TestDamagedCodingRecordsAreErrors(t *testing.T) {
	c := Coding{ID: "x", DocID: "d", CodeID: "c", Start: 1, End: 5, Coder: "amina"}
	good := encodeCoding(&c)
	for name, v := range map[string][]byte{
		"empty":          nil,
		"unknown format": append([]byte{9}, good[1:]...),
		"truncated":      good[:len(good)-3],
		"trailing bytes": append(append([]byte(nil), good...), 0),
		"huge length":    {codingFormat, 0xff, 0xff, 0xff, 0xff, 0x0f},
	} {
		if _, err := decodeCoding([]byte("x"), v); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}
