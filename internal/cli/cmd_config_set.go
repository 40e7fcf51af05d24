package cli

import (
	"github.com/spf13/cobra"

	"fieldscreen/internal/config"
)

// configSetOptions is what 'fieldscreen config set' was asked.
type configSetOptions struct {
	*app
	cmd  *cobra.Command
	args []string
}

// configSetCmd is 'fieldscreen config set'. runF, when not nil, runs
// instead of runConfigSet.
func (a *app) configSetCmd(runF func(*configSetOptions) error) *cobra.Command {
	o := &configSetOptions{app: a}
	return &cobra.Command{
		Use:   "set KEY VALUE...",
		Short: "Change a setting (recipients takes several keys)",
		Example: `  fieldscreen config set interviewer "A. Officer"
  fieldscreen config set language fr
  fieldscreen config set recipients age1... age1...`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usageErr(c, "give a setting and its value")
			}
			return nil
		},
		ValidArgsFunction: completeConfigKey,
		RunE: func(c *cobra.Command, args []string) error {
			o.cmd, o.args = c, args
			if runF != nil {
				return runF(o)
			}
			return runConfigSet(o)
		},
	}
}

// runConfigSet checks a setting's values and saves them.
func runConfigSet(o *configSetOptions) error {
	f, err := o.loadConfig()
	if err != nil {
		return err
	}
	key, err := config.Lookup(o.args[0])
	if err != nil {
		return configKeyErr(o.cmd, err)
	}
	vals, err := checkSetting(key, o.args[1:])
	if err != nil {
		return err
	}
	if err := f.Set(key.Name, vals); err != nil {
		return usageErr(o.cmd, err.Error())
	}
	return o.saveConfig(f)
}
