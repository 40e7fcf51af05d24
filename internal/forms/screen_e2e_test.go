package forms

// End-to-end tests of the question screens in a real pseudo-terminal:
// Enter that nobody meant saves nothing, Esc goes back through a
// section's intro, and the screen fits the terminal.

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fieldscreen/internal/termtest"
)

// settle waits out the Enter guard of a screen that has just appeared,
// as a person reading it would.
func settle() { time.Sleep(enterGuard + 150*time.Millisecond) }

// cursor is the line of the option under the cursor (the page's border,
// then "> ").
const cursor = "┃ > "

// answers returns the answers of the only interview in the store; none
// if there is no store or no interview (an interview stopped before its
// first answer is not kept).
func (e *e2e) answers() (map[string]any, []string) {
	e.t.Helper()
	for _, kv := range e.env {
		if db, ok := strings.CutPrefix(kv, "FIELDSCREEN_DB="); ok {
			if _, err := os.Stat(db); err != nil {
				return map[string]any{}, nil
			}
		}
	}
	if ids := idPattern.FindAllString(e.run("list", "--format", "json"), -1); len(ids) > 0 {
		_, ans, audit := e.show(ids[0])
		return ans, audit
	}
	return map[string]any{}, nil
}

// Enter pressed twice, then held down, on the consent intro: the consent
// question appears, with no option under the cursor, and nothing is
// recorded.
func TestE2EDoubleEnterOnIntroRecordsNothing(t *testing.T) {
	e := newE2E(t)
	term := termtest.Start(t, binPath, []string{"interview"}, e.env, 80, 24)
	term.WaitFor("Read this to the person", wait)
	settle()
	term.Send(termtest.Enter, termtest.Enter)
	term.WaitFor("Do you agree to answer", wait)
	for range 25 { // held: repeats every 40 ms for a second
		term.Send(termtest.Enter)
		time.Sleep(40 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	scr := term.Screen()
	if !strings.Contains(scr, "Do you agree to answer") || strings.Contains(scr, cursor) {
		t.Errorf("after Enter twice and held on the intro:\n%s", scr)
	}
	term.Send(termtest.CtrlC)
	if code, _ := term.Wait(wait); code != 130 {
		t.Fatalf("exit %d after Ctrl-C, want 130", code)
	}
	if ans, _ := e.answers(); len(ans) > 0 {
		t.Errorf("answers recorded: %v", ans)
	}
}

// Enter twice on an intro that comes before a question already answered,
// where Enter alone would keep the answer and go on: the second Enter is
// ignored, and the screen says so.
func TestE2EDoubleEnterOnIntroBeforeAnsweredQuestion(t *testing.T) {
	e := newE2E(t)
	term := e.start("interview", "--flow", smallFlow(t))
	answer(term, "Read this first.", termtest.Enter)
	answer(term, "Did you work abroad?", termtest.Down, termtest.Enter) // Yes
	term.WaitFor("Were you paid?", wait)
	term.Send(termtest.Esc)
	term.WaitFor("Did you work abroad?", wait)
	term.Send(termtest.Esc)
	term.WaitFor("Read this first.", wait)
	settle()
	term.Send(termtest.Enter, termtest.Enter)
	term.WaitFor("Enter ignored: this screen had only just appeared.", wait)
	if scr := term.Screen(); !strings.Contains(scr, "Did you work abroad?") || !strings.Contains(scr, cursor+"Yes") {
		t.Errorf("after Enter twice on the intro:\n%s", scr)
	}
	settle()
	term.Send(termtest.Enter) // read: keeps Yes
	term.WaitFor("Were you paid?", wait)
	term.Send(termtest.CtrlC)
	term.Wait(wait)
	if _, audit := e.answers(); slices.ContainsFunc(audit, func(a string) bool { return strings.HasPrefix(a, "changed:") }) {
		t.Errorf("an answer changed: %v", audit)
	}
}

// Enter on a question nobody has moved on saves nothing, and says why;
// accessible mode refuses an empty line on a required question.
func TestE2EEnterOnUntouchedQuestionSavesNothing(t *testing.T) {
	e := newE2E(t)
	term := e.start("interview", "--flow", smallFlow(t))
	answer(term, "Read this first.", termtest.Enter)
	term.WaitFor("Did you work abroad?", wait)
	settle()
	term.Send(termtest.Enter)
	term.WaitFor("Nothing saved: first choose an answer with ↑/↓.", wait)
	if scr := term.Screen(); strings.Contains(scr, cursor) {
		t.Errorf("a cursor before any move:\n%s", scr)
	}
	term.Send(termtest.CtrlC)
	term.Wait(wait)
	if ans, _ := e.answers(); len(ans) > 0 {
		t.Errorf("answers recorded: %v", ans)
	}

	// Line mode, in the same pty: the intro, then an empty line on
	// consent (required), which is refused.
	term = e.start("interview", "--accessible")
	term.WaitFor("Press Enter to continue.", wait)
	settle()
	term.Type("\r")
	term.WaitFor("Type a number", wait)
	settle()
	term.Type("\r")
	term.WaitFor("Not saved: this question needs an answer. Try again.", wait)
	term.Type("q\r")
	term.Wait(wait)
}

// In line mode in a terminal, an empty line typed twice on an intro does
// not leave the next (optional) question unanswered.
func TestE2EAccessibleDoubleEnter(t *testing.T) {
	e := newE2E(t)
	term := e.start("interview", "--accessible", "--flow", smallFlow(t))
	term.WaitFor("Press Enter to continue.", wait)
	settle()
	term.Type("\r\r")
	term.WaitFor("Enter ignored: this screen had only just appeared.", wait)
	term.Type("1\r")
	term.WaitFor("Saved: Yes", wait)
	term.Type("q\r")
	term.Wait(wait)
	ans, audit := e.answers()
	if ans["worked"] != "yes" || strings.Count(strings.Join(audit, " "), ":worked") != 1 {
		t.Errorf("answers %v, audit %v", ans, audit)
	}
}

// Esc from a section's first question shows the section's intro, and
// from the intro the question before; going forward shows the intro
// again, and the answer given stays selected.
func TestE2EEscFromFirstQuestionShowsIntro(t *testing.T) {
	e := newE2E(t)
	term := termtest.Start(t, binPath, []string{"interview"}, e.env, 80, 24)
	answer(term, "Read this to the person", termtest.Enter)
	answer(term, "Do you agree to answer", termtest.Down, termtest.Enter)
	answer(term, "Before anything else, check", termtest.Enter)
	term.WaitFor("Is the interview private", wait)
	term.Send(termtest.Esc)
	term.WaitFor("Before anything else, check", wait) // the section's intro
	term.Send(termtest.Esc)
	term.WaitFor("Do you agree to answer", wait)
	term.WaitFor(cursor+"Yes, the person agrees", wait)
	term.Send(termtest.Esc)
	term.WaitFor("Read this to the person", wait)
	term.Send(termtest.Esc) // the first screen: stays
	time.Sleep(200 * time.Millisecond)
	term.WaitFor("Read this to the person", wait)
	answer(term, "Read this to the person", termtest.Enter)
	answer(term, "Do you agree to answer", termtest.Enter) // keeps Yes
	term.WaitFor("Before anything else, check", wait)      // again
	answer(term, "Before anything else, check", termtest.Enter)
	term.WaitFor("Is the interview private", wait)
	term.Send(termtest.CtrlC)
	term.Wait(wait)
	if ans, _ := e.answers(); ans["consent"] != "yes" || len(ans) != 1 {
		t.Errorf("answers %v", ans)
	}
}

// draftAt makes a draft of the built-in flow in lang with the answers of
// fullSteps up to screen, in line mode, and returns its ID.
func (e *e2e) draftAt(t *testing.T, screen, lang string) string {
	lines := slices.Clone(fullInterview[:stepOf(t, screen)])
	if lang == "fr" {
		lines[slices.Index(lines, "y")] = "o" // ever_exploited: "oui"
	}
	stdin := strings.Join(lines, "\n") + "\n"
	if _, stderr, code := e.runIn(stdin, "interview", "--accessible", "--interviewer", "T", "--lang", lang); code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, stderr)
	}
	return e.draftID()
}

