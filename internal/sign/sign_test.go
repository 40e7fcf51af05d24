package sign

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fieldscreen/internal/store"
)

func testStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Create(filepath.Join(t.TempDir(), "s", "interviews.db"), []byte("a test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// signed writes a file and its signature; it returns the file's path, the
// key and its manifest.
func signed(t *testing.T, content []byte) (string, *Key, Manifest) {
	t.Helper()
	k, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewManifest(k, ScopeFull, 3)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "handover.age")
	writeFile(t, path, content)
	if err := SignFile(context.Background(), path, k, m.Comment()); err != nil {
		t.Fatal(err)
	}
	return path, k, m
}

func trusting(keys ...*Key) *Trust {
	tr := NewTrust()
	for _, k := range keys {
		tr.Add(k.Public(), "test")
	}
	return tr
}

func TestStoreKey(t *testing.T) {
	st := testStore(t)
	k1, err := StoreKey(st)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := StoreKey(st)
	if err != nil {
		t.Fatal(err)
	}
	if k1.ID() != k2.ID() || !bytes.Equal(k1.PublicFile(), k2.PublicFile()) {
		t.Fatalf("the store's key changed between uses: %s, %s", k1.ID(), k2.ID())
	}
	k3, err := RotateKey(st)
	if err != nil {
		t.Fatal(err)
	}
	if k3.ID() == k1.ID() {
		t.Fatal("--rotate kept the key")
	}
	if k4, err := StoreKey(st); err != nil || k4.ID() != k3.ID() {
		t.Fatalf("after rotation the store uses %v (%v), want %s", k4, err, k3.ID())
	}
	// The public key file reads back as the same key.
	pub, err := ParsePublic(k3.PublicFile())
	if err != nil || !pub.Equal(k3.Public()) {
		t.Fatalf("public key file does not read back: %v", err)
	}
	if !strings.HasPrefix(string(k3.PublicFile()), "untrusted comment: minisign public key "+k3.ID()+"\nRW") {
		t.Fatalf("public key file:\n%s", k3.PublicFile())
	}
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	content := []byte("age-encryption.org/v1\n-> X25519 bytes that stand for a bundle\n")
	path, k, m := signed(t, content)

	res, err := VerifyFile(ctx, path, trusting(k))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Trusted || res.KeyID != k.ID() || res.Manifest == nil || *res.Manifest != m {
		t.Fatalf("result %+v, manifest %+v; want trusted, %+v", res, res.Manifest, m)
	}
	if err := m.Match(res.Manifest); err != nil {
		t.Fatal(err)
	}

	other, _ := Generate()
	sig, _ := os.ReadFile(SignatureFor(path))
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) // changes the files
		trust *Trust
		want  error
	}{
		{"tampered content", func(t *testing.T) {
			writeFile(t, path, append(bytes.Clone(content[:len(content)-1]), 'Y'))
		}, trusting(k), ErrBadSignature},
		{"tampered manifest", func(t *testing.T) {
			writeFile(t, SignatureFor(path), bytes.Replace(sig, []byte("interviews=3"), []byte("interviews=4"), 1))
		}, trusting(k), ErrBadSignature},
		{"wrong signer", func(t *testing.T) {}, trusting(other), ErrUnknownSigner},
		{"no trust at all", func(t *testing.T) {}, nil, ErrUnknownSigner},
		{"unsigned", func(t *testing.T) { os.Remove(SignatureFor(path)) }, trusting(k), ErrUnsigned},
		{"garbage signature", func(t *testing.T) { writeFile(t, SignatureFor(path), []byte("not a signature")) }, trusting(k), ErrBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			writeFile(t, path, content)
			writeFile(t, SignatureFor(path), sig)
			tc.setup(t)
			res, err := VerifyFile(ctx, path, tc.trust)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if res != nil && res.Trusted {
				t.Fatal("a refused file is reported trusted")
			}
		})
	}

	// A manifest inside that differs from the signed one.
	inner := m
	inner.Interviews++
	if err := m.Match(&inner); !errors.Is(err, ErrManifest) || !strings.Contains(err.Error(), "interview count") {
		t.Fatalf("differing manifest: %v", err)
	}
	if err := m.Match(nil); !errors.Is(err, ErrManifest) {
		t.Fatalf("missing manifest: %v", err)
	}
}

// TestResultMatches: a verified result tells the bytes it verified from
// any others, so a reader that hashes the file as it reads it learns
// whether the file was replaced after the check.
func TestResultMatches(t *testing.T) {
	content := []byte("age-encryption.org/v1\n-> X25519 bytes that stand for a bundle\n")
	path, k, _ := signed(t, content)
	res, err := VerifyFile(context.Background(), path, trusting(k))
	if err != nil {
		t.Fatal(err)
	}
	hashOf := func(b []byte) *Hasher {
		h := NewHasher()
		h.Write(b)
		return h
	}
	if !res.Matches(hashOf(content)) {
		t.Fatal("the verified bytes do not match")
	}
	if res.Matches(hashOf(append(bytes.Clone(content), '\n'))) || res.Matches(hashOf(content[:len(content)-1])) {
		t.Fatal("other bytes match")
	}
	other, _ := Generate()
	untrusted, err := VerifyFile(context.Background(), path, trusting(other))
	if !errors.Is(err, ErrUnknownSigner) || untrusted.Matches(hashOf(content)) {
		t.Fatalf("an untrusted result matches (%v)", err)
	}
	var none *Result
	if none.Matches(hashOf(content)) {
		t.Fatal("no result matches")
	}
}

