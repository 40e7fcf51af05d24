package forms

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// speaking returns the built-in flow as one that lists lang among its
// languages, so the screens can be checked in lang whether or not the
// flow's own text is translated yet.
func speaking(tb testing.TB, lang string) *questionnaire.Flow {
	tb.Helper()
	f := *builtin(tb) // a copy: the built-in flow is shared
	if !slices.Contains(f.Languages, lang) {
		f.Languages = append(slices.Clone(f.Languages), lang)
	}
	return &f
}

// A French-speaking interviewer runs the whole interview and reads every
// screen word in French; the flow's own words are its translators' work.
func TestAccessibleWholeInterviewFrench(t *testing.T) {
	st, f := newStore(t), speaking(t, "fr")
	id := newInterview(t, st, f)
	lines := slices.Clone(fullInterview)
	at := slices.Index(lines, "30")
	lines = slices.Insert(lines, at, "abc", "150") // age: refused, in French
	lines[slices.Index(lines, "y")] = "o"          // ever_exploited: "oui"
	lines[slices.Index(lines, "No")] = "no"        // wishes_to_return: by value
	var out bytes.Buffer
	iv, err := Run(context.Background(), Options{
		Flow: f, Store: st, InterviewID: id, Lang: "fr",
		In: strings.NewReader(strings.Join(lines, "\n") + "\n"), Out: &out, Accessible: true,
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	if iv.Status != record.StatusCompleted {
		t.Fatalf("status %s", iv.Status)
	}
	wantAnswers(t, iv, map[string]any{"age": 30, "ever_exploited": "yes", "wishes_to_return": "no",
		"experienced_sgbv": "declined", "trauma_affecting_recovery": "dont_know"})
	const nb = "\u00a0"
	text := out.String()
	for _, want := range []string{
		"Touches" + nb + ": b = revenir à la question précédente, q = pause",
		"Section 1 sur 12" + nb + ": ", "Section 6 sur 12" + nb + ": ",
		"Appuyez sur Entrée pour continuer.",
		"Consigne" + nb + ": ",
		"Tapez un numéro" + nb + "; d pour «" + nb + "ne sait pas" + nb + "»" + nb + "; x pour «" + nb + "ne souhaite pas répondre" + nb + "»",
		"Tapez un nombre entier de 0 à 120",
		"Tapez un ou plusieurs numéros, séparés par des virgules",
		"Non enregistré" + nb + ": la réponse doit être un nombre entier de 0 à 120, et non «" + nb + "abc" + nb + "». Veuillez réessayer.",
		"Non enregistré" + nb + ": 150 est hors limites" + nb + "; la réponse doit être un nombre entier de 0 à 120. Veuillez réessayer.",
		"Enregistré" + nb + ": 30",
		"Enregistré" + nb + ": Ne souhaite pas répondre",
		"Enregistré" + nb + ": Ne sait pas",
		"Entrée pour laisser la question sans réponse",
		"Relisez les réponses avant de terminer l'entretien.",
		"Tapez c pour terminer l'entretien, ou le numéro d'une réponse pour la modifier.",
		"Entretien terminé et enregistré.",
		"\n(Observation — ne pas lire à voix haute)\nOù la personne se trouve-t-elle actuellement" + nb + "?",
		"\nLes réponses mènent jusqu'ici à ces orientations" + nb + "; expliquez chacune d'elles" + nb + ":\n" +
			"• Services de lutte contre la traite\n" +
			"• Services d'asile et d'aide juridique" + nb + ": Procédure d'asile" + nb + "; Aide juridique\n" +
			"• Soins de santé, y compris de santé mentale" + nb + ": Soins médicaux\n" +
			"  1. Services de lutte contre la traite\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q\n%s", want, text)
		}
	}
	for _, en := range []string{"Keys:", "Section 1 of", "Type a number", "Saved:", "Not saved:", "Review the answers",
		"Press Enter", "Hint:", "for don't know", "Interview completed", "do not read aloud", "The answers so far"} {
		if strings.Contains(text, en) {
			t.Errorf("output still says %q", en)
		}
	}
}

// The full-screen mode's own words, from the same table.
func TestScreenWordsSpanish(t *testing.T) {
	st, f := newStore(t), speaking(t, "es")
	id := newInterview(t, st, f)
	r, err := newRunner(Options{Flow: f, Store: st, InterviewID: id, Lang: "es"})
	if err != nil {
		t.Fatal(err)
	}
	m := newTUI(r)
	if got, want := m.helpLine(), "Intro continuar • esc atrás • ctrl+c pausa"; got != want {
		t.Errorf("help line on the intro: %q, want %q", got, want)
	}
	if got := r.section(r.cur.q); !strings.HasPrefix(got, "Sección 1 de 12: ") {
		t.Errorf("section line: %q", got)
	}
	age := f.Question("age")
	if _, err := r.check(age, "abc"); err == nil || err.Error() != "la respuesta debe ser un número entero de 0 a 120, no «abc»" {
		t.Errorf("integer hint: %v", err)
	}
	if _, err := r.check(f.Question("consent"), nil); err == nil || err.Error() != "esta pregunta requiere una respuesta" {
		t.Errorf("required: %v", err)
	}
	r.dropped = []string{"a", "b"}
	if got := r.changeNote(); !strings.HasPrefix(got, "2 respuestas posteriores ya no corresponden") {
		t.Errorf("dropped note: %q", got)
	}
	if got := valueText(f, f.Question("consent"), nil, "es"); got != "(sin respuesta)" {
		t.Errorf("unanswered: %q", got)
	}
}
