package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"filippo.io/age"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/record"
	"fieldscreen/internal/sign"
	"fieldscreen/internal/store"
	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// identityEnv names the age identity file that decrypts bundles when no
// --identity is given (import, score --from).
const identityEnv = "FIELDSCREEN_IDENTITY"

// identity reads the one age identity file --identity gave, or else the
// one $FIELDSCREEN_IDENTITY names.
func (a *app) identity(path string) ([]age.Identity, error) {
	if path == "" {
		return a.identities(nil)
	}
	return a.identities([]string{path})
}

// identities reads the age identity files given, or else the one
// $FIELDSCREEN_IDENTITY names.
func (a *app) identities(paths []string) ([]age.Identity, error) {
	if len(paths) == 0 {
		if p := a.io.Getenv(identityEnv); p != "" {
			paths = []string{p}
		}
	}
	var out []age.Identity
	for _, path := range paths {
		ids, err := bundle.ReadIdentityFile(path)
		if err != nil {
			return nil, withHint(err, ExitError, "give the file age-keygen wrote (it holds a line starting with AGE-SECRET-KEY-)")
		}
		out = append(out, ids...)
	}
	return out, nil
}

// bundleUse is what a command does with a bundle, for the advice on a
// bad one: a command that imports nothing must not say "nothing was
// imported".
type bundleUse struct {
	verb    string // what --accept-flow lets it do: "import", "score", ...
	refused string // what a bundle refused before it is read left undone
	bad     string // the advice on a bundle found bad while it is read
}

var (
	useImport = bundleUse{"import", "nothing was imported", "nothing was imported from it"}
	useVerify = bundleUse{"verify", "nothing was checked", "do not import it"}
	// csv and jsonl write each interview as it is scored, before the
	// end of the bundle is checked: "nothing was scored" would not
	// always be true of a bundle found bad.
	useScore  = bundleUse{"score", "nothing was scored", "do not use any of its scores"}
	useReport = bundleUse{"report", "no report was written", "no report was written"}
)

// unknownFlow is the advice on a bundle that carries a flow not known here.
func (use bundleUse) unknownFlow() string {
	return fmt.Sprintf("a flow is code that runs on the interviews: check with the sender that the hash is theirs ('fieldscreen verify FILE' shows the bundle), then %s with --accept-flow HASH for each; %s", use.verb, use.refused)
}

// bundleError gives a bundle problem its exit code and advice.
func bundleError(err error, use bundleUse) error {
	switch {
	case errors.Is(err, bundle.ErrEncrypted):
		return withHint(err, ExitUsage, "give your age identity file with --identity FILE (or set %s)", identityEnv)
	case errors.Is(err, bundle.ErrWrongIdentity):
		return withHint(err, ExitError, "the bundle was encrypted to another key; ask the sender which public key they used")
	case errors.Is(err, bundle.ErrDamaged), errors.Is(err, bundle.ErrInvalid), errors.Is(err, sign.ErrBadSignature):
		return withHint(err, ExitInvalid, "%s; ask the sender for a new copy", use.bad)
	case errors.Is(err, bundle.ErrUnknownFlow):
		return withHint(err, ExitError, "%s", use.unknownFlow())
	}
	return err
}

// scoreBundleFile scores a bundle's interviews as they stream past, with
// the bundle's own flows unless override is given. A bundle's flow is
// code from outside: it runs only if it is built in, in the store, or
// accepted (its hash in accept), as for import.
func scoreBundleFile(a *app, path string, identities, accept, trust []string, override *questionnaire.Flow, lang string, drafts bool, submit func(run func() (scored, error)) error) error {
	r, err := a.openBundle(path, identities, accept, trust, override == nil, useScore)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		iv, err := r.NextForScoring()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return bundleError(&bundle.Error{File: path, Err: err}, useScore)
		}
		if iv.Status == string(record.StatusDraft) && !drafts {
			continue
		}
		f := override
		if f == nil {
			f = r.Flow(iv.Flow.Hash)
		}
		if _, err := flowLang(f, lang); err != nil {
			return err
		}
		err = submit(func() (scored, error) {
			sum, err := iv.Score(f)
			if err != nil {
				return scored{}, fmt.Errorf("%s: %w", path, err)
			}
			sum.Source = path
			l := f.Lang(firstNonEmpty(lang, iv.Language))
			sum.Language = l
			sum.Location, sum.Interviewer = iv.Location, iv.Interviewer
			created := iv.CreatedAt
			sum.CreatedAt, sum.CompletedAt = &created, iv.CompletedAt
			return scored{flow: f, sum: sum, lang: l, ans: iv.Answers}, nil
		})
		if err != nil {
			return err
		}
	}
}

