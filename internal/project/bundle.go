package project

import "github.com/qcode-qda/qcode/codebook"

// Bundle is a whole project held in memory, independent of any file: what
// `qcode merge` reads out of another coder's project, what a REFI-QDA import
// produces and what a REFI-QDA export is written from. Bringing a Bundle into
// a project (matching documents by text SHA-256, participants by label,
// codes by the codebook merge rules, codings by id) is one operation used by
// merge and by qdpx import alike.
type Bundle struct {
	// Name is where the bundle came from (a file name), for messages.
	Name         string
	Memo         string
	Codebook     *codebook.Codebook
	Documents    []BundleDocument
	Participants []Participant
	Codings      []Coding
	// Coders lists every coder known to the source, including those with no
	// codings (REFI-QDA users).
	Coders []string
}

// BundleDocument is a document with its text. Turns name participants by the
// ids used in Bundle.Participants; codings name documents and codes by the
// ids used in the bundle.
type BundleDocument struct {
	Document
	Text string
}
