package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"slices"
)

// bbolt panics inside Open, and may write to the file, when its meta or
// freelist pages are damaged. Before bbolt sees a file we read those pages
// ourselves, the way bbolt lays them out (go.etcd.io/bbolt/internal/common),
// and refuse anything that does not add up.

const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16 // id u64, flags u16, count u16, overflow u32
	metaSize         = 64 // see common.Meta
	metaChecksummed  = 56 // the checksum covers the meta up to itself
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	freelistPageFlag = 0x10
	noFreelist       = ^uint64(0)
	minPageSize      = 1024
	maxPageSize      = 1 << 16
)

var ne = binary.NativeEndian // bbolt writes its structs in memory order

type boltMeta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	pgid     uint64
	txid     uint64
}

// parseMeta reads a meta page that starts at buf[0].
func parseMeta(buf []byte) (boltMeta, error) {
	if len(buf) < pageHeaderSize+metaSize {
		return boltMeta{}, errors.New("too short")
	}
	m := buf[pageHeaderSize : pageHeaderSize+metaSize]
	if ne.Uint32(m[0:]) != boltMagic {
		return boltMeta{}, errors.New("no bbolt magic number")
	}
	if ne.Uint32(m[4:]) != boltVersion {
		return boltMeta{}, errors.New("unsupported bbolt version")
	}
	h := fnv.New64a()
	h.Write(m[:metaChecksummed])
	if h.Sum64() != ne.Uint64(m[56:]) {
		return boltMeta{}, errors.New("checksum mismatch")
	}
	return boltMeta{
		pageSize: ne.Uint32(m[8:]),
		root:     ne.Uint64(m[16:]),
		freelist: ne.Uint64(m[32:]),
		pgid:     ne.Uint64(m[40:]),
		txid:     ne.Uint64(m[48:]),
	}, nil
}

// header is what validateHeader learned about a file.
type header struct {
	size     int64
	pageSize int
	meta     boltMeta
	// metaErr holds why a meta page was unusable although the file is
	// still readable from the other one; Check reports it.
	metaErr [2]error
	// free lists the pages the newest meta page's freelist names: free
	// pages and those the last transaction freed, sorted.
	free []uint64
}

