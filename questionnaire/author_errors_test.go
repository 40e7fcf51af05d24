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
		max       int // at most this many problems (0: not counted)
	}{
		{"number compared with a quoted number", head + "      - {id: b, type: yes_no, label: B, relevant: age > \"18\"}\n",
			[]string{`t.yaml:10:51: question "b"'s relevant: "age" is a number, and "18" in quotes is a text, never equal to it: write 18 without quotes`}, nil, 0},
		{"number compared with a quoted number, reversed", head + "findings:\n  - {id: f, expr: '\"18\" <= age'}\n",
			[]string{`finding "f": "age" is a number, and "18" in quotes is a text`}, nil, 0},
		{"number equal to a quoted number", head + "findings:\n  - {id: f, expr: 'age == \"18\"'}\n",
			[]string{`"age" is a number, and "18" in quotes is a text`}, []string{"it takes: declined"}, 0},
		{"number compared with a word", head + "findings:\n  - {id: f, expr: 'age >= \"adult\"'}\n",
			[]string{`"age" is a number and can never be the text "adult": compare it with a number (such as age >= 18), or test real(age) or unknown(age)`}, nil, 0},

		// A value of the wrong kind is named in the author's words, at its
		// own line, and taken out alone: the question, its section and the
		// rules that read them stay, so no false "names ..., which is not a
		// question" follows.
		{"required is not true or false", head + "      - {id: b, type: yes_no, required: yess, label: B}\n      - {id: c, type: yes_no, label: C, relevant: b == \"yes\"}\nfindings:\n  - {id: f, expr: age}\n",
			[]string{`t.yaml:10:41: question "b": required must be true or false, not "yess"`}, []string{"unmarshal", "!!str", "not a question"}, 1},
		{"min is not a number", head + "      - {id: b, type: integer, min: ten, label: B}\nfindings:\n  - {id: f, expr: b}\n",
			[]string{`t.yaml:10:37: question "b": min must be a whole number, such as 0 or 120, not "ten"`}, []string{"unmarshal", "!!str"}, 1},
		{"hint is a list", head + "      - id: b\n        type: yes_no\n        label: B\n        hint: [one, two]\nfindings:\n  - {id: f, expr: b}\n",
			[]string{`t.yaml:13:15: question "b": hint must be a text, or one text a language (en: …, fr: …, one a line), not a list`}, []string{"not a question"}, 1},
		{"a translation is a list", head + "      - {id: b, type: yes_no, label: {en: [B]}}\n",
			[]string{`question "b": label in "en" must be a text, not a list`}, []string{"unmarshal"}, 2},
		{"type is a list", head + "      - {id: b, type: [yes_no], label: B}\n",
			[]string{`question "b": type must be a single word or text, not a list`}, []string{"questionnaire.Kind", "unmarshal"}, 2},
		{"languages is one word", "id: x\nversion: \"1\"\ndefault_language: en\nlanguages: en\ntitle: X\nsections:\n  - id: s\n    title: S\n    questions:\n      - {id: a, type: yes_no, label: A}\n",
			[]string{`t.yaml:4:12: languages must be a list, such as ["en"]`}, []string{"[]string"}, 1},
		{"basis is one text with a comma", head + "referrals:\n  - {id: r, label: R, when: age > 1, priority: [{value: high}], basis: 'Act on Trafficking, Art. 12'}\n",
			[]string{`referral "r": basis must be a list, such as ["Act on Trafficking, Art. 12"] (with quotes when an item holds a comma)`}, nil, 0},
		{"a question that is a word", head + "      - b\n",
			[]string{`t.yaml:10:9: each item of questions of section "s" must be a mapping`}, []string{"questionnaire.Question"}, 1},
		{"an expression that is a list", head + "      - {id: b, type: yes_no, label: B, relevant: [1, 2]}\nfindings:\n  - {id: f, expr: b}\n",
			[]string{`question "b": relevant must be an expression`}, nil, 1},
		{"a choice label that is a list", head + "      - {id: c, type: choice, label: C, choices: [{value: a, label: [A]}]}\nfindings:\n  - {id: f, expr: c}\n",
			[]string{`question "c", choice "a": label must be a text`}, nil, 2},

		// Expression mistakes are said in words, with the way out and the
		// place, never in expr-lang's tokens or Go's types.
		{"duplicate id", head + "      - {id: age, type: yes_no, label: B}\n",
			[]string{`t.yaml:10:9: duplicate id "age" (first used at line 9): questions, derived values and findings each need an id of their own`}, nil, 0},
		{"a key written twice", head + "      - id: b\n        type: yes_no\n        label: B\n        label: C\nfindings:\n  - {id: f, expr: b}\n",
			[]string{`t.yaml:13:9: question "b": label is written twice (first at line 12): merge the two into one; this one is left out`}, []string{"already defined", "has no id"}, 1},
		{"a top-level key written twice", head + "findings:\n  - {id: f, expr: age}\nfindings:\n  - {id: g, expr: age}\n",
			[]string{`t.yaml:12:1: findings is written twice (first at line 10): merge the two into one`}, []string{"already defined", "has no id"}, 1},
		{"= for ==", head + "findings:\n  - {id: f, expr: 'age > 1 and age = 5'}\n",
			[]string{`t.yaml:11:19: finding "f" does not parse: a single "=" does not compare: write == ("is") or != ("is not"), as in consent == "yes" (at character 17: ` + "`= 5`)"}, exprJargon, 0},
		{"bracket not closed", head + "findings:\n  - {id: f, expr: '(age > 1 and age < 5'}\n",
			[]string{`finding "f" does not parse: the expression ends too early: close every ( and [ it opens`}, append(exprJargon, "at character"), 0},
		{"operator with nothing after it", head + "findings:\n  - {id: f, expr: 'age > 1 and'}\n",
			[]string{`put a value after the last and, or, == or other operator`}, exprJargon, 0},
		{"curly quotes", head + "      - {id: a, type: yes_no, label: A}\nfindings:\n  - {id: f, expr: 'a == “yes”'}\n",
			[]string{`curly quotes (“ ” ‘ ’ « ») are not quotes in an expression`}, exprJargon, 0},
		{"ampersand", head + "findings:\n  - {id: f, expr: 'age > 1 & age < 5'}\n",
			[]string{`"&" is not an operator: write and (at character 9: ` + "`& age < 5`)"}, exprJargon, 0},
		{"stray word", head + "findings:\n  - {id: f, expr: 'age is 5'}\n",
			[]string{`the word "is" is not expected here: join conditions with and / or, and compare with ==`}, exprJargon, 0},
		{"not before a comparison", head + "      - {id: a, type: yes_no, label: A}\nfindings:\n  - {id: f, expr: 'not a == \"yes\"'}\n",
			[]string{`not applies to the first name after it alone`, `use != instead`}, exprJargon, 0},
		{"unknown function", head + "      - {id: m, type: multi, label: M, choices: [{value: x, label: X}]}\nfindings:\n  - {id: f, expr: 'cont(m) > 1'}\n",
			[]string{`there is no function "cont" (did you mean "count"?)`}, exprJargon, 0},
		{"too many values", head + "      - {id: m, type: multi, label: M, choices: [{value: x, label: X}]}\nfindings:\n  - {id: f, expr: 'count(m, 2) > 1'}\n",
			[]string{`count() is given too many values between its brackets`}, exprJargon, 0},
		{"unknown function under not", head + "findings:\n  - {id: f, expr: 'not answerd(age)'}\n",
			[]string{`there is no function "answerd" (did you mean "answered"?)`}, exprJargon, 0},
		{"helper given one value of two", head + "      - {id: m, type: multi, label: M, choices: [{value: x, label: X}]}\nfindings:\n  - {id: f, expr: 'has(m) and age > 1'}\n",
			[]string{`has() is given too few values between its brackets: it takes 2 values`}, exprJargon, 0},
		{"list added to an answer", head + "findings:\n  - {id: f, expr: 'age + [1]'}\n",
			[]string{`+ cannot be used between an answer and a list`}, exprJargon, 0},
		{"text not closed", head + "      - {id: a, type: yes_no, label: A}\nfindings:\n  - {id: f, expr: 'a == \"yes'}\n",
			[]string{`a text in quotes is not closed`}, exprJargon, 0},
		{"an answer value without quotes", head + "      - {id: a, type: yes_no, label: A}\nfindings:\n  - {id: f, expr: 'a != yes'}\n",
			[]string{`names "yes", which is not a question, derived value or finding of this flow; to compare with the answer yes, put it in quotes: "yes"`}, nil, 0},
		{"a choice value without quotes", head + "      - {id: c, type: choice, label: C, choices: [{value: street, label: S}]}\nfindings:\n  - {id: f, expr: 'c == street'}\n",
			[]string{`to compare with the answer street, put it in quotes: "street"`}, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := loadWantProblems(t, c.src, c.want)
			// the mistake, and at most what it leaves missing: nothing
			// dropped around it
			if n := len(err); c.max > 0 && n > c.max {
				t.Errorf("%d problems, want at most %d:\n%v", n, c.max, err)
			}
			for _, w := range c.wantNot {
				if strings.Contains(err.Error(), w) {
					t.Errorf("unexpected %q in:\n%v", w, err)
				}
			}
		})
	}
}

