package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"fieldscreen/internal/record"
)

// Binary record plaintexts. A record's plaintext is either JSON (records
// written before the binary form existed; it always starts with '{') or
// starts with one of these format bytes:
//
//	format (1) | uvarint body length | body | padding (spaces, see pad)
//
// The body is a fixed sequence of fields, all in one of these forms:
//
//	string  uvarint v: v odd: a literal of v>>1 bytes follows, and if it is
//	        not empty it becomes the next entry of the record's string
//	        table; v even: the string table's entry v>>1 (a repeat, such as
//	        the interviewer's name in every audit event)
//	time    varint Unix seconds, uvarint nanoseconds (< 1e9); read back in UTC
//	count   uvarint
//	flags   one byte
//
// Interview body: id, flow id, flow version, flow hash, interviewer,
// location, language, status, position, outcome (strings); created, updated
// (times); flags (flagCompleted, flagConsent, flagConsentGiven,
// flagAnswers, flagAudit); completed time if flagCompleted; consent time
// and language if flagConsent; answer count and answers (question id,
// answered time, value tag and value); audit count and events (time,
// event, question id, interviewer, detail); if flagSetAside, the count and
// answers set aside, as the answers.
//
// Entry body: id, status, interviewer, outcome, flow id, flow version
// (strings); created, updated (times); flags (flagCompleted,
// flagEntryAmended); completed time if flagCompleted.
const (
	binInterviewV1 = 0x01
	binEntryV1     = 0x02
)

const (
	flagCompleted = 1 << iota
	flagConsent
	flagConsentGiven
	flagAnswers  // Answers is not nil
	flagAudit    // Audit is not nil
	flagSetAside // SetAside is not empty
)

// Entry flags (flagCompleted is shared).
const flagEntryAmended = 1 << 1 // AmendedSinceExport

// Answer value tags.
const (
	valNil = iota
	valString
	valInt
	valStrings
)

// errBinary never quotes the record: only that it does not parse.
var errBinary = errors.New("record content cannot be parsed")

// binEncoder appends a record body.
type binEncoder struct {
	b   []byte
	tbl map[string]int
	err error
}

func (e *binEncoder) str(s string) {
	if s != "" {
		if i, ok := e.tbl[s]; ok {
			e.b = binary.AppendUvarint(e.b, uint64(i)<<1)
			return
		}
		e.tbl[s] = len(e.tbl)
	}
	e.b = binary.AppendUvarint(e.b, uint64(len(s))<<1|1)
	e.b = append(e.b, s...)
}

// Times as JSON can hold them (years 0 to 9999), the range records have
// always been limited to.
const (
	minUnix = -62167219200 // 0000-01-01T00:00:00Z
	maxUnix = 253402300800 // 10000-01-01T00:00:00Z, excluded
)

var errTimeRange = errors.New("a time is outside the years 0 to 9999")

func (e *binEncoder) time(t time.Time) {
	if u := t.Unix(); u < minUnix || u >= maxUnix {
		e.err = errTimeRange
	}
	e.b = binary.AppendVarint(e.b, t.Unix())
	e.b = binary.AppendUvarint(e.b, uint64(t.Nanosecond()))
}

func (e *binEncoder) uint(n int) { e.b = binary.AppendUvarint(e.b, uint64(n)) }

// finish frames the body as a plaintext of the given format, padded to a
// multiple of block.
func (e *binEncoder) finish(format byte, block int) []byte {
	out := make([]byte, 0, binary.MaxVarintLen64+1+len(e.b)+block)
	out = append(out, format)
	out = binary.AppendUvarint(out, uint64(len(e.b)))
	out = append(out, e.b...)
	return pad(out, block)
}

func newBinEncoder(size int) *binEncoder {
	return &binEncoder{b: make([]byte, 0, size), tbl: make(map[string]int, 32)}
}

// encodeInterviewBinary returns the padded binary plaintext of iv. Answer
// values must be normalized (nil, string, int or []string).
func encodeInterviewBinary(iv *record.Interview) ([]byte, error) {
	e := newBinEncoder(2048)
	for _, s := range [...]string{iv.ID, iv.FlowID, iv.FlowVersion, iv.FlowHash, iv.Interviewer,
		iv.Location, iv.Language, string(iv.Status), iv.Position, iv.Outcome} {
		e.str(s)
	}
	e.time(iv.CreatedAt)
	e.time(iv.UpdatedAt)
	var flags byte
	if iv.CompletedAt != nil {
		flags |= flagCompleted
	}
	if iv.Consent != nil {
		flags |= flagConsent
		if iv.Consent.Given {
			flags |= flagConsentGiven
		}
	}
	if iv.Answers != nil {
		flags |= flagAnswers
	}
	if iv.Audit != nil {
		flags |= flagAudit
	}
	if len(iv.SetAside) > 0 {
		flags |= flagSetAside
	}
	e.b = append(e.b, flags)
	if iv.CompletedAt != nil {
		e.time(*iv.CompletedAt)
	}
	if iv.Consent != nil {
		e.time(iv.Consent.At)
		e.str(iv.Consent.Language)
	}
	if err := e.answers(iv.Answers); err != nil {
		return nil, err
	}
	e.uint(len(iv.Audit))
	for i := range iv.Audit {
		ev := &iv.Audit[i]
		e.time(ev.At)
		e.str(string(ev.Event))
		e.str(ev.QuestionID)
		e.str(ev.Interviewer)
		e.str(ev.Detail)
	}
	if len(iv.SetAside) > 0 {
		if err := e.answers(iv.SetAside); err != nil {
			return nil, err
		}
	}
	if e.err != nil {
		return nil, e.err
	}
	return e.finish(binInterviewV1, padInterview), nil
}

