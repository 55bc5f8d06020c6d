package transcript

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// parseCaptionFixture parses testdata/file through the public entry point,
// so extension dispatch is exercised too, and checks the invariants.
func parseCaptionFixture(t *testing.T, file string) *Transcript {
	t.Helper()
	tr, err := ParseFile(filepath.Join("testdata", file), Options{})
	if err != nil {
		t.Fatalf("ParseFile(%s): %v", file, err)
	}
	checkCaptionInvariants(t, tr)
	return tr
}

// checkCaptionInvariants checks what every stored transcript must satisfy:
// offsets within the text, turns in order and non-overlapping, what was
// said not starting or ending with white space, and (captions build the
// text from the turns) each labelled turn preceded by "Label: ".
func checkCaptionInvariants(t testing.TB, tr *Transcript) {
	t.Helper()
	n := utf8.RuneCountInString(tr.Text)
	runes := []rune(tr.Text)
	prevEnd := 0
	for i, tu := range tr.Turns {
		if tu.Start < 0 || tu.Start > tu.End || tu.End > n {
			t.Fatalf("turn %d: offsets [%d,%d) outside 0..%d", i, tu.Start, tu.End, n)
		}
		if tu.Start < prevEnd {
			t.Fatalf("turn %d starts at %d, before the previous turn's end %d", i, tu.Start, prevEnd)
		}
		if s := string(runes[tu.Start:tu.End]); s != strings.TrimSpace(s) {
			t.Fatalf("turn %d text %q has surrounding white space", i, s)
		}
		if tu.Speaker != "" {
			label := []rune(tu.Speaker + ": ")
			if tu.Start < len(label) || string(runes[tu.Start-len(label):tu.Start]) != string(label) {
				t.Fatalf("turn %d (%q) is not preceded by its label", i, tu.Speaker)
			}
		}
		prevEnd = tu.End
	}
}

// captionTurnText is what a coder sees for turn i: the text sliced by rune
// offsets.
func captionTurnText(tr *Transcript, i int) string {
	tu := tr.Turns[i]
	return string([]rune(tr.Text)[tu.Start:tu.End])
}

func captionSpeakers(tr *Transcript) []string {
	var s []string
	for _, tu := range tr.Turns {
		s = append(s, tu.Speaker)
	}
	return s
}

func captionTimes(tr *Transcript) []int64 {
	var s []int64
	for _, tu := range tr.Turns {
		s = append(s, tu.TimeMS)
	}
	return s
}

func wantCaptionTurns(t *testing.T, tr *Transcript, speakers []string, times []int64) {
	t.Helper()
	if got := captionSpeakers(tr); !reflect.DeepEqual(got, speakers) {
		t.Errorf("speakers = %q, want %q", got, speakers)
	}
	if got := captionTimes(tr); !reflect.DeepEqual(got, times) {
		t.Errorf("TimeMS = %v, want %v", got, times)
	}
}

func TestParseCueTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"00:00:01.350", 1350, true},
		{"01:02:03.500", 3723500, true},
		{"00:01.000", 1000, true},
		{"75:00.000", 4500000, true}, // minutes past the hour, no hh
		{"00:00:01,250", 1250, true}, // SRT decimal comma
		{"0:00:01.5", 1500, true},    // short fields and fraction
		{"00:00:04", 4000, true},     // no fraction
		{"00:00:01.2345", 1234, true},
		{"00:00:0x.000", 0, false},
		{"00:60:00.000", 0, false},
		{"00:00:60.000", 0, false},
		{"1.5", 0, false},
		{"00:00:00:01.000", 0, false},
		{"", 0, false},
		{"-00:01.000", 0, false},
	} {
		got, ok := parseCueTime(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseCueTime(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseCueTiming(t *testing.T) {
	for _, c := range []struct {
		in         string
		start, end int64
		ok         bool
	}{
		{"00:00:01.000 --> 00:00:04.000 align:start position:10%", 1000, 4000, true},
		{"00:01.000-->00:02.500", 1000, 2500, true},
		{"00:00:01,000 --> 00:00:04,000 X1:100 X2:600", 1000, 4000, true},
		{"00:00:01.000 -->", 1000, 1000, true}, // end lost: keep the start
		{"00:00:01.000 --> soon", 0, 0, false},
		{"--> 00:00:04.000", 0, 0, false},
	} {
		s, e, err := parseCueTiming(c.in)
		if (err == nil) != c.ok || s != c.start || e != c.end {
			t.Errorf("parseCueTiming(%q) = %d, %d, %v", c.in, s, e, err)
		}
	}
}

func TestCleanCuePayload(t *testing.T) {
	for _, c := range []struct {
		name   string
		lines  []string
		voices bool
		want   []voicePart
	}{
		{"tags keep their words", []string{"<i>really</i> <b>good</b> <u>job</u> <c.yellow>yes</c>"}, true,
			[]voicePart{{"", "really good job yes"}}},
		{"lang and ruby", []string{`<lang no>Hei</lang> <ruby>東京<rt>とうきょう</rt></ruby>`}, true,
			[]voicePart{{"", "Hei 東京とうきょう"}}},
		{"timestamp tags", []string{"<00:00:01.000><c>The</c><00:01.400><c> job</c>"}, true,
			[]voicePart{{"", "The job"}}},
		{"entities", []string{"R&amp;D &lt;3 &gt; a&nbsp;b &#233; &#x2014; AT&T &bogus; &"}, false,
			[]voicePart{{"", "R&D <3 > a b é — AT&T &bogus; &"}}},
		{"bidi marks kept", []string{"&rlm;שלום&lrm;"}, false,
			[]voicePart{{"", "\u200fשלום\u200e"}}},
		{"unclosed angle brackets are text", []string{"I <3 it", "a < b and c>d <"}, true,
			[]voicePart{{"", "I <3 it a < b and c>d <"}}},
		{"ssa override", []string{`{\an8}Top line {\i1}tilted{\i0} {not a tag}`}, false,
			[]voicePart{{"", "Top line tilted {not a tag}"}}},
		{"voice over two lines", []string{"<v Dana Reyes (Researcher)>So tell me", "more.</v>"}, true,
			[]voicePart{{"Dana Reyes (Researcher)", "So tell me more."}}},
		{"voice class and entity", []string{"<v.loud.fast Ola &amp; Kari>Hi</v>"}, true,
			[]voicePart{{"Ola & Kari", "Hi"}}},
		{"two voices in one cue", []string{"<v Dana>Ready?</v>", "<v Tomas>Yes.</v>"}, true,
			[]voicePart{{"Dana", "Ready?"}, {"Tomas", "Yes."}}},
		{"voice ignored in srt", []string{"<v Dana>Ready?</v>"}, false,
			[]voicePart{{"", "Ready?"}}},
		{"empty voice", []string{"<v>Hello</v>"}, true,
			[]voicePart{{"", "Hello"}}},
		{"only tags", []string{"<i></i>", "  "}, true, nil},
	} {
		got := cleanCuePayload(c.lines, c.voices)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	long := strings.Repeat("x", 100)
	if got := cleanCuePayload([]string{"<v " + long + ">Hi"}, true); utf8.RuneCountInString(got[0].speaker) != MaxLabelRunes {
		t.Errorf("long voice name not cut to %d runes: %q", MaxLabelRunes, got[0].speaker)
	}
}

func TestSplitCueLabel(t *testing.T) {
	for _, c := range []struct {
		in, label, rest string
	}{
		{"Dana Reyes: Okay.", "Dana Reyes", "Okay."},
		{"[SPEAKER_00]: Hello there.", "SPEAKER_00", "Hello there."},
		{"Lisa B.: Yes.", "Lisa B.", "Yes."},
		{"Dr. Ingrid Solheim: We start.", "Dr. Ingrid Solheim", "We start."},
		{"FG2-P3: Maybe.", "FG2-P3", "Maybe."},
		{"Dana Reyes (Researcher): Go on.", "Dana Reyes (Researcher)", "Go on."},
		{"Tromsø-Kari: Hei.", "Tromsø-Kari", "Hei."},
		{"Remember: payslips.", "Remember", "payslips."}, // a candidate; the file decides
		{"The team said, well: no", "", ""},              // sentence punctuation
		{"I agree. Then: we left", "", ""},               // '.' after an ordinary word
		{"One two three four five six: no", "", ""},      // more than 5 words
		{"At 10:30 we met", "", ""},                      // colon not followed by space
		{"Dana Reyes:", "", ""},                          // nothing said
		{"12: twelve", "", ""},                           // no letter
		{"(laughs): right", "", ""},                      // starts with punctuation
		{strings.Repeat("a", MaxLabelRunes+1) + ": x", "", ""},
	} {
		label, rest, ok := splitCueLabel(c.in)
		if label != c.label || rest != c.rest || ok != (c.label != "") {
			t.Errorf("splitCueLabel(%q) = %q, %q, %v; want %q, %q", c.in, label, rest, ok, c.label, c.rest)
		}
	}
}

// TestPrefixSpeakerRule checks when a "Label: " prefix is believed.
func TestPrefixSpeakerRule(t *testing.T) {
	segs := func(texts ...string) []captionSeg {
		var s []captionSeg
		for i, x := range texts {
			s = append(s, captionSeg{start: int64(i) * 1000, end: int64(i)*1000 + 900, text: x})
		}
		return s
	}
	speakers := func(s []captionSeg) []string {
		var out []string
		for _, x := range s {
			out = append(out, x.speaker)
		}
		return out
	}
	for _, c := range []struct {
		name string
		segs []captionSeg
		want []string
	}{
		{"one-off in an unlabelled file stays text",
			segs("So it started in May.", "Remember: bring your payslips.", "That was it."),
			[]string{"", "", ""}},
		{"two one-offs do not vouch for each other",
			segs("Remember: bring payslips.", "Honestly: no idea.", "Fine."),
			[]string{"", "", ""}},
		{"a recurring label is a speaker",
			segs("Nora: first.", "Nora: second."),
			[]string{"Nora", "Nora"}},
		{"a metadata key is not, however often it recurs",
			segs("Note: first.", "Note: second."),
			[]string{"", ""}},
		{"a one-off guest in a labelled file",
			segs("Dana: Hi.", "Tomas: Hello.", "Dana: Welcome.", "Kari: Sorry I'm late."),
			[]string{"Dana", "Tomas", "Dana", "Kari"}},
		{"voice spans make prefixes believable",
			append([]captionSeg{{speaker: "Dana", voiced: true, text: "Hi."}}, segs("Tomas: Hello.")...),
			[]string{"Dana", "Tomas"}},
	} {
		assignPrefixSpeakers(c.segs)
		if got := speakers(c.segs); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: speakers %q, want %q", c.name, got, c.want)
		}
	}
}

func TestBuildCaptionTextMerging(t *testing.T) {
	tr := &Transcript{}
	tr.Text, tr.Turns = buildCaptionText([]captionSeg{
		{start: 0, end: 1000, text: "One."},
		{start: 2999, end: 4000, text: "Two."},   // 1.999 s pause: same turn
		{start: 6000, end: 7000, text: "Three."}, // exactly 2 s: new turn
		{start: 7000, end: 8000, speaker: "Åse", text: "Four."},
		{start: 60000, end: 61000, speaker: "Åse", text: "Five."}, // speaker turns ignore pauses
		{start: 61000, end: 62000, text: ""},                      // empty cue: no turn
		{start: 62000, end: 63000, text: "Six."},
	})
	checkCaptionInvariants(t, tr)
	want := "One. Two.\n\nThree.\n\nÅse: Four. Five.\n\nSix."
	if tr.Text != want {
		t.Fatalf("Text = %q, want %q", tr.Text, want)
	}
	if got := captionSpeakers(tr); !reflect.DeepEqual(got, []string{"", "", "Åse", ""}) {
		t.Errorf("speakers = %q", got)
	}
	if got := captionTurnText(tr, 2); got != "Four. Five." {
		t.Errorf("turn 2 = %q", got)
	}
	if got := captionTimes(tr); !reflect.DeepEqual(got, []int64{0, 6000, 7000, 62000}) {
		t.Errorf("TimeMS = %v", got)
	}
}

func TestCaptionErrors(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"x.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHi\n\n2\n00:00:0x.000 --> 00:00:04.000\nThere\n",
			`x.vtt:8: bad cue timing "00:00:0x.000 --> 00:00:04.000": start time "00:00:0x.000" is not [hh:]mm:ss.ttt`},
		{"y.srt", "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 --> 00:00:0?,000\nThere\n",
			`y.srt:6: bad cue timing "00:00:03,000 --> 00:00:0?,000": end time "00:00:0?,000" is not [hh:]mm:ss.ttt`},
		{"z.vtt", "WEBVTT\n\nNOTE nothing here\n", "z.vtt: no caption cues found"},
		{"notes.srt", "Interview with P3, 12 May\nJust some notes, no timings.\n", "notes.srt: no caption cues found"},
	} {
		_, err := Parse(c.name, []byte(c.in), Options{})
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %v is not *Error", c.name, err)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, err, c.want)
		}
	}
	long := "00:00:01.000 --> " + strings.Repeat("9", 200)
	_, err := parseVTT("long.vtt", []byte(long))
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("long timing line: error should be short, got %v", err)
	}
}

