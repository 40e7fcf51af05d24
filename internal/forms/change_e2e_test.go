package forms

// End-to-end tests of changing answers in a pseudo-terminal: a change
// that would drop later answers asks first, "no" keeps everything, "yes"
// sets them aside, changing back restores them; withdrawing consent on
// the review screen asks twice; an interview stopped before its first
// answer leaves nothing; a completed interview is amended at its review
// screen. Drafts are filled in line mode first, so these tests do not
// depend on how a first answer is chosen.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fieldscreen/internal/termtest"
)

// smallDraft answers the small flow up to "What help is needed?" in line
// mode: worked yes, paid partly, hours 9.
func smallDraft(t *testing.T, e *e2e) string {
	t.Helper()
	if _, stderr, code := e.runIn("\n1\n2\n9\n", "interview", "--accessible", "--flow", smallFlow(t)); code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, stderr)
	}
	return e.draftID()
}

func hasEvent(audit []string, ev string) bool {
	for _, a := range audit {
		if a == ev {
			return true
		}
	}
	return false
}

func TestE2EChangeAsksKeepsSetsAsideRestores(t *testing.T) {
	e := newE2E(t)
	id := smallDraft(t, e)
	term := e.start("interview", "--resume", id)
	term.WaitFor("What help is needed?", wait)
	for _, q := range []string{"Hours a day?", "Were you paid?", "Did you work abroad?"} {
		term.Send(termtest.Esc)
		term.WaitFor(q, wait)
	}
	term.WaitFor("> Yes", wait)

	// No: the screen names the questions whose answers would go, and
	// keeping (the choice already selected) keeps everything.
	term.Send(termtest.Down, termtest.Enter)
	for _, s := range []string{"Change this answer?", "these questions no longer apply", "• Were you paid?", "• Hours a day?",
		"Changing this answer back before the interview is completed brings them back.",
		"> No, keep the answer: Yes", "Yes, change it to: No"} {
		term.WaitFor(s, wait)
	}
	settle() // Enter on a screen just shown is ignored
	term.Send(termtest.Enter)
	term.WaitFor("Did you work abroad?", wait)
	term.WaitFor("> Yes", wait)
	if _, ans, audit := e.show(id); ans["worked"] != "yes" || ans["paid"] != "partly" || fmt.Sprint(ans["hours"]) != "9" || hasEvent(audit, "dropped:paid") {
		t.Fatalf("after keeping: %v %v", ans, audit)
	}
	// Esc on the question keeps it too.
	term.Send(termtest.Down, termtest.Enter)
	term.WaitFor("Change this answer?", wait)
	term.Send(termtest.Esc)
	term.WaitForNot("Change this answer?", wait)
	term.WaitFor("> Yes", wait)
	if _, ans, _ := e.show(id); ans["worked"] != "yes" || ans["paid"] != "partly" {
		t.Fatalf("after Esc: %v", ans)
	}

	// Yes: they are set aside, and the next screen says so.
	term.Send(termtest.Down, termtest.Enter)
	term.WaitFor("Change this answer?", wait)
	term.Send(termtest.Down, termtest.Enter)
	term.WaitFor("What help is needed?", wait)
	term.WaitFor("2 later answers no longer apply and were set aside: changing this answer back restores them.", wait)
	_, ans, audit := e.show(id)
	if ans["worked"] != "no" || ans["paid"] != nil || ans["hours"] != nil {
		t.Fatalf("after yes: %v", ans)
	}
	if _, ok := ans["paid"]; ok {
		t.Errorf("a set-aside answer is shown: %v", ans)
	}
	if !hasEvent(audit, "dropped:paid") || !hasEvent(audit, "dropped:hours") {
		t.Errorf("audit %v", audit)
	}
	if out := e.run("show", id, "--format", "json"); strings.Contains(out, "partly") {
		t.Error("show prints a set-aside answer")
	}

	// Back to Yes: nothing to lose, no question; both answers come back.
	term.Send(termtest.Esc)
	term.WaitFor("Did you work abroad?", wait)
	term.WaitFor("> No", wait)
	term.Send(termtest.Up, termtest.Enter)
	term.WaitFor("Were you paid?", wait)
	term.WaitFor("> Partly", wait)
	term.WaitFor("2 answers set aside earlier apply again and were restored.", wait)
	if strings.Contains(term.Screen(), "Change this answer?") {
		t.Error("asked to confirm a change that loses nothing")
	}
	term.Send(termtest.CtrlC)
	if code, _ := term.Wait(wait); code != 130 {
		t.Fatalf("exit %d after Ctrl-C", code)
	}
	_, ans, audit = e.show(id)
	if ans["worked"] != "yes" || ans["paid"] != "partly" || fmt.Sprint(ans["hours"]) != "9" {
		t.Errorf("after changing back: %v", ans)
	}
	if !hasEvent(audit, "restored:paid") || !hasEvent(audit, "restored:hours") {
		t.Errorf("audit %v", audit)
	}
}

