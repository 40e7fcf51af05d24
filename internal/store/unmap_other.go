//go:build !linux

package store

import "go.etcd.io/bbolt"

// unmapper gives back mapped pages a scan has read; only Linux needs it
// (see unmap_linux.go).
type unmapper struct{}

func newUnmapper(tx *bbolt.Tx, budget int) *unmapper { return nil }

func (u *unmapper) read(v []byte) {}
