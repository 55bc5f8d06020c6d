package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPseudonymiseLabelsNamesAndOffsets(t *testing.T) {
	p, _ := newProject(t)
	mustImport(t, p, map[string]string{"fg.txt": "Moderator: Welcome, Kari and Siri.\nKari: Thanks. Ingvild from NAV helped me, and Siri too.\nSiri: Yes, Kari, Ingvild is great.\nModerator: I see.\n"}, ImportOptions{Participants: []ParticipantRow{{Label: "Kari"}, {Label: "Siri"}}})
	names := filepath.Join(t.TempDir(), "names.txt")
	os.WriteFile(names, []byte("# people mentioned, not speaking\nIngvild\n"), 0o600)
	ps, err := p.Pseudonymiser(names)
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Document("fg")
	if err != nil {
		t.Fatal(err)
	}
	ps.Document(d)
	for _, banned := range []string{"Kari", "Siri", "Ingvild"} {
		if strings.Contains(d.Text, banned) {
			t.Errorf("%q left in the text:\n%s", banned, d.Text)
		}
	}
	if !strings.Contains(d.Text, "Moderator: Welcome, Participant 01 and Participant 02.") || !strings.Contains(d.Text, "[Name 01] from NAV") {
		t.Errorf("text:\n%s", d.Text)
	}
	// Offsets still point at what each speaker said in the new text.
	runes := []rune(d.Text)
	for _, tv := range d.Turns {
		if got := string(runes[tv.Start:tv.End]); got != tv.Text {
			t.Errorf("turn %d: offsets give %q, text is %q", tv.Number, got, tv.Text)
		}
	}
	if d.Turns[1].Speaker != "Participant 01" || d.Turns[0].Speaker != "Moderator" {
		t.Errorf("speakers: %q, %q", d.Turns[0].Speaker, d.Turns[1].Speaker)
	}
	// The same codes in a report dataset, stable across calls.
	ds, err := p.Dataset(ReportFilter{}, true)
	if err != nil {
		t.Fatal(err)
	}
	ps2, _ := p.Pseudonymiser(names)
	ps2.Apply(ds)
	labels := map[string]bool{}
	for _, pp := range ds.People {
		labels[pp.Label] = true
	}
	if !labels["Participant 01"] || !labels["Participant 02"] || labels["Kari"] {
		t.Errorf("dataset labels: %v", labels)
	}
	if strings.Contains(ds.Text(0), "Ingvild") {
		t.Error("quotes would show a listed name")
	}
}
