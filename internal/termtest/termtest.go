// Package termtest drives a real binary inside a pseudo-terminal and reads
// its screen through a virtual terminal emulator, the way a person at a
// terminal would see it.
//
//	term := termtest.Start(t, bin, []string{"interview"}, nil, 80, 24)
//	term.WaitFor("Section 1 of 3", 5*time.Second)
//	term.Send(termtest.Down, termtest.Enter)
//	term.WaitFor("Saved", 5*time.Second)
//	code, err := term.Wait(5 * time.Second)
//
// The emulator is github.com/charmbracelet/x/vt. It answers the queries a
// Bubble Tea v2 program sends (DECRQM, DA1, cursor position, OSC 10/11 colour
// queries); those answers are written back into the pty like a real terminal
// would.
package termtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// Keys, as raw bytes a terminal sends for them.
const (
	Enter     = "\r"
	Up        = "\x1b[A"
	Down      = "\x1b[B"
	Right     = "\x1b[C"
	Left      = "\x1b[D"
	Tab       = "\t"
	ShiftTab  = "\x1b[Z"
	Space     = " "
	CtrlC     = "\x03"
	CtrlB     = "\x02"
	CtrlD     = "\x04"
	Esc       = "\x1b"
	Backspace = "\x7f"
	Home      = "\x1b[H"
	End       = "\x1b[F"
)

// stopSentinel is written into the emulator's reply pipe to stop the
// goroutine that forwards replies to the pty. A pipe Read never merges two
// Writes, so it arrives alone.
const stopSentinel = "\x00termtest:stop\x00"

// debug (TERMTEST_DEBUG=1) logs the emulator's query replies to stderr.
var debug = os.Getenv("TERMTEST_DEBUG") != ""

// Term is a program running in a pseudo-terminal.
type Term struct {
	tb   testing.TB
	cmd  *exec.Cmd
	ptmx *os.File
	cols int
	rows int

	mu      sync.Mutex // guards emu, raw, changed
	emu     *vt.Emulator
	raw     bytes.Buffer
	changed chan struct{} // closed (and replaced) whenever output arrives

	exited    chan struct{} // closed after cmd.Wait returns
	waitErr   error         // set before exited is closed
	readDone  chan struct{} // closed when the pty reader goroutine ends
	replyDone chan struct{} // closed when the reply goroutine ends
	closeOnce sync.Once
	writeMu   sync.Mutex // serialises writes to ptmx
}

// Start runs bin with args in a cols×rows pseudo-terminal. The environment is
// the test process's minus TERM, TERM_PROGRAM, COLORTERM, NO_COLOR, COLUMNS
// and LINES, plus TERM=xterm-256color, plus env (later entries win). The process is killed and all
// goroutines are stopped in t.Cleanup; if the test failed, the final screen is
// logged.
func Start(tb testing.TB, bin string, args []string, env []string, cols, rows int) *Term {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = buildEnv(env)
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		tb.Fatalf("termtest: start %s: %v", bin, err)
	}
	t := &Term{
		tb:        tb,
		cmd:       cmd,
		ptmx:      ptmx,
		cols:      cols,
		rows:      rows,
		emu:       vt.NewEmulator(cols, rows),
		changed:   make(chan struct{}),
		exited:    make(chan struct{}),
		readDone:  make(chan struct{}),
		replyDone: make(chan struct{}),
	}
	go t.readLoop()
	go t.replyLoop()
	go func() {
		t.waitErr = cmd.Wait()
		close(t.exited)
	}()
	tb.Cleanup(t.close)
	return t
}

func buildEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "TERM", "COLUMNS", "LINES", "TERM_PROGRAM", "COLORTERM", "NO_COLOR":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TERM=xterm-256color")
	return append(env, extra...)
}

// readLoop copies everything the program writes into the emulator.
func (t *Term) readLoop() {
	defer close(t.readDone)
	buf := make([]byte, 32*1024)
	for {
		n, err := t.ptmx.Read(buf)
		if n > 0 {
			t.mu.Lock()
			t.raw.Write(buf[:n])
			// May block while the emulator writes a query reply into its
			// pipe; replyLoop drains that pipe without taking t.mu.
			_, _ = t.emu.Write(buf[:n])
			close(t.changed)
			t.changed = make(chan struct{})
			t.mu.Unlock()
		}
		if err != nil {
			return // EIO once the program and its children closed the pty
		}
	}
}

// replyLoop forwards what the emulator answers (query replies) to the
// program, as a real terminal would.
func (t *Term) replyLoop() {
	defer close(t.replyDone)
	buf := make([]byte, 4096)
	for {
		n, err := t.emu.Read(buf)
		if err != nil {
			return
		}
		if string(buf[:n]) == stopSentinel {
			return
		}
		if debug {
			fmt.Fprintf(os.Stderr, "termtest: reply to program: %q\n", buf[:n])
		}
		t.write(buf[:n])
	}
}

func (t *Term) write(p []byte) {
	t.writeMu.Lock()
	defer t.writeMu.Unlock()
	_, _ = t.ptmx.Write(p)
}

// Send writes keys to the program as raw bytes, each key in its own write
// (so an Esc is not merged with the next key into an escape sequence).
func (t *Term) Send(keys ...string) {
	for i, k := range keys {
		if i > 0 {
			time.Sleep(5 * time.Millisecond)
		}
		t.write([]byte(k))
	}
}

