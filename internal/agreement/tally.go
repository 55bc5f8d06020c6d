package agreement

import "slices"

// tally holds the sufficient statistics of reliability data, added unit by
// unit (each with a weight: a row counts 1, a run of characters or a group
// of identical units counts as many). Tallies of the same shape add up, so
// per-code tallies pool into an overall one.
type tally struct {
	k      int // categories
	coders int

	o  pairs // coincidence matrix (Krippendorff): pairable values only
	ct pairs // two coders: coder 0's value × coder 1's value, units both coded

	units    float64 // units with at least one value
	pairable float64 // units with at least two values
	agree    float64 // Σ over pairable units of the share of agreeing pairs
	same     float64 // Σ over pairable units of the agreeing ordered pairs, Σ_c n_uc(n_uc − 1)
	n        float64 // pairable values, Σ m_u
	mMin     int     // fewest and most values in a pairable unit
	mMax     int
	used     []bool // categories that occur in any value

	buf []int32 // scratch for one unit's values
}

func newTally(k, coders int) *tally {
	return &tally{k: k, coders: coders, o: newPairs(k), ct: newPairs(k), used: make([]bool, k), buf: make([]int32, 0, coders)}
}

// add adds one unit: vals[c] is coder c's category or Missing.
func (t *tally) add(vals []int32, w float64) {
	b := t.buf[:0]
	for _, v := range vals {
		if v != Missing {
			b = append(b, v)
			t.used[v] = true
		}
	}
	m := len(b)
	if m == 0 {
		return
	}
	t.units += w
	if m < 2 {
		return
	}
	t.pairable += w
	t.n += w * float64(m)
	if t.mMin == 0 || m < t.mMin {
		t.mMin = m
	}
	t.mMax = max(t.mMax, m)
	if t.coders == 2 {
		t.ct.add(vals[0], vals[1], w)
	}
	if m == 2 { // the common case, without sorting
		if b[0] == b[1] {
			t.agree += w
			t.same += 2 * w
			t.o.add(b[0], b[0], 2*w)
		} else {
			t.o.add(b[0], b[1], w)
			t.o.add(b[1], b[0], w)
		}
		return
	}
	if m <= 16 {
		insertionSort(b) // the usual few coders
	} else {
		slices.Sort(b)
	}
	// Runs of equal values: category b[i] occurs cnt times in the unit.
	wm := w / float64(m-1)
	var same float64
	for i := 0; i < m; {
		j := i + 1
		for j < m && b[j] == b[i] {
			j++
		}
		ci := float64(j - i)
		same += ci * (ci - 1)
		if ci > 1 {
			t.o.add(b[i], b[i], wm*ci*(ci-1))
		}
		for p := j; p < m; {
			q := p + 1
			for q < m && b[q] == b[p] {
				q++
			}
			x := wm * ci * float64(q-p)
			t.o.add(b[i], b[p], x)
			t.o.add(b[p], b[i], x)
			p = q
		}
		i = j
	}
	t.agree += w * same / float64(m*(m-1))
	t.same += w * same
}

// merge adds u (of the same shape) into t.
func (t *tally) merge(u *tally) {
	t.o.merge(&u.o)
	t.ct.merge(&u.ct)
	t.units += u.units
	t.pairable += u.pairable
	t.agree += u.agree
	t.same += u.same
	t.n += u.n
	if u.mMin != 0 && (t.mMin == 0 || u.mMin < t.mMin) {
		t.mMin = u.mMin
	}
	t.mMax = max(t.mMax, u.mMax)
	for i, x := range u.used {
		t.used[i] = t.used[i] || x
	}
}

func insertionSort(b []int32) {
	for i := 1; i < len(b); i++ {
		for j := i; j > 0 && b[j] < b[j-1]; j-- {
			b[j], b[j-1] = b[j-1], b[j]
		}
	}
}

// pairs is a k × k table of weights: dense for the usual few categories,
// a map when there are many (interval data with thousands of values).
type pairs struct {
	k     int
	dense []float64
	m     map[[2]int32]float64
}

const maxDense = 512

func newPairs(k int) pairs {
	if k <= maxDense {
		return pairs{k: k, dense: make([]float64, k*k)}
	}
	return pairs{k: k, m: map[[2]int32]float64{}}
}

func (p *pairs) add(a, b int32, w float64) {
	if p.dense != nil {
		p.dense[int(a)*p.k+int(b)] += w
		return
	}
	p.m[[2]int32{a, b}] += w
}

func (p *pairs) merge(q *pairs) {
	q.each(func(a, b int, w float64) { p.add(int32(a), int32(b), w) })
}

// each calls fn for every non-zero cell, in row-major order.
func (p *pairs) each(fn func(a, b int, w float64)) {
	if p.dense != nil {
		for i, w := range p.dense {
			if w != 0 {
				fn(i/p.k, i%p.k, w)
			}
		}
		return
	}
	keys := make([][2]int32, 0, len(p.m))
	for key := range p.m {
		keys = append(keys, key)
	}
	slices.SortFunc(keys, func(x, y [2]int32) int {
		if x[0] != y[0] {
			return int(x[0] - y[0])
		}
		return int(x[1] - y[1])
	})
	for _, key := range keys {
		if w := p.m[key]; w != 0 {
			fn(int(key[0]), int(key[1]), w)
		}
	}
}

// rowSums returns Σ_b p[a][b] for every a.
func (p *pairs) rowSums() []float64 {
	s := make([]float64, p.k)
	p.each(func(a, _ int, w float64) { s[a] += w })
	return s
}

// colSums returns Σ_a p[a][b] for every b.
func (p *pairs) colSums() []float64 {
	s := make([]float64, p.k)
	p.each(func(_, b int, w float64) { s[b] += w })
	return s
}

// diagonal returns Σ_a p[a][a].
func (p *pairs) diagonal() float64 {
	var s float64
	p.each(func(a, b int, w float64) {
		if a == b {
			s += w
		}
	})
	return s
}
