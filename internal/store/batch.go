package store

import (
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// PutMany creates or replaces whole interviews, with their index entries,
// in one durable transaction: all of them or none. It is Put for bulk
// loads (synthetic data, benchmarks), where a transaction and an fsync per
// interview would dominate. An empty ID gets a new one, and each interview
// is normalized in place as Put does. The transaction holds every sealed
// record in memory until it commits, so callers loading very many
// interviews split them into batches of some thousands.
func (s *Store) PutMany(ivs []*record.Interview) error {
	now := time.Now().UTC()
	for _, iv := range ivs {
		if iv.ID == "" {
			id, err := record.NewID()
			if err != nil {
				return err
			}
			iv.ID = id
		}
		if err := normalize(iv, now); err != nil {
			return err
		}
	}
	return s.update(func(h *handle, tx *bbolt.Tx) error {
		for _, iv := range ivs {
			if err := s.putInterview(tx, iv); err != nil {
				return err
			}
		}
		return nil
	})
}