// fits fails the test unless the screen has no more than rows lines and
// its last line says how to pause.
func fits(t *testing.T, term *termtest.Term, rows int, pause string) {
	t.Helper()
	lines := strings.Split(term.Screen(), "\n")
	if len(lines) > rows || !strings.Contains(lines[len(lines)-1], pause) {
		t.Errorf("the screen does not fit %d rows with %q last:\n%s", rows, pause, term.Screen())
	}
}

// At 60×20, in French, the longest list (labour_indicators: 12 options,
// don't know and declined) keeps the cursor on screen from top to bottom,
// says when there is more above or below, and keeps how to pause on the
// last line; the window grown to 200×50 shows every option, shrunk to
// 50×16 still the cursor, and below the smallest size a message.
func TestE2ELongestList60x20(t *testing.T) {
	e := newE2E(t)
	id := e.draftAt(t, "labour_indicators", "fr")
	term := termtest.Start(t, binPath, []string{"interview", "--resume", id}, e.env, 60, 20)
	term.WaitFor("Pendant cette période", wait)
	term.WaitFor("↓ suite plus bas", wait)
	fits(t, term, 20, "ctrl+c pause")
	labels := []string{
		"Quelqu'un a profité de votre situation difficile",
		"On vous a menti sur le travail ou le salaire",
	}
	for i := range 14 {
		term.Send(termtest.Down)
		if i < len(labels) {
			term.WaitFor(cursor+"• "+labels[i], wait)
		}
		if !term.WaitForFunc(func(s string) bool { return strings.Contains(s, cursor) }, wait) {
			t.Fatalf("option %d: the cursor is off screen:\n%s", i, term.Screen())
		}
		fits(t, term, 20, "ctrl+c pause")
	}
	term.WaitFor(cursor+"• Ne souhaite pas répondre", wait)
	term.WaitFor("↑ suite plus haut", wait)
	if strings.Contains(term.Screen(), "↓ suite plus bas") {
		t.Errorf("more below the last option:\n%s", term.Screen())
	}
	term.Send(termtest.Up, termtest.Space) // checks "Ne sait pas", the option above
	term.Resize(200, 50)
	term.WaitForNot("↑ suite plus haut", wait)
	for _, l := range []string{labels[0], "Ne souhaite pas répondre", "Lisez les options une par une"} {
		term.WaitFor(l, wait)
	}
	fits(t, term, 50, "ctrl+c pause")
	term.Resize(50, 16)
	term.WaitFor("↑ suite plus haut", wait)
	term.WaitFor(cursor+"✓ Ne sait pas", wait)
	fits(t, term, 16, "ctrl+c pause")
	term.Resize(40, 12)
	term.WaitFor("trop petite", wait)
	fits(t, term, 12, "ctrl+c pause")
	term.Resize(60, 20)
	term.WaitFor(cursor+"✓ Ne sait pas", wait)
	term.Send(termtest.CtrlC)
	if code, _ := term.Wait(wait); code != 130 {
		t.Fatalf("exit %d", code)
	}
	if st, ans, _ := e.show(id); st != "draft" || ans["labour_indicators"] != nil {
		t.Errorf("%s %v", st, ans)
	}
}

