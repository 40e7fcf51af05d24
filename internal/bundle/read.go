package bundle

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/google/uuid"

	"fieldscreen/internal/record"
	"fieldscreen/internal/sign"
	"fieldscreen/questionnaire"
)

// Errors a caller can test for with errors.Is.
var (
	// ErrInvalid: the bundle is malformed, truncated or inconsistent.
	ErrInvalid = errors.New("not a valid bundle")
	// ErrEncrypted: the bundle is encrypted and no identity was given.
	ErrEncrypted = errors.New("the bundle is encrypted")
	// ErrWrongIdentity: none of the identities given can open the bundle.
	ErrWrongIdentity = errors.New("none of the given identities can decrypt the bundle")
	// ErrDamaged: the encrypted bundle fails authentication: truncated or
	// changed after it was encrypted.
	ErrDamaged = errors.New("the encrypted bundle is damaged, truncated or was changed after it was written")
)

// Error names the bundle a problem is in.
type Error struct {
	File string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("bundle %s: %v", e.File, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// invalid wraps a content problem so errors.Is(err, ErrInvalid) holds.
type invalid struct{ msg string }

func (e *invalid) Error() string        { return e.msg }
func (e *invalid) Is(target error) bool { return target == ErrInvalid }

func invalidf(format string, args ...any) error { return &invalid{fmt.Sprintf(format, args...)} }

const (
	ageMagic   = "age-encryption.org/"
	armorMagic = "-----BEGIN AGE ENCRYPTED FILE-----"
)

// Kind says how a bundle file is wrapped.
type Kind int

const (
	Plain Kind = iota
	Encrypted
	Armored
)

// Decrypt returns the plaintext of a bundle: r itself when it is plain
// JSON, else decrypted with the identities. The age stream authenticates
// each chunk and its end, so a reader that reaches io.EOF has read the
// whole, unchanged plaintext.
func Decrypt(r io.Reader, ids []age.Identity) (io.Reader, Kind, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(64)
	kind := Plain
	switch {
	case bytes.HasPrefix(head, []byte(ageMagic)):
		kind = Encrypted
	case bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte(armorMagic)):
		kind = Armored
	}
	if kind == Plain {
		return br, Plain, nil
	}
	if len(ids) == 0 {
		return nil, kind, ErrEncrypted
	}
	var src io.Reader = br
	if kind == Armored {
		src = armor.NewReader(br)
	}
	pt, err := age.Decrypt(src, ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, kind, ErrWrongIdentity
		}
		return nil, kind, fmt.Errorf("%w (%v)", ErrDamaged, err)
	}
	return &authReader{r: pt}, kind, nil
}

// authReader marks read errors from the age stream as damage, so they are
// not mistaken for (and reported as) JSON syntax errors.
// Reading runs on the Reader's splitting goroutine while Next may look at
// the error, so it is kept atomically.
type authReader struct {
	r   io.Reader
	err atomic.Pointer[error]
}

func (a *authReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if err != nil && err != io.EOF && a.err.Load() == nil {
		e := fmt.Errorf("%w (%v)", ErrDamaged, err)
		a.err.Store(&e)
	}
	return n, err
}

// failed returns the age stream's error, or nil.
func (a *authReader) failed() error {
	if a == nil {
		return nil
	}
	if e := a.err.Load(); e != nil {
		return *e
	}
	return nil
}

// Reader walks a bundle's interviews one at a time, with flat memory.
type Reader struct {
	Header Header
	Kind   Kind

	flows  map[string]*questionnaire.Flow
	dec    *json.Decoder
	src    io.Reader          // the plaintext r.dec reads
	base   int64              // the plaintext offset where r.dec started
	ctx    context.Context    // stops the splitter and its workers
	out    chan lineItem      // the splitter's results, in bundle order
	cancel context.CancelFunc // stops the splitter (once started)
	auth   *authReader
	inList bool
	done   bool
	lean   bool // read with NextForScoring
	seen   map[string]bool
	closer io.Closer
	file   io.Reader  // the file as openFile reads it
	cap    *capReader // the plaintext, limited by what is being read (limits.go)
	sums   *lineHash  // of the interviews read so far
	// wantSums is the bundle's interviews_sha256, once read (it is written
	// after the interviews, but a reader accepts it before them too).
	wantSums string
}

// OpenFile opens a bundle file for reading, decrypting it with ids when
// it is encrypted. Errors are *Error naming the file.
func OpenFile(path string, ids []age.Identity) (*Reader, error) {
	return openFile(path, ids, nil)
}

