package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// Strings that must never appear in the raw file.
const (
	markerAnswer      = "MARKER-ANSWER-7f3a9c"
	markerInterviewer = "Interviewer Zyxwvutsr"
	markerLocation    = "Location Qwertyuiop"
	markerQuestion    = "trafficking_act"
	markerLabel       = "Label Mnbvcxzlkj"
)

var testPass = []byte("correct horse battery staple")

func TestMain(m *testing.M) {
	// Real parameters make every Open take ~0.1-0.3 s; the tests open
	// hundreds of stores. TestUnlockTime measures the real ones.
	defaultKDF = kdfParams{Time: 1, MemoryKiB: 256, Threads: 1}
	if os.Getenv(helperEnv) != "" {
		os.Exit(runHelper())
	}
	os.Exit(m.Run())
}

func newTestStore(t testing.TB) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fieldscreen", "interviews.db")
	s, err := Create(path, testPass)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sampleInterview is a realistic interview with n answers.
func sampleInterview(t testing.TB, n int) *record.Interview {
	t.Helper()
	id, err := record.NewID()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	iv := &record.Interview{
		ID:          id,
		FlowID:      "screening",
		FlowVersion: "1.2.0",
		FlowHash:    "sha256:0a1b2c",
		Interviewer: markerInterviewer,
		Location:    markerLocation,
		Language:    "en",
		Status:      record.StatusDraft,
		CreatedAt:   at,
		UpdatedAt:   at,
		Consent:     &record.Consent{Given: true, At: at, Language: "en"},
		Audit:       []record.AuditEvent{{At: at, Event: record.EventCreated, Interviewer: markerInterviewer}},
	}
	setAnswer(iv, markerQuestion, markerAnswer, at, markerInterviewer)
	for i := 1; i < n; i++ {
		var v any
		switch i % 4 {
		case 0:
			v = i * 3
		case 1:
			v = fmt.Sprintf("free text answer number %d, a sentence or two long as people tend to give", i)
		case 2:
			v = []string{"option_a", "option_c"}
		case 3:
			v = nil
		}
		setAnswer(iv, fmt.Sprintf("q%02d_question", i), v, at.Add(time.Duration(i)*time.Minute), markerInterviewer)
	}
	iv.Position = "q_next"
	return iv
}

func fileHash(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func readRaw(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawValue reads one value straight from the bbolt file.
func rawValue(t testing.TB, path string, bucket, key []byte) []byte {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []byte
	db.View(func(tx *bbolt.Tx) error {
		out = bytes.Clone(tx.Bucket(bucket).Get(key))
		return nil
	})
	if out == nil {
		t.Fatalf("no value in bucket %s", bucket)
	}
	return out
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	if err := os.WriteFile(dst, readRaw(t, src), 0o600); err != nil {
		t.Fatal(err)
	}
}

// setAnswer and dropAnswer change a record as session.SetAnswer and a
// dropped answer do (the store's tests cannot import session, which
// imports the store): fixtures, with the same audit events.
func setAnswer(iv *record.Interview, qid string, v any, at time.Time, who string) {
	if nv, err := record.NormalizeValue(v); err == nil {
		v = nv
	}
	for i, a := range iv.Answers {
		if a.QuestionID == qid {
			if reflect.DeepEqual(a.Value, v) {
				return
			}
			iv.Answers[i].Value, iv.Answers[i].AnsweredAt = v, at
			iv.Audit = append(iv.Audit, record.Changed(at, qid, who))
			return
		}
	}
	iv.Answers = append(iv.Answers, record.Answer{QuestionID: qid, Value: v, AnsweredAt: at})
	iv.Audit = append(iv.Audit, record.Answered(at, qid, who))
}

func dropAnswer(iv *record.Interview, qid string, at time.Time, who string) {
	for i, a := range iv.Answers {
		if a.QuestionID == qid {
			iv.Answers = slices.Delete(iv.Answers, i, i+1)
			iv.Audit = append(iv.Audit, record.Dropped(at, qid, who, ""))
			return
		}
	}
}

// decodeInterview decodes a record's plaintext: the binary form, or the
// JSON of records written before it.
func decodeInterview(pt []byte) (*record.Interview, error) {
	var d binDecoder
	return d.decodeInterview(pt)
}
