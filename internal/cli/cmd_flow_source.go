package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

// flowSourceOptions is what 'fieldscreen flow source' was asked.
type flowSourceOptions struct {
	*app
	version string
	cases   string // a folder to write the built-in flow's case files into
	strings string // a flow file whose missing interface words to print
}

// flowSourceCmd is 'fieldscreen flow source'. runF, when not nil, runs
// instead of runFlowSource.
func (a *app) flowSourceCmd(runF func(*flowSourceOptions) error) *cobra.Command {
	o := &flowSourceOptions{app: a}
	c := &cobra.Command{
		Use:   "source",
		Short: "Print the built-in flow's YAML, to adapt it",
		Example: `  fieldscreen flow source > my-flow.yaml && fieldscreen flow validate my-flow.yaml
  fieldscreen flow source --version 1.0.0 > screening-1.0.0.yaml   # an earlier version
  fieldscreen flow source --cases cases/                           # the built-in flow's case files, to adapt with it
  fieldscreen flow source --strings my-flow.yaml                   # the screens' words my flow's languages lack`,
		Long: `Prints the built-in flow's YAML, to adapt it to your law and services.

With --cases DIR, writes the built-in flow's case files into DIR instead
(created if needed; a file already there is never overwritten): the cases
'fieldscreen flow test --flow my-flow.yaml' runs, whose failures name
them (builtin:screening-cases.yaml:LINE is DIR/screening-cases.yaml, at
the same line). Change their expectations where your flow departs from
the built-in one on purpose, then run them with
'fieldscreen flow test --flow my-flow.yaml DIR/*.yaml'.

With --strings FILE, prints instead the words of fieldscreen's own screens
and summaries (headings, "Don't know", priorities...) that FILE's
languages lack, as a strings: block to paste into FILE and translate: a
flow that adds a language fieldscreen does not speak shows them in
English until it does.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runFlowSource(o)
		},
	}
	c.Flags().StringVar(&o.version, "version", "", "an earlier version of the built-in flow (interviews taken with it keep it)")
	c.Flags().StringVar(&o.cases, "cases", "", "write the built-in flow's case files into `DIR`, instead of printing the flow")
	c.Flags().StringVar(&o.strings, "strings", "", "print the screens' words that the languages of flow `FILE` lack, to translate, instead of the flow")
	return c
}

// runFlowSource writes the built-in flow's YAML, of the version asked.
func runFlowSource(o *flowSourceOptions) error {
	if o.strings != "" {
		return printMissingStrings(o)
	}
	if o.cases != "" {
		if o.version != "" {
			return withHint(errors.New("--cases writes the current built-in flow's cases; they are not kept for earlier versions"), ExitUsage, "leave out --version")
		}
		return writeBuiltinCases(o)
	}
	if o.version == "" {
		_, err := o.io.Out.Write(questionnaire.BuiltinSource())
		return err
	}
	f := questionnaire.BuiltinVersion(o.version)
	if f == nil {
		var have []string
		for _, b := range questionnaire.BuiltinVersions() {
			have = append(have, b.Version)
		}
		return withHint(fmt.Errorf("the built-in flow has no version %q", o.version), ExitUsage, "built-in versions: %s", strings.Join(have, ", "))
	}
	_, err := o.io.Out.Write(f.Source)
	return err
}

// writeBuiltinCases writes each built-in case file into o.cases, never
// over a file already there, and says what it wrote on stderr.
func writeBuiltinCases(o *flowSourceOptions) error {
	srcs := questionnaire.BuiltinCaseSources()
	var paths []string
	for _, c := range srcs {
		p := filepath.Join(o.cases, strings.TrimPrefix(c.Name, "builtin:"))
		if _, err := os.Lstat(p); err == nil {
			return withHint(fmt.Errorf("%s is already there; nothing written", p), ExitError, "choose another folder, or move the file away")
		} else if !errors.Is(err, fs.ErrNotExist) {
			return withHint(fmt.Errorf("cannot write into %s: %w", o.cases, errors.Unwrap(err)), ExitError, "check the folder name")
		}
		paths = append(paths, p)
	}
	if err := os.MkdirAll(o.cases, 0o755); err != nil {
		return withHint(fmt.Errorf("cannot make folder %s: %w", o.cases, errors.Unwrap(err)), ExitError, "check the folder name")
	}
	for i, c := range srcs {
		f, err := os.OpenFile(paths[i], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = f.Write(c.Src)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return withHint(fmt.Errorf("cannot write %s: %w", paths[i], err), ExitError, "check the folder and the free space")
		}
		fmt.Fprintf(o.io.Err, "wrote %s\n", paths[i])
	}
	fmt.Fprintf(o.io.Err, "hint: run them on your flow with 'fieldscreen flow test --flow my-flow.yaml %s'\n", filepath.Join(o.cases, "*.yaml"))
	return nil
}

// printMissingStrings prints, as a strings: block, every word of the
// screens and summaries that a language of the flow lacks, with the text
// of each language that has it and "" for each that does not, so that
// 'flow validate' lists each one left to translate, at its line.
func printMissingStrings(o *flowSourceOptions) error {
	f, err := loadFlow(o.strings)
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	var lacking []string
	for _, lang := range f.Languages {
		miss := words.Missing(f, lang)
		if len(miss) > 0 {
			lacking = append(lacking, lang)
		}
		for _, id := range miss {
			ids[id] = true
		}
	}
	out := o.io.Out
	if len(ids) == 0 {
		fmt.Fprintf(o.io.Err, "%s: every word of the screens and summaries is there in %s\n", o.strings, strings.Join(f.Languages, ", "))
		return nil
	}
	fmt.Fprintf(out, "# The words of fieldscreen's own screens and summaries that %s lacks in %s.\n", o.strings, strings.Join(lacking, ", "))
	fmt.Fprintf(out, "# Put these entries under strings: in the flow (beside any it has), and write each \"\" text;\n")
	fmt.Fprintf(out, "# keep {name} placeholders as they are. 'fieldscreen flow validate' lists those left.\n")
	fmt.Fprintf(out, "strings:\n")
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		fmt.Fprintf(out, "  - id: %s\n    text:\n", id)
		for _, lang := range f.Languages {
			s := words.Known(lang, id)
			for _, us := range f.Strings {
				if us.ID == id && us.Text[lang] != "" {
					s = us.Text[lang]
				}
			}
			if s == "" {
				fmt.Fprintf(out, "      %s: \"\"  # %s\n", lang, strings.ReplaceAll(words.Known("en", id), "\n", " "))
				continue
			}
			fmt.Fprintf(out, "      %s: %q\n", lang, s)
		}
	}
	return nil
}
