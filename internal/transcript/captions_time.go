package transcript

import (
	"errors"
	"fmt"
	"strings"
)

// parseCueTiming reads a timing line, "start --> end [settings]", into
// milliseconds. It is lenient where the intent is clear: SRT's "," and
// WebVTT's "." are both accepted as the decimal mark, as are a missing
// fraction, missing spaces around the arrow and a missing end time (end =
// start; only the start is kept on turns).
func parseCueTiming(line string) (start, end int64, err error) {
	start, end, field, value := cueTiming(line)
	switch field {
	case "":
		return start, end, nil
	case "arrow":
		return 0, 0, errors.New(`no "-->" between start and end time`)
	default:
		return 0, 0, fmt.Errorf("%s time %s is not [hh:]mm:ss.ttt", field, quoteClipped(value))
	}
}

// cueTiming is parseCueTiming without building an error, for the scanner's
// frequent "is this line a timing line?" question: field names what failed
// ("start", "end", "arrow"; "" when the line parsed) and value the text.
func cueTiming(line string) (start, end int64, field, value string) {
	left, right, ok := strings.Cut(line, "-->")
	if !ok {
		return 0, 0, "arrow", ""
	}
	left = strings.TrimSpace(left)
	if start, ok = parseCueTime(left); !ok {
		return 0, 0, "start", left
	}
	right = strings.TrimSpace(right)
	if right == "" {
		return start, start, "", ""
	}
	if i := strings.IndexAny(right, " \t"); i >= 0 { // cue settings follow
		right = right[:i]
	}
	if end, ok = parseCueTime(right); !ok {
		return 0, 0, "end", right
	}
	return start, end, "", ""
}

// parseCueTime reads [hh:]mm:ss[.ttt] (or ",ttt") into milliseconds.
// Without hours, minutes may exceed 59: some tools keep counting minutes
// past the first hour instead of switching to hh:mm:ss.
func parseCueTime(s string) (int64, bool) {
	clock, frac := s, ""
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		clock, frac = s[:i], s[i+1:]
	}
	if len(frac) > 9 || !allASCIIDigits(frac) {
		return 0, false
	}
	parts := strings.Split(clock, ":")
	var h, m, sec int64
	var ok bool
	switch len(parts) {
	case 2:
		if m, ok = cueClockField(parts[0], 6, -1); !ok {
			return 0, false
		}
	case 3:
		if h, ok = cueClockField(parts[0], 6, -1); !ok {
			return 0, false
		}
		if m, ok = cueClockField(parts[1], 2, 59); !ok {
			return 0, false
		}
	default:
		return 0, false
	}
	if sec, ok = cueClockField(parts[len(parts)-1], 2, 59); !ok {
		return 0, false
	}
	var ms int64
	for i := 0; i < 3; i++ { // ".5" is 500 ms, ".05" 50 ms; digits past ms are dropped
		ms *= 10
		if i < len(frac) {
			ms += int64(frac[i] - '0')
		}
	}
	return ((h*60+m)*60+sec)*1000 + ms, true
}

// cueClockField parses 1 to maxDigits ASCII digits no greater than max
// (max < 0: no limit).
func cueClockField(s string, maxDigits int, max int64) (int64, bool) {
	if s == "" || len(s) > maxDigits || !allASCIIDigits(s) {
		return 0, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		v = v*10 + int64(s[i]-'0')
	}
	if max >= 0 && v > max {
		return 0, false
	}
	return v, true
}

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
