package transcript

import (
	"math"
	"strings"
	"unicode/utf8"
)

// acceptLabels keeps the label lines that are speaker turns. Shape alone
// is not enough: "The team said: no" has the shape of "Interviewer: ...".
// A label is accepted when the user confirmed it (opt.Speakers, any case),
// or when its name passes speakerLabelOK and it labels at least two lines:
// real speakers recur, sentence openings rarely do.
//
// Two exceptions keep someone who speaks once from being merged into the
// previous speaker's turn:
//   - the conventions that carry a time (styleTimeColon, styleHeader,
//     styleZoom) are specific enough that once two of their lines carry
//     recurring speakers, every line of that convention whose time fits
//     between its neighbours' is a turn;
//   - a label numbered like a recurring one ("P7" among "P3" and "P4") is
//     a participant, not a sentence (see numberShape).
func acceptLabels(found []labelAt, confirmed []string) []labelAt {
	v := judgeLabels(found, confirmed)
	recurring := func(i int) bool { return v.ok[i] && (v.confirmed[i] || v.count[found[i].speaker] >= 2) }

	var established [styleZoom + 1]int
	for i, l := range found {
		if recurring(i) {
			established[l.style]++
		}
	}
	numbered := map[string]bool{} // shapes of recurring labels with a number
	for speaker, n := range v.count {
		if shape, has := numberShape(speaker); has && n >= 2 {
			numbered[shape] = true
		}
	}
	inOrder := timesInOrder(found, recurring)

	out := make([]labelAt, 0, len(found))
	for i, l := range found {
		switch { // cases are tried in order: the cheap, common one first
		case recurring(i),
			v.ok[i] && l.style != styleColon && established[l.style] >= 2 && inOrder[i],
			v.ok[i] && numberedLike(numbered, l.speaker):
			out = append(out, l)
		}
	}
	return out
}

func numberedLike(numbered map[string]bool, speaker string) bool {
	shape, has := numberShape(speaker)
	return has && numbered[shape]
}

// labelVerdicts says, per label line, whether its name is acceptable and
// confirmed by the user, and counts the lines of each acceptable name.
type labelVerdicts struct {
	ok, confirmed []bool
	count         map[string]int
}

func judgeLabels(found []labelAt, confirmed []string) labelVerdicts {
	// Judge each distinct name once: a long transcript repeats a handful
	// of labels thousands of times.
	type key struct {
		speaker string
		strict  bool
	}
	type verdict struct{ ok, confirmed bool }
	judged := map[key]verdict{}
	v := labelVerdicts{ok: make([]bool, len(found)), confirmed: make([]bool, len(found)), count: map[string]int{}}
	for i, l := range found {
		k := key{l.speaker, l.strict}
		j, seen := judged[k]
		if !seen {
			j.confirmed = utf8.RuneCountInString(l.speaker) <= MaxLabelRunes && containsFold(confirmed, l.speaker)
			j.ok = j.confirmed || speakerLabelOK(l.speaker, l.strict)
			judged[k] = j
		}
		v.ok[i], v.confirmed[i] = j.ok, j.confirmed
		if j.ok {
			v.count[l.speaker]++
		}
	}
	return v
}

// timesInOrder reports, per label line, whether its time lies between the
// times of the nearest recurring labels of its convention before and after
// it. A sentence that happens to end in two spaces and a time ("we met at
// 10:30") rarely does.
func timesInOrder(found []labelAt, recurring func(int) bool) []bool {
	fits := make([]bool, len(found))
	var bound [styleZoom + 1]int64
	for s := range bound {
		bound[s] = -1
	}
	for i, l := range found {
		fits[i] = l.timeMS >= bound[l.style]
		if recurring(i) {
			bound[l.style] = l.timeMS
		}
	}
	for s := range bound {
		bound[s] = math.MaxInt64
	}
	for i := len(found) - 1; i >= 0; i-- {
		l := found[i]
		fits[i] = fits[i] && l.timeMS <= bound[l.style]
		if recurring(i) {
			bound[l.style] = l.timeMS
		}
	}
	return fits
}

// numberShape replaces each run of digits in a label with '#': "FG2-P4"
// becomes "FG#-P#". has is false for a label without digits.
func numberShape(label string) (shape string, has bool) {
	if strings.IndexAny(label, "0123456789") < 0 {
		return "", false
	}
	b := make([]byte, 0, len(label))
	for i := 0; i < len(label); i++ {
		c := label[i]
		if c < '0' || c > '9' {
			b = append(b, c)
		} else if i == 0 || label[i-1] < '0' || label[i-1] > '9' {
			b = append(b, '#')
		}
	}
	return string(b), true
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), s) {
			return true
		}
	}
	return false
}
