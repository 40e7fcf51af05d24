package forms

import "fieldscreen/questionnaire"

// widget is how a question is answered, in the terminal and in line mode.
type widget int

const (
	// noAnswer: nothing to answer (a note); it has a screen of its own
	noAnswer widget = iota
	// pickOne: a list of options, one chosen (line mode: its number or
	// its label)
	pickOne
	// pickMany: a list of options, any number chosen (the terminal:
	// space toggles; line mode: numbers or labels, comma separated)
	pickMany
	// typedIn: typed in a field (a number or a text); ? or d for don't
	// know, x for declined
	typedIn
)

// kindForm is how one kind of question is asked.
type kindForm struct {
	widget widget
	// yesNo: its options are yes and no (relabelled by its choices, if
	// any), and y and n answer it in line mode.
	yesNo bool
	// number: what is typed is read as a whole number when it is one.
	number bool
	// how says how to answer: under a typed field in the terminal (tui),
	// after the question in line mode (line). Nil: nothing to say.
	tui, line func(r *runner, q *questionnaire.Question) string
}

// kindForms: for every kind of question (questionnaire.Kinds), how the
// terminal and line mode ask it. TestKindForms checks none is missing.
var kindForms = map[questionnaire.Kind]kindForm{
	questionnaire.TypeYesNo:   {widget: pickOne, yesNo: true, line: says("plain.type_choice")},
	questionnaire.TypeChoice:  {widget: pickOne, line: says("plain.type_choice")},
	questionnaire.TypeMulti:   {widget: pickMany, line: says("plain.type_multi")},
	questionnaire.TypeInteger: {widget: typedIn, number: true, tui: saysRange("tui.type_integer"), line: saysRange("plain.type_integer")},
	questionnaire.TypeText:    {widget: typedIn, tui: says("tui.type_text"), line: says("plain.type_text")},
	questionnaire.TypeNote:    {widget: noAnswer},
}

// formOf is the row of q's kind (a type no kind has reads as typed text:
// Load refuses such a flow).
func formOf(q *questionnaire.Question) kindForm {
	if k, ok := kindForms[q.Type]; ok {
		return k
	}
	return kindForm{widget: typedIn}
}

// says is the word id.
func says(id string) func(*runner, *questionnaire.Question) string {
	return func(r *runner, _ *questionnaire.Question) string { return r.t(id) }
}

// saysRange is the word id with the numbers q takes.
func saysRange(id string) func(*runner, *questionnaire.Question) string {
	return func(r *runner, q *questionnaire.Question) string { return r.t(id, "range", r.numberRange(q)) }
}
