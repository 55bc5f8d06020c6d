package agreement

import (
	"cmp"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
)

// Coding is one coded span of a document.
type Coding struct {
	Doc        int // index into Input.Docs
	Code       string
	Start, End int // [start, end) rune offsets
	Coder      string
}

// DefaultOverlap is the share of their union two segments must overlap to
// agree at segment level (MAXQDA's default, 90 %).
const DefaultOverlap = 0.9

// MaxCoders is the most coders one comparison takes.
const MaxCoders = 64

// Input is a comparison of coders' codings.
type Input struct {
	Docs    []Doc
	Codings []Coding // every coding of the compared coders in Docs (all codes: any coding shows the coder coded the document)
	Coders  []string // the coders compared; codings by anyone else are ignored
	Codes   []string // the codes compared, in report order; nil means every code in Codings, sorted
	Unit    Unit
	Overlap float64 // segment units: 0 means DefaultOverlap
	// Disagreements asks for the list of units where the coders differ.
	Disagreements bool
}

// Comparison is the result of Compare.
type Comparison struct {
	Unit    Unit
	Coders  []string
	Overlap float64 // segment units
	// Compared are the documents that two or more of the coders coded;
	// only these are compared (a coder who coded nothing in a document is
	// missing there, not "did not apply any code").
	Compared []int
	// NoUnits are compared documents without units of this kind (no turns).
	NoUnits       []int
	Codes         []CodeAgreement
	Overall       CodeAgreement // every code pooled
	Disagreements []Disagreement
}

// CodeAgreement is the agreement on one code (or, in Overall, on all).
type CodeAgreement struct {
	Code  string
	Coded []int // per coder: units (characters, segments) coded with the code in compared documents
	Stats *Result
	// Segment units: segments that found a match in another coder's
	// codings, and segments that did not (each segment is checked against
	// every other coder of its document).
	Matched, Unmatched int
	// Character units: the comparison per document where the code was used.
	Docs []DocAgreement
}

// DocAgreement is character-level agreement on one code in one document.
type DocAgreement struct {
	Doc   int
	Coded []int // characters each coder coded
	// AllCoded and NoneCoded count the characters every coder coded, and
	// none did; the rest are disagreements.
	AllCoded, NoneCoded int
	Stats               *Result
}

// Disagreement is a unit where the coders differ on a code.
type Disagreement struct {
	Doc        int
	Code       string
	Index      int // 1-based number of the unit in the document (turn, sentence, paragraph); 0 for characters and segments
	Start, End int
	Coded      []string // coders who coded the unit (the segment's coder)
	NotCoded   []string // coders of the document who did not (found no matching segment)
	// Overlap is, for a segment, the largest share of the union it shares
	// with a segment of a coder in NotCoded.
	Overlap float64
}

// profile is a unit's pattern: which coders coded the document (present)
// and which of them coded the unit with the code (ones). Units of the same
// profile are tallied together.
type profile struct{ present, ones uint64 }

type profiles map[profile]float64

// Compare compares the coders' codings of each code at the chosen unit.
// It fails with ErrNoPairable when nothing can be compared.
func Compare(in Input) (*Comparison, error) {
	c, err := newComparer(in)
	if err != nil {
		return nil, err
	}
	return c.run()
}

type comparer struct {
	in      Input
	overlap float64
	coder   map[string]int
	code    map[string]int
	codes   []string
	present []uint64     // per document: the coders who coded it
	byDoc   [][]codedRef // per document: codings of the compared codes, by code, coder, start
}

// codedRef is a coding reduced to what the comparison needs.
type codedRef struct {
	code, coder int
	start, end  int
}

