package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEnumFlag: one list gives an enum flag's help, its check and its
// completions; help shows it as a plain string flag with its default.
func TestEnumFlag(t *testing.T) {
	c := &cobra.Command{Use: "x", Run: func(*cobra.Command, []string) {}}
	var format, status string
	formatVar(c, &format, "text", "summary format: {or}", "text", "json", "csv")
	statusVar(c, &status, "only these ({list})")
	if format != "text" || status != "" {
		t.Fatalf("defaults: format %q, status %q", format, status)
	}
	usage := c.Flags().FlagUsages()
	for _, want := range []string{
		`--format string   summary format: text, json or csv (default "text")`,
		`--status string   only these (draft, completed, exported)`,
	} {
		if !strings.Contains(usage, want) {
			t.Errorf("help lacks %q:\n%s", want, usage)
		}
	}
	if err := checkEnums(c, "status", "format"); err != nil {
		t.Fatalf("defaults refused: %v", err)
	}
	if err := c.Flags().Parse([]string{"--format", "yaml", "--status", "lost"}); err != nil {
		t.Fatalf("parsing refused a value (it is checked when the command runs): %v", err)
	}
	err := checkEnums(c, "status", "format")
	if err == nil || err.Error() != `--status must be one of draft, completed, exported, not "lost"` {
		t.Fatalf("checkEnums = %v", err)
	}
	if code := exitCode(err); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	status = "exported"
	if err := checkEnums(c, "status", "format"); err == nil || !strings.Contains(err.Error(), `--format must be one of text, json, csv, not "yaml"`) {
		t.Fatalf("checkEnums = %v", err)
	}
	fn, ok := c.GetFlagCompletionFunc("status")
	if !ok {
		t.Fatal("no completion for --status")
	}
	got, dir := fn(c, nil, "")
	want := []string{"draft\tstarted, not completed", "completed\tcompleted, not yet exported", "exported\thanded over in a bundle"}
	if !slices.Equal(got, want) || dir != cobra.ShellCompDirectiveNoFileComp {
		t.Errorf("completions = %q (%v), want %q", got, dir, want)
	}
	withHelp := &enum{name: "format", p: new(string), choices: []choice{{"json", "a bundle"}, {"csv", "a table"}}}
	if got := withHelp.help("{or}"); got != "json (a bundle) or csv (a table)" {
		t.Errorf("help = %q", got)
	}
}
