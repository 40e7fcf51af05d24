package forms

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"fieldscreen/internal/store"
)

// fullInterview answers every question the built-in flow asks an adult
// trafficked abroad, one line each, as an interviewer would type them.
var fullInterview = []string{
	"",         // consent intro
	"1",        // consent: yes
	"30",       // age
	"1",        // gender: female
	"Eritrea",  // country_of_origin
	"3",        // present_in: destination_country
	"",         // exploitation intro
	"y",        // ever_exploited
	"1, 2",     // trafficking_act
	"fraud",    // trafficking_means (by value)
	"2",        // exploitation: forced_labour
	"2",        // exploitation_where: abroad
	"3,8",      // labour_indicators
	"2",        // still_under_control: no
	"",         // fear intro
	"1",        // fears_return: yes
	"2",        // past_serious_harm: no
	"1,2",      // feared_harm
	"1",        // feared_by
	"7",        // targeted_because: former_trafficking_victim
	"2",        // state_protection: unable
	"2",        // relocation_possible: no
	"2",        // fled_conflict_or_violence: no
	"x",        // experienced_sgbv: declined
	"3",        // risk_factors: no_documents
	"2",        // threat_in_host_country
	"2",        // stigmatised_in_host
	"d",        // trauma_affecting_recovery: don't know
	"1",        // knows_right_to_asylum
	"1",        // asylum_status: not_applied
	"2",        // identified_as_trafficking_victim
	"2",        // deportation_risk
	"2",        // involved_in_legal_proceedings
	"1",        // fears_retaliation_if_reporting
	"1,5",      // needs
	"1",        // interpreter_needed
	"Tigrinya", // preferred_language
	"",         // can_read: left unanswered
	"No",       // wishes_to_return (by label)
	"c",        // review: complete
}

