package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"fieldscreen/internal/record"
)

// devReadOptions is what 'fieldscreen dev read' was asked.
type devReadOptions struct {
	*app
	cmd *cobra.Command
}

// devReadCmd is the floor 'score --all' is measured against: it reads,
// decrypts and decodes every stored interview as score does, and scores none. runF,
// when not nil, runs instead of runDevRead.
func (a *app) devReadCmd(runF func(*devReadOptions) error) *cobra.Command {
	o := &devReadOptions{app: a}
	return &cobra.Command{
		Use:   "read",
		Short: "Read, decrypt and decode every stored interview without scoring (a benchmark floor)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			o.cmd = c
			if runF != nil {
				return runF(o)
			}
			return runDevRead(o)
		},
	}
}

// runDevRead is the work of 'fieldscreen dev read'.
func runDevRead(o *devReadOptions) error {
	a, c := o.app, o.cmd
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
}
