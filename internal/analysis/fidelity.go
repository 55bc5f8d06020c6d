package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
)

// FidelityOptions select what Fidelity counts.
type FidelityOptions struct {
	Framework string // "ips25" (the default) or "cfir2"
	// By groups the counts ("site", "role", any attribute; several
	// comma-separated). "" gives overall counts only, except that with
	// review scores recorded it defaults to "site".
	By                  string
	IncludeInterviewers bool
}

// Polarity slots of the fidelity counts, in column order.
const (
	slotBarrier = iota
	slotFacilitator
	slotMixed
	slotUnspecified
	slotTotal
	nSlots
)

// FidelityTable is the fidelity matrix: one row per framework item, in
// the framework's order, every item listed even when nothing is coded.
//
// Counting rules: a coding counts for an item when its code links to the
// item (Code.Links); links are not inherited, so a sub-code counts only
// for the items it links to itself. A code linked to several items counts
// for each. The column is the code's own polarity (barrier, facilitator,
// mixed; "unspecified" when it has none), never a parent's. Segments and
// participants follow Freq's rules (every coding counts as a segment;
// participants are distinct speakers, interviewers left out unless asked);
// "total" is every polarity together, its participants distinct across
// them. Groups follow Freq's group rules.
//
// Joint display: when review scores are recorded (Dataset.Scores) for the
// framework's items, Sites has one entry per scored site (natural order)
// with the total of its scores, the number of items not scored and, when
// every item is scored and the framework has bands, the band; each row's
// Joint pairs every scored site's item score with that site's counts
// (participants grouped by "site" as Freq does; a score's site matches a
// site value exactly, else case-insensitively).
type FidelityTable struct {
	Framework           string                `json:"framework"`
	FrameworkName       string                `json:"framework_name"`
	By                  []string              `json:"by,omitempty"`
	IncludeInterviewers bool                  `json:"include_interviewers"`
	Groups              []GroupInfo           `json:"groups,omitempty"`
	Rows                []FidelityRow         `json:"rows"`
	Sites               []SiteScore           `json:"sites,omitempty"`
	ScoreMin            int                   `json:"score_min"`
	ScoreMax            int                   `json:"score_max"`
	Bands               []Band                `json:"bands,omitempty"`
	Unlinked            []string              `json:"unknown_links,omitempty"` // links of codes to items the framework lacks (e.g. "ips25:99"), sorted
	Codes               map[string][]CodeInfo `json:"-"`                       // by item id: the codes linked to it (also in each row)
}

// FidelityRow is one framework item.
type FidelityRow struct {
	Item    string                    `json:"item"` // "ips25:13"
	Key     string                    `json:"key"`  // "13"
	Name    string                    `json:"name"`
	Section string                    `json:"section"`
	Kind    string                    `json:"kind"`             // "item"; CFIR: "domain", "construct", "subconstruct"
	Parent  string                    `json:"parent,omitempty"` // CFIR subconstruct's construct
	Codes   []string                  `json:"codes"`            // ids of the codes linked to the item, codebook order
	Counts  FidelityCounts            `json:"counts"`
	Groups  map[string]FidelityCounts `json:"groups,omitempty"` // every group of the table, zeros included
	Joint   map[string]JointCell      `json:"joint,omitempty"`  // by scored site
}

// FidelityCounts are an item's counts per polarity.
type FidelityCounts struct {
	Barrier     PolarityCount `json:"barrier"`
	Facilitator PolarityCount `json:"facilitator"`
	Mixed       PolarityCount `json:"mixed"`
	Unspecified PolarityCount `json:"unspecified"`
	Total       PolarityCount `json:"total"`
}

// PolarityCount is a number of codings and of distinct participants.
type PolarityCount struct {
	Segments     int `json:"segments"`
	Participants int `json:"participants"`
}

// JointCell is one site's score for an item beside the site's counts.
type JointCell struct {
	Score  int  `json:"score"`
	Scored bool `json:"scored"` // false: the site has no score for this item (Score is 0)
	FidelityCounts
}

