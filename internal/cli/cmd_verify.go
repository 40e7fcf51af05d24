package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/sign"
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
	trust    []string
}

func (a *app) verifyCmd(runF func(*verifyOptions) error) *cobra.Command {
	o := &verifyOptions{app: a}
	c := &cobra.Command{
		Use:   "verify FILE",
		Short: "Check who signed a handover bundle, and check it without importing it",
		Long: `Checks the signature of a bundle or extract written by 'fieldscreen export'
(FILE.minisig beside it) against the keys you trust (--trust SENDER.pub, or
the setting trusted_signers) and shows its signer, when it was signed, its
scope (a full bundle, or the service an extract is for) and its interview
count; that needs no identity and no store. It exits 1 for an unsigned
bundle or an untrusted signer, 6 for a signature that does not match.

With --identity (or for a plaintext bundle) it then checks the contents as
'import' would, writing nothing: the manifest inside against the signed
one, the structure, sizes, interviews_sha256, and, for the interviews taken
with a built-in flow, every answer against the flow and every summary
against the answers.

It lists the flows the bundle carries, each with its id, version and hash.
A flow is code that runs on the interviews: one that is not built in is
not run here, and 'import' refuses it unless your store already has it or
you accept it with --accept-flow HASH, once you know where it comes from
(the hash names that exact flow). Give --accept-flow here too to check the
interviews taken with it.`,
		Example: `  fieldscreen verify handover.age --trust field-team.pub
  fieldscreen verify handover.age --trust field-team.pub --identity ~/.config/fieldscreen/key.txt
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
	addTrustFlag(c, &o.trust, "bundles")
	return c
}

// runVerify runs the command with its options.
func runVerify(o *verifyOptions) error {
	a, c, args, identity, accept := o.app, o.cmd, o.args, o.identity, o.accept
	// Said before the signature, which would otherwise be reported
	// missing ("anyone could have made this bundle") for a file that is not there.
	if fi, err := os.Stat(args[0]); err != nil {
		return withHint(fmt.Errorf("cannot read bundle %s: %w", args[0], errors.Unwrap(err)), ExitError, "check the file name")
	} else if fi.IsDir() {
		return folderNotBundle(args[0], "")
	}
	ids, err := a.identity(identity)
	if err != nil {
		return err
	}
	trust, err := a.trust(o.trust)
	if err != nil {
		return err
	}
	res, serr := sign.VerifyFile(c.Context(), args[0], trust)
	if res == nil {
		return serr // the signature file cannot be read
	}
	writeSignature(a.io.Out, res, serr)
	if errors.Is(serr, sign.ErrBadSignature) || errors.Is(serr, sign.ErrManifest) {
		return signatureExit(args[0], serr)
	}
	if m := res.Manifest; m != nil && m.Scope != sign.ScopeFull {
		if err := a.verifyExtract(args[0], ids, m); err != nil {
			return err
		}
		return signatureExit(args[0], serr)
	}
	rep, err := bundle.Verify(c.Context(), args[0], ids, accept)
	if errors.Is(err, bundle.ErrEncrypted) && len(ids) == 0 && res.Signed {
		fmt.Fprintf(a.io.Out, "contents   encrypted: not checked (give --identity to check them against the signed manifest)\n")
		return signatureExit(args[0], serr)
	}
	if err != nil {
		return bundleError(err, useVerify)
	}
	writeVerify(a.io.Out, rep)
	if m := res.Manifest; m != nil {
		if err := m.Match(rep.Header.Manifest); err != nil {
			return withHint(err, ExitInvalid, "do not import it; ask the sender for a new copy")
		}
	}
	if n := unknownFlows(rep.Flows); n > 0 {
		fmt.Fprintf(a.io.Err, "fieldscreen: %d flow(s) of this bundle are not built in: the interviews taken with them were checked, but not against their flow\n", n)
		fmt.Fprintf(a.io.Err, "hint: import needs --accept-flow HASH for each, unless your store has it already ('fieldscreen import %s --dry-run' says); accept a flow only from someone you know\n", textsafe.Line(args[0]))
	}
	return signatureExit(args[0], serr)
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
	by := "by " + textsafe.Line(h.Interviewer)
	if strings.TrimSpace(h.Interviewer) == "" {
		by = "(interviewer not recorded)"
	}
	fmt.Fprintf(w, "exported   %s %s, by %s\n", h.ExportedAt.UTC().Format("2006-01-02 15:04 UTC"), by, textsafe.Line(h.Generator))
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

// verifyExtract checks that an extract's manifest is the signed one, when
// it can be read (a plaintext one, or an encrypted one with --identity).
func (a *app) verifyExtract(path string, ids []age.Identity, signed *sign.Manifest) error {
	f, err := os.Open(path)
	if err != nil {
		return withHint(fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err)), ExitError, "check the file name")
	}
	defer f.Close()
	r, _, err := bundle.Decrypt(f, ids)
	if errors.Is(err, bundle.ErrEncrypted) && len(ids) == 0 {
		fmt.Fprintf(a.io.Out, "contents   encrypted: not checked (give --identity to check them against the signed manifest)\n")
		return nil
	}
	if err != nil {
		return bundleError(&bundle.Error{File: path, Err: err}, useVerify)
	}
	m, err := bundle.ReadExtractManifest(r)
	if err != nil {
		return bundleError(&bundle.Error{File: path, Err: err}, useVerify)
	}
	if err := signed.Match(m); err != nil {
		return withHint(err, ExitInvalid, "do not use it; ask the sender for a new copy")
	}
	fmt.Fprintf(a.io.Out, "contents   an extract for %s; its manifest matches the signature\n", signed.Scope)
	return nil
}
