package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/record"
	"fieldscreen/internal/render"
	"fieldscreen/internal/sign"
	"fieldscreen/internal/store"
	"fieldscreen/internal/textsafe"
)

// Signed handover: every bundle and extract is signed with the store's
// key (FILE.minisig beside it); import checks the signature against the
// signers the caseworker trusts, refuses a replayed bundle and writes a
// signed receipt; purge --receipt erases exactly what the receipt says
// arrived. The package internal/sign does the cryptography.

// bundleSigner signs one export: the manifest the bundle carries and the
// hash of the file as it is written.
type bundleSigner struct {
	key    *sign.Key
	scope  string
	hasher *sign.Hasher
}

func (a *app) bundleSigner(st *store.Store, scope string) (*bundleSigner, error) {
	k, err := sign.StoreKey(st)
	if err != nil {
		return nil, fmt.Errorf("cannot read the store's signing key: %w", err)
	}
	return &bundleSigner{key: k, scope: scope, hasher: sign.NewHasher()}, nil
}

// apply makes opt carry the manifest and hash the file.
func (b *bundleSigner) apply(opt *bundle.Options) {
	opt.Manifest = func(n int) (*sign.Manifest, error) {
		m, err := sign.NewManifest(b.key, b.scope, n)
		return &m, err
	}
	opt.FileHash = b.hasher
}

// finish writes the signature of the export rep describes: beside the
// file, or to sigPath for standard output. A bundle whose signature
// cannot be written is removed: an unsigned bundle would be refused.
func (b *bundleSigner) finish(rep *bundle.Report, sigPath string) (string, error) {
	m := rep.Manifest
	if m == nil { // a CSV file carries no manifest; its signature does
		mm, err := sign.NewManifest(b.key, b.scope, len(rep.IDs))
		if err != nil {
			return "", err
		}
		m = &mm
	}
	rep.Manifest = m
	if sigPath == "" {
		sigPath = sign.SignatureFor(rep.Path)
	}
	if err := sign.WriteSignature(sigPath, b.hasher.Sign(b.key, m.Comment())); err != nil {
		if rep.Verified {
			os.Remove(rep.Path)
		}
		return "", fmt.Errorf("export failed, no bundle was written: %w", err)
	}
	return sigPath, nil
}

// checkedBundle is what the signature of a bundle to import said.
type checkedBundle struct {
	path     string
	res      *sign.Result
	manifest *sign.Manifest // the signed manifest, when signed (trusted or not)
	trusted  bool
	note     string // for the audit trail
}

// checkSignatures checks each bundle's signature before anything is
// imported: a bad signature, or an unsigned bundle or unknown signer
// without acceptUntrusted, refuses the whole import.
func (a *app) checkSignatures(ctx context.Context, paths []string, trust *sign.Trust, acceptUntrusted bool) ([]checkedBundle, error) {
	var out []checkedBundle
	for _, path := range paths {
		res, err := sign.VerifyFile(ctx, path, trust)
		cb := checkedBundle{path: path, res: res}
		if res != nil {
			cb.manifest = res.Manifest
		}
		switch {
		case err == nil:
			cb.trusted = true
			cb.note = "signature=trusted key " + res.KeyID
		case errors.Is(err, sign.ErrUnsigned), errors.Is(err, sign.ErrUnknownSigner):
			if !acceptUntrusted && errors.Is(err, sign.ErrUnsigned) && trust.Len() > 0 {
				// --trust was given: the key is not what is missing.
				return nil, withHint(err, ExitError, "nothing was imported; ask the sender for the signature file %s, which goes beside the bundle, or, only if you know where the bundle comes from, add --accept-untrusted (recorded in each interview's audit trail)", filepath.Base(sign.SignatureFor(path)))
			}
			if !acceptUntrusted {
				return nil, withHint(err, ExitError, "nothing was imported; trust the sender's public key with --trust SENDER.pub (the file 'fieldscreen key signing' printed on their computer), or, only if you know where the bundle comes from, add --accept-untrusted (recorded in each interview's audit trail)")
			}
			if errors.Is(err, sign.ErrUnsigned) {
				cb.note = "signature=none, accepted untrusted"
			} else {
				cb.note = "signature=key " + res.KeyID + " not trusted, accepted untrusted"
			}
		case errors.Is(err, sign.ErrBadSignature), errors.Is(err, sign.ErrManifest):
			return nil, withHint(err, ExitInvalid, "nothing was imported: the bundle or its signature was changed after it was signed; ask the sender for a new copy")
		default:
			return nil, err
		}
		out = append(out, cb)
	}
	return out, nil
}

