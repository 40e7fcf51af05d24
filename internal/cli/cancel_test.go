package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fieldscreen/internal/interrupt"
)

// runCtx runs fieldscreen in this process on the store at db with ctx
// and the given input.
func runCtx(ctx context.Context, db string, in io.Reader, args ...string) (code int, stdout, stderr string) {
	var out, errb strings.Builder
	env := map[string]string{"FIELDSCREEN_DB": db, "FIELDSCREEN_PASSPHRASE": "purge test passphrase", "NO_COLOR": "1", "FIELDSCREEN_CONFIG": db + ".config.yaml"}
	code = Execute(ctx, "test", args, &IO{In: in, Out: &out, Err: &errb, Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errb.String()
}

// signalled is a context cancelled as main's is by sig.
func signalled(sig os.Signal) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	return ctx, func() { cancel(&interrupt.Stopped{Signal: sig}) }
}

// TestCancelledScoreExits130: a command whose context is cancelled by a
// signal stops, prints one line naming the signal, and exits 130; the
// summaries it did not get to are not printed.
func TestCancelledScoreExits130(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	for range 3 {
		if code, _, errs := runCLI(t, db, "interview", "--answers", exampleAnswer, "--interviewer", "T"); code != 0 {
			t.Fatalf("interview: exit %d\n%s", code, errs)
		}
	}
	ctx, stop := signalled(syscall.SIGTERM)
	stop()
	code, out, errs := runCtx(ctx, db, strings.NewReader(""), "score", "--all", "--format", "jsonl")
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want %d\n%s", code, ExitInterrupted, errs)
	}
	if want := "fieldscreen: stopped by SIGTERM before the end\n"; errs != want {
		t.Errorf("stderr = %q, want %q", errs, want)
	}
	if out != "" {
		t.Errorf("a cancelled score printed summaries:\n%s", out)
	}
	// The store is closed and usable: the next command reads it whole.
	code, out, errs = runCtx(context.Background(), db, strings.NewReader(""), "score", "--all", "--format", "jsonl")
	if code != 0 || strings.Count(out, "\n") != 3 {
		t.Fatalf("after the cancelled score: exit %d, %d lines\n%s", code, strings.Count(out, "\n"), errs)
	}
}

// TestCancelledLineInterviewPauses: Ctrl-C during a line-mode interview
// (a blocked read of the next answer) stops it as Ctrl-D does, with exit
// 130 and its own words, not after the person presses Enter.
func TestCancelledLineInterviewPauses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	r, w := io.Pipe() // nobody writes: the interview waits for an answer
	defer w.Close()
	ctx, stop := signalled(os.Interrupt)
	time.AfterFunc(200*time.Millisecond, stop)
	done := make(chan struct{})
	var code int
	var errs string
	go func() {
		defer close(done)
		code, _, errs = runCtx(ctx, db, r, "interview", "--accessible", "--interviewer", "T", "--location", "L")
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the interview still waits for an answer after its context was cancelled")
	}
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want %d\n%s", code, ExitInterrupted, errs)
	}
	if strings.Contains(errs, "before the end") || !strings.Contains(errs, "fieldscreen: ") {
		t.Errorf("the interview's own words should say how it stopped:\n%s", errs)
	}
}

// TestCancelReaderEndsBlockedRead: a read that would block for ever
// returns the end of input once the context is cancelled, and every read
// after that too.
func TestCancelReaderEndsBlockedRead(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cr := cancellable(ctx, r)
	go func() { w.Write([]byte("yes\n")) }()
	b := make([]byte, 16)
	if n, err := cr.Read(b); err != nil || string(b[:n]) != "yes\n" {
		t.Fatalf("Read = %q, %v", b[:n], err)
	}
	time.AfterFunc(50*time.Millisecond, cancel)
	if n, err := cr.Read(b); n != 0 || err != io.EOF {
		t.Fatalf("Read after cancel = %d, %v; want 0, EOF", n, err)
	}
	if n, err := cr.Read(b); n != 0 || err != io.EOF {
		t.Fatalf("second Read after cancel = %d, %v; want 0, EOF", n, err)
	}
	if _, ok := cancellable(ctx, os.Stdin).(interface{ Fd() uintptr }); !ok {
		t.Error("a cancellable file lost its Fd")
	}
}
