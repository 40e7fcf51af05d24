package questionnaire

import (
	"strings"
	"testing"
)

// Mistakes a form author makes while adapting a flow, and what the
// loader must say of each: the file, the line, the rule, and the way out,
// in words that need no programming. wantNot lists words that must not
// appear (a Go type name, an expr-lang token).
func TestAuthorMistakes(t *testing.T) {
	head := "id: x\nversion: \"1\"\ndefault_language: en\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions:\n" +
		"      - {id: age, type: integer, label: Age}\n"
	cases := []struct {
		name, src string
		want      []string
		wantNot   []string
	}{
		{"number compared with a quoted number", head + "      - {id: b, type: yes_no, label: B, relevant: age > \"18\"}\n",
			[]string{`t.yaml:10:51: question "b"'s relevant: "age" is a number, and "18" in quotes is a text, never equal to it: write 18 without quotes`}, nil},
		{"number compared with a quoted number, reversed", head + "findings:\n  - {id: f, expr: '\"18\" <= age'}\n",
			[]string{`finding "f": "age" is a number, and "18" in quotes is a text`}, nil},
		{"number equal to a quoted number", head + "findings:\n  - {id: f, expr: 'age == \"18\"'}\n",
			[]string{`"age" is a number, and "18" in quotes is a text`}, []string{"it takes: declined"}},
		{"number compared with a word", head + "findings:\n  - {id: f, expr: 'age >= \"adult\"'}\n",
			[]string{`"age" is a number and can never be the text "adult": compare it with a number (such as age >= 18), or test real(age) or unknown(age)`}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadNoPanic(t, "t.yaml", []byte(c.src))
			if err == nil {
				t.Fatalf("loaded, want problems %q", c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("no problem %q in:\n%v", w, err)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(err.Error(), w) {
					t.Errorf("unexpected %q in:\n%v", w, err)
				}
			}
		})
	}
}

// The comparisons authors mean stay valid.
func TestAuthorComparisonsAccepted(t *testing.T) {
	head := "id: x\nversion: \"1\"\ndefault_language: en\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions:\n" +
		"      - {id: age, type: integer, label: Age}\n"
	for _, e := range []string{`age > 18`, `real(age) and age < 18`, `age == "declined"`, `age != "dont_know"`, `18 <= age`} {
		src := head + "findings:\n  - {id: f, expr: '" + e + "'}\n"
		if _, err := loadNoPanic(t, "t.yaml", []byte(src)); err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
}
