package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
	"fieldscreen/internal/tempfile"
)

// setRaw writes one value straight into the bbolt file, as someone with
// the file but not the key could.
func setRaw(t testing.TB, path string, bucket, key, value []byte) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		if value == nil {
			return tx.Bucket(bucket).Delete(key)
		}
		return tx.Bucket(bucket).Put(key, value)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tracesIn names the files under dir that hold any 32-byte piece of
// sealed (its nonce, its middle, its tag).
func tracesIn(t testing.TB, dir string, sealed []byte) []string {
	t.Helper()
	pieces := [][]byte{sealed[1:33], sealed[len(sealed)/2 : len(sealed)/2+32], sealed[len(sealed)-32:]}
	var found []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		for _, piece := range pieces {
			if bytes.Contains(b, piece) {
				found = append(found, p)
				break
			}
		}
		return nil
	})
	return found
}

// TestSymlinkedStoreIsFollowed: a store reached through a symbolic link
// is opened, written and compacted where the link points; the link stays
// a link, and erased data is not left behind in the target.
func TestSymlinkedStoreIsFollowed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	real := newTestStore(t)
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(real.Path(), link); err != nil {
		t.Fatal(err)
	}
	s, err := Open(link, testPass)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keep, gone := sampleInterview(t, 5), sampleInterview(t, 5)
	for _, iv := range []*record.Interview{keep, gone} {
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
	}
	sealed := rawValue(t, real.Path(), bucketInterviews, s.k.recKey("interview", gone.ID))
	if err := s.Delete(gone.ID); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the symbolic link was replaced by a file (mode %v, %v)", fi.Mode(), err)
	}
	if found := tracesIn(t, filepath.Dir(real.Path()), sealed); len(found) > 0 {
		t.Fatalf("the erased interview is still in %v", found)
	}
	if found := tracesIn(t, filepath.Dir(link), sealed); len(found) > 0 {
		t.Fatalf("the erased interview is still in %v", found)
	}
	if _, err := real.Get(keep.ID); err != nil {
		t.Fatalf("the link's target lost the kept interview: %v", err)
	}
}

// TestNewerStoreSaysSo: a store whose format or key slots come from a
// newer fieldscreen is reported as such, not as damaged.
func TestNewerStoreSaysSo(t *testing.T) {
	s := newTestStore(t)
	path := s.Path()
	s.Close()
	setRaw(t, path, bucketMeta, metaFormatKey, []byte("fieldscreen-store-9"))
	_, err := Open(path, testPass)
	if !errors.Is(err, ErrNewerStore) || errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open of a format 9 store: %v, want ErrNewerStore", err)
	}

	s2 := newTestStore(t)
	path2 := s2.Path()
	v := rawValue(t, path2, bucketSlots, s2.slot)
	v[0] = slotVersion + 1
	setRaw(t, path2, bucketSlots, s2.slot, v)
	if _, err := Open(path2, testPass); !errors.Is(err, ErrNewerStore) {
		t.Fatalf("Open of a store with a newer key slot: %v, want ErrNewerStore", err)
	}
}

