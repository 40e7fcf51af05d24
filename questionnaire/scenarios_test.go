package questionnaire

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden summaries in testdata/scenarios")

const scenarioDir = "../testdata/scenarios/1.0.0"

// TestScenarios scores each answers file in testdata/scenarios with the
// built-in flow and compares the JSON summary with NAME.json. Run with
// -update to rewrite them, then read the diff: TestSpecRules, not the
// goldens, is what says a rule is right.
func TestScenarios(t *testing.T) {
	f := builtin(t)
	files, err := filepath.Glob(filepath.Join(scenarioDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no scenarios in %s", scenarioDir)
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
			s, err := f.Score(af.Answers)
			if err != nil {
				t.Fatalf("Score: %v", err)
			}
			// The hash changes with every edit of the flow's wording; the
			// goldens pin what the rules decide.
			s.Flow.Hash = "sha256:(the built-in flow)"
			got, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join(scenarioDir, name+".json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestScenarios -update ./questionnaire/)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("summary differs from %s (rerun with -update and review the diff):\n--- got ---\n%s", golden, got)
			}
			// The golden must also be valid JSON in the spec's shape.
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