// openFile is OpenFile that, with raw not nil, gives raw every byte read
// from the file (Reader.file reads on through it).
func openFile(path string, ids []age.Identity, raw io.Writer) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Err: fmt.Errorf("cannot read it: %w", errors.Unwrap(err))}
	}
	var src io.Reader = f
	if raw != nil {
		src = io.TeeReader(f, raw)
	}
	r, err := NewReader(src, ids)
	if err != nil {
		f.Close()
		return nil, &Error{File: path, Err: err}
	}
	r.closer, r.file = f, src
	return r, nil
}

// Close stops reading and closes the file OpenFile opened.
func (r *Reader) Close() error {
	r.stop()
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}

// NewReader reads a bundle's header (everything up to its interviews) and
// checks it: the schema version, and every flow (its source must hash to
// its hash, and load).
func NewReader(src io.Reader, ids []age.Identity) (*Reader, error) {
	pt, kind, err := Decrypt(src, ids)
	if err != nil {
		return nil, err
	}
	r := &Reader{Kind: kind, ctx: context.Background(), flows: map[string]*questionnaire.Flow{}, seen: map[string]bool{}, sums: newLineHash()}
	r.auth, _ = pt.(*authReader)
	// Everything before the interviews is held whole: the flows and a
	// few fields, limited (see limits.go).
	r.cap = &capReader{r: pt}
	r.cap.limit(maxHeaderBytes, "the part before its interviews (its flows)")
	r.src = r.cap
	r.dec = json.NewDecoder(r.cap)
	r.dec.UseNumber()
	if err := r.readHeader(); err != nil {
		return nil, r.wrap(err)
	}
	return r, nil
}

// wrap turns decoding errors into messages that quote nothing of the
// bundle, and prefers the age stream's own error when there is one.
func (r *Reader) wrap(err error) error {
	if err == nil {
		return nil
	}
	if err := r.auth.failed(); err != nil {
		return err
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var fe *fieldError
	switch {
	case errors.Is(err, ErrInvalid), errors.Is(err, ErrDamaged), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		// The decoder's offset is where the value it was reading began
		// (a header's flows are one value of many kilobytes): say where
		// the bundle ends, and that.
		began := r.base + r.dec.InputOffset()
		if r.cap != nil && r.cap.read > began {
			return invalidf("it is truncated: it ends at byte %d, in the middle of the JSON value that begins at byte %d", r.cap.read, began)
		}
		return invalidf("it is truncated: it ends at byte %d in the middle of the JSON", began)
	case errors.As(err, &syn):
		return invalidf("it is not valid JSON (at byte %d)", r.base+syn.Offset)
	case errors.As(err, &typ):
		return invalidf("field %q has the wrong type (at byte %d)", typ.Field, r.base+typ.Offset)
	case errors.As(err, &fe):
		return invalidf("%s (near byte %d)", fe.msg, r.base+r.dec.InputOffset())
	}
	if msg := err.Error(); len(msg) > 14 && msg[:14] == "json: unknown " {
		return invalidf("%s (near byte %d)", msg[6:], r.base+r.dec.InputOffset())
	}
	return invalidf("it cannot be parsed (near byte %d)", r.base+r.dec.InputOffset())
}

func (r *Reader) delim(want json.Delim, what string) error {
	t, err := r.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return invalidf("%s must start with %q", what, string(want))
	}
	return nil
}

