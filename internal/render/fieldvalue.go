package render

import (
	"fmt"

	"fieldscreen/questionnaire"
)

// FieldValue gives the words for the value v of the summary field at field
// (such as "outcome" → "Urgent referral") in lang, as the summary shows
// it: the label of the finding's case for v, else the value in words. A
// table or a listing for people shows these, never the IDs; JSON and CSV
// keep the IDs. A nil value gives "".
func FieldValue(f *questionnaire.Flow, field string, v any, lang string) string {
	if v == nil {
		return ""
	}
	lang = f.Lang(lang)
	for _, fd := range f.Findings {
		if fd.Field != field {
			continue
		}
		for _, c := range fd.Cases {
			if fmt.Sprint(c.Value) == fmt.Sprint(v) && !c.Label.Empty() {
				return Clean(f.T(c.Label, lang))
			}
		}
	}
	b := &builder{f: f, lang: lang}
	return Clean(b.valueWords(v))
}
