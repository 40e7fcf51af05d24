package session

import (
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

func builtin(t *testing.T) *questionnaire.Flow {
	t.Helper()
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func newStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Create(filepath.Join(t.TempDir(), "s.db"), []byte("session test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

type qa struct {
	q string
	v any
}

// exploited answers the first questions of the built-in flow for a
// person who says they were exploited, then the two that follows.
var exploited = []qa{{"consent", "yes"}, {"ever_exploited", "yes"}, {"trafficking_act", []string{"recruited"}}, {"still_under_control", "no"}}

func answerAll(t *testing.T, iv *record.Interview, f *questionnaire.Flow, now time.Time, answers []qa) {
	t.Helper()
	for _, a := range answers {
		if c, err := Answer(iv, f, a.q, a.v, now); err != nil || len(c.SetAside)+len(c.Restored) != 0 {
			t.Fatalf("Answer(%s) = %+v, %v", a.q, c, err)
		}
	}
}

func events(iv *record.Interview) []string {
	var out []string
	for _, e := range iv.Audit {
		out = append(out, string(e.Event)+":"+e.QuestionID)
	}
	return out
}

func TestAnswerSetsAsideAndRestores(t *testing.T) {
	f := builtin(t)
	st := newStore(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	iv, err := New(st, f, "Tester", "LOC-1", "en", now)
	if err != nil {
		t.Fatal(err)
	}
	answerAll(t, iv, f, now, exploited)
	if iv.Consent == nil || !iv.Consent.Given || iv.Consent.Language != "en" || !iv.Consent.At.Equal(now) {
		t.Errorf("consent = %+v, want given in en at %v", iv.Consent, now)
	}

	// Answered on a copy, a change says what it would do and changes nothing.
	before := events(iv)
	c, err := Answer(clone(iv), f, "ever_exploited", "no", now)
	if err != nil || !slices.Equal(c.SetAside, []string{"trafficking_act", "still_under_control"}) {
		t.Fatalf("Preview = %+v, %v", c, err)
	}
	if !slices.Equal(events(iv), before) || iv.SetAside != nil {
		t.Fatal("Preview changed the interview")
	}

	later := now.Add(time.Minute)
	c, err = Answer(iv, f, "ever_exploited", "no", later)
	if err != nil || !slices.Equal(c.SetAside, []string{"trafficking_act", "still_under_control"}) || c.Restored != nil {
		t.Fatalf("Answer(no) = %+v, %v", c, err)
	}
	if _, ok := iv.Answer("trafficking_act"); ok {
		t.Error("trafficking_act is still answered after ever_exploited changed to no")
	}
	if len(iv.SetAside) != 2 {
		t.Fatalf("set aside: %+v", iv.SetAside)
	}
	// The set-aside answers are stored, sealed, and read back.
	if err := st.Put(iv); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(iv.ID)
	if err != nil || len(got.SetAside) != 2 || got.SetAside[0].QuestionID != "trafficking_act" {
		t.Fatalf("stored set aside: %+v, %v", got.SetAside, err)
	}
	iv = got

	// Changing it back brings them back, with the time they were given.
	c, err = Answer(iv, f, "ever_exploited", "yes", later.Add(time.Minute))
	if err != nil || c.SetAside != nil || !slices.Equal(c.Restored, []string{"trafficking_act", "still_under_control"}) {
		t.Fatalf("Answer(yes) = %+v, %v", c, err)
	}
	if a, ok := iv.Answer("trafficking_act"); !ok || !slices.Equal(a.Value.([]string), []string{"recruited"}) || !a.AnsweredAt.Equal(now) {
		t.Errorf("trafficking_act restored as %+v", a)
	}
	if iv.SetAside != nil {
		t.Errorf("still set aside: %+v", iv.SetAside)
	}
	want := []string{"created:", "answered:consent", "answered:ever_exploited", "answered:trafficking_act", "answered:still_under_control",
		"changed:ever_exploited", "dropped:trafficking_act", "dropped:still_under_control",
		"changed:ever_exploited", "restored:trafficking_act", "restored:still_under_control"}
	if got := events(iv); !slices.Equal(got, want) {
		t.Errorf("audit = %v\nwant  %v", got, want)
	}
	for _, e := range iv.Audit {
		if e.Event == record.EventDropped && !strings.Contains(e.Detail, "set aside") {
			t.Errorf("dropped event without its detail: %+v", e)
		}
	}

	// Completing erases what is still set aside.
	if _, err := Answer(iv, f, "ever_exploited", "no", later); err != nil || len(iv.SetAside) != 2 {
		t.Fatalf("set aside again: %+v, %v", iv.SetAside, err)
	}
	if err := Complete(iv, f, later); err != nil {
		t.Fatal(err)
	}
	if iv.Status != record.StatusCompleted || iv.Outcome == "" || iv.CompletedAt == nil || iv.SetAside != nil {
		t.Errorf("after Complete: status %s, outcome %q, completed %v, set aside %v", iv.Status, iv.Outcome, iv.CompletedAt, iv.SetAside)
	}
}

// Consent withdrawn ends the interview: every later answer is set aside,
// and all come back when consent is given again.
func TestConsentWithdrawnAndGivenAgain(t *testing.T) {
	f := builtin(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	iv, err := Begin(f, "T", "", "en", now)
	if err != nil {
		t.Fatal(err)
	}
	answerAll(t, iv, f, now, exploited)
	c, err := Answer(iv, f, "consent", "no", now)
	if err != nil || len(c.SetAside) != 3 || len(iv.Answers) != 1 || iv.Consent.Given {
		t.Fatalf("withdrawn: %+v, %v; answers %v, consent %+v", c, err, iv.AnswersMap(), iv.Consent)
	}
	c, err = Answer(iv, f, "consent", "yes", now)
	if err != nil || !slices.Equal(c.Restored, []string{"ever_exploited", "trafficking_act", "still_under_control"}) {
		t.Fatalf("given again: %+v, %v", c, err)
	}
	if len(iv.Answers) != 4 || iv.SetAside != nil {
		t.Errorf("answers %v, set aside %v", iv.AnswersMap(), iv.SetAside)
	}
}

// A fresh answer to a question replaces what was set aside for it.
func TestAnswerReplacesSetAside(t *testing.T) {
	f := builtin(t)
	now := time.Now().UTC()
	iv, err := Begin(f, "T", "", "en", now)
	if err != nil {
		t.Fatal(err)
	}
	answerAll(t, iv, f, now, exploited)
	if _, err := Answer(iv, f, "ever_exploited", "no", now); err != nil {
		t.Fatal(err)
	}
	iv.SetAside = slices.DeleteFunc(iv.SetAside, func(a record.Answer) bool { return a.QuestionID == "trafficking_act" })
	if _, err := Answer(iv, f, "ever_exploited", "yes", now); err != nil {
		t.Fatal(err)
	}
	if _, ok := iv.Answer("trafficking_act"); ok {
		t.Fatal("restored an answer that was not set aside")
	}
	if _, err := Answer(iv, f, "trafficking_act", []string{"transported"}, now); err != nil {
		t.Fatal(err)
	}
	for _, a := range iv.SetAside {
		if a.QuestionID == "trafficking_act" {
			t.Error("a set-aside answer kept beside a new answer to its question")
		}
	}
}

func completed(t *testing.T, st *store.Store, f *questionnaire.Flow, answers []qa) *record.Interview {
	t.Helper()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	iv, err := New(st, f, "Tester", "LOC-1", "en", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range answers {
		if _, err := Answer(iv, f, a.q, a.v, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := Complete(iv, f, now); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(iv); err != nil {
		t.Fatal(err)
	}
	return iv
}

// fullAnswers is a whole interview on the built-in flow: consent, then
// "no" or "declined" wherever the flow takes it.
func fullAnswers(t *testing.T, f *questionnaire.Flow, give map[string]any) questionnaire.Answers {
	t.Helper()
	ans := questionnaire.Answers{}
	for k, v := range give {
		ans[k] = v
	}
	for {
		q, err := f.Next(ans)
		if err != nil {
			t.Fatal(err)
		}
		if q == nil {
			return ans
		}
		switch {
		case q.Type == questionnaire.TypeYesNo:
			ans[q.ID] = "no"
		case !q.Required:
			ans[q.ID] = questionnaire.Declined
		case q.Type == questionnaire.TypeInteger:
			ans[q.ID] = 30
		case q.Type == questionnaire.TypeText:
			ans[q.ID] = "x"
		default:
			ans[q.ID] = q.Choices[0].Value
		}
	}
}

func TestAmend(t *testing.T) {
	f := builtin(t)
	st := newStore(t)
	base := fullAnswers(t, f, map[string]any{"consent": "yes", "ever_exploited": "yes", "trafficking_act": []string{"recruited"}})
	var answers []qa
	for _, q := range f.Questions {
		if v, ok := base[q.ID]; ok {
			answers = append(answers, qa{q.ID, v})
		}
	}
	iv := completed(t, st, f, answers)
	// Handed over: the correction comes after.
	iv, err := st.Annotate(iv.ID, func(x *record.Interview) error {
		x.Status = record.StatusExported
		x.Audit = append(x.Audit, record.AuditEvent{At: time.Now().UTC(), Event: record.EventExported,
			Detail: `format=json; purpose="legal aid"; recipients=161aa320ee9fadee; bundle_sha256=00`})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The same answers: nothing to amend, nothing recorded.
	same := iv.AnswersMap()
	res, err := Amend(iv, f, same, "no change", "Editor", time.Now().UTC())
	if err != nil || !res.Empty() || iv.Status != record.StatusExported {
		t.Fatalf("unchanged amendment: %+v, %v, status %s", res, err, iv.Status)
	}

	// Answers that are not a whole interview are refused, by question.
	bad := questionnaire.Answers{}
	for k, v := range same {
		bad[k] = v
	}
	bad["fears_being_trafficked"] = "yes" // asked only when ever_exploited is not yes
	if _, err := Amend(iv, f, bad, "r", "E", time.Now().UTC()); err == nil || !strings.Contains(err.Error(), `"fears_being_trafficked": is not asked`) {
		t.Errorf("an answer to a question not asked: %v", err)
	}
	delete(bad, "fears_being_trafficked")
	delete(bad, "consent")
	if _, err := Amend(iv, f, bad, "r", "E", time.Now().UTC()); err == nil || !strings.Contains(err.Error(), `"consent"`) {
		t.Errorf("no consent: %v", err)
	}
	if _, err := Amend(iv, f, same, " ", "E", time.Now().UTC()); err == nil {
		t.Error("an amendment without a reason")
	}

	// ever_exploited no: its follow-ups are dropped for good, the new
	// questions it asks are answered, the reason is recorded.
	fixed := fullAnswers(t, f, map[string]any{"consent": "yes", "ever_exploited": "no"})
	rec, err := StartAmending(st, iv, f, "the person misheard the question", "Editor")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range f.Questions {
		if v, ok := fixed[q.ID]; ok {
			if _, err := rec.Answer(q.ID, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if stored, _ := st.Get(iv.ID); !slices.Equal(events(stored), events(iv)) {
		t.Fatal("amending changed the stored interview before it completed")
	}
	done, err := rec.Complete()
	if err != nil {
		t.Fatal(err)
	}
	res = rec.Amendment()
	if !slices.Contains(res.Changed, "ever_exploited") || !slices.Contains(res.Dropped, "trafficking_act") || len(res.Answered) == 0 || !res.AfterExport {
		t.Errorf("result %+v", res)
	}
	if done.Status != record.StatusCompleted || done.SetAside != nil {
		t.Errorf("after amend: status %s, set aside %v", done.Status, done.SetAside)
	}
	last := done.Audit[len(done.Audit)-1]
	if last.Event != record.EventAmended || last.Detail != "the person misheard the question" || last.Interviewer != "Editor" {
		t.Errorf("last audit event %+v", last)
	}
	for _, e := range done.Audit {
		if e.Event == record.EventDropped && e.QuestionID == "trafficking_act" && e.Interviewer != "Editor" {
			t.Errorf("drop not by the editor: %+v", e)
		}
	}
	cs := done.Corrections()
	if len(cs) != 1 || !cs[0].AfterExport || cs[0].Reason != "the person misheard the question" {
		t.Errorf("corrections %+v", cs)
	}
	if !done.AmendedSinceExport() {
		t.Error("not marked as amended since its export")
	}
	entries, err := st.List("")
	if err != nil || len(entries) != 1 || !entries[0].AmendedSinceExport || entries[0].Status != record.StatusCompleted {
		t.Errorf("list: %+v, %v", entries, err)
	}

	// A draft is resumed, not amended.
	draft, err := New(st, f, "T", "", "en", time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := StartAmending(st, draft, f, "r", "E"); !errors.Is(err, ErrNotCompleted) {
		t.Errorf("amending a draft: %v", err)
	}
}

// A new interview stores nothing, and does not open the store, until the
// first answer.
func TestUnsavedStoresWithFirstAnswer(t *testing.T) {
	f := builtin(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "s.db")
	opened := 0
	var st *store.Store
	open := func() (Store, error) {
		opened++
		if st == nil {
			var err error
			if st, err = store.Create(path, []byte("a passphrase")); err != nil {
				return nil, err
			}
			t.Cleanup(func() { st.Close() })
		}
		return st, nil
	}
	rec, err := Start(f, "T", "", "en", open)
	if err != nil {
		t.Fatal(err)
	}
	iv := rec.Record()
	if got := rec.Record(); got.ID != iv.ID || rec.Saved() || opened != 0 || store.Exists(path) {
		t.Fatalf("before the first answer: saved %v, opened %d", rec.Saved(), opened)
	}
	if err := rec.change(func(x *record.Interview) error { return errors.New("refused") }); err == nil || opened != 0 {
		t.Fatal("a failed change opened the store")
	}
	if _, err := rec.Answer("consent", "yes"); err != nil {
		t.Fatal(err)
	}
	if !rec.Saved() || opened != 1 {
		t.Fatalf("after the first answer: saved %v, opened %d", rec.Saved(), opened)
	}
	got, err := st.Get(iv.ID)
	if err != nil || len(got.Answers) != 1 {
		t.Fatalf("stored: %+v, %v", got, err)
	}
	if src, err := st.Flow(f.Hash); err != nil || len(src) == 0 {
		t.Errorf("flow not stored: %v", err)
	}
	if _, err := rec.Answer("interview_private", "yes"); err != nil || opened != 1 {
		t.Fatalf("second answer: %v, opened %d", err, opened)
	}
	if got, _ := st.Get(iv.ID); len(got.Answers) != 2 {
		t.Errorf("second answer not stored: %v", got.AnswersMap())
	}
}

// An Interview saves each answer before it returns, keeps the copy it
// holds equal to the stored one, says what a change would do without
// doing it, and completes with the summary it scored.
func TestInterviewSavesEachAnswer(t *testing.T) {
	f := builtin(t)
	st := newStore(t)
	iv, err := New(st, f, "Tester", "LOC-1", "en", time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Put(iv); err != nil {
		t.Fatal(err)
	}
	s, err := Draft(st, iv.ID, f)
	if err != nil {
		t.Fatal(err)
	}
	same := func(what string) {
		t.Helper()
		stored, err := st.Get(iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(stored, s.Record()) {
			t.Fatalf("%s: the record held differs from the one stored", what)
		}
		vis, err := f.Visible(questionnaire.Answers(stored.AnswersMap()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Visible()
		if err != nil || !slices.Equal(got, vis) {
			t.Fatalf("%s: Visible = %d questions, %v; the flow asks %d", what, len(got), err, len(vis))
		}
	}
	for _, a := range exploited {
		if c, err := s.Answer(a.q, a.v); err != nil || len(c.SetAside)+len(c.Restored) != 0 {
			t.Fatalf("Answer(%s) = %+v, %v", a.q, c, err)
		}
		same("answer " + a.q)
	}

	before := events(s.Record())
	c, err := s.Preview("ever_exploited", "no")
	if err != nil || !slices.Equal(c.SetAside, []string{"trafficking_act", "still_under_control"}) {
		t.Fatalf("Preview = %+v, %v", c, err)
	}
	if !slices.Equal(events(s.Record()), before) {
		t.Fatal("Preview changed the interview")
	}
	same("preview")
	c, err = s.Answer("ever_exploited", "no")
	if err != nil || !slices.Equal(c.SetAside, []string{"trafficking_act", "still_under_control"}) {
		t.Fatalf("Answer after Preview = %+v, %v", c, err)
	}
	same("change")

	// Changed elsewhere meanwhile (paused in another terminal, say): the
	// answer applies to the record as stored, and nothing is lost.
	if _, err := st.Annotate(iv.ID, func(x *record.Interview) error {
		x.Audit = append(x.Audit, record.Paused(time.Now().UTC(), "Other"))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Preview("ever_exploited", "yes"); err != nil {
		t.Fatal(err)
	}
	c, err = s.Answer("ever_exploited", "yes")
	if err != nil || !slices.Equal(c.Restored, []string{"trafficking_act", "still_under_control"}) {
		t.Fatalf("Answer(yes) = %+v, %v", c, err)
	}
	same("restore")
	if !slices.Contains(events(s.Record()), "paused:") {
		t.Error("the pause made elsewhere was lost")
	}

	rest := fullAnswers(t, f, s.Answers())
	for _, q := range f.Questions {
		if _, has := s.Answers()[q.ID]; has {
			continue
		}
		if v, ok := rest[q.ID]; ok {
			if _, err := s.Answer(q.ID, v); err != nil {
				t.Fatalf("Answer(%s): %v", q.ID, err)
			}
		}
	}
	done, err := s.Complete()
	if err != nil {
		t.Fatal(err)
	}
	same("complete")
	if done.Status != record.StatusCompleted || s.Summary() == nil || s.Summary().GetString("outcome") != done.Outcome {
		t.Errorf("completed as %s with outcome %q; summary %v", done.Status, done.Outcome, s.Summary())
	}
}

// TestResumeInAnotherLanguage: a draft resumed with another language goes
// on in it, and its trail says from which language, so that a reader of a
// Spanish summary can see the interview began in French; resumed in its
// own language, the trail says only that it was resumed.
func TestResumeInAnotherLanguage(t *testing.T) {
	f := builtin(t)
	st := newStore(t)
	rec, err := Start(f, "T", "", "fr", func() (Store, error) { return st, nil })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rec.Answer("consent", "yes"); err != nil {
		t.Fatal(err)
	}
	id := rec.Record().ID
	for _, c := range []struct{ lang, from, to string }{{"fr", "", ""}, {"", "", ""}, {"es", "fr", "es"}} {
		iv, err := st.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Resume(st, iv, f, "T", c.lang)
		if err != nil {
			t.Fatal(err)
		}
		last := s.Record().Audit[len(s.Record().Audit)-1]
		from, to, ok := record.LanguageChange(last)
		if last.Event != record.EventResumed || ok != (c.to != "") || from != c.from || to != c.to {
			t.Errorf("resumed with --lang %q: last event %+v", c.lang, last)
		}
	}
	if iv, _ := st.Get(id); iv.Language != "es" {
		t.Errorf("the draft's language is %q after resuming in es", iv.Language)
	}
}
