package transcript

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fuzzCaptions checks that parse never panics, fails only with *Error, and
// returns transcripts that satisfy the invariants.
func fuzzCaptions(f *testing.F, parse func(string, []byte) (*Transcript, error), name string, fixtures string) {
	files, _ := filepath.Glob(filepath.Join("testdata", fixtures))
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := parse(name, data)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not *Error", err, err)
			}
			return
		}
		checkCaptionInvariants(t, tr)
		for i, tu := range tr.Turns {
			if tu.TimeMS < 0 {
				t.Fatalf("turn %d: negative time %d", i, tu.TimeMS)
			}
		}
	})
}

func FuzzVTT(f *testing.F) {
	f.Add([]byte("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Dana>Hi &amp; <i>bye</i>\nthere</v>\n"))
	f.Add([]byte("WEBVTT\n\nNOTE x\n\nSTYLE\n::cue {}\n\n1\n00:00:01.000 --> 00:00:02.000\nA: Hi.\n\n2\n00:00:02.000 --> 00:00:03.000\nA: Again.\n"))
	f.Add([]byte("\xef\xbb\xbf00:01.000-->00:02.000\r\n[SPEAKER_00]: Tromsø <00:01.500><c>ja</c>\r\n"))
	fuzzCaptions(f, parseVTT, "fuzz.vtt", "*.vtt")
}

func FuzzSRT(f *testing.F) {
	f.Add([]byte("1\n00:00:01,000 --> 00:00:02,000\nA: <i>Hi</i> {\\an8}\n\n2\n00:00:03.000 --> 00:00:04.000\nA: Bye\n"))
	f.Add([]byte("1\n\n00:00:01,000 --> 00:00:02,000\n\ntext\n3\n00:00:05,000 --> 00:00:0x,000\n"))
	fuzzCaptions(f, parseSRT, "fuzz.srt", "*.srt")
}
