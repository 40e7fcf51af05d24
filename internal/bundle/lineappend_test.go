package bundle

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// encodeStd is a line as encoding/json writes it: the reference appendLine
// must match byte for byte.
func encodeStd(t testing.TB, iv *Interview) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	err := json.NewEncoder(&buf).Encode(iv)
	return buf.Bytes(), err
}

// sameAsEncodingJSON fails t unless appendLine writes iv as encoding/json
// does, or hands it back (ok false) exactly where encoding/json fails or
// for the rare input it leaves to encoding/json. It reports whether
// appendLine wrote the line.
func sameAsEncodingJSON(t testing.TB, iv *Interview) bool {
	t.Helper()
	want, werr := encodeStd(t, iv)
	got, ok := appendLine([]byte("prefix"), iv)
	if !ok {
		return false
	}
	if !bytes.HasPrefix(got, []byte("prefix")) {
		t.Fatalf("appendLine lost what the buffer held before")
	}
	got = got[len("prefix"):]
	if werr != nil {
		t.Fatalf("appendLine wrote a line encoding/json refuses (%v):\n%s", werr, got)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("appendLine and encoding/json differ:\nappendLine: %s\nencoding/json: %s", got, want)
	}
	return true
}

// TestAppendLineOddValues: every field with text encoding/json escapes,
// times in other zones and with nanoseconds, each kind of answer value,
// nil and empty lists, corrections and a position.
func TestAppendLineOddValues(t *testing.T) {
	odd := "a\"b\\c\n\r\t\b\f\x01\x1f<>&\u2028\u2029é\xff\xe2\x80 end"
	zone := time.FixedZone("", -(3*3600 + 30*60))
	at := time.Date(2026, 3, 14, 9, 30, 0, 123456789, zone)
	done := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	who := odd
	base := func() *Interview {
		return &Interview{
			InterviewID: odd, Flow: questionnaire.FlowRef{ID: odd, Version: odd, Hash: odd}, Status: odd,
			Interviewer: odd, Location: odd, Language: odd, CreatedAt: at, UpdatedAt: at.In(time.UTC), CompletedAt: &done,
			Consent: &record.Consent{Given: true, At: at, Language: odd},
			Answers: []Answer{
				{ID: odd, Label: odd, Value: odd, AnsweredAt: at},
				{ID: "n", Label: "", Value: 42, AnsweredAt: done},
				{ID: "l", Value: []string{odd, "", "x"}, AnsweredAt: done},
				{ID: "e", Value: []string{}, AnsweredAt: done},
				{ID: "z", Value: nil, AnsweredAt: done},
				{ID: "b", Value: true, AnsweredAt: done},
				{ID: "f", Value: 1.5, AnsweredAt: done},
				{ID: "m", Value: map[string]any{"k<": odd, "a": []any{1, "x", nil}}, AnsweredAt: done},
			},
			Summary:     json.RawMessage(`{"interview_id":"x\u003c","referrals":[],"n":1.5e3,"t":true,"z":null}`),
			Audit:       []AuditEvent{{At: at, Event: odd, QuestionID: odd, Interviewer: &who, Detail: odd}, {At: done, Event: "e"}},
			Position:    odd,
			Corrections: []record.Correction{{At: at, Reason: odd, Interviewer: odd, AfterExport: true}, {At: done, Reason: ""}},
		}
	}
	if !sameAsEncodingJSON(t, base()) {
		t.Fatal("appendLine handed back an interview it can write")
	}
	variants := map[string]func(iv *Interview){
		"nil lists": func(iv *Interview) {
			iv.Answers, iv.Audit, iv.Corrections, iv.Consent, iv.CompletedAt, iv.Position = nil, nil, nil, nil, nil, ""
		},
		"empty lists": func(iv *Interview) {
			iv.Answers, iv.Audit, iv.Corrections = []Answer{}, []AuditEvent{}, []record.Correction{}
		},
		"zero times":        func(iv *Interview) { iv.CreatedAt, iv.UpdatedAt = time.Time{}, time.Time{} },
		"positive offset":   func(iv *Interview) { iv.CreatedAt = at.In(time.FixedZone("", 14*3600)) },
		"consent not given": func(iv *Interview) { iv.Consent.Given = false },
	}
	for name, change := range variants {
		iv := base()
		change(iv)
		if !sameAsEncodingJSON(t, iv) {
			t.Errorf("%s: appendLine handed back an interview it can write", name)
		}
	}
	// What appendLine leaves to encoding/json: it must hand these back.
	handBack := map[string]func(iv *Interview){
		"year 10000":      func(iv *Interview) { iv.UpdatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"year -1":         func(iv *Interview) { iv.Audit[1].At = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) },
		"offset 24 hours": func(iv *Interview) { iv.Answers[0].AnsweredAt = at.In(time.FixedZone("", 24*3600)) },
		"nil summary":     func(iv *Interview) { iv.Summary = nil },
		"spaced summary":  func(iv *Interview) { iv.Summary = json.RawMessage(`{"a": 1}`) },
		"unescaped <":     func(iv *Interview) { iv.Summary = json.RawMessage(`{"a":"<"}`) },
		"raw U+2028":      func(iv *Interview) { iv.Summary = json.RawMessage("{\"a\":\"\u2028\"}") },
		"invalid summary": func(iv *Interview) { iv.Summary = json.RawMessage("{\"a\":\"\x01\"}") },
		"value channel":   func(iv *Interview) { iv.Answers[1].Value = make(chan int) },
	}
	for name, change := range handBack {
		iv := base()
		change(iv)
		if sameAsEncodingJSON(t, iv) {
			t.Errorf("%s: appendLine wrote what it should leave to encoding/json", name)
		}
	}
}

// FuzzAppendLine: whatever text and times an interview holds, appendLine
// writes it as encoding/json does, or leaves it to encoding/json.
func FuzzAppendLine(f *testing.F) {
	f.Add("id", "label", "value", "detail", int64(0), int64(0), 0)
	f.Add("a\"<>&\u2028", "\xff\xfe", "\x00\x1f\\", "é", int64(1767225600), int64(999999999), 3600)
	f.Add("", "", "", "", int64(-62135596801), int64(0), -86400)
	f.Add("x", "y", "z", "w", int64(253402300800), int64(1), 59)
	f.Fuzz(func(t *testing.T, id, label, value, detail string, sec, nsec int64, offset int) {
		at := time.Unix(sec, nsec).In(time.FixedZone("", offset%(48*3600)))
		who := detail
		iv := &Interview{
			InterviewID: id, Flow: questionnaire.FlowRef{ID: label, Version: value, Hash: detail}, Status: value,
			Interviewer: label, Location: detail, Language: id, CreatedAt: at, UpdatedAt: at, CompletedAt: &at,
			Consent:  &record.Consent{At: at, Language: label},
			Answers:  []Answer{{ID: id, Label: label, Value: value, AnsweredAt: at}, {ID: id, Value: []string{label, detail}, AnsweredAt: at}},
			Summary:  questionnaire.AppendJSONString(nil, value),
			Audit:    []AuditEvent{{At: at, Event: label, QuestionID: id, Interviewer: &who, Detail: detail}},
			Position: value, Corrections: []record.Correction{{At: at, Reason: detail, Interviewer: id}},
		}
		sameAsEncodingJSON(t, iv)
	})
}
