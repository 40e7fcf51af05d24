package forms

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fieldscreen/internal/record"
)

// fullSteps answer every question the built-in flow (2.0.0) asks an
// adult trafficked abroad, through every section it shows, one line each,
// as an interviewer would type them.
var fullSteps = []step{
	{"", "consent intro"},
	{"1", "consent"}, // yes
	{"", "safety intro"},
	{"1", "interview_private"},   // yes (an observation)
	{"2", "immediate_danger"},    // no
	{"2", "urgent_medical_need"}, // no
	{"30", "age"},
	{"2", "may_be_child"}, // no (an observation)
	{"1", "gender"},       // female
	{"Eritrea", "country_of_origin"},
	{"1", "has_nationality"},           // yes
	{"3", "present_in"},                // destination_country (an observation)
	{"2", "fled_conflict_or_violence"}, // no
	{"", "exploitation intro"},
	{"y", "ever_exploited"},
	{"1, 2", "trafficking_act"},
	{"fraud", "trafficking_means"}, // by value
	{"2", "exploitation"},          // forced_labour
	{"2", "exploitation_where"},    // abroad
	{"2", "under_18_at_start"},     // no
	{"3,8", "labour_indicators"},
	{"2", "family_involved"},                  // no
	{"2", "still_under_control"},              // no
	{"2", "identified_as_trafficking_victim"}, // no
	{"", "fear intro"},
	{"1", "fears_return"},      // yes
	{"2", "past_serious_harm"}, // no
	{"1,2", "feared_harm"},
	{"1", "feared_by"},
	{"7", "targeted_because"}, // former_trafficking_victim
	{"2", "state_protection"}, // unable
	{"", "violence intro"},
	{"x", "experienced_sgbv"}, // declined
	{"3", "risk_factors"},     // no_documents
	{"2", "threat_in_host_country"},
	{"2", "stigmatised_in_host"},
	{"d", "trauma_affecting_recovery"}, // don't know
	{"1", "asylum_status"},             // not_applied
	{"1", "knows_right_to_asylum"},
	{"2", "deportation_risk"},
	{"2", "involved_in_legal_proceedings"},
	{"1", "fears_retaliation_if_reporting"},
	{"2", "authorities_informed"}, // no
	{"1,5", "needs"},              // medical, legal_aid
	{"1", "interpreter_needed"},
	{"Tigrinya", "preferred_language"},
	{"", "can_read"},           // left unanswered
	{"No", "wishes_to_return"}, // by label
	{"", "referral intro"},
	{"1,2,4", "referral_consent"}, // anti_trafficking, asylum_and_legal, health
	{"c", "review"},               // complete
}

// step is one line typed, and the screen it answers: a question's ID, a
// section's "… intro", or "review".
type step struct{ line, screen string }

// fullInterview is the lines of fullSteps.
var fullInterview = lines(fullSteps)

func lines(steps []step) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.line
	}
	return out
}

// reviewNumber is the number of question id on the review screen after
// fullSteps: every question of fullSteps is asked, and listed in order.
func reviewNumber(tb testing.TB, id string) int {
	tb.Helper()
	n := 0
	for _, s := range fullSteps[:stepOf(tb, id)+1] {
		if !strings.HasSuffix(s.screen, " intro") {
			n++
		}
	}
	return n
}

// stepOf returns the index in fullSteps of the line that answers screen.
func stepOf(tb testing.TB, screen string) int {
	tb.Helper()
	for i, s := range fullSteps {
		if s.screen == screen {
			return i
		}
	}
	tb.Fatalf("fullSteps has no line for %q", screen)
	return -1
}

