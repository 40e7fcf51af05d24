package report

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkBuild counts 100,000 records by 200 locations and 52 weeks
// (10,400 groups) and suppresses: the worst breakdown a supervisor is
// likely to ask for.
func BenchmarkBuild(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	outcomes := []string{"urgent_referral", "refer_for_protection", "further_assessment", "no_protection_indicators", "not_screened"}
	recs := make([]Record, 100000)
	for i := range recs {
		recs[i] = Record{Outcome: outcomes[rng.IntN(len(outcomes))], Location: fmt.Sprintf("LOC-%03d", rng.IntN(200)),
			Situation: "x", TraffickingIndicators: "x", RefugeeLevel: "x", AgeBand: AgeBand(rng.IntN(80)), Gender: "female", PresentIn: "x",
			When: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(364)), Declined: []string{fmt.Sprint("q", rng.IntN(40))}}
	}
	for b.Loop() {
		a := NewAggregator(Options{By: []string{"location", "week"}, K: DefaultK})
		for i := range recs {
			a.Add(&recs[i])
		}
		a.Build()
	}
}
