// Package session holds what happens to an interview record as an
// interview runs: it starts, answers are given, changed, set aside when a
// changed answer hides later questions and brought back when it is
// changed back, and it completes; a completed interview can be amended.
// Both the terminal forms and the answers-file path use it, so the audit
// trail is the same. It decides nothing about which question comes next:
// questionnaire does.
package session

import (
	"reflect"
	"slices"
	"time"

	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// New starts a record for an interview on flow f, keeping the
// flow's source in the store once per hash.
func New(st *store.Store, f *questionnaire.Flow, interviewer, location, lang string, now time.Time) (*store.Interview, error) {
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
// anything (see Unsaved).
func Begin(f *questionnaire.Flow, interviewer, location, lang string, now time.Time) (*store.Interview, error) {
	id, err := store.NewID()
	if err != nil {
		return nil, err
	}
	return &store.Interview{
		ID: id, FlowID: f.ID, FlowVersion: f.Version, FlowHash: f.Hash,
		Interviewer: interviewer, Location: location, Language: f.Lang(lang),
		Status: store.StatusDraft, CreatedAt: now, UpdatedAt: now,
		Audit: []store.AuditEvent{{At: now, Event: store.EventCreated, Interviewer: interviewer}},
	}, nil
}

// recordConsent keeps the consent answer's time and language apart, as
// the basis for processing.
func recordConsent(iv *store.Interview, f *questionnaire.Flow, qid string, v any, now time.Time) {
	if qid == "" || qid != f.ConsentQuestion {
		return
	}
	if s, ok := v.(string); ok && (s == "yes" || s == "no") {
		iv.Consent = &store.Consent{Given: s == "yes", At: now, Language: iv.Language}
	}
}

// Complete marks an interview completed with its outcome. The answers set
// aside while it ran are erased: only what the summary rests on is kept.
func Complete(iv *store.Interview, f *questionnaire.Flow, now time.Time) error {
	sum, err := f.Score(questionnaire.Answers(iv.AnswersMap()))
	if err != nil {
		return err
	}
	iv.Status = store.StatusCompleted
	iv.CompletedAt = &now
	iv.UpdatedAt = now
	iv.Outcome = sum.GetString("outcome")
	iv.Position = ""
	iv.SetAside = nil
	iv.Audit = append(iv.Audit, store.AuditEvent{At: now, Event: store.EventCompleted, Interviewer: iv.Interviewer})
	return nil
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

// setAsideDetail is the audit detail of a "dropped" event in a draft.
const setAsideDetail = "set aside: restored if asked again before completion, else erased then"

// Answer records v as the answer to question qid (nil: shown and left
// unanswered). Answers of questions the flow no longer asks are set
// aside, and set-aside answers of questions it asks again are restored;
// each noted in the audit trail by question ID only.
func Answer(iv *store.Interview, f *questionnaire.Flow, qid string, v any, now time.Time) (Change, error) {
	iv.SetAnswer(qid, v, now, iv.Interviewer)
	unsetAside(iv, qid)
	recordConsent(iv, f, qid, v, now)
	iv.Position = qid
	iv.UpdatedAt = now
	var c Change
	aside, err := setAsideHidden(iv, f, now)
	if err != nil {
		return Change{}, err
	}
	c.SetAside = aside
	for {
		// Restoring one answer can ask (or hide) later questions: one at
		// a time, in flow order. Each restores a later question than the
		// last, so this ends.
		q, v, err := restorable(iv, f)
		if err != nil {
			return Change{}, err
		}
		if q == nil {
			break
		}
		restore(iv, q.ID, v, now)
		c.Restored = append(c.Restored, q.ID)
		aside, err := setAsideHidden(iv, f, now)
		if err != nil {
			return Change{}, err
		}
		c.SetAside = append(c.SetAside, aside...)
	}
	// A question set aside and restored in one change is neither.
	if len(c.Restored) > 0 {
		back := map[string]bool{}
		for _, id := range c.Restored {
			back[id] = true
		}
		c.SetAside = slices.DeleteFunc(c.SetAside, func(id string) bool { return back[id] })
	}
	return c, nil
}

// Preview returns what Answer would do to iv, without changing it: the
// forms ask before an answer sets others aside.
func Preview(iv *store.Interview, f *questionnaire.Flow, qid string, v any, now time.Time) (Change, error) {
	return Answer(clone(iv), f, qid, v, now)
}

// setAsideHidden moves the answers of questions the flow no longer asks
// to iv.SetAside, and returns their IDs in flow order.
func setAsideHidden(iv *store.Interview, f *questionnaire.Flow, now time.Time) ([]string, error) {
	ids, err := f.Prune(questionnaire.Answers(iv.AnswersMap()))
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		a, _ := iv.Answer(id)
		unsetAside(iv, id)
		iv.SetAside = append(iv.SetAside, a)
		iv.DropAnswer(id, now, iv.Interviewer)
		iv.Audit[len(iv.Audit)-1].Detail = setAsideDetail
	}
	return ids, nil
}

// restorable returns the first question the flow asks again that has no
// answer but one set aside, with that answer; nil if none. An answer its
// question no longer takes (a constraint on an earlier answer that has
// changed) stays set aside.
func restorable(iv *store.Interview, f *questionnaire.Flow) (*questionnaire.Question, any, error) {
	if len(iv.SetAside) == 0 {
		return nil, nil, nil
	}
	ans := questionnaire.Answers(iv.AnswersMap())
	vis, err := f.Visible(ans)
	if err != nil {
		return nil, nil, err
	}
	for _, q := range vis {
		if _, has := ans[q.ID]; has || !q.Asks() {
			continue
		}
		i := slices.IndexFunc(iv.SetAside, func(a store.Answer) bool { return a.QuestionID == q.ID })
		if i < 0 {
			continue
		}
		v := iv.SetAside[i].Value
		if v == nil {
			if q.Required {
				continue
			}
			return q, nil, nil
		}
		earlier := questionnaire.Answers{}
		for k, x := range ans {
			if p := f.Question(k); p != nil && p.Index < q.Index {
				earlier[k] = x
			}
		}
		if nv, err := f.Check(q, v, earlier, iv.Language); err == nil {
			return q, nv, nil
		}
	}
	return nil, nil, nil
}

// restore moves the set-aside answer to qid back among the answers, with
// the time it was first given, and notes it in the audit trail.
func restore(iv *store.Interview, qid string, v any, now time.Time) {
	i := slices.IndexFunc(iv.SetAside, func(a store.Answer) bool { return a.QuestionID == qid })
	a := iv.SetAside[i]
	unsetAside(iv, qid)
	a.Value = v
	iv.Answers = append(iv.Answers, a)
	iv.Audit = append(iv.Audit, store.AuditEvent{At: now, Event: store.EventRestored, QuestionID: qid, Interviewer: iv.Interviewer})
}

// unsetAside forgets the answer set aside for qid, if any.
func unsetAside(iv *store.Interview, qid string) {
	iv.SetAside = slices.DeleteFunc(iv.SetAside, func(a store.Answer) bool { return a.QuestionID == qid })
	if len(iv.SetAside) == 0 {
		iv.SetAside = nil // as the store reads it back
	}
}

// clone copies iv deeply enough for Answer to change the copy alone
// (answer values are replaced, never changed in place).
func clone(iv *store.Interview) *store.Interview {
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
