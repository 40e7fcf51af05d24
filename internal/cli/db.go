package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/term"

	"fieldscreen/internal/sign"
	"fieldscreen/internal/store"
	"fieldscreen/internal/tempfile"
	"fieldscreen/internal/words"
)

// storePath resolves where the store lives: --db, then FIELDSCREEN_DB,
// then the user data folder.
func (a *app) storePath() (string, error) {
	if a.dbPath != "" {
		return a.dbPath, nil
	}
	if p := a.io.Getenv("FIELDSCREEN_DB"); p != "" {
		return p, nil
	}
	return store.DefaultPath()
}

// minPassphrase is the shortest new passphrase accepted, from the prompt
// or from the environment alike.
const minPassphrase = 8

// checkNewPassphrase holds a new passphrase from a script (a file or the
// environment, named by source) to the prompt's minimum.
func checkNewPassphrase(p []byte, source string) error {
	if len(p) < minPassphrase {
		return withHint(fmt.Errorf("the new passphrase in %s is too short", source), ExitError,
			"use at least %d characters; a few unrelated words are easy to remember and hard to guess", minPassphrase)
	}
	return nil
}

// passphrase returns the store passphrase from FIELDSCREEN_PASSPHRASE_FILE,
// FIELDSCREEN_PASSPHRASE, or a no-echo prompt on the terminal. With
// confirm, a prompt asks twice (for a new passphrase), and a passphrase
// from a file or the environment must be as long as the prompt requires.
func (a *app) passphrase(prompt string, confirm bool) ([]byte, error) {
	if f := a.io.Getenv("FIELDSCREEN_PASSPHRASE_FILE"); f != "" {
		// As ssh does with a key file: a passphrase others can read is
		// not a secret.
		if fi, err := os.Stat(f); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
			return nil, withHint(fmt.Errorf("the passphrase file %s can be read or changed by others (permissions %04o)", f, fi.Mode().Perm()), ExitError,
				"make it private with 'chmod 600 %s'; a passphrase others can read protects nothing", f)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, withHint(fmt.Errorf("cannot read the passphrase file named by FIELDSCREEN_PASSPHRASE_FILE: %w", errors.Unwrap(err)), ExitError,
				"check the path in FIELDSCREEN_PASSPHRASE_FILE")
		}
		b = bytes.TrimRight(b, "\r\n")
		if len(b) == 0 {
			return nil, withHint(errors.New("the passphrase file is empty"), ExitError, "write the passphrase on the file's first line")
		}
		if confirm {
			if err := checkNewPassphrase(b, "FIELDSCREEN_PASSPHRASE_FILE"); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	if p := a.io.Getenv("FIELDSCREEN_PASSPHRASE"); p != "" {
		if confirm {
			if err := checkNewPassphrase([]byte(p), "FIELDSCREEN_PASSPHRASE"); err != nil {
				return nil, err
			}
		}
		return []byte(p), nil
	}
	return a.promptPassphrase(prompt, confirm)
}

// promptPassphrase asks on the terminal, without echo.
func (a *app) promptPassphrase(prompt string, confirm bool) ([]byte, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil || !term.IsTerminal(int(tty.Fd())) {
		if tty != nil {
			tty.Close()
		}
		return nil, withHint(errors.New("the store's passphrase is needed and there is no terminal to ask for it"), ExitError,
			"set FIELDSCREEN_PASSPHRASE_FILE to a file holding the passphrase (or FIELDSCREEN_PASSPHRASE, a weaker choice)")
	}
	defer tty.Close()
	read := func(p string) ([]byte, error) {
		fmt.Fprint(tty, p)
		b, err := readPassword(a.ctx, int(tty.Fd()))
		fmt.Fprintln(tty)
		return b, err
	}
	// A new passphrase is asked again (three tries) when it is too short or
	// the two entries differ, rather than ending the command.
	tries := 1
	if confirm {
		tries = 3
	}
	var lastErr error
	for i := 0; i < tries; i++ {
		p1, err := read(prompt)
		if err != nil {
			return nil, err
		}
		if len(p1) == 0 {
			lastErr = withHint(errors.New("no passphrase given"), ExitError, "type the passphrase and press Enter")
			if !confirm {
				return nil, lastErr
			}
			fmt.Fprintln(tty, "No passphrase given; try again.")
			continue
		}
		if !confirm {
			return p1, nil
		}
		if len(p1) < minPassphrase {
			lastErr = withHint(errors.New("the passphrase is too short"), ExitError, "use at least 8 characters; a few unrelated words are easy to remember and hard to guess")
			fmt.Fprintln(tty, "Too short: use at least 8 characters (a few unrelated words work well). Try again.")
			continue
		}
		p2, err := read("Repeat the passphrase: ")
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(p1, p2) {
			lastErr = withHint(errors.New("the two passphrases differ"), ExitError, "run the command again and type the same passphrase twice")
			fmt.Fprintln(tty, "The two entries differ. Try again.")
			continue
		}
		return p1, nil
	}
	return nil, lastErr
}

// tempJournal is where an export writes down a temporary file it could
// not make nameless (see tempfile): beside the store, in its private
// folder.
func (a *app) tempJournal() string {
	path, err := a.storePath()
	if err != nil {
		return ""
	}
	return filepath.Join(filepath.Dir(path), ".fieldscreen-journal")
}

// openStore opens (or, when create is true and none exists, creates) the
// interview store, asking for the passphrase once per process.
func (a *app) openStore(create bool) (*store.Store, error) {
	path, err := a.storePath()
	if err != nil {
		return nil, err
	}
	// Temporary files of a process killed while writing personal data
	// (an export) are erased at the next start.
	if j := a.tempJournal(); j != "" {
		tempfile.Sweep(j)
	}
	if !store.Exists(path) {
		if !create {
			return nil, withHint(fmt.Errorf("no interview store at %s", path), ExitError,
				"record an interview first ('fieldscreen interview'), or name another store with --db or FIELDSCREEN_DB")
		}
		pass, err := a.passphrase("New passphrase for the interview store: ", true)
		if err != nil {
			return nil, err
		}
		st, err := store.Create(path, pass)
		if err != nil {
			return nil, err
		}
		// The store's signing key is made with it (bundles, receipts).
		if _, err := sign.StoreKey(st); err != nil {
			st.Close()
			return nil, err
		}
		a.pass = pass
		a.opened = append(a.opened, st)
		st.OnDamage(a.warnDamagedIndex)
		st.OnNotCompacted(a.warnNotCompacted)
		a.created = path
		a.sayCreated(a.lang)
		return st, nil
	}
	prompted := a.pass == nil && a.io.Getenv("FIELDSCREEN_PASSPHRASE_FILE") == "" && a.io.Getenv("FIELDSCREEN_PASSPHRASE") == ""
	var st *store.Store
	for attempt := 1; ; attempt++ {
		pass := a.pass
		if pass == nil {
			if pass, err = a.passphrase("Passphrase for the interview store: ", false); err != nil {
				return nil, err
			}
		}
		st, err = store.Open(path, pass)
		if errors.Is(err, store.ErrWrongPassphrase) && prompted && attempt < 3 {
			// A typo at the prompt deserves another try, not a new command.
			fmt.Fprintln(a.io.Err, "Wrong passphrase; try again.")
			clear(pass)
			continue
		}
		if err != nil {
			return nil, err
		}
		a.pass = pass
		break
	}
	a.opened = append(a.opened, st)
	st.OnDamage(a.warnDamagedIndex)
	st.OnNotCompacted(a.warnNotCompacted)
	return st, nil
}

// confirm asks a yes/no question on the terminal; without one it refuses.
func (a *app) confirm(question, flagHint string) error {
	if !a.io.InTerminal() {
		return withHint(errors.New("confirmation needed and there is no terminal to ask"), ExitUsage, "add %s to confirm", flagHint)
	}
	fmt.Fprintf(a.io.Err, "%s [y/N] ", question)
	line, _ := bufio.NewReader(cancellable(a.ctx, a.io.In)).ReadString('\n')
	if err := a.ctx.Err(); err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return errCancelled
}

// warnNotCompacted tells that a removal is erased but the file was not
// made smaller.
func (a *app) warnNotCompacted(err error) {
	fmt.Fprintf(a.io.Err, "fieldscreen: warning: %v\n", err)
	fmt.Fprintln(a.io.Err, "hint: run 'fieldscreen compact' once the disk has room and the store's folder can be written, to make the store file smaller")
}

// waitForStore makes a live interview's saves wait for the store (held
// by a compaction or an import elsewhere) rather than lose the answer.
func (a *app) waitForStore(st *store.Store) {
	st.SetLockWait(liveLockWait, func() {
		fmt.Fprintln(a.io.Err, "fieldscreen: waiting for the store, held by another fieldscreen process… the answer on screen is kept and will be saved")
	})
}

// sayCreated tells, in lang (else the language setting, else English),
// that this process created a new store: only once it exists, so that a
// command that stops first (no passphrase, a refused bundle, an interview
// stopped before its first answer) announces nothing.
func (a *app) sayCreated(lang string) {
	if a.created == "" {
		return
	}
	if lang == "" {
		lang = a.configDefault("language")
	}
	fmt.Fprintln(a.io.Err, words.T(nil, lang, "cli_store_created", "path", a.created))
}