// SiteScore is one site's review total.
type SiteScore struct {
	Site         string   `json:"site"`
	Total        int      `json:"total"`   // sum of the item scores recorded
	Scored       int      `json:"scored"`  // items scored
	Missing      int      `json:"missing"` // items not scored
	MissingItems []string `json:"missing_items,omitempty"`
	Band         string   `json:"band,omitempty"` // only when no item is missing
	Participants int      `json:"participants"`   // counted participants who speak at the site
}

// Band is a range of totals, both ends included.
type Band struct {
	Min   int    `json:"min"`
	Max   int    `json:"max"`
	Label string `json:"label"`
}

func (c *FidelityCounts) slot(i int) *PolarityCount {
	switch i {
	case slotBarrier:
		return &c.Barrier
	case slotFacilitator:
		return &c.Facilitator
	case slotMixed:
		return &c.Mixed
	case slotUnspecified:
		return &c.Unspecified
	}
	return &c.Total
}

func polaritySlot(p codebook.Polarity) int {
	switch p {
	case codebook.PolarityBarrier:
		return slotBarrier
	case codebook.PolarityFacilitator:
		return slotFacilitator
	case codebook.PolarityMixed:
		return slotMixed
	}
	return slotUnspecified
}

// fidelitySetup resolves the framework and maps codes to item slots.
type fidelitySetup struct {
	fw       *codebook.Framework
	tree     *codeTree
	tg       targets // code -> item*nSlots+slot
	codes    [][]int // item -> linked codes (listing order)
	unlinked []string
}

func newFidelitySetup(ds *Dataset, framework string) (*fidelitySetup, error) {
	if framework == "" {
		framework = "ips25"
	}
	fw, ok := codebook.LookupFramework(framework)
	if !ok {
		var known []string
		for _, f := range codebook.Frameworks() {
			known = append(known, f.ID)
		}
		return nil, fmt.Errorf("unknown framework %q (known: %s)", framework, strings.Join(known, ", "))
	}
	itemIdx := make(map[string]int, len(fw.Items))
	for i, it := range fw.Items {
		itemIdx[it.ID] = i
	}
	tree := newCodeTree(ds)
	s := &fidelitySetup{fw: fw, tree: tree, tg: make(targets, len(tree.codes)), codes: make([][]int, len(fw.Items))}
	unknown := map[string]bool{}
	for c, code := range tree.codes {
		slot := polaritySlot(code.Polarity)
		for _, link := range code.Links {
			fwID, _, _ := strings.Cut(link, ":")
			if !strings.EqualFold(fwID, fw.ID) {
				continue
			}
			it, ok := fw.Item(link)
			if !ok {
				unknown[link] = true
				continue
			}
			i := itemIdx[it.ID]
			if n := len(s.codes[i]); n > 0 && s.codes[i][n-1] == c {
				continue // the same link twice
			}
			s.codes[i] = append(s.codes[i], c)
			s.tg[c] = append(s.tg[c], int32(i*nSlots+slot), int32(i*nSlots+slotTotal))
		}
	}
	for l := range unknown {
		s.unlinked = append(s.unlinked, l)
	}
	sort.Strings(s.unlinked)
	return s, nil
}

// scores returns the recorded scores for the framework's items, by site
// and item id, and the sites in natural order.
func (s *fidelitySetup) scores(ds *Dataset) (map[string]map[string]int, []string) {
	out := map[string]map[string]int{}
	for site, m := range ds.Scores {
		for k, v := range m {
			it, ok := s.fw.Item(k)
			if !ok {
				continue
			}
			if out[site] == nil {
				out[site] = map[string]int{}
			}
			out[site][it.ID] = v
		}
	}
	sites := make([]string, 0, len(out))
	for site := range out {
		sites = append(sites, site)
	}
	sort.Slice(sites, func(i, j int) bool { return NaturalCompare(sites[i], sites[j]) < 0 })
	return out, sites
}

