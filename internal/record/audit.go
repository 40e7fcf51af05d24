package record

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Every audit event an interview's trail can hold is made here, by the
// constructors below, and only session calls them as it changes a record
// (bundles add their exported and imported events through session too).
// An event names a question but never holds an answer. The names and
// details are stored as they are written here: changing one changes what
// older records and bundles mean.

// Event names what happened to an interview.
type Event string

// Audit event names.
const (
	EventCreated     Event = "created"
	EventAnswered    Event = "answered"
	EventChanged     Event = "changed"
	EventDropped     Event = "dropped"
	EventRestored    Event = "restored" // a dropped answer brought back (see Interview.SetAside)
	EventResumed     Event = "resumed"
	EventPaused      Event = "paused"
	EventCompleted   Event = "completed"
	EventExported    Event = "exported"
	EventImported    Event = "imported"
	EventDeleted     Event = "deleted" // written by older versions; read, never made
	EventAmended     Event = "amended" // a completed interview corrected; Detail is the reason
	EventFlowChanged Event = "flow_changed"
)

// AuditEvent is one line of an interview's history. It names a question
// but never holds an answer.
type AuditEvent struct {
	At          time.Time `json:"at"`
	Event       Event     `json:"event"`
	QuestionID  string    `json:"question_id,omitempty"`
	Interviewer string    `json:"interviewer,omitempty"`
	Detail      string    `json:"detail,omitempty"`
}

// Created starts an interview's trail.
func Created(at time.Time, who string) AuditEvent {
	return AuditEvent{At: at, Event: EventCreated, Interviewer: who}
}

// Answered records a first answer to question qid.
func Answered(at time.Time, qid, who string) AuditEvent {
	return AuditEvent{At: at, Event: EventAnswered, QuestionID: qid, Interviewer: who}
}

// Changed records a new answer to question qid, which had one.
func Changed(at time.Time, qid, who string) AuditEvent {
	return AuditEvent{At: at, Event: EventChanged, QuestionID: qid, Interviewer: who}
}

// SetAsideDetail is the detail of a dropped event in a draft whose answer
// is set aside rather than erased.
const SetAsideDetail = "set aside: restored if asked again before completion, else erased then"

// Dropped records that the answer to question qid was taken out; detail
// says why and where it went ("" for an amendment that removed it).
func Dropped(at time.Time, qid, who, detail string) AuditEvent {
	return AuditEvent{At: at, Event: EventDropped, QuestionID: qid, Interviewer: who, Detail: detail}
}

// Restored records that a set-aside answer to question qid came back.
func Restored(at time.Time, qid, who string) AuditEvent {
	return AuditEvent{At: at, Event: EventRestored, QuestionID: qid, Interviewer: who}
}

// Resumed records that a draft was taken up again.
func Resumed(at time.Time, who string) AuditEvent {
	return AuditEvent{At: at, Event: EventResumed, Interviewer: who}
}

// ResumedIn records that a draft was taken up again in language to, after
// it had gone on in language from: the interview's language changes with
// it (its summary, show and bundles), so the trail says when and from
// what. The detail is stable words (LanguageChange reads it back).
func ResumedIn(at time.Time, who, from, to string) AuditEvent {
	return AuditEvent{At: at, Event: EventResumed, Interviewer: who, Detail: languageDetail + from + " → " + to}
}

const languageDetail = "language "

// LanguageChange reads the languages a ResumedIn event names; ok is false
// for any other event.
func LanguageChange(e AuditEvent) (from, to string, ok bool) {
	rest, found := strings.CutPrefix(e.Detail, languageDetail)
	if e.Event != EventResumed || !found {
		return "", "", false
	}
	return strings.Cut(rest, " → ")
}

// Paused records that the interviewer stopped a draft to go on later.
func Paused(at time.Time, who string) AuditEvent {
	return AuditEvent{At: at, Event: EventPaused, Interviewer: who}
}

// Completed records that the interview reached its end.
func Completed(at time.Time, who string) AuditEvent {
	return AuditEvent{At: at, Event: EventCompleted, Interviewer: who}
}

