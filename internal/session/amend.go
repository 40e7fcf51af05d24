package session

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// Amendment is what an amendment changed, by question ID (never values).
type Amendment struct {
	Changed  []string // answers given anew
	Answered []string // questions the correction asks that had no answer
	Dropped  []string // answers to questions the correction no longer asks
	// AfterExport: the interview had been handed over (a bundle to a
	// recipient), so someone holds the version before the correction.
	AfterExport bool
	OldOutcome  string
	Outcome     string

	summary *questionnaire.Summary // the corrected interview's, scored once
}

// Summary is the corrected interview's summary; nil if nothing changed.
func (a Amendment) Summary() *questionnaire.Summary { return a.summary }

// Empty reports whether the amendment changed no answer.
func (a Amendment) Empty() bool {
	return len(a.Changed)+len(a.Answered)+len(a.Dropped) == 0
}

// ErrNotCompleted is returned when amending an interview that is not
// completed: a draft is resumed, not amended.
var ErrNotCompleted = errors.New("only a completed interview can be amended")

// Amend corrects a completed interview (the person's right to
// rectification): its answers become ans, which must be a whole
// interview on f (every required question asked answered, no question
// that is not asked). Each change
// is recorded in the audit trail by question ID, then an "amended" event
// with the reason; the interview is rescored and is "completed" again
// (an exported one too: its corrected version has not been handed over).
// Nothing changes if ans holds the answers already recorded.
func Amend(iv *record.Interview, f *questionnaire.Flow, ans questionnaire.Answers, reason, who string, now time.Time) (Amendment, error) {
	var out Amendment
	if iv.Status != record.StatusCompleted && iv.Status != record.StatusExported {
		return out, fmt.Errorf("interview %s is %s: %w", iv.ID, iv.Status, ErrNotCompleted)
	}
	if strings.TrimSpace(reason) == "" {
		return out, errors.New("an amendment needs a reason")
	}
	ans, err := checkWhole(f, ans, iv.Language)
	if err != nil {
		return out, err
	}
	old := iv.AnswersMap()
	out.OldOutcome = iv.Outcome
	for _, q := range f.Questions {
		v, has := ans[q.ID]
		o, had := old[q.ID]
		switch {
		case has && !had:
			SetAnswer(iv, q.ID, v, now, who)
			out.Answered = append(out.Answered, q.ID)
		case has && !sameValue(o, v):
			SetAnswer(iv, q.ID, v, now, who)
			out.Changed = append(out.Changed, q.ID)
		case !has && had:
			dropAnswer(iv, q.ID, now, who, "")
			out.Dropped = append(out.Dropped, q.ID)
		default:
			continue
		}
		recordConsent(iv, f, q.ID, v, now)
	}
	// Answers to questions the flow does not have (none, unless the
	// record was made otherwise) are not the correction's business.
	out.Outcome = iv.Outcome
	if out.Empty() {
		return out, nil
	}
	sum, err := f.Score(questionnaire.Answers(iv.AnswersMap()))
	if err != nil {
		return Amendment{}, err
	}
	for _, e := range iv.Audit {
		if e.Handover() {
			out.AfterExport = true
		}
	}
	iv.Outcome = sum.GetString("outcome")
	out.Outcome = iv.Outcome
	iv.Status = record.StatusCompleted
	iv.Position = ""
	iv.SetAside = nil
	iv.UpdatedAt = now
	iv.Audit = append(iv.Audit, record.Amended(now, who, reason))
	out.summary = sum
	return out, nil
}

// AnswerProblem is an answer set that is not a whole interview on the
// flow. It names questions, never values.
type AnswerProblem struct {
	Question string
	Problem  string
}

func (e *AnswerProblem) Error() string {
	return fmt.Sprintf("question %q: %s", e.Question, e.Problem)
}

// checkWhole checks ans as the answers of a whole interview on f, in flow
// order (so constraints see the answers before them), and returns them
// normalised.
func checkWhole(f *questionnaire.Flow, ans questionnaire.Answers, lang string) (questionnaire.Answers, error) {
	for id := range ans {
		if f.Question(id) == nil {
			return nil, &AnswerProblem{id, fmt.Sprintf("flow %s %s has no such question", f.ID, f.Version)}
		}
	}
	out := questionnaire.Answers{}
	for _, q := range f.Questions {
		v, ok := ans[q.ID]
		if !ok {
			continue
		}
		if v == nil {
			if q.Required {
				return nil, &AnswerProblem{q.ID, "needs an answer"}
			}
			out[q.ID] = nil
			continue
		}
		nv, err := f.Check(q, v, out, lang)
		if err != nil {
			var ae *questionnaire.AnswerError
			if errors.As(err, &ae) {
				return nil, &AnswerProblem{q.ID, ae.Message}
			}
			return nil, err
		}
		out[q.ID] = nv
	}
	vis, err := f.Visible(out)
	if err != nil {
		return nil, err
	}
	asked := map[string]bool{}
	for _, q := range vis {
		if !q.Asks() {
			continue
		}
		asked[q.ID] = true
		if _, ok := out[q.ID]; !ok && q.Required {
			return nil, &AnswerProblem{q.ID, "is asked with these answers and needs one"}
		}
	}
	for _, q := range f.Questions {
		if _, ok := out[q.ID]; ok && !asked[q.ID] {
			return nil, &AnswerProblem{q.ID, "is not asked with these answers"}
		}
	}
	return out, nil
}
