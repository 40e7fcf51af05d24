package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// versionOptions is what 'fieldscreen version' was asked.
type versionOptions struct {
	*app
}

// versionCmd is 'fieldscreen version'. runF, when not nil, runs instead of
// runVersion.
func (a *app) versionCmd(runF func(*versionOptions) error) *cobra.Command {
	o := &versionOptions{app: a}
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Example: `  fieldscreen version
  fieldscreen --version`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runVersion(o)
		},
	}
}

// runVersion is the work of 'fieldscreen version'.
func runVersion(o *versionOptions) error {
	a := o.app
	fmt.Fprintf(a.io.Out, "fieldscreen %s\n", a.version)
	return nil
}
