package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"fieldscreen/internal/store"
)

func (a *app) keyChangeCmd() *cobra.Command {
	var rotateAfter bool
	c := &cobra.Command{
		Use: "change", Short: "Change the passphrase used to open the store", Args: cobra.NoArgs,
		RunE: a.withStore(func(st *store.Store, _ []string) error {
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
			return a.offerRotate(st, rotateAfter, "an old copy of the store file still opens with the old passphrase")
		}),
	}
	c.Flags().BoolVar(&rotateAfter, "rotate", false, "then re-encrypt every interview under a new key (other passphrases must be added again)")
	return c
}
