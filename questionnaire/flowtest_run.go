package questionnaire

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// CaseResult is how one case ran.
type CaseResult struct {
	Case    *FlowCase
	Summary *Summary
	// Failures are the expectations the summary did not meet, in the
	// order the case wrote them.
	Failures []Failure
	// Err is set when the flow could not score the answers at all.
	Err error
}

// Passed reports whether the case met every expectation.
func (r *CaseResult) Passed() bool { return r.Err == nil && len(r.Failures) == 0 }

// Failure is one expectation a summary did not meet, with the rules that
// decided it.
type Failure struct {
	Field string `json:"field"` // "outcome", "referrals.legal_aid", "cautions.non_refoulement", …
	Want  string `json:"want"`
	Got   string `json:"got"`
	Line  int    `json:"line"` // of the expectation, in the case file
	Rules []Rule `json:"rules"`
}

// Rule is a place in the flow that played a part in a result.
type Rule struct {
	File string `json:"file"`
	Line int    `json:"line"`
	What string `json:"what"`
}

func (r Rule) String() string { return fmt.Sprintf("%s:%d: %s", r.File, r.Line, r.What) }

// SuiteResult is a run of case files on a flow.
type SuiteResult struct {
	Flow     FlowRef
	Results  []*CaseResult
	Coverage *Coverage
}

// Passed and Failed count the cases.
func (s *SuiteResult) Passed() int {
	n := 0
	for _, r := range s.Results {
		if r.Passed() {
			n++
		}
	}
	return n
}

func (s *SuiteResult) Failed() int { return len(s.Results) - s.Passed() }

// RunCases runs the cases of files that run selects (nil: all), in order,
// and measures which parts of the rules they exercised.
func (f *Flow) RunCases(files []*CaseFile, run func(c *FlowCase) bool) *SuiteResult {
	res := &SuiteResult{Flow: f.Ref()}
	cov := newCoverageCounter(f)
	for _, cf := range files {
		for _, c := range cf.Cases {
			if run != nil && !run(c) {
				continue
			}
			res.Results = append(res.Results, f.runCase(c, cov))
		}
	}
	res.Coverage = cov.result()
	return res
}

// RunCase scores one case and checks its expectations.
func (f *Flow) RunCase(c *FlowCase) *CaseResult { return f.runCase(c, nil) }

// runCase is RunCase; cov, when not nil, counts what the case exercised.
func (f *Flow) runCase(c *FlowCase, cov *coverageCounter) *CaseResult {
	r := &CaseResult{Case: c}
	s, tr, err := f.scoreTraced(c.Answers)
	if err != nil {
		r.Err = err
		return r
	}
	r.Summary = s
	cov.add(s, tr)
	var doc any
	if b, err := s.AppendJSON(nil); err != nil {
		r.Err = err
		return r
	} else if err := json.Unmarshal(b, &doc); err != nil {
		r.Err = err
		return r
	}
	var asked map[string]bool
	for _, e := range c.Expect {
		var fl *Failure
		switch e.Kind {
		case ExpectField:
			got, ok := lookupJSON(doc, e.Key)
			if !ok || !sameJSON(got, e.Want) {
				gs := showValue(got)
				if !ok {
					gs = "no such field in the summary"
				}
				fl = &Failure{Field: e.Key, Want: showValue(e.Want), Got: gs, Rules: f.fieldRules(s, e.Key, e.Want)}
			}
		case ExpectReferral, ExpectNotReferral:
			rr := findReferral(s, e.Key)
			want, _ := e.Want.(string)
			switch {
			case e.Kind == ExpectNotReferral && rr != nil:
				fl = &Failure{Field: "referrals." + e.Key, Want: "not made", Got: rr.Priority}
			case e.Kind == ExpectReferral && rr == nil:
				fl = &Failure{Field: "referrals." + e.Key, Want: want, Got: "not made"}
			case e.Kind == ExpectReferral && want != PriorityAny && rr.Priority != want:
				fl = &Failure{Field: "referrals." + e.Key, Want: want, Got: rr.Priority}
			}
			if fl != nil {
				fl.Rules = f.referralRules(s, e.Key, want, rr != nil, tr)
			}
		case ExpectCaution, ExpectNotCaution:
			raised := slices.ContainsFunc(s.Cautions, func(c CautionResult) bool { return c.ID == e.Key })
			if raised != (e.Kind == ExpectCaution) {
				fl = &Failure{Field: "cautions." + e.Key, Want: raisedWord(!raised), Got: raisedWord(raised), Rules: f.cautionRules(s, e.Key, raised)}
			}
		case ExpectConsent:
			rr := findReferral(s, e.Key)
			switch {
			case rr == nil:
				fl = &Failure{Field: "consent." + e.Key, Want: e.Want.(string), Got: "referral not made"}
			case rr.Consent != e.Want:
				fl = &Failure{Field: "consent." + e.Key, Want: e.Want.(string), Got: rr.Consent}
			}
			if fl != nil {
				fl.Rules = f.consentRules(s, e.Key, rr != nil, tr)
			}
		case ExpectAsked, ExpectNotAsked:
			if asked == nil {
				asked = map[string]bool{}
				vis, err := f.Visible(c.Answers)
				if err != nil {
					r.Err = err
					return r
				}
				for _, q := range vis {
					asked[q.ID] = true
				}
			}
			if asked[e.Key] != (e.Kind == ExpectAsked) {
				fl = &Failure{Field: "asked." + e.Key, Want: askedWord(!asked[e.Key]), Got: askedWord(asked[e.Key]), Rules: f.askedRules(e.Key)}
			}
		case ExpectDropped, ExpectReferralOrder, ExpectCautionOrder:
			want, _ := e.Want.([]string)
			got := c.Dropped
			switch e.Kind {
			case ExpectReferralOrder:
				got = []string{}
				for _, rr := range s.Referrals {
					got = append(got, rr.ID)
				}
			case ExpectCautionOrder:
				got = []string{}
				for _, ca := range s.Cautions {
					got = append(got, ca.ID)
				}
			}
			if !slices.Equal(want, got) {
				fl = &Failure{Field: e.Key, Want: showValue(want), Got: showValue(got)}
			}
		}
		if fl != nil {
			fl.Line = e.Line
			if fl.Rules == nil {
				fl.Rules = []Rule{}
			}
			r.Failures = append(r.Failures, *fl)
		}
	}
	return r
}

