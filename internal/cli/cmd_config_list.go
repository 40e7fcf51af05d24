package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/config"
)

func (a *app) configListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Print every setting that is set, as key=value",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			f, err := a.loadConfig()
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
				fmt.Fprintf(a.io.Out, "%s=%s\n", k.Name, strings.Join(vals, ","))
			}
			if n == 0 {
				fmt.Fprintln(a.io.Err, "No settings. See 'fieldscreen config --help'.")
			}
			return nil
		},
	}
}
