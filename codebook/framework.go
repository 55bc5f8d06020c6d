package codebook

// Built-in frameworks that codes link to: IPS-25 (the IPS Supported
// Employment Fidelity Scale) and CFIR 2.0. Their data are YAML files in
// frameworks/, embedded in the binary and parsed once on first use; the
// format is described in frameworks/README.md. A test loads every embedded
// file, so a malformed one fails the build's tests rather than reaching
// users; should one ever slip through, that framework is simply absent
// (links to it are reported as unknown) and nothing panics.
//
// Item ids are "<framework>:<key>":
//
//	ips25:1 .. ips25:25          the 25 fidelity items
//	cfir2:III                    a CFIR domain (I..V)
//	cfir2:III.D                  a construct (domain.construct letter)
//	cfir2:III.D.2                a subconstruct (domain.construct.number)
//	cfir2:IV.A .. cfir2:IV.I     Individuals, Roles subdomain
//	cfir2:IV.Char.A .. IV.Char.D Individuals, Characteristics subdomain
//
// The two Individuals subdomains both letter their constructs from A; the
// characteristics carry "Char" so that their keys never collide with the
// roles' and are never read as subconstructs.

import (
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

//go:embed frameworks/*.yaml
var frameworkFiles embed.FS

// builtinFrameworkIDs fixes the order of Frameworks.
var builtinFrameworkIDs = []string{"ips25", "cfir2"}

// Framework is a scale or determinant framework whose items codes can link
// to ("ips25:13").
type Framework struct {
	ID          string // "ips25", "cfir2"
	Name        string // short display name: "IPS-25", "CFIR 2.0"
	Citation    string
	Description string
	// Items in document order: for CFIR each domain, then its constructs,
	// each construct followed by its subconstructs.
	Items []FrameworkItem
	// Bands classify a total score (IPS-25 only).
	Bands []ScoreBand
	// ScoreMin and ScoreMax bound the score of one item: 1 and 5 for
	// IPS-25; -2 and +2 for CFIR 2.0, the usual per-site valence/strength
	// rating of a construct (a convention of CFIR studies, not part of the
	// framework).
	ScoreMin, ScoreMax int

	keyHint string         // what keys look like, for errors
	byKey   map[string]int // lower-cased key -> index in Items
}

// FrameworkItem is one item of a framework.
type FrameworkItem struct {
	ID      string // "ips25:13", "cfir2:III.D.2"
	Key     string // "13", "III.D.2"
	Name    string
	Section string // IPS-25 section, or the CFIR domain's name
	// Parent is the id of the construct a subconstruct belongs to; "" for
	// every other item (a construct's domain is in Section and in the
	// first part of its key).
	Parent string
	// Kind is "item" for IPS-25 and "domain", "construct" or
	// "subconstruct" for CFIR 2.0.
	Kind string
	// Group is the subdomain of a CFIR Individuals construct, "Roles" or
	// "Characteristics"; "" elsewhere.
	Group       string
	Description string // qcode's own paraphrase
	Anchor      string // official anchor text, only when the user imported it
}

// ScoreBand labels a range of total scores, both ends included.
type ScoreBand struct {
	Min, Max int
	Label    string
}

// Frameworks returns the built-in frameworks, IPS-25 then CFIR 2.0. Each
// call returns fresh copies, which the caller may change (for example with
// WithAnchors) without affecting the built-ins.
func Frameworks() []*Framework {
	var out []*Framework
	for _, f := range builtinFrameworks() {
		out = append(out, f.clone())
	}
	return out
}

// LookupFramework returns a copy of the built-in framework with id
// ("ips25", "cfir2"; case-insensitive).
func LookupFramework(id string) (*Framework, bool) {
	f := lookupBuiltin(id)
	if f == nil {
		return nil, false
	}
	return f.clone(), true
}

// Item returns the item with id "ips25:13" or key "13" (case-insensitive).
// An id naming another framework finds nothing.
func (f *Framework) Item(id string) (*FrameworkItem, bool) {
	key := id
	if fw, k, ok := strings.Cut(id, ":"); ok {
		if !strings.EqualFold(fw, f.ID) {
			return nil, false
		}
		key = k
	}
	i, ok := f.index()[strings.ToLower(key)]
	if !ok {
		return nil, false
	}
	return &f.Items[i], true
}

// Band returns the band a total score falls in. It reports false for a
// framework without bands or a total outside them.
func (f *Framework) Band(total int) (ScoreBand, bool) {
	for _, b := range f.Bands {
		if total >= b.Min && total <= b.Max {
			return b, true
		}
	}
	return ScoreBand{}, false
}

// WithAnchors returns a copy of f whose items carry the anchor texts in
// anchors (keyed by item id, as ReadAnchorsCSV returns them). Entries for
// other frameworks are ignored.
func (f *Framework) WithAnchors(anchors map[string]string) *Framework {
	g := f.clone()
	for i := range g.Items {
		if a, ok := anchors[g.Items[i].ID]; ok {
			g.Items[i].Anchor = a
		}
	}
	return g
}

func (f *Framework) clone() *Framework {
	g := *f
	g.Items = append([]FrameworkItem(nil), f.Items...)
	g.Bands = append([]ScoreBand(nil), f.Bands...)
	return &g
}

// index returns the key index, building it for frameworks made by hand.
func (f *Framework) index() map[string]int {
	if f.byKey != nil && len(f.byKey) == len(f.Items) {
		return f.byKey
	}
	m := make(map[string]int, len(f.Items))
	for i, it := range f.Items {
		m[strings.ToLower(it.Key)] = i
	}
	return m
}

// ResolveLink finds the built-in item a link names. It is lenient about
// case ("IPS25:13", "cfir2:iii.d.2"); the item's ID is the canonical form
// of the link. Use it to read a link a person typed; CheckLink validates a
// stored one.
func ResolveLink(link string) (*FrameworkItem, error) {
	it, err := resolveLink(link)
	if err == errLinkForm {
		return nil, fmt.Errorf("framework link %q is not of the form framework:item (e.g. ips25:13)", link)
	}
	if err != nil {
		return nil, fmt.Errorf("framework link %q: %v", link, err)
	}
	return it, nil
}

var errLinkForm = errors.New("not of the form framework:item (e.g. ips25:13)")

// resolveLink is ResolveLink with errors that do not repeat the link.
func resolveLink(link string) (*FrameworkItem, error) {
	fwID, key, ok := strings.Cut(link, ":")
	if !ok || fwID == "" || key == "" || strings.ContainsAny(link, " \t\r\n") || strings.Contains(key, ":") {
		return nil, errLinkForm
	}
	f := lookupBuiltin(fwID)
	if f == nil {
		return nil, unknownFrameworkError(fwID)
	}
	it, ok := f.Item(key)
	if !ok {
		return nil, noItemError(f, key)
	}
	c := *it
	return &c, nil
}

func unknownFrameworkError(id string) error {
	return fmt.Errorf("unknown framework %q (known: %s)", id, strings.Join(knownFrameworkIDs(), ", "))
}

func noItemError(f *Framework, key string) error {
	hint := ""
	if f.keyHint != "" {
		hint = " (" + f.keyHint + ")"
	}
	return fmt.Errorf("%s has no item %s%s", f.Name, key, hint)
}

// CheckLink validates a framework link as stored on a code: "ips25:13",
// "cfir2:III.D.2". The framework must be a built-in one, the item must
// exist, and the link must be written exactly as the item's id (so that
// links compare equal as strings); a link in another case is refused with
// the form to use.
func CheckLink(link string) error {
	it, err := ResolveLink(link)
	if err != nil {
		return err
	}
	if it.ID != link {
		return fmt.Errorf("framework link %q: write it as %q", link, it.ID)
	}
	return nil
}

// ReadAnchorsCSV reads official anchor texts for framework items from a
// CSV file with a header row naming an "item" and an "anchor" column
// (case-insensitive, any order, other columns ignored) and optionally a
// "framework" column. An item is "13" or "ips25:13"; a bare key is looked up
// in the row's framework if there is a framework column, otherwise in the
// one built-in framework that has it (IPS-25 and CFIR keys do not overlap).
// Fields may be separated by commas, semicolons or tabs; the file must be
// UTF-8 (a byte-order mark is allowed). The result maps item ids
// ("ips25:13") to anchor text. Unknown items, repeated items and empty
// anchors are errors; errors name the file (name) and line.
func ReadAnchorsCSV(name string, r io.Reader) (map[string]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:invalidUTF8At(data)], []byte("\n"))
		return nil, fmt.Errorf("%s:%d: not UTF-8 text (save the file as CSV UTF-8)", name, line)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: empty file; expected a header row with item and anchor columns", name)
	}
	var (
		cr                 *csv.Reader
		col                map[string]int
		headerErr          error
		itemCol, anchorCol int
	)
	for _, sep := range []rune{',', ';', '\t'} {
		cr = csv.NewReader(bytes.NewReader(data))
		cr.Comma = sep
		cr.FieldsPerRecord = -1
		header, err := cr.Read()
		if err != nil {
			return nil, csvError(name, err)
		}
		col = map[string]int{}
		for i, h := range header {
			h = strings.ToLower(strings.TrimSpace(h))
			if _, dup := col[h]; !dup && h != "" {
				col[h] = i
			}
		}
		var ok1, ok2 bool
		itemCol, ok1 = col["item"]
		anchorCol, ok2 = col["anchor"]
		if ok1 && ok2 {
			headerErr = nil
			break
		}
		if headerErr == nil {
			switch {
			case !ok1:
				headerErr = fmt.Errorf(`%s:1: no "item" column; the header row must name item and anchor columns`, name)
			default:
				headerErr = fmt.Errorf(`%s:1: no "anchor" column; the header row must name item and anchor columns`, name)
			}
		}
	}
	if headerErr != nil {
		return nil, headerErr
	}
	fwCol, hasFW := col["framework"]
	out := map[string]string{}
	firstLine := map[string]int{}
	field := func(rec []string, i int) string {
		if i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		item, anchor := field(rec, itemCol), field(rec, anchorCol)
		fw := ""
		if hasFW {
			fw = field(rec, fwCol)
		}
		if item == "" && anchor == "" && fw == "" {
			continue
		}
		if item == "" {
			return nil, fmt.Errorf("%s:%d: no item", name, line)
		}
		id, err := resolveAnchorItem(fw, item)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		if anchor == "" {
			return nil, fmt.Errorf("%s:%d: item %s has no anchor text", name, line, id)
		}
		if first, dup := firstLine[id]; dup {
			return nil, fmt.Errorf("%s:%d: item %s appears twice (first on line %d)", name, line, id, first)
		}
		firstLine[id] = line
		out[id] = anchor
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no anchors after the header row", name)
	}
	return out, nil
}