func raisedWord(b bool) string {
	if b {
		return "raised"
	}
	return "not raised"
}

func askedWord(b bool) string {
	if b {
		return "asked"
	}
	return "not asked"
}

func sameJSON(a, b any) bool {
	ab, err1 := json.Marshal(a)
	bb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ab) == string(bb)
}

func findReferral(s *Summary, id string) *ReferralResult {
	for i := range s.Referrals {
		if s.Referrals[i].ID == id {
			return &s.Referrals[i]
		}
	}
	return nil
}

// exprText is an expression on one line, cut short for a message.
func exprText(e *Expr) string {
	if e == nil {
		return ""
	}
	s := strings.Join(strings.Fields(e.Src), " ")
	if r := []rune(s); len(r) > 90 {
		s = string(r[:89]) + "…"
	}
	return s
}

// fieldRules names the findings behind a summary field: the case that
// held (or the expression that computed it), and the case that gives the
// value wanted, if there is one, with why it did not.
func (f *Flow) fieldRules(s *Summary, path string, want any) []Rule {
	var out []Rule
	for _, fd := range f.Findings {
		if fd.Field != path && !strings.HasPrefix(fd.Field, path+".") && !strings.HasPrefix(path, fd.Field+".") {
			continue
		}
		if fd.Expr != nil {
			out = append(out, Rule{f.Name, fd.Expr.Pos.Line, fmt.Sprintf("finding %s = %s", fd.ID, exprText(fd.Expr))})
			continue
		}
		held := -1
		for _, x := range s.Explanations {
			if x.Kind == "finding" && x.ID == fd.ID {
				held = x.Case
			}
		}
		if held >= 0 {
			c := fd.Cases[held]
			out = append(out, Rule{f.Name, c.Pos.Line, fmt.Sprintf("finding %s: case %s held%s", fd.ID, showValue(c.Value), whenText(c.When))})
		} else {
			out = append(out, Rule{f.Name, fd.Pos.Line, fmt.Sprintf("finding %s: no case held", fd.ID)})
		}
		if fd.Field != path {
			continue
		}
		for i, c := range fd.Cases {
			cv, err := jsonValue(c.Value)
			if err != nil || !sameJSON(cv, want) || i == held {
				continue
			}
			why := "did not hold"
			if held >= 0 && held < i {
				why = "was not reached: an earlier case held first"
			}
			out = append(out, Rule{f.Name, c.Pos.Line, fmt.Sprintf("finding %s: case %s %s%s", fd.ID, showValue(c.Value), why, whenText(c.When))})
			break
		}
	}
	return out
}

