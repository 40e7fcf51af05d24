package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"fieldscreen/internal/store"
)

func (a *app) keyListCmd() *cobra.Command {
	return &cobra.Command{
		Use: "list", Short: "List the store's keys", Args: cobra.NoArgs,
		RunE: a.withStore(func(st *store.Store, _ []string) error {
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
		}),
	}
}
