package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// keyRotateOptions is what 'fieldscreen key rotate' was asked.
type keyRotateOptions struct {
	*app
	yes bool
}

// keyRotateCmd is 'fieldscreen key rotate'. runF, when not nil, runs
// instead of runKeyRotate.
func (a *app) keyRotateCmd(runF func(*keyRotateOptions) error) *cobra.Command {
	o := &keyRotateOptions{app: a}
	c := &cobra.Command{
		Use:   "rotate",
		Short: "Re-encrypt every interview under a new key",
		Long: `Re-encrypts every record of the store under a new key, wrapped by the
passphrase this command opens the store with. An old copy of the store file,
with any passphrase that opened it, then opens nothing written afterwards.
Every other passphrase is removed (fieldscreen cannot re-wrap a key for a
passphrase it does not know): add them again with 'fieldscreen key add'.
Another fieldscreen command that has the store open must be run again.`,
		Example: `  fieldscreen key rotate
  fieldscreen key rotate --yes      # without a terminal, when other keys will be removed`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runKeyRotate(o)
		},
	}
	c.Flags().BoolVar(&o.yes, "yes", false, "do not ask before removing the other passphrases")
	return c
}

// runKeyRotate re-encrypts the store under a new key, asking first when
// other passphrases will be removed.
func runKeyRotate(o *keyRotateOptions) error {
	a := o.app
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	keys, err := st.ListKeys()
	if err != nil {
		return err
	}
	if others := len(keys) - 1; others > 0 && !o.yes {
		if err := a.confirm(fmt.Sprintf("Re-encrypt the store under a new key and remove the %d other passphrase(s)?", others), "--yes"); err != nil {
			return err
		}
	}
	return a.rotate(st)
}
