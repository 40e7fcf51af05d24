package bundle

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"
)

// Recipient is a public key a bundle is encrypted to, with the text it was
// given as (for its fingerprint in the audit trail).
type Recipient struct {
	Text string
	age.Recipient
}

// Fingerprint names the recipient in the audit trail without copying the
// key: the first 16 hex digits of the SHA-256 of its text.
func (r Recipient) Fingerprint() string { return Fingerprint(r.Text) }

// Fingerprint is the first 16 hex digits of the SHA-256 of s.
func Fingerprint(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:16]
}

// ErrBadRecipient is returned for text that is not an age public key.
var ErrBadRecipient = errors.New("not an age recipient")

// ParseRecipient parses an age public key ("age1…"; "age1pq1…" for the
// post-quantum hybrid kind). A secret key given by mistake is refused
// without being echoed.
func ParseRecipient(s string) (Recipient, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(strings.ToUpper(s), "AGE-SECRET-KEY-") {
		return Recipient{}, fmt.Errorf("%w: that is a secret key (keep it private); give its public key, which starts with age1", ErrBadRecipient)
	}
	if !strings.HasPrefix(s, "age1") {
		return Recipient{}, fmt.Errorf("%w: %q does not start with age1", ErrBadRecipient, short(s))
	}
	rs, err := age.ParseRecipients(strings.NewReader(s))
	if err != nil || len(rs) != 1 {
		return Recipient{}, fmt.Errorf("%w: %q is malformed", ErrBadRecipient, short(s))
	}
	return Recipient{Text: s, Recipient: rs[0]}, nil
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// ReadRecipients parses a recipients file: one public key a line, blank
// lines and lines starting with # ignored. name is used in errors.
func ReadRecipients(name string, r io.Reader) ([]Recipient, error) {
	var out []Recipient
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rc, err := ParseRecipient(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		out = append(out, rc)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %s holds no recipients", ErrBadRecipient, name)
	}
	return out, nil
}

// ReadIdentityFile reads age secret keys (the file age-keygen writes).
// The error never quotes the file's content.
func ReadIdentityFile(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read identity file %s: %w", path, errors.Unwrap(err))
	}
	defer f.Close()
	ids, err := age.ParseIdentities(f)
	if err != nil {
		return nil, fmt.Errorf("identity file %s: %v", path, err)
	}
	return ids, nil
}
