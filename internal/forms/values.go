package forms

import (
	"strconv"
	"strings"

	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

// option is one choice as shown.
type option struct {
	value string
	label string
}

// options returns q's own choices in flow order; a yes/no question without
// choices gets Yes and No.
func options(f *questionnaire.Flow, q *questionnaire.Question, lang string) []option {
	if formOf(q).yesNo && len(q.Choices) == 0 {
		return []option{{"yes", words.T(f, lang, "answer.yes")}, {"no", words.T(f, lang, "answer.no")}}
	}
	out := make([]option, 0, len(q.Choices))
	for _, c := range q.Choices {
		out = append(out, option{c.Value, f.T(c.Label, lang)})
	}
	return out
}

// valueText is how an answer reads on screen and in the review.
func valueText(f *questionnaire.Flow, q *questionnaire.Question, v any, lang string) string {
	switch x := v.(type) {
	case nil:
		return words.T(f, lang, "unanswered")
	case string:
		switch x {
		case questionnaire.DontKnow:
			return words.T(f, lang, "dont_know")
		case questionnaire.Declined:
			return words.T(f, lang, "declined")
		}
		for _, o := range options(f, q, lang) {
			if o.value == x {
				return o.label
			}
		}
		return x
	case int:
		return strconv.Itoa(x)
	case []string:
		labels := make([]string, 0, len(x))
		for _, s := range x {
			labels = append(labels, valueText(f, q, s, lang))
		}
		return strings.Join(labels, "; ")
	}
	return ""
}

// special reads the keys typed for "don't know" and "declined" in a text or
// number field. A text answer of just "?" or "x" means nothing else.
func special(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "?", "d":
		return questionnaire.DontKnow, true
	case "x":
		return questionnaire.Declined, true
	}
	return "", false
}

// typedValue turns what was typed into a text or number field into an
// answer: nil when empty, the special values, else the text (Check turns
// a number's text into an int).
func typedValue(q *questionnaire.Question, s string, allowD bool) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if v, ok := special(s); ok && (allowD || s != "d" && s != "D") {
		return v
	}
	if formOf(q).number {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	}
	return s
}

// typedText is the inverse of typedValue, to prefill a field.
func typedText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int:
		return strconv.Itoa(x)
	case string:
		switch x {
		case questionnaire.DontKnow:
			return "?"
		case questionnaire.Declined:
			return "x"
		}
		return x
	}
	return ""
}
