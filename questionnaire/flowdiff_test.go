package questionnaire

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func guideSource(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(flowDir, "guide-example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// edited loads the guide's example flow with each (from, to) replaced once.
func edited(t *testing.T, edits ...[2]string) *Flow {
	t.Helper()
	src := guideSource(t)
	for _, e := range edits {
		if !strings.Contains(src, e[0]) {
			t.Fatalf("the guide's flow has no %q", e[0])
		}
		src = strings.Replace(src, e[0], e[1], 1)
	}
	f, err := Load("edited.yaml", []byte(src))
	if err != nil {
		t.Fatalf("the edited flow does not load: %v", err)
	}
	return f
}

func diffTexts(d *FlowDiff) []string {
	var out []string
	for _, c := range d.Changes {
		out = append(out, c.Group+": "+c.Text)
	}
	return out
}

func TestDiffSameFlow(t *testing.T) {
	f := loadGuideFlow(t)
	if d := Diff(f, f); len(d.Changes) != 0 {
		t.Errorf("a flow differs from itself: %v", diffTexts(d))
	}
	// layout and comments are no change
	g := edited(t,
		[2]string{"# The example flow of docs/authoring.md.", "# A copy."},
		[2]string{`when: slept == "street" or has_any(needs, ["bed", "food"])`, "when: >-\n      slept == \"street\"\n      or has_any(needs, [\"bed\",   \"food\"])"},
	)
	if d := Diff(f, g); len(d.Changes) != 0 {
		t.Errorf("layout is a change: %v", diffTexts(d))
	}
}

func TestDiffEdits(t *testing.T) {
	old := loadGuideFlow(t)
	for _, tc := range []struct {
		name  string
		edits [][2]string
		want  []string // every change, in order
	}{
		{"a priority's condition",
			[][2]string{{`{value: urgent, when: free_to_leave == "no"}`, `{value: urgent, when: free_to_leave != "yes"}`}},
			[]string{"rules: referral labour_inspection, priority urgent: holds when changed from `free_to_leave == \"no\"` to `free_to_leave != \"yes\"`"}},
		{"a question's condition, and one removed",
			[][2]string{{"relevant: unknown(age)", "relevant: not real(age)"}, {"        relevant: child\n", ""}},
			[]string{
				"conditions: question may_be_child: asked when changed from `unknown(age)` to `not real(age)`",
				"conditions: question alone: no longer has a condition (was asked when `child`)",
			}},
		{"a choice added and one removed",
			[][2]string{{"          - {value: doctor, label: {en: A doctor, fr: Un médecin}}\n", "          - {value: clothes, label: {en: Clothes, fr: Des vêtements}}\n"}},
			[]string{
				`choices: question needs: choice clothes added ("Clothes")`,
				"choices: question needs: choice doctor removed; stored answers that chose it no longer fit",
			}},
		{"a question removed, a required one",
			[][2]string{{"      - id: home_town\n        type: text\n", "      - id: home_town_gone\n        type: text\n"}, {"        type: choice\n        required: true\n", "        type: choice\n"}},
			[]string{
				"questions: question home_town_gone added (text) in section person, always asked",
				"questions: question slept is no longer required: it also takes declined and dont_know",
				"questions: question home_town removed (it was text, in section person); answers to it in stored interviews are ignored when they are scored with the new flow",
			}},
		{"cases reordered, a caution added, a translation changed",
			[][2]string{
				{"      - value: act_today\n        when: '\"urgent\" in values(referral)'\n        label: {en: Act today, fr: Agir aujourd'hui}\n", ""},
				{"      - value: no_action\n", "      - value: act_today\n        when: '\"urgent\" in values(referral)'\n        label: {en: Act today, fr: Agir aujourd'hui}\n      - value: no_action\n"},
				{"cautions:\n", "cautions:\n  - id: sleeps_at_work\n    label: {en: Sleeps at work, fr: Dort au travail}\n    tier: interview\n    when: slept == \"workplace\"\n"},
				{"fr: De quelle ville venez-vous ?", "fr: De quelle ville êtes-vous ?"},
			},
			[]string{
				"rules: finding outcome: cases tried in a new order (the first that holds wins): not_screened, refer, act_today, no_action",
				"rules: caution sleeps_at_work added, raised when `slept == \"workplace\"`",
				`texts: question home_town: label changed (fr): "De quelle ville venez-vous ?" → "De quelle ville êtes-vous ?"`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Diff(old, edited(t, tc.edits...))
			got := diffTexts(d)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for _, c := range d.Changes {
				if c.OldLine == 0 && c.NewLine == 0 {
					t.Errorf("%q names no line", c.Text)
				}
			}
		})
	}
}

func TestDiffQuestionMoved(t *testing.T) {
	src := guideSource(t)
	block := "      - id: home_town\n        type: text\n        label:\n          en: Which town do you come from?\n          fr: De quelle ville venez-vous ?\n"
	if !strings.Contains(src, block) {
		t.Fatal("home_town's block is not in the guide's flow")
	}
	src = strings.Replace(src, block, "", 1)
	src = strings.Replace(src, "      - id: may_be_child\n", block+"      - id: may_be_child\n", 1)
	g, err := Load("moved.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := diffTexts(Diff(loadGuideFlow(t), g))
	want := "questions: question home_town moved: now asked after age"
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDiffBuiltin100To200(t *testing.T) {
	d := Diff(BuiltinVersion("1.0.0"), BuiltinVersion("2.0.0"))
	if d.OldName != "builtin:screening-1.0.0.yaml" || d.NewName != BuiltinName || d.Old.Version != "1.0.0" || d.New.Version != "2.0.0" {
		t.Errorf("names: %s %s %+v %+v", d.OldName, d.NewName, d.Old, d.New)
	}
	all := strings.Join(diffTexts(d), "\n")
	for _, want := range []string{
		`flow: flow: version changed from "1.0.0" to "2.0.0"`,
		"questions: question relocation_possible removed (it was yes_no, in section fear)",
		"questions: question interview_private added (yes_no, observation) in section safety, asked whenever its section is",
		"questions: question may_be_child is now the interviewer's observation (not read aloud)",
		"conditions: question may_be_child: asked when changed from `age == \"declined\" or age == \"dont_know\"` to `not real(age) or age >= 18`",
		"rules: referral gbv_response added, made when `experienced_sgbv == \"yes\" or child_married == \"yes\"`",
		"rules: finding refugee_level: case recognised added, when `recognised`",
		"rules: finding trafficking_indicators, case strong: holds when changed from `act and purpose and (means or child)` to `act and purpose and (means or child_at_time)`",
		`rules: caution non_refoulement: tier changed from nothing to "act_now"`,
		`rules: referral child_protection: service changed from nothing to "child_protection"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no change %q", want)
		}
	}
	for _, g := range DiffGroups {
		if g != DiffChoices && d.Count(g) == 0 {
			t.Errorf("no %s changes from 1.0.0 to 2.0.0", g)
		}
	}
	// and back: what was added is removed
	back := strings.Join(diffTexts(Diff(BuiltinVersion("2.0.0"), BuiltinVersion("1.0.0"))), "\n")
	if !strings.Contains(back, "questions: question interview_private removed") || !strings.Contains(back, "questions: question relocation_possible added") {
		t.Errorf("the reverse diff:\n%s", back)
	}
	b, err := json.Marshal(d)
	if err != nil || !strings.Contains(string(b), `"group":"rules","kind":"added","subject":"referral gbv_response"`) {
		t.Errorf("JSON: %v %.300s", err, b)
	}
}
