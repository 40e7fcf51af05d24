package synth

import (
	"context"
	"io"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

func builtin(t testing.TB) *questionnaire.Flow {
	t.Helper()
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestDeterministic(t *testing.T) {
	f := builtin(t)
	a, b, c := New(f, 7), New(f, 7), New(f, 8)
	for i := range 20 {
		x, err := a.Interview(i)
		if err != nil {
			t.Fatal(err)
		}
		y, _ := b.Interview(i)
		z, _ := c.Interview(i)
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("interview %d differs between two generators of the same seed", i)
		}
		if x.ID == z.ID {
			t.Fatalf("interview %d has the same ID under another seed", i)
		}
	}
}

// TestFollowsFlow checks that every synthetic interview is one the flow
// could have produced: each answer is to a question it asks, valid for
// that question given the earlier answers, and the interview is complete.
func TestFollowsFlow(t *testing.T) {
	f := builtin(t)
	g := New(f, 1)
	seen := map[string]int{}
	var prev *record.Interview
	err := g.Each(600, func(i int, iv *record.Interview) error {
		if prev != nil && !iv.CreatedAt.After(prev.CreatedAt) {
			t.Fatalf("interview %d is not later than the one before", i)
		}
		prev = iv
		if iv.Status != record.StatusCompleted || iv.Outcome == "" || iv.CompletedAt == nil {
			t.Fatalf("interview %d is not completed with an outcome", i)
		}
		ans := questionnaire.Answers(iv.AnswersMap())
		if dropped, err := f.Prune(ans.Clone()); err != nil || len(dropped) > 0 {
			t.Fatalf("interview %d answers questions the flow does not ask: %v %v", i, dropped, err)
		}
		if next, err := f.Next(ans); err != nil || next != nil {
			t.Fatalf("interview %d stops before the end (next %v, %v)", i, next, err)
		}
		earlier := questionnaire.Answers{}
		for _, a := range iv.Answers {
			q := f.Question(a.QuestionID)
			switch v := a.Value.(type) {
			case nil:
				seen["nil"]++
				if q.Required {
					t.Fatalf("interview %d leaves required %s unanswered", i, q.ID)
				}
			default:
				got, err := f.Check(q, v, earlier, "")
				if err != nil {
					t.Fatalf("interview %d: %v", i, err)
				}
				if !reflect.DeepEqual(got, v) {
					t.Fatalf("interview %d, %s: %v is not in normal form", i, q.ID, v)
				}
				if s, ok := v.(string); ok && (s == questionnaire.Declined || s == questionnaire.DontKnow) {
					seen[s]++
				}
				if l, ok := v.([]string); ok && slices.Contains(l, questionnaire.None) {
					seen["none"]++
				}
			}
			earlier[a.QuestionID] = a.Value
		}
		seen[iv.Outcome]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"nil", questionnaire.Declined, questionnaire.DontKnow, "none"} {
		if seen[k] == 0 {
			t.Errorf("no %s answers in 600 interviews", k)
		}
	}
	if len(seen) < 6 {
		t.Errorf("too few distinct outcomes: %v", seen)
	}
}

func TestStoreAndBundle(t *testing.T) {
	f := builtin(t)
	g := New(f, 3)
	dir := t.TempDir()
	st, err := store.Create(filepath.Join(dir, "s.db"), []byte("synthetic passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var steps []int
	if err := g.Store(st, 1100, 500, func(n int) { steps = append(steps, n) }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(steps, []int{500, 1000, 1100}) {
		t.Errorf("progress %v", steps)
	}
	want, _ := g.Interview(1042)
	got, err := st.Get(want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("stored interview differs from the generated one")
	}

	path := filepath.Join(dir, "b.json")
	rep, err := g.Bundle(context.Background(), 300, bundle.Options{Path: path, Purpose: "load test", Plaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := bundle.OpenFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := 0
	for ; ; n++ {
		iv, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if iv.InterviewID != rep.IDs[n] {
			t.Fatalf("bundle order differs at %d", n)
		}
	}
	if n != 300 {
		t.Errorf("bundle holds %d interviews", n)
	}
}

func BenchmarkInterview(b *testing.B) {
	g := New(builtin(b), 1)
	i := 0
	for b.Loop() {
		if _, err := g.Interview(i); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
