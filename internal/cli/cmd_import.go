package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/sign"
	"fieldscreen/internal/store"
	"fieldscreen/internal/textsafe"
)

// importOptions is what the command was asked, with the app it runs in (its IO,
// store and settings).
type importOptions struct {
	*app
	cmd         *cobra.Command
	args        []string
	identity    string
	interviewer string
	accept      []string
	dryRun      bool
	trust       []string // public key files of trusted senders
	untrusted   bool     // --accept-untrusted
	receipt     string   // where to write the receipt
}

func (a *app) importCmd(runF func(*importOptions) error) *cobra.Command {
	o := &importOptions{app: a}
	c := &cobra.Command{
		Use:   "import FILE...",
		Short: "Add the interviews of handover bundles to the store",
		Long: `Reads handover bundles written by 'fieldscreen export' (encrypted ones are
decrypted with --identity, an age identity file) and adds their interviews
and flows to the store.

Each bundle is checked whole first (structure, flows against their hashes,
interviews against interviews_sha256, every summary against the answers it
was scored from) and imported in one transaction: a damaged bundle imports
nothing. The outcome stored is always the one rescored here. A plaintext
bundle edited on purpose can pass these checks; its signature cannot.

Every bundle is signed by the store that made it (FILE.minisig beside it).
A bundle not signed by a key you trust (--trust SENDER.pub, or the setting
trusted_signers) is refused, and nothing imported; --accept-untrusted takes
an unsigned one or one by an unknown signer, and says so in each imported
interview's audit trail. A bundle changed after signing is always refused,
and so is one imported before (a replay). --receipt FILE writes a receipt,
signed by this store, naming each interview now here with its content
hash: the sender erases exactly those with 'fieldscreen purge --receipt'.

An interview already here with the same content is skipped; one with the
same ID but different content is refused and the stored one kept.

Every answer must be one the interview's flow could have recorded, and
every part of a bundle has a size limit. A bundle's flows are code that
runs on its interviews: only flows built in or already in the store are
run without asking. Another flow is refused, with its id, version and hash,
until you accept it with --accept-flow HASH ('fieldscreen verify FILE'
shows a bundle's flows). --dry-run checks everything and says what would
be added, writing nothing.`,
		Example: `  fieldscreen import handover.age --identity ~/.config/fieldscreen/key.txt --trust field-team.pub --receipt receipt.json
  fieldscreen import a.json b.json --trust field-team.pub
  fieldscreen import partner.age --dry-run
  fieldscreen import partner.age --accept-flow sha256:3f5a...`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.cmd, o.args = c, args
			if runF != nil {
				return runF(o)
			}
			return runImport(o)
		},
	}
	c.Flags().StringVarP(&o.identity, "identity", "i", "", "age identity file to decrypt bundles (default: $"+identityEnv+")")
	c.Flags().StringVar(&o.interviewer, "interviewer", "", "who imports (kept in the audit trail)")
	c.Flags().StringArrayVar(&o.accept, "accept-flow", nil, "run and store the bundle flow of this hash (sha256:...), neither built in nor in the store (repeatable)")
	c.Flags().BoolVar(&o.dryRun, "dry-run", false, "check the bundles and say what would be imported, writing nothing")
	addTrustFlag(c, &o.trust, "bundles")
	c.Flags().BoolVar(&o.untrusted, "accept-untrusted", false, "import a bundle that is unsigned or signed by a key you do not trust (recorded in the audit trail)")
	c.Flags().StringVar(&o.receipt, "receipt", "", "write a signed receipt of the import to this file, for the sender to purge with")
	return c
}

