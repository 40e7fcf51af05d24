package store

import (
	"bytes"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"
)

// PutFlow keeps the source of a flow once per hash, sealed. Storing the
// same hash again with the same source does nothing.
func (s *Store) PutFlow(hash string, source []byte) error {
	if hash == "" {
		return errors.New("flow hash must not be empty")
	}
	return s.update(func(h *handle, tx *bbolt.Tx) error {
		_, err := s.putFlow(tx, hash, source)
		return err
	})
}

var errFlowConflict = errors.New("a different flow is already stored under this hash")

// putFlow reports whether the flow was new; a different source under the
// same hash is an error.
func (s *Store) putFlow(tx *bbolt.Tx, hash string, source []byte) (bool, error) {
	key := s.k.recKey("flow", hash)
	b := tx.Bucket(bucketFlows)
	if v := b.Get(key); v != nil {
		old, err := openWith(s.k.aead, bucketFlows, key, v)
		if err != nil {
			return false, corrupt(s.path, "flow %s: %v", hash, err)
		}
		if !bytes.Equal(old, source) {
			return false, fmt.Errorf("%w: %s", errFlowConflict, hash)
		}
		return false, nil
	}
	sealed, err := sealWith(s.k.aead, bucketFlows, key, source)
	if err != nil {
		return false, err
	}
	return true, s.put(tx, bucketFlows, key, sealed)
}

// Flow returns the source of the flow with the given hash, or ErrNoFlow.
func (s *Store) Flow(hash string) ([]byte, error) {
	var out []byte
	err := s.view(func(h *handle, tx *bbolt.Tx) error {
		key := s.k.recKey("flow", hash)
		v := tx.Bucket(bucketFlows).Get(key)
		if v == nil {
			return fmt.Errorf("%w: %s", ErrNoFlow, hash)
		}
		var err error
		out, err = openWith(s.k.aead, bucketFlows, key, v)
		if err != nil {
			return corrupt(s.path, "flow %s: %v", hash, err)
		}
		return nil
	})
	return out, err
}
