package project

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/qcode-qda/qcode/codebook"
	"github.com/qcode-qda/qcode/internal/store"
)

// Score is one fidelity review score: a site's score on one item.
type Score struct {
	Site  string
	Item  string // canonical item id, "ips25:13"
	Score int
	Line  int // source line, for errors
}

// ParseScore checks a site, item and score: the item must be an item of a
// built-in framework that has scores ("13" means IPS-25 item 13), and the
// score within its range (1-5 for IPS-25).
func ParseScore(site, item, score string) (Score, error) {
	site = strings.TrimSpace(site)
	if site == "" {
		return Score{}, userErr("site is empty")
	}
	item = strings.TrimSpace(item)
	if !strings.Contains(item, ":") {
		item = "ips25:" + item
	}
	it, err := codebook.ResolveLink(item)
	if err != nil {
		return Score{}, &UserError{Msg: err.Error()}
	}
	fw, _ := codebook.LookupFramework(strings.SplitN(it.ID, ":", 2)[0])
	if fw.ScoreMax == 0 || len(fw.Bands) == 0 {
		return Score{}, userErr("%s has no fidelity scores (only ips25 items are scored)", fw.Name)
	}
	n, err := strconv.Atoi(strings.TrimSpace(score))
	if err != nil || n < fw.ScoreMin || n > fw.ScoreMax {
		return Score{}, userErr("score %q for %s is not a whole number from %d to %d", score, it.ID, fw.ScoreMin, fw.ScoreMax)
	}
	return Score{Site: site, Item: it.ID, Score: n}, nil
}

// ReadScoresCSV reads fidelity review scores: columns site, item, score.
// Errors name the file and line; nothing is returned unless every row is
// valid.
func ReadScoresCSV(path string) ([]Score, error) {
	header, rows, err := readCSVTable(path)
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(h)] = i
	}
	for _, need := range []string{"site", "item", "score"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s:1: no %q column (need site, item, score)", path, need)
		}
	}
	var out []Score
	seen := map[string]int{}
	for _, r := range rows {
		get := func(k string) string {
			if i := col[k]; i < len(r.Fields) {
				return r.Fields[i]
			}
			return ""
		}
		s, err := ParseScore(get("site"), get("item"), get("score"))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, r.Line, err)
		}
		key := s.Site + "\x00" + s.Item
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("%s:%d: %s %s is already scored on line %d", path, r.Line, s.Site, s.Item, first)
		}
		seen[key] = r.Line
		s.Line = r.Line
		out = append(out, s)
	}
	return out, nil
}

// SetScores records fidelity review scores, replacing earlier scores for
// the same site and item, all in one transaction.
func (p *Project) SetScores(scores []Score) error {
	return p.update(func(tx *store.Tx) error {
		m, err := tx.FidelityScores()
		if err != nil {
			return err
		}
		for _, s := range scores {
			if m[s.Site] == nil {
				m[s.Site] = map[string]int{}
			}
			m[s.Site][s.Item] = s.Score
		}
		return tx.PutFidelityScores(m)
	})
}

// Scores returns recorded scores ordered by site and item.
func (p *Project) Scores() ([]Score, error) {
	var out []Score
	err := p.view(func(tx *store.Tx) error {
		m, err := tx.FidelityScores()
		for site, items := range m {
			for item, n := range items {
				out = append(out, Score{Site: site, Item: item, Score: n})
			}
		}
		return err
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Site != out[j].Site {
			return out[i].Site < out[j].Site
		}
		return naturalLess(out[i].Item, out[j].Item)
	})
	return out, err
}
