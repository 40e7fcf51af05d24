// Package record defines an interview's record: its answers, consent,
// status and audit trail, as the store seals them and bundles carry them.
// It holds data and reads it; it does not decide what is asked
// (questionnaire does), change a record as an interview runs (session
// does), or keep it anywhere (store does). The audit events and their
// details are made in one place, audit.go.
package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/google/uuid"
)

// Status is where an interview is in its life.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusCompleted Status = "completed"
	StatusExported  Status = "exported"
)

// Valid reports whether s is one of the statuses above.
func (s Status) Valid() bool {
	return s == StatusDraft || s == StatusCompleted || s == StatusExported
}

// Answer is one answer to one question. Value is a string, an int, a
// []string, or nil for a question that was shown and left unanswered.
type Answer struct {
	QuestionID string    `json:"question_id"`
	Value      any       `json:"value"`
	AnsweredAt time.Time `json:"answered_at"`
}

// UnmarshalJSON restores Value to one of the allowed Go types: plain
// encoding/json would turn an int into a float64 and a []string into []any.
func (a *Answer) UnmarshalJSON(data []byte) error {
	var raw struct {
		QuestionID string          `json:"question_id"`
		Value      json.RawMessage `json:"value"`
		AnsweredAt time.Time       `json:"answered_at"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	v, err := decodeValue(raw.Value)
	if err != nil {
		return fmt.Errorf("answer to question %q: %w", raw.QuestionID, err)
	}
	*a = Answer{QuestionID: raw.QuestionID, Value: v, AnsweredAt: raw.AnsweredAt}
	return nil
}

// ErrValueType never names the value itself, only that it has the wrong shape.
var ErrValueType = errors.New("answer value must be text, a whole number, a list of texts, or empty")

func decodeValue(raw json.RawMessage) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, ErrValueType
		}
		return s, nil
	case '[':
		var ss []string
		if err := json.Unmarshal(raw, &ss); err != nil {
			return nil, ErrValueType
		}
		if ss == nil {
			ss = []string{}
		}
		return ss, nil
	default:
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return nil, ErrValueType
		}
		i, err := n.Int64()
		if err != nil || i < math.MinInt || i > math.MaxInt {
			return nil, ErrValueType
		}
		return int(i), nil
	}
}

// NormalizeValue converts the integer and list types a caller may plausibly
// pass into the canonical ones, so a saved and reloaded interview compares
// equal to the one in memory.
func NormalizeValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, int, []string:
		return v, nil
	case int8:
		return int(x), nil
	case int16:
		return int(x), nil
	case int32:
		return int(x), nil
	case int64:
		if x < math.MinInt || x > math.MaxInt {
			return nil, ErrValueType
		}
		return int(x), nil
	case uint8:
		return int(x), nil
	case uint16:
		return int(x), nil
	case uint32:
		return int(x), nil
	case []any:
		ss := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, ErrValueType
			}
			ss = append(ss, s)
		}
		return ss, nil
	default:
		return nil, ErrValueType
	}
}

// Consent records the person's consent to the interview.
type Consent struct {
	Given    bool      `json:"given"`
	At       time.Time `json:"at"`
	Language string    `json:"language"`
}

// Interview is one screening interview.
type Interview struct {
	ID          string       `json:"interview_id"`
	FlowID      string       `json:"flow_id"`
	FlowVersion string       `json:"flow_version"`
	FlowHash    string       `json:"flow_hash"`
	Interviewer string       `json:"interviewer"`
	Location    string       `json:"location"`
	Language    string       `json:"language"`
	Status      Status       `json:"status"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	CompletedAt *time.Time   `json:"completed_at,omitempty"`
	Answers     []Answer     `json:"answers"`
	Consent     *Consent     `json:"consent,omitempty"`
	Audit       []AuditEvent `json:"audit"`
	Position    string       `json:"position,omitempty"`
	Outcome     string       `json:"outcome,omitempty"`
	// SetAside holds, in a draft, the answers a changed answer made no
	// longer apply, so that changing it back restores them. They are
	// sealed like every answer, never shown, scored or exported, and
	// erased when the interview is completed.
	SetAside []Answer `json:"set_aside,omitempty"`
}

// Entry is the summary of an interview that List returns. It is kept in its
// own small record so listing does not decrypt whole interviews.
type Entry struct {
	ID          string     `json:"interview_id"`
	Status      Status     `json:"status"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
	Interviewer string     `json:"interviewer,omitempty"`
	Outcome     string     `json:"outcome,omitempty"`
	FlowID      string     `json:"flow_id,omitempty"`
	FlowVersion string     `json:"flow_version,omitempty"`
	// AmendedSinceExport: corrected after its last export, so the
	// recipients of that bundle do not have the correction.
	AmendedSinceExport bool `json:"amended_since_export,omitempty"`
}

// NewID returns a fresh interview ID (a UUIDv7).
func NewID() (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("cannot make an interview id: %w", err)
	}
	return u.String(), nil
}

// Entry returns the summary of iv.
func (iv *Interview) Entry() Entry {
	return Entry{
		ID:          iv.ID,
		Status:      iv.Status,
		CreatedAt:   iv.CreatedAt,
		UpdatedAt:   iv.UpdatedAt,
		CompletedAt: iv.CompletedAt,
		Interviewer: iv.Interviewer,
		Outcome:     iv.Outcome,
		FlowID:      iv.FlowID,
		FlowVersion: iv.FlowVersion,

		AmendedSinceExport: iv.AmendedSinceExport(),
	}
}

// Correction is one amendment of a completed interview, as its audit
// trail records it.
type Correction struct {
	At          time.Time `json:"at"`
	Reason      string    `json:"reason"`
	Interviewer string    `json:"interviewer,omitempty"`
	// AfterExport: the interview had been handed over (AuditEvent.Handover)
	// before it was corrected, so someone holds the version before.
	AfterExport bool `json:"after_export"`
}

// Corrections lists the interview's amendments, oldest first, from its
// audit trail ("amended" events; a handover before makes it a correction
// after export).
func (iv *Interview) Corrections() []Correction {
	var out []Correction
	exported := false
	for _, e := range iv.Audit {
		switch {
		case e.Handover():
			exported = true
		case e.Event == EventAmended:
			out = append(out, Correction{At: e.At, Reason: e.Detail, Interviewer: e.Interviewer, AfterExport: exported})
		}
	}
	return out
}

// AmendedSinceExport reports whether the interview was handed over and
// then corrected, and not handed over again since.
func (iv *Interview) AmendedSinceExport() bool {
	exported, amended := false, false
	for _, e := range iv.Audit {
		switch {
		case e.Handover():
			exported, amended = true, false
		case e.Event == EventAmended:
			amended = exported
		}
	}
	return amended
}

// Answer returns the answer to question qid, if there is one.
func (iv *Interview) Answer(qid string) (Answer, bool) {
	for _, a := range iv.Answers {
		if a.QuestionID == qid {
			return a, true
		}
	}
	return Answer{}, false
}

// AnswersMap returns the answers keyed by question ID.
func (iv *Interview) AnswersMap() map[string]any {
	m := make(map[string]any, len(iv.Answers))
	for _, a := range iv.Answers {
		m[a.QuestionID] = a.Value
	}
	return m
}
