package cli

import "github.com/spf13/cobra"

// commands is every command of fieldscreen, each with its subcommands: the
// one place a command is registered. Help lists them in alphabetical order
// whatever the order here.
func (a *app) commands() []*cobra.Command {
	return []*cobra.Command{
		a.versionCmd(nil),
		// Interviews.
		a.interviewCmd(nil),
		a.amendCmd(nil),
		a.listCmd(nil),
		a.showCmd(nil),
		a.scoreCmd(nil),
		a.reportCmd(nil),
		a.deleteCmd(nil),
		a.purgeCmd(nil),
		// Handover.
		a.exportCmd(nil),
		a.importCmd(nil),
		a.verifyCmd(nil),
		// The store.
		a.checkCmd(nil),
		a.compactCmd(nil),
		group(a.keyCmd(),
			a.keyAddCmd(nil),
			a.keyListCmd(nil),
			a.keyRemoveCmd(nil),
			a.keyChangeCmd(nil),
			a.keyRotateCmd(nil),
			a.keySigningCmd(nil),
		),
		// Flows.
		group(a.flowCmd(),
			a.flowValidateCmd(nil),
			a.flowCheckCmd(nil),
			a.flowPrintCmd(nil),
			a.flowSourceCmd(nil),
			a.flowSchemaCmd(nil),
			a.flowTestCmd(nil),
			a.flowDiffCmd(nil),
			a.flowImportCmd(nil),
		),
		// Settings, documentation and tools.
		group(a.configCmd(),
			a.configGetCmd(nil),
			a.configSetCmd(nil),
			a.configUnsetCmd(nil),
			a.configListCmd(nil),
			a.configPathCmd(nil),
		),
		a.manCmd(nil),
		exitCodesTopic(),
		environmentTopic(),
		group(a.devCmd(),
			a.devGenerateCmd(nil),
			a.devReadCmd(nil),
		),
	}
}

// group adds subcommands to the command that groups them.
func group(parent *cobra.Command, subs ...*cobra.Command) *cobra.Command {
	parent.AddCommand(subs...)
	return parent
}
