package cli

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spf13/cobra"
)

// helpCommands is every command a person can ask help for: the hidden
// ones (dev) and the help topics left out.
func helpCommands(t *testing.T) []*cobra.Command {
	t.Helper()
	a, _, _ := seamApp(t.TempDir() + "/s.db")
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasParent() && !c.IsAvailableCommand() {
			return
		}
		out = append(out, c)
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(a.rootCmd())
	if len(out) < 30 {
		t.Fatalf("found only %d commands", len(out))
	}
	return out
}

// TestExampleCommentsAligned: in each command's Examples, the # comments
// after the command lines start in one column, so they read as a column.
func TestExampleCommentsAligned(t *testing.T) {
	for _, c := range helpCommands(t) {
		col, first := -1, ""
		for _, line := range strings.Split(c.Example, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue // a comment line of its own
			}
			i := strings.Index(line, " # ")
			if i < 0 {
				continue
			}
			at := utf8.RuneCountInString(line[:i+1])
			switch {
			case col < 0:
				col, first = at, line
			case at != col:
				t.Errorf("%s: the comment of\n%s\nstarts in column %d, that of\n%s\nin column %d", c.CommandPath(), line, at, first, col)
			}
		}
	}
}

// TestEveryCommandHasExample: help leads with examples, the line most
// people look for; no command a person can run is without one.
func TestEveryCommandHasExample(t *testing.T) {
	for _, c := range helpCommands(t) {
		if c.Name() == "help" {
			continue
		}
		if strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s has no Example", c.CommandPath())
		}
	}
}

// TestHelpEndsWithNewline: every help, topics too, ends its last line.
func TestHelpEndsWithNewline(t *testing.T) {
	for _, args := range [][]string{{"help", "environment"}, {"help", "exit-codes"}, {"environment", "--help"}, {"help", "list"}, {"--help"}} {
		code, out, errb := runCLI(t, t.TempDir()+"/s.db", args...)
		if code != 0 || out == "" {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errb)
		}
		if !strings.HasSuffix(out, "\n") || strings.HasSuffix(out, "\n\n") {
			t.Errorf("%v: help does not end with exactly one newline: ...%q", args, out[max(0, len(out)-40):])
		}
	}
}

// TestConfigSettingsAligned: the settings listed in 'config --help' have
// their descriptions in one column, the longest name (trusted_signers)
// included.
func TestConfigSettingsAligned(t *testing.T) {
	_, list, ok := strings.Cut(configHelp(), "Settings:\n")
	if !ok {
		t.Fatal("no Settings: in config help")
	}
	col := -1
	lines := strings.Split(strings.TrimRight(list, "\n"), "\n")
	if len(lines) < 6 {
		t.Fatalf("only %d settings listed", len(lines))
	}
	for _, line := range lines {
		name := strings.Fields(line)[0]
		at := strings.Index(line, name) + len(name)
		at += len(line[at:]) - len(strings.TrimLeft(line[at:], " "))
		if at-len(name)-2 < 2 {
			t.Errorf("%q: less than two spaces after the name", line)
		}
		if col < 0 {
			col = at
		} else if at != col {
			t.Errorf("%q: description in column %d, not %d", line, at, col)
		}
	}
}
