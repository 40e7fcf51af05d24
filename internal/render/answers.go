package render

import (
	"fmt"
	"io"
	"time"

	"fieldscreen/questionnaire"
)

// AnswerRow is one answer as a person reads it.
type AnswerRow struct {
	ID, Label string
	// Value is the answer as stored (see questionnaire.Answers).
	Value any
	// Text is the answer in words: choice labels, "Declined to answer",
	// "Don't know" or "(left unanswered)". Answers shows it; when empty,
	// Answers works it out from Value.
	Text       string
	AnsweredAt time.Time
}

// AnswerRows lists the answers in flow order, with the question's label
// and the answer in words in lang. A question absent from answers was not
// asked and is left out; one present with a nil value was left unanswered.
// times may be nil.
func AnswerRows(f *questionnaire.Flow, answers questionnaire.Answers, times map[string]time.Time, lang string) []AnswerRow {
	lang = f.Lang(lang)
	var rows []AnswerRow
	for _, q := range f.Questions {
		v, ok := answers[q.ID]
		if !ok || !q.Asks() {
			continue
		}
		rows = append(rows, AnswerRow{
			ID: q.ID, Label: f.T(q.Label, lang), Value: v,
			Text: Clean(answerText(f, lang, q, v)), AnsweredAt: times[q.ID],
		})
	}
	return rows
}

// Answers writes answer rows for the terminal: each question's label, then
// the answer in words and when it was given, in the zone of AnsweredAt
// (the caller's choice) with its offset.
func Answers(w io.Writer, f *questionnaire.Flow, answers []AnswerRow, lang string, opt Options) error {
	if f == nil {
		return fmt.Errorf("render: no flow for the answers")
	}
	lang = f.Lang(lang)
	p := newPage(w, opt)
	p.title(ui(f, lang, "answers")+": "+f.T(f.Title, lang), heading, "=")
	if len(answers) == 0 {
		p.para("", "", sp(ui(f, lang, "no_answers"), plain))
		return p.err
	}
	// Numbered as on the paper questionnaire, so the two can be compared.
	num := map[string]int{}
	n := 0
	for _, q := range f.Questions {
		if q.Asks() {
			n++
			num[q.ID] = n
		}
	}
	for _, r := range answers {
		p.blank()
		label := r.Label
		if label == "" {
			label = r.ID
		}
		prefix := "    "
		if num[r.ID] > 0 {
			prefix = fmt.Sprintf("%2d. ", num[r.ID])
		}
		p.para(prefix, "    ", sp(label, plain), sp("["+r.ID+"]", muted))
		text := r.Text
		if text == "" {
			text = answerText(f, lang, f.Question(r.ID), r.Value)
		}
		k := strong
		if questionnaire.IsGap(r.Value) {
			k = muted
		}
		p.para("    → ", "      ", sp(text, k))
		if !r.AnsweredAt.IsZero() {
			// A question left unanswered was not answered at that time:
			// its time is when it was recorded so.
			when := "answered_at"
			if r.Value == nil {
				when = "unanswered_at"
			}
			p.para("      ", "      ", sp(ui(f, lang, when)+" "+Minute(r.AnsweredAt), muted))
		}
	}
	return p.err
}
