package store

import (
	"context"
	"errors"
	"testing"

	"fieldscreen/internal/record"
)

// A cancelled context stops Import and UpdateMany before they write:
// the file is as it was and the error is the context's.
func TestCancelledImportAndUpdateManyWriteNothing(t *testing.T) {
	s := newTestStore(t)
	kept := sampleInterview(t, 3)
	if err := s.Put(kept); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := fileHash(t, s.Path())

	fresh := sampleInterview(t, 3)
	if _, _, _, err := s.Import(ctx, []*record.Interview{fresh}, map[string][]byte{"h1": []byte("flow one")}); !errors.Is(err, context.Canceled) {
		t.Fatalf("import with a cancelled context: %v, want context.Canceled", err)
	}
	if _, err := s.Get(fresh.ID); !errors.Is(err, ErrNoInterview) {
		t.Fatalf("a cancelled import stored an interview: %v", err)
	}

	called := false
	err := s.UpdateMany(ctx, []string{kept.ID}, func(iv *record.Interview) error {
		called = true
		iv.Outcome = "changed"
		return nil
	}, true)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("update with a cancelled context: %v, want context.Canceled", err)
	}
	if missing, err := s.UpdateExisting(ctx, []string{kept.ID}, func(iv *record.Interview) error {
		called = true
		return nil
	}, false); !errors.Is(err, context.Canceled) || len(missing) != 0 {
		t.Fatalf("update of existing with a cancelled context: %v (missing %v), want context.Canceled", err, missing)
	}
	if called {
		t.Fatal("a cancelled update ran its change")
	}
	if fileHash(t, s.Path()) != before {
		t.Fatal("a cancelled import or update changed the file")
	}
	if got, err := s.Get(kept.ID); err != nil || got.Outcome == "changed" {
		t.Fatalf("stored interview changed: %v", err)
	}
}
