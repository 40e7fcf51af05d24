package cli

import (
	"errors"
	"fmt"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// moveDraft moves the draft iv, taken so far on flow cur, to the flow in
// o.flowPath (interview --resume ID --flow NEW): it lists the answers
// that no longer fit, asks (or takes --yes), and records the move. It
// returns the flow the interview goes on with and the draft as stored.
func (a *app) moveDraft(st *store.Store, iv *record.Interview, cur *questionnaire.Flow, o *interviewOptions, now time.Time) (*questionnaire.Flow, *record.Interview, error) {
	to, err := loadFlow(o.flowPath)
	if err != nil {
		return nil, nil, err
	}
	if to.Hash == iv.FlowHash {
		return cur, iv, nil // already on it
	}
	misfits, err := session.PlanMove(iv, to)
	if err != nil {
		return nil, nil, err
	}
	id := shortID(iv.ID)
	fmt.Fprintf(a.io.Err, "Interview %s was started on flow %s %s; --flow moves it to %s %s.\n", id, iv.FlowID, iv.FlowVersion, to.ID, to.Version)
	if len(misfits) == 0 {
		fmt.Fprintln(a.io.Err, "Every answer fits the new flow.")
	} else {
		fmt.Fprintf(a.io.Err, "%s will be taken out (the audit trail names each question):\n",
			plural(len(misfits), "answer no longer fits and", "answers no longer fit and"))
		for _, m := range misfits {
			label := m.QuestionID
			if q := cur.Question(m.QuestionID); q != nil {
				label = fmt.Sprintf("%s (%s)", m.QuestionID, cur.T(q.Label, iv.Language))
			}
			what := "erased"
			if m.Reason == session.MisfitCondition {
				what = "set aside: back if the new flow asks it again"
			}
			fmt.Fprintf(a.io.Err, "  - %s: %s (%s)\n", label, m.Reason, what)
		}
	}
	if !o.yes {
		err := a.confirm(fmt.Sprintf("Move interview %s to flow %s %s?", id, to.ID, to.Version), "--yes")
		if errors.Is(err, errCancelled) {
			return nil, nil, withHint(fmt.Errorf("interview %s was not moved; it stays on flow %s %s", id, iv.FlowID, iv.FlowVersion), ExitError,
				"resume it on its own flow with 'fieldscreen interview --resume %s'", id)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	who := firstNonEmpty(o.interviewer, a.configDefault("interviewer"), iv.Interviewer)
	moved, err := session.MoveDraft(st, iv.ID, to, who, now)
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(a.io.Err, "Interview %s is now on flow %s %s.\n", id, to.ID, to.Version)
	return to, moved, nil
}
