package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// keyAddOptions is what 'fieldscreen key add' was asked.
type keyAddOptions struct {
	*app
}

// keyAddCmd is 'fieldscreen key add'. runF, when not nil, runs instead of
// runKeyAdd.
func (a *app) keyAddCmd(runF func(*keyAddOptions) error) *cobra.Command {
	o := &keyAddOptions{app: a}
	return &cobra.Command{
		Use: "add", Short: "Add another passphrase that unlocks the store", Args: cobra.NoArgs,
		Long: `Adds a passphrase that also unlocks the store, for example one for a
second interviewer; the passphrases the store already has keep working.
The store is opened with one of those, then the new passphrase is asked
twice (or read from FIELDSCREEN_NEW_PASSPHRASE, for scripts). The new key
appears in 'fieldscreen key list'.`,
		Example: `  fieldscreen key add
  fieldscreen key add && fieldscreen key list   # then see it among the keys`,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runKeyAdd(o)
		},
	}
}

// runKeyAdd adds a passphrase that opens the store's key.
func runKeyAdd(o *keyAddOptions) error {
	a := o.app
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	p, err := a.newPassphrase("FIELDSCREEN_NEW_PASSPHRASE")
	if err != nil {
		return err
	}
	id, err := st.AddKey(p)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "Added key %s\n", id)
	return nil
}
