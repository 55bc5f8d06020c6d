package refi

import (
	"reflect"
	"strings"
	"testing"
)

// A transcript as NVivo for Windows and ATLAS.ti store it: a BOM, CRLF
// line breaks, emoji (one with a skin-tone modifier).
const vendorRaw = "\uFEFFQ: How are you? 😀\r\nA: Great 🎉🎉, thanks!\r\nQ: And work?\r\nA: Busy 👍🏽 but fine.\r\n"

var vendorTargets = []string{
	"Great 🎉🎉, thanks!",
	"Busy 👍🏽 but fine.",
	"A: Great 🎉🎉, thanks!\r\nQ: And work?", // across a line break
	"😀",
}

// selsIn gives the targets' positions as convention c counts them, with
// or without the selected text as the name.
func selsIn(c Convention, named bool) []sel {
	raw := strings.TrimPrefix(vendorRaw, "\uFEFF")
	var out []sel
	for _, target := range vendorTargets {
		i := strings.Index(raw, target)
		s := sel{start: unitsBefore(raw, true, c, i), end: unitsBefore(raw, true, c, i+len(target))}
		if named {
			s.name = target
		}
		out = append(out, s)
	}
	return out
}

func wantTexts() []string {
	var out []string
	for _, target := range vendorTargets {
		out = append(out, strings.ReplaceAll(target, "\r\n", "\n"))
	}
	return out
}

// Each program's own counting, named by its origin, lands every selection
// exactly — with names to check against and without (NVivo leaves the
// name empty).
func TestReadVendorConventions(t *testing.T) {
	for _, tc := range []struct {
		origin string
		conv   Convention
	}{
		{"NVivo for Windows 12.6", NVivo},
		{"ATLAS.ti for Windows 23.2.3.27778", AtlasTi},
		{"MAXQDA 24 (Release 24.7.0)", Spec},
		{"QualCoder 3.6", Convention{BOM: true}},
	} {
		for _, named := range []bool{true, false} {
			p := mustRead(t, projectWith(t, tc.origin, vendorRaw, selsIn(tc.conv, named)...))
			if got := selectedTexts(t, p); !reflect.DeepEqual(got, wantTexts()) {
				t.Errorf("%s (names %v): selections land on\n%q\nwant\n%q", tc.origin, named, got, wantTexts())
			}
			if len(p.Problems) > 0 {
				t.Errorf("%s: problems %v", tc.origin, p.Problems)
			}
			if p.Sources[0].Convention != tc.conv {
				t.Errorf("%s: convention %v, want %v", tc.origin, p.Sources[0].Convention, tc.conv)
			}
			if p.Sources[0].Text != strings.ReplaceAll(strings.TrimPrefix(vendorRaw, "\uFEFF"), "\r\n", "\n") {
				t.Errorf("%s: text not normalised: %q", tc.origin, p.Sources[0].Text)
			}
		}
	}
}

// A program that does not say who it is, or says so wrongly, is caught by
// the names: every selection lands where its name says, under the
// convention most names agree with.
func TestReadConventionFromNames(t *testing.T) {
	for _, conv := range []Convention{NVivo, AtlasTi, {BOM: true}} {
		p := mustRead(t, projectWith(t, "SomeTool 1.0", vendorRaw, selsIn(conv, true)...))
		if got := selectedTexts(t, p); !reflect.DeepEqual(got, wantTexts()) {
			t.Errorf("%v: selections land on %q", conv, got)
		}
		if p.Sources[0].Convention != conv {
			t.Errorf("convention %v, want %v (from the names)", p.Sources[0].Convention, conv)
		}
	}
}

// One selection counted differently from the rest of its source is placed
// by its name, and the notices say so.
func TestReadOneSelectionByName(t *testing.T) {
	sels := selsIn(Spec, true)
	sels[1] = selsIn(NVivo, true)[1]
	p := mustRead(t, projectWith(t, "MAXQDA 24", vendorRaw, sels...))
	if got := selectedTexts(t, p); !reflect.DeepEqual(got, wantTexts()) {
		t.Errorf("selections land on %q", got)
	}
	if !strings.Contains(strings.Join(p.Notices, "\n"), "1 selection(s) placed by their name under another counting convention") {
		t.Errorf("notices %q", p.Notices)
	}
}

