package questionnaire

import (
	"strings"
	"testing"
)

func TestParseAnswersProblems(t *testing.T) {
	f := builtin(t)
	cases := []struct {
		name, src string
		want      []string
	}{
		{"unknown top-level key", "answer:\n  consent: \"yes\"\n",
			[]string{`a.yaml:1:1: unknown key "answer" (did you mean "answers"?)`, "no `answers:` mapping"}},
		{"unknown question", "answers:\n  consent: \"yes\"\n  fears_retrun: \"no\"\n",
			[]string{`a.yaml:3:3: unknown question "fears_retrun" (did you mean "fears_return"?)`}},
		{"value outside choices", "answers:\n  consent: \"yes\"\n  present_in: abroad\n",
			[]string{`a.yaml:3:15: question "present_in": "abroad" is not one of its choices (accepts: origin_country, transit_country, destination_country, declined, dont_know)`}},
		{"value outside choices, did you mean", "answers:\n  consent: \"yes\"\n  gender: femal\n",
			[]string{`question "gender": "femal" is not one of its choices (did you mean "female"?)`}},
		{"multi value outside choices", "answers:\n  consent: \"yes\"\n  needs: [medical, housing]\n",
			[]string{`a.yaml:3:10: question "needs": "housing" is not one of its choices`, "accepts a list of: medical, mental_health"}},
		{"yes/no with another word", "answers:\n  consent: \"yes\"\n  fears_return: maybe\n",
			[]string{`question "fears_return": "maybe" is not an answer it takes (accepts: yes, no, declined, dont_know)`}},
		{"integer out of range", "answers:\n  consent: \"yes\"\n  age: 130\n",
			[]string{`a.yaml:3:8: question "age": 130 is out of range (accepts: a whole number from 0 to 120, declined, dont_know)`}},
		{"negative integer", "answers:\n  consent: \"yes\"\n  age: -1\n", []string{`question "age": -1 is out of range`}},
		{"integer not a number", "answers:\n  consent: \"yes\"\n  age: old\n", []string{`question "age": expects a whole number from 0 to 120`, `not "old"`}},
		{"integer with a fraction", "answers:\n  consent: \"yes\"\n  age: 17.5\n", []string{`question "age": expects a whole number`, "17.5"}},
		{"multi given a single string", "answers:\n  consent: \"yes\"\n  needs: medical\n",
			[]string{`a.yaml:3:10: question "needs": expects a list of choices in brackets, such as [a, b], not the single value "medical"`}},
		{"declined inside a list", "answers:\n  consent: \"yes\"\n  needs: [medical, declined]\n",
			[]string{`question "needs": "declined" stands alone, not inside a list`}},
		{"dont_know inside a list", "answers:\n  consent: \"yes\"\n  needs: [dont_know]\n",
			[]string{`question "needs": "dont_know" stands alone, not inside a list`}},
		{"none combined", "answers:\n  consent: \"yes\"\n  needs: [none, medical]\n",
			[]string{`question "needs": "None of these" cannot be combined with other choices`}},
		{"none combined, in the file's language", "language: fr\nanswers:\n  consent: \"yes\"\n  needs: [none, medical]\n",
			[]string{`question "needs": "Aucune de ces réponses" cannot be combined with other choices`}},
		{"empty list", "answers:\n  consent: \"yes\"\n  needs: []\n", []string{`question "needs": the list is empty`}},
		{"listed twice", "answers:\n  consent: \"yes\"\n  needs: [medical, medical]\n", []string{`"medical" is listed twice`}},
		{"declined on a required question", "answers:\n  consent: declined\n",
			[]string{`a.yaml:2:12: question "consent": is required; "declined" is not accepted (accepts: yes, no)`}},
		{"required question left empty", "answers:\n  consent:\n  age: 3\n",
			[]string{`question "consent" is required and cannot be left empty`}},
		{"missing required consent", "answers:\n  age: 30\n",
			[]string{`a.yaml:2:3: required question "consent" has no answer (accepts: yes, no)`}},
		{"answered twice", "answers:\n  consent: \"yes\"\n  age: 3\n  age: 4\n", []string{`a.yaml:4:3: question "age" is answered twice`, "a.yaml:4:3:"}},
		{"text given a list", "answers:\n  consent: \"yes\"\n  country_of_origin: [a, b]\n", []string{`question "country_of_origin": expects text, not a list`}},
		{"empty text", "answers:\n  consent: \"yes\"\n  country_of_origin: \"  \"\n", []string{`question "country_of_origin": the text is empty`}},
		{"unknown language", "language: xx\nanswers:\n  consent: \"yes\"\n", []string{`language "xx" is not one of the flow's languages (en, fr, es)`}},
		{"interviewer not text", "interviewer: [a]\nanswers:\n  consent: \"yes\"\n", []string{"a.yaml:1:14: interviewer must be text"}},
		{"answers not a mapping", "answers: [consent]\n", []string{"`answers:` must be a mapping"}},
		{"not a mapping", "- a\n", []string{"an answers file must be a mapping"}},
		{"yaml syntax", "answers:\n  consent: [\n", []string{"a.yaml:"}},
		{"several problems at once", "answers:\n  consent: \"yes\"\n  age: 200\n  gender: x\n  needs: medical\n  nope: 1\n",
			[]string{"a.yaml:3:8:", "a.yaml:4:11:", "a.yaml:5:10:", "a.yaml:6:3:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			af, err := f.ParseAnswers("a.yaml", []byte(c.src))
			if err == nil {
				t.Fatalf("accepted: %+v", af.Answers)
			}
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("panicked: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("no problem %q in:\n%v", w, err)
				}
			}
		})
	}
}

