// Package synth makes synthetic interviews for benchmarks and load tests:
// answer sets that follow a flow's conditions as a real interview would
// (only questions the flow asks, valid values of each type, some
// declined, dont_know or left unanswered where the flow allows it),
// completed as session.Complete completes them, and stored through the
// real store code or written as handover bundles.
//
// A generator walks the flow a few thousand times and gives each interview
// one of those walks with its own ID, times, interviewer and place (see
// poolSize). Everything is deterministic from a seed: interview i of a seed is the
// same interview on every run and every machine, whatever the count or the
// number of cores used to make it. Nothing here is real data; the names
// and places are made up. The package must not be used by an interview.
package synth

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"fieldscreen/internal/parallel"
	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/questionnaire"
)

// Epoch is when the first synthetic interview starts; later ones follow
// a few minutes apart, so listing order is stable and realistic.
var Epoch = time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)

// Chances of the answers a real interview gives other than a plain value,
// on questions that are not required.
const (
	pDeclined   = 0.04
	pDontKnow   = 0.05
	pUnanswered = 0.03 // shown and left unanswered: a nil answer
	pExclusive  = 0.25 // a multi answered with its exclusive choice ("none")
	pEarlyEnd   = 0.02 // an answer that ends the interview (refused consent)
)

var (
	interviewers = []string{"A. Officer", "B. Caseworker", "C. Outreach", "D. Legal", "E. Health", "F. Protection"}
	texts        = []string{"Nigeria", "Eritrea", "Viet Nam", "Syria", "Afghanistan", "Ukraine", "Honduras", "Bangladesh", "Sudan", "Albania"}
)

// poolSize is how many distinct answer walks a generator makes. Walking
// the flow costs about a third of a millisecond an interview (each answer
// asks the flow what comes next), too slow for a million; so interview i
// takes walk i mod poolSize, shuffled, with its own ID, times, interviewer
// and place. Scoring does no caching, so a scorer still does every
// interview's full work.
const poolSize = 2048

// Generator makes the synthetic interviews of one flow and seed.
type Generator struct {
	f    *questionnaire.Flow
	seed uint64

	once sync.Once
	pool []*record.Interview
	err  error
}

// New returns a generator of interviews on flow f.
func New(f *questionnaire.Flow, seed uint64) *Generator {
	return &Generator{f: f, seed: seed}
}

// Flow returns the generator's flow.
func (g *Generator) Flow() *questionnaire.Flow { return g.f }

// walks makes the pool of answer walks, on every core.
func (g *Generator) walks() ([]*record.Interview, error) {
	g.once.Do(func() {
		g.pool = make([]*record.Interview, poolSize)
		g.err = parallel.For(context.Background(), poolSize, func(_ context.Context, k int) error {
			var err error
			g.pool[k], err = g.walk(k)
			return err
		})
	})
	return g.pool, g.err
}

// Interview returns interview i (0-based): a completed interview whose
// answers the flow would ask for, in the order it would ask them.
// It is safe to call from several goroutines.
func (g *Generator) Interview(i int) (*record.Interview, error) {
	pool, err := g.walks()
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(g.seed^0x9e3779b97f4a7c15, uint64(i)))
	t := pool[(i+rng.IntN(poolSize))%poolSize]
	start := Epoch.Add(time.Duration(i)*3*time.Minute + time.Duration(rng.IntN(120))*time.Second)
	shift := start.Sub(t.CreatedAt)
	who := interviewers[rng.IntN(len(interviewers))]
	iv := *t
	iv.ID = newID(start, rng)
	iv.Interviewer = who
	iv.Location = fmt.Sprintf("LOC-%02d", 1+rng.IntN(24))
	iv.CreatedAt = t.CreatedAt.Add(shift)
	iv.UpdatedAt = t.UpdatedAt.Add(shift)
	done := t.CompletedAt.Add(shift)
	iv.CompletedAt = &done
	if t.Consent != nil {
		c := *t.Consent
		c.At = c.At.Add(shift)
		iv.Consent = &c
	}
	iv.Answers = slices.Clone(t.Answers)
	for k := range iv.Answers {
		iv.Answers[k].AnsweredAt = iv.Answers[k].AnsweredAt.Add(shift)
		if l, ok := iv.Answers[k].Value.([]string); ok {
			iv.Answers[k].Value = slices.Clone(l)
		}
	}
	iv.Audit = slices.Clone(t.Audit)
	for k := range iv.Audit {
		iv.Audit[k].At = iv.Audit[k].At.Add(shift)
		iv.Audit[k].Interviewer = who
	}
	return &iv, nil
}

