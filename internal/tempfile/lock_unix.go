//go:build unix

package tempfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockFile marks a named temporary file as being written by a live
// process; the lock goes with the process.
func lockFile(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) }

// inUse reports whether a live process holds the file's lock.
func inUse(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return err == unix.EWOULDBLOCK
	}
	unix.Flock(int(f.Fd()), unix.LOCK_UN)
	return false
}
