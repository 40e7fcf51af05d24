package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"math"
	"reflect"
	"sync"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/sign"
	"fieldscreen/questionnaire"
)

// SchemaVersion is the bundle format this package writes.
// schema/bundle.schema.json describes it. Version 2 leaves out an audit
// event's interviewer when it is the interview's own; a reader also takes
// version 1, where every event names its interviewer (or none).
const SchemaVersion = 2

// minSchemaVersion is the oldest bundle format this package reads.
const minSchemaVersion = 1

// Header is everything in a bundle before its interviews.
type Header struct {
	SchemaVersion int       `json:"schema_version"`
	Generator     string    `json:"generator"`
	ExportedAt    time.Time `json:"exported_at"`
	Interviewer   string    `json:"interviewer"`
	Purpose       string    `json:"purpose"`
	// Manifest is the signed bundle's manifest (internal/sign): it must
	// be the one the signature's trusted comment carries. Absent in a
	// bundle written before bundles were signed.
	Manifest *sign.Manifest `json:"manifest,omitempty"`
	Flows    []Flow         `json:"flows"`
	// SkippedDamaged counts the interviews left out because their records
	// (or their flows) could not be read from a damaged store.
	SkippedDamaged int `json:"skipped_damaged,omitempty"`
}

// Flow is a flow's source as carried in a bundle, so the recipient can
// rescore and read the labels even if they run another version.
type Flow struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Hash    string `json:"hash"`
	Source  string `json:"source"`
}

// Interview is one interview as carried in a bundle.
type Interview struct {
	InterviewID string                `json:"interview_id"`
	Flow        questionnaire.FlowRef `json:"flow"`
	Status      string                `json:"status"`
	Interviewer string                `json:"interviewer"`
	Location    string                `json:"location"`
	Language    string                `json:"language"`
	CreatedAt   time.Time             `json:"created_at"`
	UpdatedAt   time.Time             `json:"updated_at"`
	CompletedAt *time.Time            `json:"completed_at"`
	Consent     *record.Consent       `json:"consent"`
	Answers     []Answer              `json:"answers"`
	// Summary is the questionnaire.Summary JSON, kept as written so a
	// reader sees exactly what the interviewer's laptop concluded.
	Summary json.RawMessage `json:"summary"`
	Audit   []AuditEvent    `json:"audit"`
	// Position is where a draft stopped, for resuming it.
	Position string `json:"position,omitempty"`
	// Corrections are the interview's amendments (fieldscreen amend),
	// as its audit trail records them: a reader sees at once that the
	// interview was corrected, when, why, and whether after an earlier
	// export (whose recipients hold the version before).
	Corrections []record.Correction `json:"corrections,omitempty"`

	// schema is the version of the bundle the interview was read from (0:
	// not read from a bundle, the current version).
	schema int
}

// AuditEvent is one event of an interview's audit trail as a bundle
// carries it. Interviewer is nil when it is the interview's own
// interviewer (in a version 1 bundle: when the event names none), so the
// name is not repeated on every answer.
type AuditEvent struct {
	At          time.Time `json:"at"`
	Event       string    `json:"event"`
	QuestionID  string    `json:"question_id,omitempty"`
	Interviewer *string   `json:"interviewer,omitempty"`
	Detail      string    `json:"detail,omitempty"`
}

// bundleAudit lays out a stored audit trail for a bundle.
func bundleAudit(audit []record.AuditEvent, interviewer string) []AuditEvent {
	out := make([]AuditEvent, len(audit))
	for i, e := range audit {
		out[i] = AuditEvent{At: e.At, Event: string(e.Event), QuestionID: e.QuestionID, Detail: e.Detail}
		if e.Interviewer != interviewer {
			who := e.Interviewer
			out[i].Interviewer = &who
		}
	}
	return out
}

// StoreAudit returns the interview's audit trail as the store keeps it,
// with every event's interviewer filled in.
func (iv *Interview) StoreAudit() []record.AuditEvent {
	out := make([]record.AuditEvent, len(iv.Audit))
	for i, e := range iv.Audit {
		out[i] = record.AuditEvent{At: e.At, Event: record.Event(e.Event), QuestionID: e.QuestionID, Detail: e.Detail}
		switch {
		case e.Interviewer != nil:
			out[i].Interviewer = *e.Interviewer
		case iv.schema != 1:
			out[i].Interviewer = iv.Interviewer
		}
	}
	return out
}

