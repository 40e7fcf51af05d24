package session

import (
	"errors"
	"fmt"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// Interview is one interview while it runs, from its start (or resumption)
// to its completion, or a completed one being amended. Every change goes
// through it: an answer is applied to the record by the rules of this
// package and saved in one durable transaction before the call returns,
// so the copy it holds is always the one in the store (or, while
// amending, the one that will be).
//
// It also keeps the questions the flow asks under the current answers,
// walked once per answer, for whoever shows them.
type Interview struct {
	f    *questionnaire.Flow
	st   Store                 // nil until a new interview's first answer
	open func() (Store, error) // where a new interview goes with its first answer
	iv   *record.Interview     // the record as stored (while amending: as it will be)
	now  func() time.Time

	amend *amending              // set while amending a completed interview
	sum   *questionnaire.Summary // once completed: the summary, scored once

	vis     []*questionnaire.Question // asked under iv's answers; nil: not walked yet
	ans     questionnaire.Answers     // iv's answers, for vis
	preview *preview                  // the walk of the last Preview, for the Answer that follows it
}

// amending is what an amendment keeps until it completes.
type amending struct {
	reason, who string
	result      Amendment
}

// preview is the walk a Preview made of iv with one answer given.
type preview struct {
	base *record.Interview
	qid  string
	v    any
	vis  []*questionnaire.Question
}

// Start begins a new interview on flow f. Nothing is stored until the
// first answer, so an interview stopped before it leaves nothing behind:
// no record, and no store if there was none (open creates it when first
// called).
func Start(f *questionnaire.Flow, interviewer, location, lang string, open func() (Store, error)) (*Interview, error) {
	iv, err := Begin(f, interviewer, location, lang, utcNow())
	if err != nil {
		return nil, err
	}
	return &Interview{f: f, open: open, iv: iv, now: utcNow}, nil
}

// Draft goes on with the draft id in st, on flow f.
func Draft(st Store, id string, f *questionnaire.Flow) (*Interview, error) {
	iv, err := st.Get(id)
	if err != nil {
		return nil, err
	}
	return draft(st, iv, f)
}

func draft(st Store, iv *record.Interview, f *questionnaire.Flow) (*Interview, error) {
	if iv.Status != record.StatusDraft {
		return nil, fmt.Errorf("interview %s is %s, not a draft", iv.ID, iv.Status)
	}
	if iv.FlowHash != "" && iv.FlowHash != f.Hash {
		return nil, fmt.Errorf("interview %s was taken with flow %s %s, not this one", iv.ID, iv.FlowID, iv.FlowVersion)
	}
	return &Interview{f: f, st: st, iv: iv, now: utcNow}, nil
}

// Resume takes up the draft iv (as stored in st) again on flow f: the
// resumption goes into its audit trail, by who, and lang ("" keeps it)
// becomes its language.
func Resume(st Store, iv *record.Interview, f *questionnaire.Flow, who, lang string) (*Interview, error) {
	at := utcNow()
	iv, err := st.Update(iv.ID, func(x *record.Interview) error {
		ev := record.Resumed(at, who)
		if lang != "" && x.Language != "" && lang != x.Language {
			ev = record.ResumedIn(at, who, x.Language, lang)
		}
		x.Audit = append(x.Audit, ev)
		if lang != "" {
			x.Language = lang
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return draft(st, iv, f)
}

// StartAmending begins amending iv, completed on flow f and stored in st,
// for reason; who makes the correction. The answers change in memory (set
// aside and restored as in a draft), and Complete stores them as one
// amendment (see Amend). An amendment stopped before it completes changes
// nothing.
func StartAmending(st Store, iv *record.Interview, f *questionnaire.Flow, reason, who string) (*Interview, error) {
	if iv.Status != record.StatusCompleted && iv.Status != record.StatusExported {
		return nil, ErrNotCompleted
	}
	return &Interview{f: f, st: st, iv: clone(iv), now: utcNow, amend: &amending{reason: reason, who: who}}, nil
}

// Record is the record as it is now. The caller must not change it.
func (s *Interview) Record() *record.Interview { return s.iv }

// Flow is the flow the interview is taken on.
func (s *Interview) Flow() *questionnaire.Flow { return s.f }

// Amending reports whether a completed interview is being corrected.
func (s *Interview) Amending() bool { return s.amend != nil }

// Saved reports whether the interview is in the store.
func (s *Interview) Saved() bool { return s.st != nil }

// Answers are the record's answers by question. The caller must not
// change them.
func (s *Interview) Answers() questionnaire.Answers {
	if s.ans == nil {
		s.ans = questionnaire.Answers(s.iv.AnswersMap())
	}
	return s.ans
}

// Visible returns the questions (and notes) the flow asks under the
// current answers, in flow order. The flow is walked once per change.
func (s *Interview) Visible() ([]*questionnaire.Question, error) {
	if s.vis == nil {
		vis, err := s.f.Visible(s.Answers())
		if err != nil {
			return nil, err
		}
		s.vis = vis
	}
	return s.vis, nil
}

// Preview returns what Answer(qid, v) would do, without changing anything:
// the forms ask before an answer sets others aside.
func (s *Interview) Preview(qid string, v any) (Change, error) {
	iv := clone(s.iv)
	SetAnswer(iv, qid, v, s.now(), iv.Interviewer)
	vis, err := s.f.Visible(questionnaire.Answers(iv.AnswersMap()))
	if err != nil {
		return Change{}, err
	}
	s.preview = &preview{base: s.iv, qid: qid, v: v, vis: vis}
	iv = clone(s.iv)
	c, _, err := answer(iv, s.f, qid, v, s.now(), vis)
	return c, err
}

// Answer records v as the answer to question qid (nil: shown and left
// unanswered), as the package's Answer does, and saves it in one durable
// transaction (a new interview is stored with its first answer).
func (s *Interview) Answer(qid string, v any) (Change, error) {
	var first []*questionnaire.Question // the walk Preview made, if for this answer
	if p := s.preview; p != nil && p.base == s.iv && p.qid == qid && sameValue(p.v, v) {
		first = p.vis
	}
	s.preview = nil
	var c Change
	var vis []*questionnaire.Question
	base := s.iv
	err := s.change(func(iv *record.Interview) error {
		walked := first
		if !sameRecord(iv, base) {
			walked = nil // changed elsewhere since: walk it as it is
		}
		var err error
		c, vis, err = answer(iv, s.f, qid, v, s.now(), walked)
		return err
	})
	if err != nil {
		return Change{}, err
	}
	s.vis = vis
	return c, nil
}

func utcNow() time.Time { return time.Now().UTC() }

// sameRecord reports whether a, read from the store, is still b as this
// Interview last saved it: every change to a record adds an audit event
// or moves UpdatedAt.
func sameRecord(a, b *record.Interview) bool {
	return a.ID == b.ID && len(a.Audit) == len(b.Audit) && a.UpdatedAt.Equal(b.UpdatedAt) && len(a.Answers) == len(b.Answers)
}

// change applies fn to the record and keeps the result: in the store, in
// one durable transaction; a new interview's first change stores it;
// while amending, in memory. If fn fails, nothing changes.
func (s *Interview) change(fn func(iv *record.Interview) error) error {
	var iv *record.Interview
	var err error
	switch {
	case s.amend != nil:
		iv = clone(s.iv)
		err = fn(iv)
	case s.st != nil:
		iv, err = s.st.Update(s.iv.ID, fn)
	default:
		iv, err = s.store(fn)
	}
	if err != nil {
		return err
	}
	s.iv, s.vis, s.ans = iv, nil, nil
	return nil
}

// store applies fn to a new interview and stores it, with its flow.
func (s *Interview) store(fn func(iv *record.Interview) error) (*record.Interview, error) {
	iv := clone(s.iv)
	if err := fn(iv); err != nil {
		return nil, err
	}
	st, err := s.open()
	if err != nil {
		return nil, err
	}
	if err := st.PutFlow(s.f.Hash, s.f.Source); err != nil {
		return nil, err
	}
	if err := st.Put(iv); err != nil {
		return nil, err
	}
	s.st = st
	return clone(iv), nil
}

// Pause records in the audit trail that the interviewer stopped the
// interview to go on later. A new interview not stored yet has no trail,
// and stays unstored. The record's UpdatedAt stays as it was.
func (s *Interview) Pause() error {
	if s.st == nil || s.amend != nil {
		return nil
	}
	iv, err := s.st.Annotate(s.iv.ID, func(x *record.Interview) error {
		x.Audit = append(x.Audit, record.Paused(s.now(), x.Interviewer))
		return nil
	})
	if err != nil {
		return err
	}
	s.iv, s.vis, s.ans = iv, nil, nil
	return nil
}

// errUnchanged leaves the stored interview as it was (Update writes
// nothing when its function fails).
var errUnchanged = errors.New("unchanged")

// Complete ends the interview, in one durable transaction, and returns the
// completed record; Summary has its summary (scored once, here).
// Amending, it stores the correction as one amendment, or nothing if no
// answer changed (see Amendment).
func (s *Interview) Complete() (*record.Interview, error) {
	now := s.now()
	if s.amend != nil {
		return s.completeAmendment(now)
	}
	var sum *questionnaire.Summary
	err := s.change(func(iv *record.Interview) error {
		var err error
		sum, err = complete(iv, s.f, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.sum = sum
	return s.iv, nil
}

// Summary is the completed interview's summary, as Complete scored it;
// nil before, or when an amendment changed nothing.
func (s *Interview) Summary() *questionnaire.Summary { return s.sum }

func (s *Interview) completeAmendment(now time.Time) (*record.Interview, error) {
	a := s.amend
	ans := questionnaire.Answers(s.iv.AnswersMap())
	iv, err := s.st.Update(s.iv.ID, func(iv *record.Interview) error {
		res, err := Amend(iv, s.f, ans, a.reason, a.who, now)
		if err != nil {
			return err
		}
		a.result = res
		if res.Empty() {
			return errUnchanged
		}
		return nil
	})
	if errors.Is(err, errUnchanged) {
		iv, err = s.st.Get(s.iv.ID)
	}
	if err != nil {
		return nil, err
	}
	s.iv, s.vis, s.ans = iv, nil, nil
	s.sum = a.result.summary
	return iv, nil
}

// Amendment is what the amendment changed, once Complete has run; empty
// if nothing changed, it has not run, or this is no amendment.
func (s *Interview) Amendment() Amendment {
	if s.amend == nil {
		return Amendment{}
	}
	return s.amend.result
}

// FromAnswers records a completed interview on flow f from answers given
// all at once (an answers file): each answer is applied in flow order as
// Answer does, then it is completed and stored in one durable
// transaction, with its flow. It returns the record and its summary.
func FromAnswers(st Store, f *questionnaire.Flow, interviewer, location, lang string, answers questionnaire.Answers, now time.Time) (*record.Interview, *questionnaire.Summary, error) {
	iv, err := New(st, f, interviewer, location, lang, now)
	if err != nil {
		return nil, nil, err
	}
	for _, q := range f.Questions {
		if v, ok := answers[q.ID]; ok {
			if _, err := Answer(iv, f, q.ID, v, now); err != nil {
				return nil, nil, err
			}
		}
	}
	sum, err := complete(iv, f, now)
	if err != nil {
		return nil, nil, err
	}
	if err := st.Put(iv); err != nil {
		return nil, nil, err
	}
	return iv, sum, nil
}
