package questionnaire

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// Summaries are written by the hundred thousand in batch scoring; this
// appends their JSON directly, byte for byte what encoding/json writes
// (a test holds them equal), and falls back to encoding/json for any value
// of another type.

// AppendJSON appends the summary's JSON (as MarshalJSON gives it) to b.
func (s *Summary) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	b = appendKey(b, "interview_id", true)
	b = appendString(b, s.InterviewID)
	if s.Source != "" {
		b = appendKey(b, "source", false)
		b = appendString(b, s.Source)
	}
	b = appendKey(b, "flow", false)
	b = append(b, `{"id":`...)
	b = appendString(b, s.Flow.ID)
	b = append(b, `,"version":`...)
	b = appendString(b, s.Flow.Version)
	b = append(b, `,"hash":`...)
	b = appendString(b, s.Flow.Hash)
	b = append(b, '}')
	for _, kv := range [...][2]string{{"status", s.Status}, {"language", s.Language}, {"location", s.Location}, {"interviewer", s.Interviewer}} {
		if kv[1] != "" {
			b = appendKey(b, kv[0], false)
			b = appendString(b, kv[1])
		}
	}
	for _, t := range []struct {
		key string
		at  *time.Time
	}{{"created_at", s.CreatedAt}, {"completed_at", s.CompletedAt}} {
		if t.at != nil {
			b = appendKey(b, t.key, false)
			b = append(b, '"')
			b = t.at.AppendFormat(b, time.RFC3339Nano)
			b = append(b, '"')
		}
	}
	var err error
	if s.Fields != nil {
		for i, k := range s.Fields.keys {
			b = appendKey(b, k, false)
			if b, err = appendValue(b, s.Fields.vals[i]); err != nil {
				return nil, err
			}
		}
	}
	b = appendKey(b, "referrals", false)
	b = append(b, '[')
	for i, r := range s.Referrals {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, r.ID)
		b = append(b, `,"priority":`...)
		b = appendString(b, r.Priority)
		b = append(b, `,"reasons":`...)
		b = appendStrings(b, r.Reasons, true)
		if r.Service != "" {
			b = append(b, `,"service":`...)
			b = appendString(b, r.Service)
		}
		if r.Consent != "" {
			b = append(b, `,"consent":`...)
			b = appendString(b, r.Consent)
		}
		if len(r.Services) > 0 {
			sb, err := json.Marshal(r.Services)
			if err != nil {
				return nil, err
			}
			b = append(b, `,"services":`...)
			b = append(b, sb...)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	b = appendKey(b, "cautions", false)
	b = append(b, '[')
	for i, c := range s.Cautions {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, c.ID)
		if c.Tier != "" {
			b = append(b, `,"tier":`...)
			b = appendString(b, c.Tier)
		}
		b = append(b, `,"reasons":`...)
		b = appendStrings(b, c.Reasons, true)
		b = append(b, '}')
	}
	b = append(b, ']')
	b = appendKey(b, "information_gaps", false)
	b = appendStrings(b, s.InformationGaps, false)
	b = appendKey(b, "basis", false)
	b = appendStrings(b, s.Basis, false)
	return append(b, '}'), nil
}

// AppendJSONString appends s as a JSON string, byte for byte as
// encoding/json writes it with HTML escaping on. Writers of other JSON
// that must match encoding/json's (a bundle's interview lines) use it.
func AppendJSONString(b []byte, s string) []byte { return appendString(b, s) }

// AppendJSONValue appends an answer's value (text, whole number, list of
// texts, null, or any other value through encoding/json) as encoding/json
// writes it.
func AppendJSONValue(b []byte, v any) ([]byte, error) { return appendValue(b, v) }

func appendKey(b []byte, k string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendString(b, k)
	return append(b, ':')
}

// appendStrings writes a list; a nil list is null when nullable, else [].
func appendStrings(b []byte, l []string, nullable bool) []byte {
	if l == nil && nullable {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case []string:
		return appendStrings(b, x, true), nil
	case *Object:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '{')
		for i, k := range x.keys {
			b = appendKey(b, k, i == 0)
			var err error
			if b, err = appendValue(b, x.vals[i]); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	}
	vb, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, vb...), nil
}

const hexDigits = "0123456789abcdef"

// appendString writes s as encoding/json does with HTML escaping on:
// control characters, quotes, backslashes, <, >, &, U+2028 and U+2029
// escaped, invalid UTF-8 replaced by U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