func (r *Reader) decodeStrict(v any) error {
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

func (r *Reader) readHeader() error {
	if err := r.delim('{', "a bundle"); err != nil {
		return err
	}
	got := map[string]bool{}
	for r.dec.More() {
		t, err := r.dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if got[key] {
			return invalidf("field %q appears twice", key)
		}
		got[key] = true
		h := &r.Header
		switch key {
		case "schema_version":
			var n json.Number
			if err := r.dec.Decode(&n); err != nil {
				return err
			}
			v, err := n.Int64()
			if err != nil {
				return invalidf("schema_version must be a whole number")
			}
			if v < minSchemaVersion || v > SchemaVersion {
				return invalidf("schema_version %d is not supported (this fieldscreen reads versions %d to %d)", v, minSchemaVersion, SchemaVersion)
			}
			h.SchemaVersion = int(v)
		case "generator":
			err = r.dec.Decode(&h.Generator)
		case "exported_at":
			err = r.dec.Decode(&h.ExportedAt)
		case "interviewer":
			err = r.dec.Decode(&h.Interviewer)
		case "purpose":
			err = r.dec.Decode(&h.Purpose)
		case "flows":
			err = r.decodeStrict(&h.Flows)
		case "manifest":
			var m sign.Manifest
			if err = r.decodeStrict(&m); err == nil {
				if _, perr := sign.ParseComment(m.Comment()); perr != nil {
					return invalidf("its manifest is not valid")
				}
				h.Manifest = &m
			}
		case "skipped_damaged":
			var n json.Number
			if err := r.dec.Decode(&n); err != nil {
				return err
			}
			v, err := n.Int64()
			if err != nil || v < 0 || v > math.MaxInt32 {
				return invalidf("skipped_damaged must be a whole number, 0 or more")
			}
			h.SkippedDamaged = int(v)
		case "interviews_sha256":
			err = r.readSums()
		case "interviews":
			if err := r.checkHeader(got); err != nil {
				return err
			}
			if err := r.delim('[', "interviews"); err != nil {
				return err
			}
			r.inList = true
			return nil
		default:
			return invalidf("unknown field %q", key)
		}
		if err != nil {
			return err
		}
	}
	return invalidf("it has no interviews list")
}

func (r *Reader) checkHeader(got map[string]bool) error {
	for _, k := range []string{"schema_version", "generator", "exported_at", "purpose", "flows"} {
		if !got[k] {
			return invalidf("field %q is missing (it must come before the interviews)", k)
		}
	}
	if err := checkHeaderSizes(&r.Header); err != nil {
		return err
	}
	for i, f := range r.Header.Flows {
		sum := sha256Hex([]byte(f.Source))
		if f.Hash != "sha256:"+sum {
			return invalidf("flow %d (%s %s): its source does not match its hash; it was changed or damaged", i+1, f.ID, f.Version)
		}
		if _, dup := r.flows[f.Hash]; dup {
			return invalidf("flow %s %s is listed twice", f.ID, f.Version)
		}
		lf, err := questionnaire.Load(fmt.Sprintf("bundle flow %s %s", f.ID, f.Version), []byte(f.Source))
		if err != nil {
			return invalidf("flow %d (%s %s) does not load: %v", i+1, f.ID, f.Version, err)
		}
		if lf.ID != f.ID || lf.Version != f.Version {
			return invalidf("flow %d: its source is flow %s %s, not %s %s", i+1, lf.ID, lf.Version, f.ID, f.Version)
		}
		r.flows[f.Hash] = lf
	}
	return nil
}

// Flow returns the bundle's flow with the given hash, loaded, or nil.
func (r *Reader) Flow(hash string) *questionnaire.Flow { return r.flows[hash] }

// Flows returns the bundle's flow sources by hash, for storing.
func (r *Reader) Flows() map[string][]byte {
	m := make(map[string][]byte, len(r.Header.Flows))
	for _, f := range r.Header.Flows {
		m[f.Hash] = []byte(f.Source)
	}
	return m
}

// Next returns the next interview, checked against its flow, or io.EOF
// once the whole bundle has been read and found complete. Interviews are
// decoded ahead on every core (see split.go); Next returns them in bundle
// order.
func (r *Reader) Next() (*Interview, error) {
	if r.lean && !r.done {
		r.done = true
		r.stop()
		return nil, errors.New("bundle: Next after NextForScoring")
	}
	res, err := r.advance()
	if err != nil {
		return nil, err
	}
	return res.iv, nil
}

// advance is Next and NextForScoring: the next interview's result.
func (r *Reader) advance() (lineResult, error) {
	if r.done {
		return lineResult{}, io.EOF
	}
	res, err := r.next()
	if err == errEnd {
		r.done = true
		r.stop()
		return lineResult{}, io.EOF
	}
	if err != nil {
		r.done = true
		r.stop()
		return lineResult{}, r.wrap(err)
	}
	return res, nil
}

func (r *Reader) stop() {
	if r.cancel != nil {
		r.cancel()
	}
}

func (r *Reader) next() (lineResult, error) {
	if r.inList {
		if r.out == nil {
			r.startPipe()
		}
		it, ok := <-r.out
		res := it.res
		switch {
		case !ok:
			if err := r.ctx.Err(); err != nil {
				return lineResult{}, err
			}
			return lineResult{}, errors.New("the interviews ended early")
		case it.err != nil:
			return lineResult{}, it.err
		case !res.end:
			id := ""
			if res.iv != nil {
				id = res.iv.InterviewID
			} else {
				id = res.sc.InterviewID
			}
			if r.seen[id] {
				return lineResult{}, invalidf("interview %s appears twice", id)
			}
			if len(r.seen) >= maxInterviews {
				return lineResult{}, invalidf("it carries more than %d interviews, more than fieldscreen reads from one bundle", maxInterviews)
			}
			r.seen[id] = true
			r.sums.h.Write(res.line.b.Bytes()) // the line and its newline
			lineBufs.Put(res.line)
			res.line = nil
			return res, nil
		}
		r.inList = false
		r.dec = json.NewDecoder(res.tail)
		r.dec.UseNumber()
		r.base = res.tailOff
		if err := r.delim('{', "the rest of the bundle"); err != nil {
			return lineResult{}, err
		}
	}
	// Only interviews_sha256 and the end of the bundle may follow the
	// interviews.
	for r.dec.More() {
		t, err := r.dec.Token()
		if err != nil {
			return lineResult{}, err
		}
		if t != "interviews_sha256" || r.wantSums != "" {
			return lineResult{}, invalidf("field %v after the interviews: header fields must come first", quote(fmt.Sprint(t)))
		}
		if err := r.readSums(); err != nil {
			return lineResult{}, err
		}
	}
	if err := r.delim('}', "the end of the bundle"); err != nil {
		return lineResult{}, err
	}
	if _, err := r.dec.Token(); err != io.EOF {
		if err == nil {
			return lineResult{}, invalidf("there is more data after the end of the bundle")
		}
		return lineResult{}, err
	}
	if err := r.auth.failed(); err != nil {
		return lineResult{}, err
	}
	switch {
	case r.wantSums == "":
		return lineResult{}, invalidf("field \"interviews_sha256\" is missing: the bundle was cut short, edited, or written by an older fieldscreen")
	case r.wantSums != r.sums.hex():
		return lineResult{}, invalidf("its interviews do not match its interviews_sha256: the bundle was damaged or edited after it was written")
	}
	return lineResult{}, errEnd
}

// readSums reads the value of interviews_sha256.
func (r *Reader) readSums() error {
	var v string
	if err := r.dec.Decode(&v); err != nil {
		return err
	}
	if len(v) != 64 || strings.Trim(v, "0123456789abcdef") != "" {
		return invalidf("interviews_sha256 must be 64 lowercase hex digits")
	}
	r.wantSums = v
	return nil
}

// errEnd marks the bundle's proper end; any io.EOF before it is truncation.
var errEnd = errors.New("end of bundle")

var validStatus = map[string]bool{string(record.StatusDraft): true, string(record.StatusCompleted): true, string(record.StatusExported): true}

// checkInterview is what makes an interview importable: its identity,
// its flow in the bundle, answers only to questions that flow has, a
// summary. (That no interview appears twice is Next's check.) It only
// reads flows, so workers run it at once.
func checkInterview(iv *Interview, flows map[string]*questionnaire.Flow) error {
	u, err := uuid.Parse(iv.InterviewID)
	if err != nil || u.String() != iv.InterviewID {
		return invalidf("an interview's interview_id is not an interview id")
	}
	id := iv.InterviewID
	if err := checkSizes(iv); err != nil {
		return err
	}
	f := flows[iv.Flow.Hash]
	if f == nil {
		return invalidf("interview %s: its flow %s is not in the bundle", id, iv.Flow.Hash)
	}
	if f.ID != iv.Flow.ID || f.Version != iv.Flow.Version {
		return invalidf("interview %s: flow %s %s does not match the bundle's flow with that hash", id, iv.Flow.ID, iv.Flow.Version)
	}
	if !validStatus[iv.Status] {
		return invalidf("interview %s: unknown status %s", id, quote(iv.Status))
	}
	if iv.CreatedAt.IsZero() || iv.UpdatedAt.IsZero() {
		return invalidf("interview %s: created_at and updated_at are required", id)
	}
	if iv.Answers == nil || iv.Audit == nil {
		return invalidf("interview %s: answers and audit are required", id)
	}
	seen := make(map[string]bool, len(iv.Answers))
	for _, a := range iv.Answers {
		if seen[a.ID] {
			return invalidf("interview %s: two answers to question %q", id, a.ID)
		}
		seen[a.ID] = true
		if f.Question(a.ID) == nil {
			return invalidf("interview %s: answer to %q, which flow %s %s does not have", id, a.ID, f.ID, f.Version)
		}
	}
	if len(iv.Summary) == 0 || iv.Summary[0] != '{' {
		return invalidf("interview %s: summary must be an object", id)
	}
	for _, e := range iv.Audit {
		if e.Event == "" || e.At.IsZero() {
			return invalidf("interview %s: an audit event has no event name or time", id)
		}
	}
	// The corrections are the audit trail's, said again: they must agree.
	want := (&record.Interview{Audit: iv.StoreAudit()}).Corrections()
	if len(want) != len(iv.Corrections) {
		return invalidf("interview %s: its corrections do not match its audit trail", id)
	}
	for i, c := range iv.Corrections {
		if w := want[i]; !c.At.Equal(w.At) || c.Reason != w.Reason || c.Interviewer != w.Interviewer || c.AfterExport != w.AfterExport {
			return invalidf("interview %s: its corrections do not match its audit trail", id)
		}
	}
	return nil
}

// now is replaced in tests.
var now = func() time.Time { return time.Now().UTC() }
