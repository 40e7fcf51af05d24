//go:build unix

package store

import (
	"os"
	"syscall"
)

// openFileNoWait opens path like os.OpenFile, but a named pipe put at
// the path does not make it wait for a writer: the caller then sees that
// it is not a regular file and refuses it. O_NONBLOCK changes nothing for
// a regular file.
func openFileNoWait(path string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(path, flag|syscall.O_NONBLOCK, perm)
}
