package forms

// End-to-end tests of the real fieldscreen binary in a pseudo-terminal:
// what an interviewer sees and types, and what the store holds after.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"fieldscreen/internal/termtest"
)

var (
	binPath  string // the built fieldscreen, "" when it could not be built
	binError string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "forms-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin := filepath.Join(dir, "fieldscreen")
	build := exec.Command("go", "build", "-o", bin, "./cmd/fieldscreen")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		binError = fmt.Sprintf("cannot build cmd/fieldscreen (%v):\n%s", err, out)
	} else {
		binPath = bin
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

const wait = 10 * time.Second

type e2e struct {
	t   *testing.T
	env []string
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test; -short")
	}
	if binPath == "" {
		t.Skip(binError)
	}
	dir := t.TempDir()
	return &e2e{t: t, env: []string{
		"FIELDSCREEN_DB=" + filepath.Join(dir, "s.db"),
		"FIELDSCREEN_PASSPHRASE=test-pass",
		"TERM=xterm-256color",
	}}
}

func (e *e2e) start(args ...string) *termtest.Term {
	return termtest.Start(e.t, binPath, args, e.env, 100, 32)
}

// run runs a non-interactive command and returns its stdout.
func (e *e2e) run(args ...string) string {
	e.t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = append(os.Environ(), e.env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		e.t.Fatalf("fieldscreen %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

type shown struct {
	Status  string `json:"status"`
	Answers []struct {
		ID    string `json:"id"`
		Value any    `json:"value"`
	} `json:"answers"`
	Audit []struct {
		Event      string `json:"event"`
		QuestionID string `json:"question_id"`
	} `json:"audit"`
}

// show reads an interview through `fieldscreen show ID --format json`.
func (e *e2e) show(id string) (status string, answers map[string]any, audit []string) {
	e.t.Helper()
	out := e.run("show", id, "--format", "json")
	var s shown
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		e.t.Fatalf("show --format json: %v\n%s", err, out)
	}
	answers = map[string]any{}
	for _, a := range s.Answers {
		answers[a.ID] = a.Value
	}
	for _, a := range s.Audit {
		audit = append(audit, a.Event+":"+a.QuestionID)
	}
	return s.Status, answers, audit
}

var idPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// draftID returns the only interview in the store.
func (e *e2e) draftID() string {
	e.t.Helper()
	out := e.run("list", "--format", "json")
	ids := idPattern.FindAllString(out, -1)
	if len(ids) == 0 {
		e.t.Fatalf("no interview listed:\n%s", out)
	}
	return ids[0]
}

func smallFlow(t *testing.T) string {
	p, err := filepath.Abs("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// answer waits for a question, then sends keys (after the Enter guard,
// if they start with Enter).
func answer(term *termtest.Term, question string, keys ...string) {
	term.WaitFor(question, wait)
	if len(keys) > 0 && keys[0] == termtest.Enter {
		settle()
	}
	term.Send(keys...)
	term.WaitForNot(question, wait)
}

func TestE2ESmallFlowAndBack(t *testing.T) {
	e := newE2E(t)
	term := e.start("interview", "--flow", smallFlow(t), "--interviewer", "T")
	term.WaitFor("Section 1 of 2: First part", wait)
	answer(term, "Read this first.", termtest.Enter)
	answer(term, "Did you work abroad?", termtest.Down, termtest.Enter)          // Yes
	answer(term, "Were you paid?", termtest.Down, termtest.Down, termtest.Enter) // Partly
	term.WaitFor("Hours a day?", wait)
	term.Type("22")
	term.Send(termtest.Enter)
	term.WaitFor("Nobody works more than 20 hours", wait) // the author's message
	term.Send(termtest.Backspace, termtest.Backspace)
	term.Type("9")
	term.Send(termtest.Enter)
	term.WaitFor("What help is needed?", wait)
	term.WaitFor("Section 2 of 2: Second part", wait)

	// Back three times to "worked", Yes preselected; change it to No.
	term.Send(termtest.Esc)
	term.WaitFor("Hours a day?", wait)
	term.Send(termtest.Esc)
	term.WaitFor("Were you paid?", wait)
	term.Send(termtest.Esc)
	term.WaitFor("Did you work abroad?", wait)
	term.Send(termtest.Down, termtest.Enter) // No
	term.WaitFor("Change this answer?", wait)
	term.Send(termtest.Down, termtest.Enter) // Yes, change it (change_e2e_test.go has the rest)
	term.WaitFor("What help is needed?", wait)
	term.WaitFor("2 later answers no longer apply and were set aside", wait)

	// Multi: Don't know with another choice is refused.
	term.Send(termtest.Down, termtest.Space, termtest.Down, termtest.Down, termtest.Down, termtest.Down, termtest.Space, termtest.Enter)
	term.WaitFor("stand alone", wait)
	term.Send(termtest.Space, termtest.Enter) // unselect Don't know
	term.WaitFor("Interviewer's note", wait)
	settle()
	term.Send(termtest.Enter)
	term.WaitFor("this question needs an answer", wait)
	term.Type("calm")
	term.Send(termtest.Enter)
	term.WaitFor("Review the answers", wait)
	term.WaitFor("Did you work abroad? → No", wait)
	settle()
	term.Send(termtest.Enter) // Complete the interview
	term.WaitFor("Screening summary", wait)
	if code, err := term.Wait(wait); code != 0 || err != nil {
		t.Fatalf("exit %d, %v", code, err)
	}

	status, ans, audit := e.show(e.draftID())
	if status != "completed" {
		t.Errorf("status %q", status)
	}
	if ans["worked"] != "no" || ans["name"] != "calm" || fmt.Sprint(ans["needs"]) != "[medical]" {
		t.Errorf("answers %v", ans)
	}
	if _, ok := ans["paid"]; ok {
		t.Errorf("paid kept after worked=no: %v", ans)
	}
	joined := strings.Join(audit, " ")
	for _, want := range []string{"changed:worked", "dropped:paid", "dropped:hours", "completed:"} {
		if !strings.Contains(joined, want) {
			t.Errorf("audit lacks %s: %v", want, audit)
		}
	}
}

func TestE2ECtrlCThenResume(t *testing.T) {
	e := newE2E(t)
	term := e.start("interview", "--flow", smallFlow(t))
	answer(term, "Read this first.", termtest.Enter)
	answer(term, "Did you work abroad?", termtest.Down, termtest.Enter)
	term.WaitFor("Were you paid?", wait)
	term.Send(termtest.CtrlC)
	code, _ := term.Wait(wait)
	if code != 130 {
		t.Fatalf("exit %d after Ctrl-C, want 130\n%s", code, term.Screen())
	}
	if !strings.Contains(term.Screen(), "--resume") {
		t.Errorf("no resume hint:\n%s", term.Screen())
	}
	id := e.draftID()
	if st, ans, _ := e.show(id); st != "draft" || ans["worked"] != "yes" {
		t.Fatalf("after Ctrl-C: %s %v", st, ans)
	}

	term = e.start("interview", "--resume", id)
	term.WaitFor("Were you paid?", wait) // the first unanswered question
	if strings.Contains(term.Screen(), "Read this first.") {
		t.Error("intro shown again on resume")
	}
	term.Send(termtest.Down, termtest.Enter)                            // Fully
	answer(term, "Hours a day?", termtest.Enter)                        // left unanswered
	answer(term, "What help is needed?", termtest.Down, termtest.Enter) // nothing chosen
	term.WaitFor("Interviewer's note", wait)
	term.Type("ok")
	term.Send(termtest.Enter)
	answer(term, "Review the answers", termtest.Enter)
	if code, err := term.Wait(wait); code != 0 || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, term.Screen())
	}
	st, ans, _ := e.show(id)
	if st != "completed" || ans["paid"] != "fully" || ans["hours"] != nil || ans["needs"] != nil {
		t.Errorf("%s %v", st, ans)
	}
	if _, ok := ans["hours"]; !ok {
		t.Error("hours has no entry; want a recorded skip (null)")
	}
}

func TestE2EKillKeepsEveryAnswer(t *testing.T) {
	e := newE2E(t)
	term := e.start("interview", "--flow", smallFlow(t))
	answer(term, "Read this first.", termtest.Enter)
	answer(term, "Did you work abroad?", termtest.Down, termtest.Enter)
	answer(term, "Were you paid?", termtest.Down, termtest.Down, termtest.Down, termtest.Enter)
	term.WaitFor("Hours a day?", wait)
	term.Type("8")
	term.Send(termtest.Enter)
	// The next screen is drawn only after the answer is saved, so once it
	// is up, a kill must not lose it.
	term.WaitFor("What help is needed?", wait)
	term.Send(termtest.Space) // something on screen, not yet given
	term.Signal(syscall.SIGKILL)
	if code, _ := term.Wait(wait); code != 128+int(syscall.SIGKILL) {
		t.Fatalf("exit %d", code)
	}
	id := e.draftID()
	st, ans, _ := e.show(id)
	if st != "draft" || ans["worked"] != "yes" || ans["paid"] != "never" || fmt.Sprint(ans["hours"]) != "8" {
		t.Fatalf("after SIGKILL: %s %v", st, ans)
	}
	if _, ok := ans["needs"]; ok {
		t.Errorf("the question on screen was saved: %v", ans)
	}
	term = e.start("interview", "--resume", id)
	term.WaitFor("What help is needed?", wait)
}

func TestE2EAccessibleInPty(t *testing.T) {
	e := newE2E(t)
	term := e.start("interview", "--accessible", "--flow", smallFlow(t))
	steps := []struct{ prompt, line string }{
		{"Press Enter to continue.", ""},
		{"Did you work abroad?", "2"},
		{"What help is needed?", "1,3"},
		{"Interviewer's note", "seen"},
		{"Type c to complete", "c"},
	}
	for _, s := range steps {
		term.WaitFor(s.prompt, wait)
		if s.line == "" {
			settle() // an empty line right after a prompt is ignored
		}
		term.Type(s.line + "\r")
	}
	term.WaitFor("Screening summary", wait)
	if code, err := term.Wait(wait); code != 0 || err != nil {
		t.Fatalf("exit %d, %v", code, err)
	}
	if term.AltScreen() {
		t.Error("accessible mode left the alternate screen on")
	}
	st, ans, _ := e.show(e.draftID())
	if st != "completed" || ans["worked"] != "no" || fmt.Sprint(ans["needs"]) != "[medical legal]" {
		t.Errorf("%s %v", st, ans)
	}
}

// TestE2EBuiltinFlowWithArrowKeys takes one whole interview on the
// built-in flow (2.0.0) with arrow keys, space and enter, through every
// section it shows an adult trafficked abroad, to the summary; on the way,
// the observations are marked and the referral consent question shows the
// referrals the answers lead to.
func TestE2EBuiltinFlowWithArrowKeys(t *testing.T) {
	e := newE2E(t)
	term := e.start("interview", "--interviewer", "A. Officer")
	D, S, E := termtest.Down, termtest.Space, termtest.Enter
	text := func(s string) string { return s } // typed as one write
	const observation = "(Observation — do not read aloud)"
	steps := []struct {
		screen string
		keys   []string
	}{
		{"Read this to the person", []string{E}},
		{"Do you agree to answer", []string{D, E}},
		{"Before anything else, check", []string{E}},
		{"Is the interview private", []string{D, E}},
		{"Are you in danger right now", []string{D, D, E}},
		{"Do you need medical care urgently", []string{D, D, E}},
		{"How old are you?", []string{text("30"), E}},
		{"Could the person be under 18?", []string{D, D, E}},
		{"How do you describe your gender?", []string{D, E}},
		{"Which country are you from?", []string{text("Syria"), E}},
		{"Does any country recognise you", []string{D, E}},
		{"Where is the person now?", []string{D, D, D, E}},
		{"Did you leave your home or your country", []string{D, D, E}},
		{"The next questions may bring back", []string{E}},
		{"Has anyone ever forced you", []string{D, E}},
		{"How did this start?", []string{D, S, D, S, E}},
		{"How did they make you do it", []string{D, D, D, D, D, S, E}},
		{"What were you made to do?", []string{D, D, S, E}},
		{"Where did this happen?", []string{D, D, E}},
		{"Were you under 18 when what you have told me about", []string{D, D, E}},
		{"While this was happening", []string{D, D, D, S, E}},
		{"Was anyone in your family involved", []string{D, D, E}},
		{"still controlling you", []string{D, D, E}},
		{"formally identified you", []string{D, D, E}},
		{"These questions are about what the person fears", []string{E}},
		{"Are you afraid that something serious", []string{D, E}},
		{"Has anything serious happened to you", []string{D, D, E}},
		{"What are you afraid would happen to you?", []string{D, S, E}},
		{"Who are you afraid of?", []string{D, S, E}},
		{"Do you think this happened, or could happen", []string{D, D, D, D, D, D, D, S, E}},
		{"Could the police or other authorities", []string{D, D, E}},
		{"Ask only if the interview is private", []string{E}},
		{"Has anyone ever hurt you sexually", []string{D, D, D, D, E}},
		{"Which of these are true for you now?", []string{D, D, D, S, E}},
		{"Is anyone threatening or harming you here", []string{D, D, E}},
		{"Are people here treating you badly", []string{D, D, E}},
		{"Do you feel that you cannot recover", []string{D, D, D, E}},
		{"Have you applied for asylum", []string{D, E}},
		{"Do you know that you can ask for asylum", []string{D, E}},
		{"at risk of being detained", []string{D, D, E}},
		{"Are you part of a police investigation", []string{D, D, E}},
		{"afraid of revenge", []string{D, E}},
		{"may be passed on to the police", []string{D, D, E}},
		{"What help do you need now?", []string{D, S, E}},
		{"Do you need an interpreter", []string{D, E}},
		{"Which language do you prefer", []string{text("Arabic"), E}},
		{"Can you read information", []string{D, E}},
		{"Do you wish to go back", []string{D, D, E}},
		{"Go through each referral the screen shows", []string{E}},
	}
	observations := map[string]bool{"Is the interview private": true, "Could the person be under 18?": true, "Where is the person now?": true}
	for _, s := range steps {
		term.WaitFor(s.screen, wait)
		if got := strings.Contains(term.Screen(), observation); got != observations[s.screen] {
			t.Errorf("%q: observation marked %v, want %v\n%s", s.screen, got, observations[s.screen], term.Screen())
		}
		if s.keys[0] == E {
			settle() // an intro or note, right after the screen before
		}
		term.Send(s.keys...)
		term.WaitForNot(s.screen, wait)
	}
	term.WaitFor("Which of these services do you agree", wait)
	term.WaitFor("Section 12 of 12: Referrals and consent", wait)
	for _, line := range []string{
		"The answers so far lead to these referrals; explain each one:",
		"• Anti-trafficking services",
		"• Asylum and legal services: Asylum procedure",
		"• Health care, including mental health: Medical care",
	} {
		term.WaitFor(line, wait)
	}
	if scr := term.Screen(); strings.Contains(scr, "Interpreter") {
		t.Errorf("the interpreter is listed among referrals needing consent:\n%s", scr)
	}
	term.Send(D, S, D, S, E) // anti_trafficking, asylum_and_legal
	term.WaitFor("Review the answers", wait)
	term.WaitFor("Complete the interview", wait)
	settle()
	term.Send(E)
	if code, err := term.Wait(wait); code != 0 || err != nil {
		t.Fatalf("exit %d, %v", code, err)
	}
	if !strings.Contains(term.Output(), "Screening summary") {
		t.Error("no summary printed")
	}
	st, ans, _ := e.show(e.draftID())
	want := map[string]string{
		"consent": "yes", "interview_private": "yes", "age": "30", "may_be_child": "no",
		"country_of_origin": "Syria", "present_in": "destination_country",
		"trafficking_act": "[recruited transported]", "trafficking_means": "[fraud]",
		"targeted_because": "[former_trafficking_victim]", "experienced_sgbv": "declined",
		"trauma_affecting_recovery": "dont_know", "preferred_language": "Arabic", "wishes_to_return": "no",
		"authorities_informed": "no", "referral_consent": "[anti_trafficking asylum_and_legal]",
	}
	if st != "completed" {
		t.Errorf("status %s", st)
	}
	for k, w := range want {
		if got := fmt.Sprint(ans[k]); got != w {
			t.Errorf("%s = %s, want %s", k, got, w)
		}
	}
}

func TestE2ENoColor(t *testing.T) {
	e := newE2E(t)
	e.env = append(e.env, "NO_COLOR=1")
	term := e.start("interview", "--flow", smallFlow(t))
	answer(term, "Read this first.", termtest.Enter)
	term.WaitFor("Did you work abroad?", wait)
	if out := term.Output(); strings.Contains(out, "\x1b[38;") || strings.Contains(out, "\x1b[48;") {
		t.Errorf("colour sequences with NO_COLOR=1: %q", out[max(0, len(out)-300):])
	}
	term.Send(termtest.CtrlC)
	term.Wait(wait)
}

// runIn runs a command with stdin and returns its stdout, stderr and exit
// code.
func (e *e2e) runIn(stdin string, args ...string) (stdout, stderr string, code int) {
	e.t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = append(os.Environ(), e.env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		e.t.Fatalf("fieldscreen %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errb.String(), code
}

// A draft begun with flow 1.0.0 (before the built-in flow became 2.0.0)
// goes on with 1.0.0 when resumed, in the terminal form and in line mode:
// its questions, not 2.0.0's.
func TestE2EResumeDraftOfFlow1(t *testing.T) {
	e := newE2E(t)
	flow1, err := filepath.Abs("../../questionnaire/builtin/screening-1.0.0.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Consent intro, consent, age; then the input ends: a draft.
	_, stderr, code := e.runIn("\n1\n30\n", "interview", "--accessible", "--flow", flow1)
	if code != 130 || !strings.Contains(stderr, "--resume") {
		t.Fatalf("exit %d, want 130 and a resume hint:\n%s", code, stderr)
	}
	id := e.draftID()
	if st, ans, _ := e.show(id); st != "draft" || fmt.Sprint(ans["age"]) != "30" {
		t.Fatalf("draft: %s %v", st, ans)
	}
	out, stderr, code := e.runIn("q\n", "interview", "--accessible", "--resume", id)
	if code != 130 {
		t.Fatalf("resume: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(out, "Section 2 of 6: About the person\nHow do you describe your gender?") {
		t.Errorf("line mode did not resume with flow 1.0.0:\n%s", out)
	}
	term := e.start("interview", "--resume", id)
	term.WaitFor("How do you describe your gender?", wait)
	term.WaitFor("Section 2 of 6: About the person", wait)
	term.Send(termtest.CtrlC)
	if code, _ := term.Wait(wait); code != 130 {
		t.Fatalf("exit %d after Ctrl-C, want 130", code)
	}
}

// On an 80×24 terminal the referral consent question shows the question,
// the referrals to explain by service and the list, with the help line
// still at the bottom; the interview then completes.
func TestE2EReferralConsent80x24(t *testing.T) {
	e := newE2E(t)
	// Every answer up to the referral section, in line mode; then the
	// input ends: a draft.
	stdin := strings.Join(fullInterview[:stepOf(t, "referral intro")], "\n") + "\n"
	if _, stderr, code := e.runIn(stdin, "interview", "--accessible", "--interviewer", "T"); code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, stderr)
	}
	id := e.draftID()
	term := termtest.Start(t, binPath, []string{"interview", "--resume", id}, e.env, 80, 24)
	answer(term, "Go through each referral the screen shows", termtest.Enter)
	term.WaitFor("Which of these services do you agree", wait)
	term.Send(termtest.Down) // the cursor, on the first service
	for _, line := range []string{
		"Section 12 of 12: Referrals and consent",
		"Which of these services do you agree",
		"The answers so far lead to these referrals; explain each one:",
		"• Anti-trafficking services",
		"• Asylum and legal services: Asylum procedure; Legal aid",
		"• Health care, including mental health: Medical care",
		"> • Anti-trafficking services",
		"Work, income and education",
		"ctrl+c pause",
	} {
		term.WaitFor(line, wait)
	}
	if rows := strings.Split(strings.TrimRight(term.Screen(), "\n"), "\n"); len(rows) > 24 || !strings.Contains(rows[len(rows)-1], "ctrl+c pause") {
		t.Errorf("the screen does not fit 80×24:\n%s", term.Screen())
	}
	if scr := term.Screen(); strings.Contains(scr, "Anti-trafficking services: Anti-trafficking services") {
		t.Errorf("the service is named twice:\n%s", scr)
	}
	term.Send(termtest.Down, termtest.Down, termtest.Down, termtest.Space, termtest.Enter) // health
	term.WaitFor("Review the answers", wait)
	term.WaitFor("Complete the interview", wait)
	settle()
	term.Send(termtest.Enter)
	if code, err := term.Wait(wait); code != 0 || err != nil {
		t.Fatalf("exit %d, %v", code, err)
	}
	if st, ans, _ := e.show(id); st != "completed" || fmt.Sprint(ans["referral_consent"]) != "[health]" {
		t.Errorf("%s %v", st, ans)
	}
}
