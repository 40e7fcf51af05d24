package cli

import (
	"context"
	"io"
	"os"

	"golang.org/x/term"
)

// Reading from a person blocks in a system call that a signal does not
// end (Go restarts it), so a prompt would outlast Ctrl-C. Each read below
// runs on its own goroutine and gives up when the command's context is
// cancelled; the abandoned read ends with the process.

// cancelReader reads r until ctx is done, then reports the end of input:
// a line-mode interview pauses on it as on Ctrl-D.
type cancelReader struct {
	ctx context.Context
	r   io.Reader
}

type readResult struct {
	b   []byte
	err error
}

func (c *cancelReader) Read(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, io.EOF
	}
	ch := make(chan readResult, 1)
	go func() {
		buf := make([]byte, len(p)) // not p: the read may outlive this call
		n, err := c.r.Read(buf)
		ch <- readResult{buf[:n], err}
	}()
	select {
	case res := <-ch:
		return copy(p, res.b), res.err
	case <-c.ctx.Done():
		return 0, io.EOF
	}
}

// fileCancelReader is a cancelReader on a file, which keeps its Fd so that
// a terminal is still known as one.
type fileCancelReader struct {
	*cancelReader
	f *os.File
}

func (f *fileCancelReader) Fd() uintptr { return f.f.Fd() }

// cancellable wraps r so that reading it ends when ctx is cancelled. Only
// for line reads: a full-screen form needs the terminal itself.
func cancellable(ctx context.Context, r io.Reader) io.Reader {
	if ctx.Done() == nil {
		return r
	}
	c := &cancelReader{ctx: ctx, r: r}
	if f, ok := r.(*os.File); ok {
		return &fileCancelReader{cancelReader: c, f: f}
	}
	return c
}

// readPassword reads a passphrase without echo from the terminal fd; when
// ctx is cancelled first it gives the terminal its echo back and returns
// the cancellation.
func readPassword(ctx context.Context, fd int) ([]byte, error) {
	if ctx.Done() == nil {
		return term.ReadPassword(fd)
	}
	state, _ := term.GetState(fd)
	ch := make(chan readResult, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		ch <- readResult{b, err}
	}()
	select {
	case res := <-ch:
		return res.b, res.err
	case <-ctx.Done():
		if state != nil {
			term.Restore(fd, state)
		}
		return nil, context.Cause(ctx)
	}
}

// formInput is what an interview form reads: line prompts read through a
// cancellable reader, so that Ctrl-C pauses them as Ctrl-D does; the
// full-screen form reads the terminal itself and watches ctx on its own.
func (a *app) formInput(ctx context.Context, accessible bool) io.Reader {
	if accessible {
		return cancellable(ctx, a.io.In)
	}
	return a.io.In
}
