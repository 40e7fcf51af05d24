package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// keyListOptions is what 'fieldscreen key list' was asked.
type keyListOptions struct {
	*app
}

// keyListCmd is 'fieldscreen key list'. runF, when not nil, runs instead
// of runKeyList.
func (a *app) keyListCmd(runF func(*keyListOptions) error) *cobra.Command {
	o := &keyListOptions{app: a}
	return &cobra.Command{
		Use: "list", Short: "List the store's keys", Args: cobra.NoArgs,
		Long: `Lists the passphrases that unlock the store, one key each: its ID (KEY,
what 'fieldscreen key remove' takes), when it was added, and which one
this command was opened with. No passphrase is ever shown.`,
		Example: `  fieldscreen key list`,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runKeyList(o)
		},
	}
}

// runKeyList prints the store's keys as a table.
func runKeyList(o *keyListOptions) error {
	a := o.app
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	keys, err := st.ListKeys()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.io.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tCREATED\tIN USE")
	for _, k := range keys {
		cur := ""
		if k.Current {
			cur = "this session"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k.ID, localTime(k.Created), cur)
	}
	return tw.Flush()
}
