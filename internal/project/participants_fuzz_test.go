package project

import (
	"os"
	"strings"
	"testing"
)

// FuzzParticipantsCSV: any bytes either fail with an error naming the file,
// or give rows with valid, distinct labels.
func FuzzParticipantsCSV(f *testing.F) {
	if data, err := os.ReadFile("../../examples/participants.csv"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("\ufefflabel;role;site\nKari;staff;Tromsø\n"))
	f.Add([]byte("label,role\n\"P1\",\"pa\"\"tient\"\n"))
	f.Add([]byte("name,role\nx,y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseParticipantsCSV("people.csv", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "people.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range rows {
			if err := checkLabel(r.Label); err != nil {
				t.Fatalf("accepted label %q: %v", r.Label, err)
			}
			if seen[strings.ToLower(r.Label)] {
				t.Fatalf("label %q twice", r.Label)
			}
			seen[strings.ToLower(r.Label)] = true
		}
	})
}
