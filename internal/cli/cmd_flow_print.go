package cli

import (
	"github.com/spf13/cobra"

	"fieldscreen/internal/render"
)

// flowPrintOptions is what 'fieldscreen flow print' was asked.
type flowPrintOptions struct {
	*app
	args         []string
	format, lang string
}

// flowPrintCmd is 'fieldscreen flow print'. runF, when not nil, runs
// instead of runFlowPrint.
func (a *app) flowPrintCmd(runF func(*flowPrintOptions) error) *cobra.Command {
	o := &flowPrintOptions{app: a}
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
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			o.args = args
			if runF != nil {
				return runF(o)
			}
			return runFlowPrint(o)
		},
	}
	formatVar(c, &o.format, "text", "{or}", "text", "markdown")
	c.Flags().StringVar(&o.lang, "lang", "", "language of the text (default: the flow's)")
	return c
}

// runFlowPrint prints the flow as a paper questionnaire.
func runFlowPrint(o *flowPrintOptions) error {
	path := ""
	if len(o.args) == 1 {
		path = o.args[0]
	}
	f, err := loadFlow(path)
	if err != nil {
		return err
	}
	lang, err := flowLang(f, o.lang)
	if err != nil {
		return err
	}
	lang = f.Lang(lang)
	if o.format == "markdown" {
		return render.FlowMarkdown(o.io.Out, f, lang)
	}
	return render.Flow(o.io.Out, f, lang, render.Options{Color: o.color(), Width: 80})
}