// removeUnerased deletes interviews as a process killed right after the
// delete's transaction would leave them: the marker set, nothing wiped.
func removeUnerased(t *testing.T, s *Store, ids ...string) {
	t.Helper()
	err := s.withFileSized(false, 0, func(h *handle) error {
		return h.update(func(tx *bbolt.Tx) error {
			err := s.withDigest(tx, func() error {
				for _, id := range ids {
					key := s.k.recKey("interview", id)
					if err := s.del(tx, bucketInterviews, key); err != nil {
						return err
					}
					if err := s.del(tx, bucketIndex, key); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			return markErase(tx)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func hasProblem(ps []Problem, where string) bool {
	for _, p := range ps {
		if p.Where == where {
			return true
		}
	}
	return false
}

// TestInterruptedEraseFinishedAtOpen: a delete killed after its
// transaction leaves the deleted record in free pages; check says so,
// and the next open overwrites it.
func TestInterruptedEraseFinishedAtOpen(t *testing.T) {
	s := newTestStore(t)
	keep, gone := sampleInterview(t, 5), sampleInterview(t, 30)
	for _, iv := range []*record.Interview{keep, gone} {
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Dir(s.Path())
	sealed := rawValue(t, s.Path(), bucketInterviews, s.k.recKey("interview", gone.ID))
	removeUnerased(t, s, gone.ID)
	if found := tracesIn(t, dir, sealed); len(found) == 0 {
		t.Fatal("test is broken: the deleted record is not in a free page")
	}
	if ps := CheckFile(s.Path(), testPass); !hasProblem(ps, "free pages") {
		t.Fatalf("check does not report the unfinished erasure: %v", ps)
	}
	if found := tracesIn(t, dir, sealed); len(found) == 0 {
		t.Fatal("check wrote to the store")
	}
	s2, err := Open(s.Path(), testPass)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if found := tracesIn(t, dir, sealed); len(found) > 0 {
		t.Fatalf("after the next open, the deleted interview is still in %v", found)
	}
	if ps := s2.Check(); len(ps) != 0 {
		t.Fatalf("check after the open: %v", ps)
	}
	if _, err := s2.Get(keep.ID); err != nil {
		t.Fatal(err)
	}
}

// TestLeftoverCopyReportedAndErased: a copy left by a compaction killed
// while it had a name is reported by check and erased by the next open.
func TestLeftoverCopyReportedAndErased(t *testing.T) {
	s := newTestStore(t)
	if err := s.Put(sampleInterview(t, 5)); err != nil {
		t.Fatal(err)
	}
	left := filepath.Join(filepath.Dir(s.Path()), compactPrefix(s.Path())+"0123abcd")
	copyFile(t, s.Path(), left)
	if ps := CheckFile(s.Path(), testPass); !hasProblem(ps, "leftover copy") {
		t.Fatalf("check does not report the leftover copy: %v", ps)
	}
	if _, err := os.Stat(left); err != nil {
		t.Fatal("check removed the copy; it only reads")
	}
	s2, err := Open(s.Path(), testPass)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the leftover copy survived the next open: %v", err)
	}
}

// TestDeleteErasesWhenCompactionCannot: on a full disk or in a folder
// that cannot take a new file, the delete still erases what it removed
// (the free pages are overwritten in place) and says the file could not
// be compacted; 'compact' fails clearly.
func TestDeleteErasesWhenCompactionCannot(t *testing.T) {
	for _, cause := range []error{syscall.ENOSPC, syscall.EACCES, syscall.EROFS} {
		t.Run(cause.Error(), func(t *testing.T) {
			s := newTestStore(t)
			keep, gone := sampleInterview(t, 5), sampleInterview(t, 30)
			for _, iv := range []*record.Interview{keep, gone} {
				if err := s.Put(iv); err != nil {
					t.Fatal(err)
				}
			}
			var told error
			s.OnNotCompacted(func(err error) { told = err })
			sealed := rawValue(t, s.Path(), bucketInterviews, s.k.recKey("interview", gone.ID))
			old := createTemp
			createTemp = func(dir, pattern string) (*tempfile.File, error) {
				return nil, &os.PathError{Op: "open", Path: dir, Err: cause}
			}
			defer func() { createTemp = old }()
			if err := s.Delete(gone.ID); err != nil {
				t.Fatalf("delete when the file cannot be compacted: %v", err)
			}
			if !errors.Is(told, cause) {
				t.Fatalf("OnNotCompacted told %v, want %v", told, cause)
			}
			if found := tracesIn(t, filepath.Dir(s.Path()), sealed); len(found) > 0 {
				t.Fatalf("the deleted interview is still in %v", found)
			}
			if ps := s.Check(); len(ps) != 0 {
				t.Fatalf("check: %v", ps)
			}
			if err := s.Compact(); !errors.Is(err, cause) {
				t.Fatalf("Compact = %v, want %v", err, cause)
			}
			if _, err := s.Get(keep.ID); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestResurrectionDetected puts older sealed values back under their
// keys, as someone with an old copy of the file (and no key) could: an
// answer before its correction, a deleted interview, a key slot before
// its passphrase changed. The records decrypt, but check finds them.
func TestResurrectionDetected(t *testing.T) {
	s := newTestStore(t)
	iv, gone := sampleInterview(t, 5), sampleInterview(t, 5)
	for _, x := range []*record.Interview{iv, gone} {
		if err := s.Put(x); err != nil {
			t.Fatal(err)
		}
	}
	path := s.Path()
	key, goneKey := s.k.recKey("interview", iv.ID), s.k.recKey("interview", gone.ID)
	oldRec, oldEntry := rawValue(t, path, bucketInterviews, key), rawValue(t, path, bucketIndex, key)
	goneRec, goneEntry := rawValue(t, path, bucketInterviews, goneKey), rawValue(t, path, bucketIndex, goneKey)
	if _, err := s.Update(iv.ID, func(x *record.Interview) error {
		setAnswer(x, markerQuestion, "corrected", time.Now(), markerInterviewer)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddKey([]byte("second passphrase")); err != nil {
		t.Fatal(err)
	}
	oldSlot := rawValue(t, path, bucketSlots, s.slot)
	if err := s.ChangePassphrase(testPass, []byte("changed passphrase")); err != nil {
		t.Fatal(err)
	}
	if ps := s.Check(); len(ps) != 0 {
		t.Fatalf("check before any tampering: %v", ps)
	}
	good := readRaw(t, path)

	for _, tc := range []struct {
		name string
		put  func()
		pass string // what opens the store afterwards
	}{
		{"an older answer", func() {
			setRaw(t, path, bucketInterviews, key, oldRec)
			setRaw(t, path, bucketIndex, key, oldEntry)
		}, "changed passphrase"},
		{"a deleted interview", func() {
			setRaw(t, path, bucketInterviews, goneKey, goneRec)
			setRaw(t, path, bucketIndex, goneKey, goneEntry)
		}, "changed passphrase"},
		// The old passphrase opens the store again: check says why.
		{"a changed passphrase's key slot", func() { setRaw(t, path, bucketSlots, s.slot, oldSlot) }, string(testPass)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			replaceFileBytes(t, path, good)
			tc.put()
			if ps := s.Check(); !hasProblem(ps, "digest") {
				t.Fatalf("check does not notice %s put back: %v", tc.name, ps)
			}
			if ps := CheckFile(path, []byte(tc.pass)); !hasProblem(ps, "digest") {
				t.Fatalf("check (a new process) does not notice %s put back: %v", tc.name, ps)
			}
		})
	}
	replaceFileBytes(t, path, good)
	if ps := s.Check(); len(ps) != 0 {
		t.Fatalf("check of the untouched file: %v", ps)
	}
}

func replaceFileBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestFormat1StoreMigrates: a store an earlier version wrote (format 1,
// no digest) still opens and reads; check (which only reads) says it has
// no digest; the first open that can write adds one, and from then on
// check is clean and an older record put back is noticed.
func TestFormat1StoreMigrates(t *testing.T) {
	s := newTestStore(t)
	iv := sampleInterview(t, 5)
	if err := s.Put(iv); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	setRaw(t, path, bucketMeta, metaFormatKey, formatV1)
	setRaw(t, path, bucketMeta, metaDigestKey, nil)
	setRaw(t, path, bucketMeta, metaKeyCheckKey, nil)
	if ps := CheckFile(path, testPass); !hasProblem(ps, "digest") || len(ps) != 1 {
		t.Fatalf("check of a format 1 store: %v", ps)
	}
	if f := rawValue(t, path, bucketMeta, metaFormatKey); !bytes.Equal(f, formatV1) {
		t.Fatal("check migrated the store; it only reads")
	}
	s2, err := Open(path, testPass)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if f := rawValue(t, path, bucketMeta, metaFormatKey); !bytes.Equal(f, formatV2) {
		t.Fatalf("format after open: %s", f)
	}
	if got, err := s2.Get(iv.ID); err != nil || got.ID != iv.ID {
		t.Fatalf("get after migration: %v", err)
	}
	if ps := s2.Check(); len(ps) != 0 {
		t.Fatalf("check after migration: %v", ps)
	}
}
