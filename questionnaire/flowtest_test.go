package questionnaire

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const flowtestDir = "../testdata/flowtests"

func readCases(t *testing.T, f *Flow, name string) *CaseFile {
	t.Helper()
	path := filepath.Join(flowtestDir, name)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := f.ParseCases(name, src)
	if err != nil {
		t.Fatalf("%s does not load:\n%v", name, err)
	}
	return cf
}

// lineOf is the line of the first line of file that contains s.
func lineOf(t *testing.T, path, s string) int {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(src), "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%s holds no line with %q", path, s)
	return 0
}

func TestFlowTestGuideCasesPassWithFullCoverage(t *testing.T) {
	f := loadGuideFlow(t)
	cf := readCases(t, f, "guide-example-cases.yaml")
	res := f.RunCases([]*CaseFile{cf}, nil)
	for _, r := range res.Results {
		if !r.Passed() {
			t.Errorf("%s: %v %+v", r.Case.Name, r.Err, r.Failures)
		}
	}
	if res.Passed() != len(cf.Cases) || res.Failed() != 0 {
		t.Errorf("passed %d, failed %d of %d", res.Passed(), res.Failed(), len(cf.Cases))
	}
	if res.Coverage.Percent != 100 {
		for _, it := range res.Coverage.Missed() {
			t.Errorf("not covered: line %d %s (held %d)", it.Line, it, it.Held)
		}
	}
	// the guide flow: 8 finding cases, 4 referrals, 9 priorities, 2 cautions,
	// 4 conditions (work section, may_be_child, alone, consent's end)
	want := map[string]int{CoverFindingCase: 8, CoverReferral: 4, CoverPriority: 9, CoverCaution: 2, CoverCondition: 4, "all": 27}
	for k, n := range want {
		if got := res.Coverage.Total(k).Total; got != n {
			t.Errorf("%s: %d items, want %d", k, got, n)
		}
	}
	if res.Coverage.Cases != len(cf.Cases) {
		t.Errorf("coverage counted %d cases, want %d", res.Coverage.Cases, len(cf.Cases))
	}
}

