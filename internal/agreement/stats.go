package agreement

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Stat is a statistic's value, or the reason it is not defined for these
// data. It is never NaN: JSON shows an undefined statistic as null.
type Stat struct {
	Value   float64
	Defined bool
	Reason  string // why it is not defined
}

func value(v float64) Stat      { return Stat{Value: v, Defined: true} }
func undefined(why string) Stat { return Stat{Reason: why} }

// MarshalJSON writes the value, or null.
func (s Stat) MarshalJSON() ([]byte, error) {
	if !s.Defined {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, s.Value, 'g', -1, 64), nil
}

// Reasons a statistic is not defined.
const (
	reasonNoVariation = "no variation: every value is the same, so chance agreement is 1 and the coefficient is 0/0"
	reasonTwoCoders   = "defined for exactly two coders"
	reasonUnequalM    = "units have different numbers of values"
	reasonOneCategory = "fewer than two categories"
)

// Metric is the difference function of Krippendorff's alpha.
type Metric string

// The metrics, for nominal, ordinal, interval and ratio data.
const (
	Nominal  Metric = "nominal"
	Ordinal  Metric = "ordinal"
	Interval Metric = "interval"
	Ratio    Metric = "ratio"
)

// Metrics lists every metric in order of measurement level.
var Metrics = []Metric{Nominal, Ordinal, Interval, Ratio}

// ParseMetric accepts a metric's name, case-insensitively.
func ParseMetric(s string) (Metric, error) {
	for _, m := range Metrics {
		if strings.EqualFold(strings.TrimSpace(s), string(m)) {
			return m, nil
		}
	}
	return "", fmt.Errorf("metric %q is not one of nominal, ordinal, interval, ratio", s)
}

// ErrNoPairable is returned when no unit has values from two coders: there
// is nothing to compare.
var ErrNoPairable = errors.New("no unit has values from two or more coders: there is nothing to compare")

// Options for Compute.
type Options struct {
	// Metrics are the alpha metrics to compute; nil means every metric the
	// data allow (all four for numbers, ratio only without negative
	// values; nominal only for text).
	Metrics []Metric
	// Categories is the number of possible categories, for
	// Brennan–Prediger's chance agreement 1/q; 0 means the number of
	// distinct values in the data.
	Categories int
}

// Chance is a chance-corrected coefficient (p_o − p_e)/(1 − p_e) with its
// observed and expected agreement.
type Chance struct {
	Stat
	Observed, Expected float64
}

// Alpha is Krippendorff's alpha for one metric, 1 − D_o/D_e.
type Alpha struct {
	Stat
	Observed, Expected float64 // disagreement D_o and D_e
}

// Result holds every statistic for one set of reliability data.
type Result struct {
	Coders         int
	Units          int // units with at least one value (weighted)
	PairableUnits  int // units with two or more values
	PairableValues int // n: the values in pairable units
	Categories     int // q for Brennan–Prediger

	// PercentAgreement is the mean over pairable units of the share of
	// agreeing pairs of values (for two coders: the share of units where
	// they agree).
	PercentAgreement Stat
	Alpha            map[Metric]Alpha
	CohenKappa       Chance // two coders
	ScottPi          Chance // two coders
	FleissKappa      Chance // every pairable unit with the same number of values
	BrennanPrediger  Chance
}

// Compute returns the statistics for d. It fails with ErrNoPairable when
// no unit has two values, and when a metric asked for does not apply to
// the data.
func Compute(d *Data, opt Options) (*Result, error) {
	if len(d.coders) < 2 {
		return nil, ErrNoCoders
	}
	metrics, err := d.metrics(opt.Metrics)
	if err != nil {
		return nil, err
	}
	t := newTally(len(d.labels), len(d.coders))
	c := len(d.coders)
	for i := 0; i+c <= len(d.cells); i += c {
		t.add(d.cells[i:i+c], 1)
	}
	return t.result(d.numbers, metrics, opt.Categories)
}

