package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"fieldscreen/internal/config"
)

func (a *app) configPathCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "path",
		Short: "Print where the settings file is (it may not exist yet)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			p, err := config.Path(a.io.Getenv)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.io.Out, p)
			return nil
		},
	}
}
