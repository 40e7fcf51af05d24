package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/parallel"
	"fieldscreen/internal/record"
)

// importFillPercent is how full Import leaves the pages it splits: the
// records go in in key order, so a page once split is not written to
// again by this import and half-empty pages (bbolt's default) would only
// make the file larger.
const importFillPercent = 0.9

// Import adds interviews and flows from another store or device in one
// transaction: if any interview is invalid, nothing is imported. An
// interview whose ID is already here with identical content is skipped;
// with different content it is a conflict and the stored one is kept.
// A flow hash already stored with different content is a conflict named
// "flow:<hash>". added, skipped and conflicts are in the order of ivs. The
// interviews are stored as given (normalized); adding an "imported" audit
// event is the caller's (session.MarkImported). A cancelled ctx stops it
// before the transaction, with ctx's error: nothing is imported.
//
// It is made for large batches: the records are encoded and sealed on
// every core before the transaction, and put in key order (bbolt keeps a
// transaction's new keys in one sorted node per page until it commits,
// so inserting 100,000 keys in random order moves that node's entries
// about n²/4 times).
func (s *Store) Import(ctx context.Context, ivs []*record.Interview, flows map[string][]byte) (added, skipped, conflicts []string, err error) {
	now := time.Now().UTC()
	for _, iv := range ivs {
		if err := normalize(iv, now); err != nil {
			return nil, nil, nil, fmt.Errorf("nothing imported: %w", err)
		}
	}
	hashes := make([]string, 0, len(flows))
	for h := range flows {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	recs, err := s.sealAll(ctx, ivs)
	if err != nil {
		return nil, nil, nil, err
	}
	defer func() {
		for i := range recs {
			recs[i] = sealedRecord{}
		}
	}()
	order := make([]int, len(recs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return bytes.Compare(recs[a].key, recs[b].key) })

	// state[i]: 0 added, 1 skipped, 2 conflict.
	state := make([]byte, len(ivs))
	var grow int64
	for _, r := range recs {
		grow += int64(len(r.key)*2 + len(r.rec) + len(r.entry))
	}
	err = s.updateGrowing(grow, func(h *handle, tx *bbolt.Tx) error {
		for _, hash := range hashes {
			if hash == "" {
				return errors.New("flow hash must not be empty")
			}
			if _, err := s.putFlow(tx, hash, flows[hash]); errors.Is(err, errFlowConflict) {
				conflicts = append(conflicts, "flow:"+hash)
			} else if err != nil {
				return err
			}
		}
		ib, xb := tx.Bucket(bucketInterviews), tx.Bucket(bucketIndex)
		ib.FillPercent, xb.FillPercent = importFillPercent, importFillPercent
		for _, i := range order {
			iv, r := ivs[i], recs[i]
			old, err := s.getInterview(tx, iv.ID)
			switch {
			case errors.Is(err, ErrNoInterview):
				if err := s.put(tx, bucketInterviews, r.key, r.rec); err != nil {
					return err
				}
				if err := s.put(tx, bucketIndex, r.key, r.entry); err != nil {
					return err
				}
			case err != nil:
				return err
			default:
				a, err1 := json.Marshal(old)
				b, err2 := json.Marshal(iv)
				if err := errors.Join(err1, err2); err != nil {
					return err
				}
				state[i] = 2
				if bytes.Equal(a, b) {
					state[i] = 1
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	for i, iv := range ivs {
		switch state[i] {
		case 0:
			added = append(added, iv.ID)
		case 1:
			skipped = append(skipped, iv.ID)
		default:
			conflicts = append(conflicts, iv.ID)
		}
	}
	return added, skipped, conflicts, nil
}

// sealedRecord is an interview's record and index entry as putInterview
// writes them, under key.
type sealedRecord struct{ key, rec, entry []byte }

// sealAll encodes and seals every interview's record and index entry, on
// every core.
func (s *Store) sealAll(ctx context.Context, ivs []*record.Interview) ([]sealedRecord, error) {
	out := make([]sealedRecord, len(ivs))
	err := parallel.For(ctx, len(ivs), func(_ context.Context, i int) error {
		var err error
		out[i], err = s.seal(ivs[i])
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// seal encodes and seals an interview's record and index entry, padded to
// their size classes (see sizes.go).
func (s *Store) seal(iv *record.Interview) (sealedRecord, error) {
	key := s.k.recKey("interview", iv.ID)
	pt, err := encodeInterviewBinary(iv)
	if err != nil {
		return sealedRecord{}, fmt.Errorf("cannot encode interview %s: %w", iv.ID, err)
	}
	rec, err := sealWith(s.k.aead, bucketInterviews, key, padPlain(pt, interviewClasses))
	clear(pt)
	if err != nil {
		return sealedRecord{}, err
	}
	e := iv.Entry()
	pt, err = encodeEntryBinary(&e)
	if err != nil {
		return sealedRecord{}, fmt.Errorf("cannot encode interview %s: %w", iv.ID, err)
	}
	entry, err := sealWith(s.k.aead, bucketIndex, key, padPlain(pt, entryClasses))
	clear(pt)
	if err != nil {
		return sealedRecord{}, err
	}
	return sealedRecord{key: key, rec: rec, entry: entry}, nil
}