// answers appends a count and the answers.
func (e *binEncoder) answers(list []record.Answer) error {
	e.uint(len(list))
	for i := range list {
		a := &list[i]
		e.str(a.QuestionID)
		e.time(a.AnsweredAt)
		switch v := a.Value.(type) {
		case nil:
			e.b = append(e.b, valNil)
		case string:
			e.b = append(e.b, valString)
			e.str(v)
		case int:
			e.b = append(e.b, valInt)
			e.b = binary.AppendVarint(e.b, int64(v))
		case []string:
			if v == nil { // as JSON has it: null, read back as no value
				e.b = append(e.b, valNil)
				break
			}
			e.b = append(e.b, valStrings)
			e.uint(len(v))
			for _, s := range v {
				e.str(s)
			}
		default:
			return fmt.Errorf("question %q: %w", a.QuestionID, record.ErrValueType)
		}
	}
	return nil
}

// encodeEntryBinary returns the padded binary plaintext of an index entry.
func encodeEntryBinary(en *record.Entry) ([]byte, error) {
	e := newBinEncoder(128)
	for _, s := range [...]string{en.ID, string(en.Status), en.Interviewer, en.Outcome, en.FlowID, en.FlowVersion} {
		e.str(s)
	}
	e.time(en.CreatedAt)
	e.time(en.UpdatedAt)
	var flags byte
	if en.CompletedAt != nil {
		flags |= flagCompleted
	}
	if en.AmendedSinceExport {
		flags |= flagEntryAmended
	}
	e.b = append(e.b, flags)
	if en.CompletedAt != nil {
		e.time(*en.CompletedAt)
	}
	if e.err != nil {
		return nil, e.err
	}
	return e.finish(binEntryV1, padEntry), nil
}

// binDecoder reads one record body. The body is copied once into a string
// and every decoded string is a slice of it, so decoding allocates little;
// the string table is reused from record to record.
type binDecoder struct {
	s   string
	i   int
	bad bool
	tbl []string
}

// frame checks the format byte, length and padding of a binary plaintext
// and returns its body.
func binBody(pt []byte, format byte) ([]byte, error) {
	if len(pt) == 0 || pt[0] != format {
		return nil, errBinary
	}
	n, k := binary.Uvarint(pt[1:])
	if k <= 0 || n > uint64(len(pt)-1-k) {
		return nil, errBinary
	}
	body := pt[1+k : 1+k+int(n)]
	for _, c := range pt[1+k+int(n):] {
		if c != ' ' {
			return nil, errBinary
		}
	}
	return body, nil
}

func (d *binDecoder) reset(body []byte) {
	d.s = string(body)
	d.i = 0
	d.bad = false
	d.tbl = d.tbl[:0]
}

func (d *binDecoder) fail() { d.bad = true; d.i = len(d.s) }

func (d *binDecoder) uvarint() uint64 {
	// Inline fast path for one-byte values, the common case.
	if d.i < len(d.s) && d.s[d.i] < 0x80 {
		v := d.s[d.i]
		d.i++
		return uint64(v)
	}
	var x uint64
	var s uint
	for k := 0; k < binary.MaxVarintLen64; k++ {
		if d.i >= len(d.s) {
			d.fail()
			return 0
		}
		c := d.s[d.i]
		d.i++
		if c < 0x80 {
			if k == binary.MaxVarintLen64-1 && c > 1 {
				d.fail()
				return 0
			}
			return x | uint64(c)<<s
		}
		x |= uint64(c&0x7f) << s
		s += 7
	}
	d.fail()
	return 0
}

