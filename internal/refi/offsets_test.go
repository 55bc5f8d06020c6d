package refi

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// unitsBefore counts, the slow and obvious way, how many units convention
// c gives the stored text before byte i (raw excludes the first BOM).
func unitsBefore(raw string, bom bool, c Convention, i int) int {
	n := 0
	if bom && c.BOM && i > 0 {
		n++
	}
	for j, r := range raw[:i] {
		switch {
		case r == '\r' && c.LF && strings.HasPrefix(raw[j+1:], "\n"):
			// the LF that follows counts for the pair
		case r > 0xFFFF && c.UTF16:
			n += 2
		default:
			n++
		}
	}
	return n
}

// normBefore is the code point offset in the normalised text of raw byte i.
func normBefore(raw string, i int) int {
	lead := len(raw) - len(strings.TrimLeft(raw, "\uFEFF"))
	if i <= lead {
		return 0
	}
	return utf8.RuneCountInString(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(raw[lead:i]))
}

var allConventions = []Convention{
	Spec, NVivo, AtlasTi, {UTF16: true, LF: true},
	{BOM: true}, {UTF16: true, BOM: true}, {LF: true, BOM: true}, {UTF16: true, LF: true, BOM: true},
}

// Every position of a text with a BOM, a second BOM, CRLF, a lone CR and
// emoji (one with a skin-tone modifier: two code points outside the BMP),
// counted in every convention, lands on the same character of the
// normalised text as counting by hand says.
func TestToNormEveryPosition(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  string
		bom  bool
	}{
		{"bom crlf emoji", "\uFEFFÜnïcode 😀 line one\r\nsecond 🎉🎉 line\r\n\r\nthird\rfourth 👍🏽 end\r\n", true},
		{"no bom", "😀\r\nx🎉\r\n", false},
		{"plain", "just ascii\nand lf", false},
		{"empty", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newTextMap(tc.raw, tc.bom)
			want := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(strings.TrimLeft(tc.raw, "\uFEFF"))
			if m.norm != want {
				t.Fatalf("normalised %q, want %q", m.norm, want)
			}
			for _, c := range allConventions {
				for i := 0; i <= len(tc.raw); i++ {
					if i < len(tc.raw) && !utf8.RuneStart(tc.raw[i]) {
						continue
					}
					if i > 0 && tc.raw[i-1] == '\r' && i < len(tc.raw) && tc.raw[i] == '\n' && c.LF {
						continue // no position between CR and LF when the pair counts one
					}
					u := unitsBefore(tc.raw, tc.bom, c, i)
					got, why := m.toNorm(c, int64(u))
					inside := i > 0 && tc.raw[i-1] == '\r' && i < len(tc.raw) && tc.raw[i] == '\n'
					switch {
					case inside && why != placeInsideCRLF:
						t.Errorf("%v: unit %d (between CR and LF) gave %d, %d; want inside-CRLF", c, u, got, why)
					case !inside && (why != placeOK || got != normBefore(tc.raw, i)):
						t.Errorf("%v: unit %d (byte %d) gave %d (%d), want %d", c, u, i, got, why, normBefore(tc.raw, i))
					}
				}
				total := unitsBefore(tc.raw, tc.bom, c, len(tc.raw))
				if tc.raw == "" && tc.bom && c.BOM {
					total = 1 // the BOM alone
				}
				if _, why := m.toNorm(c, int64(total+1)); why != placeBeyond {
					t.Errorf("%v: one past the end (%d) not refused", c, total+1)
				}
			}
		})
	}
}

func TestToNormInsideSurrogatePair(t *testing.T) {
	m := newTextMap("a😀b", false)
	if _, why := m.toNorm(NVivo, 2); why != placeInsideChar {
		t.Errorf("UTF-16 unit 2 is inside the emoji; got %d", why)
	}
	if n, why := m.toNorm(NVivo, 3); why != placeOK || n != 2 {
		t.Errorf("UTF-16 unit 3 is b: got %d %d", n, why)
	}
	if n, why := m.toNorm(Spec, 2); why != placeOK || n != 2 {
		t.Errorf("code point 2 is b: got %d %d", n, why)
	}
}

func TestCandidatesOnlyWhereConventionsDiffer(t *testing.T) {
	if c := newTextMap("plain\ntext", false).candidates(NVivo); len(c) != 1 {
		t.Errorf("plain text: %v, want one convention", c)
	}
	if c := newTextMap("a\r\nb", false).candidates(NVivo); len(c) != 2 || c[0] != Spec {
		t.Errorf("CRLF only: %v, want code points (NVivo's counting agrees without emoji) then LF", c)
	}
	if c := newTextMap("😀\r\n", true).candidates(AtlasTi); len(c) != 8 || c[0] != AtlasTi {
		t.Errorf("everything: %v, want all eight, ATLAS.ti's first", c)
	}
}

func TestConventionFor(t *testing.T) {
	for origin, want := range map[string]Convention{
		"NVivo for Windows 12.6":            NVivo,
		"NVivo 14 (Mac)":                    NVivo,
		"ATLAS.ti for Windows 23.2.3.27778": AtlasTi,
		"MAXQDA 24 (Release 24.7.0)":        Spec,
		"QualCoder 3.5":                     {BOM: true},
		"":                                  Spec,
	} {
		if got := ConventionFor(origin); got != want {
			t.Errorf("%q: %v, want %v", origin, got, want)
		}
	}
}

func TestNameMatches(t *testing.T) {
	for _, tc := range []struct {
		name, sel string
		want      bool
	}{
		{"I was so happy", "I was so happy", true},
		{"line one\r\nline two", "line one\nline two", true},
		{" padded ", "padded", true},
		{"The long answer...", "The long answer went on and on", true},
		{"The long answer…", "The long answer went on and on", true},
		{"was so happy", "I was so happy", false},
		{"I was so happ", "I was so happy", false},
		{"...", "anything", false},
	} {
		if got := nameMatches(tc.name, tc.sel); got != tc.want {
			t.Errorf("nameMatches(%q, %q) = %v", tc.name, tc.sel, got)
		}
	}
}

func TestFromNorm(t *testing.T) {
	text := "a\nbc\n\nd"
	lfs := lfIndex(text)
	crlf := strings.ReplaceAll(text, "\n", "\r\n")
	cr := []rune(crlf)
	for n := 0; n <= utf8.RuneCountInString(text); n++ {
		w := fromNorm(lfs, n)
		if string(cr[w:]) != strings.ReplaceAll(string([]rune(text)[n:]), "\n", "\r\n") {
			t.Errorf("offset %d -> %d in the CRLF text", n, w)
		}
	}
}
