package bundle

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/store"
)

// legacySource hands out the store's interviews as an older fieldscreen
// could have kept them: with bytes that are not UTF-8 (a name typed in a
// Latin-1 terminal), or with an answer to a question the flow lacks.
type legacySource struct {
	*store.Store
	change func(iv *record.Interview)
}

func (l *legacySource) Each(ctx context.Context, status record.Status, fn func(iv *record.Interview) error) error {
	return l.Store.Each(ctx, status, func(iv *record.Interview) error {
		l.change(iv)
		return fn(iv)
	})
}

// TestExportLatin1Imports: one non-UTF-8 byte used to make the whole
// bundle unimportable (interviews_sha256 no longer matched), after
// --purge-after-export had erased the laptop's copy. The bundle now
// carries U+FFFD and imports, and Export has decoded it as Import does.
func TestExportLatin1Imports(t *testing.T) {
	st := newStore(t)
	f := builtin(t)
	at := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		recordOne(t, st, f, examples[1+i%2], at.Add(time.Duration(i)*time.Minute), true)
	}
	src := &legacySource{Store: st, change: func(iv *record.Interview) {
		iv.Interviewer = "Jos\xe9 Mar\xeda"
		iv.Audit[0].Interviewer = "Jos\xe9"
	}}
	for _, enc := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "b.json")
		opt := plainOpts(path)
		var ids []age.Identity
		if enc {
			opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(t, fixedIdentity(t))}
			ids = []age.Identity{fixedIdentity(t)}
		}
		rep, err := Export(context.Background(), src, Selection{}, opt)
		if err != nil {
			t.Fatalf("export: %v", err)
		}
		if !rep.Verified || !rep.Importable {
			t.Fatalf("report: verified %v, importable %v", rep.Verified, rep.Importable)
		}
		dst := newStore(t)
		ir, err := Import(context.Background(), dst, path, ids, "")
		if err != nil {
			t.Fatalf("import of a bundle with Latin-1 text (encrypted %v): %v", enc, err)
		}
		if len(ir.Added) != 3 {
			t.Fatalf("imported %d of 3", len(ir.Added))
		}
		iv, err := dst.Get(ir.Added[0])
		if err != nil || iv.Interviewer != "Jos\uFFFD Mar\uFFFDa" {
			t.Fatalf("imported interviewer %q, %v", iv.Interviewer, err)
		}
	}
}

// TestExportRefusesUnimportableBundle: a bundle Import would refuse is
// removed and no report is returned, so nothing can be purged after it.
func TestExportRefusesUnimportableBundle(t *testing.T) {
	st := newStore(t)
	f := builtin(t)
	at := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		recordOne(t, st, f, examples[1+i%2], at.Add(time.Duration(i)*time.Minute), true)
	}
	n := 0
	src := &legacySource{Store: st, change: func(iv *record.Interview) {
		if n++; n == 5 { // pass 2's second interview
			session.SetAnswer(iv, "no_such_question", "yes", iv.CreatedAt, "")
		}
	}}
	for _, enc := range []bool{false, true} {
		n = 0
		dir := t.TempDir()
		path := filepath.Join(dir, "b.json")
		opt := plainOpts(path)
		if enc {
			opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(t, fixedIdentity(t))}
		}
		rep, err := Export(context.Background(), src, Selection{}, opt)
		if err == nil || !strings.Contains(err.Error(), "would not import") || rep != nil {
			t.Fatalf("export of an unimportable bundle (encrypted %v): %v", enc, err)
		}
		if names, _ := os.ReadDir(dir); len(names) != 0 {
			t.Fatalf("left behind: %v", names)
		}
		if err := Purge(st, rep); !errors.Is(err, ErrNotVerified) {
			t.Fatalf("purge: %v", err)
		}
	}
	if n := len(all(t, st)); n != 3 {
		t.Fatalf("%d interviews left", n)
	}
}

// TestPurgeRefusesCSV: a CSV file cannot be imported; no purge after it.
func TestPurgeRefusesCSV(t *testing.T) {
	st := newStore(t)
	f := builtin(t)
	recordOne(t, st, f, examples[1], time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC), true)
	opt := plainOpts(filepath.Join(t.TempDir(), "s.csv"))
	opt.Format = "csv"
	rep, err := Export(context.Background(), st, Selection{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := Purge(st, rep); !errors.Is(err, ErrNotImportable) {
		t.Fatalf("purge after csv: %v", err)
	}
	if n := len(all(t, st)); n != 1 {
		t.Fatalf("%d interviews left", n)
	}
}
