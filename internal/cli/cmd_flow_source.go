package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/questionnaire"
)

// flowSourceOptions is what 'fieldscreen flow source' was asked.
type flowSourceOptions struct {
	*app
	version string
	cases   string // a folder to write the built-in flow's case files into
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
  fieldscreen flow source --cases cases/                           # the built-in flow's case files, to adapt with it`,
		Long: `Prints the built-in flow's YAML, to adapt it to your law and services.

With --cases DIR, writes the built-in flow's case files into DIR instead
(created if needed; a file already there is never overwritten): the cases
'fieldscreen flow test --flow my-flow.yaml' runs, whose failures name
them (builtin:screening-cases.yaml:LINE is DIR/screening-cases.yaml, at
the same line). Change their expectations where your flow departs from
the built-in one on purpose, then run them with
'fieldscreen flow test --flow my-flow.yaml DIR/*.yaml'.`,
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
	return c
}

// runFlowSource writes the built-in flow's YAML, of the version asked.
func runFlowSource(o *flowSourceOptions) error {
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
