package bundle

import (
	"reflect"

	"fieldscreen/questionnaire"
)

// checkAnswers refuses an interview whose answers its flow could not have
// recorded: a value the question does not take (a choice it does not
// have, a number out of range, a text too long, a broken constraint), a
// value not in the form fieldscreen keeps it (Flow.Check's), an answer to
// a question its other answers do not ask, or, after consent was refused,
// anything but that answer. An interview that passes is one an interview
// on this flow could have produced, so the store holds nothing it could
// not hold otherwise.
//
// Its messages name the interview and the question, never the answer.
func checkAnswers(iv *Interview, f *questionnaire.Flow) error {
	id := shortID(iv.InterviewID)
	ans := iv.answers()
	for _, a := range iv.Answers {
		if a.Value == nil {
			continue // shown and left unanswered
		}
		q := f.Question(a.ID)
		v, err := f.Check(q, a.Value, ans, iv.Language)
		if err != nil {
			if s, ok := a.Value.(string); ok && len(s) > questionnaire.MaxTextAnswer {
				return invalidf("interview %s: its answer to question %q is %d bytes long; an answer holds at most %d", id, a.ID, len(s), questionnaire.MaxTextAnswer)
			}
			return invalidf("interview %s: its answer to question %q is not one the question takes (it accepts: %s)", id, a.ID, q.Accepts())
		}
		if !reflect.DeepEqual(v, a.Value) {
			return invalidf("interview %s: its answer to question %q is not in the form fieldscreen keeps it (a list in the flow's order, a text without spaces around it)", id, a.ID)
		}
	}
	if cq := f.ConsentQuestion; cq != "" {
		v, answered := ans[cq]
		s, _ := v.(string)
		c := iv.Consent
		switch {
		case answered && (s == "yes" || s == "no"):
			if c == nil || c.Given != (s == "yes") {
				return invalidf("interview %s: its consent record does not match its answer to question %q", id, cq)
			}
			if s == "no" && len(iv.Answers) != 1 {
				return invalidf("interview %s: consent was refused, yet it keeps %d other answers; after a refusal nothing but that answer is kept", id, len(iv.Answers)-1)
			}
		case c != nil:
			return invalidf("interview %s: it records consent, but question %q is not answered yes or no", id, cq)
		}
	}
	vis, err := f.Visible(ans)
	if err != nil {
		return invalidf("interview %s: its flow cannot walk its answers: %v", id, err)
	}
	asked := make(map[string]bool, len(vis))
	for _, q := range vis {
		asked[q.ID] = true
	}
	for _, a := range iv.Answers {
		if !asked[a.ID] {
			return invalidf("interview %s: it answers question %q, which its other answers do not ask", id, a.ID)
		}
	}
	return nil
}
