package forms

// Unit tests of the question screens.

import (
	"testing"
)

// where says which screen r is on.
func where(r *runner) string {
	switch r.cur.kind {
	case kindIntro:
		return r.cur.q.Section.ID + " intro"
	case kindReview:
		return "review"
	}
	return r.cur.q.ID
}

// Esc from a section's first question shows its intro, Esc from there the
// question before; going forward shows the intro again.
func TestBackThroughIntro(t *testing.T) {
	f := builtin(t)
	r := answered(t, f, "en", map[string]any{"consent": "yes"})
	if where(r) != "safety intro" {
		t.Fatalf("resumed on %s", where(r))
	}
	r.proceed()
	for _, want := range []string{"safety intro", "consent", "consent intro", "consent intro"} {
		if err := r.back(); err != nil {
			t.Fatal(err)
		}
		if where(r) != want {
			t.Fatalf("back: on %s, want %s", where(r), want)
		}
	}
	r.proceed()
	if where(r) != "consent" {
		t.Fatalf("forward from the intro: on %s", where(r))
	}
	if err := r.save(f.Question("consent"), "yes"); err != nil {
		t.Fatal(err)
	}
	if where(r) != "safety intro" {
		t.Errorf("forward from consent: on %s, want the safety intro again", where(r))
	}
}
