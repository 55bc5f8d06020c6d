package project

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/qcode-qda/qcode/internal/agreement"
)

// FuzzReliabilityTable: any bytes either fail with an error naming the
// file, or give statistics that are numbers in range or undefined with a
// reason — never NaN, never a panic — under every metric.
func FuzzReliabilityTable(f *testing.F) {
	f.Add([]byte("unit,A,B,C\n1,1,2,\n2,3,3,3\n3,,1,1\n"))
	f.Add([]byte("\ufeffA;B\nyes;no\nno;no\n"))
	f.Add([]byte("A,B\n1e308,-1e308\n0,0\n"))
	f.Add([]byte("A,B\n5,5\n5,5\n"))
	f.Add([]byte("A,B,\n-0,0,\n0.1,1e-300\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := ParseReliabilityTable("ratings.csv", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "ratings.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, metric := range []string{"", "nominal", "ordinal", "interval", "ratio"} {
			r, err := tab.Compute(metric)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "ratings.csv") {
					t.Fatalf("error does not name the file: %v", err)
				}
				continue
			}
			check := func(what string, s agreement.Stat) {
				if s.Defined && (math.IsNaN(s.Value) || math.IsInf(s.Value, 0)) {
					t.Fatalf("%s %s = %v", metric, what, s.Value)
				}
				if !s.Defined && s.Reason == "" {
					t.Fatalf("%s %s undefined without a reason", metric, what)
				}
			}
			check("percent", r.PercentAgreement)
			if p := r.PercentAgreement.Value; p < 0 || p > 1+1e-12 {
				t.Fatalf("percent agreement %v", p)
			}
			for m, a := range r.Alpha {
				check("alpha "+string(m), a.Stat)
			}
			check("cohen", r.CohenKappa.Stat)
			check("scott", r.ScottPi.Stat)
			check("fleiss", r.FleissKappa.Stat)
			check("brennan-prediger", r.BrennanPrediger.Stat)
			if _, err := json.Marshal(r.Alpha[agreement.Nominal].Stat); err != nil {
				t.Fatal(err)
			}
		}
	})
}
