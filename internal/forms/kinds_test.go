package forms

import (
	"testing"

	"fieldscreen/internal/kindtest"
	"fieldscreen/questionnaire"
)

// TestKindForms: every kind has its row in kindForms (kinds.go). A kind
// that asks has a widget and says how to answer it in line mode (and
// under a typed field); it is a list exactly when its question has
// options.
func TestKindForms(t *testing.T) {
	kindtest.Rows(t, kindForms, "forms' kindForms (internal/forms/kinds.go)", "say how the terminal and line mode ask it",
		func(k questionnaire.Kind, kf kindForm, f *questionnaire.Flow, q *questionnaire.Question) {
			if !q.Asks() {
				if kf.widget != noAnswer {
					t.Errorf("kind %q asks nothing, but forms' kindForms gives it a widget", k)
				}
				return
			}
			if kf.widget == noAnswer {
				t.Errorf("kind %q asks, but forms' kindForms gives it no widget", k)
			}
			if kf.line == nil {
				t.Errorf("kind %q: forms' kindForms does not say how to answer it in line mode", k)
			}
			if kf.widget == typedIn && kf.tui == nil {
				t.Errorf("kind %q: forms' kindForms does not say how to type its answer in the terminal", k)
			}
			list := kf.widget == pickOne || kf.widget == pickMany
			if has := len(options(f, q, "en")) > 0; has != list {
				t.Errorf("kind %q: its question has options %v, but its widget is a list %v", k, has, list)
			}
		})
}
