package cli

import (
	"github.com/spf13/cobra"

	"fieldscreen/internal/render"
)

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
			if err := checkEnums(c, "format"); err != nil {
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
	formatVar(c, &format, "text", "{or}", "text", "markdown")
	c.Flags().StringVar(&lang, "lang", "", "language of the text (default: the flow's)")
	return c
}
