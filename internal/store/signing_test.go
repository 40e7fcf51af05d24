package store

import (
	"bytes"
	"testing"
)

func setSealed(t *testing.T, s *Store, name string, v []byte) {
	t.Helper()
	if err := s.SetSealed(name, func([]byte) ([]byte, error) { return v, nil }); err != nil {
		t.Fatal(err)
	}
}

func TestSealedValues(t *testing.T) {
	s := newTestStore(t)
	if v, err := s.Sealed(SealedSigningKey); err != nil || v != nil {
		t.Fatalf("a new store's signing key: %q, %v; want none", v, err)
	}
	if _, err := s.Sealed("other"); err == nil {
		t.Fatal("an unknown sealed value name was taken")
	}
	secret := []byte("the signing key, which must not reach the disk in clear")
	setSealed(t, s, SealedSigningKey, secret)
	if v, err := s.Sealed(SealedSigningKey); err != nil || !bytes.Equal(v, secret) {
		t.Fatalf("read back %q, %v", v, err)
	}
	if raw := readRaw(t, s.Path()); bytes.Contains(raw, secret[:16]) {
		t.Fatal("the sealed value is in the file in clear")
	}
	sealed := rawValue(t, s.Path(), bucketMeta, []byte("sealed:"+SealedSigningKey))
	if len(sealed) != recordOverhead+sealedBlock {
		t.Fatalf("sealed size %d, want one padded block (%d)", len(sealed), recordOverhead+sealedBlock)
	}
	if ps := s.Check(); len(ps) != 0 {
		t.Fatalf("check: %v", ps)
	}

	// The read-modify-write sees the value stored.
	err := s.SetSealed(SealedSigningKey, func(old []byte) ([]byte, error) {
		if !bytes.Equal(old, secret) {
			t.Errorf("old value %q", old)
		}
		return []byte("rotated"), nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A value put back from an older copy of the file is reported.
	path := s.Path()
	good := readRaw(t, path)
	setRaw(t, path, bucketMeta, []byte("sealed:"+SealedSigningKey), sealed)
	if ps := s.Check(); !hasProblem(ps, "digest") {
		t.Fatalf("check does not notice an older signing key put back: %v", ps)
	}
	replaceFileBytes(t, path, good)

	// Rotation re-seals it under the new key.
	if _, err := s.Rotate(testPass); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Sealed(SealedSigningKey); err != nil || string(v) != "rotated" {
		t.Fatalf("after key rotate: %q, %v", v, err)
	}
	if ps := s.Check(); len(ps) != 0 {
		t.Fatalf("check after key rotate: %v", ps)
	}
	setSealed(t, s, SealedSigningKey, nil)
	if v, err := s.Sealed(SealedSigningKey); err != nil || v != nil {
		t.Fatalf("after removal: %q, %v", v, err)
	}
	if ps := s.Check(); len(ps) != 0 {
		t.Fatalf("check after removal: %v", ps)
	}
}
