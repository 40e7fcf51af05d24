package store

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"

	"go.etcd.io/bbolt"
)

// Rotate re-encrypts every record under a new master key, so that an old
// copy of the store file and a passphrase that opened it do not open what
// is written from now on (and a master key someone noted down opens
// nothing new). pass must be the passphrase this Store was opened with:
// its key slot is kept, wrapping the new key. Every other key slot is
// removed, since its passphrase is not known here; Rotate returns their
// IDs so their holders can be added again ('key add').
//
// Like a compaction, the new store is built in a new file (nameless until
// complete where the system allows) while this process holds the old one,
// then renamed over it, and the old file is overwritten with zeros: a
// rotation killed half-way leaves the store as it was. Another process
// that opened the store before the rotation is refused (ErrRekeyed) on
// its next operation. Rotate must not run while other goroutines use s.
func (s *Store) Rotate(pass []byte) (removed []string, err error) {
	master, err := s.masterKey()
	if err != nil {
		return nil, err
	}
	defer clear(master)
	var mine *slot
	err = s.view(func(h *handle, tx *bbolt.Tx) error {
		slots, _, err := readSlots(tx, s.path)
		for _, sl := range slots {
			if bytes.Equal(sl.id, s.slot) {
				mine = sl
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if mine == nil {
		return nil, ErrNoKey
	}
	if m, ok := mine.unwrap(pass); !ok || subtle.ConstantTimeCompare(m, master) != 1 {
		return nil, ErrWrongPassphrase
	}
	newMaster := make([]byte, KeySize)
	if _, err := rand.Read(newMaster); err != nil {
		return nil, err
	}
	k2, err := deriveKeys(newMaster)
	if err != nil {
		return nil, err
	}
	// Derive before taking the file: argon2 is slow.
	sl, err := newSlot(mine.id, pass, newMaster, defaultKDF)
	if err != nil {
		return nil, err
	}
	if err := s.beginWrite(); err != nil {
		return nil, err
	}
	defer s.endWrite()
	err = s.withFileSized(false, 0, func(h *handle) error {
		var err error
		removed, err = s.rotateFile(h, mine, sl, k2)
		return err
	})
	if err != nil {
		clear(newMaster)
		return nil, err
	}
	s.mu.Lock()
	clear(s.master)
	clear(s.k.idKey)
	clear(s.k.digestKey)
	s.master, s.k = newMaster, k2
	s.mu.Unlock()
	return removed, nil
}

// rotateFile writes the store re-encrypted under k2 into a new file and
// puts it in place of h's; h must be open read-write.
func (s *Store) rotateFile(h *handle, mine, sl *slot, k2 *keys) (removed []string, err error) {
	dir := filepath.Dir(h.path)
	removeStaleCopies(dir, compactPrefix(h.path))
	tmp, err := createTemp(dir, compactPrefix(h.path)+"*")
	if err != nil {
		return nil, fmt.Errorf("cannot re-encrypt the interview store: %w", pathless(err))
	}
	done := false
	defer func() {
		if !done {
			tmp.Discard()
		}
	}()
	dst, err := bbolt.Open(tmp.Path(), 0o600, &bbolt.Options{Timeout: lockTimeout})
	if err != nil {
		return nil, fmt.Errorf("cannot re-encrypt the interview store: %w", pathless(err))
	}
	w := &rotator{s: s, k2: k2, dst: dst, d: k2.newDigest()}
	err = h.view(func(tx *bbolt.Tx) error {
		if err := checkLayout(tx, s.path); err != nil {
			return err
		}
		if err := s.checkKey(tx); err != nil {
			return err
		}
		if !bytes.Equal(tx.Bucket(bucketSlots).Get(mine.id), mine.encode()) {
			return errors.New("the passphrase was changed by another process meanwhile; try again")
		}
		var err error
		removed, err = w.copy(tx, sl)
		return err
	})
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = tmp.Sync()
	}
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("cannot re-encrypt the interview store, nothing was changed: %w", err)
		}
		return nil, fmt.Errorf("cannot re-encrypt the interview store, nothing was changed: %w", pathless(err))
	}
	if runtime.GOOS == "windows" {
		h.close() // Windows cannot rename over an open file.
	}
	done = true
	if err := tmp.Replace(h.path); err != nil {
		return nil, fmt.Errorf("cannot re-encrypt the interview store, nothing was changed: %w", pathless(err))
	}
	syncDir(dir)
	h.scrub()
	return removed, h.close()
}

// rotator copies records into the new file, re-sealed, a transaction per
// compactTxSize bytes.
type rotator struct {
	s   *Store
	k2  *keys
	dst *bbolt.DB
	tx  *bbolt.Tx
	n   int
	d   *txDigest
}

func (w *rotator) put(bucket, key, value []byte) error {
	if w.tx != nil && w.n > compactTxSize {
		if err := w.tx.Commit(); err != nil {
			return err
		}
		w.tx = nil
	}
	if w.tx == nil {
		tx, err := w.dst.Begin(true)
		if err != nil {
			return err
		}
		w.tx, w.n = tx, 0
	}
	w.d.toggle(bucket, key, value)
	w.n += len(key) + len(value)
	b := w.tx.Bucket(bucket)
	b.FillPercent = importFillPercent // records go in in key order (see copy)
	return b.Put(key, value)
}

// reseal opens a record under the old key and seals it under the new one,
// for its new place.
func (w *rotator) reseal(bucket, oldKey, newKey, sealed []byte) ([]byte, error) {
	pt, err := openWith(w.s.k.aead, bucket, oldKey, sealed)
	if err != nil {
		return nil, err
	}
	defer clear(pt)
	return sealWith(w.k2.aead, bucket, newKey, pt)
}

func (w *rotator) copy(src *bbolt.Tx, sl *slot) (removed []string, err error) {
	s := w.s
	defer func() {
		if w.tx != nil {
			if err == nil {
				err = w.tx.Commit()
			} else {
				w.tx.Rollback()
			}
		}
	}()
	err = w.dst.Update(func(tx *bbolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		m := tx.Bucket(bucketMeta)
		if err := m.Put(metaFormatKey, formatV2); err != nil {
			return err
		}
		return m.Put(metaKeyCheckKey, w.k2.check)
	})
	if err != nil {
		return nil, err
	}

	// The one key slot kept, with its label.
	if err := w.put(bucketSlots, sl.id, sl.encode()); err != nil {
		return nil, err
	}
	if v := src.Bucket(bucketSlotInfo).Get(sl.id); v != nil {
		sealed, err := w.reseal(bucketSlotInfo, sl.id, sl.id, v)
		if err != nil {
			return nil, corrupt(s.path, "key slot %x: %v", sl.id, err)
		}
		if err := w.put(bucketSlotInfo, sl.id, sealed); err != nil {
			return nil, err
		}
	}
	src.Bucket(bucketSlots).ForEach(func(k, _ []byte) error {
		if !bytes.Equal(k, sl.id) {
			removed = append(removed, hex.EncodeToString(k))
		}
		return nil
	})

	// Flows: their key is a keyed hash of their hash, the SHA-256 of
	// their source.
	err = src.Bucket(bucketFlows).ForEach(func(k, v []byte) error {
		pt, err := openWith(s.k.aead, bucketFlows, k, v)
		if err != nil {
			return corrupt(s.path, "flow record %x: %v", k, err)
		}
		defer clear(pt)
		sum := sha256.Sum256(pt)
		hash := "sha256:" + hex.EncodeToString(sum[:])
		if !bytes.Equal(k, s.k.recKey("flow", hash)) {
			return corrupt(s.path, "flow record %x is filed under the wrong key", k)
		}
		nk := w.k2.recKey("flow", hash)
		sealed, err := sealWith(w.k2.aead, bucketFlows, nk, pt)
		if err != nil {
			return err
		}
		return w.put(bucketFlows, nk, sealed)
	})
	if err != nil {
		return nil, err
	}

	if err := w.copySealed(src); err != nil {
		return nil, err
	}

	// Interviews, then their index entries, under their new keys and in
	// the order of those keys, so that bbolt fills its pages one after
	// the other (as Import does) instead of splitting them all over the
	// file: a first pass learns the new keys.
	type move struct{ old, new []byte }
	var moves []move
	r := s.reader()
	err = src.Bucket(bucketInterviews).ForEach(func(k, v []byte) error {
		iv, err := r.interview(k, v)
		if err == nil && !bytes.Equal(k, s.k.recKey("interview", iv.ID)) {
			err = errors.New("is filed under the wrong key")
		}
		if err != nil {
			return corrupt(s.path, "interview record %x: %v", k, err)
		}
		moves = append(moves, move{bytes.Clone(k), w.k2.recKey("interview", iv.ID)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(moves, func(a, b move) int { return bytes.Compare(a.new, b.new) })
	for _, b := range [][]byte{bucketInterviews, bucketIndex} {
		for _, m := range moves {
			v := src.Bucket(b).Get(m.old)
			if v == nil {
				continue // an interview without an index entry: check says so
			}
			sealed, err := w.reseal(b, m.old, m.new, v)
			if err != nil {
				return nil, corrupt(s.path, "%s record %x: %v", b, m.old, err)
			}
			if err := w.put(b, m.new, sealed); err != nil {
				return nil, err
			}
		}
	}
	if n := src.Bucket(bucketIndex).Stats().KeyN; n > len(moves) {
		return nil, corrupt(s.path, "%d index records name interviews that are missing", n-len(moves))
	}
	if w.tx == nil {
		if w.tx, err = w.dst.Begin(true); err != nil {
			return nil, err
		}
	}
	sealed, err := sealWith(w.k2.aead, bucketMeta, metaDigestKey, w.d.sum[:])
	if err != nil {
		return nil, err
	}
	if err := w.tx.Bucket(bucketMeta).Put(metaDigestKey, sealed); err != nil {
		return nil, err
	}
	return removed, nil
}
