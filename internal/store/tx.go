package store

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"go.etcd.io/bbolt"
)

// begin registers an operation so that Close waits for it; end must follow.
func (s *Store) begin() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	s.ops.Add(1)
	return nil
}

func (s *Store) end() { s.ops.Done() }

// beginWrite is begin for writers: it also waits its turn, but no longer
// than another process would be waited for.
func (s *Store) beginWrite() error {
	if err := s.begin(); err != nil {
		return err
	}
	select {
	case s.wsem <- struct{}{}:
		return nil
	case <-time.After(lockTimeout):
		s.end()
		return ErrInUse
	}
}

func (s *Store) endWrite() {
	s.writes.Add(1)
	<-s.wsem
	s.end()
}

func (s *Store) masterKey() ([]byte, error) {
	if err := s.begin(); err != nil {
		return nil, err
	}
	defer s.end()
	return bytes.Clone(s.master), nil
}

// withFile opens the file for one operation and closes it again.
func withFile(path string, readOnly bool, fn func(h *handle) error) error {
	return withFileSized(path, readOnly, 0, fn)
}

func withFileSized(path string, readOnly bool, mmapSize int, fn func(h *handle) error) error {
	h, err := openBoltSized(path, readOnly, mmapSize)
	if err != nil {
		return err
	}
	err = fn(h)
	if cerr := h.close(); err == nil {
		err = cerr
	}
	return repanic(err)
}

func (s *Store) view(fn func(h *handle, tx *bbolt.Tx) error) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()
	return s.withFileSized(true, 0, func(h *handle) error {
		return h.view(func(tx *bbolt.Tx) error {
			if err := checkLayout(tx, s.path); err != nil {
				return err
			}
			if err := s.checkKey(tx); err != nil {
				return err
			}
			return fn(h, tx)
		})
	})
}

func (s *Store) update(fn func(h *handle, tx *bbolt.Tx) error) error {
	return s.updateGrowing(0, fn)
}

// updateGrowing is update for a transaction expected to add about grow
// bytes to the file: the file is mapped large enough from the start.
func (s *Store) updateGrowing(grow int64, fn func(h *handle, tx *bbolt.Tx) error) error {
	if err := s.beginWrite(); err != nil {
		return err
	}
	defer s.endWrite()
	mmap := 0
	if grow > 0 {
		if fi, err := os.Stat(s.path); err == nil {
			mmap = int(min(fi.Size()+2*grow, 16<<30))
		}
	}
	return s.withFileSized(false, mmap, func(h *handle) error {
		return h.update(func(tx *bbolt.Tx) error {
			if err := checkLayout(tx, s.path); err != nil {
				return err
			}
			if err := s.checkKey(tx); err != nil {
				return err
			}
			return s.withDigest(tx, func() error { return fn(h, tx) })
		})
	})
}

// updateAndRewrite runs fn, which removes data, in a write transaction,
// then overwrites the freed pages and compacts the file, all while holding
// it (see erase.go). A failed compaction is not the operation's failure:
// what fn removed is overwritten by then; it goes to OnNotCompacted.
func (s *Store) updateAndRewrite(fn func(tx *bbolt.Tx) error) error {
	return s.updateAndErase(fn, false)
}

func (s *Store) updateAndErase(fn func(tx *bbolt.Tx) error, strict bool) error {
	if err := s.beginWrite(); err != nil {
		return err
	}
	defer s.endWrite()
	return s.withFileSized(false, 0, func(h *handle) error {
		err := h.update(func(tx *bbolt.Tx) error {
			if err := checkLayout(tx, s.path); err != nil {
				return err
			}
			if err := s.checkKey(tx); err != nil {
				return err
			}
			if err := s.withDigest(tx, func() error { return fn(tx) }); err != nil {
				return err
			}
			return markErase(tx)
		})
		if err != nil {
			return err
		}
		if err := h.erase(); err != nil {
			return fmt.Errorf("the change is saved, but overwriting what it removed failed (%w); run 'fieldscreen compact' to finish", err)
		}
		if err := h.rewrite(); err != nil {
			if strict {
				return err
			}
			if s.notCompacted != nil {
				s.notCompacted(&Compacted{Err: err})
			}
		}
		return nil
	})
}

// Compact overwrites the store file's free pages, erases the copies
// interrupted compactions left beside it, and rewrites it without free
// pages. Delete, RemoveKey and ChangePassphrase do all this themselves;
// Compact is for a compaction that could not be done then (a full disk)
// or that was interrupted.
func (s *Store) Compact() error {
	return s.updateAndErase(func(tx *bbolt.Tx) error { return nil }, true)
}
