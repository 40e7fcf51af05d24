package questionnaire

import (
	"slices"
	"strings"
	"testing"
)

func builtinCaseFiles(t *testing.T, f *Flow) []*CaseFile {
	t.Helper()
	srcs := BuiltinCaseSources()
	if len(srcs) < 2 {
		t.Fatalf("%d built-in case files, want the spec's tables and the stories", len(srcs))
	}
	var files []*CaseFile
	for _, cs := range srcs {
		cf, err := f.ParseCases(cs.Name, cs.Src)
		if err != nil {
			t.Fatalf("%s does not load:\n%v", cs.Name, err)
		}
		files = append(files, cf)
	}
	return files
}

// TestBuiltinCases runs the built-in flow's own suite, as `fieldscreen flow
// test` does, and requires full coverage: every case of every finding,
// every referral and priority case, every caution, and every question
// condition both held and not held. The one exception is the guard
// `consent == "yes"` at the head of the sections after consent: consent is
// required and "no" ends the interview, so the guard is never evaluated
// false. The test names those guards, so that any other condition no case
// turns both ways fails it.
func TestBuiltinCases(t *testing.T) {
	f := builtin2(t)
	res := f.RunCases(builtinCaseFiles(t, f), nil)
	for _, r := range res.Results {
		if !r.Passed() {
			t.Errorf("%s (%s:%d): %v %+v", r.Case.Name, r.Case.File, r.Case.Line, r.Err, r.Failures)
		}
	}
	cov := res.Coverage
	for _, k := range []string{CoverFindingCase, CoverReferral, CoverPriority, CoverCaution} {
		if tot := cov.Total(k); tot.Covered != tot.Total || tot.Total == 0 {
			t.Errorf("%s: %d of %d covered", k, tot.Covered, tot.Total)
		}
	}
	guards := 0
	for _, it := range cov.Missed() {
		s := f.sectionByID(strings.TrimPrefix(it.Rule, "section "))
		if it.Kind == CoverCondition && s != nil && s.Relevant != nil && s.Relevant.Src == `consent == "yes"` && it.Held > 0 {
			guards++
			continue
		}
		t.Errorf("%s:%d: %s never exercised (held in %d cases)", it.File, it.Line, it, it.Held)
	}
	if tot := cov.Total(CoverCondition); tot.Covered+guards != tot.Total {
		t.Errorf("conditions: %d covered + %d consent guards, of %d", tot.Covered, guards, tot.Total)
	}
	if res.Passed() < 400 {
		t.Errorf("only %d built-in cases", res.Passed())
	}
}

func (f *Flow) sectionByID(id string) *Section {
	for _, s := range f.Sections {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Every case of spec2_rules_test.go has its story among the built-in cases
// (they were written from them), so the two cannot drift apart unseen.
func TestBuiltinCasesHoldEverySpecRow(t *testing.T) {
	f := builtin2(t)
	var names []string
	for _, cf := range builtinCaseFiles(t, f) {
		for _, c := range cf.Cases {
			names = append(names, c.Name)
		}
	}
	for _, c := range allSpec2Cases() {
		if !slices.Contains(names, c.name) {
			t.Errorf("spec case %q is not in builtin/screening-cases.yaml", c.name)
		}
	}
}

// A rule changed in a copy of the built-in flow fails the built-in cases:
// the suite holds the flow to the spec.
func TestBuiltinCasesCatchChangedRules(t *testing.T) {
	base := string(BuiltinSource())
	for _, m := range []struct{ from, to string }{
		{`- {value: urgent, when: deportation_risk == "yes"}`, `- {value: urgent, when: deportation_risk == "no"}`},
		{`when: act and purpose and (means or child_at_time)`, `when: act and purpose and means`},
		{`when: has(risk_factors, "approached_by_recruiters") or risk_count >= 2`, `when: has(risk_factors, "approached_by_recruiters") or risk_count >= 3`},
	} {
		if !strings.Contains(base, m.from) {
			t.Fatalf("the built-in flow has no %q", m.from)
		}
		f, err := Load("mutant.yaml", []byte(strings.Replace(base, m.from, m.to, 1)))
		if err != nil {
			t.Fatal(err)
		}
		res := f.RunCases(builtinCaseFiles(t, f), nil)
		if res.Failed() == 0 {
			t.Errorf("changing %q to %q fails no built-in case", m.from, m.to)
		}
	}
}
