package bundle

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// writeStream writes the bundle to opt.Out ('fieldscreen export -o -'),
// through age and armor when there are recipients, as it goes. Nothing
// touches the disk, so there is no file to read back: such a bundle is
// never Verified, and Purge refuses to erase anything after it. On an
// error, what was written is incomplete; the caller says so.
func writeStream(opt Options, rep *Report, body func(w io.Writer) error, check *importCheck) error {
	fileHash := sha256.New()
	counter := &countWriter{}
	out := bufio.NewWriterSize(io.MultiWriter(fileWriters(opt, opt.Out, fileHash, counter)...), 64<<10)
	plainHash, err := encode(out, opt, body, check)
	if err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	rep.SHA256 = hex.EncodeToString(plainHash)
	rep.FileSHA256 = hex.EncodeToString(fileHash.Sum(nil))
	rep.Size = counter.n
	return nil
}

// fileWriters are where the bytes of the file go as they are written:
// ws, and opt.FileHash (a signature's hash) when set.
func fileWriters(opt Options, ws ...io.Writer) []io.Writer {
	if opt.FileHash != nil {
		ws = append(ws, opt.FileHash)
	}
	return ws
}

// encode writes the bundle body to dst, encrypted to opt.Recipients (and
// armored) when there are any, and returns the SHA-256 of the plaintext.
// writeAtomic and the stdout stream both write through it.
func encode(dst io.Writer, opt Options, body func(w io.Writer) error, check *importCheck) ([]byte, error) {
	var plain io.Writer = dst
	var closers []io.Closer
	if len(opt.Recipients) > 0 {
		out := dst
		if opt.Armor {
			aw := armor.NewWriter(dst)
			closers = append(closers, aw)
			out = aw
		}
		rs := make([]age.Recipient, len(opt.Recipients))
		for i, r := range opt.Recipients {
			rs[i] = r.Recipient
		}
		ew, err := age.Encrypt(out, rs...)
		if err != nil {
			return nil, fmt.Errorf("cannot encrypt: %w", err)
		}
		closers = append([]io.Closer{ew}, closers...)
		plain = ew
	}
	plainHash := sha256.New()
	plainOut := io.MultiWriter(plain, plainHash)
	if check != nil {
		plainOut = io.MultiWriter(plain, plainHash, check)
	}
	bw := bufio.NewWriterSize(plainOut, 64<<10)
	if err := body(bw); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	for _, c := range closers { // age first, then armor
		if err := c.Close(); err != nil {
			return nil, err
		}
	}
	return plainHash.Sum(nil), nil
}
