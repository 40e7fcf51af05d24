package forms

import (
	"strconv"
	"strings"

	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"fieldscreen/questionnaire"
)

// A changed answer never loses anything silently. When it would make
// later answers no longer apply, the screen names their questions and
// asks first; "no" keeps the old answer. Confirmed, those answers are set
// aside (session.Answer), and changing the answer back restores them
// until the interview is completed. Withdrawing consent asks a second
// time: it sets aside every other answer.

// proposal is a checked answer waiting for the interviewer to confirm it.
type proposal struct {
	q       *questionnaire.Question
	v       any
	lost    []string // the questions whose answers it sets aside, by label
	consent bool     // consent withdrawn: a second question follows
	second  bool     // the second question is on screen
}

// submit saves v as the answer to q, or, when that would set answers
// aside, puts the question to confirm it on screen instead.
func (r *runner) submit(q *questionnaire.Question, v any) error {
	p, err := r.propose(q, v)
	if err != nil {
		return err
	}
	if p == nil {
		return r.save(q, v)
	}
	r.ask = p
	r.pending = nil
	r.cur = screen{kind: kindConfirm, q: q}
	return nil
}

// propose returns the confirmation v needs as the answer to q, or nil.
// Only answers given count: a question shown and left unanswered loses
// nothing.
func (r *runner) propose(q *questionnaire.Question, v any) (*proposal, error) {
	c, err := r.s.Preview(q.ID, v)
	if err != nil {
		return nil, err
	}
	var lost []string
	for _, id := range c.SetAside {
		if a, ok := r.s.Record().Answer(id); ok && a.Value != nil {
			label := id
			if p := r.f.Question(id); p != nil {
				label = r.f.T(p.Label, r.lang)
			}
			lost = append(lost, label)
		}
	}
	if len(lost) == 0 {
		return nil, nil
	}
	withdrawn := q.ID == r.f.ConsentQuestion && v == "no"
	return &proposal{q: q, v: v, lost: lost, consent: withdrawn}, nil
}

// confirm acts on the interviewer's answer to the confirmation on screen.
func (r *runner) confirm(yes bool) error {
	p := r.ask
	if !yes {
		r.keep()
		return nil
	}
	if p.consent && !p.second {
		p.second = true
		return nil
	}
	r.ask = nil
	return r.save(p.q, p.v)
}

// keep drops the proposed change and shows its question again, with the
// answer it had.
func (r *runner) keep() {
	q := r.cur.q
	r.ask = nil
	r.dropped, r.restored = nil, nil
	r.pending = nil
	r.cur = screen{kind: kindQuestion, q: q}
}

// confirmText is the confirmation's title, the text before and after the
// list of questions, and its two choices.
func (r *runner) confirmText() (title, before, after, keep, change string) {
	p := r.ask
	if p.second {
		return r.t("change.consent_title"), r.t("change.consent_desc", "n", strconv.Itoa(len(p.lost))), "",
			r.t("change.consent_keep"), r.t("change.consent_do")
	}
	old, _ := r.answer(p.q)
	return r.t("change.title"), r.t("change.lost"), r.t("change.restore"),
		r.t("change.keep", "value", valueText(r.f, p.q, old, r.lang)),
		r.t("change.do", "value", valueText(r.f, p.q, p.v, r.lang))
}

// changeNote tells the interviewer which answers the last change set
// aside or brought back.
func (r *runner) changeNote() string {
	var out []string
	switch n := len(r.dropped); n {
	case 0:
	case 1:
		out = append(out, r.t("form.dropped_one"))
	default:
		out = append(out, r.t("form.dropped_many", "n", strconv.Itoa(n)))
	}
	switch n := len(r.restored); n {
	case 0:
	case 1:
		out = append(out, r.t("change.restored_one"))
	default:
		out = append(out, r.t("change.restored_many", "n", strconv.Itoa(n)))
	}
	return strings.Join(out, " ")
}

// setAsideNote says, on the review screen, how many answers set aside
// by a change completing the interview erases; "" when none.
func (r *runner) setAsideNote() string {
	switch n := len(r.s.Record().SetAside); n {
	case 0:
		return ""
	case 1:
		return r.t("review.set_aside_one")
	default:
		return r.t("review.set_aside_many", "n", strconv.Itoa(n))
	}
}

// next returns the first asked question without an entry in the answers
// (nil: the review), passing over, while amending, those the interview
// was completed without (optional questions an answers file left out):
// a correction asks only what it makes newly asked.
func (r *runner) next() (*questionnaire.Question, error) {
	ans := r.answers()
	vis, err := r.visible()
	if err != nil {
		return nil, err
	}
	for _, q := range vis {
		if _, has := ans[q.ID]; !has && q.Asks() && !r.skip[q.ID] {
			return q, nil
		}
	}
	return nil, nil
}

