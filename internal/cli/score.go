package cli

import (
	"context"

	"fieldscreen/internal/parallel"
	"fieldscreen/questionnaire"
)

// scored is one interview's summary with the flow it was scored on.
type scored struct {
	flow *questionnaire.Flow
	sum  *questionnaire.Summary
	lang string
	// ans are the answers scored, for the summary's "why" lines (each
	// question with the answer given); nil leaves the answers out.
	ans questionnaire.Answers
}

// withServices lists a referral directory's services in each summary.
type withServices struct {
	a *app
	emitter
}

func (w *withServices) emit(s scored) error {
	if err := w.a.attachServices(s); err != nil {
		return err
	}
	return w.emitter.emit(s)
}

// scorer scores interviews on every core (parallel.Ordered) and emits
// their summaries in the order they were submitted, so the output is the
// same as scoring one at a time. Reading (the store, a bundle) stays on
// the caller's goroutine; Flow.Score is safe to run concurrently. Memory
// stays bounded: submit waits while a few interviews per core are in
// flight.
type scorer struct{ o *parallel.Ordered[scored] }

func newScorer(ctx context.Context, emit func(scored) error) *scorer {
	return &scorer{o: parallel.NewOrdered(ctx, emit)}
}

// submit queues one interview to score. It returns an error once an
// earlier interview failed to score or emit, or ctx was cancelled, so the
// caller stops reading.
func (s *scorer) submit(run func() (scored, error)) error {
	return s.o.Go(func(context.Context) (scored, error) { return run() })
}

// wait lets the queued interviews finish and returns the first error
// (in submission order), or else readErr.
func (s *scorer) wait(readErr error) error {
	if err := s.o.Wait(); err != nil {
		return err
	}
	return readErr
}