func TestHasherMatchesFile(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789"), 100_000)
	path, k, m := signed(t, content)
	h := NewHasher()
	for b := content; len(b) > 0; {
		n := min(len(b), 4093)
		h.Write(b[:n])
		b = b[n:]
	}
	streamed := filepath.Join(filepath.Dir(path), "streamed")
	writeFile(t, streamed, content)
	if err := WriteSignature(SignatureFor(streamed), h.Sign(k, m.Comment())); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyFile(context.Background(), streamed, trusting(k)); err != nil {
		t.Fatalf("a signature made while writing does not verify: %v", err)
	}
	// A stale signature is replaced, and nothing else is left in the folder.
	if err := SignFile(context.Background(), streamed, k, m.Comment()); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyFile(context.Background(), streamed, trusting(k)); err != nil {
		t.Fatalf("after signing again: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Dir(path)); len(left) != 4 {
		t.Fatalf("the folder holds %d files, want the two files and their signatures", len(left))
	}
}

func TestParseCommentRefuses(t *testing.T) {
	k, _ := Generate()
	m, _ := NewManifest(k, "legal_aid", 2)
	if got, err := ParseComment(m.Comment()); err != nil || got != m {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for _, c := range []string{
		"",
		"timestamp:1700000000",
		strings.Replace(m.Comment(), "scope=legal_aid", "scope=Legal Aid", 1),
		strings.Replace(m.Comment(), "interviews=2", "interviews=-2", 1),
		strings.Replace(m.Comment(), "interviews=2", "interviews=02", 1),
		strings.Replace(m.Comment(), "id=", "id=x", 1),
		strings.Replace(m.Comment(), "signer="+k.ID(), "signer=abc", 1),
		m.Comment() + " extra=1",
	} {
		if _, err := ParseComment(c); err == nil {
			t.Errorf("comment %q was taken", c)
		}
	}
}

// TestMinisignVerifies has the independent minisign tool check a real
// signature, and refuse a tampered file.
func TestMinisignVerifies(t *testing.T) {
	bin, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign is not installed (apt-get install minisign): the independent check is skipped")
	}
	path, k, m := signed(t, []byte("the bytes of a bundle\n"))
	pub := filepath.Join(filepath.Dir(path), "sender.pub")
	writeFile(t, pub, k.PublicFile())
	out, err := exec.Command(bin, "-Vm", path, "-p", pub).CombinedOutput()
	if err != nil {
		t.Fatalf("minisign -V refuses the signature: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Trusted comment: "+m.Comment()) {
		t.Fatalf("minisign does not show the manifest:\n%s", out)
	}
	writeFile(t, path, []byte("the bytes of a forged bundle\n"))
	if out, err := exec.Command(bin, "-Vm", path, "-p", pub).CombinedOutput(); err == nil {
		t.Fatalf("minisign accepts a tampered file:\n%s", out)
	}
}

func TestReceipt(t *testing.T) {
	caseworker, _ := Generate()
	sender, _ := Generate()
	path := filepath.Join(t.TempDir(), "receipt.json")
	r := &Receipt{BundleID: "6f1c1e4e-3a4b-4d5e-8f90-0123456789ab", Sender: sender.ID(), Received: time.Now().UTC().Truncate(time.Second),
		Interviews: []ReceiptEntry{{InterviewID: "a", ContentSHA256: strings.Repeat("0", 64)}}}
	if err := WriteReceipt(path, r, caseworker); err != nil {
		t.Fatal(err)
	}
	got, err := ReadReceipt(path, trusting(caseworker))
	if err != nil {
		t.Fatal(err)
	}
	if got.BundleID != r.BundleID || got.Sender != sender.ID() || got.Receiver != caseworker.ID() || len(got.Interviews) != 1 {
		t.Fatalf("read back %+v", got)
	}
	if _, err := ReadReceipt(path, trusting(sender)); !errors.Is(err, ErrUnknownSigner) {
		t.Fatalf("a receipt by an untrusted key: %v", err)
	}
	b, _ := os.ReadFile(path)
	writeFile(t, path, bytes.Replace(b, []byte(`"a"`), []byte(`"b"`), 1))
	if _, err := ReadReceipt(path, trusting(caseworker)); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("a tampered receipt: %v", err)
	}
}

func TestReplay(t *testing.T) {
	st := testStore(t)
	id := "6f1c1e4e-3a4b-4d5e-8f90-0123456789ab"
	if seen, err := Imported(st, id); err != nil || seen {
		t.Fatalf("a new store has seen %s: %v %v", id, seen, err)
	}
	for range 2 {
		if err := RememberImport(st, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := RememberImport(st, "7f1c1e4e-3a4b-4d5e-8f90-0123456789ab"); err != nil {
		t.Fatal(err)
	}
	if seen, err := Imported(st, id); err != nil || !seen {
		t.Fatalf("an imported bundle is not recognised: %v %v", seen, err)
	}
	b, _ := st.Sealed(store.SealedImported)
	if len(b) != 32 {
		t.Fatalf("imported list holds %d bytes, want 32 (two IDs)", len(b))
	}
}
