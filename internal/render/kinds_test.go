package render

import (
	"strings"
	"testing"

	"fieldscreen/questionnaire"
)

// TestKindPrints: every kind has its row in kindPrints (kinds.go), with
// words for paper in every language, and, when it asks, boxes or a line
// to write the answer on.
func TestKindPrints(t *testing.T) {
	for _, k := range questionnaire.Kinds() {
		kp, ok := kindPrints[k]
		if !ok {
			t.Errorf("kind %q has no row in render's kindPrints (internal/render/kinds.go): say how it is printed on paper and shown in a summary", k)
			continue
		}
		f, q, err := questionnaire.KindExample(k)
		if err != nil {
			t.Fatal(err)
		}
		if kp.words == nil {
			t.Errorf("kind %q's row in render's kindPrints has no words for paper", k)
			continue
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
	}
}
