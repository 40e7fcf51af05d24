package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) configGetCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "get KEY",
		Short:             "Print a setting (nothing when it is not set)",
		Args:              exactArgs(1, "KEY"),
		ValidArgsFunction: completeConfigKey,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := a.loadConfig()
			if err != nil {
				return err
			}
			vals, err := f.Get(args[0])
			if err != nil {
				return configKeyErr(c, err)
			}
			for _, v := range vals {
				fmt.Fprintln(a.io.Out, v)
			}
			return nil
		},
	}
}
