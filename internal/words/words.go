// Package words holds the words of fieldscreen's own pages and screens, the
// ones a flow does not carry: headings of the summary and the paper
// questionnaire, the names of question types, the pieces of conditions, and
// what the interview screens say ("Continue", "Review the answers", the help
// line, the input instructions). The summary (render) and the interview
// screens (forms) read the same table, so an interviewer and a caseworker
// meet the same word for the same thing.
//
// Words are keyed by language, then by ID. A flow overrides or translates
// any of them with `strings:` (same IDs). Placeholders are written {name} so
// a translator can move them. This package only looks words up: it writes
// nothing and decides nothing.
package words

import (
	"sort"
	"strings"

	"fieldscreen/questionnaire"
)

// T returns word id in lang, its {name} placeholders filled from kv (name,
// value, name, value...). It looks, in turn, at the flow's own `strings:`
// in lang, this table in lang, the flow's `strings:` in its default
// language, and this table in English; failing all, it returns the ID
// itself so that a gap is visible. A flow's English-only override thus
// never hides the French or Spanish word from a French or Spanish reader.
func T(f *questionnaire.Flow, lang, id string, kv ...string) string {
	s := lookup(f, lang, id)
	if len(kv) < 2 {
		return s
	}
	pairs := make([]string, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func lookup(f *questionnaire.Flow, lang, id string) string {
	fs := flowString(f, id)
	if fs != nil {
		if s := fs.Text[lang]; s != "" {
			return s
		}
	}
	if s, ok := table[lang][id]; ok {
		return s
	}
	if fs != nil {
		if s := f.T(fs.Text, lang); s != "" {
			return s
		}
	}
	if s, ok := table["en"][id]; ok {
		return s
	}
	return id
}

func flowString(f *questionnaire.Flow, id string) *questionnaire.UIString {
	if f == nil {
		return nil
	}
	for i := range f.Strings {
		if f.Strings[i].ID == id {
			return &f.Strings[i]
		}
	}
	return nil
}

// Colon is the separator after a label in lang: French puts a no-break
// space before the colon.
func Colon(lang string) string {
	if lang == "fr" || strings.HasPrefix(lang, "fr-") {
		return "\u00a0: "
	}
	return ": "
}

// Missing lists, in ID order, the words that have no text in lang, neither
// in this table nor in the flow's `strings:`: what a flow that adds a
// language fieldscreen does not speak must translate, or its screens and
// summaries are half in English.
func Missing(f *questionnaire.Flow, lang string) []string {
	var out []string
	for id := range table["en"] {
		if _, ok := table[lang][id]; ok {
			continue
		}
		if fs := flowString(f, id); fs != nil && fs.Text[lang] != "" {
			continue
		}
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Known returns word id in lang from this table (never the flow's), or "".
func Known(lang, id string) string { return table[lang][id] }
