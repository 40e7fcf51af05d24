package cli

import "github.com/spf13/cobra"

func (a *app) configUnsetCmd() *cobra.Command {
	return &cobra.Command{
		Use:               "unset KEY",
		Short:             "Remove a setting",
		Args:              exactArgs(1, "KEY"),
		ValidArgsFunction: completeConfigKey,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := a.loadConfig()
			if err != nil {
				return err
			}
			if err := f.Set(args[0], nil); err != nil {
				return configKeyErr(c, err)
			}
			return a.saveConfig(f)
		},
	}
}
