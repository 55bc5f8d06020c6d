package project

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/store"
)

// MergeOptions control MergeBundle.
type MergeOptions struct {
	// Map forces code matches, theirs code (id or path) -> ours code (id
	// or path), as `qcode codebook merge --map` (codebook.ReadMapCSV).
	Map map[string]string
	// Prefer settles codes whose fields differ: "ours" or "theirs" takes
	// that side's value; "" leaves them unresolved, which refuses the
	// merge (MergeRefusedError).
	Prefer string
	// DryRun works the whole merge out and reports it, storing nothing.
	DryRun bool
}

// Kinds of MergeConflict besides the codebook's, which are reported as
// "code-" + the codebook conflict kind ("code-field", "code-parent",
// "code-name-duplicate", "code-hotkey-clash", ...).
const (
	// A document of theirs has the name of one of ours but another text:
	// it is not merged, nor are its codings.
	ConflictDocumentText = "document-text"
	// A document both have (same text) differs in name, kind, memo or an
	// attribute: ours is kept.
	ConflictDocumentAttribute = "document-attribute"
	// A participant both have (same label) differs in an attribute or
	// memo: ours is kept.
	ConflictParticipantAttribute = "participant-attribute"
	// A coding both have (same id) differs in span, code, coder or memo:
	// ours is kept.
	ConflictCodingDiffers = "coding-differs"
	// The project memos differ: ours is kept.
	ConflictProjectMemo = "project-memo"
)

// MergeConflict is one thing that could not simply be brought in.
type MergeConflict struct {
	Kind string `json:"kind"`
	// Item names what it is about: a document name, participant label,
	// code path or coding id; ID is its id in this project ("" if none).
	Item  string `json:"item"`
	ID    string `json:"id"`
	Field string `json:"field"`
	Ours  string `json:"ours"`
	// Theirs is the other project's value.
	Theirs string `json:"theirs"`
	// Resolution: "ours" (ours kept), "theirs" (theirs taken), "skipped"
	// (not merged) or "unresolved" (the merge was refused).
	Resolution string `json:"resolution"`
	Detail     string `json:"detail"`
}

// MergeReport says what merging one bundle did (or, for a dry run or a
// refused merge, would have done). Its JSON form is a contract.
type MergeReport struct {
	Source       string             `json:"source"`
	Refused      bool               `json:"refused"`
	Backup       string             `json:"backup"`
	Documents    MergedDocuments    `json:"documents"`
	Participants MergedParticipants `json:"participants"`
	Codes        MergedCodes        `json:"codes"`
	Codings      MergedCodings      `json:"codings"`
	Conflicts    []MergeConflict    `json:"conflicts"`
	conflictAt   map[string]int     // theirs document id -> its document-text conflict
}

// MergedDocuments counts documents.
type MergedDocuments struct {
	Added          []string `json:"added"` // names
	AlreadyPresent int      `json:"already_present"`
	// NotMerged names theirs' documents refused because one of ours has
	// the name and another text.
	NotMerged       []string `json:"not_merged"`
	AttributesAdded int      `json:"attributes_added"`
}

// MergedParticipants counts participants.
type MergedParticipants struct {
	Added           []string `json:"added"` // labels
	AlreadyPresent  int      `json:"already_present"`
	AttributesAdded int      `json:"attributes_added"`
}

// MergedCodes counts codes.
type MergedCodes struct {
	Added []string `json:"added"` // paths in the merged codebook
	// AlreadyPresent counts theirs' codes matched to one of ours.
	AlreadyPresent int `json:"already_present"`
}

// MergedCodings counts codings.
type MergedCodings struct {
	Added int `json:"added"`
	// AlreadyPresent counts codings whose id this project has, or whose
	// coder already applied the same code to the same span.
	AlreadyPresent int `json:"already_present"`
	// Skipped counts codings on documents that were not merged.
	Skipped      int            `json:"skipped"`
	AddedByCoder map[string]int `json:"added_by_coder"`
}

// Unresolved counts the conflicts that refused the merge.
func (r *MergeReport) Unresolved() int {
	n := 0
	for _, c := range r.Conflicts {
		if c.Resolution == "unresolved" {
			n++
		}
	}
	return n
}

// MergeRefusedError is returned when the codebooks have conflicts that
// nothing settles; nothing is merged. The report lists them.
type MergeRefusedError struct {
	Source     string
	Unresolved int
}