// walk makes answer walk k: it asks the flow for the next question
// (questionnaire.Flow.Next) and answers it until the flow ends, then
// completes the interview with session.Complete.
func (g *Generator) walk(k int) (*record.Interview, error) {
	rng := rand.New(rand.NewPCG(g.seed, uint64(k)))
	f := g.f
	start := Epoch
	who := interviewers[0]
	lang := f.DefaultLanguage
	if len(f.Languages) > 0 && rng.Float64() < 0.2 {
		lang = f.Languages[rng.IntN(len(f.Languages))]
	}
	iv := &record.Interview{
		ID: newID(start, rng), FlowID: f.ID, FlowVersion: f.Version, FlowHash: f.Hash,
		Interviewer: who, Language: f.Lang(lang),
		Status: record.StatusDraft, CreatedAt: start, UpdatedAt: start,
		Audit: []record.AuditEvent{record.Created(start, who)},
	}
	ans := questionnaire.Answers{}
	at := start
	for {
		q, err := f.Next(ans)
		if err != nil {
			return nil, fmt.Errorf("synthetic walk %d: %w", k, err)
		}
		if q == nil {
			break
		}
		v, err := g.answer(rng, q, ans)
		if err != nil {
			return nil, fmt.Errorf("synthetic walk %d: %w", k, err)
		}
		ans[q.ID] = v
		if q.EndsIf != nil && rng.Float64() >= pEarlyEnd {
			// Most people go on: if this answer ended the interview,
			// give another one that does not, when there is one.
			for try := 0; try < 8; try++ {
				if next, err := f.Next(ans); err != nil || next != nil {
					break
				}
				if v, err = g.answer(rng, q, ans); err != nil {
					return nil, fmt.Errorf("synthetic walk %d: %w", k, err)
				}
				ans[q.ID] = v
			}
		}
		at = at.Add(time.Duration(5+rng.IntN(90)) * time.Second)
		session.SetAnswer(iv, q.ID, v, at, who)
		if s, ok := v.(string); ok && q.ID != "" && q.ID == f.ConsentQuestion && (s == "yes" || s == "no") {
			iv.Consent = &record.Consent{Given: s == "yes", At: at, Language: iv.Language}
		}
	}
	at = at.Add(time.Duration(30+rng.IntN(300)) * time.Second)
	if err := session.Complete(iv, f, at); err != nil {
		return nil, fmt.Errorf("synthetic walk %d: %w", k, err)
	}
	return iv, nil
}

// answer picks a value for q that the flow accepts, given the earlier answers.
func (g *Generator) answer(rng *rand.Rand, q *questionnaire.Question, earlier questionnaire.Answers) (any, error) {
	if !q.Required {
		switch r := rng.Float64(); {
		case r < pDeclined:
			return questionnaire.Declined, nil
		case r < pDeclined+pDontKnow:
			return questionnaire.DontKnow, nil
		case r < pDeclined+pDontKnow+pUnanswered:
			return nil, nil
		}
	}
	// A constraint may refuse a value given earlier answers (an age
	// against a date, say): try a few, then fall back to what is allowed.
	var lastErr error
	for try := 0; try < 16; try++ {
		v := g.value(rng, q)
		ok, err := g.f.Check(q, v, earlier, "")
		if err == nil {
			return ok, nil
		}
		lastErr = err
	}
	if !q.Required {
		return questionnaire.DontKnow, nil
	}
	return nil, lastErr
}

// value picks a value of q's type, not yet checked against constraints.
func (g *Generator) value(rng *rand.Rand, q *questionnaire.Question) any {
	switch q.Type {
	case questionnaire.TypeYesNo:
		if rng.Float64() < 0.45 {
			return "yes"
		}
		return "no"
	case questionnaire.TypeChoice:
		return q.Choices[rng.IntN(len(q.Choices))].Value
	case questionnaire.TypeMulti:
		var excl, plain []string
		for _, c := range q.Choices {
			if c.Exclusive || c.Value == questionnaire.None {
				excl = append(excl, c.Value)
			} else {
				plain = append(plain, c.Value)
			}
		}
		if len(excl) > 0 && (len(plain) == 0 || rng.Float64() < pExclusive) {
			return []string{excl[rng.IntN(len(excl))]}
		}
		n := 1 + rng.IntN(min(3, len(plain)))
		out := make([]string, 0, n)
		for _, k := range rng.Perm(len(plain))[:n] {
			out = append(out, plain[k])
		}
		return out // Check puts them in the flow's order
	case questionnaire.TypeInteger:
		lo, hi := 0, 100
		if q.Min != nil {
			lo = *q.Min
			if q.Max == nil {
				hi = lo + 100
			}
		}
		if q.Max != nil {
			hi = *q.Max
			if q.Min == nil {
				lo = min(0, hi)
			}
		}
		if hi < lo {
			return lo
		}
		return lo + rng.IntN(hi-lo+1)
	default: // text
		return texts[rng.IntN(len(texts))]
	}
}

// newID is a UUIDv7 for time t whose random bits come from rng, so the
// same seed gives the same IDs.
func newID(t time.Time, rng *rand.Rand) string {
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	u[0], u[1], u[2], u[3], u[4], u[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	binary.BigEndian.PutUint64(u[8:], rng.Uint64())
	r := rng.Uint32()
	u[6], u[7] = byte(r>>8), byte(r)
	u[6] = u[6]&0x0f | 0x70 // version 7
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u.String()
}
