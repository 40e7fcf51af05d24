package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/config"
)

// configListOptions is what 'fieldscreen config list' was asked.
type configListOptions struct {
	*app
}

// configListCmd is 'fieldscreen config list'. runF, when not nil, runs
// instead of runConfigList.
func (a *app) configListCmd(runF func(*configListOptions) error) *cobra.Command {
	o := &configListOptions{app: a}
	return &cobra.Command{
		Use:     "list",
		Short:   "Print every setting that is set, as key=value",
		Example: `  fieldscreen config list`,
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runConfigList(o)
		},
	}
}

// runConfigList prints every setting that is set, as key=value.
func runConfigList(o *configListOptions) error {
	f, err := o.loadConfig()
	if err != nil {
		return err
	}
	n := 0
	for _, k := range config.Keys {
		vals, _ := f.Get(k.Name)
		if len(vals) == 0 {
			continue
		}
		n++
		fmt.Fprintf(o.io.Out, "%s=%s\n", k.Name, strings.Join(vals, ","))
	}
	if n == 0 {
		fmt.Fprintln(o.io.Err, "No settings. See 'fieldscreen config --help'.")
	}
	return nil
}
