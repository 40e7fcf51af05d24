package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const guideV2 = "../../testdata/flowtests/guide-example-v2.yaml"

func TestFlowDiff(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	code, out, errs := runCLI(t, db, "flow", "diff", guideFlow, guideV2)
	want := guideFlow + " → " + guideV2 + `
flow guide-example 1.0 → 1.1: 3 changes (1 flow, 2 rules)

Flow
  ~ flow: version changed from "1.0" to "1.1"

Rules
  ~ finding risk, case high: holds when changed from ` + "`control_signs >= 2 or free_to_leave == \"no\"` to `control_signs >= 2 or (answered(free_to_leave) and free_to_leave != \"yes\")`" + `  [line 180 → 178]
  ~ referral labour_inspection, priority urgent: holds when changed from ` + "`free_to_leave == \"no\"` to `answered(free_to_leave) and free_to_leave != \"yes\"`" + `  [line 254 → 252]
`
	if code != 0 || out != want || errs != "" {
		t.Errorf("exit %d\n%s\nwant:\n%s%s", code, out, want, errs)
	}
	code, out, _ = runCLI(t, db, "flow", "diff", guideFlow, guideFlow)
	if code != 0 || !strings.HasSuffix(out, "flow guide-example 1.0 → 1.0: the same file\n") {
		t.Errorf("the same file: %d %s", code, out)
	}
	if code, _, _ := runCLI(t, db, "flow", "diff", guideFlow, guideFlow, "--exit-code"); code != 0 {
		t.Errorf("--exit-code, no change: %d", code)
	}
	code, _, errs = runCLI(t, db, "flow", "diff", guideFlow, guideV2, "--exit-code")
	if code != ExitError || errs != "fieldscreen: the flows differ: 3 changes\n" {
		t.Errorf("--exit-code: %d %s", code, errs)
	}
}

func TestFlowDiffBuiltin(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	code, out, _ := runCLI(t, db, "flow", "diff", "builtin:1.0.0", "builtin")
	if code != 0 || !strings.HasPrefix(out, "builtin:screening-1.0.0.yaml → builtin:screening.yaml\nflow trafficking-refugee-screening 1.0.0 → 2.0.0: ") {
		t.Fatalf("exit %d\n%.400s", code, out)
	}
	for _, want := range []string{"\nQuestions\n", "\nConditions (when a question is asked)\n", "\nRules\n", "\nTexts\n",
		"  - question relocation_possible removed (it was yes_no, in section fear)",
		"  + referral gbv_response added, made when `experienced_sgbv == \"yes\" or child_married == \"yes\"`  [new line "} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q", want)
		}
	}
	code, out, _ = runCLI(t, db, "flow", "diff", "builtin:1.0.0", "builtin:2.0.0", "--no-texts", "--format", "json")
	var d struct {
		Old, New struct{ Version string }
		Changes  []struct{ Group, Kind, Subject, Text string }
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != 0 {
		t.Fatalf("%d %v\n%.300s", code, err, out)
	}
	if d.Old.Version != "1.0.0" || d.New.Version != "2.0.0" || len(d.Changes) < 100 {
		t.Errorf("%+v", d.Old)
	}
	for _, c := range d.Changes {
		if c.Group == "texts" {
			t.Errorf("--no-texts kept %s", c.Text)
		}
	}
	code, _, errs := runCLI(t, db, "flow", "diff", "builtin:0.9", "builtin")
	if code != ExitUsage || !strings.Contains(errs, `the built-in flow has no version "0.9"`) || !strings.Contains(errs, "hint: built-in flows: builtin, builtin:2.0.0, builtin:1.0.0") {
		t.Errorf("%d %s", code, errs)
	}
	if code, _, errs := runCLI(t, db, "flow", "diff", "builtin"); code != ExitUsage {
		t.Errorf("one argument: %d %s", code, errs)
	}
}

// TestGuideCommandOutputs runs the commands docs/authoring.md shows with
// their output (a text block whose first line is "$ fieldscreen …") and
// checks that the guide shows what they print, stdout then stderr.
func TestGuideCommandOutputs(t *testing.T) {
	doc, err := os.ReadFile("../../docs/authoring.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```text\n\\$ fieldscreen (.*?)\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 3 {
		t.Fatalf("found %d command blocks in the guide", len(blocks))
	}
	db := filepath.Join(t.TempDir(), "s.db")
	t.Chdir("../..")
	for _, b := range blocks {
		args := strings.Fields(b[1])
		code, out, errs := runCLI(t, db, args...)
		if got := out + errs; got != b[2] {
			t.Errorf("fieldscreen %s (exit %d) prints:\n%s\nthe guide shows:\n%s", b[1], code, got, b[2])
		}
	}
}