// Fidelity computes the fidelity matrix and its joint display.
func Fidelity(ds *Dataset, opt FidelityOptions) (*FidelityTable, error) {
	s, err := newFidelitySetup(ds, opt.Framework)
	if err != nil {
		return nil, err
	}
	fw, tree := s.fw, s.tree
	scores, sites := s.scores(ds)
	by := SplitBy(opt.By)
	if len(by) == 0 && len(sites) > 0 {
		by = []string{"site"}
	}
	nT := len(fw.Items) * nSlots
	t := newTally(ds, tree, by, opt.IncludeInterviewers)
	segs := t.segments(s.tg, nT)
	parts := t.participants(s.tg, nT)

	ft := &FidelityTable{Framework: fw.ID, FrameworkName: fw.Name, By: by, IncludeInterviewers: opt.IncludeInterviewers,
		ScoreMin: fw.ScoreMin, ScoreMax: fw.ScoreMax, Unlinked: s.unlinked, Codes: map[string][]CodeInfo{}}
	for _, b := range fw.Bands {
		ft.Bands = append(ft.Bands, Band{Min: b.Min, Max: b.Max, Label: b.Label})
	}
	var gsegs, gparts []int
	if t.grouped {
		ft.Groups, _ = t.groupOrder()
		gsegs = t.groupSegments(s.tg, nT)
		gparts = t.groupParticipants(s.tg, nT)
	}

	// The joint display's site counts.
	var st *tally
	var ssegs, sparts []int
	siteGroup := map[string]int{}
	if len(sites) > 0 {
		st = t
		if len(by) != 1 || by[0] != "site" {
			st = newTally(ds, tree, []string{"site"}, opt.IncludeInterviewers)
		}
		ssegs = st.groupSegments(s.tg, nT)
		sparts = st.groupParticipants(s.tg, nT)
		sizes := st.groupSizes()
		for _, site := range sites {
			g := st.findGroup(site)
			siteGroup[site] = g
			ss := SiteScore{Site: site}
			if g >= 0 {
				ss.Participants = sizes[g]
			}
			for _, it := range fw.Items {
				if v, ok := scores[site][it.ID]; ok {
					ss.Total += v
					ss.Scored++
				} else {
					ss.Missing++
					ss.MissingItems = append(ss.MissingItems, it.ID)
				}
			}
			if ss.Missing == 0 {
				if b, ok := fw.Band(ss.Total); ok {
					ss.Band = b.Label
				}
			}
			ft.Sites = append(ft.Sites, ss)
		}
	}

	counts := func(seg, part []int, i, nG, g int) FidelityCounts {
		var fc FidelityCounts
		for k := 0; k < nSlots; k++ {
			x := (i*nSlots+k)*nG + g
			*fc.slot(k) = PolarityCount{Segments: seg[x], Participants: part[x]}
		}
		return fc
	}
	ft.Rows = make([]FidelityRow, len(fw.Items))
	for i, it := range fw.Items {
		r := FidelityRow{Item: it.ID, Key: it.Key, Name: it.Name, Section: it.Section, Kind: it.Kind, Parent: it.Parent,
			Codes: []string{}, Counts: counts(segs, parts, i, 1, 0)}
		for _, c := range s.codes[i] {
			r.Codes = append(r.Codes, tree.codes[c].ID)
			ft.Codes[it.ID] = append(ft.Codes[it.ID], tree.info(ds, c, 0))
		}
		if t.grouped {
			nG := len(t.gkeys)
			r.Groups = make(map[string]FidelityCounts, nG)
			for g, key := range t.gkeys {
				r.Groups[key] = counts(gsegs, gparts, i, nG, g)
			}
		}
		if st != nil {
			nG := len(st.gkeys)
			r.Joint = make(map[string]JointCell, len(sites))
			for _, site := range sites {
				var jc JointCell
				jc.Score, jc.Scored = scores[site][it.ID]
				if g := siteGroup[site]; g >= 0 {
					jc.FidelityCounts = counts(ssegs, sparts, i, nG, g)
				}
				r.Joint[site] = jc
			}
		}
		ft.Rows[i] = r
	}
	return ft, nil
}

// findGroup returns the group whose key is key, else the first (in sorted
// order) equal to it case-insensitively; -1 when none.
func (t *tally) findGroup(key string) int {
	if g, ok := t.gidx[key]; ok {
		return int(g)
	}
	best := -1
	for g, k := range t.gkeys {
		if strings.EqualFold(k, key) && (best < 0 || compareParts(t.gparts[g], t.gparts[best]) < 0) {
			best = g
		}
	}
	return best
}
