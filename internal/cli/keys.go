package cli

import (
	"errors"
	"fmt"
	"strings"

	"fieldscreen/internal/store"
)

// offerRotate follows a change or removal of a passphrase: with --rotate
// it rotates the store's key, at a terminal it asks, and otherwise it says
// why one might.
func (a *app) offerRotate(st *store.Store, rotate bool, why string) error {
	if rotate {
		return a.rotate(st)
	}
	if !a.io.InTerminal() {
		fmt.Fprintf(a.io.Err, "hint: %s; 'fieldscreen key rotate' re-encrypts the store under a new key\n", why)
		return nil
	}
	keys, err := st.ListKeys()
	if err != nil {
		return err
	}
	q := "Re-encrypt every interview under a new key now?"
	if others := len(keys) - 1; others > 0 {
		q = fmt.Sprintf("Re-encrypt every interview under a new key now? The %d other passphrase(s) would have to be added again.", others)
	}
	fmt.Fprintf(a.io.Err, "Note: %s.\n", why)
	if err := a.confirm(q, "--rotate"); err != nil {
		if errors.Is(err, errCancelled) {
			fmt.Fprintln(a.io.Err, "Not re-encrypted; 'fieldscreen key rotate' does it later.")
			return nil
		}
		return err
	}
	return a.rotate(st)
}

func (a *app) rotate(st *store.Store) error {
	removed, err := st.Rotate(a.pass)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.io.Err, "Re-encrypted the store under a new key.")
	if len(removed) > 0 {
		fmt.Fprintf(a.io.Err, "Removed %d other key(s): %s; add their passphrases again with 'fieldscreen key add'.\n", len(removed), strings.Join(removed, ", "))
	}
	return nil
}

// newPassphrase asks for a new passphrase twice, or reads it from env for
// scripts; the store's own passphrase variables are not a new one.
func (a *app) newPassphrase(env string) ([]byte, error) {
	if p := a.io.Getenv(env); p != "" {
		if err := checkNewPassphrase([]byte(p), env); err != nil {
			return nil, err
		}
		return []byte(p), nil
	}
	p, err := a.promptPassphrase("New passphrase: ", true)
	if err != nil && strings.Contains(err.Error(), "no terminal") {
		return nil, withHint(errors.New("a new passphrase is needed and there is no terminal to ask for it"), ExitError, "set %s for scripts", env)
	}
	return p, err
}
