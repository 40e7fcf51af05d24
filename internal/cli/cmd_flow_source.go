package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/questionnaire"
)

// flowSourceOptions is what 'fieldscreen flow source' was asked.
type flowSourceOptions struct {
	*app
	version string
}

// flowSourceCmd is 'fieldscreen flow source'. runF, when not nil, runs
// instead of runFlowSource.
func (a *app) flowSourceCmd(runF func(*flowSourceOptions) error) *cobra.Command {
	o := &flowSourceOptions{app: a}
	c := &cobra.Command{
		Use:   "source",
		Short: "Print the built-in flow's YAML, to adapt it",
		Example: `  fieldscreen flow source > my-flow.yaml && fieldscreen flow validate my-flow.yaml
  fieldscreen flow source --version 1.0.0 > screening-1.0.0.yaml   # an earlier version`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runFlowSource(o)
		},
	}
	c.Flags().StringVar(&o.version, "version", "", "an earlier version of the built-in flow (interviews taken with it keep it)")
	return c
}

// runFlowSource writes the built-in flow's YAML, of the version asked.
func runFlowSource(o *flowSourceOptions) error {
	if o.version == "" {
		_, err := o.io.Out.Write(questionnaire.BuiltinSource())
		return err
	}
	f := questionnaire.BuiltinVersion(o.version)
	if f == nil {
		var have []string
		for _, b := range questionnaire.BuiltinVersions() {
			have = append(have, b.Version)
		}
		return withHint(fmt.Errorf("the built-in flow has no version %q", o.version), ExitUsage, "built-in versions: %s", strings.Join(have, ", "))
	}
	_, err := o.io.Out.Write(f.Source)
	return err
}