// Answer is one answer with the question's label in the interview's
// language. Value is text, a whole number, a list of texts, or null (shown
// and left unanswered).
type Answer struct {
	ID         string    `json:"id"`
	Label      string    `json:"label"`
	Value      any       `json:"value"`
	AnsweredAt time.Time `json:"answered_at"`
}

// UnmarshalJSON restores Value to the store's types: a number becomes an
// int, a list a []string.
func (a *Answer) UnmarshalJSON(data []byte) error {
	var raw inAnswer
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	if raw.ID == nil || *raw.ID == "" {
		return errors.New("an answer has no id")
	}
	v, err := decodeValue(raw.Value)
	if err != nil {
		return &fieldError{"answer to question " + quote(*raw.ID) + ": " + err.Error()}
	}
	*a = Answer{ID: *raw.ID, Label: raw.Label, Value: v, AnsweredAt: raw.AnsweredAt}
	return nil
}

// fieldError is a content problem whose message is safe to show: it names
// fields and questions, never values.
type fieldError struct{ msg string }

func (e *fieldError) Error() string { return e.msg }

var errValueType = errors.New("value must be text, a whole number, a list of texts, or null")

func decodeValue(raw json.RawMessage) (any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, errors.New("value is missing")
	}
	switch raw[0] {
	case 'n':
		if string(raw) == "null" {
			return nil, nil
		}
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s, nil
		}
	case '[':
		var ss []string
		if json.Unmarshal(raw, &ss) == nil {
			if ss == nil {
				ss = []string{}
			}
			return ss, nil
		}
	default:
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			if i, err := n.Int64(); err == nil && i >= math.MinInt && i <= math.MaxInt {
				return int(i), nil
			}
		}
	}
	return nil, errValueType
}

// fromStore lays out a stored interview for a bundle: answers in the order
// they were stored (so an import gives back the same record), labelled in
// the interview's language, and the summary scored on f.
func fromStore(iv *record.Interview, f *questionnaire.Flow, dir *questionnaire.Directory) (*Interview, error) {
	lang := f.Lang(iv.Language)
	out := &Interview{
		InterviewID: iv.ID,
		Flow:        questionnaire.FlowRef{ID: iv.FlowID, Version: iv.FlowVersion, Hash: iv.FlowHash},
		Status:      string(iv.Status),
		Interviewer: iv.Interviewer,
		Location:    iv.Location,
		Language:    iv.Language,
		CreatedAt:   iv.CreatedAt,
		UpdatedAt:   iv.UpdatedAt,
		CompletedAt: iv.CompletedAt,
		Consent:     iv.Consent,
		Answers:     make([]Answer, len(iv.Answers)),
		Audit:       bundleAudit(iv.Audit, iv.Interviewer),
		Position:    iv.Position,
		Corrections: iv.Corrections(),
	}
	labels := labelsOf(f, lang)
	for i, a := range iv.Answers {
		label, ok := labels[a.QuestionID]
		if !ok {
			if q := f.Question(a.QuestionID); q != nil {
				label = f.T(q.Label, lang)
			}
		}
		out.Answers[i] = Answer{ID: a.QuestionID, Label: label, Value: a.Value, AnsweredAt: a.AnsweredAt}
	}
	sum, err := score(out, f)
	if err != nil {
		return nil, err
	}
	dir.Attach(sum) // local services under each referral, if a directory is used
	if out.Summary, err = sum.AppendJSON(nil); err != nil {
		return nil, err
	}
	return out, nil
}

// labelCache holds, per flow and language, every question's label.
var labelCache sync.Map // labelKey -> map[string]string

type labelKey struct {
	f    *questionnaire.Flow
	lang string
}

// labelsOf returns the label of each of f's questions in lang, laid out
// once per flow and language.
func labelsOf(f *questionnaire.Flow, lang string) map[string]string {
	k := labelKey{f, lang}
	if m, ok := labelCache.Load(k); ok {
		return m.(map[string]string)
	}
	m := make(map[string]string, len(f.Questions))
	for _, q := range f.Questions {
		if f.Question(q.ID) == q {
			m[q.ID] = f.T(q.Label, lang)
		}
	}
	labelCache.Store(k, m)
	return m
}