// Started in a window below the smallest size, in Spanish, the form asks
// for a bigger one and takes no key but pause; made bigger, it shows the
// intro.
func TestE2ETooSmallThenResize(t *testing.T) {
	e := newE2E(t)
	term := termtest.Start(t, binPath, []string{"interview", "--lang", "es"}, e.env, 40, 12)
	term.WaitFor("Esta ventana es demasiado pequeña", wait)
	term.WaitFor(fmt.Sprintf("al menos a %d", minWidth), wait)
	fits(t, term, 12, "ctrl+c pausa")
	settle()
	term.Send(termtest.Enter, termtest.Down, termtest.Enter)
	time.Sleep(300 * time.Millisecond) // read while the window is too small
	term.Resize(60, 20)
	term.WaitFor("Lea este texto a la persona", wait)
	fits(t, term, 20, "ctrl+c pausa")
	answer(term, "Lea este texto a la persona", termtest.Enter)
	term.WaitFor("¿Acepta responder", wait)
	fits(t, term, 20, "ctrl+c pausa")
	term.Send(termtest.CtrlC)
	term.Wait(wait)
	if ans, _ := e.answers(); len(ans) > 0 {
		t.Errorf("answers recorded: %v", ans)
	}
}

// Two Enters in one read (a fast double press, a paste, a remote
// terminal's buffering) on the consent intro: the second reaches the old
// form before the consent question appears. It must neither end the
// interview nor answer or skip the question.
func TestE2EDoubleEnterInOneRead(t *testing.T) {
	e := newE2E(t)
	term := termtest.Start(t, binPath, []string{"interview"}, e.env, 80, 24)
	term.WaitFor("Read this to the person", wait)
	settle()
	term.Type(termtest.Enter + termtest.Enter)
	term.WaitFor("Do you agree to answer", wait)
	time.Sleep(300 * time.Millisecond)
	if scr := term.Screen(); !strings.Contains(scr, "Do you agree to answer") || strings.Contains(scr, cursor) {
		t.Errorf("after two Enters in one read on the intro:\n%s", scr)
	}
	settle()
	term.Send(termtest.Enter) // untouched: nothing saved, the question stays
	time.Sleep(300 * time.Millisecond)
	if scr := term.Screen(); !strings.Contains(scr, "Do you agree to answer") {
		t.Errorf("Enter on the untouched consent question left it:\n%s", scr)
	}
	term.Send(termtest.CtrlC)
	if code, _ := term.Wait(wait); code != 130 {
		t.Fatalf("exit %d after Ctrl-C, want 130 (the interview ended earlier?)", code)
	}
	if ans, _ := e.answers(); len(ans) > 0 {
		t.Errorf("answers recorded: %v", ans)
	}
}