// TestCaptionScannerLeniency covers malformed files whose intent is clear.
// Cues are unlabelled and 3 s apart, so each one is its own turn.
func TestCaptionScannerLeniency(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"missing blank line between cues",
			"1\n00:00:01,000 --> 00:00:02,000\nHi there.\n2\n00:00:05,000 --> 00:00:06,000\nHello.\n",
			"Hi there.\n\nHello."},
		{"blank line inside a payload keeps the text",
			"00:00:01,000 --> 00:00:02,000\nHi there,\n\nhow are you?\n\n00:00:05,000 --> 00:00:06,000\nFine.\n",
			"Hi there, how are you?\n\nFine."},
		{"blank line between timing and text",
			"1\n00:00:01,000 --> 00:00:02,000\n\nHi.\n\n2\n00:00:05,000 --> 00:00:06,000\n\nBye.\n",
			"Hi.\n\nBye."},
		{"header directly followed by a cue",
			"WEBVTT\n00:01.000 --> 00:02.000\nHello.\n",
			"Hello."},
		{"header metadata and a title",
			"WEBVTT - Interview 7\nKind: captions\nLanguage: en\n\n00:01.000 --> 00:02.000\nHello.\n",
			"Hello."},
		{"arrow in text cut off from its cue",
			"00:00:01,000 --> 00:00:02,000\nHe said:\n\nwell, you know\nfirst this --> then that\n\n00:00:05,000 --> 00:00:06,000\nOkay.\n",
			"He said: well, you know first this --> then that\n\nOkay."},
		{"NOTES is not a NOTE block",
			"WEBVTT\n\nNOTES\n00:01.000 --> 00:02.000\nHello.\n",
			"Hello."},
	} {
		ext := ".srt"
		if strings.Contains(c.in, "WEBVTT") {
			ext = ".vtt"
		}
		tr, err := Parse("t"+ext, []byte(c.in), Options{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		checkCaptionInvariants(t, tr)
		if tr.Text != c.want {
			t.Errorf("%s: Text = %q, want %q", c.name, tr.Text, c.want)
		}
	}
}
