package transcript

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// parseTextFixture parses testdata/file with Parse, as an import would.
func parseTextFixture(t *testing.T, file string, opt Options) *Transcript {
	t.Helper()
	path := filepath.Join("testdata", file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := Parse(path, data, opt)
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	checkTurnInvariants(t, tr)
	return tr
}

// checkTurnInvariants asserts what every stored transcript relies on:
// turns lie inside the text, in order, without overlapping, each non-empty
// and without surrounding whitespace.
func checkTurnInvariants(t testing.TB, tr *Transcript) {
	t.Helper()
	if !utf8.ValidString(tr.Text) {
		t.Fatalf("text is not valid UTF-8")
	}
	if strings.ContainsRune(tr.Text, '\r') {
		t.Fatalf("text has a CR: line endings not normalised")
	}
	if strings.HasPrefix(tr.Text, "\uFEFF") {
		t.Fatalf("text starts with a BOM")
	}
	runes := []rune(tr.Text)
	prevEnd := 0
	for i, turn := range tr.Turns {
		if turn.Start < prevEnd || turn.Start > turn.End || turn.End > len(runes) {
			t.Fatalf("turn %d [%d,%d) out of order or out of range (previous end %d, %d runes)", i, turn.Start, turn.End, prevEnd, len(runes))
		}
		said := string(runes[turn.Start:turn.End])
		if said == "" || strings.TrimSpace(said) != said {
			t.Fatalf("turn %d %q is empty or has surrounding whitespace", i, said)
		}
		if utf8.RuneCountInString(turn.Speaker) > MaxLabelRunes {
			t.Fatalf("turn %d speaker %q longer than %d runes", i, turn.Speaker, MaxLabelRunes)
		}
		prevEnd = turn.End
	}
}

// turnSaid is what was said in turn i, cut from the text by rune offsets.
func turnSaid(tr *Transcript, i int) string {
	r := []rune(tr.Text)
	return string(r[tr.Turns[i].Start:tr.Turns[i].End])
}

func turnSpeakers(tr *Transcript) []string {
	var s []string
	for _, t := range tr.Turns {
		s = append(s, t.Speaker)
	}
	return s
}

func turnTimes(tr *Transcript) []int64 {
	var s []int64
	for _, t := range tr.Turns {
		s = append(s, t.TimeMS)
	}
	return s
}

func wantSpeakers(t *testing.T, tr *Transcript, want ...string) {
	t.Helper()
	if got := turnSpeakers(tr); !slices.Equal(got, want) {
		t.Fatalf("speakers = %q, want %q", got, want)
	}
}

func wantSaid(t *testing.T, tr *Transcript, i int, want string) {
	t.Helper()
	if i >= len(tr.Turns) {
		t.Fatalf("turn %d missing: %d turns", i, len(tr.Turns))
	}
	if got := turnSaid(tr, i); got != want {
		t.Errorf("turn %d (%s) = %q, want %q", i, tr.Turns[i].Speaker, got, want)
	}
}

func TestScanLabel(t *testing.T) {
	for _, c := range []struct {
		line    string
		speaker string // "" = not a speaker label
		timeMS  int64
		rest    string // the line from where what was said may begin
	}{
		{"Interviewer: How are you?", "Interviewer", -1, " How are you?"},
		{"I: Hi", "I", -1, " Hi"},
		{"FG2-P3: yes", "FG2-P3", -1, " yes"},
		{"Lisa B.: well", "Lisa B.", -1, " well"},
		{"Dana Reyes (Researcher): ok", "Dana Reyes (Researcher)", -1, " ok"},
		{"Sam O'Brien: fine", "Sam O'Brien", -1, " fine"},
		{"Enquêteur : Bonjour", "Enquêteur", -1, " Bonjour"},
		{"采访者：你好", "采访者", -1, "你好"},
		{"  P3:\tindented", "P3", -1, "\tindented"},
		{"Interviewer:", "Interviewer", -1, ""},
		{"@Tom: hi", "Tom", -1, " hi"},
		{"**Interviewer:** Welcome", "Interviewer", -1, " Welcome"},
		{"**Interviewer**: Welcome", "Interviewer", -1, " Welcome"},
		{"[00:01:23] Dana: ok", "Dana", 83000, " ok"},
		{"(00:01:23) Dana: ok", "Dana", 83000, " ok"},
		{"00:01:23 Dana: ok", "Dana", 83000, " ok"},
		{"[1:02:03.5] **Dana:** ok", "Dana", 3723500, " ok"},
		{"Speaker 1  0:03", "Speaker 1", 3000, ""},
		{"Dana Reyes   01:02:03  ", "Dana Reyes", 3723000, ""},
		{"Dana Reyes\t12:30", "Dana Reyes", 750000, ""},
		{"[Dana Reyes] 10:02:11", "Dana Reyes", 36131000, ""},
		{"[SPEAKER_00]: hello", "SPEAKER_00", -1, " hello"},
		{"Speaker 1 (00:01):", "Speaker 1", 1000, ""},
		{"Dana Reyes [1:02:03]: right", "Dana Reyes", 3723000, " right"},
		{"00:01:23 - Dana: ok", "Dana", 83000, " ok"},
		{"[00:01:23] – Dana: ok", "Dana", 83000, " ok"},
		{"Dana (Researcher): ok", "Dana (Researcher)", -1, " ok"},

		{"The team said: no", "The team said", -1, " no"}, // shape ok; only frequency rejects it
		{"We met at 10:30 today", "", 0, ""},
		{"See https://example.org/x for details", "", 0, ""},
		{"Why was that?: no", "", 0, ""},
		{`"Stop": she said`, "", 0, ""},
		{"the team said: no", "", 0, ""},
		{"One two three four five six: no", "", 0, ""},
		{"He left. Then he said: no", "", 0, ""},
		{"Yes, he said: no", "", 0, ""},
		{"Speaker 1 0:03", "", 0, ""}, // one space: a sentence ending in a time
		{"[inaudible] and then she left", "", 0, ""},
		{"[00:01:23] no label here", "", 0, ""},
		{"10:30: meeting", "", 0, ""},
		{"We met at 10:30: early", "", 0, ""},
		{"See https://example.org: the guide", "", 0, ""},
		{"Note: recorded late", "", 0, ""},
		{"**Date:** 3 May", "", 0, ""},
		{"Attendees: P1, P2", "", 0, ""},
		{"(.) pause", "", 0, ""},
		{"((coughs))", "", 0, ""},
		{"", "", 0, ""},
		{strings.Repeat("A", MaxLabelRunes+1) + ": x", "", 0, ""},
	} {
		l, ok := scanLabel(c.line)
		if ok && !speakerLabelOK(l.speaker, l.strict) {
			ok = false
		}
		if !ok {
			if c.speaker != "" {
				t.Errorf("%q: not a label, want speaker %q", c.line, c.speaker)
			}
			continue
		}
		if c.speaker == "" {
			t.Errorf("%q: label %q, want none", c.line, l.speaker)
			continue
		}
		if l.speaker != c.speaker || l.timeMS != c.timeMS || c.line[l.body:] != c.rest {
			t.Errorf("%q: speaker %q time %d rest %q, want %q %d %q", c.line, l.speaker, l.timeMS, c.line[l.body:], c.speaker, c.timeMS, c.rest)
		}
	}
}

func TestParseClock(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64 // -1: invalid
	}{
		{"0:03", 3000}, {"12:30", 750000}, {"75:10", 4510000}, {"1:02:03", 3723000},
		{"01:02:03.250", 3723250}, {"00:00:01,5", 1500}, {"10:02:11", 36131000},
		{"1:2:3", -1}, {"0:60", -1}, {"1:60:00", -1}, {"123:00", -1}, {"0:03.", -1},
		{"a:bc", -1}, {"", -1}, {"12", -1}, {"1:02:03:04", -1}, {"0:03.1234567890", -1},
	} {
		got, ok := parseClock(c.in)
		if !ok {
			got = -1
		}
		if got != c.want {
			t.Errorf("parseClock(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestDetectTurnsGuards(t *testing.T) {
	text := "Title\nNote: recorded late\nNote: names changed\n\nA: one\nB: two\nNote that: this\nA: three\nVisitor: hi\nB:\nA: four\n"
	turns, err := detectTurns(text, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr := &Transcript{Text: text, Turns: turns}
	checkTurnInvariants(t, tr)
	wantSpeakers(t, tr, "A", "B", "A", "A")
	wantSaid(t, tr, 1, "two\nNote that: this")
	wantSaid(t, tr, 2, "three\nVisitor: hi") // "Visitor" labels one line only
	// "B:" with nothing said before the next label makes no turn.

	turns, _ = detectTurns(text, Options{Speakers: []string{" visitor "}})
	tr = &Transcript{Text: text, Turns: turns}
	wantSpeakers(t, tr, "A", "B", "A", "Visitor", "A")
	wantSaid(t, tr, 3, "hi")
}

func TestDetectTurnsHeaderTimesInOrder(t *testing.T) {
	// In an Otter transcript, a once-seen header is a turn only if its time
	// fits; a sentence ending in two spaces and a time is not a header.
	text := "A  0:01\nhi\nB  0:05\nhello\nWe could meet at  10:30\nC  0:09\nme too\nA  0:12\nbye\nB  0:15\nok"
	turns, _ := detectTurns(text, Options{})
	tr := &Transcript{Text: text, Turns: turns}
	wantSpeakers(t, tr, "A", "B", "C", "A", "B")
	wantSaid(t, tr, 1, "hello\nWe could meet at  10:30")
}

func TestDetectTurnsNumberedLabelsShareAShape(t *testing.T) {
	// P4 speaks once, but is numbered like the recurring P3: a participant,
	// not a sentence.
	text := "Moderator: Welcome.\nP3: Hi.\nModerator: Anyone else?\nP4: Me.\nP3: And me.\nNote 2: not numbered like anyone\n"
	turns, _ := detectTurns(text, Options{})
	tr := &Transcript{Text: text, Turns: turns}
	wantSpeakers(t, tr, "Moderator", "P3", "Moderator", "P4", "P3")
	wantSaid(t, tr, 4, "And me.\nNote 2: not numbered like anyone")
}

func TestSpeakerPattern(t *testing.T) {
	text := "Site visit 3\n\nINT 00:01> How long have you worked here?\nRESP 00:05> Two years.\n  not a label: indented\nRESP> And before that, a café.\nx INT> not at line start\n"
	re := regexp.MustCompile(`(?P<speaker>[A-Z]+)(?: (?P<time>\d\d:\d\d))?>`)
	turns, err := detectTurns(text, Options{SpeakerPattern: re})
	if err != nil {
		t.Fatal(err)
	}
	tr := &Transcript{Text: text, Turns: turns}
	checkTurnInvariants(t, tr)
	wantSpeakers(t, tr, "INT", "RESP", "RESP")
	if got := turnTimes(tr); !slices.Equal(got, []int64{1000, 5000, -1}) {
		t.Errorf("times = %v", got)
	}
	wantSaid(t, tr, 1, "Two years.\n  not a label: indented")
	wantSaid(t, tr, 2, "And before that, a café.\nx INT> not at line start")

	// Group 1 is the speaker when none is named; a match running to the
	// end of the line starts the turn on the next line.
	turns, _ = detectTurns("== Dana ==\nHello there.\n== Sam ==\nHi.", Options{SpeakerPattern: regexp.MustCompile(`== (\w+) ==`)})
	tr = &Transcript{Text: "== Dana ==\nHello there.\n== Sam ==\nHi.", Turns: turns}
	wantSpeakers(t, tr, "Dana", "Sam")
	wantSaid(t, tr, 0, "Hello there.")

	_, err = Parse("notes.txt", []byte("A> hi\n"), Options{SpeakerPattern: regexp.MustCompile(`[A-Z]>`)})
	if err == nil || !strings.HasPrefix(err.Error(), "notes.txt: speaker pattern") {
		t.Errorf("pattern without a group: err = %v", err)
	}
	_, err = Parse("notes.txt", []byte("x\n"+strings.Repeat("A", 70)+"> hi\n"), Options{SpeakerPattern: regexp.MustCompile(`(\w+)>`)})
	if err == nil || !strings.HasPrefix(err.Error(), "notes.txt:2: speaker pattern matches a speaker longer than 63") {
		t.Errorf("over-long speaker: err = %v", err)
	}
}

// BenchmarkDetectTurns measures detection on a 4 MB transcript of short
// turns with multi-byte text; it stays linear because offsets are counted
// as lines are scanned, never from the start of the text.
func BenchmarkDetectTurns(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 4<<20 {
		sb.WriteString("Interviewer: Ça va? Tromsø, café — “quotes”.\nP3: Très bien, merci. We met at 10:30.\n")
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		turns, err := detectTurns(text, Options{})
		if err != nil || len(turns) != strings.Count(text, "\n") {
			b.Fatalf("%d turns, err %v", len(turns), err)
		}
	}
}
