package store

import (
	"errors"
	"time"

	"go.etcd.io/bbolt"
)

// updateManyBatch is how many interviews UpdateMany changes per write
// transaction: one fsync per batch instead of one per interview, while a
// batch's sealed records stay small in memory and a live interview waits
// for at most one batch to save its next answer.
const updateManyBatch = 1000

// UpdateMany is Update (touch true) or Annotate (touch false) for many
// interviews: each is read, changed by fn and written back with its index
// entry by the same code as Update, a batch of them per durable write
// transaction. If fn fails or an interview is missing, that interview's
// batch is not written and the error is returned; earlier batches stay
// written (each batch is all or nothing, the whole call is not).
func (s *Store) UpdateMany(ids []string, fn func(iv *Interview) error, touch bool) error {
	canon := make([]string, len(ids))
	for i, id := range ids {
		c, err := canonicalID(id)
		if err != nil {
			return err
		}
		canon[i] = c
	}
	for len(canon) > 0 {
		n := min(len(canon), updateManyBatch)
		batch := canon[:n]
		err := s.update(func(h *handle, tx *bbolt.Tx) error {
			now := time.Now().UTC()
			for _, id := range batch {
				iv, err := s.getInterview(tx, id)
				if err != nil {
					return err
				}
				if err := callUser(func() error { return fn(iv) }); err != nil {
					return err
				}
				if iv.ID != id {
					return errors.New("an update must not change the interview id")
				}
				if touch {
					iv.UpdatedAt = now
				}
				if err := iv.normalize(now); err != nil {
					return err
				}
				if err := s.putInterview(tx, iv); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		canon = canon[n:]
	}
	return nil
}
