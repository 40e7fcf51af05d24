package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// Sealed values: small secrets of the store's own that are not
// interviews (the key it signs handover bundles with, the IDs of the
// bundles it imported). They live in the meta bucket under fixed names,
// sealed like records and padded to whole blocks so their size says
// little; the records' digest covers them (a signing key or a list of
// imports put back from an older copy of the file is reported by
// Check), and Rotate re-seals them under the new key.

// Names of the sealed values the store keeps.
const (
	SealedSigningKey = "signing-key"
	SealedImported   = "imported-bundles"
	// SealedFormerSigningKeys lists the IDs of the signing keys the
	// store had before its present one, one a line.
	SealedFormerSigningKeys = "former-signing-keys"
)

var sealedNames = []string{SealedSigningKey, SealedImported, SealedFormerSigningKeys}

// sealedBlock is the padding of a sealed value.
const sealedBlock = 1024

// maxSealed bounds a sealed value (a list of a million bundle IDs fits).
const maxSealed = 64 << 20

var errSealedName = errors.New("store: unknown sealed value")

func sealedKey(name string) ([]byte, error) {
	if !slices.Contains(sealedNames, name) {
		return nil, fmt.Errorf("%w %q", errSealedName, name)
	}
	return []byte("sealed:" + name), nil
}

// Sealed returns the sealed value name holds, or nil if it has none.
func (s *Store) Sealed(name string) ([]byte, error) {
	key, err := sealedKey(name)
	if err != nil {
		return nil, err
	}
	var out []byte
	err = s.view(func(_ *handle, tx *bbolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(key)
		if v == nil {
			return nil
		}
		var err error
		out, err = s.openSealed(key, v)
		return err
	})
	return out, err
}

// SetSealed stores value under name (nil removes it). fn, if not nil, is
// called with the value stored now, in the same write transaction, and
// returns the value to store: a read-modify-write that no other writer
// can come between.
func (s *Store) SetSealed(name string, fn func(old []byte) ([]byte, error)) error {
	key, err := sealedKey(name)
	if err != nil {
		return err
	}
	return s.update(func(_ *handle, tx *bbolt.Tx) error {
		var old []byte
		if v := tx.Bucket(bucketMeta).Get(key); v != nil {
			if old, err = s.openSealed(key, v); err != nil {
				return err
			}
		}
		value, err := fn(old)
		if err != nil {
			return err
		}
		if value == nil {
			return s.del(tx, bucketMeta, key)
		}
		if len(value) > maxSealed {
			return fmt.Errorf("store: sealed value %q is too large (%d bytes)", name, len(value))
		}
		sealed, err := sealWith(s.k.aead, bucketMeta, key, padSealed(value))
		if err != nil {
			return err
		}
		return s.put(tx, bucketMeta, key, sealed)
	})
}

func (s *Store) openSealed(key, v []byte) ([]byte, error) {
	pt, err := openWith(s.k.aead, bucketMeta, key, v)
	if err != nil {
		return nil, corrupt(s.path, "sealed value %q: %v", key, err)
	}
	out, ok := unpadSealed(pt)
	if !ok {
		return nil, corrupt(s.path, "sealed value %q has a bad length", key)
	}
	return out, nil
}

// padSealed prefixes value with its length and pads it with zeros to a
// whole number of blocks.
func padSealed(value []byte) []byte {
	n := 4 + len(value)
	n = (n + sealedBlock - 1) / sealedBlock * sealedBlock
	b := make([]byte, n)
	binary.BigEndian.PutUint32(b, uint32(len(value)))
	copy(b[4:], value)
	return b
}

func unpadSealed(b []byte) ([]byte, bool) {
	if len(b) < 4 {
		return nil, false
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil, false
	}
	return b[4 : 4+n], true
}

// toggleSealed adds the sealed values in tx to a digest computed from
// scratch (computeDigest).
func toggleSealed(d *txDigest, tx *bbolt.Tx) {
	m := tx.Bucket(bucketMeta)
	for _, name := range sealedNames {
		key := []byte("sealed:" + name)
		if v := m.Get(key); v != nil {
			d.toggle(bucketMeta, key, v)
		}
	}
}

// copySealed re-seals the sealed values for a rotation.
func (w *rotator) copySealed(src *bbolt.Tx) error {
	m := src.Bucket(bucketMeta)
	for _, name := range sealedNames {
		key := []byte("sealed:" + name)
		v := m.Get(key)
		if v == nil {
			continue
		}
		sealed, err := w.reseal(bucketMeta, key, key, v)
		if err != nil {
			return corrupt(w.s.path, "sealed value %q: %v", name, err)
		}
		if err := w.put(bucketMeta, key, sealed); err != nil {
			return err
		}
	}
	return nil
}