// resolveAnchorItem turns a row's framework and item cells into an item id.
func resolveAnchorItem(fw, item string) (string, error) {
	if strings.Contains(item, ":") {
		it, err := resolveLink(item)
		if err == errLinkForm {
			return "", fmt.Errorf("item %q is neither a key (13) nor framework:key (ips25:13)", item)
		}
		if err != nil {
			return "", err
		}
		if fw != "" && !strings.EqualFold(fw, strings.SplitN(it.ID, ":", 2)[0]) {
			return "", fmt.Errorf("item %q does not belong to framework %q", item, fw)
		}
		return it.ID, nil
	}
	if fw != "" {
		f := lookupBuiltin(fw)
		if f == nil {
			return "", unknownFrameworkError(fw)
		}
		it, ok := f.Item(item)
		if !ok {
			return "", noItemError(f, item)
		}
		return it.ID, nil
	}
	var found []string
	for _, f := range builtinFrameworks() {
		if it, ok := f.Item(item); ok {
			found = append(found, it.ID)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		var hints []string
		for _, f := range builtinFrameworks() {
			if f.keyHint != "" {
				hints = append(hints, f.Name+": "+f.keyHint)
			}
		}
		return "", fmt.Errorf("no built-in framework has an item %q (%s)", item, strings.Join(hints, "; "))
	}
	return "", fmt.Errorf("item %q is ambiguous (%s); write it with its framework", item, strings.Join(found, ", "))
}

// csvError formats a CSV syntax error with the file name and line.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %v", name, err)
}

