package project

import (
	"errors"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/qcode-qda/qcode/internal/query"
	"github.com/qcode-qda/qcode/internal/store"
)

// DefaultContext is how many characters of keyword-in-context a hit shows
// on each side.
const DefaultContext = 40

// SearchOptions say what to search for and where. Empty filters match
// everything.
type SearchOptions struct {
	Text          string // a word or phrase; with Regex, a Go regular expression
	Regex         bool
	FoldAccents   bool // "cafe" finds "café", "Tromso" finds "Tromsø"
	CaseSensitive bool // off by default: "Tromsø" finds "TROMSØ"
	WholeWord     bool // "NAV" but not "navigate"

	Docs     []string          // document references (name, file name, id)
	Where    map[string]string // ATTR=VALUE: the speaker's attribute, else the document's
	Speakers []string          // participant labels
	Roles    []string

	Context int // characters of context on each side; 0 means DefaultContext
	// Cache keeps documents' texts and their folded forms between
	// searches (a client that searches repeatedly, like the TUI, keeps
	// one); nil loads them for this search only.
	Cache *SearchCache
}

// Hit is one place the text was found.
type Hit struct {
	DocID    string
	Document string
	Turn     int // 1-based; 0 outside speaker turns (a preamble, field notes)
	Speaker  string
	Role     string
	Start    int    // rune offsets into the document's text, half-open
	End      int    //
	Text     string // the matched text exactly as in the document
	Before   string // keyword in context: the text before and after, on one line
	After    string
}

// SearchCache keeps texts prepared for searching, by text SHA-256 (texts
// never change after import, so an entry never goes stale), and the
// documents' and participants' records as of the project's last change
// (read again when the project has changed since). It is safe for
// concurrent use.
type SearchCache struct {
	mu    sync.Mutex
	texts map[string]*query.Text
	// The records, and the project file and generation they are from.
	path   string
	gen    int64
	docs   []Document
	people map[string]Participant
}

// NewSearchCache returns an empty cache.
func NewSearchCache() *SearchCache { return &SearchCache{texts: map[string]*query.Text{}} }

func (c *SearchCache) get(sha string) *query.Text {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.texts[sha]
}

// records returns the documents and participants as of tx, from the
// cache when the project has not changed since they were read.
func (c *SearchCache) records(tx *store.Tx, path string) ([]Document, map[string]Participant, error) {
	if c != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.docs != nil && c.path == path && c.gen == tx.Generation() {
			return c.docs, c.people, nil
		}
	}
	people, err := participantsByID(tx)
	if err != nil {
		return nil, nil, err
	}
	docs, err := tx.Documents()
	if err != nil {
		return nil, nil, err
	}
	if docs == nil {
		docs = []Document{}
	}
	if c != nil {
		c.path, c.gen, c.docs, c.people = path, tx.Generation(), docs, people
	}
	return docs, people, nil
}

func (c *SearchCache) put(sha string, t *query.Text) {
	if c != nil {
		c.mu.Lock()
		c.texts[sha] = t
		c.mu.Unlock()
	}
}

