package transcript

import "strings"

// parseClock reads a time written in a transcript: h:mm:ss or hh:mm:ss,
// mm:ss or m:ss, each with an optional fraction (".5", ",250"), into
// milliseconds. Minutes without hours may pass 59 (some tools keep counting
// minutes past the hour); seconds may not.
func parseClock(s string) (int64, bool) {
	clock, frac := s, ""
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		clock, frac = s[:i], s[i+1:]
		if frac == "" || len(frac) > 9 || !digitsOnly(frac) {
			return 0, false
		}
	}
	parts := strings.Split(clock, ":")
	var h, m, sec int64
	ok := true
	switch len(parts) {
	case 2:
		m, ok = clockField(parts[0], 1, 2, 99)
	case 3:
		h, ok = clockField(parts[0], 1, 2, 99)
		if ok {
			m, ok = clockField(parts[1], 2, 2, 59)
		}
	default:
		return 0, false
	}
	if !ok {
		return 0, false
	}
	if sec, ok = clockField(parts[len(parts)-1], 2, 2, 59); !ok {
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
