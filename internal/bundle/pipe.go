package bundle

import (
	"runtime"
	"sync"
)

// ordered runs jobs on every core and hands their results back in the
// order they were submitted. Memory stays bounded: submit waits once a few
// jobs per worker are in flight. stop ends it early (the consumer met an
// error or went away); submit then reports false.
type ordered[T any] struct {
	work  chan *job[T]
	queue chan *job[T]
	quit  chan struct{}
	once  sync.Once
	wg    sync.WaitGroup
}

type job[T any] struct {
	run  func() (T, error)
	out  T
	err  error
	done chan struct{}
}

func newOrdered[T any]() *ordered[T] {
	n := runtime.GOMAXPROCS(0)
	o := &ordered[T]{work: make(chan *job[T], n), queue: make(chan *job[T], 4*n), quit: make(chan struct{})}
	for range n {
		o.wg.Add(1)
		go func() {
			defer o.wg.Done()
			for j := range o.work {
				j.out, j.err = j.run()
				close(j.done)
			}
		}()
	}
	return o
}

// submit queues run; false once stop was called.
func (o *ordered[T]) submit(run func() (T, error)) bool {
	j := &job[T]{run: run, done: make(chan struct{})}
	select {
	case o.queue <- j:
	case <-o.quit:
		return false
	}
	select {
	case o.work <- j:
		return true
	case <-o.quit:
		// Queued but never run: finish it so a consumer does not wait.
		j.err = errStopped
		close(j.done)
		return false
	}
}

// close says no more jobs come; the workers end once the queued ones ran.
// Only the submitting goroutine calls it.
func (o *ordered[T]) close() {
	close(o.work)
	close(o.queue)
}

// next returns the next result in submission order; ok is false once
// close was called and every result was taken.
func (o *ordered[T]) next() (out T, err error, ok bool) {
	select {
	case j, more := <-o.queue:
		if !more {
			return out, nil, false
		}
		<-j.done
		return j.out, j.err, true
	case <-o.quit:
		return out, errStopped, true
	}
}

// stop abandons the jobs not yet taken; safe to call more than once and
// from any goroutine.
func (o *ordered[T]) stop() { o.once.Do(func() { close(o.quit) }) }

type stoppedError struct{}

func (stoppedError) Error() string { return "stopped" }

var errStopped error = stoppedError{}
