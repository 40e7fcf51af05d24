package render

import (
	"strconv"

	"fieldscreen/questionnaire"
)

// kindPrint is how one kind of question is printed on paper and how its
// answers read in a summary.
type kindPrint struct {
	// words says, under the question on paper, what answer it takes.
	words func(f *questionnaire.Flow, lang string, q *questionnaire.Question) string
	// writeIn: the answer is written on a line (a number, a text).
	writeIn bool
	// boxes are the values printed as boxes to tick, and whether each
	// is ticked only on its own; none when it has no choices.
	boxes func(q *questionnaire.Question) (values []string, alone []bool)
	// ownValue gives the words for a value of its own that no choice
	// labels (yes and no), or "" to show the value as it is.
	ownValue func(f *questionnaire.Flow, lang, v string) string
}

// kindPrints: for every kind of question (questionnaire.Kinds), how it
// is printed and shown. TestKindPrints checks none is missing.
var kindPrints = map[questionnaire.Kind]kindPrint{
	questionnaire.TypeYesNo: {
		words: typeWord,
		boxes: func(*questionnaire.Question) ([]string, []bool) {
			return []string{"yes", "no"}, []bool{false, false}
		},
		ownValue: func(f *questionnaire.Flow, lang, v string) string {
			if v == "yes" || v == "no" {
				return ui(f, lang, "answer."+v)
			}
			return ""
		},
	},
	questionnaire.TypeChoice: {words: typeWord, boxes: choiceBoxes(false)},
	questionnaire.TypeMulti:  {words: typeWord, boxes: choiceBoxes(true)},
	questionnaire.TypeInteger: {
		writeIn: true,
		words: func(f *questionnaire.Flow, lang string, q *questionnaire.Question) string {
			switch {
			case q.Min != nil && q.Max != nil:
				return uif(f, lang, "type.integer_range", "min", strconv.Itoa(*q.Min), "max", strconv.Itoa(*q.Max))
			case q.Min != nil:
				return uif(f, lang, "type.integer_min", "min", strconv.Itoa(*q.Min))
			case q.Max != nil:
				return uif(f, lang, "type.integer_max", "max", strconv.Itoa(*q.Max))
			}
			return ui(f, lang, "type.integer")
		},
	},
	questionnaire.TypeText: {words: typeWord, writeIn: true},
	questionnaire.TypeNote: {words: typeWord},
}

// typeWord is the interface word "type.<kind>".
func typeWord(f *questionnaire.Flow, lang string, q *questionnaire.Question) string {
	return ui(f, lang, "type."+string(q.Type))
}

// choiceBoxes prints a box per choice; on a multi question (several) an
// exclusive choice, or "none", is marked as ticked only on its own.
func choiceBoxes(several bool) func(q *questionnaire.Question) ([]string, []bool) {
	return func(q *questionnaire.Question) ([]string, []bool) {
		var vals []string
		var alone []bool
		for _, ch := range q.Choices {
			vals = append(vals, ch.Value)
			alone = append(alone, several && (ch.Exclusive || ch.Value == questionnaire.None))
		}
		return vals, alone
	}
}
