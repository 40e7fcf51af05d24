package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"fieldscreen/internal/sign"
)

// keySigningOptions is what 'fieldscreen key signing' was asked.
type keySigningOptions struct {
	*app
	rotate bool
}

// keySigningCmd prints the store's signing public key: the file a
// caseworker trusts to tell this store's bundles from forged ones. runF,
// when not nil, runs instead of runKeySigning.
func (a *app) keySigningCmd(runF func(*keySigningOptions) error) *cobra.Command {
	o := &keySigningOptions{app: a}
	c := &cobra.Command{
		Use:   "signing",
		Short: "Print the public key this store signs bundles and receipts with",
		Long: `Every bundle and extract this store exports, and every receipt it writes
on import, is signed with the store's own signing key (Ed25519, in
minisign's format), kept encrypted in the store. This prints its public
key, in minisign's .pub format, on standard output. On a field laptop,
give that file to the caseworkers who receive your bundles: they check a
bundle with 'fieldscreen verify FILE --trust KEY.pub', or without
fieldscreen with 'minisign -Vm FILE -p KEY.pub'; 'fieldscreen import
--trust KEY.pub' refuses a bundle not signed by a key it trusts. On a
caseworker's computer, give it to the field teams whose bundles you
import: they erase what your receipts name with 'fieldscreen purge
--receipt FILE --trust KEY.pub'.

--rotate replaces the key with a new one (if the old one may have been
copied); give caseworkers the new public key. Bundles signed before verify
only against the old public key; the store keeps the old key's ID, so the
receipts caseworkers send back for them still purge here.`,
		Example: `  fieldscreen key signing > field-team.pub            # on a field laptop, for caseworkers
  fieldscreen key signing > caseworker.pub            # on a caseworker's computer, for field teams
  fieldscreen key signing --rotate > field-team.pub`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if runF != nil {
				return runF(o)
			}
			return runKeySigning(o)
		},
	}
	c.Flags().BoolVar(&o.rotate, "rotate", false, "replace the signing key with a new one")
	return c
}

// runKeySigning prints the signing public key, replacing it first when
// asked to rotate it.
func runKeySigning(o *keySigningOptions) error {
	a, rotate := o.app, o.rotate
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	get := sign.StoreKey
	if rotate {
		get = sign.RotateKey
	}
	k, err := get(st)
	if err != nil {
		return err
	}
	if _, err := a.io.Out.Write(k.PublicFile()); err != nil {
		return err
	}
	if rotate {
		fmt.Fprintf(a.io.Err, "New signing key %s. Send the new public key to everyone who checks this store's bundles or receipts; what was signed before verifies only with the old one.\n", k.ID())
	} else {
		fmt.Fprintf(a.io.Err, "Signing key %s. Whoever receives this store's bundles or receipts checks them with it: 'fieldscreen verify FILE --trust KEY.pub' for a bundle, 'fieldscreen purge --receipt FILE --trust KEY.pub' for a receipt, or 'minisign -Vm FILE -p KEY.pub' for either.\n", k.ID())
	}
	return nil
}

// trust is the set of signers whose bundles and receipts are trusted: the
// public key files given with --trust, and the configuration's
// trusted_signers.
func (a *app) trust(files []string) (*sign.Trust, error) {
	t := sign.NewTrust()
	for _, f := range files {
		if err := t.AddFile(f); err != nil {
			return nil, withHint(err, ExitUsage, "give the public key file that 'fieldscreen key signing' printed on the sender's computer (minisign's .pub format)")
		}
	}
	for _, e := range a.configValues("trusted_signers") {
		if err := t.AddEntry(e); err != nil {
			fmt.Fprintf(a.io.Err, "fieldscreen: warning: trusted signer %q in the settings is ignored: %v\n", e, err)
		}
	}
	return t, nil
}
