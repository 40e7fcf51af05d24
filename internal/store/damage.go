package store

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// DamagedRecord is an index record that does not decrypt or decode (a
// flipped bit, a torn page). The index only repeats what each interview's
// own record holds, so when that record still reads, the interview is
// listed from it (Recovered) and nothing is lost; otherwise the interview
// is missing from lists and walks, and only its key names it.
type DamagedRecord struct {
	Key       string // the record's key in hex: random-looking, says nothing about anyone
	ID        string // the interview's ID, when its own record still reads
	Recovered bool   // listed from the interview record itself
}

// Name is how a message names the record: the interview's short ID (as
// 'fieldscreen list' prints it) when known, else the start of its key.
func (d DamagedRecord) Name() string {
	if d.ID != "" {
		return "interview " + d.ID[len(d.ID)-8:]
	}
	return "record " + d.Key[:min(len(d.Key), 8)]
}

// DamagedError is returned by Each, after every readable interview has
// been walked, when index records could not be read and their interviews
// could not be recovered. It matches ErrCorrupt.
type DamagedError struct {
	Path    string
	Records []DamagedRecord
}

func (e *DamagedError) Error() string {
	names := make([]string, len(e.Records))
	for i, d := range e.Records {
		names[i] = d.Name()
	}
	return fmt.Sprintf("%v (%s: %d unreadable index record(s): %v); run 'fieldscreen check' for details", ErrCorrupt, e.Path, len(e.Records), names)
}

func (e *DamagedError) Is(target error) bool { return target == ErrCorrupt }

// damage is what a Store has seen of damaged index records, and whom to
// tell.
type damage struct {
	mu     sync.Mutex
	seen   map[string]DamagedRecord
	notify func(DamagedRecord)
}

// OnDamage sets fn to be called, once per record, when a read meets a
// damaged index record (see DamagedRecord). fn must not use the Store.
func (s *Store) OnDamage(fn func(DamagedRecord)) {
	s.dmg.mu.Lock()
	s.dmg.notify = fn
	s.dmg.mu.Unlock()
}

// Damaged returns the damaged index records this Store has met so far,
// in key order.
func (s *Store) Damaged() []DamagedRecord {
	s.dmg.mu.Lock()
	defer s.dmg.mu.Unlock()
	out := make([]DamagedRecord, 0, len(s.dmg.seen))
	for _, d := range s.dmg.seen {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b DamagedRecord) int { return bytes.Compare([]byte(a.Key), []byte(b.Key)) })
	return out
}

// noteDamage records ds and tells the OnDamage function of those new.
func (s *Store) noteDamage(ds []DamagedRecord) {
	if len(ds) == 0 {
		return
	}
	s.dmg.mu.Lock()
	if s.dmg.seen == nil {
		s.dmg.seen = map[string]DamagedRecord{}
	}
	var fresh []DamagedRecord
	for _, d := range ds {
		if _, ok := s.dmg.seen[d.Key]; !ok {
			s.dmg.seen[d.Key] = d
			fresh = append(fresh, d)
		}
	}
	fn := s.dmg.notify
	s.dmg.mu.Unlock()
	if fn != nil {
		for _, d := range fresh {
			fn(d)
		}
	}
}

// recoverEntry rebuilds the index entry under key k from the interview
// record itself, when that one reads and is filed under its own key.
func (s *Store) recoverEntry(tx *bbolt.Tx, r *recReader, k []byte) (record.Entry, DamagedRecord, bool) {
	d := DamagedRecord{Key: hex.EncodeToString(k)}
	v := tx.Bucket(bucketInterviews).Get(k)
	if v == nil {
		return record.Entry{}, d, false
	}
	iv, err := r.interview(k, v)
	if err != nil || !bytes.Equal(k, s.k.recKey("interview", iv.ID)) {
		return record.Entry{}, d, false
	}
	d.ID, d.Recovered = iv.ID, true
	return iv.Entry(), d, true
}
