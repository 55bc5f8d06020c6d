package agreement_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/internal/agreement"
)

// The expected values in this file are the published ones collected in
// /work/shared/reference/agreement-vectors.md (sources named at each
// test); none is taken from this package's own output.

// exact is the tolerance for values published as exact fractions.
const exact = 1e-9

// near checks got against want within tol, naming what it is.
func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.10f, want %.10f (±%g)", what, got, want, tol)
	}
}

// stat checks a defined statistic.
func stat(t *testing.T, what string, s agreement.Stat, want, tol float64) {
	t.Helper()
	if !s.Defined {
		t.Errorf("%s undefined (%s), want %.10f", what, s.Reason, want)
		return
	}
	near(t, what, s.Value, want, tol)
}

// coderRows builds data from rows of coders (one line per coder, values
// separated by spaces, "." missing), the layout of Krippendorff's papers.
func coderRows(t *testing.T, rows ...string) *agreement.Data {
	t.Helper()
	var grid [][]string
	for _, r := range rows {
		grid = append(grid, strings.Fields(r))
	}
	units := len(grid[0])
	coders := make([]string, len(grid))
	cells := make([]string, 0, units*len(grid))
	for c := range grid {
		coders[c] = string(rune('A' + c))
	}
	for u := 0; u < units; u++ {
		for c := range grid {
			cells = append(cells, missingDot(grid[c][u]))
		}
	}
	d, err := agreement.NewStrings(coders, cells)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// unitRows builds data from rows of units (values per coder).
func unitRows(t *testing.T, coders int, rows ...string) *agreement.Data {
	t.Helper()
	names := make([]string, coders)
	for i := range names {
		names[i] = string(rune('A' + i))
	}
	var cells []string
	for _, r := range rows {
		f := strings.Fields(r)
		if len(f) != coders {
			t.Fatalf("row %q has %d values", r, len(f))
		}
		for _, v := range f {
			cells = append(cells, missingDot(v))
		}
	}
	d, err := agreement.NewStrings(names, cells)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func missingDot(v string) string {
	if v == "." {
		return ""
	}
	return v
}

// contingency expands a two-coder table (rows coder A's category, columns
// coder B's) into units.
func contingency(t *testing.T, table [][]int) *agreement.Data {
	t.Helper()
	var cells []float64
	for a, row := range table {
		for b, n := range row {
			for range n {
				cells = append(cells, float64(a), float64(b))
			}
		}
	}
	d, err := agreement.NewNumeric([]string{"A", "B"}, cells)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func compute(t *testing.T, d *agreement.Data, metrics ...agreement.Metric) *agreement.Result {
	t.Helper()
	r, err := agreement.Compute(d, agreement.Options{Metrics: metrics})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A1: Krippendorff (2011, sec. C; 2004 p. 230), 4 coders × 12 units.
func TestAlphaKrippendorff2011C(t *testing.T) {
	d := coderRows(t,
		"1 2 3 3 2 1 4 1 2 . . .",
		"1 2 3 3 2 2 4 1 2 5 . 3",
		". 3 3 3 2 3 4 2 2 5 1 .",
		"1 2 3 3 2 4 4 1 2 5 1 .",
	)
	r := compute(t, d)
	if r.Units != 12 || r.PairableUnits != 11 || r.PairableValues != 40 {
		t.Errorf("units %d, pairable units %d, pairable values %d; want 12, 11 (unit 12 has one value), 40", r.Units, r.PairableUnits, r.PairableValues)
	}
	nom := r.Alpha[agreement.Nominal]
	stat(t, "nominal alpha", nom.Stat, 113.0/152, exact)
	near(t, "nominal D_o", nom.Observed, 0.200, 0.0005)
	near(t, "nominal D_e", nom.Expected, 0.779, 0.0005)
	stat(t, "ordinal alpha", r.Alpha[agreement.Ordinal].Stat, 108577.0/133160, exact)
	stat(t, "interval alpha", r.Alpha[agreement.Interval].Stat, 951.0/1120, exact)
	stat(t, "ratio alpha", r.Alpha[agreement.Ratio].Stat, 0.797, 0.0005)
	// Units have 2 to 4 values, so Fleiss' kappa does not apply; with four
	// coders neither do Cohen's kappa and Scott's pi.
	for what, s := range map[string]agreement.Stat{"fleiss": r.FleissKappa.Stat, "cohen": r.CohenKappa.Stat, "scott": r.ScottPi.Stat} {
		if s.Defined || s.Reason == "" {
			t.Errorf("%s: %+v, want undefined with a reason", what, s)
		}
	}
}

// A2: Krippendorff (2011, sec. A), 2 coders × 10 binary units.
func TestAlphaBinaryTwoCoders(t *testing.T) {
	d := coderRows(t,
		"0 1 0 0 0 0 0 0 1 0",
		"1 1 1 0 0 1 0 0 0 0",
	)
	r := compute(t, d, agreement.Nominal)
	stat(t, "percent agreement", r.PercentAgreement, 0.6, exact)
	a := r.Alpha[agreement.Nominal]
	stat(t, "alpha", a.Stat, 2.0/21, exact)
	near(t, "D_o", a.Observed, 0.400, 0.0005)
	near(t, "D_e", a.Expected, 0.442, 0.0005)
	if len(r.Alpha) != 1 {
		t.Errorf("alpha for %d metrics, want only the one asked for", len(r.Alpha))
	}
}

// A3: the Wikipedia worked example, 3 coders × 15 units with missing data.
func TestAlphaWikipedia(t *testing.T) {
	d := coderRows(t,
		". . . . . 3 4 1 2 1 1 3 3 . 3",
		"1 . 2 1 3 3 4 3 . . . . . . .",
		". . 2 1 3 4 4 . 2 1 1 3 3 . 4",
	)
	r := compute(t, d)
	stat(t, "nominal", r.Alpha[agreement.Nominal].Stat, 56.0/81, exact)
	stat(t, "interval", r.Alpha[agreement.Interval].Stat, 643.0/793, exact)
	if r.Units != 13 || r.PairableUnits != 12 {
		t.Errorf("units %d pairable %d, want 13 (two units have no value) and 12 (unit 1 has one)", r.Units, r.PairableUnits)
	}
}

// A4: Hayes & Krippendorff (2007, p. 84), 40 units × 5 coders.
func TestAlphaHayesKrippendorff2007(t *testing.T) {
	d := unitRows(t, 5,
		"1 1 2 . 2", "1 1 0 1 .", "2 3 3 3 .", ". 0 0 . 0", "0 0 0 . 0",
		"0 0 0 . 0", "1 0 2 . 1", "1 . 2 0 .", "2 2 2 . 2", "2 1 1 1 .",
		". 1 0 0 .", "0 0 0 0 .", "1 2 2 2 .", "3 3 2 2 3", "1 1 1 . 1",
		"1 1 1 . 1", "2 1 2 . 2", "1 2 3 3 .", "1 1 0 1 .", "0 0 0 . 0",
		"0 0 1 1 .", "0 0 . 0 0", "2 3 3 3 .", "0 0 0 0 .", "1 2 . 2 2",
		"0 1 1 1 .", "0 0 0 1 0", "1 2 1 2 .", "1 1 2 2 .", "1 1 2 . 2",
		"1 1 0 . 0", "2 1 2 1 .", "2 2 . 2 2", "3 2 2 2 .", "2 2 2 . 2",
		"2 2 3 . 2", "2 2 2 . 2", "2 2 . 1 2", "2 2 2 2 .", "1 1 1 . 1",
	)
	r := compute(t, d)
	stat(t, "ordinal", r.Alpha[agreement.Ordinal].Stat, 0.7598, 0.00005)
	stat(t, "nominal", r.Alpha[agreement.Nominal].Stat, 0.4765, 0.00005)
	stat(t, "interval", r.Alpha[agreement.Interval].Stat, 0.757, 0.0005)
}

// C1: a 2×2 table, kappa 0.40.
func TestCohenTwoByTwo(t *testing.T) {
	r := compute(t, contingency(t, [][]int{{20, 5}, {10, 15}}))
	stat(t, "kappa", r.CohenKappa.Stat, 0.40, exact)
	near(t, "p_o", r.CohenKappa.Observed, 0.70, exact)
	near(t, "p_e", r.CohenKappa.Expected, 0.50, exact)
}

// C2: Artstein & Poesio (2008), table 1.
func TestArtsteinPoesioTable1(t *testing.T) {
	r := compute(t, contingency(t, [][]int{{20, 10}, {20, 50}}))
	stat(t, "kappa", r.CohenKappa.Stat, 8.0/23, exact)
	stat(t, "pi", r.ScottPi.Stat, 0.341, 0.0005)
	stat(t, "S", r.BrennanPrediger.Stat, 0.40, exact)
	// Fleiss' kappa for two coders is Scott's pi.
	stat(t, "fleiss", r.FleissKappa.Stat, r.ScottPi.Value, exact)
}

// C3: Artstein & Poesio (2008), table 4: 3 categories, n = 100.
func TestArtsteinPoesioTable4(t *testing.T) {
	r := compute(t, contingency(t, [][]int{{46, 0, 0}, {6, 32, 6}, {0, 0, 10}}), agreement.Nominal)
	stat(t, "p_o", r.PercentAgreement, 0.88, exact)
	stat(t, "kappa", r.CohenKappa.Stat, 0.8013, 0.00005)
	stat(t, "pi", r.ScottPi.Stat, 0.7995, 0.00005)
	stat(t, "S", r.BrennanPrediger.Stat, 0.82, exact)
	// The published 0.800 is 0.8005 to within 0.0006. By the definition
	// (n = 200 values, marginals 98, 76, 26; 24 disagreeing pairs):
	// alpha = 1 − 199·24/(200² − 98² − 76² − 26²) = 2396/2993 = 0.80053.
	// Without the small-sample term n(n − 1) in D_e it would be Scott's pi
	// (0.7995): the published three digits cannot tell them apart.
	stat(t, "alpha", r.Alpha[agreement.Nominal].Stat, 2396.0/2993, exact)
	stat(t, "alpha (published)", r.Alpha[agreement.Nominal].Stat, 0.800, 0.0006)
}

// C4: Cohen (1960, p. 45), n = 200.
func TestCohen1960(t *testing.T) {
	r := compute(t, contingency(t, [][]int{{88, 14, 18}, {10, 40, 10}, {2, 6, 12}}))
	near(t, "p_o", r.CohenKappa.Observed, 0.70, exact)
	near(t, "p_e", r.CohenKappa.Expected, 0.41, exact)
	stat(t, "kappa", r.CohenKappa.Stat, 0.492, 0.0005)
}

// F1: 10 subjects × 5 categories, 14 raters each, given as category counts.
func TestFleissCounts(t *testing.T) {
	counts := [][]int{
		{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
		{7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7},
	}
	coders := make([]string, 14)
	for i := range coders {
		coders[i] = string(rune('a' + i))
	}
	var cells []float64
	for _, row := range counts {
		for cat, n := range row {
			for range n {
				cells = append(cells, float64(cat+1))
			}
		}
	}
	d, err := agreement.NewNumeric(coders, cells)
	if err != nil {
		t.Fatal(err)
	}
	r := compute(t, d)
	stat(t, "kappa", r.FleissKappa.Stat, 0.210, 0.0005)
	near(t, "P-bar", r.FleissKappa.Observed, 0.378, 0.0005)
	near(t, "P-bar_e", r.FleissKappa.Expected, 0.213, 0.0005)
	stat(t, "percent agreement = P-bar", r.PercentAgreement, r.FleissKappa.Observed, exact)
}

// F2: Fleiss (1971), 30 subjects × 6 raters, raw ratings.
func TestFleiss1971(t *testing.T) {
	d := unitRows(t, 6,
		"4 4 4 4 4 4", "2 2 2 5 5 5", "2 3 3 3 3 5", "5 5 5 5 5 5", "2 2 2 4 4 4",
		"1 1 3 3 3 3", "3 3 3 3 5 5", "1 1 3 3 3 4", "1 1 4 4 4 4", "5 5 5 5 5 5",
		"1 4 4 4 4 4", "1 2 4 4 4 4", "2 2 2 3 3 3", "1 4 4 4 4 4", "2 2 4 4 4 5",
		"3 3 3 3 3 5", "1 1 1 4 5 5", "1 1 1 1 1 2", "2 2 4 4 4 4", "1 3 3 5 5 5",
		"5 5 5 5 5 5", "2 4 4 4 4 4", "2 2 4 5 5 5", "1 1 4 4 4 4", "1 4 4 4 4 5",
		"2 2 2 2 2 4", "1 1 1 1 5 5", "2 2 4 4 4 4", "1 3 3 3 3 3", "5 5 5 5 5 5",
	)
	r := compute(t, d)
	stat(t, "kappa", r.FleissKappa.Stat, 0.4302445, 0.00000005)
	near(t, "P-bar", r.FleissKappa.Observed, 0.5556, 0.00005)
	// Fleiss (1971) printed P-bar_e = .2201 from the category shares
	// rounded to three decimals (.144 .144 .167 .306 .239); unrounded it is
	// (26² + 26² + 30² + 55² + 43²)/180² = 7126/32400 = 0.21994, the value
	// consistent with the published kappa 0.4302445.
	near(t, "P-bar_e", r.FleissKappa.Expected, 7126.0/32400, exact)
	near(t, "P-bar_e (published, rounded shares)", r.FleissKappa.Expected, 0.2201, 0.0002)
}

// Three coders with complete data: each unit's pairs weigh 1/(m_u − 1).
// Worked by hand: units (1,1,1) (1,1,2) (2,2,2) (1,2,2) give coincidences
// o11 = 3 + 1 = 4, o22 = 3 + 1 = 4, o12 = o21 = 1 + 1 = 2; n = 12,
// D_o = 4/12, D_e = (144 − 72)/132, alpha = 1 − 11/18 = 7/18. Unweighted
// pairs (the irr package's mistake) would count every pair twice.
func TestAlphaThreeCodersComplete(t *testing.T) {
	d := unitRows(t, 3, "1 1 1", "1 1 2", "2 2 2", "1 2 2")
	r := compute(t, d, agreement.Nominal)
	stat(t, "alpha", r.Alpha[agreement.Nominal].Stat, 7.0/18, exact)
	stat(t, "percent agreement", r.PercentAgreement, 2.0/3, exact)
	// P-bar 2/3, P_e = 0.5² + 0.5²: kappa 1/3.
	stat(t, "fleiss", r.FleissKappa.Stat, 1.0/3, exact)
	stat(t, "brennan-prediger", r.BrennanPrediger.Stat, 1.0/3, exact)
}

func TestNoPairableUnitIsAnError(t *testing.T) {
	d := coderRows(t, "1 . 2", ". 3 .")
	if _, err := agreement.Compute(d, agreement.Options{}); !errors.Is(err, agreement.ErrNoPairable) {
		t.Fatalf("err = %v, want ErrNoPairable", err)
	}
	empty, _ := agreement.NewStrings([]string{"a", "b"}, nil)
	if _, err := agreement.Compute(empty, agreement.Options{}); !errors.Is(err, agreement.ErrNoPairable) {
		t.Fatalf("no units: err = %v, want ErrNoPairable", err)
	}
}

// One value everywhere: the coders agree on every unit, but with no
// variation chance agreement is 1 and every chance-corrected coefficient
// is 0/0. Percent agreement is 1; the coefficients are undefined (null in
// JSON), never NaN.
func TestSingleValueEverywhere(t *testing.T) {
	d := coderRows(t, "3 3 3 .", "3 3 . 3")
	r := compute(t, d)
	stat(t, "percent agreement", r.PercentAgreement, 1, exact)
	checks := map[string]agreement.Stat{
		"cohen": r.CohenKappa.Stat, "scott": r.ScottPi.Stat, "fleiss": r.FleissKappa.Stat,
		"brennan-prediger (one category)": r.BrennanPrediger.Stat,
	}
	for m, a := range r.Alpha {
		checks["alpha "+string(m)] = a.Stat
	}
	for what, s := range checks {
		if s.Defined || s.Reason == "" || math.IsNaN(s.Value) {
			t.Errorf("%s = %+v, want undefined with a reason", what, s)
		}
	}
	b, err := json.Marshal(map[string]agreement.Stat{"cohen": r.CohenKappa.Stat, "pa": r.PercentAgreement})
	if err != nil || string(b) != `{"cohen":null,"pa":1}` {
		t.Errorf("JSON %s, %v", b, err)
	}
	// With two possible categories declared, Brennan–Prediger is defined:
	// chance agreement is 1/2 whatever the data.
	r2, err := agreement.Compute(d, agreement.Options{Categories: 2})
	if err != nil {
		t.Fatal(err)
	}
	stat(t, "brennan-prediger q=2", r2.BrennanPrediger.Stat, 1, exact)
}

func TestMetricsFollowTheData(t *testing.T) {
	text := coderRows(t, "yes no yes", "yes no no")
	if r := compute(t, text); len(r.Alpha) != 1 || !r.Alpha[agreement.Nominal].Defined {
		t.Errorf("text data: alpha %v, want nominal only", r.Alpha)
	}
	if _, err := agreement.Compute(text, agreement.Options{Metrics: []agreement.Metric{agreement.Interval}}); err == nil || !strings.Contains(err.Error(), "nominal metric only") {
		t.Errorf("interval on text: %v", err)
	}
	neg := coderRows(t, "-1 0 2", "-1 1 2")
	if r := compute(t, neg); len(r.Alpha) != 3 {
		t.Errorf("negative values: alpha for %d metrics, want 3 (no ratio)", len(r.Alpha))
	}
	if _, err := agreement.Compute(neg, agreement.Options{Metrics: []agreement.Metric{agreement.Ratio}}); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("ratio on negative values: %v", err)
	}
	// "1" and "1.0" are the same number.
	same := coderRows(t, "1 2.0", "1.0 2")
	if r := compute(t, same); !r.PercentAgreement.Defined || r.PercentAgreement.Value != 1 || r.Categories != 2 {
		t.Errorf("1 and 1.0: %+v", r)
	}
	if _, err := agreement.ParseMetric("Ordinal"); err != nil {
		t.Error(err)
	}
	if _, err := agreement.ParseMetric("cardinal"); err == nil {
		t.Error("cardinal accepted")
	}
}

// Many distinct values use the sparse coincidence table; the result must
// not change.
func TestManyCategories(t *testing.T) {
	var dense, sparse []float64
	for u := 0; u < 2000; u++ {
		a, b := float64(u%7), float64((u*3)%7)
		dense = append(dense, a, b, a)
		// The same data spread over thousands of distinct values by a
		// constant offset per category keeps the nominal coincidences.
		sparse = append(sparse, a*1000+0.5, b*1000+0.5, a*1000+0.5)
	}
	many := make([]float64, 0, 3*1000)
	for u := 0; u < 1000; u++ {
		many = append(many, float64(u)+0.25, float64(u)+0.25, float64(u%3))
	}
	d1, _ := agreement.NewNumeric([]string{"a", "b", "c"}, dense)
	d2, _ := agreement.NewNumeric([]string{"a", "b", "c"}, sparse)
	r1, r2 := compute(t, d1), compute(t, d2)
	near(t, "nominal", r2.Alpha[agreement.Nominal].Value, r1.Alpha[agreement.Nominal].Value, exact)
	near(t, "ordinal", r2.Alpha[agreement.Ordinal].Value, r1.Alpha[agreement.Ordinal].Value, exact)
	d3, _ := agreement.NewNumeric([]string{"a", "b", "c"}, many)
	r3 := compute(t, d3)
	if len(d3.Categories()) <= 512 || !r3.Alpha[agreement.Interval].Defined {
		t.Errorf("%d categories, interval %+v", len(d3.Categories()), r3.Alpha[agreement.Interval])
	}
}

// Twenty coders (the general sorting path), worked by hand: one unit all
// 1; one unit ten 1s and ten 2s (agreeing pairs 2·10·9 of 20·19 = 9/19).
// P-bar (1 + 9/19)/2 = 14/19, P_e .75² + .25² = 5/8, Fleiss 17/57.
// Coincidences: o11 = 20 + 90/19, o22 = 90/19, o12 = o21 = 100/19; n 40,
// n1 30, n2 10: alpha = 1 − (5/19)/(600/1560) = 6/19.
func TestManyCoders(t *testing.T) {
	coders := make([]string, 20)
	var cells []float64
	for i := range coders {
		coders[i] = fmt.Sprint("c", i)
		cells = append(cells, 1)
	}
	for i := range coders {
		cells = append(cells, float64(1+i%2))
	}
	d, err := agreement.NewNumeric(coders, cells)
	if err != nil {
		t.Fatal(err)
	}
	r := compute(t, d, agreement.Nominal)
	stat(t, "percent", r.PercentAgreement, 14.0/19, exact)
	stat(t, "fleiss", r.FleissKappa.Stat, 17.0/57, exact)
	stat(t, "alpha", r.Alpha[agreement.Nominal].Stat, 6.0/19, exact)
}
