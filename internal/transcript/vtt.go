package transcript

import "strings"

// parseVTT parses a WebVTT file (Zoom, Microsoft Teams, Whisper, WhisperX
// and hand-made captions). See captions.go for the shared pipeline.
func parseVTT(name string, data []byte) (*Transcript, error) {
	return parseCaptions(name, data, &vttDialect)
}

var vttDialect = captionDialect{
	format: "vtt",
	// The WEBVTT line may carry a title ("WEBVTT - Interview 3"); files
	// without it are accepted too, because the cues are unambiguous.
	header: func(line string) bool { return strings.HasPrefix(line, "WEBVTT") },
	// NOTE blocks are comments, STYLE and REGION blocks are layout: none
	// is something anyone said.
	skipBlock: func(line string) bool {
		return isVTTKeyword(line, "NOTE") || isVTTKeyword(line, "STYLE") || isVTTKeyword(line, "REGION")
	},
	voices: true,
}

// isVTTKeyword reports whether line is word alone or followed by white
// space, as WebVTT requires ("NOTE this is a comment", not "NOTES").
func isVTTKeyword(line, word string) bool {
	rest, ok := strings.CutPrefix(line, word)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}