// exprJargon are expr-lang's and Go's words, which an author must never meet.
var exprJargon = []string{"token", "EOF", "Operator(", "Identifier(", "mismatched", "interface {}", "unknown name", "arguments to call", "literal not terminated", "unrecognized character"}

// loadWantProblems loads src as t.yaml and expects problems containing
// each of want: Load's, or when the flow loads, its AuthorProblems.
func loadWantProblems(t *testing.T, src string, want []string) Problems {
	t.Helper()
	f, err := loadNoPanic(t, "t.yaml", []byte(src))
	if err == nil && len(f.AuthorProblems()) > 0 {
		err = f.AuthorProblems()
	}
	if err == nil {
		t.Fatalf("loaded, want problems %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("no problem %q in:\n%v", w, err)
		}
	}
	return err.(Problems)
}

// Problems found by checks newer than flows stored with interviews do not
// stop such a flow from loading (its interviews stay readable); they are
// the flow's AuthorProblems, which a flow file given by an author is
// refused for.
func TestAuthorProblemsKeepStoredFlowsLoading(t *testing.T) {
	head := "id: x\nversion: \"1\"\ndefault_language: en\nlanguages: [en, fr]\ntitle: {en: X, fr: X}\n"
	body := "sections:\n  - id: s\n    title: {en: S, fr: S}\n    questions:\n      - {id: age, type: integer, label: {en: Age, fr: Âge}}\n"
	cases := []struct{ name, src, want string }{
		{"disclaimer in one language", head + "disclaimer: {en: A screening aid.}\n" + body,
			`t.yaml:6:13: the flow's disclaimer has no "fr" text (the flow declares languages: en, fr)`},
		{"description in one language", head + "description: A first screening.\n" + body,
			`t.yaml:6:14: the flow's description has no "fr" text`},
		{"number compared with quoted text", head + body + "findings:\n  - {id: f, label: {en: F, fr: F}, expr: 'age > \"18\"'}\n",
			`"age" is a number, and "18" in quotes is a text`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := loadNoPanic(t, "t.yaml", []byte(c.src))
			if err != nil {
				t.Fatalf("a stored flow with this must still load: %v", err)
			}
			if ps := f.AuthorProblems(); !strings.Contains(ps.Error(), c.want) {
				t.Errorf("AuthorProblems = %v, want %q", ps, c.want)
			}
		})
	}
	// With another problem, Load lists both: every problem at once.
	_, err := loadNoPanic(t, "t.yaml", []byte(head+"disclaimer: {en: A screening aid.}\n"+body+"      - {id: b, type: yesno, label: {en: B, fr: B}}\n"))
	if err == nil || !strings.Contains(err.Error(), `disclaimer has no "fr" text`) || !strings.Contains(err.Error(), `unknown type "yesno"`) {
		t.Errorf("want both problems, got %v", err)
	}
}

