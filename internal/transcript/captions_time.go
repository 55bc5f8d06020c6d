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
