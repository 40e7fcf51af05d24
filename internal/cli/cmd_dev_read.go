package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"fieldscreen/internal/record"
)

// devReadCmd is the floor 'score --all' is measured against: it reads,
// decrypts and decodes every stored interview as score does, and scores none.
func (a *app) devReadCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "read",
		Short: "Read, decrypt and decode every stored interview without scoring (a benchmark floor)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			st, err := a.openStore(false)
			if err != nil {
				return err
			}
			defer st.Close()
			n := 0
			if err := st.Each(c.Context(), "", func(*record.Interview) error { n++; return nil }); err != nil {
				return err
			}
			fmt.Fprintf(a.io.Out, "%d interviews\n", n)
			return nil
		},
	}
}