func (d *binDecoder) varint() int64 {
	ux := d.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (d *binDecoder) byte() byte {
	if d.i >= len(d.s) {
		d.fail()
		return 0
	}
	c := d.s[d.i]
	d.i++
	return c
}

func (d *binDecoder) str() string {
	v := d.uvarint()
	if v&1 == 0 {
		k := v >> 1
		if k >= uint64(len(d.tbl)) {
			d.fail()
			return ""
		}
		return d.tbl[k]
	}
	n := v >> 1
	if n > uint64(len(d.s)-d.i) {
		d.fail()
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	if s != "" {
		d.tbl = append(d.tbl, s)
	}
	return s
}

func (d *binDecoder) time() time.Time {
	sec := d.varint()
	ns := d.uvarint()
	if ns >= 1e9 || sec < minUnix || sec >= maxUnix {
		d.fail()
		return time.Time{}
	}
	return time.Unix(sec, int64(ns)).UTC()
}

// count reads a count of items each at least min bytes long, refusing one
// the rest of the body cannot hold.
func (d *binDecoder) count(min int) int {
	n := d.uvarint()
	if n > uint64((len(d.s)-d.i)/min) {
		d.fail()
		return 0
	}
	return int(n)
}

func status(s string) record.Status {
	// The known ones as constants, so comparisons and memory do not
	// depend on the record's string.
	switch record.Status(s) {
	case record.StatusDraft:
		return record.StatusDraft
	case record.StatusCompleted:
		return record.StatusCompleted
	case record.StatusExported:
		return record.StatusExported
	}
	return record.Status(s)
}

// interview decodes an Interview body.
func (d *binDecoder) interview(body []byte) (*record.Interview, error) {
	d.reset(body)
	iv := new(record.Interview)
	iv.ID = d.str()
	iv.FlowID = d.str()
	iv.FlowVersion = d.str()
	iv.FlowHash = d.str()
	iv.Interviewer = d.str()
	iv.Location = d.str()
	iv.Language = d.str()
	iv.Status = status(d.str())
	iv.Position = d.str()
	iv.Outcome = d.str()
	iv.CreatedAt = d.time()
	iv.UpdatedAt = d.time()
	flags := d.byte()
	if flags&^(flagCompleted|flagConsent|flagConsentGiven|flagAnswers|flagAudit|flagSetAside) != 0 ||
		flags&(flagConsent|flagConsentGiven) == flagConsentGiven {
		d.fail()
	}
	if flags&flagCompleted != 0 {
		t := d.time()
		iv.CompletedAt = &t
	}
	if flags&flagConsent != 0 {
		iv.Consent = &record.Consent{Given: flags&flagConsentGiven != 0, At: d.time(), Language: d.str()}
	}
	if n := d.count(4); n > 0 || flags&flagAnswers != 0 {
		iv.Answers = d.answers(n)
	}
	// An audit event takes at least 6 bytes: time (2) and four strings.
	if n := d.count(6); n > 0 || flags&flagAudit != 0 {
		iv.Audit = make([]record.AuditEvent, n)
		for i := range iv.Audit {
			ev := &iv.Audit[i]
			ev.At = d.time()
			ev.Event = record.Event(d.str())
			ev.QuestionID = d.str()
			ev.Interviewer = d.str()
			ev.Detail = d.str()
			if d.bad {
				break
			}
		}
	}
	if flags&flagSetAside != 0 {
		if iv.SetAside = d.answers(d.count(4)); len(iv.SetAside) == 0 {
			d.fail() // the encoder writes the flag only with answers
		}
	}
	if d.bad || d.i != len(d.s) {
		return nil, errBinary
	}
	if flags&flagAnswers == 0 && iv.Answers != nil || flags&flagAudit == 0 && iv.Audit != nil {
		return nil, errBinary // a count without its flag: not what the encoder writes
	}
	return iv, nil
}

// answers decodes n answers (n from count(4): an answer takes at least 4
// bytes, question id, time (2) and value tag).
func (d *binDecoder) answers(n int) []record.Answer {
	out := make([]record.Answer, n)
	for i := range out {
		a := &out[i]
		a.QuestionID = d.str()
		a.AnsweredAt = d.time()
		switch d.byte() {
		case valNil:
		case valString:
			a.Value = d.str()
		case valInt:
			x := d.varint()
			if x < math.MinInt || x > math.MaxInt {
				d.fail()
			}
			a.Value = int(x)
		case valStrings:
			ss := make([]string, d.count(1))
			for k := range ss {
				ss[k] = d.str()
			}
			a.Value = ss
		default:
			d.fail()
		}
		if d.bad {
			break
		}
	}
	return out
}

// entry decodes an Entry body into e.
func (d *binDecoder) entry(body []byte, e *record.Entry) error {
	d.reset(body)
	e.ID = d.str()
	e.Status = status(d.str())
	e.Interviewer = d.str()
	e.Outcome = d.str()
	e.FlowID = d.str()
	e.FlowVersion = d.str()
	e.CreatedAt = d.time()
	e.UpdatedAt = d.time()
	e.CompletedAt = nil
	flags := d.byte()
	if flags&^(flagCompleted|flagEntryAmended) != 0 {
		d.fail()
	}
	if flags&flagCompleted != 0 {
		t := d.time()
		e.CompletedAt = &t
	}
	e.AmendedSinceExport = flags&flagEntryAmended != 0
	if d.bad || d.i != len(d.s) {
		return errBinary
	}
	return nil
}
