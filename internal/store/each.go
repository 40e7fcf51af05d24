package store

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

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
// A cancelled ctx stops the walk before the next interview (the reader
// has stopped too when Each returns) with ctx.Err().
func (s *Store) Each(ctx context.Context, status record.Status, fn func(iv *record.Interview) error) error {
	refs, lost, err := s.eachRefs(status)
	if err != nil {
		return err
	}
	if err := s.each(ctx, refs, fn); err != nil {
		return err
	}
	if len(lost) > 0 {
		return &DamagedError{Path: s.path, Records: lost}
	}
	return nil
}

func (s *Store) each(ctx context.Context, refs []eachRef, fn func(iv *record.Interview) error) error {
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
		var c eachChunk
		var ok bool
		select {
		case c, ok = <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
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
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(iv); err != nil {
				return err
			}
		}
	}
}

// eachChunk is a run of decoded interviews, or the error that ends the walk.
type eachChunk struct {
	ivs    []*record.Interview
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
		emit := func(ivs []*record.Interview) bool {
			ok := send(eachChunk{ivs: ivs, first: first, from: from, writes: writes})
			first = false
			return ok
		}
		chunk := make([]*record.Interview, 0, eachChunkSize)
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
				chunk = make([]*record.Interview, 0, eachChunkSize)
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
func (s *Store) eachRefs(status record.Status) ([]eachRef, []DamagedRecord, error) {
	var refs []eachRef
	var bad []DamagedRecord
	err := s.view(func(h *handle, tx *bbolt.Tx) error {
		b := tx.Bucket(bucketIndex)
		r := s.reader()
		u := newUnmapper(tx, eachMapped)
		var e record.Entry
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