// score computes the interview's summary on f, labelled the way the score
// command labels a stored interview.
func score(iv *Interview, f *questionnaire.Flow) (*questionnaire.Summary, error) {
	return scoreAnswers(iv.InterviewID, iv.Status, iv.Language, iv.answers(), f)
}

func scoreAnswers(id, status, lang string, answers questionnaire.Answers, f *questionnaire.Flow) (*questionnaire.Summary, error) {
	sum, err := f.Score(answers)
	if err != nil {
		return nil, &fieldError{"interview " + id + ": cannot be scored: " + err.Error()}
	}
	sum.InterviewID = id
	sum.Status = status
	sum.Language = f.Lang(lang)
	return sum, nil
}

func (iv *Interview) answers() questionnaire.Answers {
	m := make(questionnaire.Answers, len(iv.Answers))
	for _, a := range iv.Answers {
		m[a.ID] = a.Value
	}
	return m
}

// Score computes the interview's summary on f: the bundle's own flow or
// one the reader chose instead.
func (iv *Interview) Score(f *questionnaire.Flow) (*questionnaire.Summary, error) {
	return score(iv, f)
}

// toStore rebuilds the store's record of the interview. outcome is the one
// recomputed from the answers, never the bundle's own summary.
func (iv *Interview) toStore(outcome string) *record.Interview {
	out := &record.Interview{
		ID:          iv.InterviewID,
		FlowID:      iv.Flow.ID,
		FlowVersion: iv.Flow.Version,
		FlowHash:    iv.Flow.Hash,
		Interviewer: iv.Interviewer,
		Location:    iv.Location,
		Language:    iv.Language,
		Status:      record.Status(iv.Status),
		CreatedAt:   iv.CreatedAt,
		UpdatedAt:   iv.UpdatedAt,
		CompletedAt: iv.CompletedAt,
		Consent:     iv.Consent,
		Answers:     make([]record.Answer, len(iv.Answers)),
		Audit:       iv.StoreAudit(),
		Position:    iv.Position,
	}
	// A draft has no outcome yet (session.Complete sets it).
	if out.Status != record.StatusDraft {
		out.Outcome = outcome
	}
	for i, a := range iv.Answers {
		out.Answers[i] = record.Answer{QuestionID: a.ID, Value: a.Value, AnsweredAt: a.AnsweredAt}
	}
	return out
}

// summaryFields are the fields of a summary that carry its conclusions
// (shared/spec/screening.md). An import compares them with a summary
// recomputed from the answers.
var summaryFields = []string{"outcome", "situation", "trafficking", "refugee_protection", "referrals", "cautions", "solutions", "information_gaps"}

// summaryDiff returns the first of summaryFields in which the summary a
// bundle carries differs from want, or "". A field absent from both is
// the same; whitespace and key order do not matter. want is the
// recomputed summary's JSON.
func summaryDiff(carried json.RawMessage, wb []byte) (string, error) {
	var got, exp map[string]any
	if err := json.Unmarshal(carried, &got); err != nil {
		return "summary", nil
	}
	if err := json.Unmarshal(wb, &exp); err != nil {
		return "", err
	}
	// The services a referral directory listed are the sender's local
	// information, not a conclusion drawn from the answers.
	if refs, ok := got["referrals"].([]any); ok {
		for _, r := range refs {
			if m, ok := r.(map[string]any); ok {
				delete(m, "services")
			}
		}
	}
	for _, k := range summaryFields {
		if !reflect.DeepEqual(got[k], exp[k]) {
			return k, nil
		}
	}
	return "", nil
}

// lineHash accumulates interviews_sha256: the SHA-256 of each interview's
// JSON as this package encodes it (one line of the bundle), each followed
// by a newline, in bundle order.
type lineHash struct{ h hash.Hash }

func newLineHash() *lineHash { return &lineHash{h: sha256.New()} }

func (l *lineHash) hex() string { return hex.EncodeToString(l.h.Sum(nil)) }

// shortID is how 'fieldscreen list' shows an interview: the last 8
// characters of its ID (the random end of a UUIDv7).
func shortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