func TestFlowTestFailureNamesTheRules(t *testing.T) {
	f := loadGuideFlow(t)
	cf := readCases(t, f, "guide-example-failing.yaml")
	res := f.RunCases([]*CaseFile{cf}, nil)
	if res.Passed() != 1 || res.Failed() != 1 {
		t.Fatalf("passed %d, failed %d; want 1 and 1", res.Passed(), res.Failed())
	}
	r := res.Results[0]
	if len(r.Failures) != 2 {
		t.Fatalf("failures: %+v", r.Failures)
	}
	flowPath := filepath.Join(flowDir, "guide-example.yaml")
	out, ref := r.Failures[0], r.Failures[1]
	if out.Field != "outcome" || out.Want != "act_today" || out.Got != "no_action" {
		t.Errorf("outcome failure: %+v", out)
	}
	if len(out.Rules) != 2 || out.Rules[0].Line != lineOf(t, flowPath, "value: no_action") ||
		!strings.Contains(out.Rules[0].What, "case no_action held") ||
		out.Rules[1].Line != lineOf(t, flowPath, "value: act_today") || !strings.Contains(out.Rules[1].What, "case act_today did not hold") {
		t.Errorf("outcome rules: %v", out.Rules)
	}
	if ref.Field != "referrals.labour_inspection" || ref.Want != "urgent" || ref.Got != "not made" {
		t.Errorf("referral failure: %+v", ref)
	}
	if ref.Line != lineOf(t, filepath.Join(flowtestDir, "guide-example-failing.yaml"), "referrals: {labour_inspection: urgent}") {
		t.Errorf("expectation line %d", ref.Line)
	}
	// the referral's condition, and the case of the finding it reads
	if len(ref.Rules) != 2 || ref.Rules[0].Line != lineOf(t, flowPath, `when: risk in ["high", "some"]`) ||
		ref.Rules[0].File != f.Name || !strings.Contains(ref.Rules[0].What, "when did not hold") ||
		ref.Rules[1].Line != lineOf(t, flowPath, "      - value: none") || ref.Rules[1].What != "finding risk: case none held (no condition)" {
		t.Errorf("referral rules: %v", ref.Rules)
	}
	// version 1.1 reads a gap as it reads "no": the case passes
	v2src, err := os.ReadFile(filepath.Join(flowtestDir, "guide-example-v2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	v2, err := Load("guide-example-v2.yaml", v2src)
	if err != nil {
		t.Fatal(err)
	}
	cf2 := readCases(t, v2, "guide-example-failing.yaml")
	if res := v2.RunCases([]*CaseFile{cf2, readCases(t, v2, "guide-example-cases.yaml")}, nil); res.Failed() != 0 || res.Coverage.Percent != 100 {
		t.Errorf("version 1.1: %d failed, coverage %v", res.Failed(), res.Coverage.Percent)
	}
}

func TestFlowTestPriorityFailureNamesHeldAndWanted(t *testing.T) {
	f := loadGuideFlow(t)
	src := `cases:
  - name: street
    answers: {consent: "yes", age: 40, years_away: 1, home_town: X, slept: street, needs: [none], agree_to: [none]}
    expect:
      referrals: {shelter: urgent}
      not_referrals: [legal_aid]
  - name: friends
    answers: {consent: "yes", age: 40, years_away: 1, home_town: X, slept: friends, needs: [bed], agree_to: [none]}
    expect:
      referrals: {shelter: high}
      not_cautions: [child_procedures]
      cautions: [documents_held]
      consent: {shelter: given}
`
	cf, err := f.ParseCases("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res := f.RunCases([]*CaseFile{cf}, nil)
	flowPath := filepath.Join(flowDir, "guide-example.yaml")
	street := res.Results[0].Failures
	if len(street) != 1 || street[0].Want != "urgent" || street[0].Got != "high" {
		t.Fatalf("street: %+v", street)
	}
	rules := street[0].Rules
	if len(rules) != 3 || rules[1].Line != lineOf(t, flowPath, `{value: high, when: slept == "street"}`) ||
		rules[2].Line != lineOf(t, flowPath, `{value: urgent, when: child and slept == "street"}`) ||
		!strings.Contains(rules[2].What, "priority urgent did not hold") {
		t.Errorf("rules: %v", rules)
	}
	friends := res.Results[1].Failures
	var fields []string
	for _, fl := range friends {
		fields = append(fields, fl.Field+"="+fl.Want+"/"+fl.Got)
	}
	if got := strings.Join(fields, " "); got != "referrals.shelter=high/standard cautions.documents_held=raised/not raised consent.shelter=given/not_given" {
		t.Errorf("friends: %s", got)
	}
	if rs := friends[0].Rules; len(rs) != 3 || !strings.Contains(rs[2].What, "priority high did not hold") {
		t.Errorf("a later priority is named as not holding: %v", rs)
	}
}

func TestFlowTestCaseFileProblems(t *testing.T) {
	f := loadGuideFlow(t)
	path := filepath.Join(flowtestDir, "guide-example-broken.yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.ParseCases("guide-example-broken.yaml", src)
	probs, ok := err.(Problems)
	if !ok {
		t.Fatalf("want Problems, got %v", err)
	}
	want := []string{
		`guide-example-broken.yaml:6:14: question "slept": "stret" is not one of its choices (did you mean "street"?)`,
		`guide-example-broken.yaml:7:7: unknown question "neds" (did you mean "needs"?)`,
		`guide-example-broken.yaml:9:16: outcome cannot be act_todya (did you mean "act_today"?); its values are not_screened, act_today, refer, no_action`,
		`guide-example-broken.yaml:10:19: unknown referral "shleter" (did you mean "shelter"?)`,
		`guide-example-broken.yaml:10:47: referral "legal_aid": "soon" is not one of urgent, high, standard, any`,
		`guide-example-broken.yaml:11:18: unknown caution "documents_hold" (did you mean "documents_held"?)`,
		`guide-example-broken.yaml:12:7: "asessment.child" is not a field of this flow's summary (did you mean "assessment.child"?)`,
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
	}
	for i := range max(len(want), len(got)) {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if !strings.HasPrefix(g, w) || (w == "") != (g == "") {
			t.Errorf("problem %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

func TestFlowTestParseProblems(t *testing.T) {
	f := loadGuideFlow(t)
	ok := `{consent: "yes", age: 40, years_away: 1, home_town: X, slept: friends, needs: [none], agree_to: [none]}`
	for _, tc := range []struct{ name, src, want string }{
		{"not a mapping", "- a\n", "c.yaml:1:1: a case file must be a mapping with `cases:`"},
		{"no cases", "profiles: {}\n", "c.yaml:1:1: no `cases:` list"},
		{"cases not a list", "cases: {a: b}\n", "c.yaml:1:8: `cases:` must be a list"},
		{"unknown top key", "case: []\ncases: []\n", `c.yaml:1:1: unknown key "case" (did you mean "cases"?)`},
		{"yaml error", "cases: [\n", `c.yaml:1:1: "cases:": did not find expected node content`},
		{"unknown case key", "cases:\n  - name: a\n    answer: {}\n    expect: {}\n", `c.yaml:3:5: unknown key "answer" (did you mean "answers"?)`},
		{"no name", "cases:\n  - answers: " + ok + "\n    expect: {}\n", "c.yaml:2:5: a case needs a name"},
		{"no answers", "cases:\n  - name: a\n    expect: {}\n", `c.yaml:2:5: case "a" has no answers`},
		{"no expect", "cases:\n  - name: a\n    answers: " + ok + "\n", "c.yaml:2:5: case \"a\" has no `expect:`"},
		{"two names", "cases:\n  - name: a\n    answers: " + ok + "\n    expect: {}\n  - name: a\n    answers: " + ok + "\n    expect: {}\n",
			`c.yaml:5:5: two cases are named "a" (the other at line 2)`},
		{"unknown profile", "profiles:\n  adult: " + ok + "\ncases:\n  - name: a\n    profile: adlt\n    expect: {}\n",
			`c.yaml:5:14: no profile "adlt" in this file (did you mean "adult"?)`},
		{"required missing", "cases:\n  - name: a\n    answers: {age: 3}\n    expect: {}\n", `required question "consent" has no answer`},
		{"bad consent", "cases:\n  - name: a\n    answers: " + ok + "\n    expect: {consent: {shelter: yes}}\n",
			`c.yaml:4:33: referral "shelter": "yes" is not one of given, best_interests`},
		{"not a list", "cases:\n  - name: a\n    answers: " + ok + "\n    expect: {cautions: documents_held}\n",
			"c.yaml:4:24: cautions must be a list of caution IDs"},
		{"unknown question asked", "cases:\n  - name: a\n    answers: " + ok + "\n    expect: {asked: [agee]}\n",
			`c.yaml:4:22: unknown question "agee" (did you mean "age"?)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.ParseCases("c.yaml", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestFlowTestProfilesLayer(t *testing.T) {
	f := loadGuideFlow(t)
	src := `profiles:
  adult: {consent: "yes", age: 40, years_away: 1, home_town: X, slept: friends, needs: [none], agree_to: [none]}
  street: {slept: street, needs: [bed]}
cases:
  - name: layered
    profile: [adult, street]
    answers: {age: 12, alone: "no", may_be_child: "no"}
    expect:
      referrals: {shelter: urgent}
      dropped: [may_be_child]
      assessment.needs: [bed]
`
	cf, err := f.ParseCases("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Cases[0]
	if c.Answers["slept"] != "street" || c.Answers["age"] != 12 || c.Answers["home_town"] != "X" {
		t.Errorf("answers %v", c.Answers)
	}
	if r := f.RunCase(c); !r.Passed() {
		t.Errorf("%v %+v", r.Err, r.Failures)
	}
}

func TestFlowTestFieldPaths(t *testing.T) {
	f := loadGuideFlow(t)
	src := `cases:
  - name: paths
    answers: {consent: "yes", age: 40, years_away: 1, home_town: X, slept: friends, needs: [food, doctor], agree_to: [none]}
    expect:
      assessment: {exploitation_risk: none, free_to_leave: null, child: false, support: [basic_needs, health], needs: [food, doctor], work_questions_answered: false, bed_tonight: false}
      assessment.free_to_leave: null
      information_gaps: []
      flow.id: guide-example
      basis.0: Example Act on Shelters, Art. 2
      assessment.support.1: health
  - name: wrong
    answers: {consent: "yes", age: 40, years_away: 1, home_town: X, slept: friends, needs: [food, doctor], agree_to: [none]}
    expect:
      assessment.free_to_leave: false
      assessment.support: [health]
      basis.7: x
`
	cf, err := f.ParseCases("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res := f.RunCases([]*CaseFile{cf}, nil)
	if r := res.Results[0]; !r.Passed() {
		t.Errorf("%v %+v", r.Err, r.Failures)
	}
	var got []string
	for _, fl := range res.Results[1].Failures {
		got = append(got, fl.Field+": "+fl.Want+" / "+fl.Got)
	}
	want := []string{
		"assessment.free_to_leave: false / null",
		`assessment.support: ["health"] / ["basic_needs", "health"]`,
		"basis.7: x / no such field in the summary",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rs := res.Results[1].Failures[0].Rules; len(rs) != 1 || !strings.Contains(rs[0].What, "finding free_to_leave_known = tri(") {
		t.Errorf("rules of an expression: %v", rs)
	}
}

func TestFlowTestRunFilter(t *testing.T) {
	f := loadGuideFlow(t)
	cf := readCases(t, f, "guide-example-cases.yaml")
	res := f.RunCases([]*CaseFile{cf}, func(c *FlowCase) bool { return strings.Contains(c.Name, "child") })
	if len(res.Results) != 2 || res.Coverage.Cases != 2 {
		t.Errorf("ran %d cases", len(res.Results))
	}
	if res.Coverage.Percent >= 100 {
		t.Errorf("two cases cover everything? %v", res.Coverage.Percent)
	}
}

// Scoring with a trace must give the very summary Score gives.
func TestFlowTestTraceDoesNotChangeTheSummary(t *testing.T) {
	f := builtin2(t)
	for _, cs := range BuiltinCaseSources() {
		cf, err := f.ParseCases(cs.Name, cs.Src)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cf.Cases {
			plain, err := f.Score(c.Answers)
			if err != nil {
				t.Fatal(err)
			}
			traced, tr, err := f.scoreTraced(c.Answers)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(plain)
			b, _ := json.Marshal(traced)
			if string(a) != string(b) {
				t.Fatalf("%s: traced summary differs", c.Name)
			}
			for r, i := range tr.prio {
				if p := findReferral(plain, r.ID); p == nil || r.Priority[i].Value != p.Priority {
					t.Errorf("%s: trace says %s took priority case %d", c.Name, r.ID, i)
				}
			}
		}
	}
}

// A case written from answers passes on the flow it was written from, and
// pins what the summary says.
func TestFlowTestNewCase(t *testing.T) {
	for _, tc := range []struct {
		f    *Flow
		file string
	}{
		{loadGuideFlow(t), filepath.Join(flowDir, "..", "flowtests", "guide-example-cases.yaml")},
		{builtin2(t), ""},
	} {
		var cases []*FlowCase
		if tc.file != "" {
			cases = readCases(t, tc.f, filepath.Base(tc.file)).Cases
		} else {
			for _, cf := range builtinCaseFiles(t, tc.f) {
				cases = append(cases, cf.Cases...)
			}
		}
		for _, c := range cases {
			src, err := tc.f.NewCaseYAML(c.Name, "from a test", c.Answers, "written by a test")
			if err != nil {
				t.Fatal(err)
			}
			cf, err := tc.f.ParseCases("new.yaml", src)
			if err != nil {
				t.Fatalf("%s: the new case does not load:\n%v\n%s", c.Name, err, src)
			}
			r := tc.f.RunCase(cf.Cases[0])
			if !r.Passed() {
				t.Fatalf("%s: the new case fails: %v %+v\n%s", c.Name, r.Err, r.Failures, src)
			}
			if !strings.HasPrefix(string(src), "# written by a test\ncases:\n") {
				t.Errorf("%s", src)
			}
		}
	}
	f := loadGuideFlow(t)
	src, err := f.NewCaseYAML("no consent", "", Answers{"consent": "no"})
	if err != nil {
		t.Fatal(err)
	}
	want := `cases:
  - name: "no consent"
    answers:
      consent: "no"
    expect:
      outcome: not_screened
      assessment.exploitation_risk: none
      assessment.free_to_leave: null
      assessment.child: false
      assessment.support: []
      assessment.needs: []
      assessment.work_questions_answered: false
      assessment.bed_tonight: false
      not_referrals: [shelter, labour_inspection, legal_aid, child_protection]
      not_cautions: [documents_held, child_procedures]
      information_gaps: []
`
	if string(src) != want {
		t.Errorf("got:\n%s\nwant:\n%s", src, want)
	}
}
