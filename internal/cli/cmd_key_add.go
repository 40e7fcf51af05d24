package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"fieldscreen/internal/store"
)

func (a *app) keyAddCmd() *cobra.Command {
	return &cobra.Command{
		Use: "add", Short: "Add another passphrase that unlocks the store", Args: cobra.NoArgs,
		RunE: a.withStore(func(st *store.Store, _ []string) error {
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
		}),
	}
}
