package analysis

import "strings"

// FreqOptions select what Freq counts.
type FreqOptions struct {
	// By groups participants by attributes ("role", "site", or any
	// participant or document attribute, "kind", "document"). With several,
	// a group key joins the values with GroupSep.
	By []string
	// Root limits the rows to a code and its subtree (a code id; a path,
	// unique name or id prefix is accepted too). "" lists every code.
	Root string
	// Rollup counts each code together with its whole subtree.
	Rollup bool
	// IncludeInterviewers counts interviewers as participants.
	IncludeInterviewers bool
}

// FreqTable is the frequency report: one row per code in codebook order.
//
// Counting rules:
//   - Segments: the codings of the code. Every coding counts, including
//     codings in turns without a speaker and in interviewer turns.
//   - Documents: distinct documents among those codings.
//   - Participants: distinct speakers of those codings, leaving out codings
//     without a speaker and, unless IncludeInterviewers, interviewers'
//     (role "interviewer").
//   - Groups: a participant's group in a document is the participant's
//     value of each By attribute, else the document's (Dataset.Attr);
//     "(none)" when neither has it. A participant who speaks in documents
//     with different values (e.g. no site of their own, documents from two
//     sites) belongs to each of those groups, and a coding counts in the
//     group of its speaker in its document. A group's size
//     (GroupInfo.Participants) is the number of counted participants who
//     speak (have a turn) in it; GroupCount.Participants is the number of
//     them who raised the code there, Segments their codings of it, and
//     Share the first over the group size. Group counts cover counted
//     participants only, so they need not add up to the row's Segments.
//   - Rollup: a code's row covers its subtree: Segments is the number of
//     codings of any code in the subtree (a span coded with a parent and a
//     child is two codings and counts twice), Documents and Participants
//     are distinct over the subtree.
//
// Explain lists the codings behind any of these numbers.
type FreqTable struct {
	By                  []string    `json:"by,omitempty"`
	Rollup              bool        `json:"rollup"`
	IncludeInterviewers bool        `json:"include_interviewers"`
	Groups              []GroupInfo `json:"groups,omitempty"` // sorted by value, "(none)" last
	Documents           int         `json:"documents"`        // documents in the dataset
	Participants        int         `json:"participants"`     // counted participants who speak or have codings
	Orphans             int         `json:"orphan_segments"`  // codings of codes not in the codebook (in no row)
	Rows                []FreqRow   `json:"rows"`
}

// FreqRow is one code's counts.
type FreqRow struct {
	CodeInfo
	Segments     int                   `json:"segments"`
	Documents    int                   `json:"documents"`
	Participants int                   `json:"participants"`
	Groups       map[string]GroupCount `json:"groups,omitempty"` // every group of the table, zeros included
}

// GroupCount is a code's count in one group.
type GroupCount struct {
	Participants int     `json:"participants"` // participants of the group who raised the code
	Segments     int     `json:"segments"`     // their codings of it
	Share        float64 `json:"share"`        // Participants / group size (0 for an empty group)
}

// Freq computes the frequency table.
func Freq(ds *Dataset, opt FreqOptions) (*FreqTable, error) {
	by := cleanBy(opt.By)
	tree := newCodeTree(ds)
	lo, hi, err := tree.scope(ds, opt.Root)
	if err != nil {
		return nil, err
	}
	t := newTally(ds, tree, by, opt.IncludeInterviewers)
	n := t.nCodes
	tg := identityTargets(n)
	if opt.Rollup {
		tg = rollupTargets(tree)
	}
	segs := t.segments(tg, n)
	docs := t.documents(tg, n)
	parts := t.participants(tg, n)

	ft := &FreqTable{By: by, Rollup: opt.Rollup, IncludeInterviewers: opt.IncludeInterviewers,
		Documents: len(ds.Docs), Participants: t.speakers(), Orphans: t.orphans}
	var gsegs, gparts []int
	if t.grouped {
		ft.Groups, _ = t.groupOrder()
		gsegs = t.groupSegments(tg, n)
		gparts = t.groupParticipants(tg, n)
	}
	sizes := t.groupSizes()
	nG := len(t.gkeys)
	base := tree.baseDepth(lo, hi)
	ft.Rows = make([]FreqRow, 0, hi-lo)
	for i := lo; i < hi; i++ {
		r := FreqRow{CodeInfo: tree.info(ds, i, base), Segments: segs[i], Documents: docs[i], Participants: parts[i]}
		if t.grouped {
			r.Groups = make(map[string]GroupCount, nG)
			for g, key := range t.gkeys {
				np := gparts[i*nG+g]
				r.Groups[key] = GroupCount{Participants: np, Segments: gsegs[i*nG+g], Share: share(np, sizes[g])}
			}
		}
		ft.Rows = append(ft.Rows, r)
	}
	return ft, nil
}

func cleanBy(by []string) []string {
	var out []string
	for _, a := range by {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}
