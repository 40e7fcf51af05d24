package store

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"fieldscreen/internal/record"
)

// TextError is text that is not valid UTF-8, refused on its way into the
// store: a name typed in a terminal set to Latin-1, say. Such a byte
// cannot be carried in a bundle (JSON is UTF-8), so the interview could
// never be handed over intact. The error names the field or question,
// never the text.
type TextError struct {
	Field    string // "interviewer", "location", "answer", "audit detail", ...
	Question string // the question, for an answer
}

func (e *TextError) Error() string {
	what := "the " + e.Field
	if e.Question != "" {
		what = fmt.Sprintf("the %s to question %q", e.Field, e.Question)
	}
	return what + " is not valid UTF-8 text (typed in a terminal set to another encoding, such as Latin-1?); nothing was saved: set the terminal to UTF-8 (for example LANG=C.UTF-8) and type it again"
}

// checkText refuses an interview holding text that is not valid UTF-8.
func checkText(iv *record.Interview) error {
	for _, f := range []struct{ name, v string }{
		{"interviewer", iv.Interviewer}, {"location", iv.Location}, {"language", iv.Language},
		{"flow id", iv.FlowID}, {"flow version", iv.FlowVersion}, {"flow hash", iv.FlowHash},
		{"position", iv.Position}, {"outcome", iv.Outcome},
	} {
		if !utf8.ValidString(f.v) {
			return &TextError{Field: f.name}
		}
	}
	if iv.Consent != nil && !utf8.ValidString(iv.Consent.Language) {
		return &TextError{Field: "consent language"}
	}
	for _, list := range [][]record.Answer{iv.Answers, iv.SetAside} {
		for _, a := range list {
			if !utf8.ValidString(a.QuestionID) {
				return &TextError{Field: "question id"}
			}
			switch v := a.Value.(type) {
			case string:
				if !utf8.ValidString(v) {
					return &TextError{Field: "answer", Question: a.QuestionID}
				}
			case []string:
				for _, s := range v {
					if !utf8.ValidString(s) {
						return &TextError{Field: "answer", Question: a.QuestionID}
					}
				}
			}
		}
	}
	for _, e := range iv.Audit {
		for _, f := range []struct{ name, v string }{
			{"audit event", string(e.Event)}, {"question id", e.QuestionID}, {"interviewer", e.Interviewer}, {"audit detail", e.Detail},
		} {
			if !utf8.ValidString(f.v) {
				return &TextError{Field: f.name}
			}
		}
	}
	return nil
}

// repairText replaces, in a record as stored, the bytes that are not
// UTF-8 with U+FFFD: older versions let them in, and an update of such a
// record must not fail for text it did not bring.
func repairText(iv *record.Interview) {
	fix := func(s *string) {
		if !utf8.ValidString(*s) {
			*s = strings.ToValidUTF8(*s, "\uFFFD")
		}
	}
	for _, s := range []*string{&iv.Interviewer, &iv.Location, &iv.Language, &iv.FlowID, &iv.FlowVersion, &iv.FlowHash, &iv.Position, &iv.Outcome} {
		fix(s)
	}
	if iv.Consent != nil {
		fix(&iv.Consent.Language)
	}
	for _, list := range [][]record.Answer{iv.Answers, iv.SetAside} {
		for i := range list {
			a := &list[i]
			fix(&a.QuestionID)
			switch v := a.Value.(type) {
			case string:
				fix(&v)
				a.Value = v
			case []string:
				for j := range v {
					fix(&v[j])
				}
			}
		}
	}
	for i := range iv.Audit {
		e := &iv.Audit[i]
		ev := string(e.Event)
		fix(&ev)
		e.Event = record.Event(ev)
		fix(&e.QuestionID)
		fix(&e.Interviewer)
		fix(&e.Detail)
	}
}
