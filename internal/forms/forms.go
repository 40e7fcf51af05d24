// Package forms runs a live interview at a terminal: it shows the questions
// the flow engine decides to ask, one per screen, and saves each answer
// durably before the next question appears. It has two faces: full-screen
// huh forms, and plain line prompts a screen reader can speak (which also
// work with input piped from a file).
//
// It must not decide what is asked (questionnaire does), nor how an answer
// changes the record (session does); it only shows, reads and saves.
package forms

import (
	"context"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/questionnaire"
)

// Options configures one interview run.
type Options struct {
	// Interview is the interview to run: a new one (stored with its
	// first answer), a draft resumed, or a completed one being amended
	// (which starts at the review screen). See session.Interview.
	Interview *session.Interview
	// Store and InterviewID name a draft to go on with instead.
	Store       session.Store
	InterviewID string

	Flow       *questionnaire.Flow // the interview's flow; nil: Interview's
	Lang       string
	In         io.Reader // the terminal
	Out        io.Writer
	Accessible bool
	Color      bool
}

// ErrQuit is returned when the interviewer stopped the interview. Every
// answer given so far is already saved; the draft can be resumed.
var ErrQuit = errors.New("interview paused")

// Run runs the interview to its end and returns the completed interview,
// or ErrQuit when the interviewer paused it.
func Run(ctx context.Context, o Options) (*record.Interview, error) {
	r, err := newRunner(o)
	if err != nil {
		return nil, err
	}
	if o.Accessible {
		return runAccessible(ctx, r)
	}
	return runTUI(ctx, r)
}

// runner holds the navigation through an interview being taken. The
// interview itself, and every change to it, is s's: an answer goes to
// s.Answer, which saves it, and the questions asked come from s.Visible,
// walked once per answer.
type runner struct {
	f    *questionnaire.Flow
	s    *session.Interview
	lang string
	in   io.Reader
	out  io.Writer
	o    Options

	cur        screen
	pending    []screen        // screens still to show before cur's question
	fromReview bool            // changing an answer chosen on the review screen
	shown      map[string]bool // intros and notes already shown in this run
	dropped    []string        // answers set aside by the last save, for the screen
	restored   []string        // answers restored by the last save, for the screen
	ask        *proposal       // a change waiting for the interviewer's confirmation
	skip       map[string]bool // amending: questions the interview left without an entry
}

type screenKind int

const (
	kindQuestion screenKind = iota
	kindIntro               // a section's intro, before its first question
	kindNote                // a note question
	kindReview              // every answer, before completing
	kindConfirm             // a change that sets answers aside, to confirm (see ask)
)

type screen struct {
	kind screenKind
	q    *questionnaire.Question // the question (or note); for an intro, the question it comes before
}

func newRunner(o Options) (*runner, error) {
	s := o.Interview
	switch {
	case s != nil && o.Flow != nil && o.Flow != s.Flow():
		return nil, errors.New("forms: the flow is not the interview's")
	case s == nil && (o.Flow == nil || o.Store == nil):
		return nil, errors.New("forms: an interview, or a flow and a store, are required")
	case s == nil:
		var err error
		if s, err = session.Draft(o.Store, o.InterviewID, o.Flow); err != nil {
			return nil, err
		}
	}
	f := s.Flow()
	r := &runner{f: f, s: s, lang: f.Lang(o.Lang), shown: map[string]bool{}, in: o.In, out: o.Out, o: o}
	if r.amending() {
		r.skipped()
	}
	// Resume: the first asked question without an entry in the answers.
	q, err := r.next()
	if err != nil {
		return nil, err
	}
	r.goTo(q)
	return r, nil
}

// answers are the saved answers; not to be changed.
func (r *runner) answers() questionnaire.Answers { return r.s.Answers() }

// answer returns the saved answer to q, and whether there is one.
func (r *runner) answer(q *questionnaire.Question) (any, bool) {
	a, ok := r.s.Record().Answer(q.ID)
	return a.Value, ok
}

