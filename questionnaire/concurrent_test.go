package questionnaire

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestScoreConcurrent scores every scenario from 8 goroutines at once on
// one *Flow (as the CLI does) and checks each summary against the one
// scored alone. Run with -race, it also shows that Score, Visible and Next
// share no mutable state.
func TestScoreConcurrent(t *testing.T) {
	f := builtin(t)
	paths, err := filepath.Glob(filepath.Join(scenarioDir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no scenarios in %s (%v)", scenarioDir, err)
	}
	type scenario struct {
		name string
		ans  Answers
		want string
	}
	var scs []scenario
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		af, err := f.ParseAnswers(filepath.Base(p), src)
		if err != nil {
			t.Fatal(err)
		}
		want, err := summaryText(f, af.Answers)
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, scenario{filepath.Base(p), af.Answers, want})
	}
	const workers, rounds = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for g := range workers {
		wg.Go(func() {
			for r := range rounds {
				sc := scs[(g+r)%len(scs)]
				got, err := summaryText(f, sc.ans)
				if err != nil {
					errs <- fmt.Errorf("%s: %v", sc.name, err)
					return
				}
				if got != sc.want {
					errs <- fmt.Errorf("%s: summary scored concurrently differs:\n%s\nwant:\n%s", sc.name, got, sc.want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// summaryText is everything Score decides, as text: the JSON summary and
// the explanations, with the questions Visible and Next give.
func summaryText(f *Flow, ans Answers) (string, error) {
	s, err := f.Score(ans)
	if err != nil {
		return "", err
	}
	j, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	vis, err := f.Visible(ans)
	if err != nil {
		return "", err
	}
	next, err := f.Next(ans)
	if err != nil {
		return "", err
	}
	ids := make([]string, len(vis))
	for i, q := range vis {
		ids[i] = q.ID
	}
	nextID := ""
	if next != nil {
		nextID = next.ID
	}
	return fmt.Sprintf("%s\n%#v\n%v\nnext %s", j, s.Explanations, ids, nextID), nil
}
