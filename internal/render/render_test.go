package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"

	"fieldscreen/questionnaire"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// builtin returns the built-in flow 1.0.0, which the scenarios below were
// written for; the current flow's summaries are tested in flow2_test.go.
func builtin(t *testing.T) *questionnaire.Flow {
	t.Helper()
	f := questionnaire.BuiltinVersion("1.0.0")
	if f == nil {
		t.Fatal("the built-in flow 1.0.0 does not load")
	}
	return f
}

// scenarios are realistic interviews, answered as an interviewer would.
var scenarios = []struct {
	name    string
	answers questionnaire.Answers
}{
	{
		// A woman trafficked abroad for sexual exploitation, still in contact
		// with the traffickers and at risk of removal.
		name: "urgent_trafficked_abroad",
		answers: questionnaire.Answers{
			"consent": "yes", "age": 27, "gender": "female", "country_of_origin": "Nigeria",
			"present_in":          "destination_country",
			"ever_exploited":      "yes",
			"trafficking_act":     []string{"recruited", "transported"},
			"trafficking_means":   []string{"threat", "deception"},
			"exploitation":        []string{"sexual_exploitation"},
			"exploitation_where":  "abroad",
			"labour_indicators":   []string{"restriction_of_movement", "retention_of_documents", "debt_bondage"},
			"still_under_control": "yes",
			"fears_return":        "yes", "past_serious_harm": "no",
			"feared_harm":      []string{"re_trafficking", "reprisals_by_traffickers"},
			"feared_by":        []string{"traffickers"},
			"targeted_because": []string{"being_a_woman_or_girl", "former_trafficking_victim"},
			"state_protection": "unable", "relocation_possible": "no",
			"fled_conflict_or_violence": "no", "experienced_sgbv": "yes",
			"risk_factors":           []string{"no_documents", "no_livelihood"},
			"threat_in_host_country": "yes", "stigmatised_in_host": "no", "trauma_affecting_recovery": "yes",
			"knows_right_to_asylum": "no", "asylum_status": "not_applied",
			"identified_as_trafficking_victim": "no", "deportation_risk": "yes",
			"involved_in_legal_proceedings": "no", "fears_retaliation_if_reporting": "yes",
			"needs":              []string{"medical", "safe_accommodation", "legal_aid"},
			"interpreter_needed": "yes", "preferred_language": "Edo", "can_read": "no",
			"wishes_to_return": "no",
		},
	},
	{
		// A boy of unknown age, alone in a transit country, who fears being
		// trafficked; several answers declined or not known.
		name: "child_fears_trafficking",
		answers: questionnaire.Answers{
			"consent": "yes", "age": "declined", "may_be_child": "yes", "gender": "male",
			"unaccompanied": "yes", "country_of_origin": "Eritrea", "present_in": "transit_country",
			"ever_exploited": "no", "fears_being_trafficked": "yes",
			"fears_return": "yes", "past_serious_harm": "dont_know",
			"feared_harm":      []string{"violence_armed_conflict", "threats_to_life_or_freedom"},
			"feared_by":        []string{"armed_groups"},
			"targeted_because": "dont_know", "state_protection": "declined", "relocation_possible": "dont_know",
			"fled_conflict_or_violence": "yes", "experienced_sgbv": "declined",
			"risk_factors":           []string{"lives_in_camp_or_reception", "used_smugglers", "approached_by_recruiters"},
			"threat_in_host_country": "no", "stigmatised_in_host": "no", "trauma_affecting_recovery": "no",
			"knows_right_to_asylum": "no", "asylum_status": "not_applied",
			"identified_as_trafficking_victim": "no", "deportation_risk": "no",
			"involved_in_legal_proceedings": "no", "fears_retaliation_if_reporting": "no",
			"needs":              []string{"education", "family_tracing"},
			"interpreter_needed": "yes", "preferred_language": nil, "can_read": "yes",
			"wishes_to_return": "undecided",
		},
	},
	{
		// A woman held in domestic servitude in her own country, now out of
		// it and a witness in a case.
		name: "in_country_of_origin",
		answers: questionnaire.Answers{
			"consent": "yes", "age": 34, "gender": "female", "country_of_origin": "Philippines",
			"present_in":          "origin_country",
			"ever_exploited":      "yes",
			"trafficking_act":     []string{"recruited", "harboured"},
			"trafficking_means":   []string{"abuse_of_vulnerability"},
			"exploitation":        []string{"domestic_servitude"},
			"exploitation_where":  "origin_country",
			"labour_indicators":   []string{"isolation", "withholding_of_wages"},
			"still_under_control": "no",
			"fears_return":        "no", "past_serious_harm": "no",
			"fled_conflict_or_violence": "no", "experienced_sgbv": "no",
			"identified_as_trafficking_victim": "no", "involved_in_legal_proceedings": "yes",
			"fears_retaliation_if_reporting": "no",
			"needs":                          []string{"mental_health", "livelihood"},
			"interpreter_needed":             "no", "preferred_language": "Tagalog", "can_read": "yes",
			"wishes_to_return": "no",
		},
	},
}

