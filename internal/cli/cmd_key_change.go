package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// keyChangeOptions is what 'fieldscreen key change' was asked.
type keyChangeOptions struct {
	*app
	rotateAfter bool
}

// keyChangeCmd is 'fieldscreen key change'. runF, when not nil, runs
// instead of runKeyChange.
func (a *app) keyChangeCmd(runF func(*keyChangeOptions) error) *cobra.Command {
	o := &keyChangeOptions{app: a}
	c := &cobra.Command{
		Use: "change", Short: "Change the passphrase used to open the store", Args: cobra.NoArgs,
		Long: `Replaces the passphrase this command opens the store with by a new one,
asked twice (or read from FIELDSCREEN_NEW_PASSPHRASE, for scripts); the
store's other passphrases keep working. An old copy of the store file
still opens with the old passphrase: --rotate then re-encrypts every
interview under a new key, and the other passphrases must be added again.`,
		Example: `  fieldscreen key change
  fieldscreen key change --rotate   # if a copy of the store file may have been taken`,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runKeyChange(o)
		},
	}
	c.Flags().BoolVar(&o.rotateAfter, "rotate", false, "then re-encrypt every interview under a new key (other passphrases must be added again)")
	return c
}

// runKeyChange re-wraps the store's key under a new passphrase.
func runKeyChange(o *keyChangeOptions) error {
	a := o.app
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	p, err := a.newPassphrase("FIELDSCREEN_NEW_PASSPHRASE")
	if err != nil {
		return err
	}
	if err := st.ChangePassphrase(a.pass, p); err != nil {
		return err
	}
	clear(a.pass)
	a.pass = p
	fmt.Fprintln(a.io.Err, "Passphrase changed.")
	return a.offerRotate(st, o.rotateAfter, "an old copy of the store file still opens with the old passphrase")
}
