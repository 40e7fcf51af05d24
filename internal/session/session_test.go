package session

import (
	"path/filepath"
	"testing"
	"time"

	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

func TestAnswerDropsHiddenAndAudits(t *testing.T) {
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Create(filepath.Join(t.TempDir(), "s.db"), []byte("session test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	iv, err := New(st, f, "Tester", "LOC-1", "en", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		q string
		v any
	}{{"consent", "yes"}, {"ever_exploited", "yes"}, {"trafficking_act", []string{"recruited"}}, {"still_under_control", "no"}} {
		if dropped, err := Answer(iv, f, a.q, a.v, now); err != nil || len(dropped) != 0 {
			t.Fatalf("Answer(%s) dropped %v, err %v", a.q, dropped, err)
		}
	}
	if iv.Consent == nil || !iv.Consent.Given || iv.Consent.Language != "en" || !iv.Consent.At.Equal(now) {
		t.Errorf("consent = %+v, want given in en at %v", iv.Consent, now)
	}
	dropped, err := Answer(iv, f, "ever_exploited", "no", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(dropped) != 2 || dropped[0] != "trafficking_act" || dropped[1] != "still_under_control" {
		t.Errorf("dropped = %v, want [trafficking_act still_under_control]", dropped)
	}
	if _, ok := iv.Answer("trafficking_act"); ok {
		t.Error("trafficking_act is still answered after ever_exploited changed to no")
	}
	var events []string
	for _, e := range iv.Audit {
		events = append(events, e.Event+":"+e.QuestionID)
	}
	want := []string{"created:", "answered:consent", "answered:ever_exploited", "answered:trafficking_act", "answered:still_under_control",
		"changed:ever_exploited", "dropped:trafficking_act", "dropped:still_under_control"}
	if len(events) != len(want) {
		t.Fatalf("audit = %v, want %v", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Errorf("audit[%d] = %s, want %s", i, events[i], want[i])
		}
	}
	if err := Complete(iv, f, now); err != nil {
		t.Fatal(err)
	}
	if iv.Status != store.StatusCompleted || iv.Outcome == "" || iv.CompletedAt == nil {
		t.Errorf("after Complete: status %s, outcome %q, completed %v", iv.Status, iv.Outcome, iv.CompletedAt)
	}
}
