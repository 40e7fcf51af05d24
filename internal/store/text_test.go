package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// TestRefuseInvalidUTF8: text that is not UTF-8 (a name typed in a
// Latin-1 terminal) is refused on its way in, naming the field or the
// question and never the text; nothing is written.
func TestRefuseInvalidUTF8(t *testing.T) {
	s := newTestStore(t)
	for _, tc := range []struct {
		name   string
		change func(iv *record.Interview)
		field  string
		q      string
	}{
		{"interviewer", func(iv *record.Interview) { iv.Interviewer = "Jos\xe9" }, "interviewer", ""},
		{"location", func(iv *record.Interview) { iv.Location = "Bogot\xe1" }, "location", ""},
		{"text answer", func(iv *record.Interview) { setAnswer(iv, "q01_question", "caf\xe9 owner", iv.CreatedAt, "") }, "answer", "q01_question"},
		{"list answer", func(iv *record.Interview) { setAnswer(iv, "q02_question", []string{"a", "\xff"}, iv.CreatedAt, "") }, "answer", "q02_question"},
		{"audit", func(iv *record.Interview) {
			iv.Audit = append(iv.Audit, record.AuditEvent{At: iv.CreatedAt, Event: "exported", Detail: "purpose=\xe9"})
		}, "audit detail", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iv := sampleInterview(t, 4)
			tc.change(iv)
			err := s.Put(iv)
			var te *TextError
			if !errors.As(err, &te) || te.Field != tc.field || te.Question != tc.q {
				t.Fatalf("Put: %v", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "UTF-8") || strings.ContainsAny(msg, "\xe9\xe1\xff") {
				t.Errorf("message: %q", msg)
			}
			if _, err := s.Get(iv.ID); !errors.Is(err, ErrNoInterview) {
				t.Errorf("the refused interview was stored: %v", err)
			}

			// The same through Update: the stored record is unchanged.
			good := sampleInterview(t, 4)
			if err := s.Put(good); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Update(good.ID, func(iv *record.Interview) error { tc.change(iv); return nil }); !errors.As(err, &te) {
				t.Fatalf("Update: %v", err)
			}
			if err := s.UpdateMany(context.Background(), []string{good.ID}, func(iv *record.Interview) error { tc.change(iv); return nil }, true); !errors.As(err, &te) {
				t.Fatalf("UpdateMany: %v", err)
			}
			back, err := s.Get(good.ID)
			if err != nil || back.Interviewer != markerInterviewer || len(back.Answers) != len(good.Answers) {
				t.Fatalf("after refused updates: %v", err)
			}
		})
	}
}

// TestRepairLegacyText: a record an older version stored with bytes that
// are not UTF-8 can still be updated (its own text is repaired to U+FFFD);
// only text an update brings is refused.
func TestRepairLegacyText(t *testing.T) {
	s := newTestStore(t)
	iv := sampleInterview(t, 4)
	iv.Interviewer = "Jos\xe9"
	setAnswer(iv, "q01_question", "caf\xe9", iv.CreatedAt, "")
	// As an older version wrote it: no text check.
	err := s.update(func(h *handle, tx *bbolt.Tx) error { return s.putInterview(tx, iv) })
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Update(iv.ID, func(x *record.Interview) error {
		setAnswer(x, "q03_question", "fine", x.UpdatedAt, "")
		return nil
	})
	if err != nil {
		t.Fatalf("Update of a legacy record: %v", err)
	}
	a, _ := got.Answer("q01_question")
	if got.Interviewer != "Jos\uFFFD" || a.Value != "caf\uFFFD" {
		t.Fatalf("not repaired: %q %q", got.Interviewer, a.Value)
	}
}
