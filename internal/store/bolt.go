package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"fieldscreen/internal/tempfile"
)

// lockTimeout is how long an operation waits for another fieldscreen
// process to finish its transaction before reporting ErrInUse. Other
// processes hold the file only for one transaction, so a wait this long
// means something else is holding it.
const lockTimeout = time.Second

// compactTxSize bounds the memory a compaction uses per transaction.
const compactTxSize = 32 << 20

var errEmptyFile = errors.New("file is empty")

// handle is the bbolt file opened for one operation.
type handle struct {
	path string
	db   *bbolt.DB
	file *os.File    // the file bbolt opened, closed directly if bbolt panics
	fi   os.FileInfo // identity of that file when it was opened
}

// openBolt opens the store file for one operation. It validates the header
// first so bbolt never sees (and, read-write, never writes to) a file whose
// meta pages or freelist are damaged. It never creates the file.
func openBolt(path string, readOnly bool) (*handle, error) { return openBoltSized(path, readOnly, 0) }

// openBoltSized is openBolt with an initial memory map of at least
// mmapSize bytes: a transaction that grows the file by much (an import)
// then needs no remapping, each of which copies every value the
// transaction has touched.
func openBoltSized(path string, readOnly bool, mmapSize int) (*handle, error) {
	for attempt := 0; ; attempt++ {
		if _, err := validateHeader(path); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%w: %s", ErrNotFound, path)
			}
			if errors.Is(err, ErrNotRegular) {
				return nil, err
			}
			if errors.Is(err, ErrCorrupt) && attempt == 0 {
				// Perhaps a torn read of a page another process was
				// writing at that instant: look once more.
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return nil, fmt.Errorf("cannot read the interview store: %w", err)
		}
		h := &handle{path: path}
		opts := &bbolt.Options{
			Timeout:  lockTimeout,
			ReadOnly: readOnly,
			OpenFile: h.openFile,
		}
		if mmapSize > 0 && !readOnly && runtime.GOOS != "windows" {
			// On Windows bbolt would grow the file itself to the map's size.
			opts.InitialMmapSize = mmapSize
		}
		err := h.guard(func() error {
			db, err := bbolt.Open(path, 0o600, opts)
			h.db = db
			return err
		})
		if h.replaced() && attempt < 5 {
			// Another process compacted the store and renamed a new file
			// into place while we waited for the lock on the old one.
			h.close()
			continue
		}
		if err != nil {
			h.close()
			return nil, h.openError(err)
		}
		return h, nil
	}
}

func (h *handle) openError(err error) error {
	switch {
	case errors.Is(err, ErrCorrupt), errors.Is(err, ErrNotRegular):
		return err
	case errors.Is(err, berrors.ErrTimeout):
		return ErrInUse
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: %s", ErrNotFound, h.path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot open the interview store: %w", err)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, errEmptyFile):
		return &CorruptError{Path: h.path, Detail: err}
	default:
		return fmt.Errorf("cannot open the interview store: %w", err)
	}
}

// openFile is bbolt's OpenFile hook. It strips O_CREATE so that a store
// deleted under our feet is reported, not silently recreated empty, and
// refuses an empty file, which bbolt would initialise.
func (h *handle) openFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	f, err := openFileNoWait(name, flag&^os.O_CREATE, perm)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
	case !fi.Mode().IsRegular():
		err = &NotFileError{Path: name, Mode: fi.Mode()}
	case fi.Size() == 0:
		err = errEmptyFile
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	h.file, h.fi = f, fi
	return f, nil
}

// replaced reports whether the path no longer names the file we opened.
func (h *handle) replaced() bool {
	if h.fi == nil {
		return false
	}
	fi, err := os.Stat(h.path)
	return err != nil || !os.SameFile(fi, h.fi)
}

// guard runs fn, which calls into bbolt, and turns a bbolt panic or a
// memory fault on the mapped file into a *CorruptError. After a panic bbolt
// may still hold its internal locks, so the handle is abandoned.
func (h *handle) guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			h.abandon()
			err = &CorruptError{Path: h.path, Detail: fmt.Errorf("bbolt: %v", r)}
		}
	}()
	return fn()
}

// abandon gives up on a handle after a bbolt panic, making sure the file
// lock is released. Closing the file alone would not do: the mapping keeps the open file, and
// with it the lock, alive. So try a normal Close (bbolt's deferred rollback
// has usually released its locks), and if it does not finish, drop the
// lock by hand and leak the mapping.
func (h *handle) abandon() {
	db := h.db
	h.db = nil
	if db != nil {
		done := make(chan bool, 1)
		go func() {
			defer func() {
				if recover() != nil {
					done <- false
				}
			}()
			db.Close()
			done <- true
		}()
		select {
		case ok := <-done:
			if ok {
				return
			}
		case <-time.After(lockTimeout):
		}
	}
	if h.file != nil {
		unlockFile(h.file)
		h.file.Close()
	}
}

