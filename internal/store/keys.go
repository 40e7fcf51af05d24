package store

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	"golang.org/x/crypto/argon2"
)

// kdfParams are the argon2id parameters of one key slot.
type kdfParams struct {
	Time      uint32
	MemoryKiB uint32
	Threads   uint8
}

// defaultKDF is used for new key slots: above the OWASP minimum for
// argon2id (19 MiB, t=2, p=1). About 0.1 s on a recent laptop; it runs
// once per process. Tests lower it.
var defaultKDF = realKDF

// realKDF is what stores use; tests lower defaultKDF for speed.
var realKDF = kdfParams{Time: 2, MemoryKiB: 64 * 1024, Threads: 2}

const (
	slotIDSize     = 8
	saltSize       = 16
	slotVersion    = 1
	kdfArgon2id    = 1
	slotHeaderSize = 1 + 1 + 4 + 4 + 1 + saltSize
	slotSize       = slotHeaderSize + recordOverhead + KeySize
	// Limits on what a slot read from a file may ask for, so a tampered
	// file cannot make unlocking eat all memory or time.
	maxKDFMemoryKiB = 1 << 20
	maxKDFTime      = 64
	maxKDFThreads   = 64
)

// slot is one passphrase's wrapping of the master key. Stored unsealed
// (it has to be read before anything can be unsealed) as
// version | kdf | time u32 | memory KiB u32 | threads u8 | salt | sealed master key.
// The sealed master key's associated data is the slot's bucket and ID.
type slot struct {
	id      []byte
	params  kdfParams
	salt    []byte
	wrapped []byte
}

// slotInfo is the sealed part of a key slot: a label may be a name.
type slotInfo struct {
	Created time.Time `json:"created"`
	Label   string    `json:"label,omitempty"`
}

// KeyInfo describes one passphrase that unlocks the store.
type KeyInfo struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	Label   string    `json:"label,omitempty"`
	Current bool      `json:"current"` // this passphrase unlocked the store
}

func kek(pass, salt []byte, p kdfParams) []byte {
	return argon2.IDKey(pass, salt, p.Time, p.MemoryKiB, p.Threads, KeySize)
}

func newSlot(id, pass, master []byte, p kdfParams) (*slot, error) {
	if len(pass) == 0 {
		return nil, errors.New("passphrase must not be empty")
	}
	s := &slot{id: id, params: p, salt: make([]byte, saltSize)}
	if _, err := rand.Read(s.salt); err != nil {
		return nil, err
	}
	k := kek(pass, s.salt, p)
	defer clear(k)
	var err error
	s.wrapped, err = SealRecord(k, bucketSlots, id, master)
	return s, err
}

func (s *slot) encode() []byte {
	b := make([]byte, 0, slotSize)
	b = append(b, slotVersion, kdfArgon2id)
	b = binary.BigEndian.AppendUint32(b, s.params.Time)
	b = binary.BigEndian.AppendUint32(b, s.params.MemoryKiB)
	b = append(b, s.params.Threads)
	b = append(b, s.salt...)
	return append(b, s.wrapped...)
}

func decodeSlot(id, b []byte) (*slot, error) {
	if len(id) != slotIDSize {
		return nil, errors.New("key slot id has the wrong size")
	}
	if len(b) != slotSize {
		return nil, errors.New("key slot has the wrong size")
	}
	if b[0] != slotVersion || b[1] != kdfArgon2id {
		return nil, errors.New("key slot has an unknown format")
	}
	p := kdfParams{
		Time:      binary.BigEndian.Uint32(b[2:]),
		MemoryKiB: binary.BigEndian.Uint32(b[6:]),
		Threads:   b[10],
	}
	if p.Time < 1 || p.Time > maxKDFTime || p.Threads < 1 || p.Threads > maxKDFThreads ||
		p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxKDFMemoryKiB {
		return nil, errors.New("key slot has invalid argon2id parameters")
	}
	return &slot{
		id:      bytes.Clone(id),
		params:  p,
		salt:    bytes.Clone(b[11 : 11+saltSize]),
		wrapped: bytes.Clone(b[slotHeaderSize:]),
	}, nil
}

