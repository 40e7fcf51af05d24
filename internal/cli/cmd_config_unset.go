package cli

import "github.com/spf13/cobra"

// configUnsetOptions is what 'fieldscreen config unset' was asked.
type configUnsetOptions struct {
	*app
	cmd  *cobra.Command
	args []string
}

// configUnsetCmd is 'fieldscreen config unset'. runF, when not nil, runs
// instead of runConfigUnset.
func (a *app) configUnsetCmd(runF func(*configUnsetOptions) error) *cobra.Command {
	o := &configUnsetOptions{app: a}
	return &cobra.Command{
		Use:               "unset KEY",
		Short:             "Remove a setting",
		Example:           `  fieldscreen config unset location`,
		Args:              exactArgs(1, "KEY"),
		ValidArgsFunction: completeConfigKey,
		RunE: func(c *cobra.Command, args []string) error {
			o.cmd, o.args = c, args
			if runF != nil {
				return runF(o)
			}
			return runConfigUnset(o)
		},
	}
}

// runConfigUnset removes a setting.
func runConfigUnset(o *configUnsetOptions) error {
	f, err := o.loadConfig()
	if err != nil {
		return err
	}
	if err := f.Set(o.args[0], nil); err != nil {
		return configKeyErr(o.cmd, err)
	}
	return o.saveConfig(f)
}
