package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
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

func (s Status) valid() bool {
	return s == StatusDraft || s == StatusCompleted || s == StatusExported
}

// Audit event names.
const (
	EventCreated   = "created"
	EventAnswered  = "answered"
	EventChanged   = "changed"
	EventDropped   = "dropped"
	EventRestored  = "restored" // a dropped answer brought back (see Interview.SetAside)
	EventResumed   = "resumed"
	EventCompleted = "completed"
	EventExported  = "exported"
	EventImported  = "imported"
	EventDeleted   = "deleted"
	EventAmended   = "amended" // a completed interview corrected; Detail is the reason
)

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

// errValueType never names the value itself, only that it has the wrong shape.
var errValueType = errors.New("answer value must be text, a whole number, a list of texts, or empty")

func decodeValue(raw json.RawMessage) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, errValueType
		}
		return s, nil
	case '[':
		var ss []string
		if err := json.Unmarshal(raw, &ss); err != nil {
			return nil, errValueType
		}
		if ss == nil {
			ss = []string{}
		}
		return ss, nil
	default:
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return nil, errValueType
		}
		i, err := n.Int64()
		if err != nil || i < math.MinInt || i > math.MaxInt {
			return nil, errValueType
		}
		return int(i), nil
	}
}

// normalizeValue converts the integer and list types a caller may plausibly
// pass into the canonical ones, so a saved and reloaded interview compares
// equal to the one in memory.
func normalizeValue(v any) (any, error) {
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
			return nil, errValueType
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
				return nil, errValueType
			}
			ss = append(ss, s)
		}
		return ss, nil
	default:
		return nil, errValueType
	}
}

// Consent records the person's consent to the interview.
type Consent struct {
	Given    bool      `json:"given"`
	At       time.Time `json:"at"`
	Language string    `json:"language"`
}

// AuditEvent is one line of an interview's history. It names a question
// but never holds an answer.
type AuditEvent struct {
	At          time.Time `json:"at"`
	Event       string    `json:"event"`
	QuestionID  string    `json:"question_id,omitempty"`
	Interviewer string    `json:"interviewer,omitempty"`
	Detail      string    `json:"detail,omitempty"`
}

// Handover reports whether e records a handover: an export of a JSON
// bundle encrypted to recipients, read from the detail export writes
// ("format=F; purpose=\"…\"; recipients=R; …"). A CSV file or a
// plaintext bundle is recorded as a transfer too, but nobody named
// received it.
func (e AuditEvent) Handover() bool {
	if e.Event != EventExported {
		return false
	}
	// The purpose is free text that may itself hold "; recipients=", so
	// the format is read from the start and the recipients from the last
	// field of that name.
	parts := strings.Split(e.Detail, "; ")
	recipients := ""
	for _, part := range parts {
		if v, ok := strings.CutPrefix(part, "recipients="); ok {
			recipients = v
		}
	}
	return parts[0] == "format=json" && recipients != "" && !strings.HasPrefix(recipients, "none")
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

// SetAnswer records v as the answer to qid, replacing an earlier answer in
// place, and adds an "answered" or "changed" audit event naming only the
// question. Saving the same value again changes nothing. Values of an
// unsupported type are stored as given; Put and Update refuse them.
func (iv *Interview) SetAnswer(qid string, v any, at time.Time, interviewer string) {
	if nv, err := normalizeValue(v); err == nil {
		v = nv
	}
	event := EventAnswered
	if i := iv.answerIndex(qid); i >= 0 {
		if reflect.DeepEqual(iv.Answers[i].Value, v) {
			return
		}
		iv.Answers[i].Value = v
		iv.Answers[i].AnsweredAt = at
		event = EventChanged
	} else {
		iv.Answers = append(iv.Answers, Answer{QuestionID: qid, Value: v, AnsweredAt: at})
	}
	iv.Audit = append(iv.Audit, AuditEvent{At: at, Event: event, QuestionID: qid, Interviewer: interviewer})
}

// DropAnswer removes the answer to qid, if any, and records a "dropped"
// audit event. Used when a changed answer makes a later question irrelevant.
func (iv *Interview) DropAnswer(qid string, at time.Time, interviewer string) {
	i := iv.answerIndex(qid)
	if i < 0 {
		return
	}
	iv.Answers = slices.Delete(iv.Answers, i, i+1)
	iv.Audit = append(iv.Audit, AuditEvent{At: at, Event: EventDropped, QuestionID: qid, Interviewer: interviewer})
}

func (iv *Interview) answerIndex(qid string) int {
	for i, a := range iv.Answers {
		if a.QuestionID == qid {
			return i
		}
	}
	return -1
}

// normalize checks iv before it is sealed and brings it to canonical form:
// UTC times, canonical value types. It fills in a missing status and
// creation time. Errors name questions, never values.
func (iv *Interview) normalize(now time.Time) error {
	if iv.ID == "" {
		return fmt.Errorf("interview has no id")
	}
	u, err := uuid.Parse(iv.ID)
	if err != nil {
		return fmt.Errorf("interview id %q is not a uuid", iv.ID)
	}
	iv.ID = u.String()
	if iv.Status == "" {
		iv.Status = StatusDraft
	}
	if !iv.Status.valid() {
		return fmt.Errorf("interview %s has unknown status %q", iv.ID, iv.Status)
	}
	if iv.CreatedAt.IsZero() {
		iv.CreatedAt = now
	}
	if iv.UpdatedAt.IsZero() {
		iv.UpdatedAt = now
	}
	iv.CreatedAt = iv.CreatedAt.UTC()
	iv.UpdatedAt = iv.UpdatedAt.UTC()
	if iv.CompletedAt != nil {
		t := iv.CompletedAt.UTC()
		iv.CompletedAt = &t
	}
	if iv.Consent != nil {
		iv.Consent.At = iv.Consent.At.UTC()
	}
	seen := make(map[string]bool, len(iv.Answers))
	for i := range iv.Answers {
		a := &iv.Answers[i]
		if a.QuestionID == "" {
			return fmt.Errorf("interview %s has an answer without a question id", iv.ID)
		}
		if seen[a.QuestionID] {
			return fmt.Errorf("interview %s has two answers to question %q", iv.ID, a.QuestionID)
		}
		seen[a.QuestionID] = true
		v, err := normalizeValue(a.Value)
		if err != nil {
			return fmt.Errorf("interview %s, question %q: %w", iv.ID, a.QuestionID, err)
		}
		a.Value = v
		a.AnsweredAt = a.AnsweredAt.UTC()
	}
	aside := make(map[string]bool, len(iv.SetAside))
	for i := range iv.SetAside {
		a := &iv.SetAside[i]
		if a.QuestionID == "" || aside[a.QuestionID] || seen[a.QuestionID] {
			return fmt.Errorf("interview %s has a set-aside answer without a question id, twice, or also answered", iv.ID)
		}
		aside[a.QuestionID] = true
		v, err := normalizeValue(a.Value)
		if err != nil {
			return fmt.Errorf("interview %s, set-aside question %q: %w", iv.ID, a.QuestionID, err)
		}
		a.Value = v
		a.AnsweredAt = a.AnsweredAt.UTC()
	}
	if len(iv.SetAside) == 0 {
		iv.SetAside = nil
	}
	for i := range iv.Audit {
		iv.Audit[i].At = iv.Audit[i].At.UTC()
	}
	return iv.checkText()
}
