package agreement

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Missing marks a cell without a value in Data.
const Missing = -1

// Data is reliability data: one row per unit, one column per coder, each
// cell a value or missing. Values are held as indices into an ordered list
// of categories: numbers in ascending order when every value is a number,
// else the distinct texts in sorted order (then only the nominal metric
// applies).
type Data struct {
	coders  []string
	cells   []int32 // row-major, len = units × coders; Missing or a category index
	labels  []string
	numbers []float64 // value of each category; nil when the data are not numeric
}

// ErrNoCoders is returned for data with fewer than two coders.
var ErrNoCoders = errors.New("agreement needs at least two coders")

// Coders returns the coders' names, in column order.
func (d *Data) Coders() []string { return d.coders }

// Units returns the number of rows.
func (d *Data) Units() int {
	if len(d.coders) == 0 {
		return 0
	}
	return len(d.cells) / len(d.coders)
}

// Numeric reports whether every value is a number (all metrics may apply).
func (d *Data) Numeric() bool { return d.numbers != nil }

// Categories returns the distinct values, in order.
func (d *Data) Categories() []string { return d.labels }

// Value returns the value coder c gave unit u and whether there is one.
func (d *Data) Value(u, c int) (string, bool) {
	v := d.cells[u*len(d.coders)+c]
	if v == Missing {
		return "", false
	}
	return d.labels[v], true
}

// ParseNumber reads a cell as a number the way NewStrings does: a finite
// decimal number with "." as the decimal mark, surrounding spaces ignored.
// "NaN" and "Inf" are not numbers.
func ParseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// NewNumeric builds data from values in row-major order (len(values) must
// be a multiple of len(coders)); NaN is a missing value.
func NewNumeric(coders []string, values []float64) (*Data, error) {
	if err := checkShape(coders, len(values)); err != nil {
		return nil, err
	}
	d := &Data{coders: coders, cells: make([]int32, len(values))}
	// Values get provisional indices in order of first appearance (small
	// whole numbers, the usual codes, through an array instead of the map),
	// then are renumbered in ascending order.
	var small [256]int32
	var distinct []float64
	seen := map[float64]int32{}
	for i, v := range values {
		if math.IsNaN(v) {
			d.cells[i] = Missing
			continue
		}
		if math.IsInf(v, 0) {
			return nil, fmt.Errorf("unit %d, coder %s: %v is not a finite number", i/len(coders)+1, coders[i%len(coders)], v)
		}
		if v >= 0 && v < 256 && v == math.Trunc(v) {
			k := &small[int(v)]
			if *k == 0 {
				distinct = append(distinct, v)
				*k = int32(len(distinct))
			}
			d.cells[i] = *k - 1
			continue
		}
		if v == 0 { // -0 is 0
			v = 0
		}
		k, ok := seen[v]
		if !ok {
			distinct = append(distinct, v)
			k = int32(len(distinct))
			seen[v] = k
		}
		d.cells[i] = k - 1
	}
	order := make([]int32, len(distinct))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(distinct[a], distinct[b]) })
	rank := make([]int32, len(distinct))
	d.numbers = make([]float64, len(distinct))
	d.labels = make([]string, len(distinct))
	for r, i := range order {
		rank[i] = int32(r)
		d.numbers[r] = distinct[i]
		d.labels[r] = strconv.FormatFloat(distinct[i], 'g', -1, 64)
	}
	for i, v := range d.cells {
		if v != Missing {
			d.cells[i] = rank[v]
		}
	}
	return d, nil
}

// NewStrings builds data from text cells in row-major order; an empty (or
// blank) cell is a missing value. When every value is a number
// (ParseNumber), "1" and "1.0" are the same value and all metrics may
// apply; otherwise the values are categories compared as text (after
// trimming spaces) and only the nominal metric applies.
func NewStrings(coders []string, cells []string) (*Data, error) {
	if err := checkShape(coders, len(cells)); err != nil {
		return nil, err
	}
	numeric := true
	nums := make([]float64, len(cells))
	for i, c := range cells {
		if strings.TrimSpace(c) == "" {
			nums[i] = math.NaN()
			continue
		}
		f, ok := ParseNumber(c)
		if !ok {
			numeric = false
			break
		}
		nums[i] = f
	}
	if numeric {
		return NewNumeric(coders, nums)
	}
	d := &Data{coders: coders, cells: make([]int32, len(cells))}
	index := map[string]int32{}
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			if _, ok := index[c]; !ok {
				index[c] = 0
				d.labels = append(d.labels, c)
			}
		}
	}
	slices.Sort(d.labels)
	for i, l := range d.labels {
		index[l] = int32(i)
	}
	for i, c := range cells {
		if c = strings.TrimSpace(c); c == "" {
			d.cells[i] = Missing
		} else {
			d.cells[i] = index[c]
		}
	}
	return d, nil
}

func checkShape(coders []string, cells int) error {
	if len(coders) < 2 {
		return ErrNoCoders
	}
	if cells%len(coders) != 0 {
		return fmt.Errorf("%d values do not fill rows of %d coders", cells, len(coders))
	}
	return nil
}
