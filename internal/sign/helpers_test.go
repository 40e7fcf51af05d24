package sign

import "context"

// SignFile writes the detached signature of the file at path, as it is
// on disk now, to path.minisig. The program signs what it writes while
// writing it (Hasher: bundles in internal/cli's handover_sign.go,
// receipts in WriteReceipt), with no second reading of the file; tests
// sign a file already on disk with this.
func SignFile(ctx context.Context, path string, k *Key, comment string) error {
	h, err := hashFile(ctx, path)
	if err != nil {
		return err
	}
	return WriteSignature(SignatureFor(path), h.Sign(k, comment))
}