// refuseReplay refuses a bundle whose ID this store imported before.
func refuseReplay(st *store.Store, cb checkedBundle) error {
	if st == nil || cb.manifest == nil {
		return nil
	}
	seen, err := sign.Imported(st, cb.manifest.BundleID)
	if err != nil {
		return err
	}
	if seen {
		return withHint(fmt.Errorf("%s: bundle %s was imported into this store before: a replay", cb.path, cb.manifest.BundleID), ExitError,
			"nothing was imported; if the sender meant to send it again, ask for a new export (each has a new bundle ID)")
	}
	return nil
}

// writeReceipt writes the signed receipt of an import: the bundle, its
// signer, and each interview now safe here with its content hash.
func writeReceipt(st *store.Store, path string, cb checkedBundle, rep *bundle.ImportReport) error {
	if !cb.trusted || cb.manifest == nil {
		return withHint(fmt.Errorf("%s: no receipt for a bundle whose signer is not trusted", cb.path), ExitError,
			"the interviews were imported; a receipt names the store that signed the bundle, so it needs a signature you trust (--trust SENDER.pub)")
	}
	k, err := sign.StoreKey(st)
	if err != nil {
		return err
	}
	r := &sign.Receipt{BundleID: cb.manifest.BundleID, Sender: cb.manifest.Signer, Received: time.Now().UTC().Truncate(time.Second)}
	for _, id := range slices.Concat(rep.Added, rep.Skipped) {
		iv, err := st.Get(id)
		if err != nil {
			return err
		}
		r.Interviews = append(r.Interviews, sign.ReceiptEntry{InterviewID: id, ContentSHA256: bundle.ContentHash(iv)})
	}
	slices.SortFunc(r.Interviews, func(x, y sign.ReceiptEntry) int { return strings.Compare(x.InterviewID, y.InterviewID) })
	return sign.WriteReceipt(path, r, k)
}

// purgeReceipt erases the interviews a caseworker's signed receipt says
// arrived: only if the receipt is for this store's bundles, and only if
// every one named is unchanged since it was exported; otherwise nothing.
func (a *app) purgeReceipt(path string, trustFiles []string, yes, dryRun bool) error {
	trust, err := a.trust(trustFiles)
	if err != nil {
		return err
	}
	if trust.Len() == 0 {
		return withHint(errors.New("purge --receipt needs the caseworker's public key"), ExitUsage,
			"give it with --trust CASEWORKER.pub (the file 'fieldscreen key signing' printed on their computer)")
	}
	r, err := sign.ReadReceipt(path, trust)
	switch {
	case errors.Is(err, sign.ErrBadSignature), errors.Is(err, sign.ErrReceipt):
		return withHint(err, ExitInvalid, "nothing was erased; ask the caseworker for the receipt again")
	case errors.Is(err, sign.ErrUnsigned), errors.Is(err, sign.ErrUnknownSigner):
		return withHint(err, ExitError, "nothing was erased; the receipt must be signed by a caseworker key you trust (--trust CASEWORKER.pub)")
	case err != nil:
		return err
	}
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	k, err := sign.StoreKey(st)
	if err != nil {
		return err
	}
	former, err := sign.FormerKeyIDs(st)
	if err != nil {
		return err
	}
	if r.Sender != k.ID() && !slices.Contains(former, r.Sender) {
		return withHint(fmt.Errorf("receipt %s is for a bundle signed by key %s, not by this store (key %s)", path, r.Sender, k.ID()), ExitError,
			"nothing was erased; use it on the computer that exported the bundle")
	}
	want := map[string]string{}
	var ids, gone, changed []string
	for _, e := range r.Interviews {
		iv, err := st.Get(e.InterviewID)
		if errors.Is(err, store.ErrNoInterview) {
			gone = append(gone, e.InterviewID)
			continue
		}
		if err != nil {
			return err
		}
		if bundle.ContentHash(iv) != e.ContentSHA256 {
			changed = append(changed, e.InterviewID)
			continue
		}
		want[iv.ID] = e.ContentSHA256
		ids = append(ids, iv.ID)
	}
	if len(changed) > 0 {
		for _, id := range changed {
			fmt.Fprintf(a.io.Err, "fieldscreen: interview %s changed since it was exported: the caseworker holds an older version\n", shortID(id))
		}
		return withHint(fmt.Errorf("%d interview(s) named in the receipt changed since the export", len(changed)), ExitError,
			"nothing was erased; export them again and have the caseworker import the new bundle, then purge with its receipt")
	}
	for _, id := range gone {
		fmt.Fprintf(a.io.Err, "Interview %s is no longer in this store.\n", shortID(id))
	}
	if len(ids) == 0 {
		fmt.Fprintln(a.io.Err, "Nothing to purge.")
		return nil
	}
	fmt.Fprintf(a.io.Err, "Receipt for bundle %s, signed by key %s: %d interview(s) arrived.\n", r.BundleID, r.Receiver, len(r.Interviews))
	if dryRun {
		for _, id := range ids {
			fmt.Fprintln(a.io.Out, id)
		}
		fmt.Fprintf(a.io.Err, "Would erase %d interview(s); nothing was erased (--dry-run).\n", len(ids))
		return nil
	}
	if !yes {
		a.describeInterviews(st, ids)
		if err := a.confirm(fmt.Sprintf("Erase the %d interview(s) the caseworker received?", len(ids)), "--yes"); err != nil {
			return err
		}
	}
	deleted, kept, err := st.DeleteUnchanged(ids, func(iv *record.Interview) bool { return bundle.ContentHash(iv) == want[iv.ID] })
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "Erased %d interview(s).\n", len(deleted))
	if len(kept) > 0 {
		return withHint(fmt.Errorf("kept %d interview(s) that changed while purging", len(kept)), ExitError, "export them again")
	}
	return nil
}

