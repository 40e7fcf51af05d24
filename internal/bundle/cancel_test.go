package bundle

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
)

// cancelling is a Source that cancels the export's context once it has
// handed out after interviews (counting both walks of the store).
type cancelling struct {
	*store.Store
	after  int
	n      int
	cancel context.CancelFunc
}

func (c *cancelling) Each(ctx context.Context, status record.Status, fn func(iv *record.Interview) error) error {
	return c.Store.Each(ctx, status, func(iv *record.Interview) error {
		c.n++
		if c.n == c.after {
			c.cancel()
		}
		return fn(iv)
	})
}

// TestExportCancelled: an export whose context is cancelled while it
// writes (Ctrl-C) stops, returns the context's error and leaves no file,
// plain or encrypted, under any name in the folder.
func TestExportCancelled(t *testing.T) {
	st := newStore(t)
	fill(t, st, 6)
	for _, encrypted := range []bool{false, true} {
		for _, after := range []int{2, 6 + 3} { // in the first walk, in the second
			dir := t.TempDir()
			opt := plainOpts(filepath.Join(dir, "b.json"))
			if encrypted {
				opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(t, fixedIdentity(t))}
			}
			ctx, cancel := context.WithCancel(context.Background())
			rep, err := Export(ctx, &cancelling{Store: st, after: after, cancel: cancel}, Selection{}, opt)
			cancel()
			if !errors.Is(err, context.Canceled) || rep != nil {
				t.Fatalf("encrypted=%v, cancelled after %d: %v, %v", encrypted, after, rep, err)
			}
			if left := listDir(t, dir); len(left) != 0 {
				t.Fatalf("encrypted=%v, cancelled after %d: left %v", encrypted, after, left)
			}
		}
	}
}

// TestImportCancelled: an import or a verify whose context is cancelled
// returns the context's error and stores nothing.
func TestImportCancelled(t *testing.T) {
	src := newStore(t)
	fill(t, src, 4)
	path := filepath.Join(t.TempDir(), "b.json")
	exportBundle(t, src, plainOpts(path))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dst := newStore(t)
	if _, err := Import(ctx, dst, path, nil, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("import: %v", err)
	}
	if got := all(t, dst); len(got) != 0 {
		t.Fatalf("a cancelled import stored %d interviews", len(got))
	}
	if _, err := Verify(ctx, path, nil, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("verify: %v", err)
	}
	// Not cancelled, the same bundle imports whole.
	if rep, err := Import(context.Background(), dst, path, nil, ""); err != nil || len(rep.Added) != 4 {
		t.Fatalf("import: %v, %v", rep, err)
	}
}
