package wire

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"

	"fieldscreen/questionnaire"
)

// Scanned is what ScanInterview reads of an interview: what scoring needs.
type Scanned struct {
	InterviewID string
	Flow        questionnaire.FlowRef
	Status      string
	Language    string
	Answers     questionnaire.Answers
	// Where, by whom and when, for score's rows.
	Interviewer, Location string
	CreatedAt             time.Time
	CompletedAt           *time.Time
	// AnswerCount is how many answers the interview lists: more than
	// len(Answers) when a question is answered twice.
	AnswerCount int
}

// ScanInterview reads one interview's raw object without a full decode:
// it validates the JSON it skips, and checks the fields' types and that
// the required ones are there, as a full decode would. ok is false
// whenever it is not sure the full decode would accept the interview and
// give these values; the caller then decodes it fully. What the fields
// mean (an ID that is a UUID, a flow the bundle carries, a status, answers
// to the flow's questions) is the caller's to check.
func ScanInterview(raw []byte) (sc *Scanned, ok bool) {
	s := &scan{b: raw}
	sc = &Scanned{}
	var have uint16
	const (
		kID = 1 << iota
		kFlow
		kStatus
		kInterviewer
		kLocation
		kLanguage
		kCreated
		kUpdated
		kCompleted
		kConsent
		kAnswers
		kSummary
		kAudit
		kPosition
	)
	ok = s.object(func(key []byte) bool {
		var bit uint16
		var good bool
		switch string(key) {
		case "interview_id":
			bit = kID
			sc.InterviewID, good = s.keep()
		case "flow":
			bit = kFlow
			good = s.flowRef(&sc.Flow)
		case "status":
			bit = kStatus
			sc.Status, good = s.keep()
		case "interviewer":
			bit = kInterviewer
			sc.Interviewer, good = s.keep()
		case "location":
			bit = kLocation
			sc.Location, good = s.keep()
		case "language":
			bit = kLanguage
			sc.Language, good = s.keep()
		case "created_at":
			bit = kCreated
			sc.CreatedAt, good = s.timeAt(false)
		case "updated_at":
			bit, good = kUpdated, s.time(false)
		case "completed_at":
			bit = kCompleted
			if good = s.null(); !good {
				var t time.Time
				if t, good = s.timeAt(true); good {
					sc.CompletedAt = &t
				}
			}
		case "consent":
			bit, good = kConsent, s.null() || s.consent()
		case "answers":
			bit = kAnswers
			sc.Answers = questionnaire.Answers{}
			good = s.array(func() bool {
				id, v, ok := s.answer()
				if ok {
					sc.AnswerCount++
					sc.Answers[string(id)] = v
				}
				return ok
			})
		case "summary":
			bit = kSummary
			s.ws()
			good = s.i < len(s.b) && s.b[s.i] == '{' && s.skip(0)
		case "audit":
			bit, good = kAudit, s.array(s.auditEvent)
		case "position":
			bit, good = kPosition, s.str()
		default:
			return false
		}
		if have&bit != 0 {
			return false // repeated: the full decode says what it makes of it
		}
		have |= bit
		return good
	})
	if !ok || !s.end() {
		return nil, false
	}
	const need = kID | kFlow | kStatus | kCreated | kUpdated | kAnswers | kSummary | kAudit
	if have&need != need {
		return nil, false
	}
	return sc, true
}

// scan reads JSON in b from i. Its methods return false on anything they
// do not take, leaving i anywhere.
type scan struct {
	b []byte
	i int
}

// maxDepth is below encoding/json's nesting limit (10000), counted from
// the summary: deeper values go to the full decode.
const maxDepth = 9000

func (s *scan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// end: only whitespace is left.
func (s *scan) end() bool { s.ws(); return s.i == len(s.b) }

func (s *scan) byte(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// object reads an object, calling field for each key with i at its value.
func (s *scan) object(field func(key []byte) bool) bool {
	if !s.byte('{') {
		return false
	}
	if s.byte('}') {
		return true
	}
	for {
		s.ws()
		key, ok := s.plain()
		if !ok || !s.byte(':') || !field(key) {
			return false
		}
		if s.byte('}') {
			return true
		}
		if !s.byte(',') {
			return false
		}
	}
}

// array reads an array, calling elem for each element.
func (s *scan) array(elem func() bool) bool {
	if !s.byte('[') {
		return false
	}
	if s.byte(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if s.byte(']') {
			return true
		}
		if !s.byte(',') {
			return false
		}
	}
}

// plain reads a string without escapes, of valid UTF-8: one whose bytes
// are its value.
func (s *scan) plain() ([]byte, bool) {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			v := s.b[start:j]
			return v, utf8.Valid(v)
		case c == '\\' || c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// keep reads a plain string into a Go string.
func (s *scan) keep() (string, bool) {
	v, ok := s.plain()
	return string(v), ok
}

// str reads any valid string.
func (s *scan) str() bool {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return false
	}
	for j := s.i + 1; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			return true
		case c < 0x20:
			return false
		case c == '\\':
			j++
			if j >= len(s.b) {
				return false
			}
			switch s.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(s.b) {
					return false
				}
				for _, h := range s.b[j+1 : j+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return false
					}
				}
				j += 4
			default:
				return false
			}
		}
	}
	return false
}

