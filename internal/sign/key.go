// Package sign proves who made a handover bundle, and who received it.
//
// Each store has an Ed25519 signing key, kept sealed in the store
// (store.SealedSigningKey). Every bundle, extract and receipt is signed
// with it in minisign's format, as a detached FILE.minisig beside the
// file, so that the recipient (or anyone with `minisign -V`) can check
// the file against the sender's public key without fieldscreen. The
// signature covers the file's bytes as written: for an age-encrypted
// bundle, the encrypted bytes, so the sender is known before decrypting.
//
// Its trusted comment carries a manifest (bundle ID, creation time,
// signer, scope, interview count), which the bundle repeats inside; the
// two must agree. The bundle ID is a new UUID (version 7) per bundle, and a
// store remembers the IDs it imported, so a bundle sent twice is
// recognised.
//
// Receipts go the other way: the caseworker's store signs the bundle ID,
// the sender's key ID and, per interview, its ID and content hash, so the
// interviewer erases exactly what arrived.
//
// The package must not prompt or print. Its errors name files and key
// IDs, never a byte of a bundle's content.
package sign

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"aead.dev/minisign"

	"fieldscreen/internal/store"
)

// Key is a store's signing key.
type Key struct {
	priv minisign.PrivateKey
	pub  minisign.PublicKey
}

// storedKey is the signing key as the store keeps it (sealed).
const storedKeyPrefix = "fieldscreen-signing-key-1\n"

// Generate makes a new signing key.
func Generate() (*Key, error) {
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("cannot make a signing key: %w", err)
	}
	return &Key{priv: priv, pub: pub}, nil
}

// ID is the key's minisign key ID, as minisign prints it (16 upper-case
// hex digits).
func (k *Key) ID() string { return FormatID(k.pub.ID()) }

// Public returns the public key.
func (k *Key) Public() minisign.PublicKey { return k.pub }

// PublicFile is the public key in minisign's .pub format: the file a
// recipient trusts (`minisign -V -p FILE`, `fieldscreen import --trust FILE`).
func (k *Key) PublicFile() []byte { return PublicFile(k.pub) }

// PublicFile lays out a public key in minisign's .pub format.
func PublicFile(pub minisign.PublicKey) []byte {
	return []byte("untrusted comment: minisign public key " + FormatID(pub.ID()) + "\n" + pub.String() + "\n")
}

// FormatID writes a key ID the way minisign prints it.
func FormatID(id uint64) string { return fmt.Sprintf("%016X", id) }

func (k *Key) marshal() []byte {
	text, _ := k.priv.MarshalText() // never fails for a valid key
	return append([]byte(storedKeyPrefix), text...)
}

func unmarshalKey(b []byte) (*Key, error) {
	rest, ok := strings.CutPrefix(string(b), storedKeyPrefix)
	if !ok {
		return nil, errors.New("the store's signing key has an unknown format")
	}
	var priv minisign.PrivateKey
	if err := priv.UnmarshalText([]byte(rest)); err != nil {
		return nil, errors.New("the store's signing key is damaged")
	}
	pub, ok := priv.Public().(minisign.PublicKey)
	if !ok {
		return nil, errors.New("the store's signing key is damaged")
	}
	return &Key{priv: priv, pub: pub}, nil
}

// StoreKey returns the store's signing key, making one first if the store
// has none (a store made before stores had one).
func StoreKey(st *store.Store) (*Key, error) {
	b, err := st.Sealed(store.SealedSigningKey)
	if err != nil {
		return nil, err
	}
	if b != nil {
		return unmarshalKey(b)
	}
	return setKey(st, false)
}

// RotateKey replaces the store's signing key with a new one. Bundles
// signed before verify only against the old public key; the old key's ID
// is kept (FormerKeyIDs), so receipts for those bundles are still known
// to be for this store's own.
func RotateKey(st *store.Store) (*Key, error) {
	old, err := StoreKey(st)
	if err != nil {
		return nil, err
	}
	// Kept before the key is replaced: a stop in between leaves the
	// present key's ID listed too, which is harmless.
	err = st.SetSealed(store.SealedFormerSigningKeys, func(list []byte) ([]byte, error) {
		if slices.Contains(strings.Fields(string(list)), old.ID()) {
			return list, nil
		}
		return append(list, old.ID()+"\n"...), nil
	})
	if err != nil {
		return nil, err
	}
	return setKey(st, true)
}

// FormerKeyIDs returns the IDs of the signing keys the store had before
// its present one (RotateKey), oldest first.
func FormerKeyIDs(st *store.Store) ([]string, error) {
	b, err := st.Sealed(store.SealedFormerSigningKeys)
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(b)), nil
}

func setKey(st *store.Store, replace bool) (*Key, error) {
	k, err := Generate()
	if err != nil {
		return nil, err
	}
	var got *Key
	err = st.SetSealed(store.SealedSigningKey, func(old []byte) ([]byte, error) {
		if old != nil && !replace {
			// Another process made one meanwhile: keep it.
			got, err = unmarshalKey(old)
			return old, err
		}
		got = k
		return k.marshal(), nil
	})
	if err != nil {
		return nil, err
	}
	return got, nil
}

// ParsePublic reads a public key: the contents of a minisign .pub file, or
// its key line alone (RW...).
func ParsePublic(b []byte) (minisign.PublicKey, error) {
	var pub minisign.PublicKey
	s := strings.TrimSpace(string(b))
	if err := pub.UnmarshalText([]byte(s)); err != nil {
		return pub, errors.New("not a minisign public key")
	}
	return pub, nil
}

// Trust is a set of public keys whose signatures are trusted.
type Trust struct {
	keys map[uint64]minisign.PublicKey
	from map[uint64]string // where each came from, to say so
}

// NewTrust returns an empty trust set.
func NewTrust() *Trust {
	return &Trust{keys: map[uint64]minisign.PublicKey{}, from: map[uint64]string{}}
}

// Add trusts pub; from says where it came from (a file name).
func (t *Trust) Add(pub minisign.PublicKey, from string) {
	t.keys[pub.ID()] = pub
	if _, ok := t.from[pub.ID()]; !ok {
		t.from[pub.ID()] = from
	}
}

// AddFile trusts the public key in the minisign .pub file at path.
func (t *Trust) AddFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot read the public key %s: %w", path, pathless(err))
	}
	pub, err := ParsePublic(b)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	t.Add(pub, path)
	return nil
}

// AddEntry trusts a configured signer: a minisign public key line (RW...)
// or the path of a .pub file.
func (t *Trust) AddEntry(entry string) error {
	if pub, err := ParsePublic([]byte(entry)); err == nil {
		t.Add(pub, "configuration")
		return nil
	}
	return t.AddFile(entry)
}

// Len is the number of trusted keys.
func (t *Trust) Len() int { return len(t.keys) }

func (t *Trust) key(id uint64) (minisign.PublicKey, bool) {
	if t == nil {
		return minisign.PublicKey{}, false
	}
	k, ok := t.keys[id]
	return k, ok
}

// timeFormat is how manifests write times: UTC, to the second.
const timeFormat = time.RFC3339

func parseUint(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && strconv.Itoa(n) == s
}
