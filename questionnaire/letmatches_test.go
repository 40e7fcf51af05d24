package questionnaire

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// letMatchesFlow uses `let` and `matches` in a derived value, a finding, a
// question's condition, a referral and a constraint.
const letMatchesFlow = `id: letmatches
version: "1.0.0"
default_language: en
languages: [en]
title: {en: Let and matches}
sections:
  - id: s
    title: {en: S}
    questions:
      - {id: age, type: integer, min: 0, max: 120, label: {en: "Age?"}}
      - id: name
        type: text
        label: {en: "Name?"}
        constraints:
          - check: let v = value; not (v matches "[0-9]")
            message: {en: A name holds no digits.}
      - {id: town, type: text, label: {en: "Town?"}, relevant: "let n = age; real(n) and n > 1"}
derived:
  - {id: older, expr: "let x = age; let y = x; real(x) and y > 1"}
findings:
  - {id: capital, expr: 'name matches "^[A-Z]"'}
  - {id: grown, expr: "let x = age; x > 1"}
referrals:
  - {id: r, label: {en: R}, when: 'older and town matches "(?i)^paris$"', priority: [{value: standard}]}
`

// TestLetAndMatches: `let` and `matches` can be used in every kind of
// expression; the flow validates and scores.
func TestLetAndMatches(t *testing.T) {
	f, err := Load("letmatches.yaml", []byte(letMatchesFlow))
	if err != nil {
		t.Fatalf("the flow does not load:\n%v", err)
	}
	for _, c := range []struct {
		ans                   Answers
		capital, grown, asked bool
		referred              bool
	}{
		{Answers{"age": 30, "name": "Amal", "town": "PARIS"}, true, true, true, true},
		{Answers{"age": 30, "name": "amal", "town": "Lyon"}, false, true, true, false},
		{Answers{"age": 1, "name": "Amal"}, true, false, false, false},
		// not answered, declined or don't know never match
		{Answers{"age": Declined, "name": Declined}, false, false, false, false},
		{Answers{"age": 30, "name": DontKnow, "town": Declined}, false, true, true, false},
		{Answers{}, false, false, false, false},
	} {
		t.Run(fmt.Sprint(c.ans), func(t *testing.T) {
			s, err := f.Score(c.ans)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Get("capital"); got != c.capital {
				t.Errorf("capital = %v, want %v", got, c.capital)
			}
			if got := s.Get("grown"); got != c.grown {
				t.Errorf("grown = %v, want %v", got, c.grown)
			}
			if got := len(s.Referrals) == 1; got != c.referred {
				t.Errorf("referred = %v, want %v", got, c.referred)
			}
			qs, err := f.Visible(c.ans)
			if err != nil {
				t.Fatal(err)
			}
			asked := false
			for _, q := range qs {
				asked = asked || q.ID == "town"
			}
			if asked != c.asked {
				t.Errorf("town asked = %v, want %v", asked, c.asked)
			}
		})
	}
	q := f.Question("name")
	if _, err := f.Check(q, "Amal", Answers{}, "en"); err != nil {
		t.Errorf("an honest name is refused: %v", err)
	}
	if _, err := f.Check(q, "R2D2", Answers{}, "en"); err == nil || !strings.Contains(err.Error(), "holds no digits") {
		t.Errorf("a name with digits: %v", err)
	}
}

// TestLetMisused: a name bound by `let` is read only where it is bound,
// and cannot hide a name of the flow; both are errors naming the rule and
// its line.
func TestLetMisused(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`(let x = age; x > 1) or x > 2`, `names "x"`},
		{`let age = 3; age > 1`, "cannot redeclare age"},
		{`let real = 3; real > 1`, "redeclare"},
		{`let y = nobody; y > 1`, `names "nobody"`},
	} {
		t.Run(c.expr, func(t *testing.T) {
			_, err := Load("hostile.yaml", hostileFlow(c.expr))
			if err == nil {
				t.Fatalf("loaded: %s", c.expr)
			}
			for _, want := range []string{fmt.Sprintf("hostile.yaml:%d:", hostileLine), `finding "bomb"`, c.want} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("no %q in:\n%v", want, err)
				}
			}
		})
	}
}

// TestHostilePatterns: a pattern after matches is written in the
// expression, short, and small once its repetitions are written out;
// any other is refused at load, naming the rule and its line.
func TestHostilePatterns(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`town matches "` + strings.Repeat("a", maxPatternBytes+1) + `"`, "at most 256"},
		{`town matches "((a{1000}){1000}){1000}"`, "does not parse"},
		{`town matches "((a{100}){100}){100}"`, "does not parse"},
		{`town matches "(\\pL|\\pN|[a-z]){1000}"`, "too large"},
		{`town matches "((((a|b|c|d|e){9}){9}){9})"`, "too large"},
		{`town matches "(ab|cd){1000}"`, "too large"},
		{`town matches town`, "not written in quotes"},
		{`town matches ("^" + town)`, "not written in quotes"},
		{`town matches "(unclosed"`, "does not parse"},
		{`any(["a"], {town matches # })`, "not written in quotes"},
	} {
		t.Run(c.expr, func(t *testing.T) {
			start := time.Now()
			_, err := Load("hostile.yaml", hostileFlow(c.expr))
			if err == nil {
				t.Fatalf("loaded: %s", c.expr)
			}
			for _, want := range []string{fmt.Sprintf("hostile.yaml:%d:", hostileLine), `finding "bomb"`, "matches", c.want} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("no %q in:\n%v", want, err)
				}
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("refusing it took %v", d)
			}
		})
	}
	// The largest pattern allowed still loads.
	if _, err := Load("hostile.yaml", hostileFlow(`town matches "[a-z]{1000}"`)); err != nil {
		t.Errorf("a pattern within the bounds is refused: %v", err)
	}
}

// TestMatchesBudget: a pattern matched over a long answer, again and
// again, goes over the evaluation's budget: an error naming the rule and
// its line, not minutes of matching.
func TestMatchesBudget(t *testing.T) {
	list := "[" + strings.Repeat("1, ", 49) + "1]"
	for _, expr := range []string{
		`any(L, any(L, any(L, town matches "[a-z]{1000}x")))`,
		`any(L, any(L, any(L, town matches "(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q|r|s|t|u|v|w|x|y|z)*0")))`,
	} {
		f, err := Load("hostile.yaml", hostileFlow(strings.ReplaceAll(expr, "L", list)))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = f.Score(Answers{"consent": "yes", "age": 30, "town": strings.Repeat("town", MaxTextAnswer/4)})
		if err == nil || !strings.Contains(err.Error(), "steps") || !strings.Contains(err.Error(), `finding "bomb"`) ||
			!strings.Contains(err.Error(), fmt.Sprintf("line %d", hostileLine)) {
			t.Errorf("%s: %v", expr, err)
		}
		if strings.Contains(fmt.Sprint(err), "towntown") {
			t.Errorf("the message quotes an answer: %v", err)
		}
		t.Logf("%v: %s", time.Since(start).Round(time.Millisecond), expr)
	}
}
