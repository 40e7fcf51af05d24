// Package cli wires fieldscreen's commands: it parses flags, opens the
// store, and hands work to questionnaire (flows and scoring), store, forms,
// render and export. Every command writes through the IO it is given and
// never touches os.Stdout directly, so tests can run it without a terminal.
package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// IO is where a command reads and writes. Data goes to Out, messages to Err.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Getenv reads the environment (os.Getenv outside tests).
	Getenv func(string) string
}

// StdIO returns the process's standard streams.
func StdIO() *IO {
	return &IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv}
}

func isTerminal(x any) bool {
	f, ok := x.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// InTerminal reports whether input comes from a person at a terminal.
func (o *IO) InTerminal() bool { return isTerminal(o.In) }

// OutTerminal reports whether output goes to a terminal.
func (o *IO) OutTerminal() bool { return isTerminal(o.Out) }

// ErrTerminal reports whether messages go to a terminal.
func (o *IO) ErrTerminal() bool { return isTerminal(o.Err) }

// app holds what every command shares.
type app struct {
	io      *IO
	version string
	dbPath  string
	noColor bool
	noPager bool
	pg      *pager // the pager stdout goes through, while one runs
	pass    []byte // cached for this process once asked

	opened []interface{ Close() error } // stores to close (clearing their keys) when the command ends

	configWarned bool // a broken settings file was reported once already

	referrals string                              // --referrals
	dirs      map[string]*questionnaire.Directory // loaded referral directories, by flow hash
}

// Execute runs the command line and returns the process exit code.
func Execute(ctx context.Context, version string, args []string, stdio *IO) int {
	a := &app{io: stdio, version: version}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	err := root.ExecuteContext(ctx)
	err = a.endPager(err)
	a.forget()
	if err == nil {
		return ExitOK
	}
	return a.report(err)
}

// forget closes the stores this process opened, which clears their keys
// from memory, and clears the passphrase.
func (a *app) forget() {
	for _, st := range a.opened {
		st.Close()
	}
	a.opened = nil
	clear(a.pass)
	a.pass = nil
}

// report prints an error in the house voice and returns its exit code.
func (a *app) report(err error) int {
	code := exitCode(err)
	msg, hint := explain(err)
	// A message can name what a bundle or flow holds (a flow's id and
	// version, a file name): nothing in it may drive the terminal.
	msg, hint = textsafe.Terminal(msg), textsafe.Terminal(hint)
	fmt.Fprintf(a.io.Err, "fieldscreen: %s\n", msg)
	if hint != "" {
		fmt.Fprintf(a.io.Err, "hint: %s\n", hint)
	}
	return code
}

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
  fieldscreen interview --resume 3e27485e           # continue a draft
  fieldscreen list                                # interviews on this computer
  fieldscreen show 3e27485e --format markdown       # a printable handover summary
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
	root.AddCommand(
		a.versionCmd(),
		a.flowCmd(),
		a.scoreCmd(),
		a.interviewCmd(),
		a.listCmd(),
		a.showCmd(),
		a.deleteCmd(),
		a.purgeCmd(),
		a.checkCmd(),
		a.keyCmd(),
		exitCodesTopic(),
	)
	for _, extra := range extraCommands {
		root.AddCommand(extra(a))
	}
	a.registerCompletions(root)
	// Added now rather than when it runs, so that 'completion tcsh' is
	// refused like any unknown subcommand.
	root.InitDefaultCompletionCmd()
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

const helpTemplate = `{{with .Short}}{{.}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{with .Long}}

{{. | trimTrailingWhitespaces}}{{end}}{{if or .Runnable .HasSubCommands}}

{{.UsageString}}{{end}}`

// extraCommands lets other files of this package add commands without
// editing the root (export, import and the like).
var extraCommands []func(a *app) *cobra.Command

// usageArgs makes a wrong number of arguments a usage error (exit 2) with
// a hint, on every command. A command that only groups others (flow, key,
// config) refuses an unknown subcommand the same way, with the nearest
// names: cobra would print the group's help and exit 0, so a typo such as
// 'fieldscreen flow tset' in a script would pass unnoticed.
func usageArgs(c *cobra.Command) {
	if c.HasSubCommands() && !c.Runnable() {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownSubcommand(cmd, args[0])
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		if !strings.Contains(c.Use, " ") {
			c.Use += " COMMAND" // its synopsis, in man pages
		}
	} else if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return usageErr(cmd, fmt.Sprintf("%s: %v (usage: %s)", cmd.CommandPath(), err, cmd.UseLine()))
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
}

// unknownSubcommand is the usage error for 'fieldscreen flow tset': what
// was typed, the nearest subcommands, else the list of them.
func unknownSubcommand(c *cobra.Command, name string) error {
	err := fmt.Errorf("unknown command %q for %q", name, c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2
	}
	if near := c.SuggestionsFor(name); len(near) > 0 {
		for i, n := range near {
			near[i] = "'" + c.CommandPath() + " " + n + "'"
		}
		return withHint(err, ExitUsage, "did you mean %s?", strings.Join(near, " or "))
	}
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	return withHint(err, ExitUsage, "the commands of '%s' are: %s (see '%s --help')", c.CommandPath(), strings.Join(names, ", "), c.CommandPath())
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Fprintf(a.io.Out, "fieldscreen %s\n", a.version)
			return nil
		},
	}
}

// printJSON writes v to stdout as indented JSON, for people and tools,
// with every character that could drive a terminal escaped
// (textsafe.JSON): names and answers from a bundle are in it.
func (a *app) printJSON(v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := a.io.Out.Write(textsafe.JSON(b.Bytes()))
	return err
}

// color reports whether output to w may use colour and styles.
func (a *app) color() bool {
	if a.pg != nil {
		return a.pg.color
	}
	if a.noColor || a.io.Getenv("NO_COLOR") != "" || a.io.Getenv("TERM") == "dumb" {
		return false
	}
	return a.io.OutTerminal()
}

func usageErr(c *cobra.Command, msg string) error {
	return &UsageError{Msg: msg, Cmd: c.CommandPath()}
}

// oneOf checks a flag's value against its allowed values.
func oneOf(c *cobra.Command, flag, val string, allowed ...string) error {
	for _, v := range allowed {
		if v == val {
			return nil
		}
	}
	return usageErr(c, fmt.Sprintf("--%s must be one of %s, not %q", flag, strings.Join(allowed, ", "), val))
}

var errCancelled = errors.New("cancelled")
