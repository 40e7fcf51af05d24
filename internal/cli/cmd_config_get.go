package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// configGetOptions is what 'fieldscreen config get' was asked.
type configGetOptions struct {
	*app
	cmd  *cobra.Command
	args []string
}

// configGetCmd is 'fieldscreen config get'. runF, when not nil, runs
// instead of runConfigGet.
func (a *app) configGetCmd(runF func(*configGetOptions) error) *cobra.Command {
	o := &configGetOptions{app: a}
	return &cobra.Command{
		Use:   "get KEY",
		Short: "Print a setting (nothing when it is not set)",
		Example: `  fieldscreen config get interviewer
  fieldscreen config get recipients`,
		Args:              exactArgs(1, "KEY"),
		ValidArgsFunction: completeConfigKey,
		RunE: func(c *cobra.Command, args []string) error {
			o.cmd, o.args = c, args
			if runF != nil {
				return runF(o)
			}
			return runConfigGet(o)
		},
	}
}

// runConfigGet prints a setting's values, one a line.
func runConfigGet(o *configGetOptions) error {
	f, err := o.loadConfig()
	if err != nil {
		return err
	}
	vals, err := f.Get(o.args[0])
	if err != nil {
		return configKeyErr(o.cmd, err)
	}
	for _, v := range vals {
		fmt.Fprintln(o.io.Out, v)
	}
	return nil
}
