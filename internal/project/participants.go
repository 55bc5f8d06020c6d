package project

import (
	"errors"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/qcode-qda/qcode/internal/store"
)

// RoleInterviewer is the role whose turns are left out of "participants
// mentioning" counts by default.
const RoleInterviewer = "interviewer"

// interviewerLabel matches the labels transcripts use for the person asking
// the questions: "Interviewer", "I", "Int", "Moderator 2",
// "Dana Reyes (Researcher)".
var interviewerLabel = regexp.MustCompile(`(?i)^(?:(?:interviewer|moderator|facilitator|researcher|int|iv|i)\s*\d*|.*\((?:interviewer|moderator|facilitator|researcher)\))$`)

// DefaultRole is the role a new participant gets from its label alone.
func DefaultRole(label string) string {
	if interviewerLabel.MatchString(strings.TrimSpace(label)) {
		return RoleInterviewer
	}
	return ""
}

// ParticipantSummary is a participant with where they speak.
type ParticipantSummary struct {
	Participant
	Documents int // documents in which they have at least one turn
	Turns     int
}

// Participants lists participants by label, with turn counts.
func (p *Project) Participants() ([]ParticipantSummary, error) {
	var out []ParticipantSummary
	err := p.view(func(tx *store.Tx) error {
		ps, err := tx.Participants()
		if err != nil {
			return err
		}
		docs, err := tx.Documents()
		if err != nil {
			return err
		}
		turns, inDocs := map[string]int{}, map[string]int{}
		for _, d := range docs {
			seen := map[string]bool{}
			for _, t := range d.Turns {
				turns[t.ParticipantID]++
				if !seen[t.ParticipantID] {
					seen[t.ParticipantID] = true
					inDocs[t.ParticipantID]++
				}
			}
		}
		for _, pp := range ps {
			out = append(out, ParticipantSummary{Participant: pp, Documents: inDocs[pp.ID], Turns: turns[pp.ID]})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return naturalLess(out[i].Label, out[j].Label) })
	return out, err
}

// AttributeKeys returns the attribute names used by any participant, sorted,
// with "role" and "site" first since every study has them.
func AttributeKeys(ps []ParticipantSummary) []string {
	seen := map[string]bool{}
	for _, p := range ps {
		for k := range p.Attributes {
			seen[k] = true
		}
	}
	var keys []string
	for _, k := range []string{"role", "site"} {
		if seen[k] {
			keys = append(keys, k)
			delete(seen, k)
		}
	}
	var rest []string
	for k := range seen {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	return append(keys, rest...)
}

// SetParticipant sets attributes on the participant with label, creating it
// if needed. An empty value removes the attribute.
func (p *Project) SetParticipant(label string, attrs map[string]string) (Participant, bool, error) {
	var (
		out     Participant
		created bool
	)
	err := p.update(func(tx *store.Tx) error {
		var err error
		out, created, err = upsertParticipant(tx, ParticipantRow{Label: label, Attributes: attrs})
		return err
	})
	return out, created, err
}

// ParticipantRow is a label with attributes to set, e.g. one CSV row.
type ParticipantRow struct {
	Label      string
	Attributes map[string]string
	Line       int // source line, for errors; 0 when not from a file
}

// upsertParticipant finds (case-insensitively) or creates a participant and
// applies row's attributes. A new participant gets its default role unless
// the row gives one.
func upsertParticipant(tx *store.Tx, row ParticipantRow) (Participant, bool, error) {
	label := strings.TrimSpace(row.Label)
	if err := checkLabel(label); err != nil {
		return Participant{}, false, err
	}
	pp, err := tx.ParticipantByLabel(label)
	created := false
	switch {
	case errors.Is(err, store.ErrNotFound):
		created = true
		pp = Participant{ID: uuid.NewString(), Label: label, Attributes: map[string]string{}, Created: time.Now().UTC()}
		if role := DefaultRole(label); role != "" {
			pp.Attributes["role"] = role
		}
	case err != nil:
		return pp, false, err
	}
	if pp.Attributes == nil {
		pp.Attributes = map[string]string{}
	}
	for k, v := range row.Attributes {
		k = strings.TrimSpace(k)
		if v = strings.TrimSpace(v); v == "" {
			delete(pp.Attributes, k)
		} else {
			pp.Attributes[k] = v
		}
	}
	return pp, created, tx.PutParticipant(pp)
}

func checkLabel(label string) error {
	switch {
	case label == "":
		return userErr("participant label is empty")
	case len([]rune(label)) > 63:
		return userErr("participant label %q is longer than 63 characters", label)
	case strings.ContainsAny(label, "\n\r\t"):
		return userErr("participant label %q contains a line break or tab", label)
	}
	return nil
}

// ParseAttrs parses k=v arguments.
func ParseAttrs(args []string) (map[string]string, error) {
	out := map[string]string{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, userErr("attribute %q is not of the form key=value", a)
		}
		out[k] = strings.TrimSpace(v)
	}
	return out, nil
}

// naturalLess orders labels as people expect: P2 before P10.
func naturalLess(a, b string) bool {
	al, bl := strings.ToLower(a), strings.ToLower(b)
	for al != "" && bl != "" {
		ad, bd := leadingDigits(al), leadingDigits(bl)
		if ad != "" && bd != "" {
			if len(ad) != len(bd) {
				return len(ad) < len(bd)
			}
			if ad != bd {
				return ad < bd
			}
			al, bl = al[len(ad):], bl[len(bd):]
			continue
		}
		if al[0] != bl[0] {
			return al[0] < bl[0]
		}
		al, bl = al[1:], bl[1:]
	}
	if len(al) != len(bl) {
		return len(al) < len(bl)
	}
	return a < b
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}
