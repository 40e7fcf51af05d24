//go:build !unix

package store

import "os"

// unlockFile: on Windows closing the handle releases bbolt's lock.
func unlockFile(*os.File) {}
