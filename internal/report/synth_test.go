package report_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"fieldscreen/internal/report"
	"fieldscreen/internal/synth"
	"fieldscreen/questionnaire"
)

// These tests make synthetic interviews with internal/synth, which
// imports bundle, which imports htcds, which imports report: so they sit
// outside the package and use its exported API only.

func buildExt(t testing.TB, recs []report.Record, o report.Options) *report.Report {
	t.Helper()
	if err := report.CheckOptions(o); err != nil {
		t.Fatal(err)
	}
	a := report.NewAggregator(o)
	for i := range recs {
		a.Add(&recs[i])
	}
	return a.Build()
}

// scoredSet is synthetic interviews scored with the built-in flow, with
// the few facts an independent count needs.
type scoredSet struct {
	recs []report.Record
	sums []*questionnaire.Summary
	ans  []questionnaire.Answers
	loc  []string
	when []time.Time
}

// synthetic interviews are made once per count: walking the flow is slow
// on a busy machine.
var (
	syntheticMu    sync.Mutex
	syntheticCache = map[int]*scoredSet{}
)

func synthetic(t testing.TB, n int) *scoredSet {
	t.Helper()
	syntheticMu.Lock()
	defer syntheticMu.Unlock()
	if s, ok := syntheticCache[n]; ok {
		return s
	}
	s, err := makeSynthetic(n)
	if err != nil {
		t.Fatal(err)
	}
	syntheticCache[n] = s
	return s
}

func makeSynthetic(n int) (*scoredSet, error) {
	f, err := questionnaire.Builtin()
	if err != nil {
		return nil, err
	}
	g := synth.New(f, 7)
	s := &scoredSet{}
	for i := range n {
		iv, err := g.Interview(i)
		if err != nil {
			return nil, err
		}
		ans := questionnaire.Answers(iv.AnswersMap())
		sum, err := f.Score(ans)
		if err != nil {
			return nil, err
		}
		// Spread the interviews over four months.
		when := iv.CompletedAt.AddDate(0, i%4, 0)
		loc := iv.Location
		if i%5 == 0 {
			loc = "LOC-01" // one big site
		}
		s.recs = append(s.recs, report.FromSummary(sum, ans, report.Source{Location: loc, Interviewer: iv.Interviewer, Language: iv.Language, When: when}))
		s.sums = append(s.sums, sum)
		s.ans = append(s.ans, ans)
		s.loc = append(s.loc, loc)
		s.when = append(s.when, when)
	}
	return s, nil
}

// rowKey names a row for lookups: dimension, value and its by, sorted.
func rowKey(dim, value string, by map[string]string) string {
	return fmt.Sprintf("%s|%s|loc=%s|month=%s", dim, value, by["location"], by["month"])
}

func rowsOf(t testing.TB, r *report.Report) map[string]report.Row {
	out := map[string]report.Row{}
	if err := r.Rows(func(row report.Row) error {
		k := rowKey(row.Dimension, row.Value, row.By)
		if _, dup := out[k]; dup {
			t.Fatalf("row %s written twice", k)
		}
		out[k] = row
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCountsMatchRecount counts the same interviews straight from their
// summaries and answers, without the report's code, and compares every
// count: all of them with k = 1, and every count shown with k = 11.
func TestCountsMatchRecount(t *testing.T) {
	s := synthetic(t, 1500)
	want := map[string]int{}
	add := func(dim, v, loc, month string) {
		want[rowKey(dim, v, map[string]string{})]++
		want[rowKey(dim, v, map[string]string{"location": loc})]++
		_ = month
	}
	months := map[string]int{}
	for i, sum := range s.sums {
		loc := s.loc[i]
		months[s.when[i].UTC().Format("2006-01")]++
		add(report.Interviews, report.All, loc, "")
		add("outcome", sum.GetString("outcome"), loc, "")
		for _, r := range sum.Referrals {
			add("referral", r.ID, loc, "")
		}
		best := "none"
		for _, p := range []string{"standard", "high", "urgent"} {
			for _, r := range sum.Referrals {
				if r.Priority == p {
					best = p
				}
			}
		}
		add("referral_priority", best, loc, "")
		band := "unknown"
		if age, ok := s.ans[i]["age"].(int); ok {
			switch {
			case age <= 8:
				band = "0-8"
			case age <= 17:
				band = "9-17"
			case age <= 20:
				band = "18-20"
			case age <= 23:
				band = "21-23"
			case age <= 26:
				band = "24-26"
			case age <= 29:
				band = "27-29"
			case age <= 38:
				band = "30-38"
			case age <= 47:
				band = "39-47"
			default:
				band = "48+"
			}
		}
		add("age_band", band, loc, "")
		for q, v := range s.ans[i] {
			if v == "declined" {
				add("declined", q, loc, "")
			}
		}
	}
	for m, n := range months {
		want[rowKey(report.Interviews, report.All, map[string]string{"month": m})] = n
	}
	checked := map[string]bool{"interviews": false, "outcome": false, "referral": false, "referral_priority": false, "age_band": false, "declined": false}
	for _, k := range []int{1, 11} {
		rows := rowsOf(t, buildExt(t, s.recs, report.Options{By: []string{"location"}, K: k}))
		shown := 0
		for key, n := range want {
			row, ok := rows[key]
			if !ok {
				t.Fatalf("k=%d: no row %s (want %d)", k, key, n)
			}
			if row.Suppressed {
				if k == 1 {
					t.Errorf("k=1: %s suppressed", key)
				}
				continue
			}
			shown++
			if *row.Count != n {
				t.Errorf("k=%d: %s = %d, recount %d", k, key, *row.Count, n)
			}
			checked[row.Dimension] = true
		}
		if shown < len(want)/5 {
			t.Errorf("k=%d: only %d of %d counts shown", k, shown, len(want))
		}
	}
	for dim, ok := range checked {
		if !ok {
			t.Errorf("no %s count was compared", dim)
		}
	}
	// Every row the report has that the recount has not must be a zero:
	// a count of nothing.
	rows := rowsOf(t, buildExt(t, s.recs, report.Options{By: []string{"location"}, K: 1}))
	for key, row := range rows {
		dim := row.Dimension
		if _, counted := checked[dim]; !counted || row.By["month"] != "" {
			continue
		}
		if _, ok := want[key]; !ok && *row.Count != 0 {
			t.Errorf("%s = %d, recount has none", key, *row.Count)
		}
	}
}
