package store

import (
	"bytes"
	"cmp"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
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

// begin registers an operation so that Close waits for it; end must follow.
func (s *Store) begin() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	s.ops.Add(1)
	return nil
}

func (s *Store) end() { s.ops.Done() }

// beginWrite is begin for writers: it also waits its turn, but no longer
// than another process would be waited for.
func (s *Store) beginWrite() error {
	if err := s.begin(); err != nil {
		return err
	}
	select {
	case s.wsem <- struct{}{}:
		return nil
	case <-time.After(lockTimeout):
		s.end()
		return ErrInUse
	}
}

func (s *Store) endWrite() {
	s.writes.Add(1)
	<-s.wsem
	s.end()
}

func (s *Store) masterKey() ([]byte, error) {
	if err := s.begin(); err != nil {
		return nil, err
	}
	defer s.end()
	return bytes.Clone(s.master), nil
}

// withFile opens the file for one operation and closes it again.
func withFile(path string, readOnly bool, fn func(h *handle) error) error {
	return withFileSized(path, readOnly, 0, fn)
}

func withFileSized(path string, readOnly bool, mmapSize int, fn func(h *handle) error) error {
	h, err := openBoltSized(path, readOnly, mmapSize)
	if err != nil {
		return err
	}
	err = fn(h)
	if cerr := h.close(); err == nil {
		err = cerr
	}
	return repanic(err)
}

func (s *Store) view(fn func(h *handle, tx *bbolt.Tx) error) error {
	if err := s.begin(); err != nil {
		return err
	}
	defer s.end()
	return s.withFileSized(true, 0, func(h *handle) error {
		return h.view(func(tx *bbolt.Tx) error {
			if err := checkLayout(tx, s.path); err != nil {
				return err
			}
			if err := s.checkKey(tx); err != nil {
				return err
			}
			return fn(h, tx)
		})
	})
}

func (s *Store) update(fn func(h *handle, tx *bbolt.Tx) error) error {
	return s.updateGrowing(0, fn)
}

// updateGrowing is update for a transaction expected to add about grow
// bytes to the file: the file is mapped large enough from the start.
func (s *Store) updateGrowing(grow int64, fn func(h *handle, tx *bbolt.Tx) error) error {
	if err := s.beginWrite(); err != nil {
		return err
	}
	defer s.endWrite()
	mmap := 0
	if grow > 0 {
		if fi, err := os.Stat(s.path); err == nil {
			mmap = int(min(fi.Size()+2*grow, 16<<30))
		}
	}
	return s.withFileSized(false, mmap, func(h *handle) error {
		return h.update(func(tx *bbolt.Tx) error {
			if err := checkLayout(tx, s.path); err != nil {
				return err
			}
			if err := s.checkKey(tx); err != nil {
				return err
			}
			return s.withDigest(tx, func() error { return fn(h, tx) })
		})
	})
}

// updateAndRewrite runs fn, which removes data, in a write transaction,
// then overwrites the freed pages and compacts the file, all while holding
// it (see erase.go). A failed compaction is not the operation's failure:
// what fn removed is overwritten by then; it goes to OnNotCompacted.
func (s *Store) updateAndRewrite(fn func(tx *bbolt.Tx) error) error {
	return s.updateAndErase(fn, false)
}

func (s *Store) updateAndErase(fn func(tx *bbolt.Tx) error, strict bool) error {
	if err := s.beginWrite(); err != nil {
		return err
	}
	defer s.endWrite()
	return s.withFileSized(false, 0, func(h *handle) error {
		err := h.update(func(tx *bbolt.Tx) error {
			if err := checkLayout(tx, s.path); err != nil {
				return err
			}
			if err := s.checkKey(tx); err != nil {
				return err
			}
			if err := s.withDigest(tx, func() error { return fn(tx) }); err != nil {
				return err
			}
			return markErase(tx)
		})
		if err != nil {
			return err
		}
		if err := h.erase(); err != nil {
			return fmt.Errorf("the change is saved, but overwriting what it removed failed (%w); run 'fieldscreen compact' to finish", err)
		}
		if err := h.rewrite(); err != nil {
			if strict {
				return err
			}
			if s.notCompacted != nil {
				s.notCompacted(&Compacted{Err: err})
			}
		}
		return nil
	})
}

