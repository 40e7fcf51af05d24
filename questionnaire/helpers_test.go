package questionnaire

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// builtin returns the built-in flow 1.0.0, which the tests written for
// spec 1.0 keep checking (interviews taken with it are still shown and
// rescored with it), or stops the test. QUESTIONNAIRE_TEST_FLOW names
// another file to test in its place (used for mutation testing: a changed
// rule in a copy of screening-1.0.0.yaml must fail TestSpecRules).
func builtin(t testing.TB) *Flow {
	t.Helper()
	f, err := Load("builtin:screening-1.0.0.yaml", builtin100Source)
	if p := os.Getenv("QUESTIONNAIRE_TEST_FLOW"); p != "" {
		src, rerr := os.ReadFile(p)
		if rerr != nil {
			t.Fatal(rerr)
		}
		f, err = Load(p, src)
	}
	if err != nil {
		t.Fatalf("the built-in flow does not load:\n%v", err)
	}
	return f
}

// answersYAML writes an answers file holding ans.
func answersYAML(t testing.TB, ans map[string]any) []byte {
	t.Helper()
	b, err := yaml.Marshal(map[string]any{"answers": ans})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parseAndScore runs answers through ParseAnswers (so they are checked and
// normalised like any answers file) and Score.
func parseAndScore(t testing.TB, f *Flow, ans map[string]any) (*AnswersFile, *Summary) {
	t.Helper()
	src := answersYAML(t, ans)
	af, err := f.ParseAnswers("case.yaml", src)
	if err != nil {
		t.Fatalf("answers rejected:\n%v\n--- answers ---\n%s", err, src)
	}
	s, err := f.Score(af.Answers)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	return af, s
}

func referralIDs(s *Summary) []string {
	out := []string{}
	for _, r := range s.Referrals {
		out = append(out, r.ID)
	}
	return out
}

func cautionIDs(s *Summary) []string {
	out := []string{}
	for _, c := range s.Cautions {
		out = append(out, c.ID)
	}
	return out
}

func referral(s *Summary, id string) *ReferralResult {
	for i := range s.Referrals {
		if s.Referrals[i].ID == id {
			return &s.Referrals[i]
		}
	}
	return nil
}

func hasCaution(s *Summary, id string) bool {
	for _, c := range s.Cautions {
		if c.ID == id {
			return true
		}
	}
	return false
}

// sameValue compares a summary value with an expected one written in a test
// table (string, bool, nil, []string).
func sameValue(got, want any) bool {
	if w, ok := want.([]string); ok {
		g, ok := got.([]string)
		if !ok {
			return false
		}
		if len(g) == 0 && len(w) == 0 {
			return true
		}
		return reflect.DeepEqual(g, w)
	}
	return reflect.DeepEqual(got, want)
}

func containsProblem(err error, sub string) bool {
	return err != nil && strings.Contains(err.Error(), sub)
}
