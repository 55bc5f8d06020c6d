package transcript

// parseSRT parses a SubRip file. SRT has no header, comments or voice
// markup: speakers can only be a "Name: " text prefix, and <i>, <b>, <u>
// and <font ...> tags are dropped. See captions.go for the shared pipeline.
func parseSRT(name string, data []byte) (*Transcript, error) {
	return parseCaptions(name, data, &srtDialect)
}

var srtDialect = captionDialect{format: "srt"}