func score(t *testing.T, f *questionnaire.Flow, name string, ans questionnaire.Answers) *questionnaire.Summary {
	t.Helper()
	ans = ans.Clone()
	dropped, err := f.Prune(ans)
	if err != nil {
		t.Fatal(err)
	}
	if len(dropped) > 0 {
		t.Fatalf("scenario %s answers questions that are not asked: %v", name, dropped)
	}
	s, err := f.Score(ans)
	if err != nil {
		t.Fatal(err)
	}
	s.InterviewID = "IV-" + name
	s.Status = "completed"
	s.Flow.Hash = "sha256:0123456789ab" // the golden files must not change with every edit of the YAML
	return s
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./internal/render -update and review the diff\n--- got ---\n%s", name, got)
	}
}

var ansiSeq = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// checkPlain asserts what every plain page must hold.
func checkPlain(t *testing.T, name string, out []byte, width int) {
	t.Helper()
	if bytes.IndexByte(out, 0x1b) >= 0 {
		t.Errorf("%s: plain output holds an escape sequence", name)
	}
	for i, line := range strings.Split(string(out), "\n") {
		if w := lipgloss.Width(line); w > width {
			t.Errorf("%s: line %d is %d columns wide (max %d): %q", name, i+1, w, width, line)
		}
	}
}

// squash makes wrapped text comparable with unwrapped text.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestSummary(t *testing.T) {
	f := builtin(t)
	disclaimer := squash(f.T(f.Disclaimer, "en"))
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			s := score(t, f, sc.name, sc.answers)

			var plain, color, mdown bytes.Buffer
			if err := Summary(&plain, f, s, "en", Options{Width: 80, Answers: sc.answers}); err != nil {
				t.Fatal(err)
			}
			if err := Summary(&color, f, s, "en", Options{Width: 80, Color: true, Answers: sc.answers}); err != nil {
				t.Fatal(err)
			}
			if err := SummaryMarkdown(&mdown, f, s, "en", Options{Answers: sc.answers}); err != nil {
				t.Fatal(err)
			}
			checkPlain(t, "summary", plain.Bytes(), 80)
			if !strings.Contains(squash(plain.String()), disclaimer) {
				t.Error("the plain summary lacks the disclaimer")
			}
			if !strings.Contains(squash(mdown.String()), squash(esc(f.T(f.Disclaimer, "en")))) {
				t.Error("the Markdown summary lacks the disclaimer")
			}
			if !bytes.Contains(color.Bytes(), []byte("\x1b[")) {
				t.Error("the colour summary has no style")
			}
			// Styles never move a line break: the colour page is the plain page plus escapes.
			if got := ansiSeq.ReplaceAllString(color.String(), ""); got != plain.String() {
				t.Errorf("colour summary without its escapes differs from the plain one:\n%s", got)
			}
			urgent := false
			for _, r := range s.Referrals {
				urgent = urgent || r.Priority == "urgent"
			}
			if urgent && !strings.Contains(plain.String(), "URGENT") {
				t.Error("an urgent referral is not marked URGENT in plain text")
			}
			for _, id := range s.InformationGaps {
				if lbl := squash(f.T(f.Question(id).Label, "en")); !strings.Contains(squash(plain.String()), lbl) {
					t.Errorf("information gap %s is not shown by its label", id)
				}
			}
			golden(t, "summary_"+sc.name+".txt", plain.Bytes())
			golden(t, "summary_"+sc.name+".ansi", color.Bytes())
			golden(t, "summary_"+sc.name+".md", mdown.Bytes())
		})
	}
}