// writeSignature prints what a bundle's signature says (verify).
func writeSignature(w io.Writer, res *sign.Result, err error) {
	switch {
	case res == nil || !res.Signed:
		fmt.Fprintf(w, "signature  none: anyone could have made this bundle\n")
		return
	case errors.Is(err, sign.ErrBadSignature):
		fmt.Fprintf(w, "signature  BAD (key %s): the file or its manifest was changed after signing\n", res.KeyID)
		return
	case errors.Is(err, sign.ErrManifest):
		fmt.Fprintf(w, "signature  BAD (key %s): %v\n", res.KeyID, err)
		return
	case res.Trusted:
		fmt.Fprintf(w, "signature  good, by trusted key %s (%s)\n", res.KeyID, textsafe.Line(res.TrustedFrom))
	default:
		fmt.Fprintf(w, "signature  by key %s, which you do not trust: NOT checked (give --trust SENDER.pub)\n", res.KeyID)
	}
	if m := res.Manifest; m != nil {
		claim := ""
		if !res.Trusted {
			claim = " (claimed, not checked)"
		}
		fmt.Fprintf(w, "bundle id  %s%s\n", m.BundleID, claim)
		fmt.Fprintf(w, "signed     %s%s\n", m.Created.UTC().Format("2006-01-02 15:04:05 UTC"), claim)
		fmt.Fprintf(w, "scope      %s%s\n", m.Scope, claim)
		fmt.Fprintf(w, "count      %d interview(s)%s\n", m.Interviews, claim)
	}
}

// signatureExit is verify's answer for a signature: nil when trusted.
func signatureExit(path string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sign.ErrBadSignature), errors.Is(err, sign.ErrManifest):
		return withHint(err, ExitInvalid, "do not import it; ask the sender for a new copy")
	case errors.Is(err, sign.ErrUnsigned), errors.Is(err, sign.ErrUnknownSigner):
		return withHint(err, ExitError, "check who made it: trust the sender's key with --trust SENDER.pub ('fieldscreen key signing' prints it on their computer)")
	}
	return err
}

// showExtract prints the extract of one interview for a service ('show
// ID --for SERVICE'), for a paper referral form.
func (a *app) showExtract(iv *record.Interview, s scored, service, format string) error {
	if !slices.Contains(render.FlowServices(s.flow), service) {
		return withHint(fmt.Errorf("flow %s has no referral service %q", s.flow.ID, service), ExitUsage,
			"the services are: %s", strings.Join(render.FlowServices(s.flow), ", "))
	}
	ex, withheld, err := render.BuildExtract(s.flow, s.sum, render.ExtractInput{
		InterviewID: iv.ID, Location: iv.Location, Language: s.lang, CreatedAt: iv.CreatedAt,
		CompletedAt: iv.CompletedAt, Answers: s.ans,
	}, service, render.ExtractOptions{})
	if err != nil {
		return err
	}
	if ex == nil {
		if withheld.Referrals > 0 {
			return withHint(fmt.Errorf("interview %s: the person did not agree to its %d referral(s) to %s", shortID(iv.ID), withheld.Referrals, service), ExitError,
				"discuss the referral with the person first; 'fieldscreen export --for %s --without-consent REASON' shares it anyway and records why", service)
		}
		return withHint(fmt.Errorf("interview %s has no referral to %s", shortID(iv.ID), service), ExitError, "'fieldscreen show %s' shows its referrals", shortID(iv.ID))
	}
	switch format {
	case "markdown":
		return render.ExtractMarkdown(a.io.Out, s.flow, ex)
	case "json":
		return a.printJSON(ex)
	}
	return render.ExtractText(a.io.Out, s.flow, ex, a.summaryOptions(s))
}

// addSignFlags adds the flags of a signed import.
func addTrustFlag(c *cobra.Command, trust *[]string, what string) {
	c.Flags().StringArrayVar(trust, "trust", nil, "trust "+what+" signed by this public key (a minisign .pub file; repeatable; also the setting trusted_signers)")
}