// visible returns the questions asked under the saved answers.
func (r *runner) visible() ([]*questionnaire.Question, error) { return r.s.Visible() }

// earlier returns the answers to the questions before q, for constraints.
func (r *runner) earlier(q *questionnaire.Question) questionnaire.Answers {
	out := questionnaire.Answers{}
	for k, v := range r.answers() {
		if p := r.f.Question(k); p != nil && p.Index < q.Index {
			out[k] = v
		}
	}
	return out
}

// t returns an interface word in the interview's language.
func (r *runner) t(id string, kv ...string) string { return word(r, id, kv...) }

// observation is the line that marks q as the interviewer's own
// observation, not read aloud; "" for a question read to the person.
func (r *runner) observation(q *questionnaire.Question) string {
	if q == nil || !q.Observation {
		return ""
	}
	return r.t("observation")
}

// referralLines are shown with the flow's referral consent question, so
// the interviewer can explain each referral before the person chooses:
// the referrals the answers before q lead to, one line per service (in the
// order of q's choices, named by the choice's label), each listing its
// referrals by label. Referrals that need no consent (an interpreter) are
// not listed. nil for any other question.
func (r *runner) referralLines(q *questionnaire.Question) ([]string, error) {
	if q == nil || r.f.ReferralConsentQuestion == "" || q.ID != r.f.ReferralConsentQuestion {
		return nil, nil
	}
	s, err := r.f.Score(r.earlier(q))
	if err != nil {
		return nil, err
	}
	type named struct {
		label  string
		urgent bool
	}
	bySvc := map[string][]named{}
	for _, ref := range s.Referrals {
		if ref.Service == "" {
			continue
		}
		label := ref.ID
		if d := r.f.Referral(ref.ID); d != nil {
			if l := r.f.T(d.Label, r.lang); l != "" {
				label = l
			}
		}
		bySvc[ref.Service] = append(bySvc[ref.Service], named{label, ref.Priority == "urgent"})
	}
	if len(bySvc) == 0 {
		return []string{r.t("form.referrals_none")}, nil
	}
	lines := []string{r.t("form.referrals")}
	urgent := func(label string, is bool) string {
		if is {
			return r.t("form.referral_urgent", "label", label)
		}
		return label
	}
	line := func(service string, refs []named) {
		// One referral of the service's own name ("Child protection"):
		// the service said once, not "Child protection: Child protection".
		if len(refs) == 1 && refs[0].label == service {
			lines = append(lines, r.t("form.referral_service", "service", urgent(service, refs[0].urgent)))
			return
		}
		labels := make([]string, len(refs))
		for i, ref := range refs {
			labels[i] = urgent(ref.label, ref.urgent)
		}
		lines = append(lines, r.t("form.referral_line", "service", service, "referrals", strings.Join(labels, r.t("plain.list_sep"))))
	}
	for _, c := range q.Choices {
		if refs, ok := bySvc[c.Value]; ok {
			line(r.f.T(c.Label, r.lang), refs)
			delete(bySvc, c.Value)
		}
	}
	// A service that is not one of the question's choices (a flow that
	// does not validate) is still shown, by its value, never dropped.
	for _, ref := range s.Referrals {
		if refs, ok := bySvc[ref.Service]; ok {
			line(ref.Service, refs)
			delete(bySvc, ref.Service)
		}
	}
	return lines, nil
}

// check validates and normalises v as the answer to q; nil (left
// unanswered) is accepted on optional questions only. Errors carry the
// author's message, or our own in the interview's language: Check's own
// messages are written for flow authors, in English.
func (r *runner) check(q *questionnaire.Question, v any) (any, error) {
	if v == nil {
		if q.Required {
			return nil, errors.New(r.t("form.err.required"))
		}
		return nil, nil
	}
	if s, ok := v.(string); ok && q.Required && (s == questionnaire.DontKnow || s == questionnaire.Declined) {
		return nil, errors.New(r.t("form.err.required_only", "value", valueText(r.f, q, s, r.lang)))
	}
	if q.Type == questionnaire.TypeInteger {
		if err := r.checkInteger(q, v); err != nil {
			return nil, err
		}
	}
	out, err := r.f.Check(q, v, r.earlier(q), r.lang)
	var ae *questionnaire.AnswerError
	if errors.As(err, &ae) {
		return nil, errors.New(ae.Message)
	}
	return out, err
}

