package bundle

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
)

// importCheck decodes a JSON bundle's plaintext as it is written, exactly
// as Import will read it after decryption: the header and flows, every
// interview checked against its flow, interviews_sha256, and every summary
// rescored from its answers. Together with the read-back of the file
// (verify: the disk holds exactly the bytes written), it proves the bundle
// on disk imports, before anything is erased. It runs beside the writer,
// on the plaintext stream, so it also covers an encrypted bundle, which
// this computer cannot decrypt.
//
// Rescoring every summary would score each interview a second time. The
// writer instead tells the check what it scored (expectFunc), and a
// summary is rescored only if the interview decoded from the bundle
// differs in anything its scoring reads (sameScoring): if the answers,
// status and language import will decode are those the writer scored,
// and the summary is the bytes the writer made of them, import's rescore
// on the same flow can only give those bytes again (flows are pure). An
// interview whose text the encoding changed (a byte that is not UTF-8,
// an escaped character in its summary) is rescored as before.
type importCheck struct {
	pw      *io.PipeWriter
	done    chan struct{}
	ids     []string // the interviews decoded, in bundle order
	err     error
	written sync.Map     // interview ID -> *Interview as the writer scored it, until checked
	ended   atomic.Bool  // the reading ended (on an error, before the writer): nothing more to keep
	skipped atomic.Int64 // summaries taken as checked without rescoring
}

func startImportCheck(ctx context.Context) *importCheck {
	pr, pw := io.Pipe()
	c := &importCheck{pw: pw, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		c.ids, c.err = decodeAsImport(ctx, pr, c.same)
		c.ended.Store(true)
		c.written.Clear()
		// After a failure, let the writer finish: its error is c.err.
		io.Copy(io.Discard, pr)
	}()
	return c
}

func (c *importCheck) Write(p []byte) (int, error) { return c.pw.Write(p) }

// expectFunc returns what the writer calls with each interview it scored,
// before writing its line; nil without a check.
func (c *importCheck) expectFunc() func(iv *Interview) {
	if c == nil {
		return nil
	}
	return func(iv *Interview) {
		if !c.ended.Load() {
			c.written.Store(iv.InterviewID, iv)
		}
	}
}

// same reports whether iv, as decoded from the bundle, is scored from
// exactly what the writer scored and carries the summary it wrote.
func (c *importCheck) same(iv *Interview) bool {
	w, ok := c.written.LoadAndDelete(iv.InterviewID)
	if !ok || !sameScoring(iv, w.(*Interview)) {
		return false
	}
	c.skipped.Add(1)
	return true
}

// sameScoring reports whether a and b agree in everything scoring reads
// (answers' IDs and values, status, language) and in their summaries.
func sameScoring(a, b *Interview) bool {
	if a.InterviewID != b.InterviewID || a.Status != b.Status || a.Language != b.Language ||
		!bytes.Equal(a.Summary, b.Summary) || len(a.Answers) != len(b.Answers) {
		return false
	}
	for i := range a.Answers {
		if a.Answers[i].ID != b.Answers[i].ID || !reflect.DeepEqual(a.Answers[i].Value, b.Answers[i].Value) {
			return false
		}
	}
	return true
}

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
//
// same, if not nil, says of an interview whether its summary may be taken
// as checked without rescoring (importCheck.same); its answers are still
// checked against its flow.
func decodeAsImport(ctx context.Context, src io.Reader, same func(iv *Interview) bool) ([]string, error) {
	r, err := NewReader(src, nil)
	if err != nil {
		return nil, err
	}
	defer r.stop()
	r.ctx = ctx
	c := &checked{hashes: hashesOf(r.Header.Flows), same: same}
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