func TestSummaryNarrowAndNotScreened(t *testing.T) {
	f := builtin(t)
	s := score(t, f, "not_screened", questionnaire.Answers{"consent": "no"})
	var b bytes.Buffer
	if err := Summary(&b, f, s, "en", Options{Width: 40}); err != nil {
		t.Fatal(err)
	}
	checkPlain(t, "not screened", b.Bytes(), 40)
	if !strings.Contains(b.String(), "NOT SCREENED") {
		t.Errorf("headline missing:\n%s", b.String())
	}
	b.Reset()
	s = score(t, f, scenarios[0].name, scenarios[0].answers)
	if err := Summary(&b, f, s, "en", Options{Width: 40}); err != nil {
		t.Fatal(err)
	}
	checkPlain(t, "narrow", b.Bytes(), 40)
}

func TestFlow(t *testing.T) {
	f := builtin(t)
	var plain, color, mdown bytes.Buffer
	if err := Flow(&plain, f, "en", Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Flow(&color, f, "en", Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if err := FlowMarkdown(&mdown, f, "en"); err != nil {
		t.Fatal(err)
	}
	checkPlain(t, "flow", plain.Bytes(), 80)
	if got := ansiSeq.ReplaceAllString(color.String(), ""); got != plain.String() {
		t.Error("colour flow without its escapes differs from the plain one")
	}
	text, mtext := squash(plain.String()), squash(mdown.String())
	optional := 0
	for _, q := range f.Questions {
		if !strings.Contains(text, "["+q.ID+"]") {
			t.Errorf("question %s is missing from the paper flow", q.ID)
		}
		if !strings.Contains(mtext, "`"+q.ID+"`") {
			t.Errorf("question %s is missing from the Markdown flow", q.ID)
		}
		if !strings.Contains(text, squash(f.T(q.Label, "en"))) {
			t.Errorf("question %s: label missing", q.ID)
		}
		for _, c := range q.Choices {
			if !strings.Contains(text, "[ ] "+squash(f.T(c.Label, "en"))) {
				t.Errorf("question %s: choice %s missing", q.ID, c.Value)
			}
		}
		if q.Asks() && !q.Required {
			optional++
		}
	}
	if n := strings.Count(plain.String(), "[ ] Don't know"); n != optional {
		t.Errorf("%d questions offer Don't know, want %d", n, optional)
	}
	if n := strings.Count(mdown.String(), "- [ ] Declined to answer"); n != optional {
		t.Errorf("%d Markdown questions offer Declined to answer, want %d", n, optional)
	}
	golden(t, "flow.txt", plain.Bytes())
	golden(t, "flow.md", mdown.Bytes())
}

func TestConditionWords(t *testing.T) {
	f := builtin(t)
	num := map[string]int{}
	for i, q := range f.Questions {
		num[q.ID] = i + 1
	}
	c := &conditions{f: f, lang: "en", num: num}
	tests := []struct {
		src, want string
		self      string
	}{
		{src: `ever_exploited == "yes"`, want: `Q8 (ever_exploited) is "Yes"`},
		{src: `present_in != "origin_country"`, want: `Q7 (present_in) is not "In their country of origin"`},
		{src: `consent == "no"`, self: "consent", want: `the answer is "No, the person does not agree"`},
		{src: `age == "declined" or age == "dont_know"`, want: `Q2 (age) is "Declined to answer" or Q2 (age) is "Don't know"`},
		{src: `present_in in ["transit_country", "destination_country"]`,
			want: `Q7 (present_in) is "In a country they are passing through" or "In the country they meant to reach or now live in"`},
		{src: `present_in not in ["origin_country"]`, want: `Q7 (present_in) is none of "In their country of origin"`},
		{src: `has(needs, "medical")`, want: `Q35 (needs) includes "Medical care"`},
		{src: `not has(needs, "medical")`, want: `Q35 (needs) does not include "Medical care"`},
		{src: `has_any(needs, ["medical", "legal_aid"])`, want: `Q35 (needs) includes "Medical care" or "Legal advice"`},
		{src: `fears_return == "yes" and (gender == "female" or child)`,
			want: `Q16 (fears_return) is "Yes" and (Q4 (gender) is "Female" or child is true)`},
		{src: `real(age) and age < 18`, want: `Q2 (age) has a real answer and Q2 (age) is under 18`},
		{src: `"urgent" in values(referral)`, want: `"urgent" in values(referral)`},
		{src: "count(risk_factors) >=\n 2", want: `count(risk_factors) >= 2`},
	}
	for _, tt := range tests {
		got, _ := c.describe(&questionnaire.Expr{Src: tt.src}, tt.self)
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestAnswers(t *testing.T) {
	f := builtin(t)
	sc := scenarios[1]
	ans := sc.answers.Clone()
	start := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	times := map[string]time.Time{}
	for i, q := range f.Questions {
		if _, ok := ans[q.ID]; ok {
			times[q.ID] = start.Add(time.Duration(i) * 45 * time.Second)
		}
	}
	rows := AnswerRows(f, ans, times, "en")
	if len(rows) != len(ans) {
		t.Fatalf("%d rows for %d answers", len(rows), len(ans))
	}
	for i := 1; i < len(rows); i++ {
		if f.Question(rows[i-1].ID).Index > f.Question(rows[i].ID).Index {
			t.Fatalf("rows not in flow order: %s before %s", rows[i-1].ID, rows[i].ID)
		}
	}
	want := map[string]string{
		"age": "Declined to answer", "past_serious_harm": "Don't know",
		"preferred_language": "(left unanswered)", "present_in": "In a country they are passing through",
		"needs": "Education; Finding family members",
	}
	for _, r := range rows {
		if w, ok := want[r.ID]; ok && r.Text != w {
			t.Errorf("%s shown as %q, want %q", r.ID, r.Text, w)
		}
	}
	var b bytes.Buffer
	if err := Answers(&b, f, rows, "en", Options{}); err != nil {
		t.Fatal(err)
	}
	checkPlain(t, "answers", b.Bytes(), 80)
	// A question left unanswered was not "answered" at its time.
	if i := strings.Index(b.String(), "→ (left unanswered)\n"); i < 0 || !strings.HasPrefix(b.String()[i+len("→ (left unanswered)\n"):], "      recorded 2025-") {
		t.Errorf("a question left unanswered is not shown as recorded at its time:\n%s", b.String())
	}
	golden(t, "answers_"+sc.name+".txt", b.Bytes())
}

func TestFlowStringsOverride(t *testing.T) {
	f := *builtin(t) // a copy: the built-in flow is shared
	f.Strings = append([]questionnaire.UIString(nil), f.Strings...)
	f.Strings = append(f.Strings, questionnaire.UIString{ID: "referrals", Text: questionnaire.Text{"en": "Where to send the person"}})
	if got := ui(&f, "en", "referrals"); got != "Where to send the person" {
		t.Errorf("flow override: got %q", got)
	}
	// An English-only override does not hide the French word from a French reader.
	if got := ui(&f, "fr", "referrals"); got != "Orientations" {
		t.Errorf("French table under an English override: got %q", got)
	}
	if got := ui(nil, "xx", "cautions"); got != "Cautions" {
		t.Errorf("English fallback: got %q", got)
	}
	s := score(t, &f, scenarios[0].name, scenarios[0].answers)
	var b bytes.Buffer
	if err := Summary(&b, &f, s, "en", Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Where to send the person") {
		t.Error("the summary ignores the flow's strings")
	}
}
