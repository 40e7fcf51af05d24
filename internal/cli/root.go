package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "fieldscreen",
		Short: "Offline screening for trafficking and international protection needs",
		Long: `fieldscreen runs screening interviews with people who may have been trafficked
or may need international protection as refugees, keeps every answer in an
encrypted store on this computer, and prints a summary for referral.

The summary is a screening aid for referral. It is not a determination of
refugee status or of victim-of-trafficking status.`,
		Example: `  fieldscreen interview                          # start an interview on the built-in flow
  fieldscreen interview --resume 3e27485e        # continue a draft
  fieldscreen list                               # interviews on this computer
  fieldscreen show 3e27485e --format markdown    # a printable handover summary
  fieldscreen score --answers testdata/examples/trafficked-abroad.yaml`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		Version:           a.version,
		DisableAutoGenTag: true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: false},
	}
	root.SetVersionTemplate("fieldscreen {{.Version}}\n")
	// Help leads with examples: most people look for the line to copy.
	root.SetHelpTemplate(helpTemplate)
	usage := strings.Replace(root.UsageTemplate(), "{{if .HasExample}}\n\nExamples:\n{{.Example}}{{end}}", "", 1)
	// A command that groups others runs only to print its help (and to
	// refuse an unknown subcommand): its usage is "[command]" alone.
	usage = strings.Replace(usage, "Usage:{{if .Runnable}}", "Usage:{{if and .Runnable (not .HasAvailableSubCommands)}}", 1)
	root.SetUsageTemplate(usage)
	root.PersistentFlags().StringVar(&a.dbPath, "db", "", "the interview store (default: $FIELDSCREEN_DB, else the user data folder)")
	root.PersistentFlags().BoolVar(&a.noColor, "no-color", false, "plain text, no colour (also NO_COLOR=1)")
	root.PersistentFlags().BoolVar(&a.noPager, "no-pager", false, "print long output (show, score) straight to the terminal, not through $PAGER or less")
	root.PersistentFlags().StringVar(&a.referrals, "referrals", "", "a referral directory (YAML) whose local services summaries list under each referral")
	root.PersistentPreRunE = checkTextFlags
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr(c, err.Error())
	})
	root.AddCommand(a.commands()...)
	a.registerCompletions(root)
	// Added now rather than when it runs, so that 'completion tcsh' is
	// refused like any unknown subcommand.
	root.InitDefaultCompletionCmd()
	completionExamples(root)
	root.InitDefaultHelpCmd()
	if h := findCmd(root, "help"); h != nil {
		// 'help flow tset' is refused like 'flow tset', not answered
		// with the nearest help and exit 0.
		h.Run = nil
		h.RunE = func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil {
				return usageErr(c, err.Error())
			}
			if len(rest) > 0 {
				return unknownSubcommand(cmd, rest[0])
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		}
	}
	usageArgs(root)
	return root
}

// A help topic (environment, exit-codes) has no usage after its text: the
// {{else}} ends it with a newline, as every other help ends.
const helpTemplate = `{{with .Short}}{{.}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{with .Long}}

{{. | trimTrailingWhitespaces}}{{end}}{{if or .Runnable .HasSubCommands}}

{{.UsageString}}{{else}}
{{end}}`

// completionShells is a line to copy for each shell cobra's 'completion'
// writes a script for.
var completionShells = map[string]string{
	"bash":       "fieldscreen completion bash > ~/.local/share/bash-completion/completions/fieldscreen",
	"zsh":        `fieldscreen completion zsh > "${fpath[1]}/_fieldscreen"`,
	"fish":       "fieldscreen completion fish > ~/.config/fish/completions/fieldscreen.fish",
	"powershell": "fieldscreen completion powershell | Out-String | Invoke-Expression",
}

// completionExamples gives cobra's 'completion' command and its shells
// the examples every other command has.
func completionExamples(root *cobra.Command) {
	c := findCmd(root, "completion")
	if c == nil {
		return
	}
	var all []string
	for _, s := range c.Commands() {
		if ex, ok := completionShells[s.Name()]; ok {
			s.Example = "  " + ex
			all = append(all, s.Example)
		}
	}
	c.Example = strings.Join(all, "\n")
}
