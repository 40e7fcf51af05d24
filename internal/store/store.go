package store

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
)

// Buckets. Their names are fixed and say nothing about anyone; their keys
// are random slot IDs or keyed hashes of interview IDs and flow hashes.
var (
	bucketMeta       = []byte("meta")
	bucketSlots      = []byte("keyslots")
	bucketSlotInfo   = []byte("keyinfo")
	bucketInterviews = []byte("interviews")
	bucketIndex      = []byte("index")
	bucketFlows      = []byte("flows")

	allBuckets = [][]byte{bucketMeta, bucketSlots, bucketSlotInfo, bucketInterviews, bucketIndex, bucketFlows}

	metaFormatKey = []byte("format")
	formatV1      = []byte("fieldscreen-store-1")
)

// currentFormat is the newest store format this version reads (and the
// one it writes; see digest.go for format 2).
const currentFormat = 2

// newerFormat reports whether f names a store format after
// currentFormat: a file a newer fieldscreen wrote, not a damaged one.
func newerFormat(f []byte) (int, bool) {
	rest, ok := bytes.CutPrefix(f, []byte("fieldscreen-store-"))
	if !ok || len(rest) == 0 || len(rest) > 6 {
		return 0, false
	}
	n := 0
	for _, c := range rest {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n > currentFormat
}

// Record padding: sealed sizes are rounded up to these, so they do not
// give away the length of answers or names.
const (
	padInterview = 512
	padEntry     = 256
)

// Store is an unlocked interview store. It keeps the master key in memory
// and opens the file only for the length of each operation. A Store is safe
// for use by several goroutines: its writers take turns; readers share.
type Store struct {
	path string
	// wsem serialises this process's writers. A channel, not a mutex, so
	// that a write started from inside an Update or Each callback fails
	// with ErrInUse instead of deadlocking.
	wsem chan struct{}
	// writes counts this process's write operations, so that Each can
	// tell whether a batch it read ahead may miss one of fn's changes.
	writes atomic.Uint64

	mu     sync.RWMutex   // guards closed
	closed bool           // no new operations; keys are cleared once ops drain
	ops    sync.WaitGroup // operations in flight
	master []byte
	k      *keys
	slot   []byte // the key slot that unlocked the store

	dmg damage // damaged index records met so far (see OnDamage)

	patience patience // how long to wait for another process (see SetLockWait)

	notCompacted func(error) // see OnNotCompacted

	dg *txDigest // the digest of the write transaction under way (digest.go)
}

// Exists reports whether anything is at path, so the CLI can choose
// between Open and Create. Create refuses an existing path even if empty.
func Exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// Path returns the store file's path.
func (s *Store) Path() string { return s.path }

// Create makes a new store at path, protected by passphrase. The folder is
// created (mode 0700) if missing; the file is mode 0600. It refuses to
// overwrite anything already at path.
func Create(path string, passphrase []byte) (*Store, error) {
	if len(passphrase) == 0 {
		return nil, errors.New("passphrase must not be empty")
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the store folder: %w", err)
	}
	if Exists(path) {
		return nil, fmt.Errorf("%w: %s", ErrExists, path)
	}
	master := make([]byte, KeySize)
	if _, err := rand.Read(master); err != nil {
		return nil, err
	}
	slotID := make([]byte, slotIDSize)
	if _, err := rand.Read(slotID); err != nil {
		return nil, err
	}
	sl, err := newSlot(slotID, passphrase, master, defaultKDF)
	if err != nil {
		return nil, err
	}
	s, err := newStore(path, master, slotID)
	if err != nil {
		return nil, err
	}

	// Build the store in a temporary file and link it into place, so a
	// crash never leaves a half-made store at path.
	tmp, err := os.CreateTemp(dir, ".fieldscreen-new-*")
	if err != nil {
		return nil, fmt.Errorf("cannot create the store: %w", err)
	}
	name := tmp.Name()
	tmp.Close()
	defer os.Remove(name)
	db, err := bbolt.Open(name, 0o600, &bbolt.Options{Timeout: lockTimeout})
	if err != nil {
		return nil, fmt.Errorf("cannot create the store: %w", err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucket(b); err != nil {
				return err
			}
		}
		m := tx.Bucket(bucketMeta)
		if err := m.Put(metaFormatKey, formatV2); err != nil {
			return err
		}
		if err := m.Put(metaKeyCheckKey, s.k.check); err != nil {
			return err
		}
		s.dg = s.k.newDigest()
		defer func() { s.dg = nil }()
		if err := s.putSlot(tx, sl, &slotInfo{Created: time.Now().UTC()}); err != nil {
			return err
		}
		return s.saveDigest(tx, s.dg)
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncPath(name)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot create the store: %w", err)
	}
	if err := os.Link(name, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrExists, path)
		}
		// No hard links on this file system: rename, after checking again.
		if Exists(path) {
			return nil, fmt.Errorf("%w: %s", ErrExists, path)
		}
		if err := os.Rename(name, path); err != nil {
			return nil, fmt.Errorf("cannot create the store: %w", err)
		}
	}
	syncDir(dir)
	return s, nil
}