// A selection that cannot be placed exactly is left out and reported with
// its source, position and code — never shifted.
func TestReadUnplaceableSelections(t *testing.T) {
	raw := strings.TrimPrefix(vendorRaw, "\uFEFF")
	crlf := len([]rune(raw[:strings.Index(raw, "\r\n")]))
	nv, spec := selsIn(NVivo, true)[0], selsIn(Spec, true)[0]
	for _, tc := range []struct {
		name   string
		origin string
		good   sel
		bad    sel
		reason string
	}{
		{"name is other text", "NVivo for Windows 12.6", nv, sel{nv.start, nv.end, "Great 🎉🎉, thanks?"},
			`the text there (counted as UTF-16 units, CRLF as 2) is "Great 🎉🎉, thanks!", not its name "Great 🎉🎉, thanks?", under any counting convention`},
		{"beyond the end", "NVivo for Windows 12.6", nv, sel{5, 500, ""}, "ends beyond the end of the text (82 units counted as UTF-16 units, CRLF as 2)"},
		{"between CR and LF", "MAXQDA 24", spec, sel{0, crlf + 1, ""}, "between the CR and LF of a line break"},
		{"inside an emoji", "NVivo for Windows 12.6", nv, sel{0, 17, ""}, "inside a character outside the Basic Multilingual Plane"},
		{"empty", "MAXQDA 24", spec, sel{3, 3, ""}, "it is empty"},
		{"name nowhere and beyond", "MAXQDA 24", spec, sel{5, 500, "Nothing like it"}, `and its name "Nothing like it" is not the text under any counting convention`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustRead(t, projectWith(t, tc.origin, vendorRaw, tc.good, tc.bad))
			if got := selectedTexts(t, p); !reflect.DeepEqual(got, []string{"Great 🎉🎉, thanks!"}) {
				t.Errorf("kept %q, want only the good selection", got)
			}
			if len(p.Problems) != 1 {
				t.Fatalf("problems %v, want one", p.Problems)
			}
			pr := p.Problems[0]
			if pr.Source != "Interview 1" || pr.Start != int64(tc.bad.start) || pr.End != int64(tc.bad.end) || !reflect.DeepEqual(pr.Codes, []string{"Joy"}) {
				t.Errorf("problem %+v does not name the source, position and code", pr)
			}
			if !strings.Contains(pr.Reason, tc.reason) {
				t.Errorf("reason %q, want %q in it", pr.Reason, tc.reason)
			}
			if s := pr.String(); strings.Contains(s, "\n") && !strings.Contains(tc.reason, "\n") {
				t.Errorf("problem is not one line: %q", s)
			}
		})
	}
}

