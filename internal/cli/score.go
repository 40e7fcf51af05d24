package cli

import (
	"runtime"
	"sync"
	"sync/atomic"

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

// scorer scores interviews on every core and emits their summaries in the
// order they were submitted, so the output is the same as scoring one at a
// time. Reading (the store, a bundle) stays on the caller's goroutine;
// Flow.Score is safe to run concurrently. Memory stays bounded: submit
// waits once a few interviews per core are in flight.
type scorer struct {
	jobs  chan *scoreJob
	queue chan *scoreJob
	emit  func(scored) error
	wg    sync.WaitGroup
	done  chan struct{}
	err   error        // the first error, in submission order; set by the emitting goroutine
	stop  atomic.Bool  // an error was met: submit refuses more work
	first atomic.Value // holds err once stop is set, for submit
}

type scoreJob struct {
	run  func() (scored, error)
	s    scored
	err  error
	done chan struct{}
}

func newScorer(emit func(scored) error) *scorer {
	n := runtime.GOMAXPROCS(0)
	s := &scorer{jobs: make(chan *scoreJob, n), queue: make(chan *scoreJob, 8*n), emit: emit, done: make(chan struct{})}
	for range n {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for j := range s.jobs {
				j.s, j.err = j.run()
				close(j.done)
			}
		}()
	}
	go func() {
		defer close(s.done)
		for j := range s.queue {
			<-j.done
			if s.err != nil {
				continue
			}
			if s.err = j.err; s.err == nil {
				s.err = emit(j.s)
			}
			if s.err != nil {
				s.first.Store(s.err)
				s.stop.Store(true)
			}
		}
	}()
	return s
}

// submit queues one interview to score. It returns an error once an
// earlier interview failed to score or emit, so the caller stops reading.
func (s *scorer) submit(run func() (scored, error)) error {
	if s.stop.Load() {
		return s.first.Load().(error)
	}
	j := &scoreJob{run: run, done: make(chan struct{})}
	s.queue <- j
	s.jobs <- j
	return nil
}

// wait lets the queued interviews finish and returns the first error
// (in submission order), or else readErr.
func (s *scorer) wait(readErr error) error {
	close(s.jobs)
	close(s.queue)
	s.wg.Wait()
	<-s.done
	if s.err != nil {
		return s.err
	}
	return readErr
}