// Search finds text in every selected document, in document (name) order
// and then position order. Speaker labels are not searched (filter by
// speaker with Speakers instead); text outside turns is.
func (p *Project) Search(opt SearchOptions) ([]Hit, error) {
	pat, err := compilePattern(opt)
	if err != nil {
		return nil, err
	}
	var sel *selection
	err = p.view(func(tx *store.Tx) error {
		sel, err = selectForSearch(tx, p.Path(), opt)
		return err
	})
	if err != nil {
		return nil, err
	}
	width := opt.Context
	if width <= 0 {
		width = DefaultContext
	}
	// Documents are searched in parallel, one core each; the hits are
	// put back in document order.
	perDoc := make([][]Hit, len(sel.docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(sel.docs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(sel.docs); i = int(next.Add(1)) - 1 {
				perDoc[i] = sel.docHits(sel.docs[i], pat, width)
			}
		}()
	}
	wg.Wait()
	n := 0
	for _, hs := range perDoc {
		n += len(hs)
	}
	out := make([]Hit, 0, n)
	for _, hs := range perDoc {
		out = append(out, hs...)
	}
	return out, nil
}

// docHits is one document's hits with speaker and context.
func (sel *selection) docHits(sd selectedDoc, pat *query.Pattern, width int) []Hit {
	var out []Hit
	s := sd.text.String()
	for _, h := range sel.hits(sd, pat) {
		lo, hi := 0, sd.doc.Runes // context stays inside the speaker's turn
		if h.turn >= 0 {
			lo, hi = sd.doc.Turns[h.turn].Start, sd.doc.Turns[h.turn].End
		}
		before, after := query.Context(s, h.m, width, lo, hi)
		hit := Hit{DocID: sd.doc.ID, Document: sd.doc.Name, Start: h.m.Start.Rune, End: h.m.End.Rune,
			Text: s[h.m.Start.Byte:h.m.End.Byte], Before: before, After: after}
		if h.turn >= 0 {
			pp := sel.people[sd.doc.Turns[h.turn].ParticipantID]
			hit.Turn, hit.Speaker, hit.Role = h.turn+1, pp.Label, pp.Attributes["role"]
		}
		out = append(out, hit)
	}
	return out
}

// CheckPattern reports a mistake in what to search for (an empty text, a
// malformed regular expression) without opening anything, so a client
// can tell it from a problem with the project.
func CheckPattern(opt SearchOptions) error {
	_, err := compilePattern(opt)
	return err
}

func compilePattern(opt SearchOptions) (*query.Pattern, error) {
	fold := query.FoldCase
	if opt.CaseSensitive {
		fold = 0
	}
	if opt.FoldAccents {
		fold |= query.FoldAccents
	}
	pat, err := query.Compile(query.PatternOptions{Text: opt.Text, Regex: opt.Regex, Fold: fold, Word: opt.WholeWord})
	if errors.Is(err, query.ErrEmptyPattern) {
		return nil, userErr("nothing to search for: give a word or phrase, or --regex RE")
	}
	if err != nil {
		return nil, &UserError{Msg: err.Error()}
	}
	return pat, nil
}

// HitCount is how many hits one speaker has in one document.
type HitCount struct {
	Document string
	Speaker  string // "" for text outside speaker turns
	Role     string
	Hits     int
}

// CountHits counts hits per document and speaker, in the order of the
// hits (documents by name, speakers by first hit).
func CountHits(hits []Hit) []HitCount {
	var out []HitCount
	at := map[[2]string]int{}
	for _, h := range hits {
		k := [2]string{h.DocID, h.Speaker}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, HitCount{Document: h.Document, Speaker: h.Speaker, Role: h.Role})
		}
		out[i].Hits++
	}
	return out
}

// selection is the documents a search or auto-coding looks at, with their
// texts and who may speak in the hits.
type selection struct {
	docs   []selectedDoc
	people map[string]Participant
}

type selectedDoc struct {
	doc  Document
	text *query.Text
	// turnOK[i] says whether turn i's speaker passes the filters; textOK
	// whether text outside turns (no speaker) does.
	turnOK []bool
	textOK bool
}

type docHit struct {
	m    query.Match
	turn int // index into the document's turns; -1 outside them
}

// selectForSearch resolves the filters and loads the texts of the
// documents where anything can pass them.
func selectForSearch(tx *store.Tx, path string, opt SearchOptions) (*selection, error) {
	all, people, err := opt.Cache.records(tx, path)
	if err != nil {
		return nil, err
	}
	var docs []Document
	if len(opt.Docs) > 0 {
		if docs, err = findDocuments(tx, opt.Docs); err != nil {
			return nil, err
		}
	} else {
		docs = slices.Clone(all) // the cache's slice is shared
	}
	sort.SliceStable(docs, func(i, j int) bool { return naturalLess(docs[i].Name, docs[j].Name) })
	allow, err := speakerFilter(tx, people, docs, opt)
	if err != nil {
		return nil, err
	}
	sel := &selection{people: people}
	for _, d := range docs {
		sd := selectedDoc{doc: d, turnOK: make([]bool, len(d.Turns)), textOK: allow("", &d)}
		pass := sd.textOK
		for i, t := range d.Turns {
			sd.turnOK[i] = allow(t.ParticipantID, &d)
			pass = pass || sd.turnOK[i]
		}
		if !pass {
			continue
		}
		if sd.text = opt.Cache.get(d.TextSHA256); sd.text == nil {
			text, err := tx.Text(d.ID)
			if err != nil {
				return nil, err
			}
			sd.text = query.NewText(text)
			opt.Cache.put(d.TextSHA256, sd.text)
		}
		sel.docs = append(sel.docs, sd)
	}
	return sel, nil
}