// Compact overwrites the store file's free pages, erases the copies
// interrupted compactions left beside it, and rewrites it without free
// pages. Delete, RemoveKey and ChangePassphrase do all this themselves;
// Compact is for a compaction that could not be done then (a full disk)
// or that was interrupted.
func (s *Store) Compact() error {
	return s.updateAndErase(func(tx *bbolt.Tx) error { return nil }, true)
}

// canonicalID parses an interview ID.
func canonicalID(id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return "", fmt.Errorf("%w: %q is not an interview id", ErrNoInterview, id)
	}
	return u.String(), nil
}

func (s *Store) getInterview(tx *bbolt.Tx, id string) (*Interview, error) {
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

func (s *Store) decodeInterview(key, sealed []byte) (*Interview, error) {
	return s.reader().interview(key, sealed)
}

// decodeInterview decodes a record's plaintext: the binary form, or the
// JSON of records written before it.
func decodeInterview(pt []byte) (*Interview, error) {
	var d binDecoder
	return d.decodeInterview(pt)
}

func (d *binDecoder) decodeInterview(pt []byte) (*Interview, error) {
	if len(pt) > 0 && pt[0] == binInterviewV1 {
		body, err := binBody(pt, binInterviewV1)
		if err != nil {
			return nil, err
		}
		return d.interview(body)
	}
	return decodeJSON(pt)
}

// decodeJSON decodes the JSON plaintext of an interview record.
func decodeJSON(pt []byte) (*Interview, error) {
	iv := new(Interview)
	if err := json.Unmarshal(pt, iv); err != nil {
		return nil, safeDecodeError(err)
	}
	return iv, nil
}

func (s *Store) decodeEntry(key, sealed []byte) (*Entry, error) {
	e := new(Entry)
	if err := s.reader().entry(key, sealed, e); err != nil {
		return nil, err
	}
	return e, nil
}

func (d *binDecoder) decodeEntry(pt []byte, e *Entry) error {
	if len(pt) > 0 && pt[0] == binEntryV1 {
		body, err := binBody(pt, binEntryV1)
		if err != nil {
			return err
		}
		return d.entry(body, e)
	}
	*e = Entry{}
	if err := json.Unmarshal(pt, e); err != nil {
		return safeDecodeError(err)
	}
	return nil
}

// recReader decrypts and decodes records, reusing its buffers from one
// record to the next: one per goroutine.
type recReader struct {
	aead   cipher.AEAD
	pt, ad []byte
	dec    binDecoder
}

func (s *Store) reader() *recReader { return &recReader{aead: s.k.aead} }

func (r *recReader) open(bucket, key, sealed []byte) ([]byte, error) {
	pt, err := openInto(r.aead, r.pt, &r.ad, bucket, key, sealed)
	if err != nil {
		return nil, err
	}
	r.pt = pt[:0]
	return pt, nil
}

func (r *recReader) interview(key, sealed []byte) (*Interview, error) {
	pt, err := r.open(bucketInterviews, key, sealed)
	if err != nil {
		return nil, err
	}
	defer clear(pt) // decoded strings are copies
	return r.dec.decodeInterview(pt)
}

func (r *recReader) entry(key, sealed []byte, e *Entry) error {
	pt, err := r.open(bucketIndex, key, sealed)
	if err != nil {
		return err
	}
	defer clear(pt)
	return r.dec.decodeEntry(pt, e)
}

// putInterview seals iv and its index entry; iv must be normalized.
func (s *Store) putInterview(tx *bbolt.Tx, iv *Interview) error {
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
func (s *Store) Put(iv *Interview) error {
	if iv.ID == "" {
		id, err := NewID()
		if err != nil {
			return err
		}
		iv.ID = id
	}
	if err := iv.normalize(time.Now().UTC()); err != nil {
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
func (s *Store) Update(id string, fn func(iv *Interview) error) (*Interview, error) {
	return s.modify(id, fn, true)
}

// Annotate is Update for bookkeeping that does not change the interview
// itself (an audit event, its status after an export): UpdatedAt is kept,
// so 'purge --older-than' still counts from the last real change.
func (s *Store) Annotate(id string, fn func(iv *Interview) error) (*Interview, error) {
	return s.modify(id, fn, false)
}

func (s *Store) modify(id string, fn func(iv *Interview) error, touch bool) (*Interview, error) {
	id, err := canonicalID(id)
	if err != nil {
		return nil, err
	}
	var out *Interview
	err = s.update(func(h *handle, tx *bbolt.Tx) error {
		iv, err := s.getInterview(tx, id)
		if err != nil {
			return err
		}
		iv.repairText() // what older versions let in; fn's text is checked
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
		if err := iv.normalize(now); err != nil {
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
func (s *Store) Get(id string) (*Interview, error) {
	id, err := canonicalID(id)
	if err != nil {
		return nil, err
	}
	var iv *Interview
	err = s.view(func(h *handle, tx *bbolt.Tx) error {
		iv, err = s.getInterview(tx, id)
		return err
	})
	return iv, err
}

// entries decrypts the whole index. A damaged index record costs only
// itself: its entry is rebuilt from the interview record when that reads,
// else it is left out; either way it is in the DamagedRecords returned.
func (s *Store) entries(tx *bbolt.Tx) ([]Entry, []DamagedRecord, error) {
	b := tx.Bucket(bucketIndex)
	// Not sized by b.Stats(): that reads every page of the bucket once
	// more, and maps it (see unmapper).
	var out []Entry
	var bad []DamagedRecord
	r := s.reader()
	u := newUnmapper(tx, indexMapped)
	err := b.ForEach(func(k, v []byte) error {
		u.read(v)
		out = append(out, Entry{})
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
func (s *Store) List(status Status) ([]Entry, error) {
	var all []Entry
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
	slices.SortFunc(out, func(a, b Entry) int {
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

// Each calls fn for every interview with the given status ("" for all),
// oldest first. Interviews are read a batch at a time, each batch in its
// own short read transaction, and fn runs outside them: memory stays flat,
// other processes can write between batches, and fn may write too. An
// interview deleted meanwhile is skipped. An error from fn stops the walk.
//
// Reading, decrypting and decoding run on another goroutine, a little
// ahead of fn, so a consumer that hands interviews to other cores is not
// kept waiting; fn itself is called from one goroutine at a time, in
// order. As before, a batch is read before fn sees its first interview,
// so fn does not see its own changes to later interviews of that batch.
func (s *Store) Each(status Status, fn func(iv *Interview) error) error {
	refs, lost, err := s.eachRefs(status)
	if err != nil {
		return err
	}
	if err := s.each(refs, fn); err != nil {
		return err
	}
	if len(lost) > 0 {
		return &DamagedError{Path: s.path, Records: lost}
	}
	return nil
}

func (s *Store) each(refs []eachRef, fn func(iv *Interview) error) error {
	var (
		ch   chan eachChunk
		stop chan struct{}
	)
	start := func(from int) {
		ch, stop = make(chan eachChunk, 4), make(chan struct{})
		go s.readAhead(refs, from, ch, stop)
	}
	halt := func() {
		// Let the reader finish, so it never touches the file after Each
		// has returned.
		close(stop)
		for range ch {
		}
	}
	start(0)
	defer func() { halt() }()
	reread := -1 // the batch read again; once is enough, even if writes go on
	for {
		c, ok := <-ch
		if !ok {
			return nil
		}
		if c.err != nil {
			return c.err
		}
		if c.first && c.from != reread && s.writes.Load() != c.writes {
			// This process wrote (fn did, most likely) since the batch
			// was read: read it again, so that fn's changes to the
			// interviews to come are seen.
			reread = c.from
			halt()
			start(c.from)
			continue
		}
		for _, iv := range c.ivs {
			if err := fn(iv); err != nil {
				return err
			}
		}
	}
}

// eachChunk is a run of decoded interviews, or the error that ends the walk.
type eachChunk struct {
	ivs    []*Interview
	err    error
	first  bool   // the first chunk of a batch
	from   int    // where in refs the batch starts
	writes uint64 // Store.writes when the batch was read
}

// Each reads up to eachBatch interviews per read transaction, copying
// their sealed bytes (about 4 KB each, so some 16 MB) out of the file, and
// decrypts and decodes them after the transaction, passing them on
// eachChunkSize at a time. The transaction stays short (it only copies:
// some 20 ms), and decoded interviews never pile up. Each transaction
// opens and maps the file afresh, and the records lie scattered across it,
// so most of a batch's cost is page faults: the more records a batch
// reads, the more of them share a page already mapped (see unmapper).
var (
	eachBatch     = 4096
	eachBatchSize = 16 << 20 // sealed bytes per batch, at most (about)
)

const eachChunkSize = 64

// How much of the file a scan keeps mapped (see unmapper). A walk through
// the index in key order gains nothing from more; Each's batches share
// pages between records the more they keep.
const (
	indexMapped = 8 << 20
	eachMapped  = 32 << 20
)

// readAhead reads and decodes the interviews refs name, in order, and
// sends them on ch, which it closes at the end or after the first error.
func (s *Store) readAhead(all []eachRef, from int, ch chan<- eachChunk, stop <-chan struct{}) {
	defer close(ch)
	send := func(c eachChunk) bool {
		select {
		case ch <- c:
			return true
		case <-stop:
			return false
		}
	}
	r := s.reader()
	var slab []byte
	var spans []span
	for from < len(all) {
		select {
		case <-stop:
			return
		default:
		}
		refs := all[from:]
		writes := s.writes.Load()
		var n int
		var err error
		slab, spans, n, err = s.readSealed(refs, slab[:0], spans[:0])
		if err != nil {
			send(eachChunk{err: err})
			return
		}
		first := true
		emit := func(ivs []*Interview) bool {
			ok := send(eachChunk{ivs: ivs, first: first, from: from, writes: writes})
			first = false
			return ok
		}
		chunk := make([]*Interview, 0, eachChunkSize)
		for i, sp := range spans {
			if sp.start < 0 {
				continue // deleted since the index was read
			}
			ref := &refs[i]
			iv, err := r.interview(ref.key[:], slab[sp.start:sp.end])
			if err == nil && iv.ID != ref.id.String() {
				err = corrupt(s.path, "interview %s: record holds another interview", ref.id)
			} else if err != nil {
				err = &CorruptError{Path: s.path, Detail: fmt.Errorf("interview %s: %w", ref.id, err)}
			}
			if err != nil {
				send(eachChunk{err: err})
				return
			}
			chunk = append(chunk, iv)
			if len(chunk) == eachChunkSize {
				if !emit(chunk) {
					return
				}
				chunk = make([]*Interview, 0, eachChunkSize)
			}
		}
		clear(slab) // sealed, but no need to keep it about
		if (len(chunk) > 0 || first) && !emit(chunk) {
			return
		}
		from += n
	}
}

// span locates a record's sealed bytes in readSealed's slab; start is -1
// for a record that no longer exists.
type span struct{ start, end int }

const unread = -2 // a span readSealed stopped before

// readSealed copies the sealed records of the first interviews of refs
// (up to eachBatch of them, or about eachBatchSize bytes) into slab in one read
// transaction, and says how many it read.
func (s *Store) readSealed(refs []eachRef, slab []byte, spans []span) ([]byte, []span, int, error) {
	n := min(len(refs), eachBatch)
	// Look the keys up in key order: neighbouring lookups share B-tree pages.
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return bytes.Compare(refs[a].key[:], refs[b].key[:]) })
	spans = slices.Grow(spans[:0], n)[:n]
	for i := range spans {
		spans[i] = span{unread, unread}
	}
	err := s.view(func(h *handle, tx *bbolt.Tx) error {
		ivs, index := tx.Bucket(bucketInterviews), tx.Bucket(bucketIndex)
		u := newUnmapper(tx, indexMapped)
		for _, i := range order {
			if len(slab) >= eachBatchSize && spans[0].start != unread {
				break // enough for now; the first interview is read, so the walk moves on
			}
			key := refs[i].key[:]
			v := ivs.Get(key)
			if v == nil {
				if index.Get(key) != nil {
					return corrupt(s.path, "interview %s is listed but its record is missing", refs[i].id)
				}
				spans[i] = span{-1, -1}
				continue
			}
			spans[i] = span{len(slab), len(slab) + len(v)}
			slab = append(slab, v...)
			u.read(v)
		}
		return nil
	})
	// What is passed on is the run, in Each's order, read in full; the
	// rest is read again with the next batch.
	for i, sp := range spans {
		if sp.start == unread {
			n = i
			break
		}
	}
	return slab, spans[:n], n, err
}

// eachRef is what Each keeps of an index entry until it reads the
// interview: no strings or pointers, so 100,000 of them are a few MB the
// garbage collector need not scan.
type eachRef struct {
	sec  int64 // CreatedAt
	nsec int32
	id   uuid.UUID
	key  [16]byte // the record's bucket key
}

func (a *eachRef) compare(b *eachRef) int {
	if c := cmp.Compare(a.sec, b.sec); c != 0 {
		return c
	}
	if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
		return c
	}
	return bytes.Compare(a.id[:], b.id[:]) // the order of the canonical IDs
}

// eachRefs reads the index for Each: the interviews with the given status,
// oldest first. A damaged index record is rebuilt from its interview
// record when that reads (see entries); the others are returned as lost.
func (s *Store) eachRefs(status Status) ([]eachRef, []DamagedRecord, error) {
	var refs []eachRef
	var bad []DamagedRecord
	err := s.view(func(h *handle, tx *bbolt.Tx) error {
		b := tx.Bucket(bucketIndex)
		r := s.reader()
		u := newUnmapper(tx, eachMapped)
		var e Entry
		return b.ForEach(func(k, v []byte) error {
			u.read(v)
			err := r.entry(k, v, &e)
			var id uuid.UUID
			if err == nil {
				id, err = uuid.Parse(e.ID)
				if err == nil && id.String() != e.ID {
					err = errors.New("not an interview id")
				}
			}
			if err != nil {
				re, d, ok := s.recoverEntry(tx, r, k)
				if ok {
					id, err = uuid.Parse(re.ID)
				}
				if !ok || err != nil {
					d.ID, d.Recovered = "", false
					bad = append(bad, d)
					return nil
				}
				bad = append(bad, d)
				e = re
			}
			if status != "" && e.Status != status {
				return nil
			}
			ref := eachRef{sec: e.CreatedAt.Unix(), nsec: int32(e.CreatedAt.Nanosecond()), id: id}
			if len(k) == len(ref.key) {
				copy(ref.key[:], k)
			} else {
				copy(ref.key[:], s.k.recKey("interview", e.ID))
			}
			refs = append(refs, ref)
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	s.noteDamage(bad)
	var lost []DamagedRecord
	for _, d := range bad {
		if !d.Recovered {
			lost = append(lost, d)
		}
	}
	slices.SortFunc(refs, func(a, b eachRef) int { return a.compare(&b) })
	return slices.Clip(refs), lost, nil
}

// PutFlow keeps the source of a flow once per hash, sealed. Storing the
// same hash again with the same source does nothing.
func (s *Store) PutFlow(hash string, source []byte) error {
	if hash == "" {
		return errors.New("flow hash must not be empty")
	}
	return s.update(func(h *handle, tx *bbolt.Tx) error {
		_, err := s.putFlow(tx, hash, source)
		return err
	})
}

var errFlowConflict = errors.New("a different flow is already stored under this hash")

// putFlow reports whether the flow was new; a different source under the
// same hash is an error.
func (s *Store) putFlow(tx *bbolt.Tx, hash string, source []byte) (bool, error) {
	key := s.k.recKey("flow", hash)
	b := tx.Bucket(bucketFlows)
	if v := b.Get(key); v != nil {
		old, err := openWith(s.k.aead, bucketFlows, key, v)
		if err != nil {
			return false, corrupt(s.path, "flow %s: %v", hash, err)
		}
		if !bytes.Equal(old, source) {
			return false, fmt.Errorf("%w: %s", errFlowConflict, hash)
		}
		return false, nil
	}
	sealed, err := sealWith(s.k.aead, bucketFlows, key, source)
	if err != nil {
		return false, err
	}
	return true, s.put(tx, bucketFlows, key, sealed)
}

// Flow returns the source of the flow with the given hash, or ErrNoFlow.
func (s *Store) Flow(hash string) ([]byte, error) {
	var out []byte
	err := s.view(func(h *handle, tx *bbolt.Tx) error {
		key := s.k.recKey("flow", hash)
		v := tx.Bucket(bucketFlows).Get(key)
		if v == nil {
			return fmt.Errorf("%w: %s", ErrNoFlow, hash)
		}
		var err error
		out, err = openWith(s.k.aead, bucketFlows, key, v)
		if err != nil {
			return corrupt(s.path, "flow %s: %v", hash, err)
		}
		return nil
	})
	return out, err
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

// Import adds interviews and flows from another store or device in one
// transaction: if any interview is invalid, nothing is imported. An
// interview whose ID is already here with identical content is skipped;
// with different content it is a conflict and the stored one is kept.
// A flow hash already stored with different content is a conflict named
// "flow:<hash>". The interviews are stored as given (normalized); adding an
// "imported" audit event is the caller's choice.
func (s *Store) Import(ivs []*Interview, flows map[string][]byte) (added, skipped, conflicts []string, err error) {
	return s.ImportMany(ivs, flows)
}
