package forms

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fieldscreen/internal/record"
)

// In line mode, a change that drops answers asks first: n or Enter keep
// the answer, y sets the others aside, and changing back restores them.
func TestAccessibleChangeAsksFirst(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	lines := append(slices.Clone(fullInterview[:stepOf(t, "trafficking_act")+1]),
		"b", "b", // from trafficking_means back to ever_exploited
		"n", "n", // no: asked, and kept
		"n", "", // no: asked, and Enter keeps too
		"n", "y", // no: asked, and changed
		"b", "y", // back, and yes again: nothing to lose, restored
		"q")
	_, out, err := runPlain(t, st, f, id, lines...)
	if !errors.Is(err, ErrQuit) {
		t.Fatalf("err = %v, want ErrQuit\n%s", err, out)
	}
	for _, want := range []string{
		"Change this answer?\nWith the new answer, these questions no longer apply, and their answers will be set aside:\n" +
			"  - How did this start? Did someone recruit you, move you, hand you over, keep you somewhere or receive you?\n" +
			"Changing this answer back before the interview is completed brings them back.\n" +
			"Type y for \"Yes, change it to: No\", or n (or Enter) for \"No, keep the answer: Yes\".\n",
		"Kept: Yes",
		"Saved: No\n1 later answer no longer applies and was set aside: changing this answer back restores it.",
		"Saved: Yes\n1 answer set aside earlier applies again and was restored.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if n := strings.Count(out, "Change this answer?"); n != 3 {
		t.Errorf("asked %d times, want 3", n)
	}
	iv := get(t, st, id)
	wantAnswers(t, iv, map[string]any{"ever_exploited": "yes", "trafficking_act": []string{"recruited", "transported"}})
	if got := events(iv, record.EventDropped); !slices.Equal(got, []string{"trafficking_act"}) {
		t.Errorf("dropped %v", got)
	}
	if got := events(iv, record.EventRestored); !slices.Equal(got, []string{"trafficking_act"}) {
		t.Errorf("restored %v", got)
	}
	if iv.SetAside != nil {
		t.Errorf("still set aside: %v", iv.SetAside)
	}
}

// Consent changed to no on the review screen asks twice; given again,
// every answer comes back.
func TestAccessibleReviewConsentAsksTwice(t *testing.T) {
	st, f := newStore(t), builtin(t)
	id := newInterview(t, st, f)
	n := strconv.Itoa(reviewNumber(t, "consent"))
	lines := append(slices.Clone(fullInterview[:len(fullInterview)-1]),
		n, "2", "y", "n", // the second question keeps consent
		"",               // consent: Enter keeps yes; the review again
		n, "2", "y", "y", // withdrawn
		"1", "1", // the review lists consent alone; given again
		"c")
	done, out, err := runPlain(t, st, f, id, lines...)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	if c := strings.Count(out, "Does the person withdraw their consent?"); c != 2 {
		t.Errorf("second question asked %d times, want 2\n%s", c, out)
	}
	alone := regexp.MustCompile("Review the answers before completing the interview.\n" +
		"  1. Do you agree to answer some questions so that we can see what help and protection you may need\\?: No, the person does not agree\n" +
		// Completing would erase the answers set aside: said before.
		"[0-9]+ answers set aside by a change will be erased when you complete the interview; changing that answer back restores them.\n" +
		"Type c to complete")
	if !alone.MatchString(out) {
		t.Errorf("the review after withdrawal does not list consent alone, with the answers set aside\n%s", out)
	}
	if !strings.Contains(out, "apply again and were restored") {
		t.Error("no note of the answers restored")
	}
	if done.Status != record.StatusCompleted || done.SetAside != nil || len(done.Answers) != len(fullInterview)-len(intros()) {
		t.Errorf("completed: status %s, %d answers, set aside %v", done.Status, len(done.Answers), done.SetAside)
	}
	if done.Consent == nil || !done.Consent.Given {
		t.Errorf("consent %+v", done.Consent)
	}
}

// intros are the lines of fullSteps that answer no question.
func intros() []step {
	var out []step
	for _, s := range fullSteps {
		if strings.HasSuffix(s.screen, " intro") || s.screen == "review" {
			out = append(out, s)
		}
	}
	return out
}
