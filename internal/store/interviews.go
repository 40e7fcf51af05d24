package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// canonicalID parses an interview ID.
func canonicalID(id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return "", fmt.Errorf("%w: %q is not an interview id", ErrNoInterview, id)
	}
	return u.String(), nil
}

func (s *Store) getInterview(tx *bbolt.Tx, id string) (*record.Interview, error) {
	key := s.k.recKey("interview", id)
	v := tx.Bucket(bucketInterviews).Get(key)
	if v == nil {
		if tx.Bucket(bucketIndex).Get(key) != nil {
			return nil, corrupt(s.path, "interview %s is listed but its record is missing", id)
		}
		return nil, fmt.Errorf("%w: %s", ErrNoInterview, id)
	}
	iv, err := s.decodeInterview(key, v)
	if err != nil {
		return nil, &CorruptError{Path: s.path, Detail: fmt.Errorf("interview %s: %w", id, err)}
	}
	if iv.ID != id {
		return nil, corrupt(s.path, "interview %s: record holds another interview", id)
	}
	return iv, nil
}

// putInterview seals iv and its index entry; iv must be normalized.
func (s *Store) putInterview(tx *bbolt.Tx, iv *record.Interview) error {
	r, err := s.seal(iv)
	if err != nil {
		return err
	}
	if err := s.put(tx, bucketInterviews, r.key, r.rec); err != nil {
		return err
	}
	return s.put(tx, bucketIndex, r.key, r.entry)
}

// Put creates or replaces a whole interview, with its index entry, in one
// durable transaction. An empty ID gets a new one. Put normalizes iv in
// place: times to UTC, a missing status to draft, missing timestamps to now.
func (s *Store) Put(iv *record.Interview) error {
	if iv.ID == "" {
		id, err := record.NewID()
		if err != nil {
			return err
		}
		iv.ID = id
	}
	if err := normalize(iv, time.Now().UTC()); err != nil {
		return err
	}
	return s.update(func(h *handle, tx *bbolt.Tx) error {
		return s.putInterview(tx, iv)
	})
}

// Update reads interview id, lets fn change it, and writes it back, all in
// one write transaction that is fsynced before Update returns. If fn
// returns an error nothing is written and that error is returned.
// UpdatedAt is set to now.
func (s *Store) Update(id string, fn func(iv *record.Interview) error) (*record.Interview, error) {
	return s.modify(id, fn, true)
}

// Annotate is Update for bookkeeping that does not change the interview
// itself (an audit event, its status after an export): UpdatedAt is kept,
// so 'purge --older-than' still counts from the last real change.
func (s *Store) Annotate(id string, fn func(iv *record.Interview) error) (*record.Interview, error) {
	return s.modify(id, fn, false)
}

