package words

import (
	"regexp"
	"slices"
	"testing"

	"fieldscreen/questionnaire"
)

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// Every language has every word, with the same placeholders: a missing
// French word would silently show English to a French-speaking interviewer.
func TestLanguagesComplete(t *testing.T) {
	for lang, m := range table {
		for id, s := range table["en"] {
			got, ok := m[id]
			if !ok {
				t.Errorf("%s: %s missing", lang, id)
				continue
			}
			want := placeholder.FindAllString(s, -1)
			have := placeholder.FindAllString(got, -1)
			slices.Sort(want)
			slices.Sort(have)
			if !slices.Equal(want, have) {
				t.Errorf("%s: %s has placeholders %v, English has %v", lang, id, have, want)
			}
		}
		for id := range m {
			if _, ok := table["en"][id]; !ok {
				t.Errorf("%s: %s is not an English word ID", lang, id)
			}
		}
	}
}

func TestLookupOrder(t *testing.T) {
	f := &questionnaire.Flow{DefaultLanguage: "en", Strings: []questionnaire.UIString{
		{ID: "referrals", Text: questionnaire.Text{"en": "Where to send the person", "es": "Adónde enviar a la persona"}},
		{ID: "custom", Text: questionnaire.Text{"en": "Only in English"}},
	}}
	for _, tc := range []struct{ lang, id, want string }{
		{"es", "referrals", "Adónde enviar a la persona"}, // the flow, in lang
		{"fr", "referrals", "Orientations"},               // the table in lang beats an English override
		{"en", "referrals", "Where to send the person"},
		{"fr", "custom", "Only in English"}, // the flow's default language
		{"xx", "cautions", "Cautions"},      // English
		{"fr", "no_such_word", "no_such_word"},
	} {
		if got := T(f, tc.lang, tc.id); got != tc.want {
			t.Errorf("T(%s, %s) = %q, want %q", tc.lang, tc.id, got, tc.want)
		}
	}
	if got := T(nil, "fr", "form.section", "k", "2", "n", "5", "title", "Consentement"); got != "Section 2 sur 5\u00a0: Consentement" {
		t.Errorf("placeholders: got %q", got)
	}
}
