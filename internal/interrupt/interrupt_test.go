package interrupt

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestFirstSignalCancelsSecondIsPassedOn(t *testing.T) {
	sigs := make(chan os.Signal, 1)
	ctx, again, stop := watch(context.Background(), sigs, func() {})
	defer stop()
	sigs <- syscall.SIGTERM
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not cancel the context")
	}
	s, ok := Cause(ctx)
	if !ok || s.Signal != syscall.SIGTERM {
		t.Fatalf("cause = %v, want SIGTERM", context.Cause(ctx))
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatalf("ctx.Err() = %v", ctx.Err())
	}
	sigs <- os.Interrupt
	select {
	case sig := <-again:
		if sig != os.Interrupt {
			t.Fatalf("passed on %v, want interrupt", sig)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal was not passed on")
	}
}

func TestHoldPassesOverSIGINTOnly(t *testing.T) {
	sigs := make(chan os.Signal) // unbuffered: a send returns once the last signal was dealt with
	ctx, _, stop := watch(context.Background(), sigs, func() {})
	defer stop()
	release := Hold()
	defer release()
	sigs <- os.Interrupt
	sigs <- os.Interrupt
	if ctx.Err() != nil {
		t.Fatal("SIGINT cancelled the context while held")
	}
	sigs <- syscall.SIGHUP
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGHUP did not cancel the context while SIGINT was held")
	}
	if s, _ := Cause(ctx); s == nil || s.Signal != syscall.SIGHUP {
		t.Fatalf("cause = %v, want SIGHUP", context.Cause(ctx))
	}
	release()
	release() // a second release changes nothing
	if n := held.Load(); n != 0 {
		t.Fatalf("held = %d after release", n)
	}
}

func TestStopReleasesWithoutCause(t *testing.T) {
	ctx, _, stop := watch(context.Background(), make(chan os.Signal), func() {})
	stop()
	stop()
	if ctx.Err() == nil {
		t.Fatal("stop left the context alive")
	}
	if _, ok := Cause(ctx); ok {
		t.Fatal("a context stopped by stop names a signal")
	}
}