// skipped notes the questions the completed interview left without an
// entry, for next.
func (r *runner) skipped() {
	ans := r.answers()
	vis, err := r.visible()
	if err != nil {
		return // next then asks them: nothing is lost
	}
	r.skip = map[string]bool{}
	for _, q := range vis {
		if _, has := ans[q.ID]; !has && q.Asks() && !q.Required {
			r.skip[q.ID] = true
		}
	}
}

// amending reports whether a completed interview is being corrected.
func (r *runner) amending() bool { return r.s.Amending() }

// reviewWord is word id of the review screen, or, while amending, its
// counterpart that speaks of saving a correction.
func (r *runner) reviewWord(id string) string {
	if r.amending() {
		if w, ok := amendWords[id]; ok {
			return r.t(w)
		}
	}
	return r.t(id)
}

var amendWords = map[string]string{
	"tui.complete":     "change.amend_complete",
	"tui.review_desc":  "change.amend_desc",
	"plain.review_how": "change.amend_how",
	"plain.completed":  "change.amend_done",
}

// Choice values of the confirmation.
const (
	optKeep   = "keep"
	optChange = "change"
)

// confirmField is the confirmation as a list of two choices, "keep"
// first and chosen: Enter pressed by habit keeps the answer. The
// questions it names are one line each, as many as the screen holds.
func (m *tui) confirmField() huh.Field {
	r := m.r
	title, before, after, keep, change := r.confirmText()
	w := max(m.formSize().Width-4, 10)
	lines := []string{}
	if !r.ask.second {
		room := m.formSize().Height - textHeight(title, w) - textHeight(before, w) - textHeight(after, w) - 3
		lines = bullets(r.ask.lost, w, max(room, 1), func(n int) string { return r.t("change.more", "n", strconv.Itoa(n)) })
	}
	desc := strings.Join(append(append([]string{before}, lines...), after), "\n")
	desc = strings.TrimRight(desc, "\n")
	choice := optKeep
	m.read = func() any { return choice }
	m.listHeight = m.listSize(title, desc, 2)
	return huh.NewSelect[string]().Title(title).Description(desc).
		Options(huh.NewOption(keep, optKeep), huh.NewOption(change, optChange)).Value(&choice)
}

// bullets lays out labels one line each, cut to width, in at most rows
// lines: the last says how many more there are when they do not all fit.
func bullets(labels []string, width, rows int, more func(n int) string) []string {
	var out []string
	for i, l := range labels {
		if len(out) == rows-1 && i < len(labels)-1 {
			return append(out, more(len(labels)-i))
		}
		out = append(out, cut("• "+strings.Join(strings.Fields(l), " "), width))
	}
	return out
}