// readRules names, for the first-match findings a condition reads, the
// case that gave each its value: a referral not made because a finding
// had the value it had is explained by that finding's case.
func (f *Flow) readRules(s *Summary, e *Expr) []Rule {
	if e == nil {
		return nil
	}
	var out []Rule
	for _, name := range e.refs {
		for _, fd := range f.Findings {
			if fd.ID != name || len(fd.Cases) == 0 {
				continue
			}
			for _, x := range s.Explanations {
				if x.Kind == "finding" && x.ID == fd.ID && x.Case >= 0 {
					c := fd.Cases[x.Case]
					out = append(out, Rule{f.Name, c.Pos.Line, fmt.Sprintf("finding %s: case %s held%s", fd.ID, showValue(c.Value), whenText(c.When))})
				}
			}
		}
	}
	return out
}

func whenText(e *Expr) string {
	if e == nil {
		return " (no condition)"
	}
	return " (when: " + exprText(e) + ")"
}

// referralRules names the parts of a referral behind its result: its
// condition, the priority case that held, and the one wanted.
func (f *Flow) referralRules(s *Summary, id, want string, made bool, tr *trace) []Rule {
	r := f.Referral(id)
	if r == nil {
		return nil
	}
	line := r.Pos.Line
	if r.When != nil {
		line = r.When.Pos.Line
	}
	if !made {
		return append([]Rule{{f.Name, line, fmt.Sprintf("referral %s: when did not hold (when: %s)", id, exprText(r.When))}}, f.readRules(s, r.When)...)
	}
	out := []Rule{{f.Name, line, fmt.Sprintf("referral %s: when held (when: %s)", id, exprText(r.When))}}
	held, ok := tr.prio[r]
	if ok {
		c := r.Priority[held]
		out = append(out, Rule{f.Name, c.Pos.Line, fmt.Sprintf("referral %s: priority %s held%s", id, showValue(c.Value), whenText(c.When))})
	} else {
		out = append(out, Rule{f.Name, r.Pos.Line, fmt.Sprintf("referral %s: no priority case held, so standard", id)})
	}
	for i, c := range r.Priority {
		if c.Value != want || (ok && i == held) {
			continue
		}
		why := "did not hold"
		if ok && held < i {
			why = "was not reached: an earlier priority held first"
		}
		out = append(out, Rule{f.Name, c.Pos.Line, fmt.Sprintf("referral %s: priority %s %s%s", id, showValue(c.Value), why, whenText(c.When))})
		break
	}
	return out
}

func (f *Flow) cautionRules(s *Summary, id string, raised bool) []Rule {
	c := f.CautionByID(id)
	if c == nil {
		return nil
	}
	line := c.Pos.Line
	if c.When != nil {
		line = c.When.Pos.Line
	}
	held := "did not hold"
	if raised {
		held = "held"
	}
	return append([]Rule{{f.Name, line, fmt.Sprintf("caution %s: when %s (when: %s)", id, held, exprText(c.When))}}, f.readRules(s, c.When)...)
}

func (f *Flow) consentRules(s *Summary, id string, made bool, tr *trace) []Rule {
	r := f.Referral(id)
	if r == nil {
		return nil
	}
	if !made {
		return f.referralRules(s, id, "", false, tr)
	}
	out := []Rule{{f.Name, r.Pos.Line, fmt.Sprintf("referral %s: service %q, consent from %s", id, r.Service, f.ReferralConsentQuestion)}}
	if b := r.BestInterests; b != nil && b.When != nil {
		out = append(out, Rule{f.Name, b.When.Pos.Line, fmt.Sprintf("referral %s: best_interests when %s at priority %s", id, exprText(b.When), b.Priority)})
	}
	return out
}

func (f *Flow) askedRules(id string) []Rule {
	q := f.Question(id)
	if q == nil {
		return nil
	}
	var out []Rule
	if s := q.Section; s != nil && s.Relevant != nil {
		out = append(out, Rule{f.Name, s.Relevant.Pos.Line, fmt.Sprintf("section %s: relevant: %s", s.ID, exprText(s.Relevant))})
	}
	if q.Relevant != nil {
		out = append(out, Rule{f.Name, q.Relevant.Pos.Line, fmt.Sprintf("question %s: relevant: %s", q.ID, exprText(q.Relevant))})
	}
	for _, p := range f.Questions[:q.Index] {
		if p.EndsIf != nil {
			out = append(out, Rule{f.Name, p.EndsIf.Pos.Line, fmt.Sprintf("question %s: ends_interview_if: %s", p.ID, exprText(p.EndsIf))})
		}
	}
	if len(out) == 0 {
		out = append(out, Rule{f.Name, q.Pos.Line, fmt.Sprintf("question %s: always asked", q.ID)})
	}
	return out
}
