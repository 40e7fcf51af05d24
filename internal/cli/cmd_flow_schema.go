package cli

import (
	"github.com/spf13/cobra"

	"fieldscreen/questionnaire"
)

// flowSchemaOptions is what 'fieldscreen flow schema' was asked.
type flowSchemaOptions struct {
	*app
}

// flowSchemaCmd prints the JSON Schema of the flow YAML, for an author's
// editor (see docs/authoring.md, "Editor setup"). runF, when not nil, runs
// instead of runFlowSchema.
func (a *app) flowSchemaCmd(runF func(*flowSchemaOptions) error) *cobra.Command {
	o := &flowSchemaOptions{app: a}
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
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runFlowSchema(o)
		},
	}
}

// runFlowSchema writes the flow files' JSON Schema.
func runFlowSchema(o *flowSchemaOptions) error {
	_, err := o.io.Out.Write(questionnaire.Schema())
	return err
}
