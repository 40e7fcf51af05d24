package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

// flowValidateOptions is what the command was asked, with the app it runs in (its IO,
// store and settings).
type flowValidateOptions struct {
	*app
	args   []string
	format string
}

func (a *app) flowValidateCmd(runF func(*flowValidateOptions) error) *cobra.Command {
	o := &flowValidateOptions{app: a}
	c := &cobra.Command{
		Use:   "validate [FILE...]",
		Short: "Check flows and list every problem (no file: the built-in flow)",
		Example: `  fieldscreen flow validate                      # the built-in flow
  fieldscreen flow validate my-flow.yaml other.yaml
  fieldscreen flow validate --format json my-flow.yaml`,
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			o.args = args
			if runF != nil {
				return runF(o)
			}
			return runFlowValidate(o)
		},
	}
	formatVar(c, &o.format, "text", "{or}", "text", "json")
	return c
}

// runFlowValidate runs the command with its options.
func runFlowValidate(o *flowValidateOptions) error {
	a, args, format := o.app, o.args, o.format
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
	var flows []*questionnaire.Flow // the valid ones, in results order
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
			flows = append(flows, f)
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
	valid := 0
	for _, r := range results {
		if r.Valid {
			fmt.Fprintf(a.io.Out, "%s: valid (flow %s, version %s)\n", r.File, r.ID, r.Version)
			noteMissingWords(a, flows[valid], r.File)
			valid++
		}
	}
	if len(all) > 0 {
		return all
	}
	return nil
}

// noteMissingWords says, on stderr, when a valid flow speaks a language in
// which words of fieldscreen's own screens and summaries are missing: they
// would be shown in English, around the flow's own translated texts.
func noteMissingWords(a *app, f *questionnaire.Flow, file string) {
	for _, lang := range f.Languages {
		if n := len(words.Missing(f, lang)); n > 0 {
			fmt.Fprintf(a.io.Err, "note: %s: %d words of fieldscreen's screens and summaries have no %q text, and are shown in English\n", file, n, lang)
			fmt.Fprintf(a.io.Err, "hint: 'fieldscreen flow source --strings %s' lists them, to translate under strings:\n", file)
		}
	}
}
