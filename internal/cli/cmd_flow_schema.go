package cli

import (
	"github.com/spf13/cobra"

	"fieldscreen/questionnaire"
)

// flowSchemaCmd prints the JSON Schema of the flow YAML, for an author's
// editor (see docs/authoring.md, "Editor setup").
func (a *app) flowSchemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of flow files, for editors",
		Long: `Prints the JSON Schema (draft 2020-12) of the flow YAML. An editor that knows
it describes every key on hover and underlines typos as you type. It checks
the shape of a flow only: 'fieldscreen flow validate' still checks the
expressions, names and translations.

To use it in VS Code with the YAML extension (redhat.vscode-yaml), save it
next to your flow and make the flow's first line:

  # yaml-language-server: $schema=flow.schema.json`,
		Example: `  fieldscreen flow schema > flow.schema.json`,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := a.io.Out.Write(questionnaire.Schema())
			return err
		},
	}
}