func TestAccessibleWholeInterview(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	iv, out, err := runPlain(t, st, f, id, fullInterview...)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	if iv.Status != store.StatusCompleted || iv.Outcome == "" {
		t.Fatalf("status %s, outcome %q", iv.Status, iv.Outcome)
	}
	if saved := get(t, st, id); saved.Status != store.StatusCompleted {
		t.Fatalf("stored status %s", saved.Status)
	}
	wantAnswers(t, iv, map[string]any{
		"consent": "yes", "age": 30, "gender": "female", "country_of_origin": "Eritrea",
		"present_in": "destination_country", "ever_exploited": "yes",
		"trafficking_act": []string{"recruited", "transported"}, "trafficking_means": []string{"fraud"},
		"labour_indicators": []string{"restriction_of_movement", "withholding_of_wages"},
		"experienced_sgbv":  "declined", "trauma_affecting_recovery": "dont_know",
		"preferred_language": "Tigrinya", "can_read": nil, "wishes_to_return": "no",
	})
	if _, asked := iv.AnswersMap()["fears_being_trafficked"]; asked {
		t.Error("fears_being_trafficked answered, but it is not asked after ever_exploited=yes")
	}
	if iv.Consent == nil || !iv.Consent.Given {
		t.Errorf("consent not recorded: %+v", iv.Consent)
	}
	for _, want := range []string{
		"Section 1 of 6: Consent", "Read this to the person", // intro, once
		"Section 3 of 6: Work and experiences of exploitation",
		"Hint: Ask gently", "  1. Yes, the person agrees", "d for don't know",
		"Review the answers", "Wishes", // review lists labels
	} {
		if want == "Wishes" {
			want = "Do you wish to go back to your country?: No"
		}
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(out, "Read this to the person"); n != 1 {
		t.Errorf("consent intro shown %d times, want once", n)
	}
}

func TestAccessibleRepromptsWithAuthorMessage(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	_, out, err := runPlain(t, st, f, id,
		"", "", // intro; consent empty: required
		"d", // consent: don't know is not accepted
		"7", // not in the list
		"1",
		"abc", "150", "30",
		"q")
	if !errors.Is(err, ErrQuit) {
		t.Fatalf("err = %v, want ErrQuit", err)
	}
	for _, want := range []string{
		"Not saved: this question needs an answer. Try again.",
		"is not accepted here",
		"7 is not in the list; type a number from 1 to 2",
		`Not saved: expects a whole number from 0 to 120`,
		"150 is out of range",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	wantAnswers(t, get(t, st, id), map[string]any{"consent": "yes", "age": 30})
}

func TestAccessibleBackChangeDropsLaterAnswers(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	lines := append(slices.Clone(fullInterview[:14]), // up to still_under_control
		"b", "b", "b", "b", "b", "b", // from the fear intro back to trafficking_act
		"",       // Enter keeps its answer and walks forward to trafficking_means
		"b", "b", // back to ever_exploited
		"n", // ever_exploited: no
		"q")
	_, out, err := runPlain(t, st, f, id, lines...)
	if !errors.Is(err, ErrQuit) {
		t.Fatalf("err = %v, want ErrQuit\n%s", err, out)
	}
	if !strings.Contains(out, "Enter to keep the current answer: Recruited (offered a job, marriage or travel); Transported (taken somewhere)") {
		t.Errorf("previous answer not offered when going back\n%s", out)
	}
	iv := get(t, st, id)
	wantAnswers(t, iv, map[string]any{"ever_exploited": "no", "age": 30})
	dropped := []string{"trafficking_act", "trafficking_means", "exploitation", "exploitation_where", "labour_indicators", "still_under_control"}
	for _, d := range dropped {
		if _, ok := iv.AnswersMap()[d]; ok {
			t.Errorf("%s still answered after ever_exploited became no", d)
		}
	}
	if got := events(iv, store.EventDropped); !slices.Equal(got, dropped) {
		t.Errorf("dropped events %v, want %v", got, dropped)
	}
	if got := events(iv, store.EventChanged); !slices.Equal(got, []string{"ever_exploited"}) {
		t.Errorf("changed events %v", got)
	}
	if !strings.Contains(out, "6 later answers no longer apply and were removed") {
		t.Errorf("no note of dropped answers\n%s", out)
	}
	// The next question is the one ever_exploited=no asks.
	if !strings.Contains(out[strings.LastIndex(out, "Saved: No"):], "Are you afraid that you would be forced or tricked") {
		t.Errorf("fears_being_trafficked not asked after the change\n%s", out)
	}
}

func TestAccessibleQuitThenResume(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	_, _, err := runPlain(t, st, f, id, fullInterview[:5]...) // EOF after country_of_origin
	if !errors.Is(err, ErrQuit) {
		t.Fatalf("EOF: err = %v, want ErrQuit", err)
	}
	iv := get(t, st, id)
	if iv.Status != store.StatusDraft || len(iv.Answers) != 4 {
		t.Fatalf("after quit: status %s, %d answers", iv.Status, len(iv.Answers))
	}
	// Resume: the first unanswered question, without the consent intro again.
	_, out, err := runPlain(t, st, f, id, "q")
	if !errors.Is(err, ErrQuit) {
		t.Fatalf("q: err = %v", err)
	}
	first := strings.Index(out, "Section ")
	if first < 0 || !strings.HasPrefix(out[first:], "Section 2 of 6: About the person\nWhere is the person now?") {
		t.Fatalf("resume did not continue at present_in:\n%s", out)
	}
	done, out, err := runPlain(t, st, f, id, fullInterview[5:]...)
	if err != nil {
		t.Fatalf("resume to the end: %v\n%s", err, out)
	}
	if done.Status != store.StatusCompleted {
		t.Fatalf("status %s", done.Status)
	}
}

func TestAccessibleReviewChange(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	lines := slices.Clone(fullInterview[:len(fullInterview)-1])
	// Change ever_exploited (the 6th answer) from the review: the answers
	// it hid are dropped and fears_being_trafficked is asked, then the
	// review again.
	lines = append(lines, "6", "n", "2", "c")
	iv, out, err := runPlain(t, st, f, id, lines...)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	wantAnswers(t, iv, map[string]any{"ever_exploited": "no", "fears_being_trafficked": "no"})
	if strings.Count(out, "Review the answers") != 2 {
		t.Errorf("want two reviews\n%s", out)
	}
	if _, ok := iv.AnswersMap()["trafficking_act"]; ok {
		t.Error("trafficking_act kept")
	}
}

func TestParseLine(t *testing.T) {
	f := builtin(t)
	q := f.Question("trafficking_act")
	opts := options(f, q, "en")
	for _, tc := range []struct {
		in      string
		want    any
		wantErr string
	}{
		{"", nil, ""},
		{"?", "dont_know", ""},
		{"X", "declined", ""},
		{"1,3", []string{"recruited", "transferred"}, ""},
		{"received; 1", []string{"received", "recruited"}, ""},
		{"1,x", nil, "stand alone"},
		{"9", nil, "not in the list"},
		{"bogus", nil, "not one of the choices"},
	} {
		got, err := parseLine(&runner{f: f, lang: "en"}, q, opts, tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !equal(got, tc.want) {
			t.Errorf("%q: got %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
}

func equal(a, b any) bool {
	as, aok := a.([]string)
	bs, bok := b.([]string)
	if aok && bok {
		return slices.Equal(as, bs)
	}
	return a == b
}
