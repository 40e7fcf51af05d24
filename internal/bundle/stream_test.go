package bundle

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"filippo.io/age"
)

// TestExportToStream: with Options.Out the bundle goes to a writer (for
// 'export -o -'), encrypted as a file would be, imports the same, and is
// never Verified, so Purge refuses to erase after it.
func TestExportToStream(t *testing.T) {
	st := newStore(t)
	fill(t, st, 3)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	for _, armored := range []bool{false, true} {
		var buf bytes.Buffer
		opt := plainOpts("-")
		opt.Plaintext, opt.Armor, opt.Recipients, opt.Out = false, armored, []Recipient{recipientFor(t, id)}, &buf
		rep, err := Export(context.Background(), st, Selection{}, opt)
		if err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		if armored != bytes.HasPrefix(data, []byte(armorMagic)) || !armored != bytes.HasPrefix(data, []byte(ageMagic)) {
			t.Fatalf("armored=%v: starts %q", armored, data[:20])
		}
		if int64(len(data)) != rep.Size || len(rep.IDs) != 3 || rep.SHA256 == "" || !rep.HandedOver() {
			t.Fatalf("report %+v for %d bytes", rep, len(data))
		}
		if _, ivs, err := readBundle(data, id); err != nil || len(ivs) != 3 {
			t.Fatalf("read back: %d, %v", len(ivs), err)
		}
		if rep.Verified {
			t.Error("a stream cannot have been read back")
		}
		if err := Purge(st, rep); !errors.Is(err, ErrNotVerified) {
			t.Fatalf("Purge after a stream: %v", err)
		}
	}
	if n := len(all(t, st)); n != 3 {
		t.Fatalf("%d interviews left", n)
	}
	var buf bytes.Buffer
	opt := plainOpts("-")
	opt.Out = &buf
	if _, err := Export(context.Background(), st, Selection{}, opt); err != nil || !bytes.Contains(buf.Bytes(), []byte(`"schema_version"`)) {
		t.Fatalf("plaintext to a stream: %v", err)
	}
}
