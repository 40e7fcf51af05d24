package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"fieldscreen/internal/config"
)

// configPathOptions is what 'fieldscreen config path' was asked.
type configPathOptions struct {
	*app
}

// configPathCmd is 'fieldscreen config path'. runF, when not nil, runs
// instead of runConfigPath.
func (a *app) configPathCmd(runF func(*configPathOptions) error) *cobra.Command {
	o := &configPathOptions{app: a}
	return &cobra.Command{
		Use:     "path",
		Short:   "Print where the settings file is (it may not exist yet)",
		Example: `  fieldscreen config path`,
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runConfigPath(o)
		},
	}
}

// runConfigPath prints the settings file's path.
func runConfigPath(o *configPathOptions) error {
	p, err := config.Path(o.io.Getenv)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.io.Out, p)
	return nil
}
