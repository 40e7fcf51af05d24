package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/parallel"
	"fieldscreen/internal/record"
)

// updateManyBatch is how many interviews UpdateMany changes per write
// transaction: one fsync per batch instead of one per interview, while a
// batch's sealed records stay small in memory and a live interview waits
// for at most one batch to save its next answer.
const updateManyBatch = 1000

// UpdateMany is Update (touch true) or Annotate (touch false) for many
// interviews: each is read, changed by fn and written back with its index
// entry, as Update does, a batch of them per durable write transaction.
// Within a batch the records are decrypted, changed, encoded and sealed on
// every core (fn may run concurrently for different interviews) and put
// in key order. If fn fails or an interview is missing, that interview's
// batch is not written and the error (the first in ids order) is
// returned; earlier batches stay written (each batch is all or nothing,
// the whole call is not). A cancelled ctx stops it the same way, with
// ctx's error, before the next batch is written.
func (s *Store) UpdateMany(ctx context.Context, ids []string, fn func(iv *record.Interview) error, touch bool) error {
	_, err := s.updateMany(ctx, ids, fn, touch, false)
	return err
}

// UpdateExisting is UpdateMany that passes over the interviews no longer
// in the store (deleted meanwhile, from another terminal say) instead of
// failing their batch, and returns them: recording an export in every
// exported interview's audit trail must not stop at one that is gone.
func (s *Store) UpdateExisting(ctx context.Context, ids []string, fn func(iv *record.Interview) error, touch bool) (missing []string, err error) {
	return s.updateMany(ctx, ids, fn, touch, true)
}

func (s *Store) updateMany(ctx context.Context, ids []string, fn func(iv *record.Interview) error, touch, skipMissing bool) (missing []string, err error) {
	canon := make([]string, len(ids))
	for i, id := range ids {
		c, err := canonicalID(id)
		if err != nil {
			return nil, err
		}
		canon[i] = c
	}
	for len(canon) > 0 {
		// A batch ends before an id it already holds: fn sees the
		// interview as the earlier change left it.
		n, seen := 0, make(map[string]bool, min(len(canon), updateManyBatch))
		for n < len(canon) && n < updateManyBatch && !seen[canon[n]] {
			seen[canon[n]] = true
			n++
		}
		var gone []string
		err := s.update(func(h *handle, tx *bbolt.Tx) error {
			now := time.Now().UTC()
			ib := tx.Bucket(bucketInterviews)
			gone = nil
			raw := make([][]byte, 0, n)
			keys := make([][]byte, 0, n)
			batch := make([]string, 0, n) // those still in the store
			for _, id := range canon[:n] {
				key := s.k.recKey("interview", id)
				v := ib.Get(key)
				if v == nil {
					_, err := s.getInterview(tx, id) // its error
					if skipMissing && errors.Is(err, ErrNoInterview) {
						gone = append(gone, id)
						continue
					}
					return err
				}
				batch = append(batch, id)
				keys = append(keys, key)
				raw = append(raw, v)
			}
			recs := make([]sealedRecord, len(batch))
			errs := make([]error, len(batch))
			err := parallel.For(ctx, len(batch), func(_ context.Context, i int) error {
				recs[i], errs[i] = s.updateOne(batch[i], keys[i], raw[i], fn, touch, now)
				return nil
			})
			if err != nil {
				return err // ctx's: this batch is not written
			}
			for _, err := range errs {
				if err != nil {
					return err
				}
			}
			slices.SortFunc(recs, func(a, b sealedRecord) int { return bytes.Compare(a.key, b.key) })
			for _, r := range recs {
				if err := s.put(tx, bucketInterviews, r.key, r.rec); err != nil {
					return err
				}
				if err := s.put(tx, bucketIndex, r.key, r.entry); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return missing, err
		}
		missing = append(missing, gone...)
		canon = canon[n:]
	}
	return missing, nil
}

// updateOne decrypts one record (sealed, under key), changes it with fn
// and seals it again, as getInterview, modify and putInterview do.
func (s *Store) updateOne(id string, key, sealed []byte, fn func(iv *record.Interview) error, touch bool, now time.Time) (sealedRecord, error) {
	iv, err := s.decodeInterview(key, sealed)
	if err != nil {
		return sealedRecord{}, &CorruptError{Path: s.path, Detail: fmt.Errorf("interview %s: %w", id, err)}
	}
	if iv.ID != id {
		return sealedRecord{}, corrupt(s.path, "interview %s: record holds another interview", id)
	}
	repairText(iv) // what older versions let in; fn's text is checked
	if err := callUser(func() error { return fn(iv) }); err != nil {
		return sealedRecord{}, err
	}
	if iv.ID != id {
		return sealedRecord{}, errors.New("an update must not change the interview id")
	}
	if touch {
		iv.UpdatedAt = now
	}
	if err := normalize(iv, now); err != nil {
		return sealedRecord{}, err
	}
	return s.seal(iv)
}
