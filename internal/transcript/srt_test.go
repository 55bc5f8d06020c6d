package transcript

import (
	"strings"
	"testing"
)

func TestSRTComma(t *testing.T) {
	tr := parseCaptionFixture(t, "srt_comma.srt")
	if tr.Format != "srt" {
		t.Errorf("Format = %q", tr.Format)
	}
	wantCaptionTurns(t, tr,
		[]string{"Interviewer", "Participant", "Interviewer", "Participant"},
		[]int64{1000, 5200, 14000, 19100})
	if got, want := captionTurnText(tr, 1), "About two weeks after the referral. Which surprised me, to be honest. I thought there'd be months of training first."; got != want {
		t.Errorf("turn 1 = %q", got)
	}
	if got, want := captionTurnText(tr, 3), "Jonas did, the employment specialist. He went to the bakery in Tromsø with my CV."; got != want {
		t.Errorf("turn 3 = %q", got)
	}
	if strings.ContainsAny(tr.Text, "<>") || strings.Contains(tr.Text, "ffff00") {
		t.Errorf("tags left in the text:\n%s", tr.Text)
	}
}

func TestSRTPeriodMissingIndexAndBlankLines(t *testing.T) {
	tr := parseCaptionFixture(t, "srt_period.srt")
	wantCaptionTurns(t, tr,
		[]string{"Kari Nilsen", "Ole Hansen", "Kari Nilsen", "Ole Hansen"},
		[]int64{1000, 3400, 12000, 16000})
	// Cue 3 has no index line; it still merges into Ole's turn.
	if got, want := captionTurnText(tr, 1), "Better. I asked for shorter shifts on Mondays. The employer said yes straight away."; got != want {
		t.Errorf("turn 1 = %q", got)
	}
	// The index "5", cut off from its timing line by a blank line, is not text.
	if got, want := captionTurnText(tr, 2), "Did your benefits change when you went up to 15 hours?"; got != want {
		t.Errorf("turn 2 = %q", got)
	}
	want := "Kari Nilsen: How are things at work?\n\nOle Hansen: Better. I asked for shorter shifts on Mondays. The employer said yes straight away.\n\nKari Nilsen: Did your benefits change when you went up to 15 hours?\n\nOle Hansen: A little. The benefits counsellor at NAV sorted it out."
	if tr.Text != want {
		t.Errorf("Text =\n%s\nwant\n%s", tr.Text, want)
	}
}
