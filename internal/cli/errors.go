package cli

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// Exit codes, documented in `fieldscreen help exit-codes`.
const (
	ExitOK              = 0
	ExitError           = 1
	ExitUsage           = 2
	ExitWrongPassphrase = 3
	ExitStoreInUse      = 4
	ExitStoreCorrupt    = 5
	ExitInvalid         = 6 // a flow, answers file or bundle has problems
	ExitInterrupted     = 130
)

// UsageError is a mistake in how a command was called.
type UsageError struct {
	Msg string
	Cmd string
}

func (e *UsageError) Error() string { return e.Msg }

// hinted is an error with advice for the person who met it.
type hinted struct {
	err  error
	hint string
	code int
}

func (h *hinted) Error() string { return h.err.Error() }
func (h *hinted) Unwrap() error { return h.err }

func withHint(err error, code int, format string, args ...any) error {
	return &hinted{err: err, hint: fmt.Sprintf(format, args...), code: code}
}

// interrupted is returned when the person stopped with Ctrl-C.
type interrupted struct{ msg string }

func (i *interrupted) Error() string { return i.msg }

// unknownCommand is cobra's error for a mistyped command name.
func unknownCommand(err error) bool {
	return strings.HasPrefix(err.Error(), "unknown command ") || strings.HasPrefix(err.Error(), "unknown shorthand flag") || strings.HasPrefix(err.Error(), "unknown flag")
}

func exitCode(err error) int {
	var h *hinted
	var u *UsageError
	var p questionnaire.Problems
	var in *interrupted
	switch {
	case errors.As(err, &in):
		return ExitInterrupted
	case errors.As(err, &h) && h.code != 0:
		return h.code
	case errors.As(err, &u), unknownCommand(err):
		return ExitUsage
	case errors.Is(err, store.ErrWrongPassphrase):
		return ExitWrongPassphrase
	case errors.Is(err, store.ErrInUse):
		return ExitStoreInUse
	case errors.Is(err, store.ErrCorrupt):
		return ExitStoreCorrupt
	case errors.As(err, &p):
		return ExitInvalid
	}
	return ExitError
}

// explain gives the message and a hint for an error.
func explain(err error) (msg, hint string) {
	var h *hinted
	var u *UsageError
	var p questionnaire.Problems
	var in *interrupted
	switch {
	case errors.As(err, &in):
		return in.msg, ""
	case errors.As(err, &u):
		return u.Msg, fmt.Sprintf("see '%s --help'", u.Cmd)
	case errors.As(err, &p):
		lines := make([]string, len(p))
		for i, pr := range p {
			lines[i] = pr.String()
		}
		n := "problem"
		if len(p) > 1 {
			n = "problems"
		}
		return fmt.Sprintf("%d %s:\n%s", len(p), n, strings.Join(lines, "\n")), ""
	case errors.As(err, &h):
		return h.err.Error(), h.hint
	case unknownCommand(err):
		return err.Error(), "see 'fieldscreen --help' for the commands"
	case errors.Is(err, store.ErrWrongPassphrase):
		return "wrong passphrase for the interview store", "check the passphrase; nothing was changed. A colleague whose key was added can open it with theirs"
	case errors.Is(err, store.ErrInUse):
		return err.Error(), "wait for the other fieldscreen command to finish, or close the other interview, then try again"
	case errors.Is(err, store.ErrCorrupt):
		return err.Error(), "run 'fieldscreen check' to see what is wrong; the file was not changed"
	case errors.Is(err, store.ErrNewerStore):
		return err.Error(), "update fieldscreen to the version that wrote this store; the file was not changed"
	case errors.Is(err, store.ErrNotRegular):
		return err.Error(), "name the store file itself with --db or FIELDSCREEN_DB; nothing was read or written"
	case errors.Is(err, store.ErrKeyInUse):
		return err.Error(), "choose a passphrase that no other key of this store uses ('fieldscreen key list' shows the keys)"
	case errors.Is(err, store.ErrRekeyed):
		return err.Error(), "run the command again: it opens the store with its new key"
	case errors.Is(err, store.ErrNoInterview):
		return err.Error(), "run 'fieldscreen list' to see the interviews in this store"
	case errors.Is(err, store.ErrAmbiguous):
		return err.Error(), "give more characters of the interview ID"
	case errors.Is(err, syscall.ENOSPC):
		return err.Error(), "the disk is full: free some space on it (or choose another disk) and run the command again; what was saved before is unharmed"
	}
	return err.Error(), ""
}

var errCancelled = errors.New("cancelled")
