package cli

import "github.com/spf13/cobra"

// devCmd holds tools for developers. It is hidden from help: nothing in it
// is for an interview.
func (a *app) devCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "dev",
		Short:  "Developer tools (synthetic data for benchmarks); not for field use",
		Hidden: true,
	}
}