// Texts of the top of the flow are placed at their line, and a citation
// named by its text.
func TestTopLevelTextsPlaced(t *testing.T) {
	src := "id: x\nversion: \"1\"\ndefault_language: en\nlanguages: [en, fr]\ntitle: {en: X}\n" +
		"strings:\n  - {id: summary_title, text: {en: Intake}}\ncitations:\n  - en: Act on Shelters, Art. 2\n" +
		"sections:\n  - id: s\n    title: {en: S, fr: S}\n    questions:\n      - {id: a, type: yes_no, label: {en: A, fr: A}}\n"
	loadWantProblems(t, src, []string{
		`t.yaml:5:8: the flow's title has no "fr" text`,
		`t.yaml:7:5: string "summary_title" has no "fr" text`,
		`t.yaml:9:5: the citation "Act on Shelters, Art. 2" has no "fr" text`,
	})
}

// A citation with a comma, written in a list without quotes, is cut in two
// by YAML: the problem says so, and how to write it.
func TestBasisCutAtComma(t *testing.T) {
	src := "id: x\nversion: \"1\"\ndefault_language: en\ntitle: X\ncitations:\n  - en: Act on Trafficking, Art. 12\n" +
		"sections:\n  - id: s\n    title: S\n    questions:\n      - {id: a, type: yes_no, label: A}\n" +
		"referrals:\n  - id: r\n    label: R\n    when: a == \"yes\"\n    priority: [{value: high}]\n    basis: [Act on Trafficking, Art. 12]\n" +
		"cautions:\n  - {id: c, label: C, when: a == \"no\", basis: [Other Act, Art. 3]}\n"
	ps := loadWantProblems(t, src, []string{
		`t.yaml:13:5: referral "r": basis "Act on Trafficking" and "Art. 12" are one citation cut at its comma: write it in quotes, ["Act on Trafficking, Art. 12"]`,
		`caution "c": basis "Other Act" has no entry in citations (add it there with its translations; a citation holding a comma is written in quotes in [...])`,
	})
	if len(ps) != 3 {
		t.Errorf("want 3 problems (one for the cut citation, two for the unknown one), got:\n%v", ps)
	}
}

// When translations alone change, in several languages, flow diff shows
// each: a French reviewer sees the French change, not only the Spanish.
func TestDiffShowsEachChangedTranslation(t *testing.T) {
	old, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(BuiltinSource()), "      fr: Sécurité et hébergement\n      es: Seguridad y alojamiento\n",
		"      fr: Mise en sécurité et hébergement\n      es: Protección y alojamiento\n", 1)
	nf, err := Load("my-flow.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := diffTexts(Diff(old, nf))
	want := `texts: referral safety_and_shelter: label changed (es, fr): es "Seguridad y alojamiento" → "Protección y alojamiento"; fr "Sécurité et hébergement" → "Mise en sécurité et hébergement"`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q\nwant %q", got, want)
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