// cut shortens s to width columns, ending it with "…" if it was longer.
func cut(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && lipgloss.Width(string(rs))+1 > width {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimRight(string(rs), " ") + "…"
}

// confirm asks the confirmation as lines: every question named in full,
// then y or n. Enter alone, and b, keep the answer.
func (p *plain) confirm() error {
	r := p.r
	title, before, after, keep, change := r.confirmText()
	p.printf("\n%s\n%s\n", title, before)
	if !r.ask.second {
		for _, l := range r.ask.lost {
			p.printf("  - %s\n", l)
		}
		p.printf("%s\n", after)
	}
	p.printf("%s\n", r.t("change.plain_how", "keep", keep, "change", change))
	for {
		s, err := p.command()
		if err == errBack {
			s, err = "", nil
		}
		if err != nil {
			return err
		}
		switch l := strings.ToLower(strings.TrimSpace(s)); {
		case l == "" || l == "n" || l == r.t("key.no") || l == strings.ToLower(r.t("answer.no")):
			v, _ := r.answer(r.ask.q)
			p.printf("%s\n", r.t("change.kept", "value", valueText(r.f, r.ask.q, v, r.lang)))
			return r.confirm(false)
		case l == "y" || l == r.t("key.yes") || l == strings.ToLower(r.t("answer.yes")):
			return r.confirmed(p)
		}
		p.printf("%s\n", r.t("change.plain_retry"))
	}
}

// confirmed goes on after a "yes" in line mode: to the second question,
// or the answer is saved and said so.
func (r *runner) confirmed(p *plain) error {
	q, v := r.ask.q, r.ask.v
	if err := r.confirm(true); err != nil {
		return err
	}
	if r.ask != nil {
		return nil // the second question comes next
	}
	p.printf("%s\n", r.t("plain.saved", "value", valueText(r.f, q, v, r.lang)))
	if n := r.changeNote(); n != "" {
		p.printf("%s\n", n)
	}
	return nil
}

func init() {
	// The words of this file, kept beside it; screenWords is where word
	// finds them.
	for lang, m := range changeWords {
		for id, w := range m {
			screenWords[lang][id] = w
		}
	}
}

var changeWords = map[string]map[string]string{
	"en": {
		"change.title":          "Change this answer?",
		"change.lost":           "With the new answer, these questions no longer apply, and their answers will be set aside:",
		"change.more":           "… and {n} more",
		"change.restore":        "Changing this answer back before the interview is completed brings them back.",
		"change.keep":           "No, keep the answer: {value}",
		"change.do":             "Yes, change it to: {value}",
		"change.consent_title":  "Does the person withdraw their consent?",
		"change.consent_desc":   "Ask the person again. Without consent the interview ends here: the {n} other answers are set aside, and erased when the interview is completed.",
		"change.consent_keep":   "No, the person still agrees",
		"change.consent_do":     "Yes, the person withdraws their consent",
		"change.restored_one":   "1 answer set aside earlier applies again and was restored.",
		"change.restored_many":  "{n} answers set aside earlier apply again and were restored.",
		"change.plain_how":      "Type y for \"{change}\", or n (or Enter) for \"{keep}\".",
		"change.plain_retry":    "Type y to change the answer, or n to keep it.",
		"change.kept":           "Kept: {value}",
		"change.amend_complete": "Save the correction",
		"change.amend_desc":     "Correcting a completed interview. Choose an answer to correct it, then save the correction; Ctrl-C leaves the interview as it was.",
		"change.amend_how":      "Type c to save the correction, or the number of an answer to correct it (q leaves the interview as it was).",
		"change.amend_done":     "Correction saved.",
	},
	"fr": {
		"change.title":          "Modifier cette réponse\u00a0?",
		"change.lost":           "Avec la nouvelle réponse, ces questions ne s'appliquent plus et leurs réponses seront mises de côté\u00a0:",
		"change.more":           "… et {n} autres",
		"change.restore":        "Si vous revenez à la réponse précédente avant la fin de l'entretien, elles sont rétablies.",
		"change.keep":           "Non, garder la réponse\u00a0: {value}",
		"change.do":             "Oui, la remplacer par\u00a0: {value}",
		"change.consent_title":  "La personne retire-t-elle son consentement\u00a0?",
		"change.consent_desc":   "Reposez la question à la personne. Sans consentement, l'entretien s'arrête ici\u00a0: les {n} autres réponses sont mises de côté, puis effacées à la fin de l'entretien.",
		"change.consent_keep":   "Non, la personne est toujours d'accord",
		"change.consent_do":     "Oui, la personne retire son consentement",
		"change.restored_one":   "1 réponse mise de côté s'applique de nouveau et a été rétablie.",
		"change.restored_many":  "{n} réponses mises de côté s'appliquent de nouveau et ont été rétablies.",
		"change.plain_how":      "Tapez o pour «\u00a0{change}\u00a0», ou n (ou Entrée) pour «\u00a0{keep}\u00a0».",
		"change.plain_retry":    "Tapez o pour modifier la réponse, ou n pour la garder.",
		"change.kept":           "Réponse gardée\u00a0: {value}",
		"change.amend_complete": "Enregistrer la correction",
		"change.amend_desc":     "Correction d'un entretien terminé. Choisissez une réponse pour la corriger, puis enregistrez la correction\u00a0; Ctrl-C laisse l'entretien tel qu'il était.",
		"change.amend_how":      "Tapez c pour enregistrer la correction, ou le numéro d'une réponse pour la corriger (q laisse l'entretien tel qu'il était).",
		"change.amend_done":     "Correction enregistrée.",
	},
	"es": {
		"change.title":          "¿Cambiar esta respuesta?",
		"change.lost":           "Con la nueva respuesta, estas preguntas ya no corresponden y sus respuestas se apartarán:",
		"change.more":           "… y {n} más",
		"change.restore":        "Si vuelve a la respuesta anterior antes de terminar la entrevista, se recuperan.",
		"change.keep":           "No, mantener la respuesta: {value}",
		"change.do":             "Sí, cambiarla por: {value}",
		"change.consent_title":  "¿La persona retira su consentimiento?",
		"change.consent_desc":   "Pregunte de nuevo a la persona. Sin consentimiento la entrevista termina aquí: las otras {n} respuestas se apartan y se borran al terminar la entrevista.",
		"change.consent_keep":   "No, la persona sigue de acuerdo",
		"change.consent_do":     "Sí, la persona retira su consentimiento",
		"change.restored_one":   "1 respuesta apartada antes vuelve a corresponder y se recuperó.",
		"change.restored_many":  "{n} respuestas apartadas antes vuelven a corresponder y se recuperaron.",
		"change.plain_how":      "Escriba s para «{change}», o n (o Intro) para «{keep}».",
		"change.plain_retry":    "Escriba s para cambiar la respuesta, o n para mantenerla.",
		"change.kept":           "Se mantiene: {value}",
		"change.amend_complete": "Guardar la corrección",
		"change.amend_desc":     "Corrección de una entrevista terminada. Elija una respuesta para corregirla y luego guarde la corrección; Ctrl-C deja la entrevista como estaba.",
		"change.amend_how":      "Escriba c para guardar la corrección, o el número de una respuesta para corregirla (q deja la entrevista como estaba).",
		"change.amend_done":     "Corrección guardada.",
	},
}
