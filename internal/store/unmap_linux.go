//go:build linux

package store

import (
	"syscall"
	"unsafe"

	"go.etcd.io/bbolt"
)

// bbolt reads the file through a shared read-only mapping, and every page
// a transaction touches counts towards the process's resident memory until
// the file is closed. Worse, on a read fault Linux maps not just the page
// but the cached pages around it (fault_around_bytes, 64 KiB: 16 pages),
// whatever madvise(MADV_RANDOM), which bbolt sets, says. A scan of records
// spread across the file maps 64 KiB for every record it reads: listing
// 100,000 interviews took 500 MB of resident file pages.
//
// An unmapper bounds that: once a scan has touched its budget of windows
// it gives back the whole mapping with madvise(MADV_DONTNEED). On a shared
// file mapping that only drops page table entries; the page cache and the
// file are untouched, and a later read faults the page in again. Dropping
// costs about what closing the file would have cost anyway; what it adds
// is faulting in again the pages read after it that were mapped before.
type unmapper struct {
	base, end uintptr        // the mapping, as far as this transaction sees the file
	ptr       unsafe.Pointer // base, once a value has shown where it is
	last      uintptr        // the window read last
	n, budget int            // windows read since the last drop, and how many may be
}

// faultWindow is Linux's default fault_around_bytes.
const faultWindow = 64 << 10

// newUnmapper lets a scan in tx keep about budget bytes of the file mapped.
func newUnmapper(tx *bbolt.Tx, budget int) *unmapper {
	base := tx.DB().Info().Data
	return &unmapper{base: base, end: base + uintptr(tx.Size()), budget: max(budget/faultWindow, 1)}
}

// read notes that the scan has read v, a slice of the mapping.
func (u *unmapper) read(v []byte) {
	if len(v) == 0 {
		return
	}
	p := unsafe.Pointer(unsafe.SliceData(v))
	a := uintptr(p)
	if a < u.base || a+uintptr(len(v)) > u.end {
		return // not in the mapping
	}
	if u.ptr == nil {
		u.ptr = unsafe.Add(p, -int(a-u.base))
	}
	w := a &^ (faultWindow - 1)
	if w == u.last {
		return
	}
	u.last = w
	if u.n++; u.n < u.budget {
		return
	}
	u.n = 0
	// Best effort: an error only means the pages stay mapped until the
	// file is closed.
	syscall.Madvise(unsafe.Slice((*byte)(u.ptr), u.end-u.base), syscall.MADV_DONTNEED)
}
