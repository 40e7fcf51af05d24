package sign

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"aead.dev/minisign"
)

// receiptFormat names the receipt layout.
const receiptFormat = "fieldscreen-receipt-1"

// Receipt is the caseworker's word that a bundle's interviews are safe in
// their store: signed by that store's key, it lets the interviewer erase
// exactly those interviews.
type Receipt struct {
	Format   string `json:"format"`
	BundleID string `json:"bundle_id"`
	// Sender is the key ID that signed the bundle: the store the receipt
	// is for.
	Sender string `json:"sender"`
	// Receiver is the key ID of the store that imported it (and signs the
	// receipt).
	Receiver   string         `json:"receiver"`
	Received   time.Time      `json:"received"`
	Interviews []ReceiptEntry `json:"interviews"`
}

// ReceiptEntry is an interview now in the receiving store, with the hash
// of its content (who, where, when, flow, consent, answers) as received:
// the sender erases it only if its own copy still has that content.
type ReceiptEntry struct {
	InterviewID   string `json:"interview_id"`
	ContentSHA256 string `json:"content_sha256"`
}

func (r *Receipt) comment() string {
	return fmt.Sprintf("%s bundle=%s sender=%s receiver=%s interviews=%d", receiptFormat, r.BundleID, r.Sender, r.Receiver, len(r.Interviews))
}

// WriteReceipt writes r to path, signed with k (path.minisig beside it).
func WriteReceipt(path string, r *Receipt, k *Key) error {
	r.Format = receiptFormat
	r.Receiver = k.ID()
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	h := NewHasher()
	h.Write(b)
	if err := writeFileAtomic(path, b, 0o644); err != nil {
		return err
	}
	return WriteSignature(SignatureFor(path), h.Sign(k, r.comment()))
}

// ErrReceipt: a receipt that cannot be used.
var ErrReceipt = errors.New("unusable receipt")

// ReadReceipt reads the receipt at path and checks its signature against
// trust (a receipt is only ever taken from a trusted key).
func ReadReceipt(path string, trust *Trust) (*Receipt, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the receipt %s: %w", path, pathless(err))
	}
	if len(b) > 256<<20 {
		return nil, fmt.Errorf("%s: %w: too large for a receipt", path, ErrReceipt)
	}
	sigText, err := os.ReadFile(SignatureFor(path))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w (no %s beside it)", path, ErrUnsigned, filepath.Base(SignatureFor(path)))
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the signature %s: %w", SignatureFor(path), pathless(err))
	}
	var sig minisign.Signature
	if len(sigText) > 64<<10 || sig.UnmarshalText(sigText) != nil {
		return nil, fmt.Errorf("%s: %w (the signature file cannot be read)", SignatureFor(path), ErrBadSignature)
	}
	pub, ok := trust.key(sig.KeyID)
	if !ok {
		return nil, fmt.Errorf("%s: %w (key %s)", path, ErrUnknownSigner, FormatID(sig.KeyID))
	}
	if !minisign.Verify(pub, b, sigText) {
		return nil, fmt.Errorf("%s: %w (key %s): it was changed after it was signed", path, ErrBadSignature, FormatID(sig.KeyID))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r Receipt
	if err := dec.Decode(&r); err != nil || r.Format != receiptFormat {
		return nil, fmt.Errorf("%s: %w: not a fieldscreen receipt", path, ErrReceipt)
	}
	if sig.TrustedComment != r.comment() || r.Receiver != FormatID(sig.KeyID) {
		return nil, fmt.Errorf("%s: %w: its signed comment does not match its contents", path, ErrReceipt)
	}
	return &r, nil
}
