package questionnaire

import (
	"strings"
	"testing"
)

// No answer may appear in an error: errors reach terminals and logs.
func TestErrorsCarryNoAnswer(t *testing.T) {
	const marker = "Maria Lopez, Calle 5"
	src := `id: leak
version: "1"
default_language: en
title: Leak
sections:
  - title: S
    questions:
      - id: town
        type: text
        label: Town?
      - id: age
        type: integer
        label: Age?
      - id: colour
        type: choice
        label: Colour?
        choices: [{value: red, label: Red}]
findings:
  - id: bad
    expr: 'int(trim(town)) == 2020'
`
	f, err := Load("leak.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Score(Answers{"town": marker}); err == nil {
		t.Error("scoring int(text) gave no error")
	} else if strings.Contains(err.Error(), "Maria") {
		t.Errorf("run-time expression error carries the answer: %v", err)
	}
	for _, q := range []string{"age", "colour"} {
		_, err := f.Check(f.Question(q), marker, Answers{}, "en")
		if err == nil {
			t.Fatalf("%s accepted free text", q)
		}
		if strings.Contains(err.Error(), "Maria") {
			t.Errorf("answer check for %s carries the answer: %v", q, err)
		}
	}
	af := "answers:\n  age: \"" + marker + "\"\n  colour: \"" + marker + "\"\n"
	if _, err := f.ParseAnswers("a.yaml", []byte(af)); err == nil || strings.Contains(err.Error(), "Maria") {
		t.Errorf("answers-file errors carry the answer (or none reported): %v", err)
	}
}
