package synth

import (
	"testing"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// TestCoversFlow checks that synthetic interviews on the built-in flow
// reach every question it asks, observations and referral consent
// included, and give referrals every consent the flow can give them, so
// that load tests and benchmarks exercise all of it.
func TestCoversFlow(t *testing.T) {
	f := builtin(t)
	if f.ReferralConsentQuestion == "" {
		t.Fatalf("built-in flow %s names no referral consent question", f.Version)
	}
	answered := map[string]int{}
	consents := map[string]int{}
	err := New(f, 5).Each(600, func(i int, iv *record.Interview) error {
		for _, a := range iv.Answers {
			answered[a.QuestionID]++
		}
		s, err := f.Score(questionnaire.Answers(iv.AnswersMap()))
		if err != nil {
			return err
		}
		for _, r := range s.Referrals {
			consents[r.Consent]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	observations := 0
	for _, q := range f.Questions {
		if !q.Asks() {
			continue
		}
		if q.Observation {
			observations++
		}
		if answered[q.ID] == 0 {
			t.Errorf("no synthetic interview answers %s", q.ID)
		}
	}
	if observations == 0 {
		t.Errorf("built-in flow %s has no observation", f.Version)
	}
	for _, c := range questionnaire.ConsentValues {
		if consents[c] == 0 {
			t.Errorf("no referral with consent %s in 600 interviews: %v", c, consents)
		}
	}
}
