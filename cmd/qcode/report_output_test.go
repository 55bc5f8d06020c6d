package main

import (
	"bytes"
	"errors"
	"testing"
)

// failAfter accepts n bytes, then fails.
type failAfter struct {
	n   int
	got bytes.Buffer
}

var errDiskFull = errors.New("no space left on device")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.got.Len()+len(p) > f.n {
		return 0, errDiskFull
	}
	return f.got.Write(p)
}

func TestOverlapWriter(t *testing.T) {
	// Everything arrives, in order, though the caller reuses its buffer.
	var dst bytes.Buffer
	o := newOverlapWriter(&dst)
	var want bytes.Buffer
	p := make([]byte, 0, 1<<20)
	for i := range 200 {
		p = p[:0]
		for j := range i * 997 % (300 << 10) {
			p = append(p, byte('a'+(i+j)%26))
		}
		want.Write(p)
		if n, err := o.Write(p); n != len(p) || err != nil {
			t.Fatalf("write %d: %d, %v", i, n, err)
		}
		clear(p)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(dst.Bytes(), want.Bytes()) {
		t.Fatalf("wrote %d bytes, not the %d given", dst.Len(), want.Len())
	}

	// A failed write is reported by a later Write, and by Close.
	f := &failAfter{n: 1000}
	o = newOverlapWriter(f)
	var werr error
	for i := 0; i < 100000 && werr == nil; i++ {
		_, werr = o.Write(make([]byte, 100))
	}
	if err := o.Close(); !errors.Is(err, errDiskFull) || !errors.Is(werr, errDiskFull) {
		t.Errorf("Write error %v, Close error %v; want %v", werr, err, errDiskFull)
	}
	if f.got.Len() != 1000 {
		t.Errorf("%d bytes written before the failure, want 1000", f.got.Len())
	}
}
