// Package cli wires fieldscreen's commands: it parses flags, opens the
// store, and hands work to questionnaire (flows and scoring), store, forms,
// render and export. Every command writes through the IO it is given and
// never touches os.Stdout directly, so tests can run it without a terminal.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"fieldscreen/internal/interrupt"
	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// IO is where a command reads and writes. Data goes to Out, messages to Err.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Getenv reads the environment (os.Getenv outside tests).
	Getenv func(string) string
}

// StdIO returns the process's standard streams.
func StdIO() *IO {
	return &IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv}
}

func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// InTerminal reports whether input comes from a person at a terminal.
func (o *IO) InTerminal() bool { return isTerminal(o.In) }

// OutTerminal reports whether output goes to a terminal.
func (o *IO) OutTerminal() bool { return isTerminal(o.Out) }

// ErrTerminal reports whether messages go to a terminal.
func (o *IO) ErrTerminal() bool { return isTerminal(o.Err) }

// app holds what every command shares.
type app struct {
	ctx     context.Context // the command's (cmd.Context()), for prompts; cancelled by a signal
	io      *IO
	version string
	dbPath  string
	noColor bool
	noPager bool
	pg      *pager // the pager stdout goes through, while one runs
	pass    []byte // cached for this process once asked

	opened []interface{ Close() error } // stores to close (clearing their keys) when the command ends

	configWarned bool // a broken settings file was reported once already

	lang    string // the language of fieldscreen's own messages, once a command knows it (an interview's)
	created string // the store this process created, once it has

	referrals string                              // --referrals
	dirs      map[string]*questionnaire.Directory // loaded referral directories, by flow hash
}

// Execute runs the command line and returns the process exit code.
func Execute(ctx context.Context, version string, args []string, stdio *IO) int {
	a := &app{ctx: ctx, io: stdio, version: version}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	err := root.ExecuteContext(ctx)
	err = a.endPager(err)
	a.forget()
	if err == nil {
		return ExitOK
	}
	return a.report(stopped(ctx, err))
}

// stopped makes the error of a command whose context was cancelled (by
// SIGINT, SIGTERM or SIGHUP, see internal/interrupt) an interruption: one
// line naming the signal, exit 130. A command that says itself how it
// stopped (an interview paused) keeps its words.
func stopped(ctx context.Context, err error) error {
	var in *interrupted
	if ctx.Err() == nil || errors.As(err, &in) {
		return err
	}
	msg := "stopped before the end"
	if s, ok := interrupt.Cause(ctx); ok {
		msg = "stopped by " + interrupt.Name(s.Signal) + " before the end"
	}
	return &interrupted{msg: msg}
}

// forget closes the stores this process opened, which clears their keys
// from memory, and clears the passphrase.
func (a *app) forget() {
	for _, st := range a.opened {
		st.Close()
	}
	a.opened = nil
	clear(a.pass)
	a.pass = nil
}

// report prints an error in the house voice and returns its exit code.
func (a *app) report(err error) int {
	code := exitCode(err)
	msg, hint := explain(err)
	// A message can name what a bundle or flow holds (a flow's id and
	// version, a file name): nothing in it may drive the terminal.
	msg, hint = textsafe.Terminal(msg), textsafe.Terminal(hint)
	fmt.Fprintf(a.io.Err, "fieldscreen: %s\n", msg)
	if hint != "" {
		fmt.Fprintf(a.io.Err, "hint: %s\n", hint)
	}
	return code
}
