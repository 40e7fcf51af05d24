package cli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	guideFlow     = "../../testdata/flows/guide-example.yaml"
	guideCases    = "../../testdata/flowtests/guide-example-cases.yaml"
	guideFailing  = "../../testdata/flowtests/guide-example-failing.yaml"
	guideBroken   = "../../testdata/flowtests/guide-example-broken.yaml"
	exampleAnswer = "../../testdata/examples/trafficked-abroad.yaml"
)

func TestFlowTestBuiltin(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	code, out, errs := runCLI(t, db, "flow", "test")
	if code != 0 || !regexp.MustCompile(`^ok: 4[0-9][0-9] passed, 0 failed \(flow trafficking-refugee-screening 2.0.0\)\n$`).MatchString(out) || errs != "" {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	// the built-in cases cover every rule; the sections' consent guards
	// never fail to hold (consent "no" ends the interview first)
	code, out, _ = runCLI(t, db, "flow", "test", "--coverage")
	for _, want := range []string{`\nfinding cases +(\d+) of (\d+)  100.0%\n`, `\npriorities +(\d+) of (\d+)  100.0%\n`,
		`section safety, relevant: held in \d+, never did not hold`, `\nbuiltin:screening.yaml:\d+ +referral asylum_procedure, priority urgent +\d+\n`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("coverage lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Errorf("--coverage alone fails: %d", code)
	}
	code, _, errs = runCLI(t, db, "flow", "test", "--min-coverage", "99")
	if code != ExitError || !regexp.MustCompile(`the cases exercise 9\d\.\d% of the rules, less than --min-coverage 99\n`).MatchString(errs) {
		t.Errorf("--min-coverage 99: exit %d %s", code, errs)
	}
	if code, _, _ := runCLI(t, db, "flow", "test", "--min-coverage", "90"); code != 0 {
		t.Errorf("--min-coverage 90: exit %d", code)
	}
	// --run selects by name, like go test -run
	code, out, _ = runCLI(t, db, "flow", "test", "--run", "^child_protection/urgent", "-v")
	if code != 0 || strings.Count(out, "--- PASS: child_protection/urgent") < 10 || strings.Contains(out, "legal_aid/") {
		t.Errorf("--run: exit %d\n%s", code, out)
	}
}

func TestFlowTestFailureText(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	code, out, errs := runCLI(t, db, "flow", "test", "--flow", guideFlow, guideFailing)
	want := `--- FAIL: a worker who declines to say whether they can leave (` + guideFailing + `:6)
    outcome: wanted act_today, got no_action (` + guideFailing + `:19)
        ` + guideFlow + `:229: finding outcome: case no_action held (no condition)
        ` + guideFlow + `:223: finding outcome: case act_today did not hold (when: "urgent" in values(referral))
    referrals.labour_inspection: wanted urgent, got not made (` + guideFailing + `:20)
        ` + guideFlow + `:252: referral labour_inspection: when did not hold (when: risk in ["high", "some"])
        ` + guideFlow + `:191: finding risk: case none held (no condition)
FAIL: 1 passed, 1 failed (flow guide-example 1.0)
`
	if code != ExitError || out != want {
		t.Errorf("exit %d\n%s\nwant:\n%s", code, out, want)
	}
	if errs != "fieldscreen: 1 of 2 cases failed\nhint: read each failure's rules (file:line), then fix the flow or, if the case is wrong, the case\n" {
		t.Errorf("stderr: %s", errs)
	}
}

func TestFlowTestJSONAndJUnit(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	code, out, _ := runCLI(t, db, "flow", "test", "--flow", guideFlow, guideFailing, guideCases, "--format", "json", "--coverage")
	if code != ExitError {
		t.Errorf("exit %d", code)
	}
	var rep struct {
		Flow   struct{ ID string }
		Passed int
		Failed int
		Cases  []struct {
			Name     string
			Passed   bool
			Failures []struct {
				Field, Want, Got string
				Line             int
				Rules            []struct {
					File string
					Line int
					What string
				}
			}
		}
		Coverage struct {
			Percent float64
			Totals  []struct{ Kind string }
			Items   []struct {
				Kind, Rule string
				Held       int
				NotHeld    *int `json:"not_held"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Flow.ID != "guide-example" || rep.Passed != 9 || rep.Failed != 1 || len(rep.Cases) != 10 || rep.Coverage.Percent != 100 {
		t.Errorf("report: %+v", rep)
	}
	f := rep.Cases[0].Failures[1]
	if f.Field != "referrals.labour_inspection" || f.Got != "not made" || f.Line != 20 || f.Rules[0].Line != 252 || f.Rules[0].File != guideFlow {
		t.Errorf("failure: %+v", f)
	}
	if it := rep.Coverage.Items[len(rep.Coverage.Items)-1]; it.Kind != "condition" || it.NotHeld == nil {
		t.Errorf("a condition item: %+v", it)
	}

	code, out, _ = runCLI(t, db, "flow", "test", "--flow", guideFlow, guideFailing, guideCases, "--format", "junit")
	if code != ExitError || !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var doc junitSuites
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.Tests != 10 || doc.Failures != 1 || len(doc.Suites) != 2 || doc.Suites[0].Failures != 1 || doc.Suites[1].Tests != 8 {
		t.Errorf("junit: %+v", doc)
	}
	fl := doc.Suites[0].Cases[0].Failure
	if fl == nil || fl.Message != "outcome: wanted act_today, got no_action; referrals.labour_inspection: wanted urgent, got not made" ||
		!strings.Contains(fl.Text, guideFlow+":252: referral labour_inspection: when did not hold") {
		t.Errorf("junit failure: %+v", fl)
	}
}

func TestFlowTestProblemsAndUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	code, out, errs := runCLI(t, db, "flow", "test", "--flow", guideFlow, guideBroken)
	if code != ExitInvalid || out != "" || !strings.Contains(errs, "fieldscreen: 7 problems:\n"+guideBroken+`:6:14: question "slept": "stret" is not one of its choices`) ||
		!strings.Contains(errs, guideBroken+`:10:19: unknown referral "shleter" (did you mean "shelter"?)`) {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--run", "("}, ExitUsage, `--run "(" is not a regular expression`},
		{[]string{"--format", "xml"}, ExitUsage, "--format must be one of text, json, junit"},
		{[]string{"--min-coverage", "101"}, ExitUsage, "--min-coverage must be a percentage from 0 to 100"},
		{[]string{"--run", "no such case"}, ExitError, "no cases to run"},
		{[]string{"no-such-file.yaml"}, ExitError, "cannot read case file no-such-file.yaml"},
		{[]string{"-o", "x.yaml"}, ExitUsage, "-o goes with --new-case-from"},
		{[]string{"--new-case-from", exampleAnswer, guideCases}, ExitUsage, "leave out the case files"},
	} {
		code, _, errs := runCLI(t, db, append([]string{"flow", "test"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %s", tc.args, code, errs)
		}
	}
}

// A case written from an answers file, or from a stored interview, passes
// as written and says so.
func TestFlowTestNewCaseFrom(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	code, out, errs := runCLI(t, db, "flow", "test", "--new-case-from", exampleAnswer)
	if code != 0 || !strings.HasPrefix(out, "# A case written from "+exampleAnswer+"\n") ||
		!strings.Contains(out, "  - name: trafficked-abroad\n") || !strings.Contains(out, "      outcome: ") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = runCLI(t, db, "interview", "--answers", exampleAnswer, "--interviewer", "A. Officer")
	if code != 0 {
		t.Fatalf("interview: %d %s", code, errs)
	}
	code, list, _ := runCLI(t, db, "list", "--format", "json")
	id := regexp.MustCompile(`"interview_id": "([^"]+)"`).FindStringSubmatch(list)
	if code != 0 || id == nil {
		t.Fatalf("list: %s", list)
	}
	nc := filepath.Join(dir, "nc.yaml")
	code, out, errs = runCLI(t, db, "flow", "test", "--new-case-from", id[1][len(id[1])-8:], "-o", nc)
	if code != 0 || out != "" || !strings.Contains(errs, "fieldscreen: wrote "+nc+"; run it with: fieldscreen flow test "+nc) {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	src, err := os.ReadFile(nc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "It holds the person's answers: change") || !strings.Contains(string(src), "not_cautions:") {
		t.Errorf("%s", src)
	}
	if st, err := os.Stat(nc); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the case holds answers: mode %v", st.Mode())
	}
	code, out, errs = runCLI(t, db, "flow", "test", nc)
	if code != 0 || !strings.HasPrefix(out, "ok: 1 passed") {
		t.Errorf("the new case: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs = runCLI(t, db, "flow", "test", "--new-case-from", "ffffffff")
	if code == 0 || !strings.Contains(errs, "ffffffff") {
		t.Errorf("an unknown ID: exit %d %s", code, errs)
	}
}
