package questionnaire

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The author's guide (docs/authoring.md) is tested here: its example flow
// loads, every YAML snippet in it is a piece of that flow, and the answers
// files it shows score as it says.

const guideDoc = "../docs/authoring.md"

func loadGuideFlow(t *testing.T) *Flow {
	t.Helper()
	path := filepath.Join(flowDir, "guide-example.yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Load(path, src)
	if err != nil {
		t.Fatalf("the guide's example flow does not load:\n%v", err)
	}
	return f
}

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// guideBlocks returns the guide's YAML blocks: answers files by name, and
// the rest, which must be excerpts of the example flow.
func guideBlocks(t *testing.T) (answers map[string]string, excerpts []string) {
	t.Helper()
	doc, err := os.ReadFile(guideDoc)
	if err != nil {
		t.Fatal(err)
	}
	answers = map[string]string{}
	for _, m := range yamlBlock.FindAllStringSubmatch(string(doc), -1) {
		block := m[1]
		if name, ok := strings.CutPrefix(strings.SplitN(block, "\n", 2)[0], "# answers file: "); ok {
			answers[name] = block
			continue
		}
		if strings.HasPrefix(block, "# case file") {
			continue // checked by TestGuideCaseFiles (flowtest_guide_test.go)
		}
		excerpts = append(excerpts, block)
	}
	return answers, excerpts
}

func TestGuideExcerptsAreFromTheExampleFlow(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(flowDir, "guide-example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, excerpts := guideBlocks(t)
	if len(excerpts) < 10 {
		t.Fatalf("found %d excerpts in %s; the pattern is broken", len(excerpts), guideDoc)
	}
	for _, e := range excerpts {
		if !strings.Contains(string(src), e) {
			t.Errorf("this snippet of the guide is not in guide-example.yaml; copy it from there:\n%s", e)
		}
	}
}

func TestGuideAnswersScoreAsDocumented(t *testing.T) {
	f := loadGuideFlow(t)
	answers, _ := guideBlocks(t)
	want := map[string]map[string]any{
		"worker.yaml": {
			"outcome":                            "act_today",
			"assessment.exploitation_risk":       "high",
			"assessment.free_to_leave":           false,
			"assessment.child":                   true,
			"assessment.support":                 []any{"basic_needs", "legal"},
			"assessment.needs":                   []any{"food", "lawyer"},
			"assessment.work_questions_answered": true,
			"assessment.bed_tonight":             false,
			"referrals":                          "child_protection:urgent labour_inspection:urgent legal_aid:high shelter:standard",
			"cautions":                           "documents_held child_procedures",
			"consent.child_protection":           "best_interests",
			"consent.labour_inspection":          "not_given",
			"consent.legal_aid":                  "given",
			"consent.shelter":                    "given",
			"information_gaps":                   []any{"home_town"},
			"reasons.child_protection":           []any{"child", "alone"},
			"reasons.labour_inspection":          []any{"assessment.exploitation_risk", "free_to_leave"},
			"reasons.shelter":                    []any{"needs"},
			"reasons.child_procedures":           []any{"age"},
			"reasons.documents_held":             []any{"control"},
		},
		"adult.yaml": {
			"outcome":                  "refer",
			"assessment.child":         false,
			"assessment.free_to_leave": nil,
			"referrals":                "shelter:high",
			"consent.shelter":          "given",
			"cautions":                 "",
			"information_gaps":         []any{"age"},
		},
	}
	for name, checks := range want {
		t.Run(name, func(t *testing.T) {
			src, ok := answers[name]
			if !ok {
				t.Fatalf("the guide shows no answers file %s", name)
			}
			got := scoreJSON(t, f, name, src)
			for k, w := range checks {
				if g := got[k]; !reflect.DeepEqual(g, w) {
					t.Errorf("%s = %#v, the guide says %#v", k, g, w)
				}
			}
		})
	}
}

// scoreJSON scores an answers file and flattens the summary's JSON into
// the dotted names the guide uses.
func scoreJSON(t *testing.T, f *Flow, name, src string) map[string]any {
	t.Helper()
	af, err := f.ParseAnswers(name, []byte(src))
	if err != nil {
		t.Fatalf("answers: %v", err)
	}
	s, err := f.Score(af.Answers)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{"outcome": doc["outcome"], "information_gaps": doc["information_gaps"]}
	for k, v := range doc["assessment"].(map[string]any) {
		out["assessment."+k] = v
	}
	var refs, cauts []string
	for _, r := range doc["referrals"].([]any) {
		r := r.(map[string]any)
		refs = append(refs, r["id"].(string)+":"+r["priority"].(string))
		out["reasons."+r["id"].(string)] = r["reasons"]
		if c, ok := r["consent"]; ok {
			out["consent."+r["id"].(string)] = c
		}
	}
	for _, c := range doc["cautions"].([]any) {
		c := c.(map[string]any)
		cauts = append(cauts, c["id"].(string))
		out["reasons."+c["id"].(string)] = c["reasons"]
	}
	out["referrals"] = strings.Join(refs, " ")
	out["cautions"] = strings.Join(cauts, " ")
	return out
}

func TestGuideClaims(t *testing.T) {
	f := loadGuideFlow(t)

	// ends_interview_if: nothing more is asked, and the rules still run.
	got := scoreJSON(t, f, "nc.yaml", "answers:\n  consent: \"no\"\n")
	if got["outcome"] != "not_screened" {
		t.Errorf("no consent: outcome %v", got["outcome"])
	}
	if q, _ := f.Next(Answers{"consent": "no"}); q != nil {
		t.Errorf("no consent: %s is still asked", q.ID)
	}

	// The constraint's own message, and no constraint on dont_know.
	earlier := Answers{"consent": "yes", "age": 16}
	if _, err := f.Check(f.Question("years_away"), 20, earlier, "en"); err == nil || !strings.Contains(err.Error(), "more than the person's age") {
		t.Errorf("years_away 20 at 16: %v", err)
	}
	if _, err := f.Check(f.Question("years_away"), DontKnow, earlier, "en"); err != nil {
		t.Errorf("dont_know: %v", err)
	}
	if _, err := f.Check(f.Question("slept"), Declined, earlier, "en"); err == nil {
		t.Error("a required question took declined")
	}
	if _, err := f.Check(f.Question("needs"), []any{"none", "food"}, earlier, "en"); err == nil {
		t.Error("an exclusive choice was combined")
	}

	// may_be_child only when the age is unknown; alone only for a child;
	// the work section only for those who slept at work.
	visible := func(a Answers) string {
		qs, err := f.Visible(a)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, q := range qs {
			ids = append(ids, q.ID)
		}
		return strings.Join(ids, " ")
	}
	for _, tc := range []struct {
		a    Answers
		want string
	}{
		{Answers{"consent": "yes", "age": 30, "slept": "street"}, "consent age years_away home_town slept needs agree_to thanks"},
		{Answers{"consent": "yes", "age": Declined, "may_be_child": "yes", "slept": "workplace"}, "consent age may_be_child alone years_away home_town slept needs control free_to_leave agree_to thanks"},
	} {
		if got := visible(tc.a); got != tc.want {
			t.Errorf("asked %q, want %q", got, tc.want)
		}
	}
}

// TestGuideComparisons pins the semantics the guide states for
// comparisons with a question that has no real value.
func TestGuideComparisons(t *testing.T) {
	const src = `id: cmp
version: "1"
default_language: en
title: Comparisons
sections:
  - title: S
    questions:
      - {id: age, type: integer, label: Age}
      - {id: ok, type: yes_no, label: OK}
findings:
`
	exprs := []string{
		`age < 18`, `age >= 18`, `age == 18`, `age != 18`, `age in [18]`, `age not in [18]`,
		`real(age)`, `answered(age)`, `unknown(age)`, `ok != "yes"`, `not (ok == "no")`,
		`count(age)`, `tri(ok == "yes", ok == "no")`,
	}
	var b strings.Builder
	b.WriteString(src)
	for i, e := range exprs {
		b.WriteString("  - {id: f" + string(rune('a'+i)) + ", expr: '" + e + "'}\n")
	}
	f, err := Load("cmp.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	results := func(a Answers) []any {
		s, err := f.Score(a)
		if err != nil {
			t.Fatal(err)
		}
		var out []any
		for i := range exprs {
			out = append(out, s.Get("f"+string(rune('a'+i))))
		}
		return out
	}
	// Declined, dont_know and never asked all behave alike.
	want := []any{false, false, false, true, false, true, false, true, true, true, true, 0, nil}
	for _, v := range []any{DontKnow, Declined} {
		if got := results(Answers{"age": v, "ok": v}); !reflect.DeepEqual(got, want) {
			t.Errorf("%v:\n got %v\nwant %v", v, got, want)
		}
	}
	want[7] = false // answered: not for a question never asked
	if got := results(Answers{}); !reflect.DeepEqual(got, want) {
		t.Errorf("not asked:\n got %v\nwant %v", got, want)
	}
}
