package analysis

import (
	"fmt"
	"sort"
	"strings"
)

// MatrixTable is a codes × columns table of coded segments.
//
// Columns:
//   - "documents": every document of the dataset, by name in natural order
//     (P2 before P10), ties by id.
//   - "participants": every participant who speaks (has a turn) or has a
//     coding, interviewers included, by label in natural order, ties by
//     id; a last "(none)" column holds codings without a speaker, when
//     there are any.
//   - any other name is an attribute: its values (Dataset.Attr rules: the
//     speaker's, else the document's) over the speakers of every document
//     and over the codings, natural order, "(none)" last.
//
// A cell counts the codings of the row's code (with rollup, of any code in
// its subtree) in the column; binary turns it into 0 or 1. Total is the
// sum of the row's cells as shown.
type MatrixTable struct {
	Cols    string         `json:"cols"`
	Binary  bool           `json:"binary"`
	Rollup  bool           `json:"rollup"`
	Columns []MatrixColumn `json:"columns"`
	Rows    []MatrixRow    `json:"rows"`
}

// MatrixColumn is a column: Key is the document or participant id or the
// attribute value; Label is what to print.
type MatrixColumn struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// MatrixRow is one code.
type MatrixRow struct {
	CodeInfo
	Cells []int `json:"cells"`
	Total int   `json:"total"`
}

// matrixCols resolves the columns and a function giving a segment's column.
type matrixCols struct {
	cols  []MatrixColumn
	colOf func(s *Segment) int
}

func newMatrixCols(ds *Dataset, cols string) (*matrixCols, error) {
	mc := &matrixCols{}
	switch cols {
	case "":
		return nil, fmt.Errorf("matrix columns: give documents, participants or an attribute name")
	case "documents", "docs":
		order := make([]int, len(ds.Docs))
		for i := range order {
			order[i] = i
		}
		sortInts(order, func(a, b int) int {
			if c := NaturalCompare(ds.Docs[a].Name, ds.Docs[b].Name); c != 0 {
				return c
			}
			return strings.Compare(ds.Docs[a].ID, ds.Docs[b].ID)
		})
		pos := make([]int, len(ds.Docs))
		for k, d := range order {
			pos[d] = k
			mc.cols = append(mc.cols, MatrixColumn{Key: ds.Docs[d].ID, Label: ds.Docs[d].Name})
		}
		mc.colOf = func(s *Segment) int { return pos[s.Doc] }
	case "participants", "people":
		seen := map[string]bool{}
		var ids []string
		add := func(pid string) {
			if !seen[pid] {
				seen[pid] = true
				ids = append(ids, pid)
			}
		}
		for d := range ds.Docs {
			for _, tu := range ds.Docs[d].Turns {
				if tu.ParticipantID != "" {
					add(tu.ParticipantID)
				}
			}
		}
		none := false
		for i := range ds.Segments {
			if pid := ds.Segments[i].ParticipantID; pid != "" {
				add(pid)
			} else {
				none = true
			}
		}
		label := func(pid string) string {
			if l := ds.People[pid].Label; l != "" {
				return l
			}
			return pid
		}
		sort.Slice(ids, func(i, j int) bool {
			if c := NaturalCompare(label(ids[i]), label(ids[j])); c != 0 {
				return c < 0
			}
			return ids[i] < ids[j]
		})
		pos := make(map[string]int, len(ids)+1)
		for k, pid := range ids {
			pos[pid] = k
			mc.cols = append(mc.cols, MatrixColumn{Key: pid, Label: label(pid)})
		}
		if none {
			pos[""] = len(mc.cols)
			mc.cols = append(mc.cols, MatrixColumn{Key: "", Label: NoValue})
		}
		mc.colOf = func(s *Segment) int { return pos[s.ParticipantID] }
	default:
		vals := map[string]bool{}
		value := func(pid string, d int) string {
			v := attrOf(ds, pid, &ds.Docs[d], cols)
			if v == "" {
				v = NoValue
			}
			return v
		}
		for d := range ds.Docs {
			last := "\x00"
			for _, tu := range ds.Docs[d].Turns {
				if tu.ParticipantID != last {
					last = tu.ParticipantID
					vals[value(tu.ParticipantID, d)] = true
				}
			}
		}
		for i := range ds.Segments {
			s := &ds.Segments[i]
			if s.Doc >= 0 && s.Doc < len(ds.Docs) {
				vals[value(s.ParticipantID, s.Doc)] = true
			}
		}
		keys := make([]string, 0, len(vals))
		for v := range vals {
			keys = append(keys, v)
		}
		sort.Slice(keys, func(i, j int) bool { return compareValues(keys[i], keys[j]) < 0 })
		pos := make(map[string]int, len(keys))
		for k, v := range keys {
			pos[v] = k
			mc.cols = append(mc.cols, MatrixColumn{Key: v, Label: v})
		}
		mc.colOf = func(s *Segment) int { return pos[value(s.ParticipantID, s.Doc)] }
	}
	return mc, nil
}

// Matrix computes a codes × columns table; cols is "documents",
// "participants" or an attribute. root limits the rows to a code's subtree
// ("" = all codes); rollup counts each code with its subtree.
func Matrix(ds *Dataset, cols string, binary bool, root string, rollup bool) (*MatrixTable, error) {
	tree := newCodeTree(ds)
	lo, hi, err := tree.scope(ds, root)
	if err != nil {
		return nil, err
	}
	mc, err := newMatrixCols(ds, cols)
	if err != nil {
		return nil, err
	}
	nC := len(mc.cols)
	cells := make([]int, len(tree.codes)*nC)
	lastCode, lastC := "", -1
	for i := range ds.Segments {
		s := &ds.Segments[i]
		if lastC < 0 || s.CodeID != lastCode {
			c, ok := tree.idx[s.CodeID]
			if !ok {
				c = -1
			}
			lastCode, lastC = s.CodeID, c
		}
		if lastC < 0 || s.Doc < 0 || s.Doc >= len(ds.Docs) {
			lastC = -1
			continue
		}
		cells[lastC*nC+mc.colOf(s)]++
	}
	if rollup {
		for i := len(tree.codes) - 1; i >= 0; i-- {
			if p := tree.parent[i]; p >= 0 {
				for k := 0; k < nC; k++ {
					cells[p*nC+k] += cells[i*nC+k]
				}
			}
		}
	}
	mt := &MatrixTable{Cols: cols, Binary: binary, Rollup: rollup, Columns: mc.cols}
	if mt.Columns == nil {
		mt.Columns = []MatrixColumn{}
	}
	base := tree.baseDepth(lo, hi)
	for i := lo; i < hi; i++ {
		r := MatrixRow{CodeInfo: tree.info(ds, i, base), Cells: append([]int{}, cells[i*nC:(i+1)*nC]...)}
		for k, v := range r.Cells {
			if binary && v > 0 {
				v = 1
				r.Cells[k] = 1
			}
			r.Total += v
		}
		mt.Rows = append(mt.Rows, r)
	}
	if mt.Rows == nil {
		mt.Rows = []MatrixRow{}
	}
	return mt, nil
}