func newStore(path string, master, slotID []byte) (*Store, error) {
	k, err := deriveKeys(master)
	if err != nil {
		return nil, err
	}
	return &Store{path: path, wsem: make(chan struct{}, 1), master: master, k: k, slot: slotID}, nil
}

// Open unlocks the store at path. It returns ErrNotFound if there is no
// file (the CLI may offer to create one), ErrWrongPassphrase if no key slot
// opens with passphrase, ErrCorrupt for a damaged file and ErrInUse if
// another process holds it. The file is only read, unless a process that
// died left an erasure unfinished or a compaction's copy behind: Open then
// finishes the erasure and erases the copy (see erase.go).
func Open(path string, passphrase []byte) (*Store, error) {
	return open(path, passphrase, true)
}

// open is Open; with maintain, it also finishes what a process that died
// left undone (see maintenance), which writes to the file.
func open(path string, passphrase []byte, maintain bool) (*Store, error) {
	path, err := resolvePath(path)
	if err != nil {
		return nil, err
	}
	var slots []*slot
	var bad []string
	var newerSlots bool
	var m maintenance
	err = withFile(path, true, func(h *handle) error {
		return h.view(func(tx *bbolt.Tx) error {
			if err := checkLayout(tx, path); err != nil {
				return err
			}
			var err error
			slots, bad, err = readSlots(tx, path)
			if err == nil {
				newerSlots = hasNewerSlot(tx)
				m.erase = eraseMarked(tx)
				m.migrate = bytes.Equal(tx.Bucket(bucketMeta).Get(metaFormatKey), formatV1)
			}
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	// The file is closed again before the slow key derivation.
	master, slotID, ok := unlock(slots, passphrase)
	// argon2id's work area (64 MiB) is garbage now: give it back at once.
	// Otherwise the collector waits for the heap to double it (128 MiB)
	// before it runs, and a long read keeps the memory for good.
	debug.FreeOSMemory()
	if !ok {
		if len(slots) == 0 {
			if newerSlots {
				return nil, fmt.Errorf("%w (its key slots have a format this version does not know)", ErrNewerStore)
			}
			return nil, corrupt(path, "no usable key slot (%s)", strings.Join(bad, "; "))
		}
		return nil, ErrWrongPassphrase
	}
	s, err := newStore(path, master, slotID)
	if err != nil {
		return nil, err
	}
	if maintain {
		m.copies = leftoverCopies(path)
		// Best effort; what is left undone, Check reports.
		s.finish(m)
	}
	return s, nil
}

// checkLayout makes sure the file is a fieldscreen store this version
// can read.
func checkLayout(tx *bbolt.Tx, path string) error {
	m := tx.Bucket(bucketMeta)
	if m == nil {
		return corrupt(path, "not a fieldscreen store")
	}
	if f := m.Get(metaFormatKey); !bytes.Equal(f, formatV2) && !bytes.Equal(f, formatV1) {
		if n, ok := newerFormat(f); ok {
			return fmt.Errorf("%w (store format %d; this version reads format %d and earlier)", ErrNewerStore, n, currentFormat)
		}
		return corrupt(path, "unknown store format")
	}
	for _, b := range allBuckets {
		if tx.Bucket(b) == nil {
			return corrupt(path, "missing bucket %q", b)
		}
	}
	return nil
}

// Close forgets the keys, once operations in flight have finished. The
// Store cannot be used afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	already := s.closed
	s.closed = true
	s.mu.Unlock()
	if already {
		return nil
	}
	s.ops.Wait()
	clear(s.master)
	clear(s.k.idKey)
	clear(s.k.digestKey)
	s.master, s.k = nil, nil
	return nil
}
