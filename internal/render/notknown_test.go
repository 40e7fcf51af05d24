package render

import (
	"bytes"
	"strings"
	"testing"

	"fieldscreen/questionnaire"
)

// A question that was asked and declined or left unanswered reads "not
// known"; only a question the flow did not ask reads "not asked"; an empty
// list of support reads "not known" when the person declined to say what
// they need, never "none".
func TestAskedButUnansweredIsNotKnown(t *testing.T) {
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ans := questionnaire.Answers{
		"consent": "yes", "age": 30, "present_in": "destination_country",
		"fears_return": "yes", "deportation_risk": "yes", "needs": questionnaire.Declined,
		// past_serious_harm, fled_conflict_or_violence, feared_harm and
		// authorities_informed are asked and left unanswered.
	}
	s, err := f.Score(ans)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Summary(&buf, f, s, "en", Options{Width: 200, Answers: ans}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Support where they are: not known",
		"Serious harm suffered before: not known",
		"Fled war or widespread violence: not known",
		"Telling the police, prosecutors or immigration: not known",
		// exploitation was never disclosed: its details were not asked
		"Exploitation described: not asked",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"Support where they are: none", "Serious harm suffered before: not asked"} {
		if strings.Contains(out, bad) {
			t.Errorf("summary says %q", bad)
		}
	}
}
