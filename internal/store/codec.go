package store

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// Sealed record layout: version (1 byte) | nonce (24) | ciphertext+tag.
const (
	recordVersion  = 1
	recordOverhead = 1 + chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead
	// KeySize is the size of the master key and of the keys SealRecord takes.
	KeySize = chacha20poly1305.KeySize
)

var errRecordOpen = errors.New("record cannot be decrypted (damaged, or moved from another record)")

// SealRecord encrypts plaintext for the record stored under key recKey in
// bucket with XChaCha20-Poly1305 and a random nonce. The bucket name and
// record key are authenticated, so sealed bytes copied to another record do
// not open there.
func SealRecord(key, bucket, recKey, plaintext []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	return sealWith(aead, bucket, recKey, plaintext)
}

// OpenRecord decrypts and authenticates a record sealed by SealRecord for
// the same bucket and record key.
func OpenRecord(key, bucket, recKey, sealed []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	return openWith(aead, bucket, recKey, sealed)
}

func sealWith(aead cipher.AEAD, bucket, recKey, plaintext []byte) ([]byte, error) {
	out := make([]byte, 1+chacha20poly1305.NonceSizeX, recordOverhead+len(plaintext))
	out[0] = recordVersion
	nonce := out[1:]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("cannot make a nonce: %w", err)
	}
	return aead.Seal(out, nonce, plaintext, additionalData(bucket, recKey)), nil
}

func openWith(aead cipher.AEAD, bucket, recKey, sealed []byte) ([]byte, error) {
	if len(sealed) < recordOverhead {
		return nil, errors.New("record is too short")
	}
	if sealed[0] != recordVersion {
		return nil, fmt.Errorf("record has unknown format version %d", sealed[0])
	}
	nonce := sealed[1 : 1+chacha20poly1305.NonceSizeX]
	pt, err := aead.Open(nil, nonce, sealed[1+chacha20poly1305.NonceSizeX:], additionalData(bucket, recKey))
	if err != nil {
		return nil, errRecordOpen
	}
	return pt, nil
}

// openInto is openWith that decrypts into dst's storage (grown if too
// small) and builds the associated data in *ad, so a reader that reuses
// both allocates nothing per record.
func openInto(aead cipher.AEAD, dst []byte, ad *[]byte, bucket, recKey, sealed []byte) ([]byte, error) {
	if len(sealed) < recordOverhead {
		return nil, errors.New("record is too short")
	}
	if sealed[0] != recordVersion {
		return nil, fmt.Errorf("record has unknown format version %d", sealed[0])
	}
	*ad = append(append(append((*ad)[:0], recordVersion, byte(len(bucket))), bucket...), recKey...)
	nonce := sealed[1 : 1+chacha20poly1305.NonceSizeX]
	pt, err := aead.Open(dst[:0], nonce, sealed[1+chacha20poly1305.NonceSizeX:], *ad)
	if err != nil {
		return nil, errRecordOpen
	}
	return pt, nil
}

// additionalData binds a record to its place: version, bucket name (length
// prefixed, so bucket and key cannot be re-split) and record key.
func additionalData(bucket, recKey []byte) []byte {
	ad := make([]byte, 0, 2+len(bucket)+len(recKey))
	ad = append(ad, recordVersion, byte(len(bucket)))
	ad = append(ad, bucket...)
	return append(ad, recKey...)
}

// pad appends spaces (valid trailing JSON whitespace) up to a multiple of
// block, so that the size of a sealed record says little about the length
// of the answers or names inside it.
func pad(b []byte, block int) []byte {
	n := (len(b)/block + 1) * block
	for len(b) < n {
		b = append(b, ' ')
	}
	return b
}

// keys are the working keys derived from the master key.
type keys struct {
	aead      cipher.AEAD // seals records
	idKey     []byte      // names records: bucket keys are HMACs of IDs
	digestKey []byte      // hashes records into the store's digest (digest.go)
	check     []byte      // keyCheck: tells this key from another
}

func deriveKeys(master []byte) (*keys, error) {
	if len(master) != KeySize {
		return nil, errors.New("master key has the wrong size")
	}
	rk, err := hkdf.Key(sha256.New, master, nil, "fieldscreen store record key v1", KeySize)
	if err != nil {
		return nil, err
	}
	ik, err := hkdf.Key(sha256.New, master, nil, "fieldscreen store id key v1", 32)
	if err != nil {
		return nil, err
	}
	dk, err := hkdf.Key(sha256.New, master, nil, "fieldscreen store digest key v1", 32)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(rk)
	clear(rk)
	if err != nil {
		return nil, err
	}
	return &keys{aead: aead, idKey: ik, digestKey: dk, check: keyCheck(ik)}, nil
}

// recKey is the bucket key for the record named name of the given kind. A
// keyed hash rather than the ID itself: UUIDv7 IDs carry their creation
// time, and flow hashes would say which questionnaire was used.
func (k *keys) recKey(kind, name string) []byte {
	m := hmac.New(sha256.New, k.idKey)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(name))
	return m.Sum(nil)[:16]
}
