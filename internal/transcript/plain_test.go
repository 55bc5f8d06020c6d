package transcript

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPlainWindows1252CRLF(t *testing.T) {
	tr := parseTextFixture(t, "txt_cp1252_crlf.txt", Options{})
	if tr.Encoding != "windows-1252" || tr.Format != "txt" {
		t.Errorf("encoding %q format %q", tr.Encoding, tr.Format)
	}
	if !strings.HasPrefix(tr.Text, "Interview 7 – Tromsø site\nDate: 3 March 2024\n") {
		t.Errorf("text starts %q", tr.Text[:40])
	}
	wantSpeakers(t, tr, "Interviewer", "P3", "Interviewer", "P3")
	wantSaid(t, tr, 0, "Thanks for meeting me at the café. How did you find the programme?")
	wantSaid(t, tr, 1, "My friend said “just go to the office”, so I did. [laughs]")
	wantSaid(t, tr, 3, "Not really (.) the bus was late ((coughs)) but the staff were kind.\n\nI went back the next week – with my CV.")
	// The preamble (title, "Date:", "Note:") is in the text but in no turn.
	if start := strings.Index(tr.Text, "Thanks"); tr.Turns[0].Start != len([]rune(tr.Text[:start])) {
		t.Errorf("first turn starts at %d", tr.Turns[0].Start)
	}
	if got := turnTimes(tr); !slices.Equal(got, []int64{-1, -1, -1, -1}) {
		t.Errorf("times = %v, want all unknown", got)
	}
}

func TestPlainUTF16LEWithBOM(t *testing.T) {
	tr := parseTextFixture(t, "txt_utf16le_bom.txt", Options{})
	if tr.Encoding != "utf-16le" {
		t.Errorf("encoding %q", tr.Encoding)
	}
	wantSpeakers(t, tr, "I", "P1", "I", "P1")
	wantSaid(t, tr, 1, "Yes. I brought my notes 🙂 from the job fair.")
	// After a character outside the BMP, offsets are still runes.
	wantSaid(t, tr, 3, "Mostly warehouse jobs. Naïve me thought I’d get an office job.")
}

func TestMarkdownBoldLabelsUTF8BOM(t *testing.T) {
	tr := parseTextFixture(t, "md_utf8_bom_bold.md", Options{})
	if tr.Encoding != "utf-8-bom" || tr.Format != "md" {
		t.Errorf("encoding %q format %q", tr.Encoding, tr.Format)
	}
	if !strings.HasPrefix(tr.Text, "# Focus group 2 — Site A\n") {
		t.Errorf("text starts %q", tr.Text[:30])
	}
	// "**Note:**" labels one line; FG2-P4 speaks once but is numbered like FG2-P3.
	wantSpeakers(t, tr, "Interviewer", "FG2-P3", "Interviewer", "FG2-P3", "FG2-P4")
	wantSaid(t, tr, 1, "I'm P3. I've been in the programme since *January*.")
	wantSaid(t, tr, 2, "What has helped most?")
	wantSaid(t, tr, 3, "Honestly? The weekly check-ins.\nThey made me feel someone was keeping track.")
}

func TestPlainOtterHeaders(t *testing.T) {
	tr := parseTextFixture(t, "txt_otter.txt", Options{})
	// Lisa B. speaks once; header lines with a time are specific enough.
	wantSpeakers(t, tr, "Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2", "Lisa B.", "Speaker 1", "Speaker 2")
	if got, want := turnTimes(tr), []int64{3000, 9000, 12000, 18000, 62000, 65000, 3723000}; !slices.Equal(got, want) {
		t.Errorf("times = %v, want %v", got, want)
	}
	wantSaid(t, tr, 3, "Sure. My counselor mentioned it, um, in maybe March? [inaudible] She gave me a flyer.\n\nAnd then I called the number on it the same week.")
	wantSaid(t, tr, 4, "Sorry to interrupt, the room is booked at 10:30.")
}

func TestPlainZoomSavedCaptions(t *testing.T) {
	tr := parseTextFixture(t, "txt_zoom_captions.txt", Options{})
	wantSpeakers(t, tr, "Dana Reyes", "Sam Okafor", "Dana Reyes", "Sam Okafor")
	if got, want := turnTimes(tr), []int64{36131000, 36135000, 36139000, 36151000}; !slices.Equal(got, want) {
		t.Errorf("times = %v, want %v", got, want)
	}
	wantSaid(t, tr, 3, "It was hard. [crosstalk] Sorry, go ahead.\nThe manager was patient though.")
}