// save records v as the answer to q in one durable transaction, then moves
// on: to the next question in flow order, or (after a change chosen on the
// review screen) to the first unanswered one.
func (r *runner) save(q *questionnaire.Question, v any) error {
	c, err := r.s.Answer(q.ID, v)
	if err != nil {
		return err
	}
	r.dropped, r.restored = c.SetAside, c.Restored
	var next *questionnaire.Question
	if r.fromReview {
		next, err = r.next()
	} else {
		next, err = r.after(q)
	}
	if err != nil {
		return err
	}
	r.goTo(next)
	return nil
}

// after returns the next asked question after q, answered or not, so that
// after going back the interviewer walks forward through earlier answers.
func (r *runner) after(q *questionnaire.Question) (*questionnaire.Question, error) {
	vis, err := r.visible()
	if err != nil {
		return nil, err
	}
	for _, p := range vis {
		if p.Index > q.Index && p.Asks() {
			return p, nil
		}
	}
	return r.next()
}

// before returns the asked question before q (nil: the review screen's
// last question), or nil if q is the first.
func (r *runner) before(q *questionnaire.Question) (*questionnaire.Question, error) {
	vis, err := r.visible()
	if err != nil {
		return nil, err
	}
	var prev *questionnaire.Question
	for _, p := range vis {
		if q != nil && p.Index >= q.Index {
			break
		}
		if p.Asks() {
			prev = p
		}
	}
	return prev, nil
}

// goTo shows q next (nil: the review), after its section's intro and any
// notes before it that this run has not shown yet.
func (r *runner) goTo(q *questionnaire.Question) {
	r.pending = nil
	if q == nil {
		r.fromReview = false
		r.cur = screen{kind: kindReview}
		return
	}
	var all []screen
	for _, s := range r.preScreens(q) {
		if !r.shown[s.shownKey()] {
			all = append(all, s)
		}
	}
	all = append(all, screen{kind: kindQuestion, q: q})
	r.cur, r.pending = all[0], all[1:]
	r.markShown()
}

// preScreens are the screens that come before question q: its section's
// intro if q is the section's first question asked, then the notes since
// the question asked before it.
func (r *runner) preScreens(q *questionnaire.Question) []screen {
	vis, err := r.visible()
	if err != nil {
		return nil
	}
	var pre []screen
	firstInSection := true
	var notes []screen
	for _, p := range vis {
		if p.Index >= q.Index {
			break
		}
		if p.Section == q.Section {
			firstInSection = false
		}
		if p.Asks() {
			notes = nil
		} else {
			notes = append(notes, screen{kind: kindNote, q: p})
		}
	}
	if s := q.Section; firstInSection && !s.Intro.Empty() {
		pre = append(pre, screen{kind: kindIntro, q: q})
	}
	return append(pre, notes...)
}

func (r *runner) markShown() {
	if r.cur.kind == kindIntro || r.cur.kind == kindNote {
		r.shown[r.cur.shownKey()] = true
	}
}

// shownKey names an intro or a note in runner.shown.
func (s screen) shownKey() string {
	if s.kind == kindIntro {
		return "s:" + s.q.Section.ID
	}
	return "q:" + s.q.ID
}

// proceed leaves an intro or note screen.
func (r *runner) proceed() {
	if len(r.pending) == 0 {
		return
	}
	r.cur, r.pending = r.pending[0], r.pending[1:]
	r.markShown()
}