// knownBundleFlows refuses a bundle that carries a flow neither built
// in, nor accepted, nor in the store (opened only to look, and only if it
// exists and is needed).
func (a *app) knownBundleFlows(r *bundle.Reader, path string, accept []string, use bundleUse) error {
	unknown := r.UnknownFlows(bundle.KnownFlows(nil, accept))
	if len(unknown) == 0 {
		return nil
	}
	if p, err := a.storePath(); err == nil && store.Exists(p) {
		st, err := a.openStore(false)
		if err != nil {
			return err
		}
		unknown = r.UnknownFlows(bundle.KnownFlows(st, accept))
	}
	if len(unknown) == 0 {
		return nil
	}
	return withHint(&bundle.UnknownFlowError{File: path, Flows: unknown}, ExitError, "%s", use.unknownFlow())
}

// writeFlows lists a bundle's flows: id, version, hash, how this computer
// knows each, and how many interviews were taken with it.
func writeFlows(w io.Writer, flows []bundle.FlowInfo) {
	fmt.Fprintf(w, "flows      %d\n", len(flows))
	for _, f := range flows {
		trust := string(f.Trust)
		if f.Trust == bundle.TrustUnknown {
			trust = "NOT KNOWN here"
		}
		fmt.Fprintf(w, "  %s %s  %s  %s; %d interview(s)\n", textsafe.Line(f.ID), textsafe.Line(f.Version), textsafe.Line(f.Hash), trust, f.Interviews)
	}
}

// scoreBundle reads a bundle's interviews in order and submits the
// scoring of each, which runs on another goroutine. identities are the age
// identity files given with --identity, accept the flow hashes given with
// --accept-flow.
func (a *app) scoreBundle(path string, identities, accept, trust []string, override *questionnaire.Flow, lang string, drafts bool, submit func(run func() (scored, error)) error) error {
	return scoreBundleFile(a, path, identities, accept, trust, override, lang, drafts, submit)
}

// openBundle opens a bundle, decrypting it with the identity files given
// (or the environment's), and, when its flows are to run, checks that
// each is built in, in the store or accepted. use is what the command
// does with it, for the advice on a bad one.
//
// Who made it is checked first, against the signers trusted (trust, the
// files given with --trust, and the setting trusted_signers): a bundle
// changed after it was signed is refused; one unsigned or signed by a key
// not trusted is read, with a warning, since reading it stores nothing.
func (a *app) openBundle(path string, identities, accept, trust []string, runsFlows bool, use bundleUse) (*bundle.Reader, error) {
	if err := a.bundleProvenance(path, trust); err != nil {
		return nil, err
	}
	ids, err := a.identities(identities)
	if err != nil {
		return nil, err
	}
	r, err := bundle.OpenFile(path, ids)
	if err != nil {
		return nil, bundleError(err, use)
	}
	if runsFlows {
		if err := a.knownBundleFlows(r, path, accept, use); err != nil {
			r.Close()
			return nil, err
		}
	}
	return r, nil
}

// bundleProvenance checks the signature of a bundle to be read (not
// imported): see openBundle.
func (a *app) bundleProvenance(path string, files []string) error {
	trust, err := a.trust(files)
	if err != nil {
		return err
	}
	_, err = sign.VerifyFile(a.ctx, path, trust)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sign.ErrUnsigned) && trust.Len() > 0:
		// --trust was given: the key is not what is missing.
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: %s; anyone could have made this bundle. To know it comes from the sender, ask them for the signature file %s, which goes beside the bundle.\n", textsafe.Line(err.Error()), textsafe.Line(filepath.Base(sign.SignatureFor(path))))
		return nil
	case errors.Is(err, sign.ErrUnsigned), errors.Is(err, sign.ErrUnknownSigner):
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: %s; anyone could have made this bundle. To know it comes from the sender, give their public key with --trust SENDER.pub (the file 'fieldscreen key signing' printed on their computer).\n", textsafe.Line(err.Error()))
		return nil
	case errors.Is(err, sign.ErrBadSignature), errors.Is(err, sign.ErrManifest):
		return withHint(err, ExitInvalid, "nothing was read from it: the bundle or its signature was changed after it was signed; ask the sender for a new copy")
	}
	return err
}
