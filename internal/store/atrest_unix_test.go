//go:build unix

package store

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestStorePathNotAFile: a named pipe, a device or a folder at the store
// path is refused at once, never waited on or called damaged.
func TestStorePathNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling.db")
	os.Symlink(filepath.Join(dir, "missing.db"), dangling)
	linkToFifo := filepath.Join(dir, "tofifo.db")
	os.Symlink(fifo, linkToFifo)
	for _, tc := range []struct {
		path string
		want error
	}{
		{fifo, ErrNotRegular},
		{linkToFifo, ErrNotRegular},
		{"/dev/null", ErrNotRegular},
		{dir, ErrNotRegular},
		{dangling, ErrNotFound},
	} {
		done := make(chan error, 1)
		go func() {
			_, err := Open(tc.path, testPass)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, tc.want) || errors.Is(err, ErrCorrupt) {
				t.Errorf("Open(%s) = %v, want %v", tc.path, err, tc.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Open(%s) still waiting after 5 s", tc.path)
		}
		done2 := make(chan []Problem, 1)
		go func() { done2 <- CheckFile(tc.path, testPass) }()
		select {
		case ps := <-done2:
			if len(ps) == 0 {
				t.Errorf("CheckFile(%s) found nothing wrong", tc.path)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("CheckFile(%s) still waiting after 5 s", tc.path)
		}
		if _, err := Create(tc.path, testPass); err == nil {
			t.Errorf("Create(%s) made a store", tc.path)
		}
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the named pipe was replaced: %v %v", fi.Mode(), err)
	}
}
