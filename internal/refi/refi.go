// Package refi reads and writes REFI-QDA projects (.qdpx): the exchange
// format of NVivo, ATLAS.ti, MAXQDA, QualCoder and others (REFI-QDA 1.5,
// schema Project.xsd 1.0). A .qdpx is a zip holding one project file
// (*.qde, XML) and a sources/ folder of <GUID>.<ext> files.
//
// The package holds a model of the parts of a project qcode uses — origin,
// users, codebook, variables, cases, text sources with their selections and
// codings, notes, sets — and converts offsets at the edge: inside the model
// every position is a zero-based Unicode code point offset, end exclusive,
// into the source's normalised text (byte-order mark dropped, CRLF and lone
// CR turned into LF), which is qcode's own convention. See [Convention] for
// how each program counts and how a reader decides which one a file uses.
//
// The package knows nothing of qcode projects or storage; internal/project
// turns a Project into a project.Bundle and back.
package refi

import (
	"fmt"
	"time"

	"github.com/qcode-qda/qcode/codebook"
)

// Namespace is the XML namespace of a REFI-QDA 1.0 project.
const Namespace = "urn:QDA-XML:project:1.0"

// Project is a REFI-QDA project. GUIDs are kept in lower case without
// braces, whatever the file used; the writer writes them in upper case.
type Project struct {
	Name         string
	Origin       string // the program that wrote the file, e.g. "NVivo for Windows 12.6"
	Description  string // the project's own description (a memo)
	CreatingUser string // GUID
	Created      time.Time
	Modified     time.Time
	BasePath     string
	Users        []User
	// Codebook holds the codes, read and written as codebook.ReadQDC and
	// codebook.WriteQDC do; nil when the project has none.
	Codebook *codebook.Codebook
	// CodeNotes lists the notes (GUIDs) each code links to, by code id.
	CodeNotes map[string][]string
	Variables []Variable
	Cases     []Case
	Sources   []TextSource
	Notes     []Note
	NoteRefs  []string // notes on the project as a whole
	Sets      []Set

	// What reading left out; ignored by the writer.
	Skipped  []SkippedSource // sources that are not text, or whose text is not in the file
	Problems []Problem       // selections that could not be placed, broken references
	Notices  []string        // how offsets were read, and other facts worth a line
	Links    int             // <Link> elements, not imported
	Graphs   int             // <Graph> elements, not imported
	CaseRefs int             // a case's own CodeRef and SelectionRef elements, not imported
}

// User is someone who worked on the project (a coder).
type User struct {
	GUID string
	Name string
	ID   string // a short identifier some programs add, e.g. initials
}

// VariableType is a variable's typeOfVariable.
type VariableType string

// The variable types of REFI-QDA.
const (
	Text     VariableType = "Text"
	Boolean  VariableType = "Boolean"
	Integer  VariableType = "Integer"
	Float    VariableType = "Float"
	Date     VariableType = "Date"
	DateTime VariableType = "DateTime"
)

// Variable is a named attribute of cases and sources.
type Variable struct {
	GUID        string
	Name        string
	Type        VariableType
	Description string
}

// Value is a variable's value on a case or source, as the text the file
// holds (Boolean "true"/"false", Date "2006-01-02", ...).
type Value struct {
	Variable string // GUID
	Value    string
}

// Case is a unit of analysis, usually a person (a participant).
type Case struct {
	GUID        string
	Name        string
	Description string
	Values      []Value
	Sources     []string // GUIDs of the sources the case is linked to
}

// TextSource is a plain-text source with its selections.
type TextSource struct {
	GUID        string
	Name        string
	Description string
	// Text is the normalised text every position points into.
	Text string
	// Encoding is how the text was stored: "utf-8", "utf-8-bom",
	// "utf-16le", "utf-16be", or "inline" for <PlainTextContent>.
	Encoding string
	// Raw is the text file's bytes as stored (nil for inline text); the
	// writer ignores it.
	Raw []byte
	// Path is the plainTextPath, e.g. "internal://<GUID>.txt".
	Path          string
	CreatingUser  string
	Created       time.Time
	ModifyingUser string
	Modified      time.Time
	Selections    []Selection
	Codings       []Coding // codings of the source as a whole
	NoteRefs      []string
	Values        []Value
	// Convention is how the file counted positions in this source, as
	// the reader decided (see Convention), and Offsets says so in words,
	// naming only what matters for this text ("UTF-16 units, CRLF as 2");
	// the writer ignores both.
	Convention Convention
	Offsets    string
}

// Selection is a PlainTextSelection: the half-open range [Start, End) of
// code points in its source's normalised text.
type Selection struct {
	GUID        string
	Name        string // the selected text, where the program put it there
	Description string
	Start, End  int
	// RawStart and RawEnd are the positions as the file gave them.
	RawStart, RawEnd int64
	CreatingUser     string
	Created          time.Time
	ModifyingUser    string
	Modified         time.Time
	Codings          []Coding
	NoteRefs         []string
	Line             int // in the .qde, for messages; 0 when not read from a file
}

// Coding applies a code to a selection or a whole source.
type Coding struct {
	GUID         string
	Code         string // GUID of the code
	CreatingUser string
	Created      time.Time
	NoteRefs     []string
	Line         int
}

// Note is a free-text memo; selections, codings, codes, sources and the
// project link to it with NoteRef.
type Note struct {
	GUID         string
	Name         string
	Description  string
	Text         string
	CreatingUser string
	Created      time.Time
	Modified     time.Time
}

// Set is a named collection of codes, sources and notes.
type Set struct {
	GUID        string
	Name        string
	Description string
	Codes       []string
	Sources     []string
	Notes       []string
}

// SkippedSource is a source whose content is not imported: a PDF,
// picture, audio or video source, or a text whose file is not in the .qdpx.
type SkippedSource struct {
	GUID       string
	Name       string
	Kind       string // "text", "PDF", "picture", "audio", "video"
	Path       string
	Reason     string
	Selections int // selections it holds, not imported
	Codings    int
}

// Problem is something read but not imported, and why: a selection that
// cannot be placed exactly, a coding of a code the codebook does not have.
type Problem struct {
	Element    string // "PlainTextSelection", "Coding", ...
	GUID       string
	Line       int    // in the .qde
	Source     string // the source's name, for selections and codings
	Start, End int64  // the selection's positions as the file gave them; -1 when not about a selection
	Codes      []string
	Reason     string
}

func (p Problem) String() string {
	s := fmt.Sprintf("line %d: <%s>", p.Line, p.Element)
	if p.Source != "" {
		s += fmt.Sprintf(" in %q", p.Source)
	}
	if p.Start >= 0 {
		s += fmt.Sprintf(" at %d-%d", p.Start, p.End)
	}
	if len(p.Codes) > 0 {
		s += fmt.Sprintf(" (code %s)", joinQuoted(p.Codes))
	}
	return s + ": " + p.Reason
}

func joinQuoted(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", s)
	}
	return out
}
