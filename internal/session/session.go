// Package session holds what happens to an interview record as an
// interview runs: it starts, answers are given, changed or dropped when a
// changed answer hides later questions, and it completes. Both the terminal
// forms and the answers-file path use it, so the audit trail is the same.
// It decides nothing about which question comes next: questionnaire does.
package session

import (
	"time"

	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// New starts a record for an interview on flow f, keeping the
// flow's source in the store once per hash.
func New(st *store.Store, f *questionnaire.Flow, interviewer, location, lang string, now time.Time) (*store.Interview, error) {
	id, err := store.NewID()
	if err != nil {
		return nil, err
	}
	if err := st.PutFlow(f.Hash, f.Source); err != nil {
		return nil, err
	}
	iv := &store.Interview{
		ID: id, FlowID: f.ID, FlowVersion: f.Version, FlowHash: f.Hash,
		Interviewer: interviewer, Location: location, Language: f.Lang(lang),
		Status: store.StatusDraft, CreatedAt: now, UpdatedAt: now,
		Audit: []store.AuditEvent{{At: now, Event: "created", Interviewer: interviewer}},
	}
	return iv, nil
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

// Complete marks an interview completed with its outcome.
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
	iv.Audit = append(iv.Audit, store.AuditEvent{At: now, Event: "completed", Interviewer: iv.Interviewer})
	return nil
}

// Answer records v as the answer to question qid (nil: shown and left
// unanswered), then drops the answers of questions the flow no longer asks,
// each noted in the audit trail by question ID only. It returns the IDs
// dropped.
func Answer(iv *store.Interview, f *questionnaire.Flow, qid string, v any, now time.Time) ([]string, error) {
	iv.SetAnswer(qid, v, now, iv.Interviewer)
	recordConsent(iv, f, qid, v, now)
	iv.Position = qid
	iv.UpdatedAt = now
	ans := questionnaire.Answers(iv.AnswersMap())
	dropped, err := f.Prune(ans)
	if err != nil {
		return nil, err
	}
	for _, d := range dropped {
		iv.DropAnswer(d, now, iv.Interviewer)
	}
	return dropped, nil
}