// invalidUTF8At returns the offset of the first invalid UTF-8 sequence.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// The embedded data, parsed once.

type fwFile struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Citation    string `yaml:"citation"`
	Description string `yaml:"description"`
	KeyHint     string `yaml:"key_hint"`
	Kinds       struct {
		Section string `yaml:"section"`
		Item    string `yaml:"item"`
		Subitem string `yaml:"subitem"`
	} `yaml:"kinds"`
	ScoreMin int         `yaml:"score_min"`
	ScoreMax int         `yaml:"score_max"`
	Bands    []ScoreBand `yaml:"bands"`
	Sections []fwSection `yaml:"sections"`
}

type fwSection struct {
	Key         string    `yaml:"key"` // set when the section is itself an item (a CFIR domain)
	Name        string    `yaml:"name"`
	Description string    `yaml:"description"`
	Items       []fwEntry `yaml:"items"`
}

type fwEntry struct {
	Key         string    `yaml:"key"`
	Name        string    `yaml:"name"`
	Group       string    `yaml:"group"`
	Description string    `yaml:"description"`
	Items       []fwEntry `yaml:"items"` // subitems (CFIR subconstructs)
}

type loadedFrameworks struct {
	list []*Framework
	errs []error
}

var loadFrameworks = sync.OnceValue(func() loadedFrameworks {
	var l loadedFrameworks
	for _, id := range builtinFrameworkIDs {
		f, err := loadFramework(id)
		if err != nil {
			l.errs = append(l.errs, err)
			continue
		}
		l.list = append(l.list, f)
	}
	return l
})

