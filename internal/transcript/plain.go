package transcript

import (
	"path/filepath"
	"strings"
)

// parsePlain parses a .txt or .md transcript. The text is the decoded file
// exactly (labels, Markdown and transcription marks included): codings
// point into it and a researcher must recognise it as their file.
func parsePlain(name string, data []byte, opt Options) (*Transcript, error) {
	text, enc, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	turns, err := detectTurns(text, opt)
	if err != nil {
		return nil, withFile(name, err)
	}
	format := "txt"
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown":
		format = "md"
	}
	return &Transcript{Text: text, Turns: turns, Format: format, Encoding: enc}, nil
}

// withFile names the file in an error from code that sees only text.
func withFile(name string, err error) error {
	if e, ok := err.(*Error); ok {
		c := *e
		c.File = name
		return &c
	}
	return &Error{File: name, Msg: err.Error()}
}