// metrics checks the metrics asked for against the data, or picks every
// one that applies.
func (d *Data) metrics(asked []Metric) ([]Metric, error) {
	negative := d.numbers != nil && len(d.numbers) > 0 && d.numbers[0] < 0
	if asked == nil {
		if d.numbers == nil {
			return []Metric{Nominal}, nil
		}
		if negative {
			return []Metric{Nominal, Ordinal, Interval}, nil
		}
		return Metrics, nil
	}
	for _, m := range asked {
		switch {
		case m == Nominal:
		case m != Ordinal && m != Interval && m != Ratio:
			return nil, fmt.Errorf("metric %q is not one of nominal, ordinal, interval, ratio", m)
		case d.numbers == nil:
			return nil, fmt.Errorf("the %s metric needs numbers, and some values are not numbers (they allow the nominal metric only)", m)
		case m == Ratio && negative:
			return nil, fmt.Errorf("the ratio metric needs values of 0 or more, and some are negative")
		}
	}
	return asked, nil
}

// result turns the tally into statistics. numbers are the categories'
// values (nil for text categories).
func (t *tally) result(numbers []float64, metrics []Metric, q int) (*Result, error) {
	if t.pairable == 0 {
		return nil, ErrNoPairable
	}
	r := &Result{Coders: t.coders, Units: int(t.units), PairableUnits: int(t.pairable), PairableValues: int(t.n), Alpha: map[Metric]Alpha{}}
	if q == 0 {
		for _, u := range t.used {
			if u {
				q++
			}
		}
	}
	r.Categories = q
	// Percent agreement is agree/pairable; when every unit has the same
	// number of values m it is also same/(pairable·m(m − 1)), a ratio of
	// whole counts, which is used then (fewer rounding errors).
	pa, pb := t.agree, t.pairable
	if t.mMin == t.mMax {
		pa, pb = t.same, t.pairable*float64(t.mMin*(t.mMin-1))
	}
	r.PercentAgreement = value(pa / pb)

	nc := t.o.rowSums()
	present := 0 // categories among pairable values
	for _, x := range nc {
		if x > 0 {
			present++
		}
	}
	for _, m := range metrics {
		r.Alpha[m] = t.alpha(m, nc, present, numbers)
	}

	// Coefficients are computed from the counts, p_o = a/b and p_e = c/d,
	// as (ad − cb)/(b(d − c)): with whole counts that is exact up to the
	// last division (0.2, not 0.19999999999999996).
	var sq float64 // Σ n_c²: chance agreement from pooled marginals (Scott, Fleiss) is Σ n_c²/n²
	for _, x := range nc {
		sq += x * x
	}
	noVariation := present < 2
	if t.coders == 2 {
		rows, cols := t.ct.rowSums(), t.ct.colSums()
		n2 := t.pairable
		diag := t.ct.diagonal()
		var pe, pi float64
		for a := range rows {
			pe += rows[a] * cols[a]
			pi += (rows[a] + cols[a]) * (rows[a] + cols[a])
		}
		r.CohenKappa = chance(diag, n2, pe, n2*n2, noVariation)
		r.ScottPi = chance(diag, n2, pi, 4*n2*n2, noVariation)
	} else {
		r.CohenKappa = Chance{Stat: undefined(reasonTwoCoders)}
		r.ScottPi = Chance{Stat: undefined(reasonTwoCoders)}
	}
	if t.mMin == t.mMax {
		r.FleissKappa = chance(pa, pb, sq, t.n*t.n, noVariation)
	} else {
		r.FleissKappa = Chance{Stat: undefined(fmt.Sprintf("%s (from %d to %d)", reasonUnequalM, t.mMin, t.mMax))}
	}
	r.BrennanPrediger = brennanPrediger(pa, pb, q)
	return r, nil
}

// brennanPrediger is (p_o − 1/q)/(1 − 1/q) for p_o = a/b.
func brennanPrediger(a, b float64, q int) Chance {
	if q < 2 {
		return Chance{Stat: undefined(reasonOneCategory), Observed: a / b}
	}
	return chance(a, b, 1, float64(q), false)
}

