package render

import (
	"strings"
	"testing"

	"fieldscreen/internal/kindtest"
	"fieldscreen/questionnaire"
)

// TestKindPrints: every kind has its row in kindPrints (kinds.go), with
// words for paper in every language, and, when it asks, boxes or a line
// to write the answer on.
func TestKindPrints(t *testing.T) {
	kindtest.Rows(t, kindPrints, "render's kindPrints (internal/render/kinds.go)", "say how it is printed on paper and shown in a summary",
		func(k questionnaire.Kind, kp kindPrint, f *questionnaire.Flow, q *questionnaire.Question) {
			if kp.words == nil {
				t.Errorf("kind %q's row in render's kindPrints has no words for paper", k)
				return
			}
			for _, lang := range []string{"en", "fr", "es"} {
				if w := kp.words(f, lang, q); w == "" || strings.HasPrefix(w, "type.") {
					t.Errorf("kind %q has no words on paper in %s (internal/words: type.%s): %q", k, lang, k, w)
				}
			}
			boxes := 0
			if kp.boxes != nil {
				vals, alone := kp.boxes(q)
				if len(vals) != len(alone) {
					t.Errorf("kind %q: %d boxes but %d marks", k, len(vals), len(alone))
				}
				boxes = len(vals)
			}
			if q.Asks() && (boxes > 0) == kp.writeIn {
				t.Errorf("kind %q is printed with %d boxes and writeIn %v; an asked question takes one of the two", k, boxes, kp.writeIn)
			}
		})
}
