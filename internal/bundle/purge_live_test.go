package bundle

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
)

// TestPurgeKeepsChangedAndDrafts: --purge-after-export used to erase every
// exported interview, including one being conducted in another terminal:
// the answers confirmed there after the export's snapshot were lost. Now
// only what the bundle holds unchanged is erased, never a draft, and a
// changed interview is not marked exported either.
func TestPurgeKeepsChangedAndDrafts(t *testing.T) {
	st := newStore(t)
	f := builtin(t)
	at := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	same := recordOne(t, st, f, examples[1], at, true)
	changed := recordOne(t, st, f, examples[2], at.Add(time.Minute), true)
	draft := recordOne(t, st, f, examples[1], at.Add(2*time.Minute), false)
	idle := recordOne(t, st, f, examples[2], at.Add(3*time.Minute), false)

	path := filepath.Join(t.TempDir(), "b.age")
	opt := plainOpts(path)
	opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(t, fixedIdentity(t))}
	rep, err := Export(context.Background(), st, Selection{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	// Meanwhile, in another terminal: an answer is saved to the draft,
	// and the completed one is changed.
	for _, id := range []string{draft.ID, changed.ID} {
		if _, err := st.Update(id, func(iv *record.Interview) error {
			session.SetAnswer(iv, "interviewer_notes", "said after the export", time.Now().UTC(), "")
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := MarkExported(context.Background(), st, rep); err != nil {
		t.Fatal(err)
	}
	if err := Purge(st, rep); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Purged, []string{same.ID}) {
		t.Errorf("purged %v, want only the unchanged completed one", rep.Purged)
	}
	slices.Sort(rep.Kept)
	want := []string{changed.ID, draft.ID, idle.ID}
	slices.Sort(want)
	if !slices.Equal(rep.Kept, want) {
		t.Errorf("kept %v, want %v", rep.Kept, want)
	}
	left := map[string]*record.Interview{}
	for _, iv := range all(t, st) {
		left[iv.ID] = iv
	}
	if len(left) != 3 || left[same.ID] != nil {
		t.Fatalf("%d left", len(left))
	}
	for _, id := range []string{draft.ID, changed.ID} {
		if a, ok := left[id].Answer("interviewer_notes"); !ok || a.Value != "said after the export" {
			t.Errorf("%s lost the answer saved after the export", id)
		}
	}
	if s := left[changed.ID].Status; s != record.StatusCompleted {
		t.Errorf("changed interview marked %s; its current version was not handed over", s)
	}
	if s := left[draft.ID].Status; s != record.StatusDraft {
		t.Errorf("draft is %s", s)
	}
}