// chance is the coefficient (p_o − p_e)/(1 − p_e) for p_o = a/b and
// p_e = c/d, undefined when every value is the same (p_e is then 1, and so
// is p_o).
func chance(a, b, c, d float64, noVariation bool) Chance {
	po, pe := a/b, c/d
	if noVariation || c >= d {
		return Chance{Stat: undefined(reasonNoVariation), Observed: po, Expected: pe}
	}
	return Chance{Stat: value((a*d - c*b) / (b * (d - c))), Observed: po, Expected: pe}
}

// alpha computes Krippendorff's alpha for metric m from the coincidence
// matrix; nc are its marginals, present the categories with nc > 0.
func (t *tally) alpha(m Metric, nc []float64, present int, numbers []float64) Alpha {
	n := t.n
	if present < 2 {
		return Alpha{Stat: undefined(reasonNoVariation)}
	}
	var do, de float64
	switch m {
	case Nominal:
		diag := t.o.diagonal()
		var sq float64
		for _, x := range nc {
			sq += x * x
		}
		do, de = (n-diag)/n, (n*n-sq)/(n*(n-1))
		// 1 − D_o/D_e = ((n² − Σn_c²) − (n − 1)(n − Σo_cc))/(n² − Σn_c²),
		// from counts: exact up to the division for whole counts.
		if d := n*n - sq; d > 0 {
			return Alpha{Stat: value((d - (n-1)*(n-diag)) / d), Observed: do, Expected: de}
		}
	case Interval, Ordinal:
		x := scaled(numbers, nc)
		if m == Ordinal {
			x = midRanks(nc)
		}
		t.o.each(func(a, b int, w float64) {
			if a != b {
				d := x[a] - x[b]
				do += w * d * d
			}
		})
		do /= n
		// Σ_ab n_a n_b (x_a − x_b)² = 2n Σ_a n_a (x_a − mean)².
		var mean, ss float64
		for a, c := range nc {
			mean += c * x[a]
		}
		mean /= n
		for a, c := range nc {
			if c > 0 {
				d := x[a] - mean
				ss += c * d * d
			}
		}
		de = 2 * n * ss / (n * (n - 1))
	case Ratio:
		x := scaled(numbers, nc)
		ratio := func(a, b int) float64 {
			if s := x[a] + x[b]; s != 0 {
				d := (x[a] - x[b]) / s
				return d * d
			}
			return 0
		}
		t.o.each(func(a, b int, w float64) {
			if a != b {
				do += w * ratio(a, b)
			}
		})
		do /= n
		var idx []int
		for a, c := range nc {
			if c > 0 {
				idx = append(idx, a)
			}
		}
		for i, a := range idx {
			for _, b := range idx[i+1:] {
				de += 2 * nc[a] * nc[b] * ratio(a, b)
			}
		}
		de /= n * (n - 1)
	}
	if de <= 0 || math.IsNaN(de) {
		return Alpha{Stat: undefined(reasonNoVariation), Observed: do, Expected: de}
	}
	return Alpha{Stat: value(1 - do/de), Observed: do, Expected: de}
}

// scaled divides the values by the largest magnitude among those used, so
// that squared differences of values near ±1e308 do not overflow; interval
// and ratio alpha do not change when every value is multiplied by the same
// number.
func scaled(numbers, nc []float64) []float64 {
	var top float64
	for a, c := range nc {
		if c > 0 {
			top = max(top, math.Abs(numbers[a]))
		}
	}
	if top == 0 {
		return numbers
	}
	x := make([]float64, len(numbers))
	for a, v := range numbers {
		x[a] = v / top
	}
	return x
}

// midRanks returns each category's mid-rank among the pairable values,
// Σ_{g<c} n_g + n_c/2. The ordinal difference of Krippendorff (2004),
// (Σ_{g=c..k} n_g − (n_c + n_k)/2)², is the squared difference of the
// mid-ranks of c and k.
func midRanks(nc []float64) []float64 {
	x := make([]float64, len(nc))
	var below float64
	for i, c := range nc {
		x[i] = below + c/2
		below += c
	}
	return x
}
