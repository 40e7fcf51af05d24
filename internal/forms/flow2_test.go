package forms

import (
	"bufio"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"fieldscreen/internal/session"
	"fieldscreen/questionnaire"
)

// TestFullStepsFollowFlow checks the script the accessible tests share:
// each of its lines answers the screen it says it does, so a change of
// the built-in flow shows up here, by name, rather than as a test that
// types into the wrong question.
func TestFullStepsFollowFlow(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	r, err := newRunner(Options{Flow: f, Store: st, InterviewID: id, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for i, s := range fullSteps {
		var on string
		switch r.cur.kind {
		case kindIntro:
			on = r.cur.q.Section.ID + " intro"
		case kindNote, kindQuestion:
			on = r.cur.q.ID
		case kindReview:
			on = "review"
		}
		if on != s.screen {
			t.Fatalf("line %d (%q) is for %s, but the screen is %s", i, s.line, s.screen, on)
		}
		p := &plain{r: r, in: bufio.NewReader(strings.NewReader(s.line + "\n")), out: &out, ctx: t.Context()}
		switch r.cur.kind {
		case kindIntro, kindNote:
			err = p.note()
		case kindQuestion:
			err = p.question()
		case kindReview:
			_, err = p.review()
		}
		if err != nil {
			t.Fatalf("line %d (%s): %v", i, s.screen, err)
		}
	}
	// Every section of the flow but the children's was shown.
	sections := map[string]bool{}
	for _, a := range get(t, st, id).Answers {
		sections[f.Question(a.QuestionID).Section.ID] = true
	}
	for _, s := range f.Sections {
		if !sections[s.ID] && s.ID != "children" {
			t.Errorf("section %s not reached by fullSteps", s.ID)
		}
	}
}

// answered returns an interview of flow f with ans given in flow order,
// and a runner on it.
func answered(t *testing.T, f *questionnaire.Flow, lang string, ans map[string]any) *runner {
	t.Helper()
	st := newStore(t)
	id := newInterview(t, st, f)
	iv := get(t, st, id)
	for _, q := range f.Questions {
		if v, ok := ans[q.ID]; ok {
			if _, err := session.Answer(iv, f, q.ID, v, time.Now().UTC()); err != nil {
				t.Fatalf("%s: %v", q.ID, err)
			}
		}
	}
	if err := st.Put(iv); err != nil {
		t.Fatal(err)
	}
	r, err := newRunner(Options{Flow: f, Store: st, InterviewID: id, Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// An unaccompanied child: urgent child protection and family tracing.
var childAnswers = map[string]any{"consent": "yes", "age": 15, "unaccompanied": "yes"}

// An adult who needs only an interpreter: no referral needs consent.
var interpreterOnly = map[string]any{"consent": "yes", "age": 30, "interpreter_needed": "yes"}

func TestReferralLines(t *testing.T) {
	f := builtin(t)
	rc := f.Question(f.ReferralConsentQuestion)
	if rc == nil || rc.ID != "referral_consent" {
		t.Fatalf("built-in flow's referral consent question: %v", rc)
	}
	for _, tc := range []struct {
		name, lang string
		ans        map[string]any
		want       []string
	}{
		{"child en", "en", childAnswers, []string{
			"The answers so far lead to these referrals; explain each one:",
			"• Child protection (urgent)", // one referral of the service's own name: said once
			"• Finding family members: Family tracing",
		}},
		{"child fr", "fr", childAnswers, []string{
			"Les réponses mènent jusqu'ici à ces orientations\u00a0; expliquez chacune d'elles\u00a0:",
			"• Protection de l'enfance (urgent)",
			"• Recherche des membres de la famille\u00a0: Recherche des familles",
		}},
		{"child es", "es", childAnswers, []string{
			"Las respuestas llevan hasta ahora a estas derivaciones; explique cada una:",
			"• Protección de la infancia (urgente)",
			"• Localización de familiares",
		}},
		{"interpreter en", "en", interpreterOnly, []string{
			"The answers so far lead to no referral that needs the person's agreement.",
		}},
		{"interpreter fr", "fr", interpreterOnly, []string{
			"Les réponses données jusqu'ici ne mènent à aucune orientation qui demande l'accord de la personne.",
		}},
		{"interpreter es", "es", interpreterOnly, []string{
			"Las respuestas dadas hasta ahora no llevan a ninguna derivación que requiera el acuerdo de la persona.",
		}},
	} {
		r := answered(t, f, tc.lang, tc.ans)
		got, err := r.referralLines(rc)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
		for _, l := range got {
			if name, rest, ok := strings.Cut(strings.TrimPrefix(l, "• "), ":"); ok && strings.TrimSpace(strings.Split(rest, " (")[0]) == strings.TrimSpace(name) {
				t.Errorf("%s: %q names the service twice", tc.name, l)
			}
		}
		// Only the referral consent question shows them.
		if got, _ := r.referralLines(f.Question("needs")); got != nil {
			t.Errorf("%s: needs shows referrals %q", tc.name, got)
		}
	}
}

// The referrals shown are those of the answers before the question: the
// person's choice of services does not change which are shown.
func TestReferralLinesIgnoreTheConsentAnswer(t *testing.T) {
	f := builtin(t)
	ans := map[string]any{"consent": "yes", "age": 15, "unaccompanied": "yes", "referral_consent": []string{"none"}}
	r := answered(t, f, "en", ans)
	got, err := r.referralLines(f.Question("referral_consent"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got, "• Finding family members: Family tracing") {
		t.Errorf("got %q", got)
	}
}

// A flow without a referral consent question (1.0.0) shows no referrals.
func TestReferralLinesFlow1(t *testing.T) {
	f := questionnaire.BuiltinVersion("1.0.0")
	if f == nil {
		t.Fatal("no built-in flow 1.0.0")
	}
	r := answered(t, f, "en", map[string]any{"consent": "yes", "age": 15})
	for _, q := range f.Questions {
		if got, err := r.referralLines(q); got != nil || err != nil {
			t.Errorf("%s: %q, %v", q.ID, got, err)
		}
		if q.Observation {
			t.Errorf("%s is an observation in flow 1.0.0", q.ID)
		}
	}
}

// Every word the screens add for flow 2.0 is in English, French and
// Spanish, with the same placeholders.
func TestScreenWordsTranslated(t *testing.T) {
	ph := regexp.MustCompile(`\{[a-z_]+\}`)
	for id, en := range screenWords["en"] {
		for _, lang := range []string{"fr", "es"} {
			w, ok := screenWords[lang][id]
			if !ok {
				t.Errorf("%s has no %s word", id, lang)
				continue
			}
			if a, b := ph.FindAllString(en, -1), ph.FindAllString(w, -1); !slices.Equal(a, b) {
				t.Errorf("%s in %s has placeholders %v, English %v", id, lang, b, a)
			}
		}
	}
	for lang, m := range screenWords {
		if len(m) != len(screenWords["en"]) {
			t.Errorf("%s has %d words, English %d", lang, len(m), len(screenWords["en"]))
		}
	}
}

// optionRow is a list option as the terminal form draws it (the cursor or
// a space, then the box), as against a referral line of the description.
var optionRow = regexp.MustCompile(`(?m)^┃ [> ] [•✓] `)

// tuiScreen draws the screen r is on at width×height, without styles.
func tuiScreen(r *runner, width, height int) string {
	m := newTUI(r)
	m.width, m.height = width, height
	m.load()
	return ansi.Strip(m.View().Content)
}

// On an 80×24 terminal the referral consent question shows the question,
// every referral line and part of the list, which scrolls; the hint gives
// way first when there is not room for all.
func TestTUIReferralsFit80x24(t *testing.T) {
	f := builtin(t)
	for _, tc := range []struct {
		name     string
		ans      map[string]any
		wantHint bool
		minRows  int // options visible, at least
	}{
		{"adult abroad", nil, true, minListRows},
		// Many referrals: a child trafficked abroad, who fears return and
		// needs every kind of help.
		{"child, many referrals", map[string]any{
			"consent": "yes", "immediate_danger": "yes", "urgent_medical_need": "yes", "age": 16, "gender": "female",
			"unaccompanied": "yes", "child_married": "yes", "present_in": "destination_country", "has_nationality": "no",
			"fled_conflict_or_violence": "yes", "armed_group_association": "yes", "ever_exploited": "yes",
			"exploitation": []string{"sexual_exploitation"}, "fears_return": "yes",
			"experienced_sgbv": "yes", "sgbv_recent": "yes", "asylum_status": "not_applied",
			"needs":            []string{"medical", "mental_health", "safe_accommodation", "legal_aid", "education", "livelihood", "family_tracing"},
			"deportation_risk": "yes",
			// Eight services: their heading gives way too, and the list
			// scrolls in what is left.
		}, false, 4},
	} {
		var r *runner
		if tc.ans == nil {
			st, f := newStore(t), builtin(t)
			id := newInterview(t, st, f)
			if _, _, err := runPlain(t, st, f, id, fullInterview[:stepOf(t, "referral_consent")]...); err != ErrQuit {
				t.Fatalf("%s: %v", tc.name, err)
			}
			var err error
			if r, err = newRunner(Options{Flow: f, Store: st, InterviewID: id, Lang: "en"}); err != nil {
				t.Fatal(err)
			}
		} else {
			r = answered(t, f, "en", tc.ans)
			r.goTo(f.Question("referral_consent"))
		}
		for r.cur.kind != kindQuestion {
			r.proceed()
		}
		if r.cur.q.ID != "referral_consent" {
			t.Fatalf("%s: on %s, not referral_consent", tc.name, r.cur.q.ID)
		}
		refs, err := r.referralLines(r.cur.q)
		if err != nil {
			t.Fatal(err)
		}
		if tc.ans != nil && len(refs) < 7 {
			t.Fatalf("%s: only %d lines of referrals, want a long list: %q", tc.name, len(refs), refs)
		}
		scr := tuiScreen(r, 80, 24)
		lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
		if len(lines) > 24 {
			t.Errorf("%s: %d lines on a 24-line terminal:\n%s", tc.name, len(lines), scr)
		}
		flat := strings.Join(strings.Fields(strings.ReplaceAll(scr, "┃", "")), " ")
		for _, l := range append([]string{"Which of these services do you agree"}, refs[1:]...) {
			if !strings.Contains(flat, strings.Join(strings.Fields(l), " ")) {
				t.Errorf("%s: screen lacks %q:\n%s", tc.name, l, scr)
			}
		}
		if n := len(optionRow.FindAllString(scr, -1)); n < tc.minRows {
			t.Errorf("%s: %d options visible, want at least %d:\n%s", tc.name, n, tc.minRows, scr)
		}
		if tc.wantHint && !strings.Contains(flat, refs[0]) {
			t.Errorf("%s: no heading %q:\n%s", tc.name, refs[0], scr)
		}
		if hint := strings.Contains(flat, "Before the person chooses"); hint != tc.wantHint {
			t.Errorf("%s: hint shown %v, want %v:\n%s", tc.name, hint, tc.wantHint, scr)
		}
		// A larger screen has room for the hint too.
		if big := tuiScreen(r, 100, 40); !strings.Contains(big, "Before the person chooses") {
			t.Errorf("%s: no hint on 100×40:\n%s", tc.name, big)
		}
	}
}

// The terminal form marks an observation on the line under the section,
// in the interview's language, and only on observations.
func TestTUIObservationLine(t *testing.T) {
	for _, tc := range []struct{ lang, word string }{
		{"en", "(Observation — do not read aloud)"},
		{"fr", "(Observation — ne pas lire à voix haute)"},
		{"es", "(Observación: no leer en voz alta)"},
	} {
		f := builtin(t)
		r := answered(t, f, tc.lang, map[string]any{"consent": "yes"})
		for r.cur.kind != kindQuestion {
			r.proceed()
		}
		for _, id := range []string{"interview_private", "immediate_danger", "may_be_child", "present_in", "country_of_origin"} {
			q := f.Question(id)
			r.cur = screen{kind: kindQuestion, q: q}
			lines := strings.Split(tuiScreen(r, 80, 24), "\n")
			marked := strings.TrimSpace(lines[1]) == tc.word
			if marked != q.Observation {
				t.Errorf("%s %s: second line %q, observation %v", tc.lang, id, lines[1], q.Observation)
			}
			if !strings.HasPrefix(strings.TrimPrefix(lines[2], "┃ "), strings.Fields(f.T(q.Label, tc.lang))[0]) {
				t.Errorf("%s %s: question not on the third line: %q", tc.lang, id, lines[2])
			}
		}
	}
}
