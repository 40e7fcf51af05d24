package cli

import "github.com/spf13/cobra"

func (a *app) flowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "flow",
		Short: "Check, print and adapt interview flows",
		Example: `  fieldscreen flow validate my-flow.yaml
  fieldscreen flow check --fail-safe my-flow.yaml   # declining is never less protective than "no"
  fieldscreen flow print --format markdown > questionnaire.md
  fieldscreen flow source > my-flow.yaml            # start from the built-in flow`,
	}
}
