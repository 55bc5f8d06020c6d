package export

import "io"

// chunkSize is how much a chunkWriter collects before writing. It matches
// the CLI's file buffer, which then passes each chunk straight through.
const chunkSize = 256 << 10

// chunkWriter collects output in a buffer and writes it in large chunks:
// quote reports run to hundreds of megabytes, written as they are made.
// Writers append to buf and call flushed when they have finished a piece;
// the first error sticks and later writes are dropped.
type chunkWriter struct {
	w     io.Writer
	buf   []byte
	limit int // write once buf holds this much (chunkSize; tests use less)
	err   error
}

func newChunkWriter(w io.Writer) *chunkWriter {
	return &chunkWriter{w: w, buf: make([]byte, 0, chunkSize+chunkSize/4), limit: chunkSize}
}

// str appends strings.
func (c *chunkWriter) str(parts ...string) {
	for _, s := range parts {
		c.buf = append(c.buf, s...)
	}
}

// flushed writes the buffer out once it holds a chunk.
func (c *chunkWriter) flushed() {
	if len(c.buf) >= c.limit {
		c.write(len(c.buf))
	}
}

// write writes out the first n bytes of the buffer, keeping the rest.
func (c *chunkWriter) write(n int) {
	if c.err == nil {
		_, c.err = c.w.Write(c.buf[:n])
	}
	c.buf = c.buf[:copy(c.buf, c.buf[n:])]
}

// close writes what is left and returns the first error.
func (c *chunkWriter) close() error {
	c.write(len(c.buf))
	return c.err
}