// back goes to the screen before the one on view: from a question to the
// notes and the section intro before it, then to the question asked
// before (going forward from there shows them again). On the first screen
// it stays.
func (r *runner) back() error {
	if r.cur.kind == kindConfirm {
		r.keep() // back from a confirmation keeps the answer
		return nil
	}
	r.dropped, r.restored = nil, nil
	var target *questionnaire.Question // the question the screen on view leads to
	switch {
	case r.cur.kind == kindQuestion:
		target = r.cur.q
	case r.cur.kind != kindReview && len(r.pending) > 0:
		target = r.pending[len(r.pending)-1].q
	}
	if target != nil {
		pre := r.preScreens(target)
		at := len(pre) // the screen on view among them
		if r.cur.kind != kindQuestion {
			at = slices.Index(pre, r.cur)
		}
		if at > 0 {
			r.cur, r.pending = pre[at-1], append(slices.Clone(pre[at:]), screen{kind: kindQuestion, q: target})
			return nil
		}
	} else if r.cur.kind != kindReview {
		target = r.cur.q
	}
	prev, err := r.before(target)
	if err != nil {
		return err
	}
	if prev == nil {
		return nil // nothing before: stay
	}
	if target != nil {
		// Walked back past them: going forward shows them again.
		for _, s := range r.preScreens(target) {
			delete(r.shown, s.shownKey())
		}
	}
	r.pending = nil
	r.cur = screen{kind: kindQuestion, q: prev}
	return nil
}

// change goes from the review screen to question qid.
func (r *runner) change(q *questionnaire.Question) {
	r.dropped, r.restored = nil, nil
	r.fromReview = true
	r.pending = nil
	r.cur = screen{kind: kindQuestion, q: q}
}

// reviewItems returns the asked questions and their answers in flow order.
func (r *runner) reviewItems() ([]*questionnaire.Question, error) {
	vis, err := r.visible()
	if err != nil {
		return nil, err
	}
	var out []*questionnaire.Question
	for _, q := range vis {
		if q.Asks() {
			out = append(out, q)
		}
	}
	return out, nil
}

// complete marks the interview completed, in one durable transaction.
func (r *runner) complete() (*record.Interview, error) {
	if q, err := r.next(); err != nil {
		return nil, err
	} else if q != nil {
		// Should not happen: the review is reached only when nothing is left.
		r.goTo(q)
		return nil, nil
	}
	return r.s.Complete()
}

// checkInteger says, in the interview's language, why v is not a whole
// number q takes; nil when it is one (or a special value), for Check to
// judge the rest.
func (r *runner) checkInteger(q *questionnaire.Question, v any) error {
	switch x := v.(type) {
	case int:
		if (q.Min != nil && x < *q.Min) || (q.Max != nil && x > *q.Max) {
			return errors.New(r.t("form.err.out_of_range", "n", strconv.Itoa(x), "range", r.numberRange(q)))
		}
	case string:
		if x != questionnaire.DontKnow && x != questionnaire.Declined {
			return errors.New(r.t("form.err.not_integer", "range", r.numberRange(q), "value", x))
		}
	}
	return nil
}

// numberRange says which whole numbers q takes.
func (r *runner) numberRange(q *questionnaire.Question) string {
	switch {
	case q.Min != nil && q.Max != nil:
		return r.t("form.integer_range", "min", strconv.Itoa(*q.Min), "max", strconv.Itoa(*q.Max))
	case q.Min != nil:
		return r.t("form.integer_min", "min", strconv.Itoa(*q.Min))
	case q.Max != nil:
		return r.t("form.integer_max", "max", strconv.Itoa(*q.Max))
	}
	return r.t("form.integer")
}

// section returns "Section k of n: Title" for q.
func (r *runner) section(q *questionnaire.Question) string {
	s := q.Section
	return r.t("form.section", "k", strconv.Itoa(s.Index+1), "n", strconv.Itoa(len(r.f.Sections)), "title", r.f.T(s.Title, r.lang))
}
