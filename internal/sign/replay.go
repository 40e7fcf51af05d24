package sign

import (
	"bytes"
	"fmt"

	"github.com/google/uuid"

	"fieldscreen/internal/store"
)

// The IDs of the bundles a store imported, one 16-byte UUID after
// another, sealed in the store (store.SealedImported).

// Imported reports whether the bundle with this ID was imported into st
// before.
func Imported(st *store.Store, bundleID string) (bool, error) {
	u, err := uuid.Parse(bundleID)
	if err != nil {
		return false, fmt.Errorf("bad bundle ID")
	}
	b, err := st.Sealed(store.SealedImported)
	if err != nil {
		return false, err
	}
	return containsID(b, u), nil
}

// RememberImport records that the bundle with this ID was imported.
func RememberImport(st *store.Store, bundleID string) error {
	u, err := uuid.Parse(bundleID)
	if err != nil {
		return fmt.Errorf("bad bundle ID")
	}
	return st.SetSealed(store.SealedImported, func(old []byte) ([]byte, error) {
		if len(old)%16 != 0 {
			return nil, fmt.Errorf("the store's list of imported bundles is damaged")
		}
		if containsID(old, u) {
			return old, nil
		}
		return append(bytes.Clone(old), u[:]...), nil
	})
}

func containsID(b []byte, u uuid.UUID) bool {
	for i := 0; i+16 <= len(b); i += 16 {
		if bytes.Equal(b[i:i+16], u[:]) {
			return true
		}
	}
	return false
}
