package store

import (
	"fmt"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// DeleteUnchanged erases those of the given interviews for which same
// says the stored record is still the one the caller saw (an export's
// snapshot, say), and keeps the others, all in one write transaction, then
// compacts the file as Delete does. The check and the erasure share the
// transaction, so an answer saved from another terminal either lands
// before (and the interview is kept) or after (and finds it gone, as after
// a delete). An interview no longer in the store is neither.
func (s *Store) DeleteUnchanged(ids []string, same func(iv *record.Interview) bool) (deleted, kept []string, err error) {
	canon := make([]string, 0, len(ids))
	for _, id := range ids {
		c, err := canonicalID(id)
		if err != nil {
			return nil, nil, err
		}
		canon = append(canon, c)
	}
	if len(canon) == 0 {
		return nil, nil, nil
	}
	err = s.updateAndRewrite(func(tx *bbolt.Tx) error {
		deleted, kept = deleted[:0], kept[:0]
		ib := tx.Bucket(bucketInterviews)
		r := s.reader()
		for _, id := range canon {
			key := s.k.recKey("interview", id)
			v := ib.Get(key)
			if v == nil {
				continue
			}
			iv, err := r.interview(key, v)
			if err != nil {
				return &CorruptError{Path: s.path, Detail: fmt.Errorf("interview %s: %w", id, err)}
			}
			if iv.ID != id || !same(iv) {
				kept = append(kept, id)
				continue
			}
			if err := s.del(tx, bucketInterviews, key); err != nil {
				return err
			}
			if err := s.del(tx, bucketIndex, key); err != nil {
				return err
			}
			deleted = append(deleted, id)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return deleted, kept, nil
}
