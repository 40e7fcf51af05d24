package forms

import (
	"strings"

	"fieldscreen/internal/words"
)

// screenWords are interview-screen words not (yet) in the shared table of
// package words. They are looked up only when neither the flow's
// `strings:` nor that table has the ID, so a flow can still override them
// and the shared table can take them over unchanged.
var screenWords = map[string]map[string]string{
	"en": {
		"form.referrals":        "The answers so far lead to these referrals; explain each one:",
		"form.referrals_none":   "The answers so far lead to no referral that needs the person's agreement.",
		"form.referral_line":    "• {service}: {referrals}",
		"form.referral_service": "• {service}",
		"form.referral_urgent":  "{label} (urgent)",
		"tui.choose_first":      "Nothing saved: first choose an answer with ↑/↓.",
		"tui.enter_guard":       "Enter ignored: this screen had only just appeared.",
		"tui.more_above":        "↑ more above",
		"tui.more_below":        "↓ more below",
		"tui.too_small":         "This window is too small for the interview. Make it at least {w} columns wide and {h} lines high (it is {cols}×{rows}). Every answer given is saved.",
	},
	"fr": {
		"form.referrals":        "Les réponses mènent jusqu'ici à ces orientations\u00a0; expliquez chacune d'elles\u00a0:",
		"form.referrals_none":   "Les réponses données jusqu'ici ne mènent à aucune orientation qui demande l'accord de la personne.",
		"form.referral_line":    "• {service}\u00a0: {referrals}",
		"form.referral_service": "• {service}",
		"form.referral_urgent":  "{label} (urgent)",
		"tui.choose_first":      "Rien n'est enregistré\u00a0: choisissez d'abord une réponse avec ↑/↓.",
		"tui.enter_guard":       "Entrée ignorée\u00a0: cet écran venait d'apparaître.",
		"tui.more_above":        "↑ suite plus haut",
		"tui.more_below":        "↓ suite plus bas",
		"tui.too_small":         "Cette fenêtre est trop petite pour l'entretien. Agrandissez-la à au moins {w} colonnes sur {h} lignes (elle fait {cols}×{rows}). Toutes les réponses données sont enregistrées.",
	},
	"es": {
		"form.referrals":        "Las respuestas llevan hasta ahora a estas derivaciones; explique cada una:",
		"form.referrals_none":   "Las respuestas dadas hasta ahora no llevan a ninguna derivación que requiera el acuerdo de la persona.",
		"form.referral_line":    "• {service}: {referrals}",
		"form.referral_service": "• {service}",
		"form.referral_urgent":  "{label} (urgente)",
		"tui.choose_first":      "No se ha guardado nada: elija primero una respuesta con ↑/↓.",
		"tui.enter_guard":       "Se ignoró Intro: esta pantalla acababa de aparecer.",
		"tui.more_above":        "↑ hay más arriba",
		"tui.more_below":        "↓ hay más abajo",
		"tui.too_small":         "Esta ventana es demasiado pequeña para la entrevista. Agrándela al menos a {w} columnas por {h} líneas (ahora mide {cols}×{rows}). Todas las respuestas dadas están guardadas.",
	},
}

// word returns interface word id in lang: from the flow or the shared
// table (words.T), else from screenWords in lang, else in English.
func word(r *runner, id string, kv ...string) string {
	s := words.T(r.f, r.lang, id, kv...)
	if s != id {
		return s
	}
	w, ok := screenWords[r.lang][id]
	if !ok {
		if w, ok = screenWords["en"][id]; !ok {
			return id
		}
	}
	pairs := make([]string, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(w)
}