func newComparer(in Input) (*comparer, error) {
	if len(in.Coders) < 2 {
		return nil, ErrNoCoders
	}
	if len(in.Coders) > MaxCoders {
		return nil, fmt.Errorf("agreement compares at most %d coders, not %d", MaxCoders, len(in.Coders))
	}
	if !slices.Contains(Units, in.Unit) {
		return nil, fmt.Errorf("unit %q is not one of turn, sentence, paragraph, char, segment", in.Unit)
	}
	c := &comparer{in: in, overlap: in.Overlap, coder: map[string]int{}, code: map[string]int{}}
	if c.overlap == 0 {
		c.overlap = DefaultOverlap
	}
	if in.Unit == UnitSegment && !(c.overlap > 0 && c.overlap <= 1) {
		return nil, fmt.Errorf("overlap %v is not a share greater than 0 and at most 1 (0.9 is 90 %%)", in.Overlap)
	}
	for i, name := range in.Coders {
		if _, dup := c.coder[name]; dup {
			return nil, fmt.Errorf("coder %q is named twice", name)
		}
		c.coder[name] = i
	}
	c.codes = in.Codes
	if c.codes == nil {
		seen := map[string]bool{}
		for _, cd := range in.Codings {
			if _, ok := c.coder[cd.Coder]; ok && !seen[cd.Code] {
				seen[cd.Code] = true
				c.codes = append(c.codes, cd.Code)
			}
		}
		slices.Sort(c.codes)
	}
	for i, code := range c.codes {
		c.code[code] = i
	}
	c.present = make([]uint64, len(in.Docs))
	c.byDoc = make([][]codedRef, len(in.Docs))
	for _, cd := range in.Codings {
		who, ok := c.coder[cd.Coder]
		if !ok {
			continue
		}
		if cd.Doc < 0 || cd.Doc >= len(in.Docs) {
			return nil, fmt.Errorf("coding of %q refers to document %d of %d", cd.Code, cd.Doc, len(in.Docs))
		}
		c.present[cd.Doc] |= 1 << who
		ci, ok := c.code[cd.Code]
		s, e := max(cd.Start, 0), min(cd.End, in.Docs[cd.Doc].Length)
		if !ok || s >= e {
			continue
		}
		c.byDoc[cd.Doc] = append(c.byDoc[cd.Doc], codedRef{ci, who, s, e})
	}
	for _, refs := range c.byDoc {
		slices.SortFunc(refs, func(a, b codedRef) int {
			if a.code != b.code {
				return a.code - b.code
			}
			if a.coder != b.coder {
				return a.coder - b.coder
			}
			return a.start - b.start
		})
	}
	return c, nil
}

func (c *comparer) run() (*Comparison, error) {
	out := &Comparison{Unit: c.in.Unit, Coders: c.in.Coders}
	if c.in.Unit == UnitSegment {
		out.Overlap = c.overlap
	}
	for d, p := range c.present {
		if bits.OnesCount64(p) >= 2 {
			out.Compared = append(out.Compared, d)
		}
	}
	if len(out.Compared) == 0 {
		return nil, fmt.Errorf("%w: no document was coded by two or more of %s", ErrNoPairable, strings.Join(c.in.Coders, ", "))
	}
	out.Codes = make([]CodeAgreement, len(c.codes))
	for i, code := range c.codes {
		out.Codes[i] = CodeAgreement{Code: code, Coded: make([]int, len(c.in.Coders))}
	}
	out.Overall = CodeAgreement{Coded: make([]int, len(c.in.Coders))}
	var err error
	switch c.in.Unit {
	case UnitChar:
		err = c.chars(out)
	case UnitSegment:
		err = c.segments(out)
	default:
		err = c.units(out)
	}
	if err != nil {
		return nil, err
	}
	for i := range out.Codes {
		for k, n := range out.Codes[i].Coded {
			out.Overall.Coded[k] += n
		}
	}
	return out, nil
}

// forCodes calls fn for each run of a document's codings with one code.
func forCodes(refs []codedRef, fn func(code int, refs []codedRef)) {
	for i := 0; i < len(refs); {
		j := i + 1
		for j < len(refs) && refs[j].code == refs[i].code {
			j++
		}
		fn(refs[i].code, refs[i:j])
		i = j
	}
}

// units compares turns, sentences or paragraphs: for each code every unit
// is coded (1) or not (0) by each coder of the document.
func (c *comparer) units(out *Comparison) error {
	perCode := make([]profiles, len(c.codes))
	for i := range perCode {
		perCode[i] = profiles{}
	}
	var marks []uint64 // per unit of the current document: coders who coded it
	var touched []int
	for _, d := range out.Compared {
		doc := &c.in.Docs[d]
		spans := Spans(doc, c.in.Unit)
		if len(spans) == 0 {
			out.NoUnits = append(out.NoUnits, d)
			continue
		}
		present := c.present[d]
		marks = slices.Grow(marks[:0], len(spans))[:len(spans)]
		clear(marks)
		coded := make([]int, len(c.codes)) // units touched per code
		forCodes(c.byDoc[d], func(code int, refs []codedRef) {
			touched = touched[:0]
			for _, r := range refs {
				// The first unit ending after the coding starts, then every
				// unit starting before it ends.
				u := sort.Search(len(spans), func(i int) bool { return spans[i][1] > r.start })
				for ; u < len(spans) && spans[u][0] < r.end; u++ {
					if marks[u] == 0 {
						touched = append(touched, u)
					}
					marks[u] |= 1 << r.coder
				}
			}
			slices.Sort(touched)
			for _, u := range touched {
				ones := marks[u]
				perCode[code][profile{present, ones}]++
				for k := range c.in.Coders {
					if ones&(1<<k) != 0 {
						out.Codes[code].Coded[k]++
					}
				}
				if c.in.Disagreements && ones != present {
					out.Disagreements = append(out.Disagreements, c.disagreement(d, code, u+1, spans[u], present, ones))
				}
				marks[u] = 0
			}
			coded[code] = len(touched)
		})
		for code := range c.codes {
			perCode[code][profile{present, 0}] += float64(len(spans) - coded[code])
		}
	}
	overall := profiles{}
	for code, ps := range perCode {
		for p, w := range ps {
			overall[p] += w
		}
		r, err := c.binaryResult(ps)
		if err != nil && !errors.Is(err, ErrNoPairable) {
			return err
		}
		out.Codes[code].Stats = r
	}
	r, err := c.binaryResult(overall)
	if err != nil {
		if errors.Is(err, ErrNoPairable) {
			return fmt.Errorf("%w: the documents two or more of the coders coded have no %s units", ErrNoPairable, c.in.Unit)
		}
		return err
	}
	out.Overall.Stats = r
	return nil
}

