package render

import (
	"fmt"
	"strings"

	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

// ui returns the page word id in lang (see words.T): the flow's own
// `strings:` first, then fieldscreen's table, then English, then the ID
// itself so a gap is visible.
func ui(f *questionnaire.Flow, lang, id string) string { return words.T(f, lang, id) }

// uif fills the {name} placeholders of a page word.
func uif(f *questionnaire.Flow, lang, id string, kv ...string) string {
	return words.T(f, lang, id, kv...)
}

// humanize makes a readable fallback of an ID: "particular_social_group" →
// "particular social group".
func humanize(id string) string { return strings.ReplaceAll(id, "_", " ") }

// tri says true/false/unknown as words.
func tri(f *questionnaire.Flow, lang string, v any) string {
	switch v {
	case true:
		return ui(f, lang, "yes")
	case false:
		return ui(f, lang, "no")
	}
	return ui(f, lang, "not_known")
}

// valueLabel gives the words for one answer value of q: the choice's label,
// "Yes"/"No", "Declined to answer", "Don't know", or the value itself.
func valueLabel(f *questionnaire.Flow, lang string, q *questionnaire.Question, v string) string {
	switch v {
	case questionnaire.Declined:
		return ui(f, lang, "declined")
	case questionnaire.DontKnow:
		return ui(f, lang, "dont_know")
	}
	if q != nil {
		if c := q.Choice(v); c != nil && !c.Label.Empty() {
			return f.T(c.Label, lang)
		}
		if own := kindPrints[q.Type].ownValue; own != nil {
			if s := own(f, lang, v); s != "" {
				return s
			}
		}
	}
	return v
}

// answerText shows an answer in words.
func answerText(f *questionnaire.Flow, lang string, q *questionnaire.Question, v any) string {
	switch x := v.(type) {
	case nil:
		return ui(f, lang, "unanswered")
	case string:
		return valueLabel(f, lang, q, x)
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = valueLabel(f, lang, q, s)
		}
		return strings.Join(parts, "; ")
	case []any:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = valueLabel(f, lang, q, fmt.Sprint(s))
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}
