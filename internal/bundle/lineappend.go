package bundle

import (
	"strconv"
	"time"

	"fieldscreen/questionnaire"
)

// appendLine appends iv's line as json.Encoder writes it (HTML escaping
// on, and a newline), without reflection: an export encodes every
// interview, and encoding/json spends most of that time compacting the
// summary and every time it has already written. ok is false for what it
// does not write exactly as encoding/json would (a time that is not
// strict RFC 3339); the caller then encodes the line with encoding/json,
// which also gives the error. A test holds the two byte-identical on real
// interviews, and a fuzz target on arbitrary field values.
func appendLine(b []byte, iv *Interview) (_ []byte, ok bool) {
	str := questionnaire.AppendJSONString
	b = append(b, `{"interview_id":`...)
	b = str(b, iv.InterviewID)
	b = append(b, `,"flow":{"id":`...)
	b = str(b, iv.Flow.ID)
	b = append(b, `,"version":`...)
	b = str(b, iv.Flow.Version)
	b = append(b, `,"hash":`...)
	b = str(b, iv.Flow.Hash)
	b = append(b, `},"status":`...)
	b = str(b, iv.Status)
	b = append(b, `,"interviewer":`...)
	b = str(b, iv.Interviewer)
	b = append(b, `,"location":`...)
	b = str(b, iv.Location)
	b = append(b, `,"language":`...)
	b = str(b, iv.Language)
	b = append(b, `,"created_at":`...)
	if b, ok = appendTime(b, iv.CreatedAt); !ok {
		return b, false
	}
	b = append(b, `,"updated_at":`...)
	if b, ok = appendTime(b, iv.UpdatedAt); !ok {
		return b, false
	}
	b = append(b, `,"completed_at":`...)
	if iv.CompletedAt == nil {
		b = append(b, "null"...)
	} else if b, ok = appendTime(b, *iv.CompletedAt); !ok {
		return b, false
	}
	b = append(b, `,"consent":`...)
	if c := iv.Consent; c == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"given":`...)
		b = strconv.AppendBool(b, c.Given)
		b = append(b, `,"at":`...)
		if b, ok = appendTime(b, c.At); !ok {
			return b, false
		}
		b = append(b, `,"language":`...)
		b = str(b, c.Language)
		b = append(b, '}')
	}
	b = append(b, `,"answers":`...)
	if iv.Answers == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, a := range iv.Answers {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = str(b, a.ID)
			b = append(b, `,"label":`...)
			b = str(b, a.Label)
			b = append(b, `,"value":`...)
			var err error
			if b, err = questionnaire.AppendJSONValue(b, a.Value); err != nil {
				return b, false
			}
			b = append(b, `,"answered_at":`...)
			if b, ok = appendTime(b, a.AnsweredAt); !ok {
				return b, false
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"summary":`...)
	if iv.Summary == nil || !compactEscaped(iv.Summary) {
		// encoding/json writes a nil summary as null, and compacts one
		// not already as it writes it.
		return b, false
	}
	b = append(b, iv.Summary...)
	b = append(b, `,"audit":`...)
	if iv.Audit == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, e := range iv.Audit {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"at":`...)
			if b, ok = appendTime(b, e.At); !ok {
				return b, false
			}
			b = append(b, `,"event":`...)
			b = str(b, e.Event)
			if e.QuestionID != "" {
				b = append(b, `,"question_id":`...)
				b = str(b, e.QuestionID)
			}
			if e.Interviewer != nil {
				b = append(b, `,"interviewer":`...)
				b = str(b, *e.Interviewer)
			}
			if e.Detail != "" {
				b = append(b, `,"detail":`...)
				b = str(b, e.Detail)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if iv.Position != "" {
		b = append(b, `,"position":`...)
		b = str(b, iv.Position)
	}
	if len(iv.Corrections) > 0 {
		b = append(b, `,"corrections":[`...)
		for i, c := range iv.Corrections {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"at":`...)
			if b, ok = appendTime(b, c.At); !ok {
				return b, false
			}
			b = append(b, `,"reason":`...)
			b = str(b, c.Reason)
			if c.Interviewer != "" {
				b = append(b, `,"interviewer":`...)
				b = str(b, c.Interviewer)
			}
			b = append(b, `,"after_export":`...)
			b = strconv.AppendBool(b, c.AfterExport)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...), true
}

// appendTime appends t quoted, as time.Time's MarshalJSON writes it; ok
// is false where MarshalJSON fails (a year outside 0–9999, a zone offset
// of 24 hours or more).
func appendTime(b []byte, t time.Time) (_ []byte, ok bool) {
	n := len(b)
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	s := b[n+1:]
	if len(s) < 5 || s[4] != '-' {
		return b, false
	}
	if z := s[len(s)-1]; z != 'Z' {
		// ±hh:mm
		if len(s) < 6 || s[len(s)-6] != '+' && s[len(s)-6] != '-' {
			return b, false
		}
		if h := s[len(s)-5 : len(s)-3]; h[0] > '2' || h[0] == '2' && h[1] >= '4' {
			return b, false
		}
	}
	return append(b, '"'), true
}

// compactEscaped reports whether raw JSON is as encoding/json writes a
// RawMessage: no whitespace outside strings, and <, >, &, U+2028 and
// U+2029 escaped, no control character in a string. Summary.AppendJSON writes it so; this only guards
// against a summary from elsewhere.
func compactEscaped(raw []byte) bool {
	in := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if in {
			switch c {
			case '\\':
				i++
			case '"':
				in = false
			case '<', '>', '&':
				return false
			default:
				if c < 0x20 {
					return false // not valid JSON: encoding/json refuses it
				}
			case 0xE2: // U+2028 and U+2029 are E2 80 A8 and E2 80 A9
				if i+2 < len(raw) && raw[i+1] == 0x80 && (raw[i+2] == 0xA8 || raw[i+2] == 0xA9) {
					return false
				}
			}
			continue
		}
		switch c {
		case '"':
			in = true
		case ' ', '\t', '\n', '\r':
			return false
		}
	}
	return len(raw) > 0 && !in
}
