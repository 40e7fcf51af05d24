package cli

import (
	"strings"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// TestAuditSetAsideInReadersLanguage: an answer set aside by a change is
// stored with an English note (a bundle keeps it as written); a French or
// Spanish 'show' says it in French or Spanish, not in English in the
// middle of the reader's audit trail.
func TestAuditSetAsideInReadersLanguage(t *testing.T) {
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e := record.Dropped(time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC), "age", "", record.SetAsideDetail)
	for lang, want := range map[string]string{"en": record.SetAsideDetail, "fr": "mise de côté", "es": "apartada"} {
		fields := auditFields(e, scored{flow: f, lang: lang})
		detail := fields[len(fields)-1]
		if !strings.HasPrefix(detail, want) {
			t.Errorf("%s: the set-aside note reads %q, want it to start %q", lang, detail, want)
		}
	}
}

// TestAuditLanguageChangeInReadersLanguage: the trail of a draft resumed
// in another language says so in the reader's words.
func TestAuditLanguageChangeInReadersLanguage(t *testing.T) {
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e := record.ResumedIn(time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC), "T", "fr", "es")
	for lang, want := range map[string]string{"en": "language changed from fr to es", "es": "idioma cambiado de fr a es"} {
		fields := auditFields(e, scored{flow: f, lang: lang})
		if detail := fields[len(fields)-1]; detail != want {
			t.Errorf("%s: the language change reads %q, want %q", lang, detail, want)
		}
	}
}