// unwrap returns the master key if pass opens this slot.
func (s *slot) unwrap(pass []byte) ([]byte, bool) {
	k := kek(pass, s.salt, s.params)
	defer clear(k)
	master, err := OpenRecord(k, bucketSlots, s.id, s.wrapped)
	if err != nil || len(master) != KeySize {
		return nil, false
	}
	return master, true
}

// readSlots returns the key slots, and a description of any that cannot be
// parsed.
func readSlots(tx *bbolt.Tx, path string) (slots []*slot, bad []string, err error) {
	b := tx.Bucket(bucketSlots)
	if b == nil {
		return nil, nil, corrupt(path, "no key slots")
	}
	err = b.ForEach(func(k, v []byte) error {
		s, err := decodeSlot(k, v)
		if err != nil {
			bad = append(bad, fmt.Sprintf("key slot %x: %v", k, err))
			return nil
		}
		slots = append(slots, s)
		return nil
	})
	return slots, bad, err
}

// hasNewerSlot reports whether a key slot has a version after the one
// this fieldscreen writes: a newer fieldscreen made it.
func hasNewerSlot(tx *bbolt.Tx) bool {
	newer := false
	tx.Bucket(bucketSlots).ForEach(func(k, v []byte) error {
		if len(v) > 0 && v[0] > slotVersion {
			newer = true
		}
		return nil
	})
	return newer
}

// unlock tries pass on every slot.
func unlock(slots []*slot, pass []byte) (master []byte, slotID []byte, ok bool) {
	for _, s := range slots {
		if m, ok := s.unwrap(pass); ok {
			return m, s.id, true
		}
	}
	return nil, nil, false
}

func (s *Store) putSlot(tx *bbolt.Tx, sl *slot, info *slotInfo) error {
	if err := s.put(tx, bucketSlots, sl.id, sl.encode()); err != nil {
		return err
	}
	if info == nil {
		return nil
	}
	js, err := json.Marshal(info)
	if err != nil {
		return err
	}
	sealed, err := sealWith(s.k.aead, bucketSlotInfo, sl.id, pad(js, 128))
	if err != nil {
		return err
	}
	return s.put(tx, bucketSlotInfo, sl.id, sealed)
}

// AddKey adds a passphrase that unlocks the store and returns its slot ID.
func (s *Store) AddKey(newPass []byte) (string, error) {
	return s.AddLabeledKey(newPass, "")
}

