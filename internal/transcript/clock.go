package transcript

import "strings"

// parseClock reads a time written in a transcript's text: h:mm:ss or
// hh:mm:ss, mm:ss or m:ss, each with an optional fraction (".5", ",250"),
// into milliseconds. It is strict (two-digit minutes and seconds, at most
// two leading digits) because it decides whether a line carries a time.
func parseClock(s string) (int64, bool) { return readClock(s, false) }

// parseCueTime reads a caption timing field, [hh:]mm:ss[.ttt] (or ",ttt"),
// into milliseconds. It is lenient where the intent is clear: one-digit
// fields, an empty fraction, and minutes past 59 without hours (some tools
// keep counting minutes instead of switching to hh:mm:ss).
func parseCueTime(s string) (int64, bool) { return readClock(s, true) }

func readClock(s string, lenient bool) (int64, bool) {
	clock, frac := s, ""
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		clock, frac = s[:i], s[i+1:]
		if len(frac) > 9 || !digitsOnly(frac) || (frac == "" && !lenient) {
			return 0, false
		}
	}
	// Leading field (hours, or minutes without hours) and inner fields.
	leadMax, leadDigits, innerMin := int64(99), 2, 2
	if lenient {
		leadMax, leadDigits, innerMin = 1<<40, 6, 1
	}
	parts := strings.Split(clock, ":")
	var h, m, sec int64
	ok := true
	switch len(parts) {
	case 2:
		m, ok = clockField(parts[0], 1, leadDigits, leadMax)
	case 3:
		h, ok = clockField(parts[0], 1, leadDigits, leadMax)
		if ok {
			m, ok = clockField(parts[1], innerMin, 2, 59)
		}
	default:
		return 0, false
	}
	if !ok {
		return 0, false
	}
	if sec, ok = clockField(parts[len(parts)-1], innerMin, 2, 59); !ok {
		return 0, false
	}
	var ms int64
	for i := range 3 { // ".5" is 500 ms; digits past milliseconds are dropped
		ms *= 10
		if i < len(frac) {
			ms += int64(frac[i] - '0')
		}
	}
	return ((h*60+m)*60+sec)*1000 + ms, true
}

// clockField parses minDigits to maxDigits ASCII digits no greater than max.
func clockField(s string, minDigits, maxDigits int, max int64) (int64, bool) {
	if len(s) < minDigits || len(s) > maxDigits || !digitsOnly(s) {
		return 0, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		v = v*10 + int64(s[i]-'0')
	}
	return v, v <= max
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
