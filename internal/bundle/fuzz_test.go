package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"filippo.io/age"
)

// Fuzzing a reader of outside input: whatever the bytes, it returns an
// interview or an error of a known kind, and never panics or quotes
// content it could not parse.

func checkReadErr(t *testing.T, err error) {
	if err == nil {
		return
	}
	if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrWrongIdentity) && !errors.Is(err, ErrEncrypted) {
		t.Fatalf("untyped error: %v", err)
	}
}

func FuzzReadBundle(f *testing.F) {
	for _, s := range fuzzSeeds(f, false) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ivs, err := readBundle(data)
		checkReadErr(t, err)
		for _, iv := range ivs {
			iv.toStore("")
		}
		// The lean path for scoring gives what the full one does: the
		// same interviews, or the same error.
		scs, lerr := readForScoring(data)
		checkReadErr(t, lerr)
		if (err == nil) != (lerr == nil) || err != nil && err.Error() != lerr.Error() {
			t.Fatalf("Next: %v; NextForScoring: %v", err, lerr)
		}
		if len(scs) != len(ivs) {
			t.Fatalf("Next read %d interviews, NextForScoring %d", len(ivs), len(scs))
		}
		for i, iv := range ivs {
			if want := scorableOf(iv); !reflect.DeepEqual(want, scs[i]) {
				t.Fatalf("interview %d: Next gives %+v, NextForScoring %+v", i, want, scs[i])
			}
		}
	})
}

// readForScoring reads a bundle with NextForScoring.
func readForScoring(data []byte, ids ...age.Identity) ([]*Scorable, error) {
	r, err := NewReader(bytes.NewReader(data), ids)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []*Scorable
	for {
		sc, err := r.NextForScoring()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, sc)
	}
}

func FuzzReadBundleAge(f *testing.F) {
	for _, s := range fuzzSeeds(f, true) {
		f.Add(s)
	}
	id := fixedIdentity(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, err := readBundle(data, id)
		checkReadErr(t, err)
	})
}

// fuzzSeeds are small real bundles, plain or encrypted to the fixed test
// identity. The checked-in corpus under testdata/fuzz holds the same
// (TestWriteFuzzSeeds with FIELDSCREEN_WRITE_SEEDS=1 rewrites it).
func fuzzSeeds(t testing.TB, encrypted bool) [][]byte {
	st := newStore(t)
	fill(t, st, 1)
	var out [][]byte
	for i, armored := range []bool{false, true} {
		if !encrypted && armored {
			continue
		}
		opt := plainOpts(filepath.Join(t.TempDir(), fmt.Sprint(i)))
		if encrypted {
			opt.Plaintext, opt.Armor, opt.Recipients = false, armored, []Recipient{recipientFor(t, fixedIdentity(t))}
		}
		data, _ := exportBundle(t, st, opt)
		out = append(out, data)
	}
	if !encrypted {
		out = append(out, []byte(`{"schema_version":1,"generator":"g","exported_at":"2025-01-01T00:00:00Z","interviewer":"","purpose":"p","flows":[],"interviews":[],"interviews_sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}`))
	}
	return out
}

func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("FIELDSCREEN_WRITE_SEEDS") == "" {
		t.Skip("set FIELDSCREEN_WRITE_SEEDS=1 to rewrite testdata/fuzz")
	}
	for name, enc := range map[string]bool{"FuzzReadBundle": false, "FuzzReadBundleAge": true} {
		dir := filepath.Join("testdata", "fuzz", name)
		os.MkdirAll(dir, 0o755)
		for i, s := range fuzzSeeds(t, enc) {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed-%d", i)), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

var _ = bytes.Equal
var _ age.Identity
