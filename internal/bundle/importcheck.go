package bundle

import (
	"context"
	"fmt"
	"io"
	"slices"
)

// importCheck decodes a JSON bundle's plaintext as it is written, exactly
// as Import will read it after decryption: the header and flows, every
// interview checked against its flow, interviews_sha256, and every summary
// rescored from its answers. Together with the read-back of the file
// (verify: the disk holds exactly the bytes written), it proves the bundle
// on disk imports, before anything is erased. It runs beside the writer,
// on the plaintext stream, so it also covers an encrypted bundle, which
// this computer cannot decrypt.
type importCheck struct {
	pw   *io.PipeWriter
	done chan struct{}
	ids  []string // the interviews decoded, in bundle order
	err  error
}

func startImportCheck(ctx context.Context) *importCheck {
	pr, pw := io.Pipe()
	c := &importCheck{pw: pw, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		c.ids, c.err = decodeAsImport(ctx, pr)
		// After a failure, let the writer finish: its error is c.err.
		io.Copy(io.Discard, pr)
	}()
	return c
}

func (c *importCheck) Write(p []byte) (int, error) { return c.pw.Write(p) }

// finish ends the stream (with the writer's error, if any) and says
// whether the bundle decoded whole, holding exactly ids in that order.
func (c *importCheck) finish(writeErr error, ids []string) error {
	if writeErr != nil {
		c.pw.CloseWithError(writeErr)
		<-c.done
		return writeErr
	}
	c.pw.Close()
	<-c.done
	if c.err != nil {
		return c.err
	}
	if !slices.Equal(c.ids, ids) {
		return fmt.Errorf("it holds %d interviews, not the %d written", len(c.ids), len(ids))
	}
	return nil
}

// decodeAsImport reads a plaintext bundle as Import's first reading does
// (checked.read: every interview's answers checked against its flow, every
// summary rescored), keeping only the interview IDs, so memory stays
// flat. (The flows are the exporter's own, so they are trusted here.)
func decodeAsImport(ctx context.Context, src io.Reader) ([]string, error) {
	r, err := NewReader(src, nil)
	if err != nil {
		return nil, err
	}
	defer r.stop()
	r.ctx = ctx
	c := &checked{hashes: hashesOf(r.Header.Flows)}
	c.flows = make([]FlowInfo, len(c.hashes))
	for i := range c.flows {
		c.flows[i].Trust = TrustStored
	}
	if err := c.read(ctx, r, nil); err != nil {
		return nil, err
	}
	ids := make([]string, len(c.ivs))
	for i, ic := range c.ivs {
		ids[i] = ic.id
	}
	return ids, nil
}
