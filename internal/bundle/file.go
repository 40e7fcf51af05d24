package bundle

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"filippo.io/age"
	"filippo.io/age/armor"

	"fieldscreen/internal/tempfile"
)

// writeAtomic writes body to a temporary file beside opt.Path (through
// age and armor when there are recipients), fsyncs it and links it into
// place. On any error the temporary file is erased: no partial bundle is
// ever left under either name. Where the system allows, the temporary
// file has no name until it is complete, so not even SIGKILL or a power
// cut can leave it (see internal/tempfile); a cancelled export (Ctrl-C,
// through the context) ends here too, with the file erased.
func writeAtomic(opt Options, rep *Report, body func(w io.Writer) error, check *importCheck) (err error) {
	dir := filepath.Dir(opt.Path)
	tmp, err := tempfile.Create(dir, ".fieldscreen-export-*.tmp", opt.TempJournal)
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Discard()
		}
	}()
	fileHash := sha256.New()
	counter := &countWriter{}
	fileBuf := bufio.NewWriterSize(io.MultiWriter(fileWriters(opt, tmp, fileHash, counter)...), 64<<10)

	plainHash, err := encode(fileBuf, opt, body, check)
	if err != nil {
		return err
	}
	if err := fileBuf.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	err = tmp.Link(opt.Path)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: %s", ErrExists, opt.Path)
	}
	if err != nil {
		return err
	}
	syncDir(dir)
	rep.SHA256 = hex.EncodeToString(plainHash)
	rep.FileSHA256 = hex.EncodeToString(fileHash.Sum(nil))
	rep.Size = counter.n
	return nil
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// verify reads the file back: it must hash to what was written, byte for
// byte and to the last byte, so the disk holds the whole bundle exactly as
// it left the writer. That is all a read-back has to prove: what the
// writer wrote is the bundle (a plain JSON one is not parsed again here;
// the reader's tests hold the writer's output readable). An encrypted one
// also has its age header parsed; the age stream authenticates every chunk
// and marks the last, so a recipient will detect any loss the hash did not.
func verify(rep *Report) error {
	f, err := os.Open(rep.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, f, make([]byte, 1<<20))
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != rep.FileSHA256 || n != rep.Size {
		return errors.New("its content differs from what was written")
	}
	if rep.Encrypted {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		var src io.Reader = bufio.NewReader(f)
		if rep.Armored {
			src = armor.NewReader(src)
		}
		if _, err := age.ExtractHeader(src); err != nil {
			return fmt.Errorf("its age header does not parse: %v", err)
		}
	}
	return nil
}

// unwrapPath drops the temporary file's name from an error: the reason
// is what the person needs.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
