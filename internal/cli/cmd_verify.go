package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/textsafe"
)

// A bundle carries the flows its interviews were taken with, and a flow
// is code: its rules run on the interviews when they are imported, shown
// and scored. 'verify' shows a bundle's flows and checks everything else
// without running any flow that is neither built in nor accepted;
// 'import' runs only flows that are built in, already in the store, or
// given with --accept-flow HASH.

// verifyOptions is what the command was asked, with the app it runs in (its IO,
// store and settings).
type verifyOptions struct {
	*app
	cmd      *cobra.Command
	args     []string
	identity string
	accept   []string
}

func (a *app) verifyCmd(runF func(*verifyOptions) error) *cobra.Command {
	o := &verifyOptions{app: a}
	c := &cobra.Command{
		Use:   "verify FILE",
		Short: "Check a handover bundle without importing it, and show the flows it carries",
		Long: `Reads a handover bundle written by 'fieldscreen export' (an encrypted one
with --identity) and checks it as 'import' would, writing nothing and
needing no store: its structure, sizes, interviews_sha256, and, for the
interviews taken with a built-in flow, every answer against the flow and
every summary against the answers.

It lists the flows the bundle carries, each with its id, version and hash.
A flow is code that runs on the interviews: one that is not built in is
not run here, and 'import' refuses it unless your store already has it or
you accept it with --accept-flow HASH, once you know where it comes from
(the hash names that exact flow). Give --accept-flow here too to check the
interviews taken with it.`,
		Example: `  fieldscreen verify handover.age --identity ~/.config/fieldscreen/key.txt
  fieldscreen verify handover.json --accept-flow sha256:3f5a...`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.cmd, o.args = c, args
			if runF != nil {
				return runF(o)
			}
			return runVerify(o)
		},
	}
	c.Flags().StringVarP(&o.identity, "identity", "i", "", "age identity file to decrypt the bundle (default: $"+identityEnv+")")
	c.Flags().StringArrayVar(&o.accept, "accept-flow", nil, "also check the interviews taken with the flow of this hash (sha256:...; repeatable)")
	return c
}

// runVerify runs the command with its options.
func runVerify(o *verifyOptions) error {
	a, c, args, identity, accept := o.app, o.cmd, o.args, o.identity, o.accept
	ids, err := a.identity(identity)
	if err != nil {
		return err
	}
	rep, err := bundle.Verify(c.Context(), args[0], ids, accept)
	if err != nil {
		return bundleError(err)
	}
	writeVerify(a.io.Out, rep)
	if n := unknownFlows(rep.Flows); n > 0 {
		fmt.Fprintf(a.io.Err, "fieldscreen: %d flow(s) of this bundle are not built in: the interviews taken with them were checked, but not against their flow\n", n)
		fmt.Fprintf(a.io.Err, "hint: import needs --accept-flow HASH for each, unless your store has it already ('fieldscreen import %s --dry-run' says); accept a flow only from someone you know\n", textsafe.Line(args[0]))
	}
	return nil
}

// writeVerify prints what verify found. Everything from the bundle is
// made safe for the terminal (textsafe.Line).
func writeVerify(w io.Writer, r *bundle.VerifyReport) {
	how := "plaintext JSON"
	switch r.Kind {
	case bundle.Encrypted:
		how = "encrypted with age"
	case bundle.Armored:
		how = "encrypted with age, armored"
	}
	h := r.Header
	fmt.Fprintf(w, "bundle     %s: valid (%s)\n", textsafe.Line(r.File), how)
	fmt.Fprintf(w, "exported   %s by %s, by %s\n", h.ExportedAt.UTC().Format("2006-01-02 15:04 UTC"), orNone(h.Interviewer), textsafe.Line(h.Generator))
	fmt.Fprintf(w, "purpose    %s\n", orNone(h.Purpose))
	fmt.Fprintf(w, "interviews %d (%d checked against their flow)\n", r.Interviews, r.Rescored)
	if h.SkippedDamaged > 0 {
		fmt.Fprintf(w, "left out   %d damaged interview(s), by the sender\n", h.SkippedDamaged)
	}
	writeFlows(w, r.Flows)
}

func unknownFlows(flows []bundle.FlowInfo) int {
	n := 0
	for _, f := range flows {
		if f.Trust == bundle.TrustUnknown {
			n++
		}
	}
	return n
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(not given)"
	}
	return textsafe.Line(s)
}
