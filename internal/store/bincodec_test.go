package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// codecInterviews are the interviews the binary codec must round-trip:
// every value type, nil and empty lists, missing optional parts, unicode.
func codecInterviews(t testing.TB) []*record.Interview {
	at := time.Date(2025, 3, 14, 9, 30, 0, 123456789, time.UTC)
	done := at.Add(time.Hour)
	full := sampleInterview(t, 12)
	full.CompletedAt = &done
	full.Status = record.StatusCompleted
	full.Outcome = "referred"
	full.Audit = append(full.Audit, record.AuditEvent{At: at, Event: record.EventExported, Detail: "bundle 1 — ünïcødé ✓"})
	bare := &record.Interview{ID: "0190c3f4-7a6b-7c8d-9e0f-a1b2c3d4e5f6"}
	empty := &record.Interview{ID: "0190c3f4-7a6b-7c8d-9e0f-a1b2c3d4e5f7", Answers: []record.Answer{}, Audit: []record.AuditEvent{},
		Consent: &record.Consent{Given: false, At: at, Language: ""}}
	uni := sampleInterview(t, 3)
	uni.Interviewer = "Zoë Ŏfficer 李雷 🙂"
	uni.Location = strings.Repeat("ø", 300)
	uni.Consent.Given = false
	uni.Answers = []record.Answer{
		{QuestionID: "nil", Value: nil, AnsweredAt: at},
		{QuestionID: "int", Value: -1 << 62, AnsweredAt: at},
		{QuestionID: "zero", Value: 0, AnsweredAt: at},
		{QuestionID: "str", Value: "", AnsweredAt: at},
		{QuestionID: "list", Value: []string{"a", "", "a", "ü"}, AnsweredAt: at},
		{QuestionID: "empty", Value: []string{}, AnsweredAt: at},
		{QuestionID: "ßtr", Value: "ß\x00 ✓", AnsweredAt: time.Time{}},
	}
	// JSON would turn this into U+FFFD; the binary form keeps the bytes.
	raw := sampleInterview(t, 2)
	raw.Location = "not utf-8: \xff\xfe"
	// A draft with answers set aside by a changed answer, and an
	// interview corrected after its export.
	aside := sampleInterview(t, 4)
	aside.SetAside = []record.Answer{{QuestionID: "later", Value: []string{"option_a"}, AnsweredAt: at}, {QuestionID: "skipped", AnsweredAt: at}}
	amended := sampleInterview(t, 2)
	amended.Audit = append(amended.Audit, record.AuditEvent{At: at, Event: record.EventExported}, record.AuditEvent{At: done, Event: record.EventAmended, Detail: "the person corrected their age"})
	old := sampleInterview(t, 2)
	old.CreatedAt = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	old.UpdatedAt = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	return []*record.Interview{full, bare, empty, uni, old, sampleInterview(t, 1), sampleInterview(t, 60), raw, aside, amended}
}

func TestBinaryRoundTrip(t *testing.T) {
	for i, iv := range codecInterviews(t) {
		// normalize refuses new text that is not UTF-8; the codec still
		// keeps what older versions stored.
		if err := normalize(iv, time.Now().UTC()); err != nil && !errors.As(err, new(*TextError)) {
			t.Fatal(err)
		}
		pt, err := encodeInterviewBinary(iv)
		if err != nil {
			t.Fatal(err)
		}
		if len(pt)%padInterview != 0 {
			t.Errorf("%d: plaintext of %d bytes is not padded", i, len(pt))
		}
		got, err := decodeInterview(pt)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if !reflect.DeepEqual(got, iv) {
			t.Errorf("%d: binary round trip differs:\n got %+v\nwant %+v", i, got, iv)
		}
		// The binary form reads back as the JSON form does.
		js, _ := json.Marshal(iv)
		viaJSON, err := decodeInterview(js)
		if err != nil {
			t.Fatal(err)
		}
		if utf8.ValidString(iv.Location) && !reflect.DeepEqual(got, viaJSON) {
			t.Errorf("%d: binary and JSON decode differently", i)
		}
		e := iv.Entry()
		ept, err := encodeEntryBinary(&e)
		if err != nil {
			t.Fatal(err)
		}
		var ge record.Entry
		var d binDecoder
		if err := d.decodeEntry(ept, &ge); err != nil || !reflect.DeepEqual(ge, e) {
			t.Errorf("%d: entry round trip: %v\n got %+v\nwant %+v", i, err, ge, e)
		}
		// Truncations and single-byte damage are refused, never a panic.
		for n := range len(pt) - len(pt)%padInterview {
			if _, err := decodeInterview(pt[:n]); err == nil && n < len(pt) {
				if bytes.Count(pt[n:], []byte{' '}) != len(pt)-n {
					t.Fatalf("%d: truncated to %d bytes decodes", i, n)
				}
			}
		}
	}
}