// speakerFilter resolves --speaker, --role and --where into a test of a
// speaker (participant id, "" for none) in a document. Names that match
// nothing in the project are errors, so a typo does not look like "no
// hits".
func speakerFilter(tx *store.Tx, people map[string]Participant, docs []Document, opt SearchOptions) (func(pid string, d *Document) bool, error) {
	speakers := map[string]bool{}
	for _, label := range opt.Speakers {
		pp, err := tx.ParticipantByLabel(label)
		if errors.Is(err, store.ErrNotFound) {
			return nil, userErr("no participant %q (see `qcode participants`)", label)
		}
		if err != nil {
			return nil, err
		}
		speakers[pp.ID] = true
	}
	roles := map[string]bool{}
	for _, pp := range people {
		if r := pp.Attributes["role"]; r != "" {
			roles[strings.ToLower(r)] = true
		}
	}
	for _, r := range opt.Roles {
		if !roles[strings.ToLower(r)] {
			return nil, userErr("no participant has role %q (roles: %s)", r, strings.Join(sortedKeys(roles), ", "))
		}
	}
	keys := map[string]bool{"kind": true, "document": true}
	for _, pp := range people {
		for k := range pp.Attributes {
			keys[k] = true
		}
	}
	for _, d := range docs {
		for k := range d.Attributes {
			keys[k] = true
		}
	}
	for k := range opt.Where {
		if !keys[k] {
			return nil, userErr("--where %s: no participant or document has an attribute %q (attributes: %s)", k, k, strings.Join(sortedKeys(keys), ", "))
		}
	}
	return func(pid string, d *Document) bool {
		pp, has := people[pid]
		if len(speakers) > 0 && !speakers[pid] {
			return false
		}
		if len(opt.Roles) > 0 && (!has || !containsFold(opt.Roles, pp.Attributes["role"])) {
			return false
		}
		for k, v := range opt.Where {
			got, ok := pp.Attributes[k]
			if !has || !ok {
				switch k {
				case "kind":
					got = d.Kind
				case "document":
					got = d.Name
				default:
					got = d.Attributes[k]
				}
			}
			if !strings.EqualFold(got, v) {
				return false
			}
		}
		return true
	}, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// hits returns the matches in one document that pass the speaker filters,
// leaving out matches in speaker labels.
func (sel *selection) hits(sd selectedDoc, pat *query.Pattern) []docHit {
	var out []docHit
	s, turns := sd.text.String(), sd.doc.Turns
	for m := range pat.All(sd.text) {
		pos := m.Start.Rune
		i := sort.Search(len(turns), func(i int) bool { return turns[i].End > pos })
		ti := -1
		switch {
		case i < len(turns) && turns[i].Start <= pos:
			ti = i
		case i < len(turns) && inLabel(s, m.Start, turns[i].Start):
			continue
		}
		if (ti >= 0 && sd.turnOK[ti]) || (ti < 0 && sd.textOK) {
			out = append(out, docHit{m, ti})
		}
	}
	return out
}

// inLabel reports whether position at lies in the speaker label of the
// turn starting at rune offset turnStart: on the same line, before it.
func inLabel(s string, at query.Pos, turnStart int) bool {
	for b, r := at.Byte, at.Rune; b < len(s); r++ {
		if r >= turnStart {
			return true
		}
		c, size := utf8.DecodeRuneInString(s[b:])
		if c == '\n' {
			return false
		}
		b += size
	}
	return false
}