func TestParseAnswersAccepted(t *testing.T) {
	f := builtin(t)
	// JSON is YAML too; booleans are read as yes/no, whole floats as integers.
	src := `{
  "interviewer": "B. Officer",
  "location": "LOC-02",
  "language": "en",
  "answers": {
    "consent": true,
    "age": 16.0,
    "unaccompanied": "no",
    "present_in": "destination_country",
    "ever_exploited": "yes",
    "trafficking_act": ["transported", "recruited"],
    "trafficking_means": ["none"],
    "exploitation": ["forced_criminality"],
    "exploitation_where": "both",
    "still_under_control": false,
    "fears_being_trafficked": "yes",
    "country_of_origin": 123,
    "needs": "declined"
  }
}`
	af, err := f.ParseAnswers("a.json", []byte(src))
	if err != nil {
		t.Fatalf("JSON answers rejected:\n%v", err)
	}
	if af.Interviewer != "B. Officer" || af.Location != "LOC-02" || af.Language != "en" {
		t.Errorf("metadata = %q %q %q", af.Interviewer, af.Location, af.Language)
	}
	want := map[string]any{"consent": "yes", "age": 16, "still_under_control": "no", "country_of_origin": "123", "needs": Declined}
	for k, v := range want {
		if af.Answers[k] != v {
			t.Errorf("%s = %#v, want %#v", k, af.Answers[k], v)
		}
	}
	// Multi answers are kept in the flow's choice order.
	if got := af.Answers["trafficking_act"]; !sameValue(got, []string{"recruited", "transported"}) {
		t.Errorf("trafficking_act = %v", got)
	}
	// fears_being_trafficked is not asked when ever_exploited = yes.
	if !sameValue(af.Dropped, []string{"fears_being_trafficked"}) {
		t.Errorf("dropped = %v, want [fears_being_trafficked]", af.Dropped)
	}
	if _, ok := af.Answers["fears_being_trafficked"]; ok {
		t.Errorf("a dropped answer was kept")
	}
	s, err := f.Score(af.Answers)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.GetString("trafficking.indicators"); got != "strong" {
		t.Errorf("indicators = %s, want strong (a child needs no means)", got)
	}

	// A question shown and left empty (`key:` with no value) is stored as
	// unanswered, and is an information gap.
	af, err = f.ParseAnswers("a.yaml", []byte("answers:\n  consent: \"yes\"\n  gender:\n"))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := af.Answers["gender"]; !ok || v != nil {
		t.Errorf("gender = %v, %v; want stored as nil", v, ok)
	}
	// Unquoted yes/no are read as yes/no.
	af, err = f.ParseAnswers("a.yaml", []byte("answers:\n  consent: yes\n  fears_return: no\n"))
	if err != nil {
		t.Fatal(err)
	}
	if af.Answers["consent"] != "yes" || af.Answers["fears_return"] != "no" {
		t.Errorf("answers = %v", af.Answers)
	}
}

