package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/render"
	"fieldscreen/questionnaire"
)

// loadFlow loads FILE, or the built-in flow when path is "".
func loadFlow(path string) (*questionnaire.Flow, error) {
	if path == "" {
		return questionnaire.Builtin()
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, withHint(fmt.Errorf("cannot read flow %s: %w", path, errors.Unwrap(err)), ExitError, "check the file name")
	}
	return questionnaire.Load(path, src)
}

func (a *app) flowCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "flow",
		Short: "Check, print and adapt interview flows",
		Example: `  fieldscreen flow validate my-flow.yaml
  fieldscreen flow check --fail-safe my-flow.yaml   # declining is never less protective than "no"
  fieldscreen flow print --format markdown > questionnaire.md
  fieldscreen flow source > my-flow.yaml        # start from the built-in flow`,
	}
	c.AddCommand(a.flowValidateCmd(), a.flowCheckCmd(), a.flowPrintCmd(), a.flowSourceCmd(), a.flowSchemaCmd())
	c.AddCommand(a.flowTestCmd())
	c.AddCommand(a.flowDiffCmd())
	c.AddCommand(a.flowImportCmd())
	return c
}

func (a *app) flowValidateCmd() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "validate [FILE...]",
		Short: "Check flows and list every problem (no file: the built-in flow)",
		Example: `  fieldscreen flow validate                      # the built-in flow
  fieldscreen flow validate my-flow.yaml other.yaml
  fieldscreen flow validate --format json my-flow.yaml`,
		RunE: func(c *cobra.Command, args []string) error {
			if err := oneOf(c, "format", format, "text", "json"); err != nil {
				return err
			}
			if len(args) == 0 {
				args = []string{""}
			}
			type result struct {
				File     string                  `json:"file"`
				Valid    bool                    `json:"valid"`
				ID       string                  `json:"id,omitempty"`
				Version  string                  `json:"version,omitempty"`
				Hash     string                  `json:"hash,omitempty"`
				Problems []questionnaire.Problem `json:"problems"`
			}
			var results []result
			var all questionnaire.Problems
			for _, path := range args {
				name := path
				if name == "" {
					name = questionnaire.BuiltinName
				}
				f, err := loadFlow(path)
				r := result{File: name, Problems: []questionnaire.Problem{}}
				var probs questionnaire.Problems
				switch {
				case errors.As(err, &probs):
					r.Problems = probs
					all = append(all, probs...)
				case err != nil:
					return err
				default:
					r.Valid, r.ID, r.Version, r.Hash = true, f.ID, f.Version, f.Hash
				}
				results = append(results, r)
			}
			if format == "json" {
				if err := a.printJSON(results); err != nil {
					return err
				}
				if len(all) > 0 {
					return &hinted{err: fmt.Errorf("%d problems", len(all)), code: ExitInvalid}
				}
				return nil
			}
			for _, r := range results {
				if r.Valid {
					fmt.Fprintf(a.io.Out, "%s: valid (flow %s, version %s)\n", r.File, r.ID, r.Version)
				}
			}
			if len(all) > 0 {
				return all
			}
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "text", "text or json")
	return c
}

func (a *app) flowPrintCmd() *cobra.Command {
	var format, lang string
	c := &cobra.Command{
		Use:   "print [FILE]",
		Short: "Print a flow as a paper questionnaire (no file: the built-in flow)",
		Long: `Prints every section, question and choice, and when each question is asked,
in words: the paper backup for when a laptop cannot be used.`,
		Example: `  fieldscreen flow print
  fieldscreen flow print --format markdown > questionnaire.md
  fieldscreen flow print my-flow.yaml --lang fr`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := oneOf(c, "format", format, "text", "markdown"); err != nil {
				return err
			}
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			f, err := loadFlow(path)
			if err != nil {
				return err
			}
			if lang, err = flowLang(f, lang); err != nil {
				return err
			}
			lang = f.Lang(lang)
			if format == "markdown" {
				return render.FlowMarkdown(a.io.Out, f, lang)
			}
			return render.Flow(a.io.Out, f, lang, render.Options{Color: a.color(), Width: 80})
		},
	}
	c.Flags().StringVar(&format, "format", "text", "text or markdown")
	c.Flags().StringVar(&lang, "lang", "", "language of the text (default: the flow's)")
	return c
}

func (a *app) flowSourceCmd() *cobra.Command {
	var version string
	c := &cobra.Command{
		Use:   "source",
		Short: "Print the built-in flow's YAML, to adapt it",
		Example: `  fieldscreen flow source > my-flow.yaml && fieldscreen flow validate my-flow.yaml
  fieldscreen flow source --version 1.0.0 > screening-1.0.0.yaml   # an earlier version`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if version == "" {
				_, err := a.io.Out.Write(questionnaire.BuiltinSource())
				return err
			}
			f := questionnaire.BuiltinVersion(version)
			if f == nil {
				var have []string
				for _, b := range questionnaire.BuiltinVersions() {
					have = append(have, b.Version)
				}
				return withHint(fmt.Errorf("the built-in flow has no version %q", version), ExitUsage, "built-in versions: %s", strings.Join(have, ", "))
			}
			_, err := a.io.Out.Write(f.Source)
			return err
		},
	}
	c.Flags().StringVar(&version, "version", "", "an earlier version of the built-in flow (interviews taken with it keep it)")
	return c
}
