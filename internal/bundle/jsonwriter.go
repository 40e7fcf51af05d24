package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"

	"fieldscreen/internal/bundle/internal/wire"
	"fieldscreen/internal/parallel"
	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// interviewWriter writes a bundle's body in one format.
type interviewWriter interface {
	begin() error
	write(iv *record.Interview, f *questionnaire.Flow) error
	end() error
	// finish lets the writer's work in progress end, after a failure.
	finish() error
}

type jsonWriter struct {
	ctx  context.Context
	w    io.Writer
	h    Header
	n    int
	sums *lineHash
	// Interviews are laid out, scored and encoded on every core and
	// written in order (lines), once the first is given.
	lines *parallel.Ordered[*lineBuf]
	dir   func(f *questionnaire.Flow) *questionnaire.Directory
	// written, if set, sees each interview as scored, before its line
	// is written.
	written func(iv *Interview)
}

func newJSONWriter(ctx context.Context, w io.Writer, h Header) *jsonWriter {
	return &jsonWriter{ctx: ctx, w: w, h: h, sums: newLineHash()}
}

// begin writes the bundle's header, Header's fields in their order (the
// layout is Header's tags), one a line, each value as encoding/json
// writes it, and opens the interviews list.
func (j *jsonWriter) begin() error {
	var b bytes.Buffer
	b.WriteString("{\n")
	v := reflect.ValueOf(j.h)
	for i, f := range reflect.VisibleFields(v.Type()) {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if opts == "omitempty" && v.Field(i).IsZero() {
			continue
		}
		vb, err := json.Marshal(v.Field(i).Interface())
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%q: %s,\n", name, vb)
	}
	b.WriteString("\"interviews\": [")
	_, err := j.w.Write(b.Bytes())
	return err
}

// write encodes one interview, one line each: easy to page through and
// to diff. Interviews are encoded a few per core ahead of the one being
// written, so memory stays flat whatever the bundle's size.
func (j *jsonWriter) write(iv *record.Interview, f *questionnaire.Flow) error {
	if j.lines == nil {
		j.lines = parallel.NewOrdered(j.ctx, j.writeLine)
	}
	return j.lines.Go(func(context.Context) (*lineBuf, error) {
		var dir *questionnaire.Directory
		if j.dir != nil {
			dir = j.dir(f)
		}
		bi, err := fromStore(iv, f, dir)
		if err != nil {
			return nil, err
		}
		if j.written != nil {
			j.written(bi)
		}
		l := lineBufs.Get().(*lineBuf)
		l.b.Reset()
		if b, ok := appendLine(l.b.AvailableBuffer(), bi); ok {
			l.b.Write(b) // the line and a newline
		} else if err := l.enc.Encode(bi); err != nil {
			return nil, err
		}
		if bytes.Contains(l.b.Bytes(), escapedFFFD) {
			// encoding/json writes a byte that is not UTF-8 (kept by an
			// older version) as \ufffd, which a reader's canonical form
			// holds as U+FFFD itself: write that form, or the bundle's
			// interviews_sha256 would not match on import.
			c, err := wire.AppendCanonical(nil, l.b.Bytes())
			if err != nil {
				return nil, err
			}
			l.b.Reset()
			l.b.Write(c)
			l.b.WriteByte('\n')
		}
		return l, nil
	})
}

var escapedFFFD = []byte(`\ufffd`)

// writeLine writes one encoded interview, in bundle order: "," (but the
// first) and a newline before each line; interviews_sha256 takes each
// line and its newline.
func (j *jsonWriter) writeLine(l *lineBuf) error {
	line := l.b.Bytes()
	j.sums.h.Write(line)
	sep := ",\n"
	if j.n == 0 {
		sep = "\n"
	}
	j.n++
	if _, err := io.WriteString(j.w, sep); err != nil {
		return err
	}
	if _, err := j.w.Write(line[:len(line)-1]); err != nil {
		return err
	}
	lineBufs.Put(l)
	return nil
}

// finish waits for the interviews given so far to be written.
func (j *jsonWriter) finish() error {
	if j.lines == nil {
		return nil
	}
	err := j.lines.Wait()
	j.lines = nil
	return err
}

// end closes the list and writes interviews_sha256, known only now that
// every interview has streamed past. It catches damage and naive edits of
// a plaintext bundle; it proves nothing against a deliberate edit (anyone
// who changes an interview can recompute it). Only age encryption
// authenticates a bundle.
func (j *jsonWriter) end() error {
	if err := j.finish(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(j.w, "\n],\n\"interviews_sha256\": %q\n}\n", j.sums.hex())
	return err
}
