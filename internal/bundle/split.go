package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"fieldscreen/internal/bundle/internal/wire"
	"fieldscreen/internal/parallel"
	"fieldscreen/questionnaire"
)

// Reading a bundle's interviews runs in three stages, so that a large
// bundle is parsed on every core while Next still returns the interviews
// in order, with flat memory:
//
//   - a splitter goroutine cuts the interviews list into one raw JSON
//     object per interview (tracking only strings and brackets; the full
//     parse comes next);
//   - workers (parallel.Ordered) decode each strictly with a reused decoder, check
//     it against its flow and make its canonical line for
//     interviews_sha256 (wire.AppendCanonical: the raw object, compacted);
//   - Next takes the results in bundle order, checks that no interview
//     appears twice and hashes the lines.

// lineResult is one interview decoded by a worker, or the end of the list.
type lineResult struct {
	iv   *Interview
	sc   *Scorable // instead of iv, for NextForScoring
	line *lineBuf
	// end: the list is over; tail reads what follows its ']', which
	// starts at byte tailOff of the plaintext.
	end     bool
	tail    io.Reader
	tailOff int64
}

// lineItem is what the splitter hands Next: a result, or the error that
// ends the list.
type lineItem struct {
	res lineResult
	err error
}

// startPipe hands the rest of the plaintext, after the interviews list's
// '[', to the splitter, whose interviews are decoded on every core
// (parallel.Ordered) and handed to Next in order through r.out.
func (r *Reader) startPipe() {
	off := r.base + r.dec.InputOffset()
	// The splitter holds one interview at a time, each limited; what
	// follows the list is limited again once the list ends.
	r.cap.unlimited()
	src := io.MultiReader(r.dec.Buffered(), r.src)
	ctx, cancel := context.WithCancel(r.ctx)
	out := make(chan lineItem, 4*parallel.Workers())
	r.out, r.cancel = out, cancel
	flows, schema := r.flows, r.Header.SchemaVersion
	decode := decodeLine
	if r.lean {
		decode = decodeScorable
	}
	send := func(it lineItem) error {
		select {
		case out <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	go func() {
		defer close(out)
		o := parallel.NewOrdered(ctx, func(res lineResult) error { return send(lineItem{res: res}) })
		fail := func(err error) { o.Go(func(context.Context) (lineResult, error) { return lineResult{}, err }) }
		s := &splitter{r: src, bufOff: off, buf: make([]byte, 0, 256<<10)}
		for first := true; ; first = false {
			raw, at, end, err := s.next(first)
			if err != nil {
				if ae := r.auth.failed(); ae != nil {
					err = ae
				}
				fail(err)
				break
			}
			if end {
				r.cap.limit(maxTailBytes, "what follows its interviews")
				tail, tailOff, err := s.rest()
				if err != nil {
					fail(err)
					break
				}
				o.Go(func(context.Context) (lineResult, error) {
					return lineResult{end: true, tail: tail, tailOff: tailOff}, nil
				})
				break
			}
			if o.Go(func(context.Context) (lineResult, error) { return decode(raw, at, flows, schema) }) != nil {
				break
			}
		}
		if err := o.Wait(); err != nil && ctx.Err() == nil {
			send(lineItem{err: err})
		}
	}()
}

// splitter cuts the interviews list into raw objects. buf[start:end] is
// unread; bufOff is the plaintext offset of buf[0].
type splitter struct {
	r          io.Reader
	buf        []byte
	start      int
	bufOff     int64
	eof        bool
	err        error
	afterComma bool
}

// fill reads more, keeping buf[keep:] (moved to the front); it returns
// false at the end of the input.
func (s *splitter) fill(keep int) (shift int, ok bool) {
	if s.eof {
		return 0, false
	}
	if keep > 0 {
		n := copy(s.buf, s.buf[keep:])
		s.buf = s.buf[:n]
		s.bufOff += int64(keep)
		shift = keep
	}
	if len(s.buf) == cap(s.buf) {
		s.buf = append(s.buf, make([]byte, cap(s.buf))...)[:len(s.buf)]
	}
	n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	if err != nil {
		s.eof = true
		if err != io.EOF {
			s.err = err
		}
	}
	return shift, n > 0 || !s.eof
}

// space skips whitespace and returns the next byte, not consuming it.
func (s *splitter) space() (byte, error) {
	for {
		for s.start < len(s.buf) {
			switch c := s.buf[s.start]; c {
			case ' ', '\t', '\r', '\n':
				s.start++
			default:
				return c, nil
			}
		}
		shift, ok := s.fill(s.start)
		s.start -= shift
		if !ok {
			return 0, s.truncated()
		}
	}
}

func (s *splitter) truncated() error {
	if s.err != nil {
		return fmt.Errorf("cannot read it: %w", s.err)
	}
	return invalidf("it is truncated: it ends at byte %d in the middle of the JSON", s.bufOff+int64(len(s.buf)))
}

// next returns the next interview's raw JSON and its offset, or end once
// the list's ']' was read.
func (s *splitter) next(first bool) (raw []byte, at int64, end bool, err error) {
	c, err := s.space()
	if err != nil {
		return nil, 0, false, err
	}
	if !first {
		if c == ']' {
			s.start++
			return nil, 0, true, nil
		}
		if c != ',' {
			return nil, 0, false, invalidf("it is not valid JSON (at byte %d)", s.bufOff+int64(s.start)+1)
		}
		s.start++
		if c, err = s.space(); err != nil {
			return nil, 0, false, err
		}
	} else if c == ']' {
		s.start++
		return nil, 0, true, nil
	}
	if c != '{' {
		return nil, 0, false, invalidf("an interview must be a JSON object (at byte %d)", s.bufOff+int64(s.start)+1)
	}
	// Scan to the matching '}', keeping the object whole in buf.
	i, depth, inStr := s.start, 0, false
	for {
		for i < len(s.buf) {
			if inStr {
				j := bytes.IndexByte(s.buf[i:], '"')
				if j < 0 {
					i = len(s.buf)
					break
				}
				i += j
				bs := 0
				for p := i - 1; p > s.start && s.buf[p] == '\\'; p-- {
					bs++
				}
				i++
				if bs%2 == 0 {
					inStr = false
				}
				continue
			}
			switch s.buf[i] {
			case '"':
				inStr = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					if i+1-s.start > maxInterviewBytes {
						return nil, 0, false, invalidf("the interview at byte %d is larger than %d MiB, more than fieldscreen reads", s.bufOff+int64(s.start), maxInterviewBytes>>20)
					}
					raw = bytes.Clone(s.buf[s.start : i+1])
					at = s.bufOff + int64(s.start)
					s.start = i + 1
					return raw, at, false, nil
				}
			}
			i++
		}
		if i-s.start > maxInterviewBytes {
			return nil, 0, false, invalidf("the interview at byte %d is larger than %d MiB, more than fieldscreen reads", s.bufOff+int64(s.start), maxInterviewBytes>>20)
		}
		shift, ok := s.fill(s.start)
		s.start -= shift
		i -= shift
		if !ok {
			return nil, 0, false, s.truncated()
		}
	}
}

// rest is what follows the list, as a JSON object of its own: the
// comma after the list becomes the object's '{' (a fresh decoder does not
// know it is inside the bundle's object), so the Reader's decoder reads
// the fields after the list and the bundle's end. off is the plaintext
// offset of the first byte returned.
func (s *splitter) rest() (tail io.Reader, off int64, err error) {
	c, err := s.space()
	if err != nil {
		return nil, 0, err
	}
	switch c {
	case ',':
		s.start++
		if c, err = s.space(); err != nil {
			return nil, 0, err
		}
		if c != '"' {
			return nil, 0, invalidf("it is not valid JSON (at byte %d)", s.bufOff+int64(s.start)+1)
		}
	case '}':
	default:
		return nil, 0, invalidf("it is not valid JSON (at byte %d)", s.bufOff+int64(s.start)+1)
	}
	left := append([]byte{'{'}, s.buf[s.start:]...)
	off = s.bufOff + int64(s.start) - 1
	switch {
	case s.err != nil:
		return io.MultiReader(bytes.NewReader(left), errReader{s.err}), off, nil
	case s.eof:
		return bytes.NewReader(left), off, nil
	}
	return io.MultiReader(bytes.NewReader(left), s.r), off, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// inInterview is Interview as decoded: the fields are Interview's (the
// layout is defined once, there), but an answer's value stays raw until
// decodeValue checks it, and unknown fields are refused at every level by
// one decoder (Answer.UnmarshalJSON would start one per answer).
type inInterview struct {
	Interview
	Answers []inAnswer `json:"answers"` // in place of Interview.Answers
}

// inAnswer is Answer as decoded, its value raw.
type inAnswer struct {
	ID         *string         `json:"id"`
	Label      string          `json:"label"`
	Value      json.RawMessage `json:"value"`
	AnsweredAt time.Time       `json:"answered_at"`
}

// lineDecoder is a worker's reused decoder: one json.Decoder fed each
// interview in turn.
type lineDecoder struct {
	feed feed
	dec  *json.Decoder
}

// feed gives the decoder one interview; it is read whole before the next.
type feed struct{ b []byte }

func (f *feed) Read(p []byte) (int, error) {
	if len(f.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, f.b)
	f.b = f.b[n:]
	return n, nil
}

var decoders = sync.Pool{New: func() any {
	d := &lineDecoder{}
	d.dec = json.NewDecoder(&d.feed)
	d.dec.DisallowUnknownFields()
	return d
}}

// decodeStd decodes one interview's line with encoding/json, the reading
// decodeFast must agree with; after an error, off is where in the line
// it stopped.
func decodeStd(raw []byte, in *inInterview) (off int64, err error) {
	d := decoders.Get().(*lineDecoder)
	d.feed.b = raw
	start := d.dec.InputOffset()
	if err := d.dec.Decode(in); err != nil {
		// The decoder may be mid-value; it is not reused.
		return d.dec.InputOffset() - start, err
	}
	decoders.Put(d)
	return 0, nil
}

// lineBuf holds an interview's canonical line, newline included.
type lineBuf struct {
	b   bytes.Buffer
	enc *json.Encoder
}

var lineBufs = sync.Pool{New: func() any {
	l := &lineBuf{}
	l.enc = json.NewEncoder(&l.b)
	return l
}}

// decodeLine decodes and checks one interview found at byte at of the
// plaintext, and encodes its canonical line. Errors are already worded
// for the person (they quote nothing of the bundle).
func decodeLine(raw []byte, at int64, flows map[string]*questionnaire.Flow, schema int) (lineResult, error) {
	var in inInterview
	if !decodeFast(raw, &in) {
		in = inInterview{}
		if off, err := decodeStd(raw, &in); err != nil {
			return lineResult{}, decodeError(err, at, at+off)
		}
	}
	iv := &in.Interview
	iv.schema = schema
	if in.Answers != nil {
		iv.Answers = make([]Answer, len(in.Answers))
	}
	for i, a := range in.Answers {
		if a.ID == nil || *a.ID == "" {
			return lineResult{}, invalidf("an answer has no id (near byte %d)", at)
		}
		v, err := decodeValue(a.Value)
		if err != nil {
			return lineResult{}, invalidf("answer to question %s: %s (near byte %d)", quote(*a.ID), err, at)
		}
		iv.Answers[i] = Answer{ID: *a.ID, Label: a.Label, Value: v, AnsweredAt: a.AnsweredAt}
	}
	if err := checkInterview(iv, flows); err != nil {
		return lineResult{}, err
	}
	// The canonical line: what the writer encoded.
	l, err := canonicalLine(raw)
	if err != nil {
		return lineResult{}, err
	}
	return lineResult{iv: iv, line: l}, nil
}

// canonicalLine is an interview's line as interviews_sha256 takes it: its
// canonical form (wire.AppendCanonical), whatever the whitespace of this
// copy, and a newline.
func canonicalLine(raw []byte) (*lineBuf, error) {
	l := lineBufs.Get().(*lineBuf)
	l.b.Reset()
	b, err := wire.AppendCanonical(l.b.AvailableBuffer(), raw)
	if err != nil {
		return nil, invalidf("%v", err)
	}
	l.b.Write(b)
	l.b.WriteByte('\n')
	return l, nil
}

// decodeError words a decoding error of the interview at byte at; near is
// where the decoder stopped.
func decodeError(err error, at, near int64) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return invalidf("it is not valid JSON (near byte %d)", near)
	case errors.As(err, &syn):
		return invalidf("it is not valid JSON (at byte %d)", at+syn.Offset)
	case errors.As(err, &typ):
		return invalidf("field %q has the wrong type (at byte %d)", typ.Field, at+typ.Offset)
	}
	if msg := err.Error(); len(msg) > 14 && msg[:14] == "json: unknown " {
		return invalidf("%s (near byte %d)", msg[6:], near)
	}
	return invalidf("it cannot be parsed (near byte %d)", near)
}