// Answers to questions the flow does not ask under the other answers are
// reported in Dropped, in flow order, and not kept.
func TestParseAnswersDropped(t *testing.T) {
	f := builtin(t)
	src := "answers:\n  consent: \"yes\"\n  age: 40\n  may_be_child: \"yes\"\n  unaccompanied: \"yes\"\n  present_in: origin_country\n" +
		"  ever_exploited: \"no\"\n  trafficking_act: [recruited]\n  fears_return: \"no\"\n  feared_harm: [re_trafficking]\n  deportation_risk: \"yes\"\n  risk_factors: [no_documents]\n"
	af, err := f.ParseAnswers("a.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"may_be_child", "unaccompanied", "trafficking_act", "feared_harm", "risk_factors", "deportation_risk"}
	if !sameValue(af.Dropped, want) {
		t.Errorf("dropped = %v, want %v", af.Dropped, want)
	}
	for _, id := range want {
		if _, ok := af.Answers[id]; ok {
			t.Errorf("%s kept", id)
		}
	}
	// Prune on its own does the same.
	ans := Answers{"consent": "no", "age": 3}
	if d, err := f.Prune(ans); err != nil || !sameValue(d, []string{"age"}) || len(ans) != 1 {
		t.Errorf("Prune = %v, %v; answers %v", d, err, ans)
	}
}

// TestParseAnswersProblemsInFileOrder: the problems of an answers file are
// listed from its top down, as an author reads it, not in the order the
// checks ran (unknown questions first, then the flow's order).
func TestParseAnswersProblemsInFileOrder(t *testing.T) {
	src := "answers:\n  consent: \"yes\"\n  gender: femal\n  age: abc\n  foo: 1\n"
	_, err := builtin(t).ParseAnswers("a.yaml", []byte(src))
	ps, ok := err.(Problems)
	if !ok || len(ps) != 3 {
		t.Fatalf("want 3 problems, got:\n%v", err)
	}
	for i, line := range []int{3, 4, 5} {
		if ps[i].Line != line {
			t.Errorf("problem %d is at line %d, want %d:\n%v", i, ps[i].Line, line, err)
		}
	}
}

// TestParseAnswersIndentedWrongAtItsLine: a key indented one space too far
// is named at its own line (yaml.v3 names the line its mapping began), as
// flow validate names it in a flow.
func TestParseAnswersIndentedWrongAtItsLine(t *testing.T) {
	_, err := builtin(t).ParseAnswers("a.yaml", []byte("answers:\n  consent: \"yes\"\n   age: 30\n"))
	ps, ok := err.(Problems)
	if !ok || len(ps) != 1 || ps[0].Line != 3 || !strings.Contains(ps[0].Message, `"age:" is indented 3 spaces`) {
		t.Errorf("want the problem at line 3, naming age's indent, got:\n%v", err)
	}
}

// TestParseAnswersIndentedWrongSaysNoAnswer: a line indented wrong in an
// answers file is named by its key only when the key is a question's ID
// or the file's own; a word that may be what the person said (a line of
// free text, a misplaced value) is never repeated in the message.
func TestParseAnswersIndentedWrongSaysNoAnswer(t *testing.T) {
	for _, src := range []string{
		"answers:\n  consent: \"yes\"\n  country_of_origin: Atlantis\n   hiddenvalley: near the river\n",
		"answers:\n  consent: \"yes\"\n  preferred_language: Hiddenvalley dialect\n\tage: 30\n",
		"answers:\n  consent: \"yes\"\n  needs:\n    - hiddenvalley\n   - shelter\n",
	} {
		_, err := builtin(t).ParseAnswers("a.yaml", []byte(src))
		ps, ok := err.(Problems)
		if !ok || len(ps) != 1 || ps[0].Line < 4 {
			t.Errorf("want one problem at the line indented wrong, got:\n%v", err)
			continue
		}
		if strings.Contains(strings.ToLower(err.Error()), "hiddenvalley") || strings.Contains(err.Error(), "river") {
			t.Errorf("the problem repeats what may be an answer:\n%v", err)
		}
	}
}
