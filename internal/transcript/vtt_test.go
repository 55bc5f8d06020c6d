package transcript

import (
	"strings"
	"testing"
)

func TestVTTZoom(t *testing.T) {
	tr := parseCaptionFixture(t, "vtt_zoom.vtt")
	if tr.Format != "vtt" || tr.Encoding != "utf-8" {
		t.Errorf("Format, Encoding = %q, %q", tr.Format, tr.Encoding)
	}
	// Ten cues, six turns: consecutive cues of one speaker are one turn,
	// timed at its first cue.
	wantCaptionTurns(t, tr,
		[]string{"Dana Reyes", "Tomas Berg", "Dana Reyes", "Tomas Berg", "Dana Reyes", "Tomas Berg"},
		[]int64{1350, 10520, 22010, 27100, 39600, 62700})
	if got, want := captionTurnText(tr, 1), "Yeah, it was my case worker at the mental health team in Tromsø. She said there's an employment specialist who sits with the team now, and she could refer me that same week."; got != want {
		t.Errorf("turn 1 = %q\nwant %q", got, want)
	}
	// "Remember:" inside a labelled cue is what Tomas said, not a speaker.
	if got := captionTurnText(tr, 3); !strings.HasSuffix(got, "Remember: this was after the rules changed, so nobody could tell me for sure.") {
		t.Errorf("turn 3 = %q", got)
	}
	// Offsets after "Tromsø" and "café" are rune offsets.
	if got, want := captionTurnText(tr, 5), "Yes, Kari did a benefits calculation with me. Then we started calling employers, the café on Storgata first."; got != want {
		t.Errorf("last turn = %q", got)
	}
	if !strings.HasPrefix(tr.Text, "Dana Reyes: Okay, we're recording now. Thanks for making the time. So, to start,") ||
		!strings.Contains(tr.Text, "employment service?\n\nTomas Berg: Yeah,") {
		t.Errorf("Text is not built as labelled turns:\n%s", tr.Text)
	}
}

func TestVTTTeams(t *testing.T) {
	tr := parseCaptionFixture(t, "vtt_teams.vtt")
	wantCaptionTurns(t, tr,
		[]string{"Dana Reyes (Researcher)", "Ingrid Solheim", "Dana Reyes (Researcher)", "Ingrid Solheim"},
		[]int64{3120, 11300, 22400, 27000})
	// The voice on the first line covers the second line too.
	if got, want := captionTurnText(tr, 0), "So tell me how referrals usually happen in your team. I mean from the very first conversation."; got != want {
		t.Errorf("turn 0 = %q", got)
	}
	if got, want := captionTurnText(tr, 2), "And employers? How do you approach them & what do you say about the diagnosis?"; got != want {
		t.Errorf("turn 2 = %q", got)
	}
	// <v.loud Ingrid Solheim> is the same speaker as <v Ingrid Solheim>.
	if got, want := captionTurnText(tr, 3), "We never lead with the diagnosis. We talk about what the person can do. Often it's 20 hours a week at first, and they decide what to disclose."; got != want {
		t.Errorf("turn 3 = %q", got)
	}
	for _, gone := range []string{"<", ">", "generated automatically", "attribution", "merged by hand", "color", "::cue", "8c1e3d1a", "-->", "&amp;", "&nbsp;"} {
		if strings.Contains(tr.Text, gone) {
			t.Errorf("Text contains %q:\n%s", gone, tr.Text)
		}
	}
}

func TestVTTWhisper(t *testing.T) {
	tr := parseCaptionFixture(t, "vtt_whisper.vtt")
	// No speakers: cues merge until a pause of 2 s or more.
	wantCaptionTurns(t, tr, []string{"", "", "", "", ""}, []int64{0, 9500, 20000, 26360, 3723500})
	if got, want := captionTurnText(tr, 0), "So the referral came through the community mental health team. They had a form, but honestly most of it was just a phone call."; got != want {
		t.Errorf("turn 0 = %q", got)
	}
	// A one-off "Remember:" in a file without speakers is speech.
	if got, want := captionTurnText(tr, 1), "Remember: this was before the benefits advice was part of the service. I went to the job centre twice and they told me two different things."; got != want {
		t.Errorf("turn 1 = %q", got)
	}
	// Word-timestamp tags are gone; the words and the non-ASCII offsets are right.
	if got, want := captionTurnText(tr, 2), "The employer in Tromsø said yes after the second visit."; got != want {
		t.Errorf("turn 2 = %q", got)
	}
	if got, want := captionTurnText(tr, 4), "That's all I can think of, really."; got != want {
		t.Errorf("turn 4 = %q", got)
	}
	if strings.HasPrefix(tr.Text, ":") || strings.Contains(tr.Text, "\n\n:") {
		t.Errorf("speakerless turns must have no label:\n%s", tr.Text)
	}
}

func TestVTTWhisperX(t *testing.T) {
	tr := parseCaptionFixture(t, "vtt_whisperx.vtt")
	wantCaptionTurns(t, tr,
		[]string{"SPEAKER_00", "SPEAKER_01", "SPEAKER_00", "SPEAKER_01", ""},
		[]int64{31, 5100, 15300, 18900, 23400})
	if got, want := captionTurnText(tr, 1), "We met at a café, not at the clinic. That mattered to me. She asked what kind of work I actually wanted, not what I could cope with."; got != want {
		t.Errorf("turn 1 = %q", got)
	}
	if strings.Contains(tr.Text, "[SPEAKER") {
		t.Errorf("bracketed labels left in the text:\n%s", tr.Text)
	}
	if got := captionTurnText(tr, 4); got != "Mm-hm." {
		t.Errorf("undiarised cue = %q", got)
	}
}

func TestVTTNoHeaderCRLFBOM(t *testing.T) {
	tr := parseCaptionFixture(t, "vtt_noheader_crlf_bom.vtt")
	if tr.Encoding != "utf-8-bom" {
		t.Errorf("Encoding = %q", tr.Encoding)
	}
	if strings.ContainsAny(tr.Text, "\r\uFEFF") {
		t.Errorf("CR or BOM left in the text: %q", tr.Text)
	}
	wantCaptionTurns(t, tr, []string{"Interviewer", "Participant 4", "Interviewer"}, []int64{500, 3500, 11900})
	if got, want := captionTurnText(tr, 1), "At the hardware store in Tromsø, three mornings a week. The manager knows about my illness. I told her myself, before the contract."; got != want {
		t.Errorf("turn 1 = %q", got)
	}
	if got := captionTurnText(tr, 2); got != "How did she react?" {
		t.Errorf("turn 2 = %q", got)
	}
}
