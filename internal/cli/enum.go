package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// choice is one value an enum flag takes, with what it means (shown by
// shell completion, and in the help where the flag's text asks for it).
type choice struct {
	Value string
	Help  string
}

// enum is a flag that takes one of a fixed list of values (--format,
// --status). The list is declared once, where the flag is defined; the
// check, the shell completion and the help's list of values all come from
// it. The value is checked when the command runs (check), not as the flag
// is parsed, so that a command reports its mistakes in one order.
type enum struct {
	name    string  // the flag's name, without --
	p       *string // the value, in the command's options
	choices []choice
	// empty allows "" (no value given: every status) besides choices.
	empty bool
}

var _ pflag.Value = (*enum)(nil)

func (e *enum) String() string     { return *e.p }
func (e *enum) Set(s string) error { *e.p = s; return nil }

// Type is what help shows after the flag's name: a value, like any
// string flag.
func (e *enum) Type() string { return "string" }

// values are the allowed values, in the declared order.
func (e *enum) values() []string {
	out := make([]string, len(e.choices))
	for i, c := range e.choices {
		out[i] = c.Value
	}
	return out
}

// check refuses a value not in the list: a usage error (exit 2) that
// names them all.
func (e *enum) check(c *cobra.Command) error {
	if e.empty && *e.p == "" {
		return nil
	}
	return oneOf(c, e.name, *e.p, e.values()...)
}

// Complete offers the values, with their meaning, to the shell.
func (e *enum) Complete(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
	out := make([]string, len(e.choices))
	for i, c := range e.choices {
		out[i] = c.Value
		if c.Help != "" {
			out[i] += "\t" + c.Help
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// help fills the flag's help text: {or} becomes the values as "a, b or c"
// (each with its meaning in brackets when it has one), {list} becomes
// "a, b, c".
func (e *enum) help(text string) string {
	var or []string
	for _, c := range e.choices {
		s := c.Value
		if c.Help != "" {
			s += " (" + c.Help + ")"
		}
		or = append(or, s)
	}
	orList := or[0]
	if n := len(or); n > 1 {
		orList = strings.Join(or[:n-1], ", ") + " or " + or[n-1]
	}
	text = strings.ReplaceAll(text, "{or}", orList)
	return strings.ReplaceAll(text, "{list}", strings.Join(e.values(), ", "))
}

// enumVar defines --name on c, stored in p, with default def, the values
// choices and the help text usage (see enum.help), and registers its
// completion.
func enumVar(c *cobra.Command, p *string, name, def, usage string, choices ...choice) *enum {
	*p = def
	e := &enum{name: name, p: p, choices: choices}
	c.Flags().Var(e, name, e.help(usage))
	if err := c.RegisterFlagCompletionFunc(name, e.Complete); err != nil {
		panic(fmt.Sprintf("enum flag --%s: %v", name, err))
	}
	return e
}

// formatVar is --format with the given formats, which need no meaning.
func formatVar(c *cobra.Command, p *string, def, usage string, formats ...string) *enum {
	cs := make([]choice, len(formats))
	for i, f := range formats {
		cs[i] = choice{Value: f}
	}
	return enumVar(c, p, "format", def, usage, cs...)
}

// statuses are an interview's statuses, as --status takes them.
var statuses = []choice{
	{"draft", "started, not completed"},
	{"completed", "completed, not yet exported"},
	{"exported", "handed over in a bundle"},
}

// statusVar is --status: one status, or "" for every interview.
func statusVar(c *cobra.Command, p *string, usage string) *enum {
	e := enumVar(c, p, "status", "", usage, statuses...)
	e.empty = true
	return e
}

// checkEnums checks the enum flags named, in that order: the first value
// not in its list is a usage error.
func checkEnums(c *cobra.Command, names ...string) error {
	for _, n := range names {
		f := c.Flags().Lookup(n)
		if f == nil {
			panic("checkEnums: no flag --" + n)
		}
		if err := f.Value.(*enum).check(c); err != nil {
			return err
		}
	}
	return nil
}
