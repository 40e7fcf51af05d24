package bundle

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestSkipDrafts: an export of all interviews can leave drafts out and
// count them; named drafts are exported all the same.
func TestSkipDrafts(t *testing.T) {
	st := newStore(t)
	f := builtin(t)
	at := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	done := recordOne(t, st, f, examples[0], at, true)
	draft := recordOne(t, st, f, examples[1], at.Add(time.Minute), false)
	dir := t.TempDir()

	rep, err := Export(context.Background(), st, Selection{SkipDrafts: true}, plainOpts(filepath.Join(dir, "a.json")))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.IDs) != 1 || rep.IDs[0] != done.ID || rep.Drafts != 1 {
		t.Fatalf("ids %v, drafts %d", rep.IDs, rep.Drafts)
	}
	rep, err = Export(context.Background(), st, Selection{}, plainOpts(filepath.Join(dir, "b.json")))
	if err != nil || len(rep.IDs) != 2 || rep.Drafts != 0 {
		t.Fatalf("without SkipDrafts: %+v, %v", rep, err)
	}
	rep, err = Export(context.Background(), st, Selection{IDs: []string{draft.ID}, SkipDrafts: true}, plainOpts(filepath.Join(dir, "c.json")))
	if err != nil || len(rep.IDs) != 1 || rep.IDs[0] != draft.ID {
		t.Fatalf("a named draft: %+v, %v", rep, err)
	}
	st2 := newStore(t)
	recordOne(t, st2, f, examples[1], at, false)
	if _, err := Export(context.Background(), st2, Selection{SkipDrafts: true}, plainOpts(filepath.Join(dir, "d.json"))); !errors.Is(err, ErrNothing) {
		t.Fatalf("only drafts: %v", err)
	}
}
