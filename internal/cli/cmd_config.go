package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/config"
)

func configHelp() string {
	var b strings.Builder
	b.WriteString(`Settings are defaults for the flags you would otherwise type on every command.
A flag given on the command line always wins. The file is YAML, kept in your
user configuration folder (or where FIELDSCREEN_CONFIG says), readable by you
only.

Settings:
`)
	w := 0
	for _, k := range config.Keys {
		w = max(w, len(k.Name))
	}
	for _, k := range config.Keys {
		fmt.Fprintf(&b, "  %-*s  %s\n", w, k.Name, k.Help)
	}
	return b.String()
}

func (a *app) configCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Show and change settings (interviewer, location, language, ...)",
		Long:  configHelp(),
		Example: `  fieldscreen config set interviewer "A. Officer"
  fieldscreen config set location LOC-01
  fieldscreen config set recipients age1... age1...
  fieldscreen config get interviewer
  fieldscreen config list
  fieldscreen config path`,
	}
}