// AddLabeledKey is AddKey with a label (sealed, since it may be a name).
func (s *Store) AddLabeledKey(newPass []byte, label string) (string, error) {
	id := make([]byte, slotIDSize)
	if _, err := rand.Read(id); err != nil {
		return "", err
	}
	master, err := s.masterKey()
	if err != nil {
		return "", err
	}
	slots, err := s.slots()
	if err != nil {
		return "", err
	}
	// A second slot for a passphrase already in use would outlive a
	// 'key change' of the first: refuse it.
	if opens(slots, newPass, nil) != nil {
		return "", ErrKeyInUse
	}
	// Derive before taking the file: argon2 is slow.
	sl, err := newSlot(id, newPass, master, defaultKDF)
	if err != nil {
		return "", err
	}
	err = s.update(func(h *handle, tx *bbolt.Tx) error {
		if tx.Bucket(bucketSlots).Get(id) != nil {
			return errors.New("key slot id collision; try again")
		}
		for _, old := range slots {
			if !bytes.Equal(tx.Bucket(bucketSlots).Get(old.id), old.encode()) {
				return errors.New("the passphrases were changed by another process meanwhile; try again")
			}
		}
		return s.putSlot(tx, sl, &slotInfo{Created: time.Now().UTC(), Label: label})
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(id), nil
}

// ListKeys lists the passphrases (key slots) that unlock the store, oldest
// first.
func (s *Store) ListKeys() ([]KeyInfo, error) {
	var out []KeyInfo
	err := s.view(func(h *handle, tx *bbolt.Tx) error {
		slots, _, err := readSlots(tx, s.path)
		if err != nil {
			return err
		}
		info := tx.Bucket(bucketSlotInfo)
		for _, sl := range slots {
			ki := KeyInfo{ID: hex.EncodeToString(sl.id), Current: bytes.Equal(sl.id, s.slot)}
			if v := info.Get(sl.id); v != nil {
				pt, err := openWith(s.k.aead, bucketSlotInfo, sl.id, v)
				if err != nil {
					return corrupt(s.path, "key slot %s: %v", ki.ID, err)
				}
				var si slotInfo
				if err := json.Unmarshal(pt, &si); err != nil {
					return corrupt(s.path, "key slot %s: %v", ki.ID, safeDecodeError(err))
				}
				ki.Created, ki.Label = si.Created, si.Label
			}
			out = append(out, ki)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b KeyInfo) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, err
}

// RemoveKey removes a passphrase. It refuses to remove the last one. The
// store is compacted afterwards so the removed slot's wrapped key does not
// stay in a free page.
func (s *Store) RemoveKey(slotID string) error {
	id, err := hex.DecodeString(slotID)
	if err != nil || len(id) != slotIDSize {
		return ErrNoKey
	}
	return s.updateAndRewrite(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketSlots)
		if b.Get(id) == nil {
			return ErrNoKey
		}
		if b.Stats().KeyN <= 1 {
			return ErrLastKey
		}
		if err := s.del(tx, bucketSlots, id); err != nil {
			return err
		}
		return s.del(tx, bucketSlotInfo, id)
	})
}

// ChangePassphrase re-wraps the master key under a new passphrase in the
// slot that oldPass opens; no record is re-encrypted (Rotate does that).
// Should oldPass open more than one slot (an earlier version let the same
// passphrase be added twice), all of them go, so the old passphrase stops
// working: the store's current slot, or else the first, is kept under the
// new passphrase. A newPass that already opens another slot is refused.
// The old wrappings are erased from the file (see erase.go), so the old
// passphrase stops working even for someone who reads the raw file.
func (s *Store) ChangePassphrase(oldPass, newPass []byte) error {
	master, err := s.masterKey()
	if err != nil {
		return err
	}
	defer clear(master)
	slots, err := s.slots()
	if err != nil {
		return err
	}
	var targets []*slot
	for _, sl := range slots {
		if m, ok := sl.unwrap(oldPass); ok {
			same := subtle.ConstantTimeCompare(m, master) == 1
			clear(m)
			if same {
				targets = append(targets, sl)
			}
		}
	}
	if len(targets) == 0 {
		return ErrWrongPassphrase
	}
	if opens(slots, newPass, targets) != nil {
		return ErrKeyInUse
	}
	keep := targets[0]
	for _, t := range targets {
		if bytes.Equal(t.id, s.slot) {
			keep = t
		}
	}
	repl, err := newSlot(keep.id, newPass, master, defaultKDF)
	if err != nil {
		return err
	}
	return s.updateAndRewrite(func(tx *bbolt.Tx) error {
		for _, t := range targets {
			if !bytes.Equal(tx.Bucket(bucketSlots).Get(t.id), t.encode()) {
				return errors.New("the passphrase was changed by another process meanwhile; try again")
			}
			if t == keep {
				continue
			}
			if err := s.del(tx, bucketSlots, t.id); err != nil {
				return err
			}
			if err := s.del(tx, bucketSlotInfo, t.id); err != nil {
				return err
			}
		}
		return s.putSlot(tx, repl, nil)
	})
}

// slots reads the key slots.
func (s *Store) slots() ([]*slot, error) {
	var slots []*slot
	err := s.view(func(h *handle, tx *bbolt.Tx) error {
		var err error
		slots, _, err = readSlots(tx, s.path)
		return err
	})
	return slots, err
}

// opens returns a slot other than those in except that pass opens.
func opens(slots []*slot, pass []byte, except []*slot) *slot {
	for _, sl := range slots {
		if slices.Contains(except, sl) {
			continue
		}
		if m, ok := sl.unwrap(pass); ok {
			clear(m)
			return sl
		}
	}
	return nil
}
