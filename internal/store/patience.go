package store

import (
	"errors"
	"sync"
	"time"
)

// patience is how long a Store waits for another process that holds the
// file, beyond lockTimeout, and whom it tells that it waits.
type patience struct {
	mu      sync.Mutex
	wait    time.Duration
	waiting func()
}

// SetLockWait makes every operation of this Store wait up to wait for
// another fieldscreen process that holds the file (a compaction of a large
// store, an import), instead of failing with ErrInUse after lockTimeout.
// waiting, if not nil, is called once each time an operation starts to
// wait. A live interview uses it, so that the answer on screen is saved
// late rather than lost; one-shot commands keep failing fast.
func (s *Store) SetLockWait(wait time.Duration, waiting func()) {
	s.patience.mu.Lock()
	s.patience.wait, s.patience.waiting = wait, waiting
	s.patience.mu.Unlock()
}

// withFileSized opens the file as withFileSized does, waiting for another
// process as SetLockWait says. Only the opening is retried: fn has not run
// when the file is in use.
func (s *Store) withFileSized(readOnly bool, mmapSize int, fn func(h *handle) error) error {
	s.patience.mu.Lock()
	wait, waiting := s.patience.wait, s.patience.waiting
	s.patience.mu.Unlock()
	deadline := time.Now().Add(wait)
	told := false
	for {
		h, err := openBoltSized(s.path, readOnly, mmapSize)
		if errors.Is(err, ErrInUse) && time.Now().Before(deadline) {
			// bbolt waited lockTimeout already; try again at once.
			if !told && waiting != nil {
				waiting()
				told = true
			}
			continue
		}
		if err != nil {
			return err
		}
		err = fn(h)
		if cerr := h.close(); err == nil {
			err = cerr
		}
		return repanic(err)
	}
}