// On the review screen, consent changed to "no" asks twice; "no" to
// either question keeps every answer. Withdrawn, the review lists consent
// alone; given again, every answer comes back.
func TestE2EReviewConsentNoAsksTwice(t *testing.T) {
	e := newE2E(t)
	stdin := strings.Join(fullInterview[:stepOf(t, "review")], "\n") + "\n"
	if _, stderr, code := e.runIn(stdin, "interview", "--accessible", "--interviewer", "T"); code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, stderr)
	}
	id := e.draftID()
	_, before, _ := e.show(id)
	term := e.start("interview", "--resume", id)
	term.WaitFor("Review the answers", wait)
	withdraw := func() {
		t.Helper()
		term.Send(termtest.Down, termtest.Enter)                // the first answer: consent
		term.WaitFor("Consent must be free and informed", wait) // the question, not the review
		term.WaitFor("> Yes, the person agrees", wait)
		term.Send(termtest.Down, termtest.Enter)
		term.WaitFor("Change this answer?", wait)
		term.WaitFor("• Are you in danger right now", wait)
		term.WaitFor("more", wait) // they do not all fit
		term.Send(termtest.Down, termtest.Enter)
		term.WaitFor("Does the person withdraw their consent?", wait)
		term.WaitFor("Ask the person again.", wait)
		term.WaitFor("> No, the person still agrees", wait)
	}
	withdraw()
	settle()
	term.Send(termtest.Enter) // No: keep
	term.WaitForNot("Does the person withdraw", wait)
	term.WaitFor("> Yes, the person agrees", wait)
	if _, ans, _ := e.show(id); len(ans) != len(before) || ans["consent"] != "yes" {
		t.Fatalf("after keeping consent: %d answers, consent %v", len(ans), ans["consent"])
	}
	settle()
	term.Send(termtest.Enter) // the same answer: back to the review
	term.WaitFor("Review the answers", wait)

	withdraw()
	term.Send(termtest.Down, termtest.Enter) // Yes: withdrawn
	term.WaitFor("Review the answers", wait)
	term.WaitFor("the person does not agree", wait)
	if scr := term.Screen(); strings.Contains(scr, "How old are you") {
		t.Errorf("the review lists answers set aside:\n%s", scr)
	}
	// Completing would erase them: the review says so before.
	term.WaitFor("answers set aside by a change will be erased when you", wait)
	if st, ans, audit := e.show(id); st != "draft" || len(ans) != 1 || ans["consent"] != "no" || !hasEvent(audit, "dropped:age") {
		t.Fatalf("withdrawn: %s %v", st, ans)
	}

	// Given again: nothing is lost, so nothing is asked; all come back.
	term.Send(termtest.Down, termtest.Enter)
	term.WaitFor("Consent must be free and informed", wait)
	term.Send(termtest.Up, termtest.Enter)
	term.WaitFor("Review the answers", wait)
	term.WaitFor("apply again and were restored", wait)
	term.WaitFor("Complete the interview", wait)
	if scr := term.Screen(); strings.Contains(scr, "will be erased") {
		t.Errorf("nothing is set aside, yet the review warns:\n%s", scr)
	}
	settle()
	term.Send(termtest.Enter)
	if code, err := term.Wait(wait); code != 0 || err != nil {
		t.Fatalf("exit %d, %v", code, err)
	}
	st, ans, audit := e.show(id)
	if st != "completed" || len(ans) != len(before) || fmt.Sprint(ans["age"]) != "30" || !hasEvent(audit, "restored:age") {
		t.Errorf("completed: %s, %d answers (want %d), age %v", st, len(ans), len(before), ans["age"])
	}
}