func (s *Store) modify(id string, fn func(iv *record.Interview) error, touch bool) (*record.Interview, error) {
	id, err := canonicalID(id)
	if err != nil {
		return nil, err
	}
	var out *record.Interview
	err = s.update(func(h *handle, tx *bbolt.Tx) error {
		iv, err := s.getInterview(tx, id)
		if err != nil {
			return err
		}
		repairText(iv) // what older versions let in; fn's text is checked
		if err := callUser(func() error { return fn(iv) }); err != nil {
			return err
		}
		if iv.ID != id {
			return errors.New("an update must not change the interview id")
		}
		now := time.Now().UTC()
		if touch {
			iv.UpdatedAt = now
		}
		if err := normalize(iv, now); err != nil {
			return err
		}
		out = iv
		return s.putInterview(tx, iv)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Get returns interview id, or ErrNoInterview.
func (s *Store) Get(id string) (*record.Interview, error) {
	id, err := canonicalID(id)
	if err != nil {
		return nil, err
	}
	var iv *record.Interview
	err = s.view(func(h *handle, tx *bbolt.Tx) error {
		iv, err = s.getInterview(tx, id)
		return err
	})
	return iv, err
}

// entries decrypts the whole index. A damaged index record costs only
// itself: its entry is rebuilt from the interview record when that reads,
// else it is left out; either way it is in the DamagedRecords returned.
func (s *Store) entries(tx *bbolt.Tx) ([]record.Entry, []DamagedRecord, error) {
	b := tx.Bucket(bucketIndex)
	// Not sized by b.Stats(): that reads every page of the bucket once
	// more, and maps it (see unmapper).
	var out []record.Entry
	var bad []DamagedRecord
	r := s.reader()
	u := newUnmapper(tx, indexMapped)
	err := b.ForEach(func(k, v []byte) error {
		u.read(v)
		out = append(out, record.Entry{})
		if err := r.entry(k, v, &out[len(out)-1]); err != nil {
			e, d, ok := s.recoverEntry(tx, r, k)
			if ok {
				out[len(out)-1] = e
			} else {
				out = out[:len(out)-1]
			}
			bad = append(bad, d)
		}
		return nil
	})
	return out, bad, err
}

// List returns the summaries of the interviews with the given status
// ("" for all), newest first. Damaged index records do not fail it (see
// entries); they are told to the OnDamage function and kept in Damaged.
func (s *Store) List(status record.Status) ([]record.Entry, error) {
	var all []record.Entry
	var bad []DamagedRecord
	err := s.view(func(h *handle, tx *bbolt.Tx) error {
		var err error
		all, bad, err = s.entries(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.noteDamage(bad)
	out := all[:0]
	for _, e := range all {
		if status == "" || e.Status == status {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b record.Entry) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return slices.Clip(out), nil
}

// Resolve turns a short interview ID prefix (at least 4 characters,
// dashes optional) into the full ID.
func (s *Store) Resolve(prefix string) (string, error) {
	p := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(prefix), "-", ""))
	if len(p) < 4 {
		return "", ErrShortPrefix
	}
	if id, err := canonicalID(prefix); err == nil {
		err := s.view(func(h *handle, tx *bbolt.Tx) error {
			if tx.Bucket(bucketIndex).Get(s.k.recKey("interview", id)) == nil {
				return fmt.Errorf("%w: %s", ErrNoInterview, id)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
		return id, nil
	}
	var found []string
	var bad []DamagedRecord
	err := s.view(func(h *handle, tx *bbolt.Tx) error {
		all, b, err := s.entries(tx)
		bad = b
		for _, e := range all {
			if strings.HasPrefix(strings.ReplaceAll(e.ID, "-", ""), p) {
				found = append(found, e.ID)
			}
		}
		return err
	})
	s.noteDamage(bad)
	switch {
	case err != nil:
		return "", err
	case len(found) == 0:
		return "", fmt.Errorf("%w: no id starts with %q", ErrNoInterview, prefix)
	case len(found) > 1:
		return "", fmt.Errorf("%w (%d match %q)", ErrAmbiguous, len(found), prefix)
	}
	return found[0], nil
}

// Delete erases the given interviews (all or none: an unknown ID deletes
// nothing) and then compacts the file, so their sealed bytes do not stay
// behind in free pages.
func (s *Store) Delete(ids ...string) error {
	keys := make([][]byte, 0, len(ids))
	canon := make([]string, 0, len(ids))
	for _, id := range ids {
		c, err := canonicalID(id)
		if err != nil {
			return err
		}
		canon = append(canon, c)
	}
	if len(canon) == 0 {
		return nil
	}
	return s.updateAndRewrite(func(tx *bbolt.Tx) error {
		for _, id := range canon {
			key := s.k.recKey("interview", id)
			if tx.Bucket(bucketInterviews).Get(key) == nil {
				return fmt.Errorf("%w: %s", ErrNoInterview, id)
			}
			keys = append(keys, key)
		}
		for _, key := range keys {
			if err := s.del(tx, bucketInterviews, key); err != nil {
				return err
			}
			if err := s.del(tx, bucketIndex, key); err != nil {
				return err
			}
		}
		return nil
	})
}
