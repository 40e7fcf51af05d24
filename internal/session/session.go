// Package session is the life of an interview record, in one place: it
// starts, answers are given, changed, set aside when a changed answer
// hides later questions and brought back when it is changed back, it is
// paused, resumed, moved to another flow, completed, amended, exported and
// imported. It is the only code that writes answers and audit events
// (made by package record's constructors); it calls questionnaire to
// decide and the store to keep.
//
// Interview (interview.go) is a running interview: the terminal forms
// drive one, an answer at a time, each saved durably. The functions of
// this file change a record in memory by the same rules, for the
// answers-file path and for Interview itself. It decides nothing about
// which question comes next: questionnaire does.
package session

import (
	"reflect"
	"slices"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// Store is where records are kept; *store.Store is one.
type Store interface {
	Get(id string) (*record.Interview, error)
	Put(iv *record.Interview) error
	Update(id string, fn func(iv *record.Interview) error) (*record.Interview, error)
	Annotate(id string, fn func(iv *record.Interview) error) (*record.Interview, error)
	PutFlow(hash string, source []byte) error
}

// New starts a record for an interview on flow f, keeping the
// flow's source in the store once per hash.
func New(st Store, f *questionnaire.Flow, interviewer, location, lang string, now time.Time) (*record.Interview, error) {
	iv, err := Begin(f, interviewer, location, lang, now)
	if err != nil {
		return nil, err
	}
	if err := st.PutFlow(f.Hash, f.Source); err != nil {
		return nil, err
	}
	return iv, nil
}

// Begin starts a record for an interview on flow f without storing
// anything (see Start).
func Begin(f *questionnaire.Flow, interviewer, location, lang string, now time.Time) (*record.Interview, error) {
	id, err := record.NewID()
	if err != nil {
		return nil, err
	}
	return &record.Interview{
		ID: id, FlowID: f.ID, FlowVersion: f.Version, FlowHash: f.Hash,
		Interviewer: interviewer, Location: location, Language: f.Lang(lang),
		Status: record.StatusDraft, CreatedAt: now, UpdatedAt: now,
		Audit: []record.AuditEvent{record.Created(now, interviewer)},
	}, nil
}

// recordConsent keeps the consent answer's time and language apart, as
// the basis for processing.
func recordConsent(iv *record.Interview, f *questionnaire.Flow, qid string, v any, now time.Time) {
	if qid == "" || qid != f.ConsentQuestion {
		return
	}
	if s, ok := v.(string); ok && (s == "yes" || s == "no") {
		iv.Consent = &record.Consent{Given: s == "yes", At: now, Language: iv.Language}
	}
}

// Complete marks an interview completed with its outcome. The answers set
// aside while it ran are erased: only what the summary rests on is kept.
func Complete(iv *record.Interview, f *questionnaire.Flow, now time.Time) error {
	_, err := complete(iv, f, now)
	return err
}

// complete is Complete, returning the summary the outcome comes from.
func complete(iv *record.Interview, f *questionnaire.Flow, now time.Time) (*questionnaire.Summary, error) {
	sum, err := f.Score(questionnaire.Answers(iv.AnswersMap()))
	if err != nil {
		return nil, err
	}
	iv.Status = record.StatusCompleted
	iv.CompletedAt = &now
	iv.UpdatedAt = now
	iv.Outcome = sum.GetString("outcome")
	iv.Position = ""
	iv.SetAside = nil
	iv.Audit = append(iv.Audit, record.Completed(now, iv.Interviewer))
	return sum, nil
}

// Change is what saving one answer did to the other answers.
type Change struct {
	// SetAside are the questions, in flow order, whose answers the new
	// answer made no longer apply: they are moved to the record's
	// SetAside, and come back if the questions are asked again before
	// the interview is completed.
	SetAside []string
	// Restored are the questions whose set-aside answers came back
	// because the new answer asks them again.
	Restored []string
}

// Answer records v as the answer to question qid (nil: shown and left
// unanswered). Answers of questions the flow no longer asks are set
// aside, and set-aside answers of questions it asks again are restored;
// each noted in the audit trail by question ID only.
func Answer(iv *record.Interview, f *questionnaire.Flow, qid string, v any, now time.Time) (Change, error) {
	c, _, err := answer(iv, f, qid, v, now, nil)
	return c, err
}

// answer is Answer, returning also the questions asked under the answers
// it leaves: the flow is walked once, and once more for each answer it
// restores. vis, if not nil, is that first walk done already (the
// questions asked once v is given).
func answer(iv *record.Interview, f *questionnaire.Flow, qid string, v any, now time.Time, vis []*questionnaire.Question) (Change, []*questionnaire.Question, error) {
	SetAnswer(iv, qid, v, now, iv.Interviewer)
	unsetAside(iv, qid)
	recordConsent(iv, f, qid, v, now)
	iv.Position = qid
	iv.UpdatedAt = now
	var c Change
	var err error
	if vis == nil {
		if vis, err = f.Visible(questionnaire.Answers(iv.AnswersMap())); err != nil {
			return Change{}, nil, err
		}
	}
	c.SetAside = setAsideHidden(iv, f, vis, now)
	for {
		// Restoring one answer can ask (or hide) later questions: one at
		// a time, in flow order. Each restores a later question than the
		// last, so this ends. The questions asked are the same with or
		// without the answers just set aside: the flow ignores answers to
		// questions it does not ask.
		q, v := restorable(iv, f, vis)
		if q == nil {
			break
		}
		restore(iv, q.ID, v, now)
		c.Restored = append(c.Restored, q.ID)
		if vis, err = f.Visible(questionnaire.Answers(iv.AnswersMap())); err != nil {
			return Change{}, nil, err
		}
		c.SetAside = append(c.SetAside, setAsideHidden(iv, f, vis, now)...)
	}
	// A question set aside and restored in one change is neither.
	if len(c.Restored) > 0 {
		back := map[string]bool{}
		for _, id := range c.Restored {
			back[id] = true
		}
		c.SetAside = slices.DeleteFunc(c.SetAside, func(id string) bool { return back[id] })
	}
	return c, vis, nil
}

// SetAnswer records v as the answer to qid, replacing an earlier answer in
// place, with an "answered" or "changed" audit event naming only the
// question. Saving the same value again changes nothing. Values of an
// unsupported type are kept as given; the store refuses them.
func SetAnswer(iv *record.Interview, qid string, v any, at time.Time, who string) {
	if nv, err := record.NormalizeValue(v); err == nil {
		v = nv
	}
	ev := record.Answered(at, qid, who)
	if i := answerIndex(iv, qid); i >= 0 {
		if reflect.DeepEqual(iv.Answers[i].Value, v) {
			return
		}
		iv.Answers[i].Value = v
		iv.Answers[i].AnsweredAt = at
		ev = record.Changed(at, qid, who)
	} else {
		iv.Answers = append(iv.Answers, record.Answer{QuestionID: qid, Value: v, AnsweredAt: at})
	}
	iv.Audit = append(iv.Audit, ev)
}

// dropAnswer removes the answer to qid, if any, with a "dropped" audit
// event saying why (detail).
func dropAnswer(iv *record.Interview, qid string, at time.Time, who, detail string) {
	i := answerIndex(iv, qid)
	if i < 0 {
		return
	}
	iv.Answers = slices.Delete(iv.Answers, i, i+1)
	iv.Audit = append(iv.Audit, record.Dropped(at, qid, who, detail))
}

func answerIndex(iv *record.Interview, qid string) int {
	for i, a := range iv.Answers {
		if a.QuestionID == qid {
			return i
		}
	}
	return -1
}

// setAsideHidden moves the answers of questions not among vis (the
// questions the flow asks) to iv.SetAside, and returns their IDs in flow
// order.
func setAsideHidden(iv *record.Interview, f *questionnaire.Flow, vis []*questionnaire.Question, now time.Time) []string {
	asked := make(map[string]bool, len(vis))
	for _, q := range vis {
		asked[q.ID] = true
	}
	var ids []string
	for _, q := range f.Questions {
		if asked[q.ID] {
			continue
		}
		a, has := iv.Answer(q.ID)
		if !has {
			continue
		}
		ids = append(ids, q.ID)
		unsetAside(iv, q.ID)
		iv.SetAside = append(iv.SetAside, a)
		dropAnswer(iv, q.ID, now, iv.Interviewer, record.SetAsideDetail)
	}
	return ids
}

// restorable returns the first question among vis (the questions the
// flow asks) that has no answer but one set aside, with that answer; nil
// if none. An answer its question no longer takes (a constraint on an
// earlier answer that has changed) stays set aside.
func restorable(iv *record.Interview, f *questionnaire.Flow, vis []*questionnaire.Question) (*questionnaire.Question, any) {
	if len(iv.SetAside) == 0 {
		return nil, nil
	}
	ans := questionnaire.Answers(iv.AnswersMap())
	for _, q := range vis {
		if _, has := ans[q.ID]; has || !q.Asks() {
			continue
		}
		i := slices.IndexFunc(iv.SetAside, func(a record.Answer) bool { return a.QuestionID == q.ID })
		if i < 0 {
			continue
		}
		v := iv.SetAside[i].Value
		if v == nil {
			if q.Required {
				continue
			}
			return q, nil
		}
		earlier := questionnaire.Answers{}
		for k, x := range ans {
			if p := f.Question(k); p != nil && p.Index < q.Index {
				earlier[k] = x
			}
		}
		if nv, err := f.Check(q, v, earlier, iv.Language); err == nil {
			return q, nv
		}
	}
	return nil, nil
}

// restore moves the set-aside answer to qid back among the answers, with
// the time it was first given, and notes it in the audit trail.
func restore(iv *record.Interview, qid string, v any, now time.Time) {
	i := slices.IndexFunc(iv.SetAside, func(a record.Answer) bool { return a.QuestionID == qid })
	a := iv.SetAside[i]
	unsetAside(iv, qid)
	a.Value = v
	iv.Answers = append(iv.Answers, a)
	iv.Audit = append(iv.Audit, record.Restored(now, qid, iv.Interviewer))
}

// unsetAside forgets the answer set aside for qid, if any.
func unsetAside(iv *record.Interview, qid string) {
	iv.SetAside = slices.DeleteFunc(iv.SetAside, func(a record.Answer) bool { return a.QuestionID == qid })
	if len(iv.SetAside) == 0 {
		iv.SetAside = nil // as the store reads it back
	}
}

// clone copies iv deeply enough for Answer to change the copy alone
// (answer values are replaced, never changed in place).
func clone(iv *record.Interview) *record.Interview {
	c := *iv
	c.Answers = slices.Clone(iv.Answers)
	c.SetAside = slices.Clone(iv.SetAside)
	c.Audit = slices.Clone(iv.Audit)
	if iv.Consent != nil {
		cc := *iv.Consent
		c.Consent = &cc
	}
	return &c
}

func sameValue(a, b any) bool { return reflect.DeepEqual(a, b) }
