package store

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// addDuplicateSlot adds a second key slot for pass, as versions before
// 'key add' refused a passphrase already in use could.
func addDuplicateSlot(t *testing.T, s *Store, pass []byte) {
	t.Helper()
	id := make([]byte, slotIDSize)
	rand.Read(id)
	sl, err := newSlot(id, pass, s.master, defaultKDF)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.update(func(h *handle, tx *bbolt.Tx) error {
		return s.putSlot(tx, sl, &slotInfo{Created: time.Now().UTC()})
	}); err != nil {
		t.Fatal(err)
	}
}

// TestKeyChangeStopsTheOldPassphrase: after a change, the old passphrase
// opens nothing, even where an earlier version had let it be added twice.
func TestKeyChangeStopsTheOldPassphrase(t *testing.T) {
	s := newTestStore(t)
	addDuplicateSlot(t, s, testPass)
	if keys, _ := s.ListKeys(); len(keys) != 2 {
		t.Fatalf("test is broken: %d keys", len(keys))
	}
	if err := s.ChangePassphrase(testPass, []byte("a new passphrase")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(s.Path(), testPass); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("the old passphrase after key change: %v", err)
	}
	if _, err := Open(s.Path(), []byte("a new passphrase")); err != nil {
		t.Fatal(err)
	}
	if keys, _ := s.ListKeys(); len(keys) != 1 || !keys[0].Current {
		t.Fatalf("keys after the change: %+v", keys)
	}
	if ps := s.Check(); len(ps) != 0 {
		t.Fatal(ps)
	}
}

// TestKeyAddRefusesAPassphraseInUse: 'key add' and 'key change' refuse a
// passphrase that already opens the store.
func TestKeyAddRefusesAPassphraseInUse(t *testing.T) {
	s := newTestStore(t)
	if _, err := s.AddKey(testPass); !errors.Is(err, ErrKeyInUse) {
		t.Fatalf("adding the store's own passphrase again: %v", err)
	}
	if _, err := s.AddKey([]byte("second person")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddKey([]byte("second person")); !errors.Is(err, ErrKeyInUse) {
		t.Fatalf("adding a passphrase twice: %v", err)
	}
	if err := s.ChangePassphrase(testPass, []byte("second person")); !errors.Is(err, ErrKeyInUse) {
		t.Fatalf("changing to another key's passphrase: %v", err)
	}
	if keys, _ := s.ListKeys(); len(keys) != 2 {
		t.Fatalf("%d keys, want 2", len(keys))
	}
}

// TestRotate re-encrypts the store under a new master key: everything
// still reads with the passphrase, other passphrases are gone, and the
// key an old copy of the file opens with its old passphrase opens none of
// the new records; a process that opened the store before is refused.
func TestRotate(t *testing.T) {
	s := newTestStore(t)
	path := s.Path()
	var ivs []*record.Interview
	for i := range 5 {
		iv := sampleInterview(t, 3+i)
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
		ivs = append(ivs, iv)
	}
	flow := []byte("id: test\nversion: 1.0.0\n")
	if err := s.PutFlow(hashOf(flow), flow); err != nil {
		t.Fatal(err)
	}
	second, err := s.AddLabeledKey([]byte("second person"), markerLabel)
	if err != nil {
		t.Fatal(err)
	}
	oldCopy := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, path, oldCopy)
	oldSealed := rawValue(t, path, bucketInterviews, s.k.recKey("interview", ivs[0].ID))
	before, err := Open(path, []byte("second person")) // another process, open during the rotation
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()

	if _, err := s.Rotate([]byte("not it")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("rotate with a wrong passphrase: %v", err)
	}
	removed, err := s.Rotate(testPass)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(removed, []string{second}) {
		t.Fatalf("removed keys %v, want [%s]", removed, second)
	}
	for _, iv := range ivs {
		got, err := s.Get(iv.ID)
		if err != nil || got.ID != iv.ID || len(got.Answers) != len(iv.Answers) {
			t.Fatalf("after rotate, interview %s: %v", iv.ID, err)
		}
	}
	if src, err := s.Flow(hashOf(flow)); err != nil || !bytes.Equal(src, flow) {
		t.Fatalf("flow after rotate: %v", err)
	}
	if ps := s.Check(); len(ps) != 0 {
		t.Fatalf("check after rotate: %v", ps)
	}
	fresh, err := Open(path, testPass)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if keys, _ := fresh.ListKeys(); len(keys) != 1 {
		t.Fatalf("keys after rotate: %+v", keys)
	}
	if _, err := Open(path, []byte("second person")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("a removed passphrase after rotate: %v", err)
	}
	if _, err := before.Get(ivs[0].ID); !errors.Is(err, ErrRekeyed) {
		t.Fatalf("a store opened before the rotation: %v", err)
	}

	// The old copy still opens with the old passphrase, as it did; the
	// key it yields opens nothing in the rotated store.
	old, err := Open(oldCopy, []byte("second person"))
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	db.View(func(tx *bbolt.Tx) error {
		for _, b := range digestBuckets {
			tx.Bucket(b).ForEach(func(k, v []byte) error {
				if bytes.Equal(b, bucketSlots) { // wrapped by passphrases, not sealed with the master key
					return nil
				}
				n++
				if _, err := openWith(old.k.aead, b, k, v); err == nil {
					t.Errorf("the old master key opens a %s record of the rotated store", b)
				}
				return nil
			})
		}
		return nil
	})
	db.Close()
	if n < 11 {
		t.Fatalf("only %d records looked at", n)
	}
	if found := tracesIn(t, filepath.Dir(path), oldSealed); len(found) > 0 {
		t.Fatalf("a record sealed under the old key is still in %v", found)
	}
}

func hashOf(src []byte) string {
	return "sha256:" + sha256Hex(src)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