// builtinFrameworks returns the shared, read-only built-ins.
func builtinFrameworks() []*Framework { return loadFrameworks().list }

// builtinFrameworkErrors reports embedded files that failed to load; a test
// requires it to be empty.
func builtinFrameworkErrors() error { return errors.Join(loadFrameworks().errs...) }

func lookupBuiltin(id string) *Framework {
	for _, f := range builtinFrameworks() {
		if strings.EqualFold(f.ID, strings.TrimSpace(id)) {
			return f
		}
	}
	return nil
}

func knownFrameworkIDs() []string {
	var ids []string
	for _, f := range builtinFrameworks() {
		ids = append(ids, f.ID)
	}
	return ids
}

func loadFramework(id string) (*Framework, error) {
	name := "frameworks/" + id + ".yaml"
	data, err := frameworkFiles.ReadFile(name)
	if err != nil {
		return nil, err
	}
	f, err := parseFramework(name, data)
	if err != nil {
		return nil, err
	}
	if f.ID != id {
		return nil, fmt.Errorf("%s: id is %q, want %q", name, f.ID, id)
	}
	return f, nil
}

// parseFramework parses and checks one framework file.
func parseFramework(name string, data []byte) (*Framework, error) {
	var ff fwFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&ff); err != nil {
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
	}
	if ff.ID == "" || ff.ID != strings.ToLower(ff.ID) || strings.ContainsAny(ff.ID, ": \t") {
		return nil, bad("id %q must be lower case, without spaces or colons", ff.ID)
	}
	if ff.Name == "" || ff.Citation == "" || ff.Description == "" {
		return nil, bad("name, citation and description are required")
	}
	if ff.Kinds.Item == "" {
		return nil, bad("kinds.item is required")
	}
	f := &Framework{ID: ff.ID, Name: ff.Name, Citation: ff.Citation, Description: ff.Description,
		ScoreMin: ff.ScoreMin, ScoreMax: ff.ScoreMax, Bands: ff.Bands, keyHint: ff.KeyHint, byKey: map[string]int{}}
	add := func(it FrameworkItem) error {
		if it.Key == "" || strings.ContainsAny(it.Key, ": \t") {
			return bad("item %q: key %q must be non-empty, without spaces or colons", it.Name, it.Key)
		}
		if it.Name == "" || strings.Contains(it.Name, "/") {
			return bad("item %s: name %q must be non-empty and without \"/\" (it becomes a code name)", it.Key, it.Name)
		}
		if it.Description == "" {
			return bad("item %s has no description", it.Key)
		}
		if it.Kind == "" {
			return bad("item %s: no kind for its level in kinds", it.Key)
		}
		k := strings.ToLower(it.Key)
		if _, dup := f.byKey[k]; dup {
			return bad("item key %s appears twice", it.Key)
		}
		it.ID = f.ID + ":" + it.Key
		f.byKey[k] = len(f.Items)
		f.Items = append(f.Items, it)
		return nil
	}
	for _, s := range ff.Sections {
		if s.Name == "" {
			return nil, bad("a section has no name")
		}
		prefix := ""
		if s.Key != "" {
			if err := add(FrameworkItem{Key: s.Key, Name: s.Name, Section: s.Name, Kind: ff.Kinds.Section, Description: s.Description}); err != nil {
				return nil, err
			}
			prefix = s.Key + "."
		}
		if len(s.Items) == 0 {
			return nil, bad("section %s has no items", s.Name)
		}
		for _, e := range s.Items {
			if !strings.HasPrefix(e.Key, prefix) {
				return nil, bad("item %s: key must start with %q", e.Key, prefix)
			}
			if err := add(FrameworkItem{Key: e.Key, Name: e.Name, Section: s.Name, Kind: ff.Kinds.Item, Group: e.Group, Description: e.Description}); err != nil {
				return nil, err
			}
			for _, sub := range e.Items {
				if !strings.HasPrefix(sub.Key, e.Key+".") {
					return nil, bad("item %s: key must start with %q", sub.Key, e.Key+".")
				}
				if len(sub.Items) > 0 || sub.Group != "" {
					return nil, bad("item %s: subitems take no items or group", sub.Key)
				}
				if err := add(FrameworkItem{Key: sub.Key, Name: sub.Name, Section: s.Name, Parent: f.ID + ":" + e.Key, Kind: ff.Kinds.Subitem, Description: sub.Description}); err != nil {
					return nil, err
				}
			}
		}
	}
	if f.ScoreMin > f.ScoreMax {
		return nil, bad("score_min %d is above score_max %d", f.ScoreMin, f.ScoreMax)
	}
	if len(f.Bands) > 0 {
		if err := checkBands(f); err != nil {
			return nil, bad("%v", err)
		}
	}
	return f, nil
}

// checkBands requires the bands, in the order given (highest first), to
// cover every possible total exactly once.
func checkBands(f *Framework) error {
	n := 0
	for _, it := range f.Items {
		if it.Kind == f.Items[0].Kind {
			n++
		}
	}
	lo, hi := n*f.ScoreMin, n*f.ScoreMax
	next := hi
	for _, b := range f.Bands {
		if b.Label == "" {
			return fmt.Errorf("band %d-%d has no label", b.Min, b.Max)
		}
		if b.Max != next || b.Min > b.Max {
			return fmt.Errorf("band %q (%d-%d) should end at %d: bands must run from the highest total (%d) down without gaps or overlaps", b.Label, b.Min, b.Max, next, hi)
		}
		next = b.Min - 1
	}
	if next != lo-1 {
		return fmt.Errorf("bands stop at %d; they must reach the lowest total (%d)", next+1, lo)
	}
	return nil
}
