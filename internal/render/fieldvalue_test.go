package render

import (
	"testing"

	"fieldscreen/questionnaire"
)

func TestFieldValue(t *testing.T) {
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		field string
		v     any
		lang  string
		want  string
	}{
		{"outcome", "urgent_referral", "en", "Urgent referral"},
		{"outcome", "urgent_referral", "", "Urgent referral"},
		{"outcome", "not_screened", "fr", "Évaluation non réalisée"},
		{"outcome", "urgent_referral", "xx", "Urgent referral"}, // a language the flow does not speak
		{"situation", "trafficked_abroad", "en", "Indications of trafficking outside the country of origin"},
		{"outcome", "made_up_value", "en", "made up value"},
		{"no_such_field", true, "en", "yes"},
		{"outcome", nil, "en", ""},
	}
	for _, c := range cases {
		if got := FieldValue(f, c.field, c.v, c.lang); got != c.want {
			t.Errorf("FieldValue(%q, %v, %q) = %q, want %q", c.field, c.v, c.lang, got, c.want)
		}
	}
}
