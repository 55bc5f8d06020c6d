// Package analysis computes the thematic-analysis tables a paper reports:
// theme frequencies by stakeholder group, the fidelity matrix with its joint
// display of review scores, code × column matrices, co-occurrence and
// quotes. It works on a Dataset, an in-memory snapshot that
// internal/project loads (with the user's filters applied); it knows
// nothing of storage, the CLI or output formats.
package analysis

import "github.com/qcode-qda/qcode/codebook"

// Dataset is what every report reads.
type Dataset struct {
	Codebook *codebook.Codebook
	Index    *codebook.Index // over Codebook.Codes
	Docs     []Doc
	People   map[string]Person // by participant id
	Segments []Segment         // one per coding, after filters; ordered by document, start, code, coder
	// Text returns a document's text (for quotes); nil when not needed.
	Text func(doc int) string
	// Scores are IPS-25 fidelity review scores: site -> item id
	// ("ips25:13") -> score 1-5. Empty when none were recorded.
	Scores map[string]map[string]int
}

// Doc is a document with its turns.
type Doc struct {
	ID, Name, Kind string
	Attrs          map[string]string
	Turns          []Turn
}

// Turn is a speaker turn: participant and half-open rune range.
type Turn struct {
	ParticipantID string // "" when the format has no speakers
	Start, End    int
	TimeMS        int64 // -1 when unknown
}

// Person is a participant.
type Person struct {
	ID, Label string
	Attrs     map[string]string // role, site, ...
}

// Interviewer reports whether the person's role is interviewer; such turns
// are left out of "participants mentioning" counts by default.
func (p Person) Interviewer() bool { return p.Attrs["role"] == "interviewer" }

// Segment is one coding.
type Segment struct {
	CodingID      string
	Doc           int // index into Dataset.Docs
	CodeID        string
	Start, End    int // rune offsets into the document's text
	Coder, Memo   string
	Turn          int    // index into the document's turns where the coding starts; -1 in the preamble
	ParticipantID string // speaker of that turn; "" when none
}

// Attr returns a grouping value for a segment: a participant attribute of
// its speaker if the speaker has it, else a document attribute, else "".
// "kind" and "document" name the document's kind and name.
func (ds *Dataset) Attr(s *Segment, key string) string {
	return attrOf(ds, s.ParticipantID, &ds.Docs[s.Doc], key)
}
