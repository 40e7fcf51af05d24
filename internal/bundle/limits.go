package bundle

import (
	"io"
	"math"
	"unicode/utf8"

	"fieldscreen/questionnaire"
)

// A bundle comes from outside, so everything in it has a size limit,
// checked as it streams past, before it is held: whatever the bundle, a
// reader holds one interview (and the flows) at a time. The limits are
// far above what fieldscreen writes (TestLimitsAboveWhatIsWritten).
const (
	// MaxBundleInterviews is the most interviews one bundle may carry;
	// more is a bundle no laptop made (100,000 interviews is a year of a
	// busy office), so it is refused rather than read for hours.
	MaxBundleInterviews = 1_000_000
	// maxFlows is the most flows a bundle may carry (one per flow version
	// its interviews were taken with).
	maxFlows = 64
	// maxHeaderBytes bounds everything before the interviews: the flows'
	// sources (each at most questionnaire.MaxFlowSource) and a few fields.
	maxHeaderBytes = 16 << 20
	// maxInterviewBytes bounds one interview as written: answers (each
	// text at most questionnaire.MaxTextAnswer), labels, summary, audit
	// trail. A real one is about 10 KB.
	maxInterviewBytes = 4 << 20
	// maxTailBytes bounds what may follow the interviews.
	maxTailBytes = 64 << 10
	// maxFieldBytes bounds a bundle's short texts: names, location,
	// purpose, a label, an audit event's detail, a correction's reason.
	maxFieldBytes = 4096
	// maxAuditEvents bounds an interview's audit trail.
	maxAuditEvents = 20_000
)

// maxInterviews is MaxBundleInterviews; a test lowers it.
var maxInterviews = MaxBundleInterviews

// capReader reads from r until left bytes have been read, then fails:
// the JSON decoder buffers a whole value before it can be looked at, so
// the limit must be on the bytes, not the values.
type capReader struct {
	r    io.Reader
	left int64
	what string // what is over the limit, for the message
	read int64  // the bytes read through it, for a truncated bundle's message
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, invalidf("%s is larger than fieldscreen reads", c.what)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	c.read += int64(n)
	return n, err
}

// limit sets how many more bytes may be read, and what they are.
func (c *capReader) limit(n int64, what string) {
	c.left, c.what = n, what
}

func (c *capReader) unlimited() { c.left, c.what = math.MaxInt64, "" }

// checkSizes refuses an interview holding a field longer than the
// limits. Answers are checked against their flow (checkAnswers): a text
// answer is at most questionnaire.MaxTextAnswer.
func checkSizes(iv *Interview) error {
	id := iv.InterviewID
	long := func(what string, s string) error {
		if len(s) > maxFieldBytes {
			return invalidf("interview %s: its %s is %d bytes long; at most %d are read", id, what, len(s), maxFieldBytes)
		}
		if !utf8.ValidString(s) {
			return invalidf("interview %s: its %s is not valid UTF-8 text", id, what)
		}
		return nil
	}
	for _, f := range []struct{ what, s string }{
		{"interviewer", iv.Interviewer}, {"location", iv.Location}, {"language", iv.Language},
		{"position", iv.Position}, {"status", iv.Status},
	} {
		if err := long(f.what, f.s); err != nil {
			return err
		}
	}
	if len(iv.Audit) > maxAuditEvents {
		return invalidf("interview %s: its audit trail has %d events; at most %d are read", id, len(iv.Audit), maxAuditEvents)
	}
	for _, e := range iv.Audit {
		for _, f := range []struct{ what, s string }{
			{"audit event", string(e.Event)}, {"audit event's question", e.QuestionID}, {"audit detail", e.Detail},
		} {
			if err := long(f.what, f.s); err != nil {
				return err
			}
		}
		if e.Interviewer != nil {
			if err := long("audit event's interviewer", *e.Interviewer); err != nil {
				return err
			}
		}
	}
	for _, c := range iv.Corrections {
		if err := long("correction's reason", c.Reason); err != nil {
			return err
		}
	}
	for _, a := range iv.Answers {
		if err := long("answer's label", a.Label); err != nil {
			return err
		}
		if s, ok := a.Value.(string); ok && len(s) > questionnaire.MaxTextAnswer {
			return invalidf("interview %s: its answer to question %q is %d bytes long; an answer holds at most %d", id, a.ID, len(s), questionnaire.MaxTextAnswer)
		}
	}
	return nil
}

// checkHeaderSizes refuses a bundle header with too many flows, a flow
// too large, or header texts too long.
func checkHeaderSizes(h *Header) error {
	if len(h.Flows) > maxFlows {
		return invalidf("it carries %d flows; at most %d are read", len(h.Flows), maxFlows)
	}
	for i, f := range h.Flows {
		if len(f.Source) > questionnaire.MaxFlowSource {
			return invalidf("flow %d is %d bytes long; a flow may be at most %d", i+1, len(f.Source), questionnaire.MaxFlowSource)
		}
	}
	for _, f := range []struct{ what, s string }{{"interviewer", h.Interviewer}, {"purpose", h.Purpose}, {"generator", h.Generator}} {
		if len(f.s) > maxFieldBytes {
			return invalidf("its %s is %d bytes long; at most %d are read", f.what, len(f.s), maxFieldBytes)
		}
	}
	return nil
}
