package render

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"fieldscreen/questionnaire"
)

// The flow's own words (titles, labels, finding names) are the flow's
// translators' work; these tests check fieldscreen's interface words.

// speaking returns the built-in flow as one that lists langs among its
// languages, so the interface words can be checked in them whether or not
// the flow's own text is translated yet.
func speaking(t *testing.T, langs ...string) *questionnaire.Flow {
	t.Helper()
	f := *builtin(t) // a copy: the built-in flow is shared
	f.Languages = slices.Clone(f.Languages)
	for _, l := range langs {
		if !slices.Contains(f.Languages, l) {
			f.Languages = append(f.Languages, l)
		}
	}
	return &f
}

func TestSummaryTranslated(t *testing.T) {
	f := speaking(t, "fr", "es")
	sc := scenarios[0] // urgent: every heading, the URGENT marks and the priorities
	s := score(t, f, sc.name, sc.answers)
	for _, tc := range []struct {
		lang string
		want []string
	}{
		// French puts a no-break space before ":" (review 2.0, point 21).
		{"fr", []string{"Synthèse de l'évaluation préliminaire\u00a0: ", "Entretien\u00a0:", "Formulaire\u00a0:", "Statut\u00a0:", " terminé\n",
			"\nÀ faire immédiatement\n", "* URGENT — ", "\nOrientations\n", "Priorité élevée", "Priorité normale", "Pourquoi\u00a0: ",
			"Fondement\u00a0: ", "\nPoints de vigilance\n", "\nSolutions\n", "\nInformations manquantes\n",
			"Aucune\u00a0: toutes les questions posées ont reçu une réponse.", "Acte décrit\u00a0: oui",
			"Crainte en cas de retour exprimée\u00a0: oui", "appartenance à un certain groupe social"}},
		{"es", []string{"Resumen de la evaluación preliminar: ", "Entrevista:", "Formulario:", "Estado:", " completada\n",
			"\nActuar ahora\n", "\nDerivaciones\n", "* URGENTE — ", "Prioridad alta", "Prioridad normal",
			"Por qué: ", "Fundamento: ", "\nPrecauciones\n", "\nSoluciones\n", "\nInformación faltante\n",
			"Ninguna: se respondieron todas las preguntas formuladas.", "Acción descrita: sí", "Temor al retorno expresado: sí",
			"pertenencia a determinado grupo social"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var b bytes.Buffer
			if err := Summary(&b, f, s, tc.lang, Options{Width: 80, Answers: sc.answers}); err != nil {
				t.Fatal(err)
			}
			checkPlain(t, "summary "+tc.lang, b.Bytes(), 80)
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("the %s summary lacks %q", tc.lang, w)
				}
			}
			for _, en := range []string{"Screening summary", "\nReferrals\n", "\nCautions\n", "High priority", "Why: "} {
				if strings.Contains(b.String(), en) {
					t.Errorf("the %s summary still says %q", tc.lang, en)
				}
			}
			golden(t, "summary_"+sc.name+"."+tc.lang+".txt", b.Bytes())
		})
	}
}

func TestSummaryMarkdownAndAnswersTranslated(t *testing.T) {
	f := speaking(t, "es")
	sc := scenarios[1] // information gaps, declined and not-known answers
	s := score(t, f, sc.name, sc.answers)
	var md, ans bytes.Buffer
	if err := SummaryMarkdown(&md, f, s, "es", Options{Answers: sc.answers}); err != nil {
		t.Fatal(err)
	}
	if err := Answers(&ans, f, AnswerRows(f, sc.answers, nil, "es"), "es", Options{Width: 80}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Derivaciones", "Información faltante"} {
		if !strings.Contains(md.String(), w) {
			t.Errorf("the Spanish Markdown summary lacks %q", w)
		}
	}
	for _, w := range []string{"Respuestas: ", "No desea responder", "No sabe", "(sin respuesta)"} {
		if !strings.Contains(ans.String(), w) {
			t.Errorf("the Spanish answers lack %q\n%s", w, ans.String())
		}
	}
}

func TestFlowFrench(t *testing.T) {
	f := speaking(t, "fr")
	var b bytes.Buffer
	if err := Flow(&b, f, "fr", Options{Width: 80}); err != nil {
		t.Fatal(err)
	}
	checkPlain(t, "flow fr", b.Bytes(), 80)
	text := b.String()
	for _, w := range []string{"Questionnaire papier", "Section 1. ", "Posée si\u00a0: ", "obligatoire", "Oui / Non",
		"Cochez toutes les réponses qui s'appliquent", "[ ] Ne sait pas [ ] Ne souhaite pas répondre", "Consigne\u00a0: "} {
		if !strings.Contains(text, w) {
			t.Errorf("the French paper questionnaire lacks %q", w)
		}
	}
	for _, en := range []string{"Paper questionnaire", "Asked when", "[ ] Don't know", "] Choose all that apply"} {
		if strings.Contains(text, en) {
			t.Errorf("the French paper questionnaire still says %q", en)
		}
	}
	golden(t, "flow.fr.txt", b.Bytes())
}
