package questionnaire

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func addFlowSeeds(f *testing.F) {
	f.Add(BuiltinSource())
	paths, _ := filepath.Glob(filepath.Join(flowDir, "*.yaml"))
	more, _ := filepath.Glob(filepath.Join(flowDir, "invalid", "*.yaml"))
	for _, p := range append(paths, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(""))
	f.Add([]byte("id: [\n"))
	f.Add([]byte("sections: [{questions: [{id: a, type: yes_no, label: A, relevant: 'a'}]}]"))
}

// FuzzLoad: any bytes given to the loader give a flow or Problems, never a
// panic (Load recovers panics into an "internal error" problem, which
// counts as a failure here).
func FuzzLoad(f *testing.F) {
	addFlowSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		fl, err := loadNoPanic(t, "fuzz.yaml", src)
		if err != nil {
			if _, ok := err.(Problems); !ok {
				t.Fatalf("error is %T, want Problems", err)
			}
			return
		}
		// A flow that loads can be walked and scored with no answers.
		if _, err := fl.Visible(Answers{}); err != nil {
			t.Logf("Visible: %v", err)
		}
		if _, err := fl.Score(Answers{}); err != nil {
			t.Logf("Score: %v", err)
		}
	})
}

// exprFlow places an expression as a finding and as a question's condition.
const exprFlow = `id: fuzz
version: "1"
default_language: en
title: Fuzz
sections:
  - id: s
    title: S
    questions:
      - {id: age, type: integer, min: 0, max: 120, label: Age}
      - {id: ok, type: yes_no, label: OK}
      - {id: where, type: choice, label: Where, choices: [{value: here, label: Here}, {value: there, label: There}]}
      - {id: needs, type: multi, label: Needs, choices: [{value: food, label: Food}, {value: none, label: None, exclusive: true}]}
      - {id: name, type: text, label: Name}
      - {id: later, type: yes_no, label: Later, relevant: EXPR}
derived:
  - {id: adult, expr: real(age) and age >= 18}
findings:
  - {id: f, expr: EXPR}
  - id: g
    cases:
      - {value: a, when: EXPR}
      - {value: b}
referrals:
  - {id: r, label: R, when: EXPR, priority: [{value: urgent, when: EXPR}, {value: standard}]}
cautions:
  - {id: c, label: C, when: EXPR}
`

var exprAnswers = []Answers{
	{},
	{"age": 12, "ok": "yes", "where": "here", "needs": []string{"food"}, "name": "x", "later": "no"},
	{"age": Declined, "ok": DontKnow, "where": nil, "needs": Declined, "name": nil, "later": "yes"},
	{"age": 70, "ok": "no", "where": "there", "needs": []string{"none"}},
}

// FuzzExpr: an expression placed in a flow's findings, rules and a
// condition either gives Problems or a flow that scores without panic.
func FuzzExpr(f *testing.F) {
	for _, s := range []string{
		`ok == "yes"`, `age < 18`, `adult and has(needs, "food")`, `not ok`, `where in ["here", "there"]`,
		`count(needs) >= 1`, `real_values(needs)`, `tri(ok == "yes", ok == "no")`, `age + 1`, `age ?? 3`,
		`map_unique(needs, {"food": "f"})`, `name matches "^a"`, `len(name) > 2`, `ok == "yes" ? 1 : 2`,
		`"x" in needs`, `all(real_values(needs), {# == "food"})`, `let x = age; x > 3`, `age / 0`, `needs[5]`,
		`ok.foo`, `referral.r == "urgent"`, `caution.c`, `"urgent" in values(referral)`, `age > "x"`,
		`int(name) > 3`, `1..10`, `name[1:2]`, `upper(name)`, `f == nil`, `-age`, `age ** 1000`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, e string) {
		q, _ := json.Marshal(e) // a JSON string is a YAML double-quoted scalar
		src := strings.ReplaceAll(exprFlow, "EXPR", string(q))
		fl, err := loadNoPanic(t, "expr.yaml", []byte(src))
		if err != nil {
			return
		}
		for _, a := range exprAnswers {
			_, _ = fl.Visible(a)
			_, _ = fl.Score(a)
		}
	})
}

// FuzzAnswers: any answers file against the built-in flow is accepted or
// refused with Problems, never a panic; an accepted one always scores.
func FuzzAnswers(f *testing.F) {
	fl := builtin(f)
	paths, _ := filepath.Glob(filepath.Join(scenarioDir, "*.yaml"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", "answers: {}", "answers: []", "answers:\n  consent: \"yes\"\n  age: 1e400\n",
		"answers:\n  consent: \"yes\"\n  needs: [declined]\n", `{"answers": {"consent": true, "age": 17.0}}`,
		"answers:\n  consent: \"yes\"\n  age: &a 3\n  gender: *a\n", "answers:\n  consent: yes\n  age: 0x10\n",
		"answers:\n  consent: \"yes\"\n  country_of_origin: [a]\n  needs: {a: b}\n", "language: xx\nanswers:\n  consent: \"no\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		af, err := fl.ParseAnswers("fuzz.yaml", src)
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("ParseAnswers panicked:\n%v\n--- input ---\n%q", err, src)
			}
			if _, ok := err.(Problems); !ok {
				t.Fatalf("error is %T, want Problems", err)
			}
			return
		}
		s, err := fl.Score(af.Answers)
		if err != nil {
			t.Fatalf("accepted answers do not score: %v\n--- input ---\n%q", err, src)
		}
		if _, err := json.Marshal(s); err != nil {
			t.Fatalf("summary does not marshal: %v", err)
		}
	})
}