// null reads null, or reads nothing and returns false.
func (s *scan) null() bool {
	s.ws()
	if bytes.HasPrefix(s.b[s.i:], []byte("null")) {
		s.i += 4
		return true
	}
	return false
}

// time reads a time as time.Time decodes it; nonzero: any time, else one
// that is not zero (created_at and updated_at are required).
func (s *scan) time(anyTime bool) bool {
	_, ok := s.timeAt(anyTime)
	return ok
}

// timeAt reads a time as time does, and returns it.
func (s *scan) timeAt(anyTime bool) (time.Time, bool) {
	s.ws()
	start := s.i
	if _, ok := s.plain(); !ok {
		return time.Time{}, false
	}
	var t time.Time
	if t.UnmarshalJSON(s.b[start:s.i]) != nil {
		return time.Time{}, false
	}
	return t, anyTime || !t.IsZero()
}

func (s *scan) flowRef(f *questionnaire.FlowRef) bool {
	var have [3]bool
	return s.object(func(key []byte) bool {
		var k int
		var p *string
		switch string(key) {
		case "id":
			k, p = 0, &f.ID
		case "version":
			k, p = 1, &f.Version
		case "hash":
			k, p = 2, &f.Hash
		default:
			return false
		}
		if have[k] {
			return false
		}
		have[k] = true
		var ok bool
		*p, ok = s.keep()
		return ok
	})
}

func (s *scan) consent() bool {
	var have [3]bool
	return s.object(func(key []byte) bool {
		var k int
		var ok bool
		switch string(key) {
		case "given":
			s.ws()
			k = 0
			switch {
			case bytes.HasPrefix(s.b[s.i:], []byte("true")):
				s.i, ok = s.i+4, true
			case bytes.HasPrefix(s.b[s.i:], []byte("false")):
				s.i, ok = s.i+5, true
			}
		case "at":
			k, ok = 1, s.time(true)
		case "language":
			k, ok = 2, s.str()
		default:
			return false
		}
		if have[k] {
			return false
		}
		have[k] = true
		return ok
	})
}

// answer reads one answer: its id and its value as decodeValue makes it.
func (s *scan) answer() (id []byte, v any, ok bool) {
	var have [4]bool
	ok = s.object(func(key []byte) bool {
		var k int
		var good bool
		switch string(key) {
		case "id":
			k = 0
			id, good = s.plain()
			good = good && len(id) > 0
		case "label":
			k, good = 1, s.str()
		case "value":
			k = 2
			v, good = s.value()
		case "answered_at":
			k, good = 3, s.time(true)
		default:
			return false
		}
		if have[k] {
			return false
		}
		have[k] = true
		return good
	})
	return id, v, ok && have[0] && have[2]
}

// value reads an answer's value: null, text, a whole number or a list of
// texts.
func (s *scan) value() (any, bool) {
	s.ws()
	if s.i >= len(s.b) {
		return nil, false
	}
	switch c := s.b[s.i]; {
	case c == 'n':
		return nil, s.null()
	case c == '"':
		v, ok := s.keep()
		return v, ok
	case c == '[':
		ss := []string{}
		ok := s.array(func() bool {
			v, ok := s.keep()
			ss = append(ss, v)
			return ok
		})
		return ss, ok
	case c == '-' || '0' <= c && c <= '9':
		start := s.i
		if !s.number() {
			return nil, false
		}
		n, err := strconv.ParseInt(string(s.b[start:s.i]), 10, 64)
		if err != nil || int64(int(n)) != n {
			return nil, false
		}
		return int(n), true
	}
	return nil, false
}

// number reads a JSON number.
func (s *scan) number() bool {
	b, i := s.b, s.i
	digits := func() bool {
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	s.i = i
	return true
}

func (s *scan) auditEvent() bool {
	var have [5]bool
	var at, event bool
	ok := s.object(func(key []byte) bool {
		var k int
		var good bool
		switch string(key) {
		case "at":
			k, good = 0, s.time(false)
			at = good
		case "event":
			k = 1
			s.ws()
			start := s.i
			good = s.str()
			event = good && s.i-start > 2
		case "question_id":
			k, good = 2, s.str()
		case "interviewer":
			k, good = 3, s.null() || s.str()
		case "detail":
			k, good = 4, s.str()
		default:
			return false
		}
		if have[k] {
			return false
		}
		have[k] = true
		return good
	})
	return ok && at && event
}

// skip reads any JSON value.
func (s *scan) skip(depth int) bool {
	if depth > maxDepth {
		return false
	}
	s.ws()
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '{':
		return s.object(func([]byte) bool { return s.skip(depth + 1) })
	case c == '[':
		return s.array(func() bool { return s.skip(depth + 1) })
	case c == '"':
		return s.str()
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	}
	for _, lit := range [][]byte{[]byte("null"), []byte("true"), []byte("false")} {
		if bytes.HasPrefix(s.b[s.i:], lit) {
			s.i += len(lit)
			return true
		}
	}
	return false
}
