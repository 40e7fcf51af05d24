package questionnaire

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const scenario2Dir = "../testdata/scenarios/2.0.0"

// scenario2Outcomes: the headline of each story, written by hand from the
// spec, so that -update cannot quietly bless a wrong golden.
var scenario2Outcomes = map[string]string{
	"accompanied_child_no_concern":      "further_assessment",
	"camp_woman_fears_recruiters":       "refer_for_protection",
	"child_cannabis_farm_detained":      "urgent_referral",
	"consent_refused":                   "not_screened",
	"detained_man_declines_details":     "urgent_referral",
	"former_child_soldier_age_unknown":  "urgent_referral",
	"recent_sexual_violence_in_transit": "urgent_referral",
	"recognised_refugee_recruiter":      "refer_for_protection",
	"trafficked_abroad_under_control":   "urgent_referral",
	"trafficked_at_15_now_22":           "refer_for_protection",
}

// TestScenario2 scores each answers file in testdata/scenarios/2.0.0 with
// the built-in flow 2.0.0 and compares the JSON summary with NAME.json.
// Run with -update to rewrite them, then read the diff: TestSpec2Rules, not
// the goldens, is what says a rule is right.
func TestScenario2(t *testing.T) {
	f := builtin2(t)
	files, err := filepath.Glob(filepath.Join(scenario2Dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(scenario2Outcomes) {
		t.Errorf("%d scenarios in %s, %d outcomes in the test", len(files), scenario2Dir, len(scenario2Outcomes))
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			af, err := f.ParseAnswers(filepath.Base(path), src)
			if err != nil {
				t.Fatalf("answers rejected:\n%v", err)
			}
			if name != "consent_refused" && len(af.Dropped) != 0 {
				t.Errorf("the story answers questions the flow does not ask: %v", af.Dropped)
			}
			s, err := f.Score(af.Answers)
			if err != nil {
				t.Fatalf("Score: %v", err)
			}
			checkSpec2Invariants(t, af.Answers, s)
			if want, ok := scenario2Outcomes[name]; !ok {
				t.Errorf("no expected outcome for %s in scenario2Outcomes", name)
			} else if got := s.GetString("outcome"); got != want {
				t.Errorf("outcome %s, want %s", got, want)
			}
			// The hash changes with every edit of the flow's wording; the
			// goldens pin what the rules decide.
			s.Flow.Hash = "sha256:(the built-in flow)"
			got, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join(scenario2Dir, name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestScenario2 -update ./questionnaire/)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("summary differs from %s (rerun with -update and review the diff):\n--- got ---\n%s", golden, got)
			}
			var m map[string]any
			if err := json.Unmarshal(want, &m); err != nil {
				t.Fatalf("golden is not JSON: %v", err)
			}
			for _, k := range []string{"interview_id", "flow", "outcome", "situation", "trafficking", "refugee_protection",
				"referrals", "cautions", "solutions", "information_gaps", "basis"} {
				if _, ok := m[k]; !ok {
					t.Errorf("golden has no %q", k)
				}
			}
		})
	}
}
