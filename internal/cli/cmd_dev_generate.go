package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/synth"
	"fieldscreen/questionnaire"
)

// devGenerateOptions is what 'fieldscreen dev generate' was asked.
type devGenerateOptions struct {
	*app
	cmd        *cobra.Command
	count      int
	seed       uint64
	bundlePath string
	flowPath   string
	batch      int
}

// devGenerateCmd is 'fieldscreen dev generate'. runF, when not nil, runs instead of
// runDevGenerate.
func (a *app) devGenerateCmd(runF func(*devGenerateOptions) error) *cobra.Command {
	o := &devGenerateOptions{app: a}
	c := &cobra.Command{
		Use:   "generate --count N [--seed S] [--bundle FILE]",
		Short: "Make synthetic completed interviews, into the store or a plaintext bundle",
		Long: `Makes N synthetic, completed interviews that follow the flow's conditions
(random valid answers, some declined, dont_know or left unanswered), the same
ones for the same seed. They are added to the store (created if missing)
through the store's own code, or, with --bundle, written to a new plaintext
handover bundle without touching the store.

Synthetic data is for benchmarks and load tests only: never generate it into
a store that holds real interviews.`,
		Example: `  FIELDSCREEN_DB=/tmp/bench.db fieldscreen dev generate --count 100000
  fieldscreen dev generate --count 100000 --seed 2 --bundle /tmp/bench.json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			o.cmd = c
			if runF != nil {
				return runF(o)
			}
			return runDevGenerate(o)
		},
	}
	c.Flags().IntVar(&o.count, "count", 0, "how many interviews to make")
	c.Flags().Uint64Var(&o.seed, "seed", 1, "the same seed makes the same interviews")
	c.Flags().StringVar(&o.bundlePath, "bundle", "", "write a plaintext bundle to this new file instead of the store")
	c.Flags().StringVar(&o.flowPath, "flow", "", "a flow file to follow (default: the built-in flow)")
	c.Flags().IntVar(&o.batch, "batch", 5000, "interviews per store transaction")
	return c
}

// runDevGenerate is the work of 'fieldscreen dev generate'.
func runDevGenerate(o *devGenerateOptions) error {
	a, c, count, seed, bundlePath, flowPath, batch := o.app, o.cmd, o.count, o.seed, o.bundlePath, o.flowPath, o.batch
	if count < 1 {
		return usageErr(c, "--count must be at least 1")
	}
	f, err := questionnaire.Builtin()
	if err != nil {
		return err
	}
	if flowPath != "" {
		if f, err = loadFlow(flowPath); err != nil {
			return err
		}
	}
	g := synth.New(f, seed)
	start := time.Now()
	if bundlePath != "" {
		if _, err := os.Lstat(bundlePath); err == nil {
			return withHint(fmt.Errorf("%s already exists", bundlePath), ExitError, "choose another file name")
		}
		rep, err := g.Bundle(c.Context(), count, bundle.Options{
			Path: bundlePath, Generator: "fieldscreen " + a.version + " (synthetic)", Interviewer: "synthetic",
			Purpose: "synthetic data for benchmarks", Plaintext: true,
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(a.io.Err, "Wrote %d synthetic interview(s) to %s (%d bytes) in %s.\n", len(rep.IDs), bundlePath, rep.Size, time.Since(start).Round(time.Millisecond))
		return nil
	}
	st, err := a.openStore(true)
	if err != nil {
		return err
	}
	defer st.Close()
	prog := a.newProgress("generating")
	last := 0
	err = g.Store(st, count, batch, func(n int) {
		for ; last < n; last++ {
			prog.step()
		}
	})
	prog.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "Stored %d synthetic interview(s) in %s in %s.\n", count, st.Path(), time.Since(start).Round(time.Millisecond))
	return nil
}
