package cli

import (
	"github.com/spf13/cobra"

	"fieldscreen/internal/config"
)

func (a *app) configSetCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "set KEY VALUE...",
		Short: "Change a setting (recipients takes several keys)",
		Args: func(c *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usageErr(c, "give a setting and its value")
			}
			return nil
		},
		ValidArgsFunction: completeConfigKey,
		RunE: func(c *cobra.Command, args []string) error {
			f, err := a.loadConfig()
			if err != nil {
				return err
			}
			key, err := config.Lookup(args[0])
			if err != nil {
				return configKeyErr(c, err)
			}
			vals, err := checkSetting(key, args[1:])
			if err != nil {
				return err
			}
			if err := f.Set(key.Name, vals); err != nil {
				return usageErr(c, err.Error())
			}
			return a.saveConfig(f)
		},
	}
}