func (e *MergeRefusedError) Error() string {
	return fmt.Sprintf("%s: not merged: %d unresolved codebook conflict(s); settle them with --prefer ours|theirs, match codes with --map FILE.csv, or edit one codebook", e.Source, e.Unresolved)
}

var errDryRun = errors.New("dry run")

// mergeTestHook, when set by a test, runs at the end of the merge
// transaction; an error from it aborts the merge as a storage failure would.
var mergeTestHook func() error

// MergeBundle brings a bundle — another coder's project, a REFI-QDA
// project — into this project; see MergeBundles.
func (p *Project) MergeBundle(b *Bundle, opt MergeOptions) (*MergeReport, error) {
	reps, err := p.MergeBundles([]*Bundle{b}, opt)
	if len(reps) == 0 {
		return nil, err
	}
	return reps[0], err
}

// MergeBundles brings bundles in, one after the other, in one write
// transaction: all of them or, on any error, nothing. Unless it is a dry
// run, an automatic backup is written first when the project holds
// anything.
//
//   - The codebooks merge by codebook.Merge (two-way, opt.Map and
//     opt.Prefer); conflicting code fields without opt.Prefer refuse the
//     whole merge with a MergeRefusedError and reports listing them.
//     Differences in the codebook's own name or description keep ours.
//   - Participants match by label, ignoring case; attributes we lack are
//     added, differing ones keep ours and are reported.
//   - Documents match by the SHA-256 of their text. A new document comes
//     in with its turns (speakers re-pointed) and keeps its id when that
//     is free; one whose name we already use for another text is not
//     merged, nor are its codings: both are reported.
//   - Codings are re-pointed to our document and code ids and keep their
//     own ids. One whose id we have is already present (reported if it
//     differs); so is a second application of the same code to the same
//     span by the same coder.
//
// Merging the same bundle twice adds nothing the second time. A bundle
// that breaks the data model (a span outside its text, a reference to
// nothing, an id that is not a UUID) is refused with an error naming it.
func (p *Project) MergeBundles(bs []*Bundle, opt MergeOptions) ([]*MergeReport, error) {
	switch opt.Prefer {
	case "", "ours", "theirs":
	default:
		return nil, userErr("prefer %q is not one of ours, theirs", opt.Prefer)
	}
	preps := make([]*prepared, len(bs))
	for i, b := range bs {
		pr, err := prepareBundle(b)
		if err != nil {
			return nil, err
		}
		preps[i] = pr
	}
	// Settle the codebooks first, so a refused merge leaves no backup.
	var (
		reps  []*MergeReport
		empty bool
	)
	err := p.view(func(tx *store.Tx) error {
		ours, err := readCodebook(tx)
		if err != nil {
			return err
		}
		docs, err := tx.Documents()
		if err != nil {
			return err
		}
		empty = len(docs) == 0 && len(ours.Codes) == 0
		for _, pr := range preps {
			rep := newReport(pr.name)
			reps = append(reps, rep)
			res, err := mergeCodebook(ours, pr, opt, rep)
			if err != nil {
				return err
			}
			ours = res.Codebook
		}
		return nil
	})
	if err != nil {
		return reps, err
	}
	backup := ""
	if !opt.DryRun && !empty {
		if backup, err = p.autoBackup("merge"); err != nil {
			return nil, err
		}
	}
	err = p.update(func(tx *store.Tx) error {
		reps = nil
		ours, err := readCodebook(tx)
		if err != nil {
			return err
		}
		for _, pr := range preps {
			rep := newReport(pr.name)
			reps = append(reps, rep)
			if ours, err = mergeOne(tx, ours, pr, opt, rep); err != nil {
				return err
			}
		}
		if mergeTestHook != nil {
			if err := mergeTestHook(); err != nil {
				return err
			}
		}
		if opt.DryRun {
			return errDryRun // roll everything back
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	for _, r := range reps {
		r.Backup = backup
	}
	return reps, err
}

func newReport(source string) *MergeReport {
	return &MergeReport{
		Source:       source,
		Documents:    MergedDocuments{Added: []string{}, NotMerged: []string{}},
		Participants: MergedParticipants{Added: []string{}},
		Codes:        MergedCodes{Added: []string{}},
		Codings:      MergedCodings{AddedByCoder: map[string]int{}},
		Conflicts:    []MergeConflict{},
		conflictAt:   map[string]int{},
	}
}

// mergeOne merges one prepared bundle and returns the codebook as it now is.
func mergeOne(tx *store.Tx, ours *codebook.Codebook, pr *prepared, opt MergeOptions, rep *MergeReport) (*codebook.Codebook, error) {
	res, err := mergeCodebook(ours, pr, opt, rep)
	if err != nil {
		return nil, err
	}
	if err := putMergedCodebook(tx, ours, res.Codebook); err != nil {
		return nil, err
	}
	people, err := mergeParticipants(tx, pr, rep)
	if err != nil {
		return nil, err
	}
	docs, err := mergeDocuments(tx, pr, people, rep)
	if err != nil {
		return nil, err
	}
	if err := mergeCodings(tx, pr, docs, res.TheirsToMerged, rep); err != nil {
		return nil, err
	}
	if m := tx.Memo(); pr.memo != "" && m != pr.memo {
		if m == "" {
			if err := tx.SetMemo(pr.memo); err != nil {
				return nil, err
			}
		} else {
			rep.conflict(MergeConflict{Kind: ConflictProjectMemo, Item: "project", Field: "memo", Ours: m, Theirs: pr.memo, Resolution: "ours"})
		}
	}
	return res.Codebook, nil
}

func (r *MergeReport) conflict(c MergeConflict) { r.Conflicts = append(r.Conflicts, c) }

// mergeCodebook merges theirs' codebook into ours (without storing it),
// reporting conflicts and the codes added; unresolved code conflicts
// refuse the merge.
func mergeCodebook(ours *codebook.Codebook, pr *prepared, opt MergeOptions, rep *MergeReport) (*codebook.MergeResult, error) {
	o := *ours
	// A project without a codebook name takes theirs rather than
	// reporting an empty name as a conflict.
	if o.Name == "" {
		o.Name = pr.cb.Name
	}
	if o.Description == "" {
		o.Description = pr.cb.Description
	}
	res, err := codebook.Merge(&o, pr.cb, codebook.MergeOptions{Map: opt.Map, Prefer: opt.Prefer})
	if err != nil {
		return nil, userErr("%s: %v", pr.name, err)
	}
	res.Codebook.Name, res.Codebook.Description = o.Name, o.Description // as stored
	rep.Codes.Added = append(rep.Codes.Added, res.Added...)
	rep.Codes.AlreadyPresent = res.Matched
	for _, c := range res.Conflicts {
		if c.ID == "" {
			// The codebook's own name or description: the project keeps
			// its own (putMergedCodebook), whatever Prefer says.
			c.Resolution = "ours"
		}
		item := c.Path
		if item == "" && c.ID == "" {
			item = "codebook"
		}
		rep.conflict(MergeConflict{Kind: "code-" + c.Kind, Item: item, ID: c.ID, Field: c.Field, Ours: c.Ours, Theirs: c.Theirs, Resolution: c.Resolution})
	}
	if n := rep.Unresolved(); n > 0 {
		rep.Refused = true
		return nil, &MergeRefusedError{Source: pr.name, Unresolved: n}
	}
	return res, nil
}

// mergeAttributes adds theirs' attributes that ours lacks and reports
// those that differ; it returns whether ours changed.
func mergeAttributes(ours *map[string]string, theirs map[string]string, added *int, report func(key, ours, theirs string)) bool {
	changed := false
	for _, k := range slices.Sorted(maps.Keys(theirs)) {
		v := theirs[k]
		have, ok := (*ours)[k]
		switch {
		case !ok || have == "":
			if *ours == nil {
				*ours = map[string]string{}
			}
			(*ours)[k] = v
			*added++
			changed = true
		case have != v:
			report(k, have, v)
		}
	}
	return changed
}

// mergeMemo takes theirs' memo when ours is empty, else reports a
// difference; it returns whether ours changed.
func mergeMemo(ours *string, theirs string, report func(key, ours, theirs string)) bool {
	switch {
	case theirs == "" || *ours == theirs:
		return false
	case *ours == "":
		*ours = theirs
		return true
	}
	report("memo", *ours, theirs)
	return false
}

// mergeParticipants returns theirs participant id -> ours.
func mergeParticipants(tx *store.Tx, pr *prepared, rep *MergeReport) (map[string]string, error) {
	ids := make(map[string]string, len(pr.participants))
	for _, tp := range pr.participants {
		op, err := tx.ParticipantByLabel(tp.Label)
		switch {
		case err == nil:
			rep.Participants.AlreadyPresent++
			ids[tp.ID] = op.ID
			report := func(k, o, t string) {
				rep.conflict(MergeConflict{Kind: ConflictParticipantAttribute, Item: op.Label, ID: op.ID, Field: k, Ours: o, Theirs: t, Resolution: "ours"})
			}
			changed := mergeAttributes(&op.Attributes, tp.Attributes, &rep.Participants.AttributesAdded, report)
			if mergeMemo(&op.Memo, tp.Memo, report) || changed {
				if err := tx.PutParticipant(op); err != nil {
					return nil, err
				}
			}
		case errors.Is(err, store.ErrNotFound):
			np := tp
			np.Attributes = maps.Clone(tp.Attributes)
			if _, err := tx.Participant(np.ID); err == nil {
				np.ID = uuid.NewString() // the id is ours for someone else
			}
			if np.Created.IsZero() {
				np.Created = time.Now().UTC()
			}
			if err := tx.PutParticipant(np); err != nil {
				return nil, err
			}
			ids[tp.ID] = np.ID
			rep.Participants.Added = append(rep.Participants.Added, np.Label)
		default:
			return nil, err
		}
	}
	return ids, nil
}

// mergeDocuments returns theirs document id -> ours for the documents
// merged or already present.
func mergeDocuments(tx *store.Tx, pr *prepared, people map[string]string, rep *MergeReport) (map[string]string, error) {
	ids := make(map[string]string, len(pr.docs))
	docs, err := tx.Documents()
	if err != nil {
		return nil, err
	}
	byName := make(map[string]Document, len(docs))
	for _, d := range docs {
		byName[strings.ToLower(d.Name)] = d
	}
	for i := range pr.docs {
		td := &pr.docs[i]
		if id, ok := tx.DocumentBySHA(td.TextSHA256); ok {
			od, err := tx.Document(id)
			if err != nil {
				return nil, err
			}
			ids[td.ID] = od.ID
			rep.Documents.AlreadyPresent++
			report := func(k, o, t string) {
				rep.conflict(MergeConflict{Kind: ConflictDocumentAttribute, Item: od.Name, ID: od.ID, Field: k, Ours: o, Theirs: t, Resolution: "ours"})
			}
			if td.Name != od.Name {
				report("name", od.Name, td.Name)
			}
			if td.Kind != od.Kind {
				report("kind", od.Kind, td.Kind)
			}
			changed := mergeAttributes(&od.Attributes, td.Attributes, &rep.Documents.AttributesAdded, report)
			if mergeMemo(&od.Memo, td.Memo, report) || changed {
				if err := tx.PutDocument(od, ""); err != nil {
					return nil, err
				}
			}
			continue
		}
		if od, taken := byName[strings.ToLower(td.Name)]; taken {
			rep.conflictAt[td.ID] = len(rep.Conflicts)
			rep.Documents.NotMerged = append(rep.Documents.NotMerged, td.Name)
			rep.conflict(MergeConflict{Kind: ConflictDocumentText, Item: td.Name, ID: od.ID, Field: "text",
				Ours: textSummary(od.Words, od.TextSHA256), Theirs: textSummary(td.Words, td.TextSHA256), Resolution: "skipped"})
			continue
		}
		d := td.Document
		d.Attributes = maps.Clone(td.Attributes)
		if _, err := tx.Document(d.ID); err == nil {
			d.ID = uuid.NewString() // the id is ours for another text
		}
		d.Turns = make([]Turn, len(td.Turns))
		for j, t := range td.Turns {
			if t.ParticipantID != "" {
				t.ParticipantID = people[t.ParticipantID]
			}
			d.Turns[j] = t
		}
		if err := tx.PutDocument(d, td.Text); err != nil {
			return nil, err
		}
		byName[strings.ToLower(d.Name)] = d
		ids[td.ID] = d.ID
		rep.Documents.Added = append(rep.Documents.Added, d.Name)
	}
	return ids, nil
}

func textSummary(words int, sha string) string {
	return fmt.Sprintf("%d words, SHA-256 %s…", words, sha[:min(12, len(sha))])
}

// mergeCodings stores theirs' codings on merged documents, re-pointed to
// our ids, in one sorted batch.
func mergeCodings(tx *store.Tx, pr *prepared, docs, codes map[string]string, rep *MergeReport) error {
	var (
		batch   []Coding
		spans   = map[spanOf]bool{} // in this batch; ids are unique in a prepared bundle
		skipped = map[string]int{}
		cix     *codebook.Index // ours, for describing differing codings
	)
	codePath := func(id string) string {
		if cix == nil {
			codes, _ := tx.Codes()
			cix = codebook.NewIndex(codes)
		}
		return cix.Path(id)
	}
	for _, tc := range pr.codings {
		docID, ok := docs[tc.DocID]
		if !ok {
			rep.Codings.Skipped++
			skipped[tc.DocID]++
			continue
		}
		codeID, ok := codes[tc.CodeID]
		if !ok {
			return fmt.Errorf("%s: coding %s: its code %s has no place in the merged codebook (please report this)", pr.name, tc.ID, tc.CodeID)
		}
		c := tc
		c.DocID, c.CodeID = docID, codeID
		if tx.HasCoding(c.ID) {
			rep.Codings.AlreadyPresent++
			old, err := tx.Coding(c.ID)
			if err != nil {
				return err
			}
			if fields, o, t := codingDiff(old, c, codePath); fields != "" {
				rep.conflict(MergeConflict{Kind: ConflictCodingDiffers, Item: c.ID, ID: c.ID, Field: fields, Ours: o, Theirs: t, Resolution: "ours"})
			}
			continue
		}
		key := spanOf{c.DocID, c.CodeID, c.Coder, c.Start, c.End}
		if _, dup := tx.SpanOwner(&c); dup || spans[key] {
			rep.Codings.AlreadyPresent++
			continue
		}
		spans[key] = true
		batch = append(batch, c)
		rep.Codings.AddedByCoder[c.Coder]++
	}
	for docID, n := range skipped {
		if i, ok := rep.conflictAt[docID]; ok {
			rep.Conflicts[i].Detail = fmt.Sprintf("%d coding(s) not merged", n)
		}
	}
	rep.Codings.Added = len(batch)
	return tx.PutCodings(batch)
}

type spanOf struct {
	doc, code, coder string
	start, end       int
}

// codingDiff lists the fields in which two versions of a coding differ,
// with each side's values.
func codingDiff(ours, theirs Coding, codePath func(id string) string) (fields, o, t string) {
	if ours.DocID == theirs.DocID && ours.CodeID == theirs.CodeID && ours.Start == theirs.Start && ours.End == theirs.End &&
		ours.Coder == theirs.Coder && ours.Memo == theirs.Memo {
		return "", "", ""
	}
	var fs, ov, tv []string
	add := func(name, a, b string) {
		if a != b {
			fs, ov, tv = append(fs, name), append(ov, name+" "+a), append(tv, name+" "+b)
		}
	}
	add("document", ours.DocID, theirs.DocID)
	if ours.CodeID != theirs.CodeID {
		add("code", codePath(ours.CodeID), codePath(theirs.CodeID))
	}
	add("span", fmt.Sprintf("%d:%d", ours.Start, ours.End), fmt.Sprintf("%d:%d", theirs.Start, theirs.End))
	add("coder", ours.Coder, theirs.Coder)
	add("memo", fmt.Sprintf("%q", ours.Memo), fmt.Sprintf("%q", theirs.Memo))
	return strings.Join(fs, ","), strings.Join(ov, "; "), strings.Join(tv, "; ")
}

// prepared is a bundle checked against the data model, with canonical ids
// and each document's text hash and length computed, not trusted.
type prepared struct {
	name         string
	memo         string
	cb           *codebook.Codebook
	docs         []BundleDocument
	participants []Participant
	codings      []Coding
}

// prepareBundle checks b and returns a copy the merge may rely on; b
// itself is left unchanged.
func prepareBundle(b *Bundle) (*prepared, error) {
	name := b.Name
	if name == "" {
		name = "bundle"
	}
	bad := func(format string, args ...any) error { return userErr("%s: %s", name, fmt.Sprintf(format, args...)) }
	pr := &prepared{name: name, memo: b.Memo, cb: b.Codebook}
	if pr.cb == nil {
		pr.cb = &codebook.Codebook{}
	}
	codeIDs := make(map[string]bool, len(pr.cb.Codes))
	for _, c := range pr.cb.Codes {
		codeIDs[c.ID] = true
	}

	people := make(map[string]bool, len(b.Participants))
	labels := make(map[string]bool, len(b.Participants))
	for _, p := range b.Participants {
		id, ok := canonicalID(p.ID)
		if !ok {
			return nil, bad("participant %q: id %q is not a UUID", p.Label, p.ID)
		}
		p.Label = strings.TrimSpace(p.Label)
		if err := checkLabel(p.Label); err != nil {
			return nil, bad("participant %s: %v", id, err)
		}
		if people[id] {
			return nil, bad("participant id %s appears twice", id)
		}
		if l := strings.ToLower(p.Label); labels[l] {
			return nil, bad("participant label %q appears twice", p.Label)
		} else {
			labels[l] = true
		}
		people[id] = true
		p.ID = id
		pr.participants = append(pr.participants, p)
	}

	runes := make(map[string]int, len(b.Documents))
	for _, d := range b.Documents {
		id, ok := canonicalID(d.ID)
		if !ok {
			return nil, bad("document %q: id %q is not a UUID", d.Name, d.ID)
		}
		if _, dup := runes[id]; dup {
			return nil, bad("document id %s appears twice", id)
		}
		if strings.TrimSpace(d.Name) == "" {
			return nil, bad("document %s has no name", id)
		}
		if !utf8.ValidString(d.Text) {
			return nil, bad("document %q: its text is not valid UTF-8", d.Name)
		}
		if strings.ContainsRune(d.Text, '\r') {
			return nil, bad("document %q: its text is not normalised (it has carriage returns)", d.Name)
		}
		switch {
		case d.Kind == "":
			d.Kind = "other"
		case !slices.Contains(Kinds, d.Kind):
			return nil, bad("document %q: kind %q is not one of %s", d.Name, d.Kind, strings.Join(Kinds, ", "))
		}
		d.ID = id
		d.TextSHA256 = sha256Hex([]byte(d.Text))
		d.Runes = utf8.RuneCountInString(d.Text)
		if d.Words == 0 {
			d.Words = countWords(d.Text)
		}
		if d.ImportedAt.IsZero() {
			d.ImportedAt = time.Now().UTC()
		}
		turns := make([]Turn, len(d.Turns))
		prevEnd := 0
		for i, t := range d.Turns {
			if t.Start < prevEnd || t.End < t.Start || t.End > d.Runes {
				return nil, bad("document %q: turn %d (%d:%d) is out of order or outside the text (0:%d)", d.Name, i+1, t.Start, t.End, d.Runes)
			}
			prevEnd = t.End
			if t.ParticipantID != "" {
				pid, ok := canonicalID(t.ParticipantID)
				if !ok || !people[pid] {
					return nil, bad("document %q: turn %d names participant %s, which the bundle does not have", d.Name, i+1, t.ParticipantID)
				}
				t.ParticipantID = pid
			}
			turns[i] = t
		}
		d.Turns = turns
		runes[id] = d.Runes
		pr.docs = append(pr.docs, d)
	}

	seen := make(map[string]bool, len(b.Codings))
	pr.codings = make([]Coding, 0, len(b.Codings))
	for _, c := range b.Codings {
		id, ok := canonicalID(c.ID)
		if !ok {
			return nil, bad("coding id %q is not a UUID", c.ID)
		}
		if seen[id] {
			return nil, bad("coding id %s appears twice", id)
		}
		seen[id] = true
		doc, ok := canonicalID(c.DocID)
		n, known := runes[doc]
		switch {
		case !ok || !known:
			return nil, bad("coding %s: its document %s is not in the bundle", id, c.DocID)
		case !codeIDs[c.CodeID]:
			return nil, bad("coding %s: its code %s is not in the bundle's codebook", id, c.CodeID)
		case c.Start < 0 || c.End <= c.Start || c.End > n:
			return nil, bad("coding %s: span %d:%d is not inside its document (0:%d)", id, c.Start, c.End, n)
		case strings.TrimSpace(c.Coder) == "":
			return nil, bad("coding %s has no coder", id)
		}
		c.ID, c.DocID, c.Coder = id, doc, strings.TrimSpace(c.Coder)
		pr.codings = append(pr.codings, c)
	}
	// In id order, looking each coding up in the project walks its
	// codings bucket front to back instead of jumping about a large file.
	slices.SortFunc(pr.codings, func(a, b Coding) int { return strings.Compare(a.ID, b.ID) })
	return pr, nil
}

// canonicalID accepts a UUID in any of its spellings (upper case, braces,
// urn:uuid:) and returns the lower-case form qcode stores.
func canonicalID(s string) (string, bool) {
	if isCanonicalUUID(s) {
		return s, true // as qcode writes them: no need to parse
	}
	u, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", false
	}
	return u.String(), true
}

// isCanonicalUUID reports whether s is a UUID in lower-case 8-4-4-4-12 form.
func isCanonicalUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}
