package analysis

// Use is how much a code is used, for the codebook document.
type Use struct {
	Segments     int `json:"segments"`
	Documents    int `json:"documents"`
	Participants int `json:"participants"`
}

// CodebookUse returns each code's own use (not rolled up), by code id,
// counted as Freq counts without options: every coding is a segment,
// participants are distinct speakers other than interviewers. Every code of
// the codebook has an entry, unused ones zero.
func CodebookUse(ds *Dataset) map[string]Use {
	tree := newCodeTree(ds)
	t := newTally(ds, tree, nil, false)
	n := t.nCodes
	tg := identityTargets(n)
	segs, docs, parts := t.segments(tg, n), t.documents(tg, n), t.participants(tg, n)
	out := make(map[string]Use, n)
	for i, c := range tree.codes {
		out[c.ID] = Use{Segments: segs[i], Documents: docs[i], Participants: parts[i]}
	}
	return out
}
