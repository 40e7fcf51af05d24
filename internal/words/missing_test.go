package words

import (
	"slices"
	"testing"

	"fieldscreen/questionnaire"
)

// Missing lists what a flow adding a language must translate: nothing for
// the languages of the table, every word for another, less the words the
// flow gives in it.
func TestMissing(t *testing.T) {
	for _, lang := range []string{"en", "fr", "es"} {
		if m := Missing(nil, lang); len(m) != 0 {
			t.Errorf("Missing(%s) = %d words, want none: %v", lang, len(m), m[:min(len(m), 5)])
		}
	}
	all := Missing(nil, "pt")
	if len(all) != len(table["en"]) || !slices.IsSorted(all) || !slices.Contains(all, "summary_title") {
		t.Fatalf("Missing(pt) = %d words (want %d, sorted, with summary_title)", len(all), len(table["en"]))
	}
	f := &questionnaire.Flow{Strings: []questionnaire.UIString{{ID: "summary_title", Text: questionnaire.Text{"en": "Intake", "pt": "Acolhimento"}}}}
	if m := Missing(f, "pt"); len(m) != len(all)-1 || slices.Contains(m, "summary_title") {
		t.Errorf("a word the flow translates is still listed: %d words", len(m))
	}
	if Known("fr", "summary_title") == "" || Known("pt", "summary_title") != "" {
		t.Errorf("Known: fr %q, pt %q", Known("fr", "summary_title"), Known("pt", "summary_title"))
	}
}
