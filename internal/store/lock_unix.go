//go:build unix

package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// unlockFile drops the flock bbolt took on f.
func unlockFile(f *os.File) {
	unix.Flock(int(f.Fd()), unix.LOCK_UN)
}
