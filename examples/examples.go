// Package examples ships the synthetic IPS implementation study (see
// README.md here) inside the qcode binary, so `qcode demo` works from any
// directory.
package examples

import "embed"

// FS holds the study's transcripts, participants.csv, documents.csv,
// codebook.yaml and demo-codings.csv.
//
//go:embed *.txt *.md *.vtt *.srt *.docx *.csv *.yaml
var FS embed.FS
