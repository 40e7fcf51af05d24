package render

import (
	"fmt"
	"strings"

	"fieldscreen/questionnaire"
)

// uiText holds the words of the page itself, the ones a flow does not
// carry: headings, the names of question types, the pieces of conditions.
// It is keyed by language, then by string ID; English is the fallback. A
// flow overrides or translates any of them with `strings:` (same IDs).
// Placeholders are written {name} so a translator can move them.
var uiText = map[string]map[string]string{
	"en": {
		// Summary.
		"summary_title":                  "Screening summary",
		"interview":                      "Interview",
		"flow":                           "Flow",
		"status":                         "Status",
		"language":                       "Language",
		"outcome":                        "Outcome",
		"situation":                      "Situation",
		"trafficking":                    "Trafficking indicators",
		"refugee":                        "Refugee protection indicators",
		"elements":                       "Elements",
		"element":                        "Element",
		"child":                          "Child",
		"grounds":                        "Convention grounds",
		"referrals":                      "Referrals",
		"referral":                       "Referral",
		"no_referrals":                   "No referrals.",
		"priority":                       "Priority",
		"priority.urgent":                "URGENT",
		"priority.high":                  "High priority",
		"priority.standard":              "Standard priority",
		"urgent_note":                    "act on these today",
		"why":                            "Why",
		"basis":                          "Basis",
		"cautions":                       "Cautions",
		"no_cautions":                    "No cautions.",
		"solutions":                      "Solutions",
		"other_findings":                 "Other findings",
		"info_gaps":                      "Information gaps",
		"info_gaps_note":                 "Asked, but declined, not known or left unanswered:",
		"no_info_gaps":                   "None: every question asked was answered.",
		"none_listed":                    "none",
		"yes":                            "yes",
		"no":                             "no",
		"not_known":                      "not known",
		"answer.yes":                     "Yes",
		"answer.no":                      "No",
		"declined":                       "Declined to answer",
		"dont_know":                      "Don't know",
		"unanswered":                     "(left unanswered)",
		"answers":                        "Answers",
		"no_answers":                     "No answers recorded.",
		"answered_at":                    "answered",
		"handover":                       "Handover for a caseworker",
		"element.act":                    "Act",
		"element.means":                  "Means",
		"element.purpose":                "Purpose",
		"element.outside":                "Outside their country",
		"element.well_founded_fear":      "Well-founded fear",
		"element.serious_harm":           "Serious harm feared",
		"element.nexus":                  "Linked to a Convention ground",
		"element.no_state_protection":    "No state protection",
		"element.past_persecution":       "Past serious harm",
		"ground.race":                    "race",
		"ground.religion":                "religion",
		"ground.nationality":             "nationality",
		"ground.political_opinion":       "political opinion",
		"ground.particular_social_group": "particular social group",

		// Paper questionnaire.
		"questionnaire":      "Paper questionnaire",
		"version":            "version",
		"paper_how":          "Tick one box unless the question says \"Choose all that apply\". Skip a question when the condition under \"Asked when\" is not met. Every question that is not required may be answered \"Don't know\" or \"Declined to answer\"; never read these as \"no\".",
		"section":            "Section",
		"section_when":       "Ask this section only when",
		"asked_when":         "Asked when",
		"ends_if":            "If {cond}, the interview ends here.",
		"hint":               "Interviewer",
		"required":           "required",
		"check":              "Check",
		"answer_line":        "Answer",
		"exclusive":          "(only on its own)",
		"type.yes_no":        "Yes / No",
		"type.choice":        "Choose one",
		"type.multi":         "Choose all that apply",
		"type.text":          "Free text",
		"type.note":          "Note",
		"type.integer":       "A whole number",
		"type.integer_range": "A whole number from {min} to {max}",
		"type.integer_min":   "A whole number of at least {min}",
		"type.integer_max":   "A whole number of at most {max}",

		// Conditions, as words.
		"cond.question":   "Q{n} ({id})",
		"cond.the_answer": "the answer",
		"cond.eq":         "{x} is {v}",
		"cond.ne":         "{x} is not {v}",
		"cond.in":         "{x} is {vs}",
		"cond.not_in":     "{x} is none of {vs}",
		"cond.has":        "{x} includes {v}",
		"cond.has_any":    "{x} includes {vs}",
		"cond.not_has":    "{x} does not include {v}",
		"cond.real":       "{x} has a real answer",
		"cond.answered":   "{x} was answered",
		"cond.unknown":    "{x} is not known",
		"cond.true":       "{x} is true",
		"cond.not":        "not ({c})",
		"cond.lt":         "{x} is under {n}",
		"cond.le":         "{x} is {n} or under",
		"cond.gt":         "{x} is over {n}",
		"cond.ge":         "{x} is {n} or over",
		"cond.and":        "and",
		"cond.or":         "or",
		"cond.list_sep":   ", ",
	},
}

// ui returns the page word id in lang: the flow's own `strings:` first, then
// uiText in lang, then English, then the ID itself so a gap is visible.
func ui(f *questionnaire.Flow, lang, id string) string {
	if f != nil {
		for _, s := range f.Strings {
			if s.ID == id {
				if t := f.T(s.Text, lang); t != "" {
					return t
				}
			}
		}
	}
	if m, ok := uiText[lang]; ok {
		if s, ok := m[id]; ok {
			return s
		}
	}
	if s, ok := uiText["en"][id]; ok {
		return s
	}
	return id
}

// uif fills the {name} placeholders of a page word.
func uif(f *questionnaire.Flow, lang, id string, kv ...string) string {
	s := ui(f, lang, id)
	pairs := make([]string, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
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
		if q.Type == questionnaire.TypeYesNo && (v == "yes" || v == "no") {
			return ui(f, lang, "answer."+v)
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
