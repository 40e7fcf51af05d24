package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// smallStore makes a store with a few interviews, a flow and two keys, and
// returns its path.
func smallStore(t *testing.T) (path string, ids []string) {
	t.Helper()
	s := newTestStore(t)
	for range 3 {
		iv := sampleInterview(t, 40)
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, iv.ID)
	}
	if err := s.PutFlow("h1", []byte(strings.Repeat("flow source\n", 200))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddKey([]byte("second")); err != nil {
		t.Fatal(err)
	}
	return s.Path(), ids
}

func TestCorruptFiles(t *testing.T) {
	good, _ := smallStore(t)
	goodBytes := readRaw(t, good)
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}
	bareBolt := filepath.Join(t.TempDir(), "bare.db")
	db, err := bbolt.Open(bareBolt, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
	db.Close()

	for _, tc := range []struct {
		name    string
		content []byte
	}{
		{"empty", nil},
		{"one byte", []byte{0}},
		{"truncated to half", goodBytes[:len(goodBytes)/2]},
		{"truncated to two pages", goodBytes[:8192]},
		{"truncated mid page", goodBytes[:len(goodBytes)-100]},
		{"garbled", garbage},
		{"garbled after meta pages", append(append([]byte{}, goodBytes[:8192]...), garbage...)},
		{"text file", []byte("name,answer\nAmina,yes\n")},
		{"bbolt but not a store", readRaw(t, bareBolt)},
		{"both meta pages flipped", flip(goodBytes, 20, 4096+20)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "interviews.db")
			if err := os.WriteFile(path, tc.content, 0o600); err != nil {
				t.Fatal(err)
			}
			before := fileHash(t, path)
			_, err := Open(path, testPass)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
			if !strings.Contains(err.Error(), "fieldscreen check") {
				t.Errorf("message does not point to fieldscreen check: %v", err)
			}
			if probs := CheckFile(path, testPass); len(probs) == 0 {
				t.Error("CheckFile found nothing wrong")
			}
			if fileHash(t, path) != before {
				t.Fatal("file changed")
			}
		})
	}
}

func flip(b []byte, offsets ...int) []byte {
	b = append([]byte{}, b...)
	for _, o := range offsets {
		b[o] ^= 0xff
	}
	return b
}

// TestZeroEachPage zeroes each page of a small store in turn. Whatever is
// hit, no call may panic, every error must be ErrCorrupt, and reading must
// leave the file as it was.
func TestZeroEachPage(t *testing.T) {
	good, ids := smallStore(t)
	goodBytes := readRaw(t, good)
	const ps = 4096
	if len(goodBytes)%ps != 0 {
		t.Fatalf("file size %d is not a whole number of pages", len(goodBytes))
	}
	dir := t.TempDir()
	var corruptAtOpen, corruptLater, clean int
	for page := 0; page < len(goodBytes)/ps; page++ {
		b := append([]byte{}, goodBytes...)
		clear(b[page*ps : (page+1)*ps])
		path := filepath.Join(dir, "interviews.db")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		before := fileHash(t, path)
		wantCorrupt := func(what string, err error) bool {
			t.Helper()
			if err != nil && !errors.Is(err, ErrCorrupt) {
				t.Errorf("page %d: %s: %v, want nil or ErrCorrupt", page, what, err)
			}
			return err != nil
		}

		s, err := Open(path, testPass)
		if wantCorrupt("open", err) {
			corruptAtOpen++
		} else {
			bad := false
			_, err = s.List("")
			bad = wantCorrupt("list", err) || bad
			for _, id := range ids {
				_, err = s.Get(id)
				bad = wantCorrupt("get", err) || bad
			}
			bad = wantCorrupt("each", s.Each(context.Background(), "", func(*record.Interview) error { return nil })) || bad
			_, err = s.ListKeys()
			bad = wantCorrupt("list keys", err) || bad
			_, err = s.Flow("h1")
			bad = wantCorrupt("flow", err) || bad
			probs := s.Check()
			if bad && len(probs) == 0 {
				t.Errorf("page %d: reads failed but Check found nothing", page)
			}
			if bad || len(probs) > 0 {
				corruptLater++
			} else {
				clean++
			}
		}
		CheckFile(path, testPass)
		if fileHash(t, path) != before {
			t.Fatalf("page %d: reading changed the file", page)
		}

		// Writing may fail, but must not panic or hang.
		if s != nil {
			done := make(chan struct{})
			go func() {
				defer close(done)
				wantCorrupt("put", s.Put(sampleInterview(t, 2)))
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("page %d: put hung", page)
			}
		}
	}
	t.Logf("%d pages: damage found at open %d, later %d; harmless (free page or spare meta) %d",
		len(goodBytes)/ps, corruptAtOpen, corruptLater, clean)
}
