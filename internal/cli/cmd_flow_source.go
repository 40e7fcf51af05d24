package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/questionnaire"
)

func (a *app) flowSourceCmd() *cobra.Command {
	var version string
	c := &cobra.Command{
		Use:   "source",
		Short: "Print the built-in flow's YAML, to adapt it",
		Example: `  fieldscreen flow source > my-flow.yaml && fieldscreen flow validate my-flow.yaml
  fieldscreen flow source --version 1.0.0 > screening-1.0.0.yaml   # an earlier version`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if version == "" {
				_, err := a.io.Out.Write(questionnaire.BuiltinSource())
				return err
			}
			f := questionnaire.BuiltinVersion(version)
			if f == nil {
				var have []string
				for _, b := range questionnaire.BuiltinVersions() {
					have = append(have, b.Version)
				}
				return withHint(fmt.Errorf("the built-in flow has no version %q", version), ExitUsage, "built-in versions: %s", strings.Join(have, ", "))
			}
			_, err := a.io.Out.Write(f.Source)
			return err
		},
	}
	c.Flags().StringVar(&version, "version", "", "an earlier version of the built-in flow (interviews taken with it keep it)")
	return c
}
