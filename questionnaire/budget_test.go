package questionnaire

import (
	"math/rand/v2"
	"testing"
)

// TestBuiltinBudget: the built-in flows stay far below an evaluation's
// budget: every expression of thousands of random interviews on each
// scores within a hundredth of it.
func TestBuiltinBudget(t *testing.T) {
	defer func(s, b int) { stepLimit, textLimit = s, b }(stepLimit, textLimit)
	stepLimit, textLimit = maxSteps/100, maxTextBytes/100
	n := 3000
	if testing.Short() {
		n = 300
	}
	for _, f := range []*Flow{builtin(t), currentBuiltin(t)} {
		g := NewAnswerGenerator(f)
		rng := rand.New(rand.NewPCG(12, 0))
		for i := range n {
			ans, err := g.Answers(rng)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Score(ans); err != nil {
				t.Fatalf("flow %s, interview %d: %v", f.Version, i, err)
			}
			if _, err := f.Visible(ans); err != nil {
				t.Fatalf("flow %s, interview %d: %v", f.Version, i, err)
			}
		}
	}
}
