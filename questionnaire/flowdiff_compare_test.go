package questionnaire

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestComparison(t *testing.T) {
	old := loadGuideFlow(t)
	src, err := os.ReadFile(filepath.Join(flowtestDir, "guide-example-v2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	v2, err := Load("v2.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	cmp := NewComparison(v2, old)
	var all []*FlowCase
	for _, name := range []string{"guide-example-cases.yaml", "guide-example-failing.yaml"} {
		all = append(all, readCases(t, old, name).Cases...)
	}
	changed := 0
	for _, c := range all {
		o, err := old.Score(c.Answers)
		if err != nil {
			t.Fatal(err)
		}
		n, err := v2.Score(c.Answers)
		if err != nil {
			t.Fatal(err)
		}
		o.Source, n.Source = c.Name, c.Name
		if d := cmp.Add(o, n); len(d) > 0 {
			changed++
		}
	}
	r := cmp.Result(v2)
	if r.Interviews != len(all) || r.Changed != 1 || changed != 1 || r.Headline != "outcome" {
		t.Fatalf("%+v", r)
	}
	if strings.Join(r.Values, " ") != "not_screened act_today refer no_action" {
		t.Errorf("values %v", r.Values)
	}
	if r.Count("no_action", "act_today") != 1 || r.Count("act_today", "act_today") != 3 {
		t.Errorf("transitions %+v", r.Transition)
	}
	total := 0
	for _, tr := range r.Transition {
		total += tr.Count
	}
	if total != len(all) {
		t.Errorf("transitions count %d interviews", total)
	}
	ch := r.Changes[0]
	if ch.Source != "a worker who declines to say whether they can leave" || ch.Old != "no_action" || ch.New != "act_today" {
		t.Errorf("%+v", ch)
	}
	var kinds []string
	for _, d := range ch.Differences {
		kinds = append(kinds, d.Kind+":"+d.ID+":"+d.Old+">"+d.New)
	}
	if got := strings.Join(kinds, " "); got != "headline:outcome:no_action>act_today referral_gained:labour_inspection:>urgent referral_gained:legal_aid:>standard" {
		t.Errorf("differences: %s", got)
	}
	if len(r.Referrals) != 2 || r.Referrals[0] != (ReferralShift{ID: "labour_inspection", Gained: 1}) {
		t.Errorf("referrals %+v", r.Referrals)
	}
}

func TestCompareSummariesEveryKind(t *testing.T) {
	f := loadGuideFlow(t)
	score := func(a Answers) *Summary {
		s, err := f.Score(a)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	base := Answers{"consent": "yes", "age": 40, "years_away": 1, "home_town": "X", "slept": "workplace", "needs": []string{"lawyer"},
		"control": []string{"documents"}, "free_to_leave": "yes", "agree_to": []string{"none"}}
	street := Answers{"consent": "yes", "age": 40, "years_away": 1, "home_town": "X", "slept": "street", "needs": []string{"none"}, "agree_to": []string{"none"}}
	var got []string
	for _, d := range CompareSummaries("outcome", score(base), score(street)) {
		got = append(got, d.Kind+":"+d.ID+":"+d.Old+">"+d.New)
	}
	s := strings.Join(got, " ")
	for _, w := range []string{"referral_gained:shelter:>high", "referral_lost:labour_inspection:high>", "referral_lost:legal_aid:high>", "caution_lost:documents_held:>"} {
		if !strings.Contains(s, w) {
			t.Errorf("no %s in %s", w, s)
		}
	}
	if strings.Contains(s, "headline") {
		t.Errorf("the headline did not change: %s", s)
	}
	child := Answers{"consent": "yes", "age": 12, "alone": "no", "years_away": 1, "home_town": "X", "slept": "street", "needs": []string{"none"}, "agree_to": []string{"none"}}
	s2 := CompareSummaries("outcome", score(street), score(child))
	var got2 []string
	for _, d := range s2 {
		got2 = append(got2, d.Kind+":"+d.ID+":"+d.Old+">"+d.New)
	}
	if g := strings.Join(got2, " "); g != "headline:outcome:refer>act_today priority:shelter:high>urgent referral_gained:child_protection:>high caution_gained:child_procedures:>" {
		t.Errorf("%s", g)
	}
}
