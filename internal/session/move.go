package session

import (
	"fmt"
	"slices"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// A draft started on one flow can be moved to another (a new version of
// it, say) before it is completed. The move is explicit: the caller lists
// the answers that do not fit the new flow and asks first.

// Why an answer does not fit the flow a draft moves to.
const (
	MisfitRemoved   = "question removed"
	MisfitChoice    = "choice removed"
	MisfitAnswer    = "answer no longer accepted" // a type, constraint or required changed
	MisfitCondition = "condition no longer met"
)

// Misfit is an answer of a draft that does not fit the flow it moves to.
type Misfit struct {
	QuestionID string `json:"question_id"`
	Reason     string `json:"reason"`
}

// PlanMove returns the answers of draft iv that do not fit flow to, in
// the order iv's answers were given; iv is not changed.
func PlanMove(iv *record.Interview, to *questionnaire.Flow) ([]Misfit, error) {
	_, misfits, err := fit(iv, to)
	return misfits, err
}

// fit returns the answers of iv that fit flow to, in their normal form
// for it, and those that do not.
func fit(iv *record.Interview, to *questionnaire.Flow) (questionnaire.Answers, []Misfit, error) {
	why := map[string]string{}
	kept := questionnaire.Answers{}
	have := iv.AnswersMap()
	for _, q := range to.Questions {
		v, ok := have[q.ID]
		if !ok || !q.Asks() {
			continue
		}
		// An answer is checked as it would be given now: after the
		// answers before it in the new flow.
		nv, err := to.Check(q, v, kept, iv.Language)
		if err != nil {
			why[q.ID] = MisfitAnswer
			if lostChoice(q, v) {
				why[q.ID] = MisfitChoice
			}
			continue
		}
		kept[q.ID] = nv
	}
	for id := range have {
		if q := to.Question(id); q == nil || !q.Asks() {
			why[id] = MisfitRemoved
		}
	}
	hidden, err := to.Prune(kept)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range hidden {
		why[id] = MisfitCondition
	}
	var out []Misfit
	for _, a := range iv.Answers {
		if r, ok := why[a.QuestionID]; ok {
			out = append(out, Misfit{QuestionID: a.QuestionID, Reason: r})
		}
	}
	return kept, out, nil
}

// lostChoice reports whether v holds a value that is not a choice of q.
func lostChoice(q *questionnaire.Question, v any) bool {
	if len(q.Choices) == 0 && q.Type != questionnaire.TypeYesNo {
		return false
	}
	vals := []any{v}
	if l, ok := v.([]any); ok {
		vals = l
	}
	for _, x := range vals {
		s, ok := x.(string)
		if !ok {
			return false
		}
		if s == questionnaire.Declined || s == questionnaire.DontKnow {
			continue
		}
		if q.Type == questionnaire.TypeYesNo && (s == "yes" || s == "no") {
			continue
		}
		if q.Choice(s) == nil {
			return true
		}
	}
	return false
}

// Move moves draft iv to flow to. The answers that do not fit are taken
// out, each with a "dropped" audit event naming the question and why:
// one whose condition no longer holds is set aside (restored if the new
// flow asks it again before completion, as after a changed answer), the
// others are erased. Set-aside answers of questions the new flow lacks
// are erased too. An audit event records the move, from and to.
func Move(iv *record.Interview, to *questionnaire.Flow, who string, now time.Time) ([]Misfit, error) {
	if iv.Status != record.StatusDraft {
		return nil, fmt.Errorf("interview %s is %s; only a draft moves to another flow", iv.ID, iv.Status)
	}
	kept, misfits, err := fit(iv, to)
	if err != nil {
		return nil, err
	}
	toRef := record.FlowRef{ID: to.ID, Version: to.Version, Hash: to.Hash}
	iv.Audit = append(iv.Audit, record.FlowChanged(now, who, record.FlowRef{ID: iv.FlowID, Version: iv.FlowVersion, Hash: iv.FlowHash}, toRef))
	for _, m := range misfits {
		a, _ := iv.Answer(m.QuestionID)
		aside := m.Reason == MisfitCondition
		dropAnswer(iv, m.QuestionID, now, who, record.MovedDetail(toRef, m.Reason, aside))
		if aside {
			unsetAside(iv, m.QuestionID)
			iv.SetAside = append(iv.SetAside, a)
		}
	}
	// The answers that stay take their normal form in the new flow (a
	// multi answer in its choice order).
	for i := range iv.Answers {
		if v, ok := kept[iv.Answers[i].QuestionID]; ok {
			iv.Answers[i].Value = v
		}
	}
	iv.SetAside = slices.DeleteFunc(iv.SetAside, func(a record.Answer) bool {
		q := to.Question(a.QuestionID)
		return q == nil || !q.Asks()
	})
	if len(iv.SetAside) == 0 {
		iv.SetAside = nil
	}
	if q := to.Question(iv.Position); q == nil {
		iv.Position = ""
	}
	iv.FlowID, iv.FlowVersion, iv.FlowHash = to.ID, to.Version, to.Hash
	iv.UpdatedAt = now
	return misfits, nil
}

// MoveDraft moves draft id in st to flow to (see Move), keeping the new
// flow's source in the store, in one durable transaction.
func MoveDraft(st Store, id string, to *questionnaire.Flow, who string, now time.Time) (*record.Interview, error) {
	if err := st.PutFlow(to.Hash, to.Source); err != nil {
		return nil, err
	}
	return st.Update(id, func(x *record.Interview) error {
		_, err := Move(x, to, who, now)
		return err
	})
}