// binaryResult computes the statistics for units coded 1 or 0. It returns
// nil and ErrNoPairable when there is no unit.
func (c *comparer) binaryResult(ps profiles) (*Result, error) {
	keys := make([]profile, 0, len(ps))
	for p := range ps {
		keys = append(keys, p)
	}
	// A fixed order makes the floating-point sums, and so the output,
	// identical from run to run.
	slices.SortFunc(keys, func(a, b profile) int {
		if a.present != b.present {
			return cmp.Compare(a.present, b.present)
		}
		return cmp.Compare(a.ones, b.ones)
	})
	t := newTally(2, len(c.in.Coders))
	vals := make([]int32, len(c.in.Coders))
	for _, p := range keys {
		for k := range vals {
			switch {
			case p.present&(1<<k) == 0:
				vals[k] = Missing
			case p.ones&(1<<k) != 0:
				vals[k] = 1
			default:
				vals[k] = 0
			}
		}
		t.add(vals, ps[p])
	}
	r, err := t.result([]float64{0, 1}, []Metric{Nominal}, 2)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (c *comparer) names(mask uint64) []string {
	var out []string
	for k, name := range c.in.Coders {
		if mask&(1<<k) != 0 {
			out = append(out, name)
		}
	}
	return out
}

func (c *comparer) disagreement(doc, code, index int, span [2]int, present, ones uint64) Disagreement {
	return Disagreement{Doc: doc, Code: c.codes[code], Index: index, Start: span[0], End: span[1], Coded: c.names(ones), NotCoded: c.names(present &^ ones)}
}

// chars compares characters: per code and document, each character is
// coded or not by each coder of the document (NVivo's coding comparison);
// a sweep over the codings' boundaries gives runs of characters with the
// same pattern.
func (c *comparer) chars(out *Comparison) error {
	perCode := make([]profiles, len(c.codes))
	for i := range perCode {
		perCode[i] = profiles{}
	}
	type event struct{ pos, coder, delta int }
	var events []event
	for _, d := range out.Compared {
		length := c.in.Docs[d].Length
		present := c.present[d]
		coded := make([]bool, len(c.codes))
		forCodes(c.byDoc[d], func(code int, refs []codedRef) {
			coded[code] = true
			events = events[:0]
			for _, r := range refs {
				events = append(events, event{r.start, r.coder, 1}, event{r.end, r.coder, -1})
			}
			slices.SortFunc(events, func(a, b event) int { return a.pos - b.pos })
			doc := profiles{}
			var cover [MaxCoders]int
			var ones uint64
			run, runOnes := -1, uint64(0) // the disagreement a contiguous run extends
			pos := 0
			for i := 0; i <= len(events); i++ {
				next := length
				if i < len(events) {
					next = events[i].pos
				}
				if next > pos {
					doc[profile{present, ones}] += float64(next - pos)
					if c.in.Disagreements && ones != 0 && ones != present {
						if run >= 0 && runOnes == ones && out.Disagreements[run].End == pos {
							out.Disagreements[run].End = next
						} else {
							out.Disagreements = append(out.Disagreements, c.disagreement(d, code, 0, [2]int{pos, next}, present, ones))
							run, runOnes = len(out.Disagreements)-1, ones
						}
					}
					pos = next
				}
				if i < len(events) {
					e := events[i]
					cover[e.coder] += e.delta
					if cover[e.coder] > 0 {
						ones |= 1 << e.coder
					} else {
						ones &^= 1 << e.coder
					}
				}
			}
			da := DocAgreement{Doc: d, Coded: make([]int, len(c.in.Coders))}
			for p, w := range doc {
				perCode[code][p] += w
				for k := range c.in.Coders {
					if p.ones&(1<<k) != 0 {
						da.Coded[k] += int(w)
					}
				}
				switch p.ones {
				case present:
					da.AllCoded += int(w)
				case 0:
					da.NoneCoded += int(w)
				}
			}
			for k, n := range da.Coded {
				out.Codes[code].Coded[k] += n
			}
			var err error
			if da.Stats, err = c.binaryResult(doc); err == nil {
				out.Codes[code].Docs = append(out.Codes[code].Docs, da)
			}
		})
		for code, done := range coded {
			if !done && length > 0 {
				perCode[code][profile{present, 0}] += float64(length)
			}
		}
	}
	overall := profiles{}
	for code, ps := range perCode {
		for p, w := range ps {
			overall[p] += w
		}
		out.Codes[code].Stats, _ = c.binaryResult(ps)
	}
	r, err := c.binaryResult(overall)
	if err != nil {
		return fmt.Errorf("%w: the documents two or more of the coders coded have no text", ErrNoPairable)
	}
	out.Overall.Stats = r
	return nil
}

// segments matches coded segments (MAXQDA style): a segment of coder i
// agrees with coder j when j has a segment of the same code whose overlap
// with it is at least the threshold share of their union. Every segment is
// checked against every other coder of its document.
func (c *comparer) segments(out *Comparison) error {
	thr := c.overlap
	for _, d := range out.Compared {
		present := c.present[d]
		forCodes(c.byDoc[d], func(code int, refs []codedRef) {
			// refs are sorted by coder, then start: split by coder.
			var byCoder [MaxCoders][]codedRef
			for i := 0; i < len(refs); {
				j := i + 1
				for j < len(refs) && refs[j].coder == refs[i].coder {
					j++
				}
				byCoder[refs[i].coder] = refs[i:j]
				i = j
			}
			ca := &out.Codes[code]
			for i := range c.in.Coders {
				for _, s := range byCoder[i] {
					ca.Coded[i]++
					var missed uint64
					best := 0.0
					for j := range c.in.Coders {
						if j == i || present&(1<<j) == 0 {
							continue
						}
						share := bestOverlap(s, byCoder[j], thr)
						if share >= thr {
							ca.Matched++
						} else {
							ca.Unmatched++
							missed |= 1 << j
							best = max(best, share)
						}
					}
					if c.in.Disagreements && missed != 0 {
						dg := c.disagreement(d, code, 0, [2]int{s.start, s.end}, missed, 1<<i)
						dg.NotCoded = c.names(missed)
						dg.Overlap = best
						out.Disagreements = append(out.Disagreements, dg)
					}
				}
			}
		})
	}
	q := len(c.codes)
	for i := range out.Codes {
		out.Codes[i].Stats = segmentResult(out.Codes[i].Matched, out.Codes[i].Unmatched, q, len(c.in.Coders))
		out.Overall.Matched += out.Codes[i].Matched
		out.Overall.Unmatched += out.Codes[i].Unmatched
	}
	if out.Overall.Matched+out.Overall.Unmatched == 0 {
		return fmt.Errorf("%w: no coded segment in the documents two or more of the coders coded", ErrNoPairable)
	}
	out.Overall.Stats = segmentResult(out.Overall.Matched, out.Overall.Unmatched, q, len(c.in.Coders))
	return nil
}

// bestOverlap returns the largest share of their union that s shares with
// a segment in others (sorted by start), looking only where a share of
// thr or more is possible: a segment that overlaps s by thr of their union
// starts within len(s)·(1 − thr)/thr of s's start.
func bestOverlap(s codedRef, others []codedRef, thr float64) float64 {
	reach := int(float64(s.end-s.start)*(1-thr)/thr) + 1
	i := sort.Search(len(others), func(i int) bool { return others[i].start >= s.start-reach })
	best := 0.0
	for ; i < len(others) && others[i].start <= s.start+reach; i++ {
		o := others[i]
		inter := min(s.end, o.end) - max(s.start, o.start)
		if inter <= 0 {
			continue
		}
		union := max(s.end, o.end) - min(s.start, o.start)
		best = max(best, float64(inter)/float64(union))
	}
	return best
}

const reasonSegments = "segment matching gives percent agreement and Brennan–Prediger only"

// segmentResult is percent agreement over segment checks, chance-corrected
// with Brennan–Prediger for q codes.
func segmentResult(matched, unmatched, q, coders int) *Result {
	n := matched + unmatched
	r := &Result{Coders: coders, Units: n, PairableUnits: n, Categories: q, Alpha: map[Metric]Alpha{}}
	r.CohenKappa = Chance{Stat: undefined(reasonSegments)}
	r.ScottPi, r.FleissKappa = r.CohenKappa, r.CohenKappa
	if n == 0 {
		r.PercentAgreement = undefined("no segment of this code in the documents two or more of the coders coded")
		r.BrennanPrediger = Chance{Stat: r.PercentAgreement}
		return r
	}
	po := float64(matched) / float64(n)
	r.PercentAgreement = value(po)
	r.BrennanPrediger = brennanPrediger(float64(matched), float64(n), q)
	return r
}
