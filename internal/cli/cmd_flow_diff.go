package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/questionnaire"
)

// flowDiffOptions is what 'fieldscreen flow diff' was asked: `flow diff`
// as its flags fill it.
type flowDiffOptions struct {
	*app
	args     []string
	format   string
	noTexts  bool
	exitCode bool
}

// flowDiffCmd is 'fieldscreen flow diff'. runF, when not nil, runs instead
// of runFlowDiff.
func (a *app) flowDiffCmd(runF func(*flowDiffOptions) error) *cobra.Command {
	o := &flowDiffOptions{app: a}
	c := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Say what changed from one flow to another: questions, choices, conditions, rules, texts",
		Long: `Compares two flows as they load, and says in words what was added, removed
or changed: questions and sections (and their order), choices, the
conditions that decide what is asked, the rules (derived values, findings
and their cases, referrals and their priorities, cautions), and the texts a
person reads, in every language. Each change names its line in the old and
the new file. A change of layout or comments alone is no change.

OLD and NEW are flow files, or "builtin" (the built-in flow) and
"builtin:VERSION" (an earlier built-in version, such as builtin:1.0.0).

To see which interviews a rule change would affect, run
'fieldscreen score --flow NEW --compare --all'; to prove the new flow
right, run its cases ('fieldscreen flow test --flow NEW CASES').`,
		Example: `  fieldscreen flow diff builtin my-flow.yaml          # what my adaptation changes
  fieldscreen flow diff builtin:1.0.0 builtin         # what 2.0.0 changed
  fieldscreen flow diff old.yaml new.yaml --no-texts  # rules only
  fieldscreen flow diff old.yaml new.yaml --format json`,
		Args: cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			o.args = args
			if runF != nil {
				return runF(o)
			}
			return runFlowDiff(o)
		},
	}
	formatVar(c, &o.format, "text", "{or}", "text", "json")
	c.Flags().BoolVar(&o.noTexts, "no-texts", false, "leave out changes of wording and translations")
	c.Flags().BoolVar(&o.exitCode, "exit-code", false, "exit 1 when the flows differ (as git diff --exit-code)")
	return c
}

// runFlowDiff compares the two flows and says what changed.
func runFlowDiff(o *flowDiffOptions) error {
	old, err := loadFlowArg(o.args[0])
	if err != nil {
		return err
	}
	new, err := loadFlowArg(o.args[1])
	if err != nil {
		return err
	}
	d := questionnaire.Diff(old, new)
	if o.noTexts {
		var keep []questionnaire.Change
		for _, ch := range d.Changes {
			if ch.Group != questionnaire.DiffTexts {
				keep = append(keep, ch)
			}
		}
		if keep == nil {
			keep = []questionnaire.Change{}
		}
		d.Changes = keep
	}
	if o.format == "json" {
		err = o.printJSON(d)
	} else {
		printFlowDiff(o.io.Out, d)
	}
	if err != nil {
		return err
	}
	if o.exitCode && len(d.Changes) > 0 {
		return &hinted{err: fmt.Errorf("the flows differ: %d changes", len(d.Changes)), code: ExitError}
	}
	return nil
}

var diffGroupTitles = map[string]string{
	questionnaire.DiffFlow:       "Flow",
	questionnaire.DiffQuestions:  "Questions",
	questionnaire.DiffChoices:    "Choices",
	questionnaire.DiffConditions: "Conditions (when a question is asked)",
	questionnaire.DiffRules:      "Rules",
	questionnaire.DiffTexts:      "Texts",
}

var diffSigns = map[string]string{questionnaire.Added: "+", questionnaire.Removed: "-", questionnaire.Changed: "~", questionnaire.Moved: "↕"}

func printFlowDiff(w io.Writer, d *questionnaire.FlowDiff) {
	fmt.Fprintf(w, "%s → %s\n", d.OldName, d.NewName)
	if d.Old.ID == d.New.ID {
		fmt.Fprintf(w, "flow %s %s → %s: ", d.New.ID, d.Old.Version, d.New.Version)
	} else {
		fmt.Fprintf(w, "flow %s %s → %s %s: ", d.Old.ID, d.Old.Version, d.New.ID, d.New.Version)
	}
	if len(d.Changes) == 0 {
		if d.Old.Hash == d.New.Hash {
			fmt.Fprintln(w, "the same file")
		} else {
			fmt.Fprintln(w, "no change to questions, rules or texts (only layout or comments)")
		}
		return
	}
	var counts []string
	for _, g := range questionnaire.DiffGroups {
		if n := d.Count(g); n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, g))
		}
	}
	fmt.Fprintf(w, "%s (%s)\n", plural(len(d.Changes), "change", "changes"), strings.Join(counts, ", "))
	group := ""
	for _, c := range d.Changes {
		if c.Group != group {
			group = c.Group
			fmt.Fprintf(w, "\n%s\n", diffGroupTitles[group])
		}
		fmt.Fprintf(w, "  %s %s%s\n", diffSigns[c.Kind], c.Text, diffLines(c))
	}
}

func diffLines(c questionnaire.Change) string {
	switch {
	case c.OldLine > 0 && c.NewLine > 0:
		if c.OldLine == c.NewLine {
			return fmt.Sprintf("  [line %d]", c.NewLine)
		}
		return fmt.Sprintf("  [line %d → %d]", c.OldLine, c.NewLine)
	case c.NewLine > 0:
		return fmt.Sprintf("  [new line %d]", c.NewLine)
	case c.OldLine > 0:
		return fmt.Sprintf("  [old line %d]", c.OldLine)
	}
	return ""
}