// Ctrl-C before the first answer records nothing and creates no store.
func TestE2ECtrlCBeforeFirstAnswer(t *testing.T) {
	e := newE2E(t)
	db := strings.TrimPrefix(e.env[0], "FIELDSCREEN_DB=")
	term := e.start("interview")
	term.WaitFor("Read this to the person", wait)
	term.Send(termtest.CtrlC)
	if code, _ := term.Wait(wait); code != 130 {
		t.Fatalf("exit %d after Ctrl-C, want 130", code)
	}
	if out := term.Output(); !strings.Contains(out, "nothing was recorded") || strings.Contains(out, "--resume") {
		t.Errorf("output: %q", out[max(0, len(out)-300):])
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a store was created: %v", err)
	}
}

// fieldscreen amend opens a completed interview at its review screen;
// the correction is saved when chosen, and Ctrl-C changes nothing.
func TestE2EAmendAtReview(t *testing.T) {
	e := newE2E(t)
	answers := filepath.Join(t.TempDir(), "a.yaml")
	if err := os.WriteFile(answers, []byte("answers:\n  worked: \"yes\"\n  paid: partly\n  hours: 9\n  needs: [medical]\n  name: calm\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.run("interview", "--answers", answers, "--flow", smallFlow(t), "--interviewer", "T")
	id := e.draftID()

	term := e.start("amend", id, "--reason", "the person was paid in full")
	term.WaitFor("Review the answers", wait)
	term.WaitFor("Correcting a completed interview", wait)
	term.WaitFor("> Save the correction", wait)
	term.Send(termtest.Down, termtest.Down, termtest.Enter) // paid
	term.WaitFor("Were you paid?", wait)
	term.WaitFor("> Partly", wait)
	term.Send(termtest.Up, termtest.Enter)
	term.WaitFor("Review the answers", wait)
	term.WaitFor("Were you paid? → Fully", wait)
	settle()
	term.Send(termtest.Enter)
	if code, err := term.Wait(wait); code != 0 || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, term.Output())
	}
	if out := term.Output(); !strings.Contains(out, "Corrected interview") || !strings.Contains(out, "Changed: Were you paid?") {
		t.Errorf("no report of the correction:\n%s", out)
	}
	st, ans, audit := e.show(id)
	if st != "completed" || ans["paid"] != "fully" || !hasEvent(audit, "changed:paid") || !hasEvent(audit, "amended:") {
		t.Errorf("after amend: %s %v %v", st, ans, audit)
	}
	if out := e.run("show", id, "--format", "json"); !strings.Contains(out, `"detail": "the person was paid in full"`) {
		t.Error("the reason is not in the audit trail")
	}

	// Stopped before saving: nothing changes, even answers set aside.
	term = e.start("amend", id, "--reason", "a mistake")
	term.WaitFor("> Save the correction", wait)
	term.Send(termtest.Down, termtest.Enter) // worked
	term.WaitFor("Ask gently.", wait)        // its hint: the question, not the review
	term.WaitFor("> Yes", wait)
	term.Send(termtest.Down, termtest.Enter)
	term.WaitFor("Change this answer?", wait)
	term.Send(termtest.Down, termtest.Enter)
	term.WaitFor("Review the answers", wait)
	term.Send(termtest.CtrlC)
	if code, _ := term.Wait(wait); code != 130 {
		t.Fatalf("exit %d after Ctrl-C, want 130", code)
	}
	if out := term.Output(); !strings.Contains(out, "stopped; nothing was changed") {
		t.Errorf("output: %q", out[max(0, len(out)-300):])
	}
	if _, ans, audit2 := e.show(id); ans["worked"] != "yes" || ans["paid"] != "fully" || fmt.Sprint(ans["hours"]) != "9" || len(audit2) != len(audit) {
		t.Errorf("after Ctrl-C: %v, %d audit events (was %d)", ans, len(audit2), len(audit))
	}
}