func TestPlainTimestampedLabels(t *testing.T) {
	tr := parseTextFixture(t, "txt_timestamps.txt", Options{})
	wantSpeakers(t, tr, "Dana", "P5", "Dana", "P5", "Dana")
	if got, want := turnTimes(tr), []int64{5000, 83000, 130000, 180000, 255500}; !slices.Equal(got, want) {
		t.Errorf("times = %v, want %v", got, want)
	}
	wantSaid(t, tr, 1, "At the bakery on Main Street. I start at 10:30 every day.")
	wantSaid(t, tr, 3, "The job coach, Ms. Ito, drove me to the interview (.) twice, actually.")
}

func TestPlainRevLabels(t *testing.T) {
	tr := parseTextFixture(t, "txt_rev.txt", Options{})
	// Speaker 3 speaks once: labels with a time are established by the others.
	wantSpeakers(t, tr, "Speaker 1", "Speaker 2", "Speaker 3", "Speaker 1")
	if got, want := turnTimes(tr), []int64{0, 4000, 15000, 3730000}; !slices.Equal(got, want) {
		t.Errorf("times = %v, want %v", got, want)
	}
	wantSaid(t, tr, 1, "Sure. I'm a peer support worker at Site B. I've been there since 2021.")
	wantSaid(t, tr, 3, "Last question: what would you change?")
}

func TestPlainAtlasLabels(t *testing.T) {
	tr := parseTextFixture(t, "txt_atlas.txt", Options{})
	wantSpeakers(t, tr, "Tom", "Interviewer", "Tom", "Ana", "Interviewer", "Ana")
	wantSaid(t, tr, 2, "Nobody explained it. ((coughs)) It's four pages.")
	wantSaid(t, tr, 3, "I agree with Tom.\nIt took me an hour the first time.")
}

func TestPlainFalsePositiveTraps(t *testing.T) {
	tr := parseTextFixture(t, "txt_traps.txt", Options{})
	// Not speakers: "Note:" and "Consent form signed:" (preamble, once),
	// the URL, "The team said:", "Visitor:" (once), "Why was that?:",
	// "\"Stop\":", a seven-word label, and "Sam O'Brien:" with nothing said.
	wantSpeakers(t, tr, "Interviewer", "Sam O'Brien", "Interviewer", "Sam O'Brien", "Interviewer", "Interviewer")
	wantSaid(t, tr, 1, "The team was small, five people.\nThe team said: no overtime in the first month.")
	wantSaid(t, tr, 3, "Mostly. We met at 10:30 every day.\nVisitor: Sorry, is this room free?\nWhy was that?: I asked myself the same.\n\"Stop\": that's what my manager said.\nOne of the people in the office: said hello.")
	wantSaid(t, tr, 4, "Okay. Anything else?")

	// The user confirms Visitor as a speaker.
	tr = parseTextFixture(t, "txt_traps.txt", Options{Speakers: []string{"Interviewer", "Sam O'Brien", "VISITOR"}})
	wantSpeakers(t, tr, "Interviewer", "Sam O'Brien", "Interviewer", "Sam O'Brien", "Visitor", "Interviewer", "Interviewer")
	wantSaid(t, tr, 4, "Sorry, is this room free?\nWhy was that?: I asked myself the same.\n\"Stop\": that's what my manager said.\nOne of the people in the office: said hello.")
}

func TestPlainTextIsFileUnchanged(t *testing.T) {
	for _, f := range []string{"txt_otter.txt", "txt_zoom_captions.txt", "txt_timestamps.txt", "txt_atlas.txt", "txt_traps.txt", "txt_rev.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		tr := parseTextFixture(t, f, Options{})
		if tr.Text != string(data) || tr.Encoding != "utf-8" {
			t.Errorf("%s: text differs from the file (encoding %q)", f, tr.Encoding)
		}
	}
}

// TestFixtureTurnInvariants parses every txt, md and docx fixture that is
// meant to parse and checks the turn invariants on it.
func TestFixtureTurnInvariants(t *testing.T) {
	files, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		name := filepath.Base(path)
		switch {
		case strings.Contains(name, "binary"), strings.Contains(name, "undefined"), strings.Contains(name, "not_zip"):
			continue
		case strings.HasPrefix(name, "txt_"), strings.HasPrefix(name, "md_"), strings.HasPrefix(name, "docx_"):
			tr := parseTextFixture(t, name, Options{})
			if len(tr.Turns) == 0 {
				t.Errorf("%s: no turns", name)
			}
			n++
		}
	}
	if n < 9 {
		t.Errorf("only %d fixtures checked", n)
	}
}