// runImport runs the command with its options.
func runImport(o *importOptions) error {
	a, c, args, identity, interviewer, accept, dryRun := o.app, o.cmd, o.args, o.identity, o.interviewer, o.accept, o.dryRun
	ids, err := a.identity(identity)
	if err != nil {
		return err
	}
	receipt := o.receipt
	if receipt != "" && len(args) != 1 {
		return usageErr(c, "--receipt goes with one bundle: a receipt is for one bundle")
	}
	if receipt != "" && dryRun {
		return usageErr(c, "--receipt confirms an import; a dry run imports nothing")
	}
	// Every bundle opens, and its signature is checked, before a store
	// is created or a passphrase asked for: a mistyped file name or a
	// forged bundle must not leave an empty store behind.
	for _, path := range args {
		if err := precheckBundle(path, ids); err != nil {
			return err
		}
	}
	trust, err := a.trust(o.trust)
	if err != nil {
		return err
	}
	signed, err := a.checkSignatures(c.Context(), args, trust, o.untrusted)
	if err != nil {
		return err
	}
	var st *store.Store
	if p, err := a.storePath(); err != nil || store.Exists(p) {
		if st, err = a.openStore(false); err != nil {
			return err
		}
	}
	// Without a store, a dry run creates none (every interview
	// would be added and only built-in and accepted flows are
	// known), and an import creates it only for a bundle that
	// checked out: a refused one leaves no empty store behind.
	create := func() (*store.Store, error) {
		var err error
		st, err = a.openStore(true)
		return st, err
	}
	inRun := map[string]bool{}
	for _, cb := range signed {
		if err := refuseReplay(st, cb); err != nil {
			return err
		}
		if m := cb.manifest; m != nil {
			if m.Scope != sign.ScopeFull {
				return withHint(fmt.Errorf("%s is an extract for %s, not a bundle to import", cb.path, m.Scope), ExitUsage,
					"an extract is read as it is ('age -d -i KEY FILE', or 'fieldscreen verify FILE'); nothing was imported")
			}
			if inRun[m.BundleID] {
				return withHint(fmt.Errorf("%s: bundle %s is given twice", cb.path, m.BundleID), ExitUsage, "give each bundle once; nothing was imported")
			}
			inRun[m.BundleID] = true
		}
	}
	var firstErr error
	refused := 0
	for i, path := range args {
		cb := signed[i]
		opt := bundle.ImportOptions{Identities: ids, Importer: interviewer, Accept: accept, DryRun: dryRun,
			Create: create, Manifest: cb.manifest, Note: cb.note}
		if cb.trusted {
			// The signature was verified on the file as it was then; the
			// import checks it again on the bytes it reads.
			h := sign.NewHasher()
			opt.FileHash = h
			opt.FileChecked = func() error {
				if !cb.res.Matches(h) {
					return fmt.Errorf("%w: it changed after its signature was checked; nothing was imported", sign.ErrBadSignature)
				}
				return nil
			}
		}
		rep, err := bundle.ImportWith(c.Context(), st, path, opt)
		if errors.Is(err, context.Canceled) {
			return &interrupted{msg: "import stopped; nothing of " + textsafe.Line(path) + " was imported"}
		}
		if err == nil && !dryRun && cb.manifest != nil {
			err = sign.RememberImport(st, cb.manifest.BundleID)
		}
		if err == nil && receipt != "" {
			if err = writeReceipt(st, receipt, cb, rep); err == nil {
				fmt.Fprintf(a.io.Err, "Receipt for bundle %s written to %s (signed, %s beside it): send both files to the sender, who erases exactly these interviews with it.\n", cb.manifest.BundleID, receipt, sign.SignatureFor(receipt))
			}
		}
		if err != nil {
			err = bundleError(err, useImport)
			if firstErr == nil {
				firstErr = err
			} else {
				a.report(err)
			}
			continue
		}
		if dryRun {
			writeFlows(a.io.Out, rep.Flows)
		}
		added := "added   "
		if dryRun {
			added = "would add"
		}
		for _, id := range rep.Added {
			fmt.Fprintf(a.io.Out, "%s %s\n", added, id)
		}
		for _, id := range rep.Skipped {
			fmt.Fprintf(a.io.Out, "skipped  %s (already here)\n", id)
		}
		for _, id := range rep.Conflicts {
			fmt.Fprintf(a.io.Out, "refused  %s (conflict: a different interview with this ID is stored; it was kept)\n", id)
		}
		refused += len(rep.Conflicts)
		if dryRun {
			fmt.Fprintf(a.io.Err, "%s: %d would be added, %d skipped, %d refused (a dry run: nothing was imported)\n", textsafe.Line(path), len(rep.Added), len(rep.Skipped), len(rep.Conflicts))
			continue
		}
		fmt.Fprintf(a.io.Err, "%s: %d added, %d skipped, %d refused\n", textsafe.Line(path), len(rep.Added), len(rep.Skipped), len(rep.Conflicts))
	}
	if firstErr != nil {
		return firstErr
	}
	if refused > 0 {
		return withHint(fmt.Errorf("%d interview(s) refused: they conflict with stored ones", refused), ExitError,
			"compare them with 'fieldscreen show ID' and the bundle's sender; the stored ones were not changed")
	}
	return nil
}

// folderNotBundle refuses a folder given where a bundle file was asked
// for, saying so plainly rather than that it cannot be parsed.
func folderNotBundle(path, then string) error {
	return withHint(fmt.Errorf("%s is a folder, not a bundle", path), ExitError, "give the bundle file that 'fieldscreen export' wrote%s", then)
}

// precheckBundle opens a bundle and reads no more than its start (the age
// header of an encrypted one): a missing or unreadable file, a folder, or
// a bundle the identities cannot open is refused with the advice for it.
func precheckBundle(path string, ids []age.Identity) error {
	f, err := os.Open(path)
	if err != nil {
		return withHint(fmt.Errorf("cannot read bundle %s: %w", path, errors.Unwrap(err)), ExitError,
			"check the file name; nothing was imported")
	}
	defer f.Close()
	fi, err := f.Stat()
	switch {
	case err == nil && fi.IsDir():
		return folderNotBundle(path, "; nothing was imported")
	case err != nil || !fi.Mode().IsRegular():
		return nil // a pipe: what is read here would be lost to the import
	}
	if _, _, err := bundle.Decrypt(f, ids); err != nil {
		return bundleError(&bundle.Error{File: path, Err: err}, useImport)
	}
	return nil
}
