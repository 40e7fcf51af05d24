// Package interrupt turns the signals that ask fieldscreen to stop
// (SIGINT, SIGTERM, SIGHUP) into a cancelled context, as restic's
// cleanup.go does: the command under way stops at its next check, removes
// its temporary files, and the CLI clears the keys and exits 130. A second
// signal is handed to main, which exits at once.
//
// It neither prints nor exits: main does both.
package interrupt

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// Signals are the signals that stop a command.
var Signals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// Stopped is the cause of a context cancelled by a signal.
type Stopped struct{ Signal os.Signal }

func (s *Stopped) Error() string { return "stopped by " + Name(s.Signal) }

// Name names a signal as a person knows it.
func Name(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "Ctrl-C (SIGINT)"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP (the terminal closed)"
	}
	return sig.String()
}

// held counts the holders of SIGINT (a pager such as less, which uses
// Ctrl-C to stop a search): while it is above zero, SIGINT stops nothing.
var held atomic.Int32

// Hold makes SIGINT stop nothing until release is called. SIGTERM and
// SIGHUP still stop the command.
func Hold() (release func()) {
	held.Add(1)
	var done atomic.Bool
	return func() {
		if done.CompareAndSwap(false, true) {
			held.Add(-1)
		}
	}
}

// Context returns a copy of parent that is cancelled, with a *Stopped
// cause, by the first of Signals to arrive. Every signal after that one is
// sent on again (main exits at once on it). stop undoes the notification
// and releases the context.
func Context(parent context.Context) (ctx context.Context, again <-chan os.Signal, stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, Signals...)
	return watch(parent, sigs, func() { signal.Stop(sigs) })
}

// watch does Context's work on a channel of signals (tests feed it).
func watch(parent context.Context, sigs <-chan os.Signal, unnotify func()) (context.Context, <-chan os.Signal, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	more := make(chan os.Signal, 1)
	done := make(chan struct{})
	go func() {
		stopped := false
		for {
			select {
			case sig := <-sigs:
				if sig == os.Interrupt && held.Load() > 0 {
					continue
				}
				if !stopped {
					stopped = true
					cancel(&Stopped{Signal: sig})
					continue
				}
				select {
				case more <- sig:
				default:
				}
			case <-done:
				return
			}
		}
	}()
	var once atomic.Bool
	return ctx, more, func() {
		if once.CompareAndSwap(false, true) {
			unnotify()
			close(done)
			cancel(nil)
		}
	}
}

// Cause is the signal that cancelled ctx, if one did.
func Cause(ctx context.Context) (*Stopped, bool) {
	s, ok := context.Cause(ctx).(*Stopped)
	return s, ok
}