func (h *handle) close() error {
	if h == nil || h.db == nil {
		return nil
	}
	db := h.db
	return h.guard(func() error {
		h.db = nil
		return db.Close()
	})
}

// view runs fn in a read transaction.
func (h *handle) view(fn func(tx *bbolt.Tx) error) error {
	return h.guard(func() error { return h.db.View(fn) })
}

// update runs fn in a write transaction, committed and fsynced before it
// returns.
func (h *handle) update(fn func(tx *bbolt.Tx) error) error {
	return h.guard(func() error { return h.db.Update(fn) })
}

// userPanic carries a panic from a caller's callback out through bbolt, so
// that it is not mistaken for a damaged file; it is re-raised once the file
// is closed.
type userPanic struct{ v any }

func (p *userPanic) Error() string { return fmt.Sprintf("panic in callback: %v", p.v) }

func callUser(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &userPanic{r}
		}
	}()
	return fn()
}

func repanic(err error) error {
	var up *userPanic
	if errors.As(err, &up) {
		panic(up.v)
	}
	return err
}

// rewrite compacts the store into a new file in the same folder and renames
// it over the old one, so the file holds no free pages. h must be open
// read-write: its lock keeps other processes out until the new file is in
// place. The old file is then overwritten with zeros (best effort: flash
// storage and journaling file systems may keep copies) and h is closed.
// The new file has no name until it is complete where the system allows
// (see tempfile), so a compaction killed half-way leaves nothing behind.
func (h *handle) rewrite() (err error) {
	dir := filepath.Dir(h.path)
	prefix := compactPrefix(h.path)
	// A compaction killed while its copy had a name leaves a full copy
	// behind. The lock h holds means no other compaction of this store is
	// running, so any such copy is stale: erase it, or data erased from
	// the store since would live on in it.
	removeStaleCopies(dir, prefix)
	tmp, err := createTemp(dir, prefix+"*")
	if err != nil {
		return fmt.Errorf("cannot compact the interview store: %w", pathless(err))
	}
	done := false
	defer func() {
		if !done {
			tmp.Discard()
		}
	}()
	// bbolt opens the file again by its path (/proc/self/fd/N for a
	// nameless one).
	dst, err := bbolt.Open(tmp.Path(), 0o600, &bbolt.Options{Timeout: lockTimeout})
	if err != nil {
		return fmt.Errorf("cannot compact the interview store: %w", err)
	}
	err = h.guard(func() error { return bbolt.Compact(dst, h.db, compactTxSize) })
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = tmp.Sync()
	}
	if err != nil {
		return fmt.Errorf("cannot compact the interview store: %w", pathless(err))
	}

	if runtime.GOOS == "windows" {
		// Windows cannot rename over an open file.
		h.close()
	}
	done = true
	if err := tmp.Replace(h.path); err != nil {
		return fmt.Errorf("cannot compact the interview store: %w", err)
	}
	syncDir(dir)
	h.scrub()
	return h.close()
}

// pathless drops a temporary file's name from an error: the reason is
// what the person needs.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// createTemp makes a compaction's new file; tests replace it to fail as
// a full disk or a read-only folder would.
var createTemp = func(dir, pattern string) (*tempfile.File, error) {
	return tempfile.Create(dir, pattern, "")
}

// scrub overwrites the old, now unlinked, store file with zeros.
func (h *handle) scrub() {
	if h.db == nil || h.file == nil {
		return
	}
	fi, err := h.file.Stat()
	if err != nil {
		return
	}
	zeros := make([]byte, 1<<20)
	for off := int64(0); off < fi.Size(); off += int64(len(zeros)) {
		n := min(int64(len(zeros)), fi.Size()-off)
		if _, err := h.file.WriteAt(zeros[:n], off); err != nil {
			return
		}
	}
	h.file.Sync()
}

func syncPath(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a rename durable. Not possible on Windows, where the
// rename is durable by itself.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// removeStaleCopies overwrites with zeros and removes the leftovers of
// interrupted compactions (best effort, like scrub).
func removeStaleCopies(dir, prefix string) {
	names, _ := filepath.Glob(filepath.Join(dir, globEscape(prefix)+"*"))
	for _, name := range names {
		if f, err := os.OpenFile(name, os.O_WRONLY, 0); err == nil {
			if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
				zeros := make([]byte, 64<<10)
				for left := fi.Size(); left > 0; left -= int64(len(zeros)) {
					n := int64(len(zeros))
					if left < n {
						n = left
					}
					if _, err := f.Write(zeros[:n]); err != nil {
						break
					}
				}
				f.Sync()
			}
			f.Close()
		}
		os.Remove(name)
	}
}

// globEscape quotes the characters filepath.Glob treats specially.
func globEscape(s string) string {
	if runtime.GOOS == "windows" {
		return s // no escaping there; a name with * or ? only widens the match to other leftovers
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteRune('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
