package cli

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"fieldscreen/internal/interrupt"
)

// pager is a pager program (less) that a command's output goes through.
type pager struct {
	cmd   *exec.Cmd
	w     *os.File  // the pager's input; the command writes here
	out   io.Writer // stdout, given back when the pager ends
	width int       // the terminal's, measured before stdout was taken over
	color bool
	sig   chan os.Signal
	// release gives Ctrl-C back to the command (internal/interrupt).
	release func()
}

// pagerCommand is the pager to run: $FIELDSCREEN_PAGER, else $PAGER,
// else "less -R", as git and gh do; "" or "cat" is none. The command is
// split at spaces (no shell quoting): "less -R", "more", "most -s".
func pagerCommand(getenv func(string) string) []string {
	s := firstNonEmpty(getenv("FIELDSCREEN_PAGER"), getenv("PAGER"), "less -R")
	args := strings.Fields(s)
	if len(args) == 0 || args[0] == "cat" {
		return nil
	}
	return args
}

// startPager sends what the command writes to stdout through a pager, when
// stdout is a terminal and --no-pager was not given (show, long
// summaries). Without a terminal, or when the pager cannot start, output
// goes straight to stdout. Execute ends the pager before it reports an
// error, so messages never land inside it.
func (a *app) startPager() {
	if a.noPager || a.pg != nil || !a.io.OutTerminal() {
		return
	}
	args := pagerCommand(a.io.Getenv)
	if args == nil {
		return
	}
	path, err := exec.LookPath(args[0])
	if err != nil {
		return // no less on this computer: print as if --no-pager
	}
	width, color := a.width(), a.color()
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	cmd := exec.Command(path, args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = r, a.io.Out, a.io.Err
	// As git: less quits at once when all fits on one screen (F), passes
	// colours through (R) and leaves the text on the screen (X).
	cmd.Env = os.Environ()
	if a.io.Getenv("LESS") == "" {
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	if a.io.Getenv("LV") == "" {
		cmd.Env = append(cmd.Env, "LV=-c")
	}
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return
	}
	r.Close()
	// Ctrl-C belongs to the pager (less uses it to stop a search); the
	// command ends when the person quits the pager. The Notify keeps Go
	// from ending the process on it; Hold keeps the command's context
	// from being cancelled by it (SIGTERM and SIGHUP still stop it).
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	a.pg = &pager{cmd: cmd, w: w, out: a.io.Out, width: width, color: color, sig: sig, release: interrupt.Hold()}
	a.io.Out = w
}

// endPager closes the pager's input and waits for the person to quit it.
// A command whose output the pager stopped reading (q before the end)
// failed to write only because nobody reads any more: that is no error.
func (a *app) endPager(err error) error {
	pg := a.pg
	if pg == nil {
		return err
	}
	a.pg = nil
	pg.w.Close()
	pg.cmd.Wait()
	signal.Stop(pg.sig)
	pg.release()
	a.io.Out = pg.out
	if errors.Is(err, syscall.EPIPE) {
		return nil
	}
	return err
}
