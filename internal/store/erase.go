package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"go.etcd.io/bbolt"
)

// Erasing for good. bbolt never changes a page in place: it writes a new
// copy and marks the old one free, where the old bytes stay until the page
// is reused. So an operation that removes data (deleting interviews,
// removing or changing a passphrase) is three steps, each one durable
// before the next:
//
//  1. the change, in a write transaction that also sets the erase marker
//     in the meta bucket;
//  2. every free page overwritten with zeros and synced (wipeFree): this
//     needs no new disk space and no write access to the folder, so a full
//     disk or a read-only folder cannot stop it;
//  3. a transaction that clears the marker.
//
// Then the file is compacted into a new one (only to make it smaller; the
// erasure no longer depends on it). A process killed between 1 and 3
// leaves the marker set, and the next Open (or 'fieldscreen compact')
// wipes again; Check reports a marker still set.

var metaEraseKey = []byte("erase")

// markErase is called in the transaction that removes data.
func markErase(tx *bbolt.Tx) error {
	return tx.Bucket(bucketMeta).Put(metaEraseKey, []byte{1})
}

func eraseMarked(tx *bbolt.Tx) bool {
	m := tx.Bucket(bucketMeta)
	return m != nil && m.Get(metaEraseKey) != nil
}

// erase overwrites the free pages and clears the marker. h must be open
// read-write, with no transaction open.
func (h *handle) erase() error {
	if err := h.wipeFree(); err != nil {
		return err
	}
	return h.update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Delete(metaEraseKey) })
}

// wipeFree overwrites with zeros every page the newest meta page's
// freelist names, and syncs. Those are the pages no transaction can read
// any more (this handle holds the file's only lock), including the ones
// the last transaction freed: only the older meta page still points at
// those, and bbolt itself overwrites them in the next transaction.
func (h *handle) wipeFree() error {
	if h.file == nil {
		return errors.New("the store file is not open")
	}
	hdr, err := readHeader(h.file, h.path)
	if err != nil {
		return err
	}
	ps := int64(hdr.pageSize)
	const run = 64 // pages written at once
	zeros := make([]byte, run*ps)
	free := hdr.free
	for i := 0; i < len(free); {
		j := i + 1
		for j < len(free) && j-i < run && free[j] == free[j-1]+1 {
			j++
		}
		if _, err := h.file.WriteAt(zeros[:int64(j-i)*ps], int64(free[i])*ps); err != nil {
			return err
		}
		i = j
	}
	return h.file.Sync()
}

// compactPrefix starts the names of a compaction's new file: a nameless
// file gets it only for the instant between being linked and renamed over
// the store, a named one (no O_TMPFILE) for the whole compaction.
func compactPrefix(path string) string { return "." + filepath.Base(path) + ".compact-" }

// leftoverCopies lists the files interrupted compactions left beside the
// store at path: full copies of it, which may hold what was erased since.
func leftoverCopies(path string) []string {
	names, _ := filepath.Glob(filepath.Join(filepath.Dir(path), globEscape(compactPrefix(path))+"*"))
	var out []string
	for _, n := range names {
		if fi, err := os.Lstat(n); err == nil && fi.Mode().IsRegular() {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// maintenance is what Open found to do: an erasure a process that died
// left unfinished, copies left by compactions, a format 1 store to
// migrate (see digest.go).
type maintenance struct {
	erase   bool
	copies  []string
	migrate bool
}

func (m maintenance) needed() bool { return m.erase || len(m.copies) > 0 || m.migrate }

// finish does what m lists, holding the file. Best effort: a store in use
// by another process or on a read-only disk is left for the next time (and
// Check says so).
func (s *Store) finish(m maintenance) error {
	if !m.needed() {
		return nil
	}
	if err := s.beginWrite(); err != nil {
		return err
	}
	defer s.endWrite()
	return s.withFileSized(false, 0, func(h *handle) error {
		// Under the lock no compaction is running, so every copy is stale.
		removeStaleCopies(filepath.Dir(h.path), compactPrefix(h.path))
		marked, old := false, false
		err := h.view(func(tx *bbolt.Tx) error {
			if err := checkLayout(tx, s.path); err != nil {
				return err
			}
			marked = eraseMarked(tx)
			old = bytes.Equal(tx.Bucket(bucketMeta).Get(metaFormatKey), formatV1)
			return nil
		})
		if err != nil {
			return err
		}
		if old {
			err := h.update(func(tx *bbolt.Tx) error {
				return s.withDigest(tx, func() error { return nil })
			})
			if err != nil {
				return err
			}
		}
		if marked {
			return h.erase()
		}
		return nil
	})
}

// Compacted is the error OnNotCompacted hands over: what was removed is
// overwritten, but the store file could not be rewritten smaller.
type Compacted struct{ Err error }

func (e *Compacted) Error() string {
	return fmt.Sprintf("the store file could not be compacted (%v); what was removed is overwritten all the same", e.Err)
}

func (e *Compacted) Unwrap() error { return e.Err }

// OnNotCompacted sets fn to be told when a delete, or a passphrase change
// or removal, erased what it removed but could not then compact the file
// (a full disk, a read-only folder): the operation succeeded, and
// 'fieldscreen compact' can shrink the file later. fn must not use the
// Store.
func (s *Store) OnNotCompacted(fn func(err error)) { s.notCompacted = fn }
