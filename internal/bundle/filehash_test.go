package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"
)

// TestImportHashesTheFileItReads: the first reading gives FileHash every
// byte of the file, to its end (plaintext or encrypted, and bytes after
// the bundle too), so a signature checked before the import is checked
// again on what the import read; FileChecked's refusal stores nothing.
func TestImportHashesTheFileItReads(t *testing.T) {
	st := newStore(t)
	fill(t, st, 3)
	for _, enc := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "b")
		opt := plainOpts(path)
		var ids []age.Identity
		if enc {
			opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(t, fixedIdentity(t))}
			ids = []age.Identity{fixedIdentity(t)}
		}
		data, _ := exportBundle(t, st, opt)
		if !enc {
			// Trailing blank lines are no part of the JSON, yet part of
			// the file a signature covers.
			data = append(data, "\n\n\n"...)
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}

		h := sha256.New()
		dst := newStore(t)
		refuse := errors.New("the file read is not the file checked")
		before := storeBytes(t, dst)
		_, err := ImportWith(context.Background(), dst, path, ImportOptions{Identities: ids, FileHash: h,
			FileChecked: func() error { return refuse }})
		if !errors.Is(err, refuse) {
			t.Fatalf("encrypted %v: a refusing FileChecked gave %v", enc, err)
		}
		if !bytes.Equal(storeBytes(t, dst), before) {
			t.Fatalf("encrypted %v: a refused import changed the store", enc)
		}
		want := sha256.Sum256(data)
		if !bytes.Equal(h.Sum(nil), want[:]) {
			t.Fatalf("encrypted %v: FileHash was not given the whole file", enc)
		}

		h.Reset()
		rep, err := ImportWith(context.Background(), dst, path, ImportOptions{Identities: ids, FileHash: h,
			FileChecked: func() error {
				if !bytes.Equal(h.Sum(nil), want[:]) {
					return refuse
				}
				return nil
			}})
		if err != nil || len(rep.Added) != 3 {
			t.Fatalf("encrypted %v: import of the file checked: %v", enc, err)
		}
	}
}

// storeBytes reads a store's file.
func storeBytes(t *testing.T, st interface{ Path() string }) []byte {
	t.Helper()
	b, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	return b
}