func TestAccessibleWholeInterview(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	iv, out, err := runPlain(t, st, f, id, fullInterview...)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	if iv.Status != record.StatusCompleted || iv.Outcome == "" {
		t.Fatalf("status %s, outcome %q", iv.Status, iv.Outcome)
	}
	if saved := get(t, st, id); saved.Status != record.StatusCompleted {
		t.Fatalf("stored status %s", saved.Status)
	}
	wantAnswers(t, iv, map[string]any{
		"consent": "yes", "age": 30, "gender": "female", "country_of_origin": "Eritrea",
		"present_in": "destination_country", "ever_exploited": "yes",
		"trafficking_act": []string{"recruited", "transported"}, "trafficking_means": []string{"fraud"},
		"labour_indicators": []string{"restriction_of_movement", "withholding_of_wages"},
		"experienced_sgbv":  "declined", "trauma_affecting_recovery": "dont_know",
		"preferred_language": "Tigrinya", "can_read": nil, "wishes_to_return": "no",
		"interview_private": "yes", "may_be_child": "no", "authorities_informed": "no",
		"referral_consent": []string{"anti_trafficking", "asylum_and_legal", "health"},
	})
	if _, asked := iv.AnswersMap()["fears_being_trafficked"]; asked {
		t.Error("fears_being_trafficked answered, but it is not asked after ever_exploited=yes")
	}
	if iv.Consent == nil || !iv.Consent.Given {
		t.Errorf("consent not recorded: %+v", iv.Consent)
	}
	for _, want := range []string{
		"Section 1 of 12: Consent", "Read this to the person", // intro, once
		"Section 2 of 12: Safety first", "Section 6 of 12: Experiences of exploitation",
		"Section 12 of 12: Referrals and consent",
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
	// The interviewer's observations are marked before they are read.
	for _, q := range []string{"Is the interview private", "Could the person be under 18?", "Where is the person now?"} {
		if !strings.Contains(out, "\n(Observation — do not read aloud)\n"+q) {
			t.Errorf("observation %q not marked", q)
		}
	}
	if n := strings.Count(out, "(Observation — do not read aloud)"); n != 3 {
		t.Errorf("%d questions marked as observations, want 3", n)
	}
	// Before the person chooses, the referrals the answers lead to, by
	// service; the interpreter (no consent needed) is not among them.
	wantRefs := "Hint: Before the person chooses, explain each referral the screen shows" +
		" (on paper: go through the services listed below and explain those the person's answers point to)" +
		" in words they understand. Choose only the services the person agrees to." +
		" Information is shared only with them, except a child's urgent referral to child protection, made in the child's best interests.\n" +
		"The answers so far lead to these referrals; explain each one:\n" +
		"• Anti-trafficking services\n" +
		"• Asylum and legal services: Asylum procedure; Legal aid\n" +
		"• Health care, including mental health: Medical care\n" +
		"  1. Anti-trafficking services\n"
	if !strings.Contains(out, wantRefs) {
		t.Errorf("referral consent question lacks the referrals by service:\n%s", out[strings.LastIndex(out, "Section 12 of 12"):])
	}
	if strings.Contains(out, "Interpreter") {
		t.Error("the interpreter is listed among referrals needing consent")
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
		"", "1", "2", "2", // safety intro, interview_private, immediate_danger, urgent_medical_need
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
	lines := append(slices.Clone(fullInterview[:stepOf(t, "still_under_control")+1]),
		"b", "b", "b", "b", "b", "b", "b", "b", // from identified_as_trafficking_victim back to trafficking_act
		"",       // Enter keeps its answer and walks forward to trafficking_means
		"b", "b", // back to ever_exploited
		"n", // ever_exploited: no
		"y", // yes, set the 8 answers it hides aside
		"",  // identified_as_trafficking_victim: left unanswered
		"",  // the fear intro
		"q")
	_, out, err := runPlain(t, st, f, id, lines...)
	if !errors.Is(err, ErrQuit) {
		t.Fatalf("err = %v, want ErrQuit\n%s", err, out)
	}
	if !strings.Contains(out, "Enter to keep the current answer: Recruitment: offered a job, marriage or travel; Transport: taken somewhere else") {
		t.Errorf("previous answer not offered when going back\n%s", out)
	}
	iv := get(t, st, id)
	wantAnswers(t, iv, map[string]any{"ever_exploited": "no", "age": 30})
	dropped := []string{"trafficking_act", "trafficking_means", "exploitation", "exploitation_where",
		"under_18_at_start", "labour_indicators", "family_involved", "still_under_control"}
	for _, d := range dropped {
		if _, ok := iv.AnswersMap()[d]; ok {
			t.Errorf("%s still answered after ever_exploited became no", d)
		}
	}
	if got := events(iv, record.EventDropped); !slices.Equal(got, dropped) {
		t.Errorf("dropped events %v, want %v", got, dropped)
	}
	if got := events(iv, record.EventChanged); !slices.Equal(got, []string{"ever_exploited"}) {
		t.Errorf("changed events %v", got)
	}
	if !strings.Contains(out, "8 later answers no longer apply and were set aside") {
		t.Errorf("no note of dropped answers\n%s", out)
	}
	// The next questions are the ones ever_exploited=no leads to: the
	// rest of its section, then fears_being_trafficked, which only a
	// person who did not say yes is asked.
	after := out[strings.LastIndex(out, "Saved: No"):]
	if !strings.Contains(after, "Have the authorities ever formally identified you") ||
		!strings.Contains(after, "In your own country, whether you live there now or would go back, are you afraid that someone could force or trick you") {
		t.Errorf("fears_being_trafficked not asked after the change\n%s", after)
	}
}

func TestAccessibleQuitThenResume(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	stop := stepOf(t, "has_nationality") + 1
	_, _, err := runPlain(t, st, f, id, fullInterview[:stop]...) // EOF after has_nationality
	if !errors.Is(err, ErrQuit) {
		t.Fatalf("EOF: err = %v, want ErrQuit", err)
	}
	iv := get(t, st, id)
	if iv.Status != record.StatusDraft || len(iv.Answers) != 9 {
		t.Fatalf("after quit: status %s, %d answers", iv.Status, len(iv.Answers))
	}
	// Resume: the first unanswered question, without the consent intro again.
	_, out, err := runPlain(t, st, f, id, "q")
	if !errors.Is(err, ErrQuit) {
		t.Fatalf("q: err = %v", err)
	}
	first := strings.Index(out, "Section ")
	if first < 0 || !strings.HasPrefix(out[first:], "Section 5 of 12: Where you come from and where you are now\n(Observation — do not read aloud)\nWhere is the person now?") {
		t.Fatalf("resume did not continue at present_in:\n%s", out)
	}
	done, out, err := runPlain(t, st, f, id, fullInterview[stop:]...)
	if err != nil {
		t.Fatalf("resume to the end: %v\n%s", err, out)
	}
	if done.Status != record.StatusCompleted {
		t.Fatalf("status %s", done.Status)
	}
}

func TestAccessibleReviewChange(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	lines := slices.Clone(fullInterview[:len(fullInterview)-1])
	// Change ever_exploited from the review: the answers it hid are
	// dropped and fears_being_trafficked and fears_trafficking_here are
	// asked, then the review again.
	lines = append(lines, strconv.Itoa(reviewNumber(t, "ever_exploited")), "n", "y", "2", "2", "c")
	iv, out, err := runPlain(t, st, f, id, lines...)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	wantAnswers(t, iv, map[string]any{"ever_exploited": "no", "fears_being_trafficked": "no", "fears_trafficking_here": "no"})
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
