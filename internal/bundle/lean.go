package bundle

import (
	"errors"
	"time"

	"github.com/google/uuid"

	"fieldscreen/internal/bundle/internal/wire"
	"fieldscreen/questionnaire"
)

// Scorable is what scoring needs of an interview: NextForScoring returns
// it without decoding the labels, summary and audit trail into memory.
type Scorable struct {
	InterviewID string
	Flow        questionnaire.FlowRef
	Status      string
	Language    string
	Answers     questionnaire.Answers
	// Where, by whom and when, for score's rows.
	Interviewer, Location string
	CreatedAt             time.Time
	CompletedAt           *time.Time
}

// Score computes the interview's summary on f, as Interview.Score does.
func (s *Scorable) Score(f *questionnaire.Flow) (*questionnaire.Summary, error) {
	return scoreAnswers(s.InterviewID, s.Status, s.Language, s.Answers, f)
}

func scorableOf(iv *Interview) *Scorable {
	return &Scorable{InterviewID: iv.InterviewID, Flow: iv.Flow, Status: iv.Status, Language: iv.Language, Answers: iv.answers(),
		Interviewer: iv.Interviewer, Location: iv.Location, CreatedAt: iv.CreatedAt, CompletedAt: iv.CompletedAt}
}

// NextForScoring is Next for scoring: the same checks of the bundle (its
// structure, every interview's fields and its flow, duplicates and
// interviews_sha256), but each interview is scanned in place rather than
// decoded whole. An interview the scanner does not take as it is (escaped
// strings it keeps, unknown or repeated keys, anything invalid) is
// decoded fully, so its errors are Next's. A Reader is read with Next or
// NextForScoring, not both.
func (r *Reader) NextForScoring() (*Scorable, error) {
	if r.out == nil && r.inList {
		r.lean = true
	}
	if !r.lean && !r.done {
		r.done = true
		r.stop()
		return nil, errors.New("bundle: NextForScoring after Next")
	}
	res, err := r.advance()
	if err != nil {
		return nil, err
	}
	return res.sc, nil
}

// decodeScorable is decodeLine for NextForScoring.
func decodeScorable(raw []byte, at int64, flows map[string]*questionnaire.Flow, schema int) (lineResult, error) {
	sc, ok := scanInterview(raw, flows)
	if !ok {
		res, err := decodeLine(raw, at, flows, schema)
		if err != nil {
			return res, err
		}
		res.sc, res.iv = scorableOf(res.iv), nil
		return res, nil
	}
	l, err := canonicalLine(raw)
	if err != nil {
		return lineResult{}, err
	}
	return lineResult{sc: sc, line: l}, nil
}

// scanInterview is wire.ScanInterview with checkInterview's checks of
// the fields it read: ok is false whenever the full decode must decide.
func scanInterview(raw []byte, flows map[string]*questionnaire.Flow) (*Scorable, bool) {
	sc, ok := wire.ScanInterview(raw)
	if !ok {
		return nil, false
	}
	// checkInterview, for the fields read here.
	u, err := uuid.Parse(sc.InterviewID)
	if err != nil || u.String() != sc.InterviewID {
		return nil, false
	}
	f := flows[sc.Flow.Hash]
	if f == nil || f.ID != sc.Flow.ID || f.Version != sc.Flow.Version || !validStatus[sc.Status] {
		return nil, false
	}
	if len(sc.Answers) != sc.AnswerCount { // two answers to a question
		return nil, false
	}
	for id := range sc.Answers {
		if f.Question(id) == nil {
			return nil, false
		}
	}
	return &Scorable{InterviewID: sc.InterviewID, Flow: sc.Flow, Status: sc.Status, Language: sc.Language, Answers: sc.Answers,
		Interviewer: sc.Interviewer, Location: sc.Location, CreatedAt: sc.CreatedAt, CompletedAt: sc.CompletedAt}, true
}
