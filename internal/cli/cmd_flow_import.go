package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"fieldscreen/internal/xlsform"
)

// flowImportOptions is what 'fieldscreen flow import' was asked.
type flowImportOptions struct {
	*app
	form   string
	output string
	format string
}

// flowImportCmd converts an XLSForm into a flow (see internal/xlsform).
// runF, when not nil, runs instead of runFlowImport.
func (a *app) flowImportCmd(runF func(*flowImportOptions) error) *cobra.Command {
	o := &flowImportOptions{app: a}
	c := &cobra.Command{
		Use:   "import FORM.xlsx",
		Short: "Convert an XLSForm (ODK, KoboToolbox) into a flow",
		Long: `Converts the survey, choices and settings sheets of an XLSForm into a flow:
select_one, select_multiple, integer, text and note questions, groups as
sections, label::Language (code) and hint:: columns as translations, and
relevant, constraint with constraint_message, and required as flow
expressions. The flow goes to standard output (or -o FILE); what could not
be converted (repeat groups, calculate, other question types, functions
the flow language lacks) is listed on standard error with its sheet, row
and column, and left out, so the flow always loads.

Findings, referrals and cautions are not in an XLSForm: write them in the
flow's YAML afterwards (docs/authoring.md, "Bringing an XLSForm").`,
		Example: `  fieldscreen flow import intake.xlsx > intake.yaml
  fieldscreen flow import intake.xlsx -o intake.yaml
  fieldscreen flow import intake.xlsx --format json 2> not-converted.json > intake.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			o.form = args[0]
			if runF != nil {
				return runF(o)
			}
			return runFlowImport(o)
		},
	}
	c.Flags().StringVarP(&o.output, "output", "o", "", "write the flow to `FILE` instead of standard output")
	formatVar(c, &o.format, "text", "how what was not converted is listed on standard error: {or}", "text", "json")
	return c
}

// runFlowImport converts the XLSForm and writes the flow.
func runFlowImport(o *flowImportOptions) error {
	fh, err := os.Open(o.form)
	if err != nil {
		return withHint(fmt.Errorf("cannot read %s: %w", o.form, errors.Unwrap(err)), ExitError, "check the file name")
	}
	defer fh.Close()
	wb, err := xlsform.Read(fh)
	if err == nil {
		var res *xlsform.Result
		if res, err = xlsform.Convert(o.form, wb); err == nil {
			return o.writeImport(o, res)
		}
	}
	return withHint(fmt.Errorf("%s: %w", o.form, err), ExitInvalid,
		"give an XLSForm saved as .xlsx, with a survey sheet (type, name, label) and a choices sheet")
}

func (a *app) writeImport(o *flowImportOptions, res *xlsform.Result) error {
	if o.output != "" {
		if err := os.WriteFile(o.output, res.YAML, 0o644); err != nil {
			return withHint(fmt.Errorf("cannot write %s: %w", o.output, errors.Unwrap(err)), ExitError, "check the folder exists and can be written")
		}
	} else if _, err := a.io.Out.Write(res.YAML); err != nil {
		return err
	}
	if o.format == "json" {
		type report struct {
			Form         string          `json:"form"`
			Questions    int             `json:"questions"`
			Sections     int             `json:"sections"`
			NotConverted []xlsform.Issue `json:"not_converted"`
		}
		r := report{Form: o.form, Questions: res.Questions, Sections: res.Sections, NotConverted: res.Issues}
		if r.NotConverted == nil {
			r.NotConverted = []xlsform.Issue{}
		}
		enc := json.NewEncoder(a.io.Err)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	for _, i := range res.Issues {
		fmt.Fprintf(a.io.Err, "%s: %s\n", o.form, i)
	}
	to := "standard output"
	if o.output != "" {
		to = o.output
	}
	fmt.Fprintf(a.io.Err, "fieldscreen: converted %s in %s to %s", plural(res.Questions, "question", "questions"), plural(res.Sections, "section", "sections"), to)
	if n := len(res.Issues); n > 0 {
		fmt.Fprintf(a.io.Err, "; %s not converted as written (listed above)", plural(n, "thing", "things"))
	}
	fmt.Fprintln(a.io.Err)
	fmt.Fprintln(a.io.Err, "hint: write the findings, referrals and cautions in the YAML, then run 'fieldscreen flow validate' on it")
	return nil
}
