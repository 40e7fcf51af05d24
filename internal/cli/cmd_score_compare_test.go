package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A worker who declines to say whether they can leave, and an adult who
// needs a bed: flow 1.1 of the guide's example refers the first, and
// changes nothing for the second.
const (
	declinedAnswers = "answers:\n  consent: \"yes\"\n  age: 30\n  years_away: 1\n  home_town: Ville\n  slept: workplace\n  needs: [none]\n  control: [none]\n  free_to_leave: declined\n  agree_to: [none]\n"
	bedAnswers      = "answers: {consent: \"yes\", age: 40, years_away: 1, home_town: X, slept: friends, needs: [bed], agree_to: [shelter]}\n"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScoreCompareAnswers(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.yaml": declinedAnswers, "b.yaml": bedAnswers})
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	db := filepath.Join(dir, "s.db")
	code, out, errs := runCLI(t, db, "score", "--compare", "--flow", guideV2, "--old-flow", guideFlow, "--answers", a, "--answers", b)
	for _, want := range []string{
		"2 interviews scored with the flow each was taken with, and with " + guideV2 + " (guide-example 1.1): 1 changed.\n",
		"  no_action          1      0          0\n",
		"  labour_inspection  1       0     0       0\n",
		"  " + a + " (flow 1.0): no_action → act_today\n    + referral labour_inspection (urgent) because of assessment.exploitation_risk, free_to_leave\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if code != 0 || errs != "" || strings.Contains(out, b) {
		t.Errorf("exit %d %s", code, errs)
	}
	code, out, _ = runCLI(t, db, "score", "--compare", "--flow", guideV2, "--old-flow", guideFlow, "--answers", a, "--answers", b, "--format", "json")
	var r struct {
		Headline    string
		Interviews  int
		Changed     int
		Transitions []struct {
			Old, New string
			Count    int
		}
		Changes []struct {
			Source      string
			Old, New    string
			Differences []struct{ Kind, ID, New string }
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("%d %v\n%s", code, err, out)
	}
	if r.Headline != "outcome" || r.Interviews != 2 || r.Changed != 1 || len(r.Changes) != 1 || r.Changes[0].Source != a ||
		r.Changes[0].Differences[0].Kind != "headline" || r.Changes[0].Differences[1].ID != "labour_inspection" {
		t.Errorf("%+v", r)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--compare", "--all"}, "--compare needs --flow NEW"},
		{[]string{"--compare", "--flow", guideV2}, "nothing to compare"},
		{[]string{"--compare", "--flow", guideV2, "--all", "--old-flow", guideFlow}, "--old-flow is for --answers files"},
		{[]string{"--compare", "--flow", guideV2, "--answers", a, "--format", "csv"}, "--format must be one of text, json"},
	} {
		if code, _, errs := runCLI(t, db, append([]string{"score"}, tc.args...)...); code != ExitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: %d %s", tc.args, code, errs)
		}
	}
}

// Stored interviews are scored with the flow each was taken with; the
// store is read, never written.
func TestScoreCompareStoreAndBundle(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.yaml": declinedAnswers, "b.yaml": bedAnswers})
	db := filepath.Join(dir, "s.db")
	for _, f := range []string{"a.yaml", "b.yaml"} {
		if code, _, errs := runCLI(t, db, "interview", "--flow", guideFlow, "--answers", filepath.Join(dir, f), "--interviewer", "T"); code != 0 {
			t.Fatalf("interview: %s", errs)
		}
	}
	if code, _, errs := runCLI(t, db, "interview", "--answers", exampleAnswer, "--interviewer", "T"); code != 0 {
		t.Fatalf("interview: %s", errs)
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, db, "score", "--compare", "--flow", guideV2, "--all")
	if code != 0 || !strings.HasPrefix(out, "3 interviews scored with the flow each was taken with") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	// the built-in interview rescored with the guide's flow: its answers
	// are not that flow's, and are reported as ignored
	if !strings.Contains(errs, "1 interview answered questions "+guideV2+" does not have") {
		t.Errorf("stderr: %s", errs)
	}
	if !strings.Contains(out, "(flow 1.0): no_action → act_today\n    + referral labour_inspection (urgent)") {
		t.Errorf("%s", out)
	}
	after, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("--compare changed the store")
	}
	bundle := filepath.Join(dir, "b.json")
	if code, _, errs := runCLI(t, db, "export", "--all", "-o", bundle, "--purpose", "test", "--plaintext"); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	code, out2, errs := runCLI(t, db, "score", "--compare", "--flow", guideV2, "--from", bundle)
	if code != 0 || out2 != out {
		t.Errorf("from the bundle: exit %d\n%s\nwant:\n%s%s", code, out2, out, errs)
	}
}
