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
	const (
		kID = iota
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
	have, ok := s.fields(func(key []byte) (int, bool) {
		var good bool
		switch string(key) {
		case "interview_id":
			sc.InterviewID, good = s.keep()
			return kID, good
		case "flow":
			return kFlow, s.flowRef(&sc.Flow)
		case "status":
			sc.Status, good = s.keep()
			return kStatus, good
		case "interviewer":
			sc.Interviewer, good = s.keep()
			return kInterviewer, good
		case "location":
			sc.Location, good = s.keep()
			return kLocation, good
		case "language":
			sc.Language, good = s.keep()
			return kLanguage, good
		case "created_at":
			sc.CreatedAt, good = s.timeAt(false)
			return kCreated, good
		case "updated_at":
			return kUpdated, s.time(false)
		case "completed_at":
			if good = s.null(); !good {
				var t time.Time
				if t, good = s.timeAt(true); good {
					sc.CompletedAt = &t
				}
			}
			return kCompleted, good
		case "consent":
			return kConsent, s.null() || s.consent()
		case "answers":
			sc.Answers = questionnaire.Answers{}
			return kAnswers, s.array(func() bool {
				id, v, ok := s.answer()
				if ok {
					sc.AnswerCount++
					sc.Answers[string(id)] = v
				}
				return ok
			})
		case "summary":
			s.ws()
			return kSummary, s.i < len(s.b) && s.b[s.i] == '{' && s.skip(0)
		case "audit":
			return kAudit, s.array(s.auditEvent)
		case "position":
			return kPosition, s.str()
		}
		return -1, false
	})
	if !ok || !s.end() || !have.all(kID, kFlow, kStatus, kCreated, kUpdated, kAnswers, kSummary, kAudit) {
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

// keys is the set of an object's keys fields has read, by number.
type keys uint64

// all says whether every one of ks was read.
func (h keys) all(ks ...int) bool {
	for _, k := range ks {
		if h&(1<<k) == 0 {
			return false
		}
	}
	return true
}

// fields reads an object whose keys field knows, each at most once.
// field reads the value of key and returns the key's number (0 to 63) and
// whether the value is good, or -1 for a key it does not take. An unknown
// or repeated key makes the object one to leave to the full decode.
func (s *scan) fields(field func(key []byte) (int, bool)) (keys, bool) {
	var have keys
	ok := s.object(func(key []byte) bool {
		k, good := field(key)
		if k < 0 || have&(1<<k) != 0 {
			return false // repeated: the full decode says what it makes of it
		}
		have |= 1 << k
		return good
	})
	return have, ok
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
	_, ok := s.fields(func(key []byte) (k int, good bool) {
		switch string(key) {
		case "id":
			f.ID, good = s.keep()
			return 0, good
		case "version":
			f.Version, good = s.keep()
			return 1, good
		case "hash":
			f.Hash, good = s.keep()
			return 2, good
		}
		return -1, false
	})
	return ok
}

func (s *scan) consent() bool {
	_, ok := s.fields(func(key []byte) (int, bool) {
		switch string(key) {
		case "given":
			s.ws()
			switch {
			case bytes.HasPrefix(s.b[s.i:], []byte("true")):
				s.i += 4
				return 0, true
			case bytes.HasPrefix(s.b[s.i:], []byte("false")):
				s.i += 5
				return 0, true
			}
			return 0, false
		case "at":
			return 1, s.time(true)
		case "language":
			return 2, s.str()
		}
		return -1, false
	})
	return ok
}

// answer reads one answer: its id and its value as decodeValue makes it.
func (s *scan) answer() (id []byte, v any, ok bool) {
	const kID, kLabel, kValue, kAt = 0, 1, 2, 3
	have, ok := s.fields(func(key []byte) (int, bool) {
		var good bool
		switch string(key) {
		case "id":
			id, good = s.plain()
			return kID, good && len(id) > 0
		case "label":
			return kLabel, s.str()
		case "value":
			v, good = s.value()
			return kValue, good
		case "answered_at":
			return kAt, s.time(true)
		}
		return -1, false
	})
	return id, v, ok && have.all(kID, kValue)
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
	var event bool
	have, ok := s.fields(func(key []byte) (int, bool) {
		switch string(key) {
		case "at":
			return 0, s.time(false)
		case "event":
			s.ws()
			start := s.i
			good := s.str()
			event = good && s.i-start > 2
			return 1, good
		case "question_id":
			return 2, s.str()
		case "interviewer":
			return 3, s.null() || s.str()
		case "detail":
			return 4, s.str()
		}
		return -1, false
	})
	return ok && have.all(0) && event
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