// Sources outside the file and non-text sources are listed as skipped with
// what they held; the rest of the project is imported.
func TestReadSkippedSources(t *testing.T) {
	qde := `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:0:10" name="t" origin="NVivo 14">
  <CodeBook><Codes><Code guid="` + codeG + `" name="Joy" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <PDFSource guid="11111111-0000-4000-8000-000000000001" name="Report.pdf" path="internal://11111111-0000-4000-8000-000000000001.pdf">
      <PDFSelection guid="11111111-0000-4000-8000-000000000002" page="1" firstX="1" firstY="1" secondX="2" secondY="2">
        <Coding guid="11111111-0000-4000-8000-000000000003"><CodeRef targetGUID="` + codeG + `"/></Coding>
      </PDFSelection>
    </PDFSource>
    <PictureSource guid="11111111-0000-4000-8000-000000000004" name="Photo" path="internal://x.jpg"/>
    <AudioSource guid="11111111-0000-4000-8000-000000000005" name="Recording" path="relative:///rec.m4a"/>
    <VideoSource guid="11111111-0000-4000-8000-000000000006" name="Video" path="absolute:///C:/v.mp4"/>
    <TextSource guid="11111111-0000-4000-8000-000000000007" name="Elsewhere" plainTextPath="absolute:///C:/PROJECT/x.txt"/>
    <TextSource guid="11111111-0000-4000-8000-000000000008" name="Relative" plainTextPath="relative:///x.txt"/>
    <TextSource guid="11111111-0000-4000-8000-000000000009" name="Missing" plainTextPath="internal://nothere.txt"/>
    <TextSource guid="11111111-0000-4000-8000-00000000000a" name="Rich only" richTextPath="internal://r.docx"/>
    <TextSource guid="11111111-0000-4000-8000-00000000000b" name="Latin-1" plainTextPath="internal://l1.txt"/>
    <TextSource guid="11111111-0000-4000-8000-00000000000c" name="Inline"><PlainTextContent>Text inline.</PlainTextContent></TextSource>
  </Sources>
</Project>`
	p := mustRead(t, zipOf(t, entry{"project.qde", qde}, entry{"Sources/l1.txt", "caf\xe9"}))
	var got []string
	for _, s := range p.Skipped {
		got = append(got, s.Kind+" "+s.Name+": "+s.Reason)
	}
	want := []string{
		"PDF Report.pdf: PDF sources are not imported",
		"picture Photo: picture sources are not imported",
		"audio Recording: audio sources are not imported",
		"video Video: video sources are not imported",
		"text Elsewhere: its file absolute:///C:/PROJECT/x.txt lies outside the .qdpx (on the exporting computer); export it with sources embedded",
		"text Relative: its file relative:///x.txt lies outside the .qdpx (relative to the exporting computer's base path); export it with sources embedded",
		"text Missing: its file sources/nothere.txt is not in the .qdpx",
		"text Rich only: it has only a rich-text file (internal://r.docx), no plain text",
		"text Latin-1: its file sources/l1.txt is not UTF-8 text (REFI-QDA requires UTF-8)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("skipped\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p.Skipped[0].Selections != 1 || p.Skipped[0].Codings != 1 {
		t.Errorf("PDF source: %+v, want its selection and coding counted", p.Skipped[0])
	}
	if len(p.Sources) != 1 || p.Sources[0].Text != "Text inline." || p.Sources[0].Encoding != "inline" {
		t.Errorf("sources %+v, want the inline one", p.Sources)
	}
}

// Missing optional attributes (dates, users, names, colours) are fine;
// GUIDs in braces and lower case are read.
func TestReadMinimalAttributes(t *testing.T) {
	qde := `<Project xmlns="urn:QDA-XML:project:1.0" name="t">
  <CodeBook><Codes><Code guid="{` + strings.ToLower(codeG) + `}" name="Joy" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="` + sourceG + `" plainTextPath="internal://` + sourceG + `.txt">
    <PlainTextSelection guid="00000000-0000-4000-8000-000000000001" startPosition="0" endPosition="5"><Coding guid="00000000-0000-4000-8000-000000000002"><CodeRef targetGUID="` + codeG + `"/></Coding></PlainTextSelection>
  </TextSource></Sources>
</Project>`
	p := mustRead(t, zipOf(t, entry{"x.qde", qde}, entry{"SOURCES/" + strings.ToLower(sourceG) + ".TXT", "Hello world"}))
	if got := selectedTexts(t, p); !reflect.DeepEqual(got, []string{"Hello"}) {
		t.Errorf("got %q", got)
	}
	c := p.Sources[0].Selections[0].Codings[0]
	if c.Code != strings.ToLower(codeG) || !c.Created.IsZero() || c.CreatingUser != "" {
		t.Errorf("coding %+v", c)
	}
}

// Notes link to the project, sources, selections, codings and codes;
// cases carry variable values; sets list members.
func TestReadNotesCasesSets(t *testing.T) {
	p := mustRead(t, readSample(t, "minimal_example.qdpx"))
	if p.Name != "Minimal example" || p.Origin != "ExampleTool 0.1" || p.Description != "Project-level memo." {
		t.Errorf("project %q %q %q", p.Name, p.Origin, p.Description)
	}
	if len(p.Sources) != 2 {
		t.Fatalf("sources %d", len(p.Sources))
	}
	s := p.Sources[0]
	if len(s.Selections) != 1 || s.Selections[0].Description != "Selection memo" || len(s.Selections[0].NoteRefs) != 1 {
		t.Fatalf("selection %+v", s.Selections)
	}
	if got := []rune(s.Text)[s.Selections[0].Start:s.Selections[0].End]; string(got) != "I was so happy" {
		t.Errorf("selection on %q", string(got))
	}
	if p.CodeNotes["22222222-bbbb-4bbb-8bbb-000000000002"][0] != "66666666-ffff-4fff-8fff-000000000002" {
		t.Errorf("code notes %v", p.CodeNotes)
	}
	if len(p.Notes) != 2 || p.Notes[0].Text != "Strong positive affect here." {
		t.Errorf("notes %+v", p.Notes)
	}
	if len(p.Cases) != 1 || p.Cases[0].Name != "Participant 1" || !reflect.DeepEqual(p.Cases[0].Values, []Value{{Variable: "33333333-cccc-4ccc-8ccc-000000000001", Value: "34"}}) ||
		!reflect.DeepEqual(p.Cases[0].Sources, []string{"55555555-eeee-4eee-8eee-000000000001"}) {
		t.Errorf("cases %+v", p.Cases)
	}
	if len(p.Variables) != 1 || p.Variables[0].Type != Integer || p.Variables[0].Name != "Age" {
		t.Errorf("variables %+v", p.Variables)
	}
	if len(p.Sets) != 2 || len(p.Sets[0].Sources) != 1 || len(p.Sets[1].Codes) != 1 {
		t.Errorf("sets %+v", p.Sets)
	}
	if p.Links != 1 {
		t.Errorf("links %d", p.Links)
	}
}

// A coding of a code the codebook does not have is reported and left out.
func TestReadCodingOfUnknownCode(t *testing.T) {
	data := projectWith(t, "MAXQDA", "Hello world", sel{0, 5, "Hello"})
	data = []byte(strings.Replace(string(mustUnzipQDE(t, data)), `<CodeRef targetGUID="`+codeG, `<CodeRef targetGUID="AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA`, 1))
	p := mustRead(t, zipOf(t, entry{"project.qde", string(data)}, entry{"sources/" + sourceG + ".txt", "Hello world"}))
	if len(p.Problems) != 1 || !strings.Contains(p.Problems[0].String(), "<Coding> in \"Interview 1\" at 0-5: its code AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA is not in the codebook") {
		t.Errorf("problems %v", p.Problems)
	}
	if len(p.Sources[0].Selections[0].Codings) != 0 {
		t.Errorf("the coding was kept")
	}
}
