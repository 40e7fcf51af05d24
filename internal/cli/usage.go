package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

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

func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErr(c, fmt.Sprintf("give %s", names))
		}
		return nil
	}
}
