// Package parallel is the one way fieldscreen runs work on every core:
// scoring, bundles, import and the synthetic generator use it. Both helpers
// are built on errgroup, take a context and stop at the first error or when
// the context is cancelled.
package parallel

import (
	"context"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Workers is how many goroutines the helpers run: one per usable core.
func Workers() int { return runtime.GOMAXPROCS(0) }

// For calls fn(ctx, i) for every i in [0, n) on Workers() goroutines and
// waits for them. The first error cancels the context the others see and is
// returned; a cancelled ctx stops the walk with ctx's error.
func For(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	if n <= 0 {
		return ctx.Err()
	}
	g, gctx := errgroup.WithContext(ctx)
	var next atomic.Int64
	for range min(Workers(), n) {
		g.Go(func() error {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return nil
				}
				if err := gctx.Err(); err != nil {
					return context.Cause(gctx)
				}
				if err := fn(gctx, i); err != nil {
					return err
				}
			}
		})
	}
	return g.Wait()
}

// Ordered runs jobs on every core and hands their results to emit in the
// order the jobs were given, on one goroutine, so the output is the same as
// doing them one at a time. Memory stays bounded: Go waits while a few jobs
// per core are in flight. Use: o := NewOrdered(ctx, emit); for each item,
// if err := o.Go(job); err != nil { break }; then err := o.Wait().
type Ordered[T any] struct {
	ctx     context.Context
	cancel  context.CancelCauseFunc
	g       errgroup.Group
	queue   chan *slot[T] // every job, in submission order, for the emitter
	work    chan *slot[T] // jobs for the workers
	emitted chan struct{}
	err     error // first error in submission order; set by the emitting goroutine
}

type slot[T any] struct {
	job  func(ctx context.Context) (T, error)
	v    T
	err  error
	done chan struct{}
}

// NewOrdered starts the emitting goroutine; emit gets each result in order.
func NewOrdered[T any](ctx context.Context, emit func(T) error) *Ordered[T] {
	n := Workers()
	ctx, cancel := context.WithCancelCause(ctx)
	o := &Ordered[T]{ctx: ctx, cancel: cancel, queue: make(chan *slot[T], 4*n), work: make(chan *slot[T], n), emitted: make(chan struct{})}
	for range n { // long-lived workers: no goroutine per job
		o.g.Go(func() error {
			for s := range o.work {
				if o.ctx.Err() != nil {
					s.err = context.Cause(o.ctx)
				} else {
					s.v, s.err = s.job(o.ctx)
				}
				s.job = nil
				close(s.done)
			}
			return nil
		})
	}
	go func() {
		defer close(o.emitted)
		for s := range o.queue {
			<-s.done
			if o.err != nil {
				continue
			}
			err := s.err
			if err == nil {
				err = emit(s.v)
			}
			if err != nil {
				o.err = err
				o.cancel(err)
			}
		}
	}()
	return o
}

// Go queues one job. It returns an error (the first job or emit error, or the
// context's) once the work has stopped, so the caller stops reading input.
// Go is called from one goroutine, never after Wait.
func (o *Ordered[T]) Go(job func(ctx context.Context) (T, error)) error {
	if o.ctx.Err() != nil {
		return context.Cause(o.ctx)
	}
	s := &slot[T]{job: job, done: make(chan struct{})}
	select {
	case o.queue <- s: // its place in the order first
	case <-o.ctx.Done():
		return context.Cause(o.ctx)
	}
	o.work <- s // a worker always takes it: workers run until Wait closes work
	return nil
}

// Wait lets the queued jobs finish and returns the first error in
// submission order (a job's, emit's or the context's), or nil.
func (o *Ordered[T]) Wait() error {
	close(o.queue)
	close(o.work)
	o.g.Wait()
	<-o.emitted
	defer o.cancel(nil)
	if o.err != nil {
		return o.err
	}
	return o.ctx.Err()
}
