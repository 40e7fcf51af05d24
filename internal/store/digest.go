package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"

	"go.etcd.io/bbolt"
)

// The records' digest: an authenticated index of the whole store.
//
// Each record is sealed for its bucket and key, so sealed bytes cannot be
// moved to another record; but someone with the file (and no key) could
// put back an older sealed value under the same key (an answer before it
// was corrected, a key slot before its passphrase was changed) or put
// back a deleted record, and it would decrypt. So the store keeps, in the
// meta bucket, the XOR of a keyed hash of every record (bucket, key and
// the record's nonce and tag, which no one without the key can make fit
// other contents), sealed like a record. Every write transaction updates
// it for the records it puts and deletes; Check recomputes it from the
// records and reports any difference. Putting an old record back then
// means putting back the whole store as it was (an old copy of the file),
// which no digest kept in the file can notice.
//
// Store format 2 is format 1 with the digest. A format 1 store is
// migrated by its first write transaction (and at Open when the file can
// be written): the digest is computed from the records as they are, and
// the format set to 2 in the same transaction. An older fieldscreen
// refuses format 2 (it would write without updating the digest).
//
// What it cannot catch: the whole file put back from an old copy; and
// someone who writes the file could set its format back to 1 and drop the
// digest, which the next open would then rebuild over what they put back
// (until then, check reports the missing digest).

var (
	formatV2        = []byte("fieldscreen-store-2")
	metaDigestKey   = []byte("digest")
	metaKeyCheckKey = []byte("keycheck")

	// digestBuckets are the buckets whose records the digest covers.
	digestBuckets = [][]byte{bucketSlots, bucketSlotInfo, bucketInterviews, bucketIndex, bucketFlows}
)

// txDigest is the digest as a write transaction changes it.
type txDigest struct {
	sum [32]byte
	mac hash.Hash
	buf []byte
}

func (k *keys) newDigest() *txDigest {
	return &txDigest{mac: hmac.New(sha256.New, k.digestKey)}
}

// toggle adds a record to the digest, or takes it out (XOR).
func (d *txDigest) toggle(bucket, key, value []byte) {
	d.mac.Reset()
	b := append(d.buf[:0], byte(len(bucket)))
	b = append(b, bucket...)
	b = append(b, byte(len(key)))
	b = append(b, key...)
	// A sealed record is fingerprinted by its nonce and tag (and length):
	// hashing all of it would cost more and prove no more. Small values
	// (key slots, whose wrapped key is itself sealed) go in whole.
	if len(value) <= 256 {
		b = append(b, value...)
	} else {
		b = append(b, value[:1+24]...)
		b = append(b, value[len(value)-16:]...)
		b = binary.BigEndian.AppendUint64(b, uint64(len(value)))
	}
	d.buf = b
	d.mac.Write(b)
	var e [32]byte
	d.mac.Sum(e[:0])
	for i := range d.sum {
		d.sum[i] ^= e[i]
	}
}

// computeDigest is the digest of every record in tx, from scratch.
func (k *keys) computeDigest(tx *bbolt.Tx) (*txDigest, error) {
	d := k.newDigest()
	for _, name := range digestBuckets {
		b := tx.Bucket(name)
		if b == nil {
			return nil, fmt.Errorf("missing bucket %q", name)
		}
		if err := b.ForEach(func(key, v []byte) error {
			d.toggle(name, key, v)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	toggleSealed(d, tx)
	return d, nil
}

// storedDigest reads the digest a format 2 store keeps.
func (s *Store) storedDigest(tx *bbolt.Tx) (*txDigest, error) {
	v := tx.Bucket(bucketMeta).Get(metaDigestKey)
	if v == nil {
		return nil, corrupt(s.path, "the records' digest is missing")
	}
	pt, err := openWith(s.k.aead, bucketMeta, metaDigestKey, v)
	if err != nil || len(pt) != 32 {
		return nil, corrupt(s.path, "the records' digest is damaged")
	}
	d := s.k.newDigest()
	copy(d.sum[:], pt)
	return d, nil
}

// beginDigest starts a write transaction's digest: the stored one, or for
// a format 1 store one computed from its records (migration).
func (s *Store) beginDigest(tx *bbolt.Tx) (*txDigest, error) {
	if bytes.Equal(tx.Bucket(bucketMeta).Get(metaFormatKey), formatV1) {
		d, err := s.k.computeDigest(tx)
		if err != nil {
			return nil, corrupt(s.path, "%v", err)
		}
		m := tx.Bucket(bucketMeta)
		if err := m.Put(metaFormatKey, formatV2); err != nil {
			return nil, err
		}
		if err := m.Put(metaKeyCheckKey, s.k.check); err != nil {
			return nil, err
		}
		return d, nil
	}
	return s.storedDigest(tx)
}

// saveDigest seals and stores d.
func (s *Store) saveDigest(tx *bbolt.Tx, d *txDigest) error {
	sealed, err := sealWith(s.k.aead, bucketMeta, metaDigestKey, d.sum[:])
	if err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(metaDigestKey, sealed)
}

// withDigest runs fn, which writes records through put and del, keeping
// the digest; s's writers take turns (wsem), so one field serves.
func (s *Store) withDigest(tx *bbolt.Tx, fn func() error) error {
	d, err := s.beginDigest(tx)
	if err != nil {
		return err
	}
	s.dg = d
	defer func() { s.dg = nil }()
	if err := fn(); err != nil {
		return err
	}
	return s.saveDigest(tx, d)
}

var errNoDigest = errors.New("store: a record written outside a write transaction's digest")

// put writes a record and keeps the digest.
func (s *Store) put(tx *bbolt.Tx, bucket, key, value []byte) error {
	if s.dg == nil {
		return errNoDigest
	}
	b := tx.Bucket(bucket)
	if old := b.Get(key); old != nil {
		s.dg.toggle(bucket, key, old)
	}
	s.dg.toggle(bucket, key, value)
	return b.Put(key, value)
}

// del deletes a record and keeps the digest.
func (s *Store) del(tx *bbolt.Tx, bucket, key []byte) error {
	if s.dg == nil {
		return errNoDigest
	}
	b := tx.Bucket(bucket)
	if old := b.Get(key); old != nil {
		s.dg.toggle(bucket, key, old)
	}
	return b.Delete(key)
}

// checkKey makes sure the store is still sealed under the key s holds:
// 'key rotate' in another process re-encrypts it under a new one.
func (s *Store) checkKey(tx *bbolt.Tx) error {
	if c := tx.Bucket(bucketMeta).Get(metaKeyCheckKey); c != nil && !hmac.Equal(c, s.k.check) {
		return ErrRekeyed
	}
	return nil
}

// keyCheck is what the meta bucket keeps to tell which master key the
// records are sealed under; it says nothing else about the key.
func keyCheck(idKey []byte) []byte {
	m := hmac.New(sha256.New, idKey)
	m.Write([]byte("fieldscreen store key check v1"))
	return m.Sum(nil)[:16]
}