// Amended records a correction of a completed interview and its reason.
func Amended(at time.Time, who, reason string) AuditEvent {
	return AuditEvent{At: at, Event: EventAmended, Interviewer: who, Detail: reason}
}

// FlowRef names a flow in an audit detail.
type FlowRef struct{ ID, Version, Hash string }

// FlowChanged records that a draft moved from one flow to another.
func FlowChanged(at time.Time, who string, from, to FlowRef) AuditEvent {
	return AuditEvent{At: at, Event: EventFlowChanged, Interviewer: who,
		Detail: fmt.Sprintf("from %s %s (%s) to %s %s (%s)", from.ID, from.Version, from.Hash, to.ID, to.Version, to.Hash)}
}

// MovedDetail is the detail of a dropped event for an answer that did not
// fit the flow its draft moved to: erased, or set aside.
func MovedDetail(to FlowRef, reason string, setAside bool) string {
	what := "erased"
	if setAside {
		what = SetAsideDetail
	}
	return "moved to flow " + to.ID + " " + to.Version + ": " + reason + "; " + what
}

// Transfer is what an export records of itself in each exported
// interview's trail.
type Transfer struct {
	Format       string   // "json", "csv", ...
	Purpose      string   // free text, quoted when written
	Recipients   []string // none: a plaintext file
	BundleSHA256 string
	Encrypted    bool
	FileSHA256   string // the encrypted file's hash, written when Encrypted
	// Of a signed bundle or extract: the service an extract is for, the
	// bundle's ID and signer, and the reason given for sharing referrals
	// the person did not agree to (export --without-consent).
	Service, BundleID, Signer, WithoutConsent string
}

// String is the detail as stored: "format=F; purpose=\"…\";
// recipients=R; bundle_sha256=H[; file_sha256=H]". Handover reads it.
func (t Transfer) String() string {
	rec := "none (plaintext)"
	if len(t.Recipients) > 0 {
		rec = strings.Join(t.Recipients, ",")
	}
	d := fmt.Sprintf("format=%s; purpose=%s; recipients=%s; bundle_sha256=%s", t.Format, quote(t.Purpose), rec, t.BundleSHA256)
	if t.Encrypted {
		d += "; file_sha256=" + t.FileSHA256
	}
	if t.Service != "" {
		d += "; for=" + t.Service
	}
	if t.BundleID != "" {
		d += "; bundle_id=" + t.BundleID + "; signer=" + t.Signer
	}
	if t.WithoutConsent != "" {
		d += "; without_consent=" + quote(t.WithoutConsent)
	}
	return d
}

// quote writes free text as a JSON string, so a detail stays one line.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Exported records an export (see Transfer).
func Exported(at time.Time, who string, t Transfer) AuditEvent {
	return AuditEvent{At: at, Event: EventExported, Interviewer: who, Detail: t.String()}
}

// Arrival is what an import records of the bundle an interview came in.
type Arrival struct {
	ExportedAt time.Time
	ExportedBy string
	Purpose    string
	// Of a signed bundle: its ID and signer; Note says how its signature
	// was checked (or that it was accepted untrusted).
	BundleID, Signer, Note string
}

// String is the detail as stored.
func (a Arrival) String() string {
	d := fmt.Sprintf("bundle exported_at=%s by %s; purpose=%s", a.ExportedAt.UTC().Format(time.RFC3339), quote(a.ExportedBy), quote(a.Purpose))
	if a.BundleID != "" {
		d += fmt.Sprintf("; bundle_id=%s signer=%s", a.BundleID, a.Signer)
	}
	if a.Note != "" {
		d += "; " + a.Note
	}
	return d
}

// Imported records that the interview was imported from a bundle.
func Imported(at time.Time, who string, a Arrival) AuditEvent {
	return AuditEvent{At: at, Event: EventImported, Interviewer: who, Detail: a.String()}
}

// Handover reports whether e records a handover: an export of a JSON
// bundle encrypted to recipients, read from the detail Transfer writes.
// A CSV file or a plaintext bundle is recorded as a transfer too, but
// nobody named received it.
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