// validateHeader checks the meta pages, the root page header and the
// freelist of the bbolt file at path without modifying it. A missing file
// gives an error matching os.ErrNotExist; everything else wrong gives a
// *CorruptError.
func validateHeader(path string) (*header, error) {
	f, err := openFileNoWait(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readHeader(f, path)
}

// readHeader is validateHeader on an open file.
func readHeader(f *os.File, path string) (*header, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &NotFileError{Path: path, Mode: fi.Mode()}
	}
	h := &header{size: fi.Size()}
	if h.size == 0 {
		return nil, corrupt(path, "file is empty")
	}

	buf := make([]byte, pageHeaderSize+metaSize)
	readMeta := func(off int64) (boltMeta, error) {
		if off+int64(len(buf)) > h.size {
			return boltMeta{}, errors.New("beyond end of file")
		}
		if _, err := f.ReadAt(buf, off); err != nil {
			return boltMeta{}, err
		}
		return parseMeta(buf)
	}

	m0, err0 := readMeta(0)
	var m1 boltMeta
	var err1 error
	if err0 == nil {
		m1, err1 = readMeta(int64(m0.pageSize))
	} else {
		// Like bbolt, guess the page size to find the second meta page.
		err1 = errors.New("not found")
		for ps := int64(minPageSize); ps <= maxPageSize && ps < h.size; ps <<= 1 {
			if m, err := readMeta(ps); err == nil && int64(m.pageSize) == ps {
				m1, err1 = m, nil
				break
			}
		}
	}
	h.metaErr = [2]error{err0, err1}
	switch {
	case err0 != nil && err1 != nil:
		return nil, corrupt(path, "no valid bbolt meta page (first: %v; second: %v)", err0, err1)
	case err0 == nil && (err1 != nil || m0.txid >= m1.txid):
		h.meta = m0
	default:
		h.meta = m1
	}
	m := h.meta
	ps := int64(m.pageSize)
	if ps < minPageSize || ps > maxPageSize || ps&(ps-1) != 0 {
		return nil, corrupt(path, "unsupported page size %d", ps)
	}
	h.pageSize = int(ps)
	if h.size%ps != 0 {
		// bbolt only ever grows the file by whole pages.
		return nil, corrupt(path, "file is truncated: %d bytes is not a whole number of %d-byte pages", h.size, ps)
	}
	if m.pgid < 4 || m.pgid > uint64(h.size/ps) {
		return nil, corrupt(path, "file is truncated: %d bytes, but %d pages of %d bytes in use", h.size, m.pgid, ps)
	}
	if m.root < 2 || m.root >= m.pgid {
		return nil, corrupt(path, "root page %d out of range", m.root)
	}
	if m.freelist == noFreelist {
		return nil, corrupt(path, "file has no freelist; fieldscreen always writes one")
	}
	if m.freelist < 2 || m.freelist >= m.pgid {
		return nil, corrupt(path, "freelist page %d out of range", m.freelist)
	}

	pageHeader := func(id uint64) (flags, count uint16, overflow uint32, err error) {
		var b [pageHeaderSize]byte
		if _, err := f.ReadAt(b[:], int64(id)*ps); err != nil {
			return 0, 0, 0, err
		}
		if got := ne.Uint64(b[0:]); got != id {
			return 0, 0, 0, fmt.Errorf("page %d claims to be page %d", id, got)
		}
		flags, count, overflow = ne.Uint16(b[8:]), ne.Uint16(b[10:]), ne.Uint32(b[12:])
		if id+uint64(overflow) >= m.pgid {
			return 0, 0, 0, fmt.Errorf("page %d overflows the file", id)
		}
		return flags, count, overflow, nil
	}

	flags, _, _, err := pageHeader(m.root)
	if err != nil {
		return nil, corrupt(path, "root page: %v", err)
	}
	if flags != branchPageFlag && flags != leafPageFlag {
		return nil, corrupt(path, "root page %d has page type %#x", m.root, flags)
	}

	flags, count, overflow, err := pageHeader(m.freelist)
	if err != nil {
		return nil, corrupt(path, "freelist: %v", err)
	}
	if flags != freelistPageFlag {
		return nil, corrupt(path, "freelist page %d has page type %#x", m.freelist, flags)
	}
	if h.free, err = checkFreelist(f, m, ps, count, overflow); err != nil {
		return nil, corrupt(path, "freelist: %v", err)
	}
	return h, nil
}

// checkFreelist makes sure every free page ID is a real data page: bbolt
// would otherwise hand out, and overwrite, a meta page or live data.
// It returns the free page IDs, sorted.
func checkFreelist(f *os.File, m boltMeta, ps int64, count uint16, overflow uint32) ([]uint64, error) {
	avail := (int64(overflow)+1)*ps - pageHeaderSize
	off := int64(m.freelist)*ps + pageHeaderSize
	n := int64(count)
	if count == 0xFFFF {
		var b [8]byte
		if _, err := f.ReadAt(b[:], off); err != nil {
			return nil, err
		}
		n = int64(ne.Uint64(b[:]))
		off += 8
		avail -= 8
	}
	if n < 0 || n > avail/8 {
		return nil, fmt.Errorf("%d free pages do not fit in the freelist page", n)
	}
	r := io.NewSectionReader(f, off, n*8)
	ids := make([]uint64, n)
	if err := binary.Read(r, ne, ids); err != nil {
		return nil, err
	}
	slices.Sort(ids) // bbolt sorts on load too
	prev := uint64(1)
	for _, id := range ids {
		if id <= prev || id >= m.pgid || id == m.root || (id >= m.freelist && id <= m.freelist+uint64(overflow)) {
			return nil, fmt.Errorf("free page id %d is invalid", id)
		}
		prev = id
	}
	return ids, nil
}