// Type sends text as one write.
func (t *Term) Type(text string) { t.write([]byte(text)) }

// Screen returns the visible screen: one line per row, trailing spaces
// trimmed, trailing empty rows dropped.
func (t *Term) Screen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.screenLocked()
}

func (t *Term) screenLocked() string {
	lines := make([]string, 0, t.rows)
	var sb strings.Builder
	for y := 0; y < t.rows; y++ {
		sb.Reset()
		for x := 0; x < t.cols; x++ {
			c := t.emu.CellAt(x, y)
			switch {
			case c == nil:
				sb.WriteByte(' ')
			case c.IsZero():
				// continuation of a wide character
			case c.Content == "":
				sb.WriteByte(' ')
			default:
				sb.WriteString(c.Content)
			}
		}
		lines = append(lines, strings.TrimRight(sb.String(), " "))
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// AltScreen reports whether the program switched to the alternate screen.
func (t *Term) AltScreen() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.emu.IsAltScreen()
}

// Output returns every byte the program wrote so far (escape sequences
// included).
func (t *Term) Output() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.raw.String()
}

// WaitFor waits until the screen contains text. On timeout it fails the test
// and prints the screen.
func (t *Term) WaitFor(text string, timeout time.Duration) {
	t.tb.Helper()
	if !t.waitUntil(func(s string) bool { return strings.Contains(s, text) }, timeout) {
		t.tb.Fatalf("termtest: %q not on screen after %v\n%s", text, timeout, t.dump())
	}
}

// WaitForNot waits until the screen no longer contains text.
func (t *Term) WaitForNot(text string, timeout time.Duration) {
	t.tb.Helper()
	if !t.waitUntil(func(s string) bool { return !strings.Contains(s, text) }, timeout) {
		t.tb.Fatalf("termtest: %q still on screen after %v\n%s", text, timeout, t.dump())
	}
}

// WaitForFunc waits until ok(screen) is true and reports whether it was
// before the timeout. It does not fail the test.
func (t *Term) WaitForFunc(ok func(screen string) bool, timeout time.Duration) bool {
	return t.waitUntil(ok, timeout)
}

// waitUntil re-evaluates ok on every chunk of output, so it returns within
// microseconds of the frame that satisfies it.
func (t *Term) waitUntil(ok func(string) bool, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		t.mu.Lock()
		scr := t.screenLocked()
		ch := t.changed
		t.mu.Unlock()
		if ok(scr) {
			return true
		}
		select {
		case <-ch:
		case <-t.readDone:
			// No more output can arrive; one last look.
			return ok(t.Screen())
		case <-deadline.C:
			return false
		}
	}
}

func (t *Term) dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "┌── screen %dx%d (alt=%v) ──\n", t.cols, t.rows, t.AltScreen())
	for _, l := range strings.Split(t.Screen(), "\n") {
		b.WriteString("│")
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString("└──")
	select {
	case <-t.exited:
		fmt.Fprintf(&b, " process exited: %v", t.waitErr)
	default:
	}
	out := t.Output()
	if len(out) > 400 {
		out = out[len(out)-400:]
	}
	fmt.Fprintf(&b, "\nlast output bytes: %q", out)
	return b.String()
}

// Signal sends sig to the program. A program that has just ended by
// itself is not an error: a test that looks whether it is still running
// and then signals it races its end, and Wait reports how it ended.
func (t *Term) Signal(sig os.Signal) {
	t.tb.Helper()
	if err := t.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.tb.Errorf("termtest: signal %v: %v", sig, err)
	}
}

// Resize changes the pty and emulator size (the program gets SIGWINCH).
func (t *Term) Resize(cols, rows int) {
	t.mu.Lock()
	t.cols, t.rows = cols, rows
	t.emu.Resize(cols, rows)
	t.mu.Unlock()
	_ = pty.Setsize(t.ptmx, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
}

// Wait waits for the program to exit and for its output to be drained into
// the screen. exitCode is the process exit status; a program killed by a
// signal gets 128+signal and a non-nil err. On timeout it returns -1 and an
// error (the test is not failed; the process is killed at cleanup).
func (t *Term) Wait(timeout time.Duration) (exitCode int, err error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	select {
	case <-t.exited:
	case <-deadline.C:
		return -1, fmt.Errorf("termtest: process still running after %v", timeout)
	}
	// Output written just before exit may still be in the pty buffer.
	select {
	case <-t.readDone:
	case <-deadline.C:
	}
	var ee *exec.ExitError
	if errors.As(t.waitErr, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), fmt.Errorf("termtest: killed by %v", ws.Signal())
		}
		return ee.ExitCode(), nil
	}
	if t.waitErr != nil {
		return -1, t.waitErr
	}
	return 0, nil
}

func (t *Term) close() {
	t.closeOnce.Do(func() {
		select {
		case <-t.exited:
		default:
			_ = t.cmd.Process.Kill()
			<-t.exited
		}
		if t.tb.Failed() {
			t.tb.Logf("termtest: final screen of %s:\n%s", t.cmd.Path, t.dump())
		}
		_ = t.ptmx.Close()
		<-t.readDone
		// Stop replyLoop through the pipe itself (Emulator.Close is not
		// safe to call while Read is blocked), then close the emulator.
		_, _ = t.emu.InputPipe().Write([]byte(stopSentinel))
		<-t.replyDone
		t.mu.Lock()
		_ = t.emu.Close()
		t.mu.Unlock()
	})
}
