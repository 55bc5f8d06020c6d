package store

import "time"

// Document is a transcript's metadata and turns. Its text lives in the texts
// bucket, read with Tx.Text, because most listings never need it.
type Document struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Kind         string            `json:"kind"`
	Attributes   map[string]string `json:"attributes,omitempty"`
	SourceFile   string            `json:"source_file"`   // base name of the imported file
	SourceSHA256 string            `json:"source_sha256"` // of the file's bytes
	TextSHA256   string            `json:"text_sha256"`   // of the normalised text
	Format       string            `json:"format"`        // txt, md, vtt, srt, docx, qdpx
	Encoding     string            `json:"encoding"`
	Runes        int               `json:"runes"` // length of the text in runes
	Words        int               `json:"words"`
	ImportedAt   time.Time         `json:"imported_at"`
	Turns        []Turn            `json:"turns"`
	Memo         string            `json:"memo,omitempty"`
}

// Turn is one speaker turn: the participant who spoke and the half-open rune
// range of what they said.
type Turn struct {
	ParticipantID string `json:"participant_id,omitempty"` // "" when the format has no speakers
	Start         int    `json:"start"`
	End           int    `json:"end"`
	TimeMS        int64  `json:"time_ms"` // -1 when unknown
}

// Participant is a person who speaks in transcripts (a REFI-QDA case).
type Participant struct {
	ID         string            `json:"id"`
	Label      string            `json:"label"`
	Attributes map[string]string `json:"attributes,omitempty"`
	Memo       string            `json:"memo,omitempty"`
	Created    time.Time         `json:"created"`
}

// Coding is one code applied by one coder to the half-open rune range
// [Start, End) of a document's text.
type Coding struct {
	ID      string    `json:"id"`
	DocID   string    `json:"doc_id"`
	CodeID  string    `json:"code_id"`
	Start   int       `json:"start"`
	End     int       `json:"end"`
	Coder   string    `json:"coder"`
	Memo    string    `json:"memo,omitempty"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// CodebookInfo is the codebook's own metadata; its codes are records of
// their own.
type CodebookInfo struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Frameworks  []string `json:"frameworks,omitempty"`
}

// Batch is a set of codings applied together by one rule (an auto-coding
// run), so that they can be removed together. CodingIDs may name codings
// removed since, one by one.
type Batch struct {
	ID        string    `json:"id"`
	Created   time.Time `json:"created"`
	Coder     string    `json:"coder"`
	CodeID    string    `json:"code_id"`
	Rule      string    `json:"rule"` // what made it, as the user asked: --match "NAV" --unit sentence
	CodingIDs []string  `json:"coding_ids"`
}

// SavedQuery is a named `qcode query` expression.
type SavedQuery struct {
	Name  string    `json:"name"`
	Query string    `json:"query"`
	Saved time.Time `json:"saved"`
	By    string    `json:"by,omitempty"` // the coder who saved it
}
