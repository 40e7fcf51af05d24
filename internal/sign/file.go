package sign

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"aead.dev/minisign"

	"fieldscreen/internal/tempfile"
)

// SigSuffix names a file's detached signature: FILE.minisig.
const SigSuffix = ".minisig"

var (
	// ErrUnsigned: the file has no signature beside it.
	ErrUnsigned = errors.New("the file is not signed")
	// ErrUnknownSigner: the signature is by a key not trusted here, so it
	// could not be checked.
	ErrUnknownSigner = errors.New("signed by a key you do not trust")
	// ErrBadSignature: the signature does not match the file (the file,
	// or its trusted comment, was changed after signing).
	ErrBadSignature = errors.New("the signature does not match the file")
	// ErrManifest: the manifest inside a bundle disagrees with the signed
	// one, or cannot be read.
	ErrManifest = errors.New("the bundle's manifest does not match its signature")
)

// Hasher computes what a signature covers while a file is written, so
// that signing needs no second reading of it.
type Hasher struct {
	r    *minisign.Reader
	feed feed
}

// feed hands the minisign.Reader the bytes already in its buffer: its
// Read leaves p as it is and says it filled it, so the Reader hashes the
// bytes being written without copying them.
type feed struct{}

func (feed) Read(p []byte) (int, error) { return len(p), nil }

// NewHasher returns a Hasher with nothing written yet.
func NewHasher() *Hasher {
	h := &Hasher{}
	h.r = minisign.NewReader(h.feed)
	return h
}

// Write adds p to what the signature will cover.
func (h *Hasher) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return h.r.Read(p)
}

// Sign returns the minisign signature of what was written, with comment
// as its trusted comment.
func (h *Hasher) Sign(k *Key, comment string) []byte {
	return h.r.SignWithComments(k.priv, comment, "signature from fieldscreen key "+k.ID())
}

// SignatureFor is the detached signature file of path.
func SignatureFor(path string) string { return path + SigSuffix }

// WriteSignature writes sig to path, whole or not at all.
func WriteSignature(path string, sig []byte) error {
	return writeFileAtomic(path, sig, 0o644)
}

func hashFile(ctx context.Context, path string) (*Hasher, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, pathless(err))
	}
	defer f.Close()
	h := NewHasher()
	if _, err := io.Copy(h, ctxReader{ctx, f}); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("cannot read %s: %w", path, pathless(err))
	}
	return h, nil
}

// ctxReader stops a long read once ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Result is what a signature says about a file.
type Result struct {
	// Signed: a signature was found beside the file.
	Signed bool
	// KeyID is the key the signature names (FormatID).
	KeyID string
	// Trusted: the signature is by a trusted key and matches the file.
	// Only then is Manifest authentic.
	Trusted bool
	// TrustedFrom says where the trusted key came from.
	TrustedFrom string
	// Manifest is read from the trusted comment; for an unknown signer it
	// is what the signature claims, unchecked.
	Manifest *Manifest

	// pub and sig: the trusted key and the signature it verified.
	pub minisign.PublicKey
	sig []byte
}

// Matches reports whether the bytes written to h are the ones the trusted
// signature was verified against: a reader that hashes the file as it
// reads it (the import's first reading) learns that what it read is what
// was verified, not a file put in its place since. False when the result
// is not trusted.
func (r *Result) Matches(h *Hasher) bool {
	return r != nil && r.Trusted && h.r.Verify(r.pub, r.sig)
}

// VerifyFile checks the file at path against its signature path.minisig
// and the trusted keys. It returns ErrUnsigned (no signature),
// ErrUnknownSigner (a signature by a key not in trust: Result says which)
// or ErrBadSignature (a trusted key's signature that does not match: the
// file or its manifest was changed). For a bundle, the manifest must
// then be compared with the one inside (Manifest.Match).
func VerifyFile(ctx context.Context, path string, trust *Trust) (*Result, error) {
	sigText, err := os.ReadFile(SignatureFor(path))
	if errors.Is(err, fs.ErrNotExist) {
		return &Result{}, fmt.Errorf("%s: %w (no %s beside it)", path, ErrUnsigned, filepath.Base(SignatureFor(path)))
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the signature %s: %w", SignatureFor(path), pathless(err))
	}
	var sig minisign.Signature
	if len(sigText) > 64<<10 || sig.UnmarshalText(sigText) != nil {
		return &Result{Signed: true}, fmt.Errorf("%s: %w (the signature file cannot be read)", SignatureFor(path), ErrBadSignature)
	}
	res := &Result{Signed: true, KeyID: FormatID(sig.KeyID)}
	m, merr := ParseComment(sig.TrustedComment)
	if merr == nil {
		res.Manifest = &m
	}
	pub, ok := trust.key(sig.KeyID)
	if !ok {
		return res, fmt.Errorf("%s: %w (key %s)", path, ErrUnknownSigner, res.KeyID)
	}
	h, err := hashFile(ctx, path)
	if err != nil {
		return nil, err
	}
	if !h.r.Verify(pub, sigText) {
		res.Manifest = nil
		return res, fmt.Errorf("%s: %w (key %s): it was changed after it was signed", path, ErrBadSignature, res.KeyID)
	}
	if merr != nil {
		return res, fmt.Errorf("%s: %w", path, merr)
	}
	if m.Signer != res.KeyID {
		return res, fmt.Errorf("%s: %w: the manifest names signer %s, the signature key %s", path, ErrManifest, m.Signer, res.KeyID)
	}
	res.Trusted, res.TrustedFrom = true, trust.from[sig.KeyID]
	res.pub, res.sig = pub, sigText
	return res, nil
}

// writeFileAtomic writes b to path, whole or not at all: through a
// temporary file in the same folder (nameless until complete where the
// system allows, so a killed process leaves nothing behind), synced, then
// given its name; an older file there (a stale signature) is replaced.
func writeFileAtomic(path string, b []byte, perm fs.FileMode) error {
	err := writeTemp(path, b, perm, false)
	if errors.Is(err, fs.ErrExist) {
		err = writeTemp(path, b, perm, true)
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, pathless(err))
	}
	return nil
}

func writeTemp(path string, b []byte, perm fs.FileMode, replace bool) error {
	tmp, err := tempfile.Create(filepath.Dir(path), tempfile.Prefix+"sig-*", "")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil {
		err = tmp.Sync()
	}
	switch {
	case err != nil:
		tmp.Discard()
		return err
	case replace:
		return tmp.Replace(path)
	}
	return tmp.Link(path)
}

// pathless drops the path from a file error: the message names it once.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
