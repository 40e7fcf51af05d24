//go:build !unix

package store

import "os"

func openFileNoWait(path string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(path, flag, perm)
}
