package store

import (
	"os"
	"path/filepath"
	"testing"
)

// A compaction killed before its rename leaves a full copy of the store
// beside it; the next compaction must erase it, or data deleted later
// would live on in that copy.
func TestCompactionErasesStaleCopies(t *testing.T) {
	s := newTestStore(t)
	iv := sampleInterview(t, 5)
	if err := s.Put(iv); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(s.Path())
	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "."+filepath.Base(s.Path())+".compact-123456")
	if err := os.WriteFile(stale, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, ".other.db.compact-123456") // another store's: not ours to touch
	if err := os.WriteFile(other, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(iv.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale compaction copy still there after a delete (stat: %v)", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another store's file was removed: %v", err)
	}
}