func TestBinaryRefusesTimesJSONCannotHold(t *testing.T) {
	iv := sampleInterview(t, 2)
	iv.UpdatedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := encodeInterviewBinary(iv); err == nil {
		t.Fatal("year 10000 encoded")
	}
	s := newTestStore(t)
	if err := s.Put(iv); err == nil {
		t.Fatal("Put stored a time JSON could not hold")
	}
}

// TestOldJSONRecordsStillRead stores records the way earlier versions did
// and reads them through every path.
func TestOldJSONRecordsStillRead(t *testing.T) {
	s := newTestStore(t)
	iv := sampleInterview(t, 5)
	if err := normalize(iv, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	err := s.update(func(h *handle, tx *bbolt.Tx) error {
		key := s.k.recKey("interview", iv.ID)
		js, _ := json.Marshal(iv)
		sealed, _ := sealWith(s.k.aead, bucketInterviews, key, pad(js, padInterview))
		if err := s.put(tx, bucketInterviews, key, sealed); err != nil {
			return err
		}
		js, _ = json.Marshal(iv.Entry())
		sealed, _ = sealWith(s.k.aead, bucketIndex, key, pad(js, padEntry))
		return s.put(tx, bucketIndex, key, sealed)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(sampleInterview(t, 3)); err != nil { // a binary one beside it
		t.Fatal(err)
	}
	got, err := s.Get(iv.ID)
	if err != nil || !reflect.DeepEqual(got, iv) {
		t.Fatalf("Get of a JSON record: %v", err)
	}
	es, err := s.List("")
	if err != nil || len(es) != 2 {
		t.Fatalf("List: %d entries, %v", len(es), err)
	}
	n := 0
	if err := s.Each(context.Background(), "", func(x *record.Interview) error {
		if x.ID == iv.ID && !reflect.DeepEqual(x, iv) {
			t.Error("Each: JSON record differs")
		}
		n++
		return nil
	}); err != nil || n != 2 {
		t.Fatalf("Each: %d, %v", n, err)
	}
	if ps := s.Check(); ps != nil {
		t.Fatalf("Check: %v", ps)
	}
	// Updating rewrites it in the binary form.
	if _, err := s.Update(iv.ID, func(*record.Interview) error { return nil }); err != nil {
		t.Fatal(err)
	}
	err = s.view(func(h *handle, tx *bbolt.Tx) error {
		key := s.k.recKey("interview", iv.ID)
		pt, err := openWith(s.k.aead, bucketInterviews, key, tx.Bucket(bucketInterviews).Get(key))
		if err == nil && pt[0] != binInterviewV1 {
			t.Error("an updated record is still JSON")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzBinaryRecord: the binary decoders never panic on any bytes, and
// whatever decodes encodes and decodes to the same thing.
func FuzzBinaryRecord(f *testing.F) {
	for _, iv := range codecInterviews(f) {
		normalize(iv, time.Now().UTC())
		pt, err := encodeInterviewBinary(iv)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(pt)
		e := iv.Entry()
		ept, _ := encodeEntryBinary(&e)
		f.Add(ept)
	}
	f.Add([]byte{binInterviewV1})
	f.Add([]byte{binEntryV1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var d binDecoder
		if iv, err := d.decodeInterview(data); err == nil && len(data) > 0 && data[0] == binInterviewV1 {
			pt, err := encodeInterviewBinary(iv)
			if err != nil {
				t.Fatalf("decoded interview does not encode: %v", err)
			}
			again, err := decodeInterview(pt)
			if err != nil || !reflect.DeepEqual(again, iv) {
				t.Fatalf("re-encoded interview differs: %v", err)
			}
			if _, err := json.Marshal(iv); err != nil {
				t.Fatalf("decoded interview is not valid as JSON: %v", err)
			}
		}
		var e record.Entry
		if err := d.decodeEntry(data, &e); err == nil && len(data) > 0 && data[0] == binEntryV1 {
			pt, err := encodeEntryBinary(&e)
			if err != nil {
				t.Fatalf("decoded entry does not encode: %v", err)
			}
			var again record.Entry
			if err := d.decodeEntry(pt, &again); err != nil || !reflect.DeepEqual(again, e) {
				t.Fatalf("re-encoded entry differs: %v", err)
			}
		}
	})
}
