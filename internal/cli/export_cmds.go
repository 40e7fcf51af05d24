package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/store"
	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// identityEnv names the age identity file that decrypts bundles when no
// --identity is given (import, score --from).
const identityEnv = "FIELDSCREEN_IDENTITY"

func init() {
	extraCommands = append(extraCommands,
		func(a *app) *cobra.Command { return a.exportCmd() },
		func(a *app) *cobra.Command { return a.importCmd() },
	)
}

type exportOpts struct {
	all            bool
	status         string
	output         string
	purpose        string
	interviewer    string
	recipients     []string
	recipientsFile string
	armor          bool
	plaintext      bool
	purge          bool
	yes            bool
	includeDrafts  bool
	format         string
	skipDamaged    bool
}

func (a *app) exportCmd() *cobra.Command {
	o := &exportOpts{}
	c := &cobra.Command{
		Use:   "export [ID...|--all|--status S] -o FILE --purpose TEXT",
		Short: "Write interviews to a handover bundle, encrypted to the caseworkers' age keys",
		Long: `Writes interviews, with their flows, answers, summaries and audit trails, to a
handover bundle for caseworkers: JSON (or CSV with --format csv), encrypted
with age to each --recipient (a public key, age1...). Without a recipient
personal data is not written unless --plaintext says so.

The file is written whole or not at all. Each exported interview's audit
trail records the transfer (purpose, recipient key fingerprints, the
bundle's SHA-256). A bundle encrypted to a recipient hands the interviews
over: a completed one becomes 'exported'. A CSV file (for statistics) or a
--plaintext bundle is recorded but changes no status, so that 'purge
--status exported' never erases interviews nobody received. With
--purge-after-export the interviews are then erased from this computer, but
only once the bundle has been written and read back, and after you confirm
(the count and the recipients are shown; --yes in scripts). Purge only
once the caseworker has confirmed the import.

--all leaves drafts (unfinished interviews) out unless --include-drafts,
and says how many. -o - writes the bundle to standard output as it goes;
it cannot be read back, so --purge-after-export does not go with it.

A bundle carries interviews_sha256, a checksum of its interviews, and
'import' rescores every interview and refuses a bundle whose summaries do
not follow from its answers. That catches damage and careless edits of a
--plaintext bundle, but cannot prove it was not changed on purpose: whoever
edits it can recompute both. Only an age-encrypted bundle is authenticated.

On a damaged store (see 'fieldscreen check'), --skip-damaged leaves out the
interviews whose records or flows cannot be read, naming each by its short
ID, and exports the rest; the bundle records how many were left out.`,
		Example: `  fieldscreen export --all -o handover.age --purpose "referral to NGO X" --recipient age1...
  fieldscreen export 0193a2 -o case.age --purpose "legal aid" --recipients-file caseworkers.txt --armor
  fieldscreen export --status completed -o out.age --purpose "weekly handover" -R keys.txt --purge-after-export
  fieldscreen export --all -o summary.csv --format csv --purpose "statistics" --plaintext
  fieldscreen export --all -o - --purpose "handover" -r age1... --armor | mail caseworker@example.org
  fieldscreen export --all --skip-damaged -o rescue.age --purpose "rescue of a damaged store" -r age1...`,
		RunE: func(c *cobra.Command, args []string) error {
			if err := oneOf(c, "format", o.format, "json", "csv"); err != nil {
				return err
			}
			if err := validStatus(c, o.status); err != nil {
				return err
			}
			n := 0
			for _, set := range []bool{len(args) > 0, o.all, o.status != ""} {
				if set {
					n++
				}
			}
			if n != 1 {
				return usageErr(c, "say which interviews to export: interview IDs, --all, or --status S (one of them)")
			}
			if o.output == "" {
				return usageErr(c, "name the bundle file with -o FILE (or -o - for standard output)")
			}
			if o.includeDrafts && !o.all {
				return usageErr(c, "--include-drafts goes with --all (a draft named by its ID, or --status draft, is exported anyway)")
			}
			if o.yes && !o.purge {
				return usageErr(c, "--yes confirms --purge-after-export; without it nothing is erased and there is nothing to confirm")
			}
			if o.purge && o.output == "-" {
				return usageErr(c, "--purge-after-export needs a bundle file that can be read back; with -o - nothing on this computer can check what was received")
			}
			if o.purge && o.format == "csv" {
				return usageErr(c, "--purge-after-export needs a bundle that can be imported back (--format json): a CSV file cannot be, so nothing would be left of the interviews")
			}
			if strings.TrimSpace(o.purpose) == "" {
				return usageErr(c, "say why the data leaves this computer with --purpose TEXT; it is kept in each interview's audit trail")
			}
			// Erasing needs a yes before anything is done: a script
			// without --yes fails here, not after the export.
			if o.purge && !o.yes && !a.io.InTerminal() {
				return withHint(errors.New("--purge-after-export erases the exported interviews from this computer, and there is no terminal to ask"), ExitUsage,
					"add --yes to confirm; erase them only once the caseworker has confirmed the import")
			}
			o.interviewer = firstNonEmpty(o.interviewer, a.configDefault("interviewer"))
			if len(o.recipients) == 0 && o.recipientsFile == "" && !o.plaintext {
				o.recipients = a.configValues("recipients")
			}
			return a.runExport(c, o, args)
		},
	}
	f := c.Flags()
	f.BoolVar(&o.all, "all", false, "export every interview")
	f.StringVar(&o.status, "status", "", "export the interviews with this status (draft, completed, exported)")
	f.StringVarP(&o.output, "output", "o", "", "the bundle file to write (must not exist), or - for standard output")
	f.StringVar(&o.purpose, "purpose", "", "why the data is handed over (kept in the audit trail)")
	f.StringVar(&o.interviewer, "interviewer", "", "who exports (kept in the bundle and the audit trail)")
	f.StringArrayVarP(&o.recipients, "recipient", "r", nil, "encrypt to this age public key, age1... (repeatable)")
	f.StringVarP(&o.recipientsFile, "recipients-file", "R", "", "encrypt to the age public keys in this file, one a line, # comments")
	f.BoolVarP(&o.armor, "armor", "a", false, "ASCII-armored output (for e-mail or copy and paste)")
	f.BoolVar(&o.plaintext, "plaintext", false, "write personal data unencrypted (only onto encrypted media)")
	f.BoolVar(&o.purge, "purge-after-export", false, "erase the exported interviews from this computer once the bundle is written and read back (asks first)")
	f.BoolVar(&o.yes, "yes", false, "with --purge-after-export: erase without asking")
	f.BoolVar(&o.includeDrafts, "include-drafts", false, "with --all: export drafts (unfinished interviews) too")
	f.StringVar(&o.format, "format", "json", "json (a bundle 'import' reads) or csv (one row per interview)")
	f.BoolVar(&o.skipDamaged, "skip-damaged", false, "leave out interviews whose records cannot be read (a damaged store) instead of failing")
	return c
}

func (a *app) recipients(c *cobra.Command, o *exportOpts) ([]bundle.Recipient, error) {
	var out []bundle.Recipient
	for _, s := range o.recipients {
		r, err := bundle.ParseRecipient(s)
		if err != nil {
			return nil, withHint(err, ExitUsage, "a recipient is the public key a caseworker's 'age-keygen' printed (age1 followed by 58 letters and digits)")
		}
		out = append(out, r)
	}
	if o.recipientsFile != "" {
		fh, err := os.Open(o.recipientsFile)
		if err != nil {
			return nil, withHint(fmt.Errorf("cannot read recipients file %s: %w", o.recipientsFile, errors.Unwrap(err)), ExitUsage, "check the file name")
		}
		defer fh.Close()
		rs, err := bundle.ReadRecipients(o.recipientsFile, fh)
		if err != nil {
			return nil, withHint(err, ExitUsage, "write one public key (age1...) a line; lines starting with # are comments")
		}
		out = append(out, rs...)
	}
	if len(out) > 0 && o.plaintext {
		return nil, usageErr(c, "--plaintext and recipients exclude each other")
	}
	if len(out) == 0 && !o.plaintext {
		return nil, withHint(errors.New("refusing to write personal data unencrypted: no recipient given"), ExitUsage,
			"encrypt to the caseworker's age public key with --recipient age1... or --recipients-file FILE; only if the file goes onto encrypted media, add --plaintext")
	}
	if o.armor && len(out) == 0 {
		return nil, usageErr(c, "--armor applies to encrypted bundles only")
	}
	return out, nil
}

func (a *app) runExport(c *cobra.Command, o *exportOpts, args []string) error {
	rs, err := a.recipients(c, o)
	if err != nil {
		return err
	}
	var out io.Writer
	if o.output == "-" {
		out = a.io.Out
		if len(rs) > 0 && !o.armor && a.io.OutTerminal() {
			return withHint(errors.New("refusing to write an encrypted bundle (binary) to the terminal"), ExitUsage,
				"redirect it to a file or a program (-o - > handover.age), or add --armor for text")
		}
	} else if _, err := os.Lstat(o.output); err == nil {
		return withHint(fmt.Errorf("%s already exists", o.output), ExitError, "choose another file name, or move the old bundle away first")
	}
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	sel := bundle.Selection{Status: store.Status(o.status), SkipDrafts: o.all && !o.includeDrafts}
	for _, id := range args {
		full, err := resolveID(st, id)
		if err != nil {
			return err
		}
		sel.IDs = append(sel.IDs, full)
	}
	// With a referral directory, summaries in the bundle list the local
	// services too. Export lays interviews out on several goroutines.
	var dirMu sync.Mutex
	var dirErr error
	directory := func(f *questionnaire.Flow) *questionnaire.Directory {
		dirMu.Lock()
		defer dirMu.Unlock()
		d, err := a.directory(f)
		if err != nil && dirErr == nil {
			dirErr = err
		}
		return d
	}
	if a.directoryPath() == "" {
		directory = nil
	}
	rep, err := bundle.Export(st, sel, bundle.Options{
		Path: o.output, Format: o.format, Generator: "fieldscreen " + a.version, Interviewer: o.interviewer,
		Purpose: o.purpose, Recipients: rs, Armor: o.armor, Plaintext: o.plaintext, SkipDamaged: o.skipDamaged, Out: out,
		Directory: directory, TempJournal: a.tempJournal(),
	})
	if err == nil && dirErr != nil {
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: the bundle was written without local services: %v\n", dirErr)
	}
	switch {
	case errors.Is(err, bundle.ErrNothing) && o.skipDamaged && err != bundle.ErrNothing:
		return withHint(errors.New("no interviews to export: every one selected is damaged"), ExitError,
			"keep a copy of the store file; 'fieldscreen check' lists the damaged records")
	case errors.Is(err, bundle.ErrNothing) && sel.SkipDrafts:
		if drafts, lerr := st.List(store.StatusDraft); lerr == nil && len(drafts) > 0 {
			return withHint(fmt.Errorf("no interviews to export: the %d in the store are drafts", len(drafts)), ExitError,
				"finish them with 'fieldscreen interview --resume ID', or export them as they are with --include-drafts")
		}
		return withHint(errors.New("no interviews to export"), ExitError, "run 'fieldscreen list' to see the interviews and their status")
	case errors.Is(err, bundle.ErrNothing):
		return withHint(errors.New("no interviews to export"), ExitError, "run 'fieldscreen list' to see the interviews and their status")
	case errors.Is(err, store.ErrCorrupt) && !o.skipDamaged && out == nil:
		return withHint(fmt.Errorf("export failed, no bundle was written: %w", err), ExitStoreCorrupt,
			"add --skip-damaged to export the interviews that can still be read; 'fieldscreen check' lists the damage")
	case err != nil && out != nil:
		return fmt.Errorf("export failed; what reached standard output is incomplete and must not be used: %w", err)
	case err != nil:
		return fmt.Errorf("export failed, no bundle was written: %w", err)
	}
	a.warnDamaged(rep.Damaged)
	how := "unencrypted"
	if rep.Encrypted {
		how = fmt.Sprintf("encrypted to %d recipient(s): %s", len(rep.Recipients), strings.Join(rep.Recipients, ", "))
	}
	skipped := ""
	if n := len(rep.Damaged) + rep.Lost; n > 0 {
		skipped = fmt.Sprintf("; skipped %d damaged interview(s)", n)
	}
	where := rep.Path
	if out != nil {
		where = "standard output"
	}
	fmt.Fprintf(a.io.Err, "Exported %d interview(s) to %s (%s, %s)%s.\n", len(rep.IDs), where, rep.Format, how, skipped)
	if rep.Drafts > 0 {
		fmt.Fprintf(a.io.Err, "Left out %d draft(s), interviews not finished; add --include-drafts to export them as they are.\n", rep.Drafts)
	}
	fmt.Fprintf(a.io.Err, "Bundle SHA-256: %s\n", rep.SHA256)
	if err := bundle.MarkExported(st, rep); err != nil {
		return err
	}
	for _, id := range rep.Gone {
		fmt.Fprintf(a.io.Err, "fieldscreen: note: interview %s was deleted before the transfer could be written in its audit trail; the bundle holds it\n", shortID(id))
	}
	if !rep.HandedOver() {
		fmt.Fprintln(a.io.Err, "The transfer is in each interview's audit trail; their status is unchanged: only a bundle encrypted to a recipient hands interviews over (exported).")
	}
	if o.purge {
		if !o.yes {
			if err := a.confirmPurge(st, rep, rs); err != nil {
				if errors.Is(err, errCancelled) {
					fmt.Fprintf(a.io.Err, "Nothing was erased. Once the caseworker has confirmed the import, erase them with 'fieldscreen delete ID...' or 'fieldscreen purge'.\n")
					return nil
				}
				return err
			}
		}
		if err := bundle.Purge(st, rep); err != nil {
			return withHint(fmt.Errorf("the bundle is written but the interviews were not erased: %w", err), ExitError,
				"check the bundle, then erase them with 'fieldscreen delete'")
		}
		fmt.Fprintf(a.io.Err, "Erased %d interview(s) from this computer.\n", len(rep.Purged))
		if len(rep.Kept) > 0 {
			// Drafts (perhaps open in another terminal) and interviews
			// changed after the export read them are not erased: their
			// current version is not in the bundle.
			for _, id := range rep.Kept {
				fmt.Fprintf(a.io.Err, "fieldscreen: kept interview %s: it is a draft or changed after the export read it, so the bundle does not hold its current version\n", shortID(id))
			}
			fmt.Fprintf(a.io.Err, "Kept %d interview(s); export them again once they are completed.\n", len(rep.Kept))
		}
	}
	return nil
}

// confirmPurge asks, in the terminal, before --purge-after-export erases:
// how many interviews, which file, and to whom the bundle is encrypted,
// so the person can check it is the handover the caseworker received.
func (a *app) confirmPurge(st *store.Store, rep *bundle.Report, rs []bundle.Recipient) error {
	n := len(rep.IDs)
	if entries, err := st.List(store.StatusDraft); err == nil {
		in := map[string]bool{}
		for _, id := range rep.IDs {
			in[id] = true
		}
		for _, e := range entries {
			if in[e.ID] {
				n-- // drafts are never erased
			}
		}
	}
	if n <= 0 {
		return nil // nothing would be erased: Purge reports what it kept
	}
	if len(rs) == 0 {
		fmt.Fprintf(a.io.Err, "%s is a plaintext bundle, encrypted to nobody.\n", rep.Path)
	} else {
		fmt.Fprintf(a.io.Err, "%s is encrypted to %d recipient(s):\n", rep.Path, len(rs))
		for _, r := range rs {
			fmt.Fprintf(a.io.Err, "  %s\n", r.Text)
		}
	}
	return a.confirm(fmt.Sprintf("Erase the %d interview(s) it holds from this computer? Do this only once the caseworker has confirmed the import.", n), "--yes")
}

// warnDamaged names, by short ID only, the interviews --skip-damaged left
// out: nothing of a damaged record is shown.
func (a *app) warnDamaged(ids []string) {
	for _, id := range ids {
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: interview %s skipped: its record or flow cannot be read\n", shortID(id))
	}
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

// bundleError gives a bundle problem its exit code and advice.
func bundleError(err error) error {
	switch {
	case errors.Is(err, bundle.ErrEncrypted):
		return withHint(err, ExitUsage, "give your age identity file with --identity FILE (or set %s)", identityEnv)
	case errors.Is(err, bundle.ErrWrongIdentity):
		return withHint(err, ExitError, "the bundle was encrypted to another key; ask the sender which public key they used")
	case errors.Is(err, bundle.ErrDamaged), errors.Is(err, bundle.ErrInvalid):
		return withHint(err, ExitInvalid, "nothing was imported from it; ask the sender for a new copy")
	case errors.Is(err, bundle.ErrUnknownFlow):
		return withHint(err, ExitError, "a flow is code that runs on the interviews: check with the sender that the hash is theirs ('fieldscreen verify FILE' shows the bundle), then import with --accept-flow HASH for each; nothing was imported")
	}
	return err
}

// knownBundleFlows refuses a bundle that carries a flow neither built
// in, nor accepted, nor in the store (opened only to look, and only if it
// exists and is needed).
func (a *app) knownBundleFlows(r *bundle.Reader, path string, accept []string) error {
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
	return withHint(&bundle.UnknownFlowError{File: path, Flows: unknown}, ExitError,
		"a flow is code that runs on the interviews: check with the sender that the hash is theirs ('fieldscreen verify FILE' shows the bundle), then score with --accept-flow HASH for each; nothing was scored")
}

func (a *app) importCmd() *cobra.Command {
	var identity, interviewer string
	var accept []string
	var dryRun bool
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
bundle edited on purpose can pass these checks; only an age-encrypted one
is proof that nothing was changed. An
interview already here with the same content is skipped; one with the same
ID but different content is refused and the stored one kept.

Every answer must be one the interview's flow could have recorded, and
every part of a bundle has a size limit. A bundle's flows are code that
runs on its interviews: only flows built in or already in the store are
run without asking. Another flow is refused, with its id, version and hash,
until you accept it with --accept-flow HASH ('fieldscreen verify FILE'
shows a bundle's flows). --dry-run checks everything and says what would
be added, writing nothing.`,
		Example: `  fieldscreen import handover.age --identity ~/.config/fieldscreen/key.txt
  fieldscreen import a.json b.json
  fieldscreen import partner.age --dry-run
  fieldscreen import partner.age --accept-flow sha256:3f5a...`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			var paths []string
			if identity != "" {
				paths = []string{identity}
			}
			ids, err := a.identities(paths)
			if err != nil {
				return err
			}
			// Every bundle opens before a store is created or a
			// passphrase asked for: a mistyped file name must not leave
			// an empty store behind.
			for _, path := range args {
				if err := precheckBundle(path, ids); err != nil {
					return err
				}
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
			var firstErr error
			refused := 0
			for _, path := range args {
				rep, err := bundle.ImportWith(st, path, bundle.ImportOptions{Identities: ids, Importer: interviewer, Accept: accept, DryRun: dryRun, Create: create})
				if err != nil {
					err = bundleError(err)
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
		},
	}
	c.Flags().StringVarP(&identity, "identity", "i", "", "age identity file to decrypt bundles (default: $"+identityEnv+")")
	c.Flags().StringVar(&interviewer, "interviewer", "", "who imports (kept in the audit trail)")
	c.Flags().StringArrayVar(&accept, "accept-flow", nil, "run and store the bundle flow of this hash (sha256:...), neither built in nor in the store (repeatable)")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "check the bundles and say what would be imported, writing nothing")
	return c
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
		return withHint(fmt.Errorf("%s is a folder, not a bundle", path), ExitError, "give the bundle file that 'fieldscreen export' wrote; nothing was imported")
	case err != nil || !fi.Mode().IsRegular():
		return nil // a pipe: what is read here would be lost to the import
	}
	if _, _, err := bundle.Decrypt(f, ids); err != nil {
		return bundleError(&bundle.Error{File: path, Err: err})
	}
	return nil
}

// scoreBundleFile scores a bundle's interviews as they stream past, with
// the bundle's own flows unless override is given. A bundle's flow is
// code from outside: it runs only if it is built in, in the store, or
// accepted (its hash in accept), as for import.
func scoreBundleFile(a *app, path string, identities, accept []string, override *questionnaire.Flow, lang string, submit func(run func() (scored, error)) error) error {
	ids, err := a.identities(identities)
	if err != nil {
		return err
	}
	r, err := bundle.OpenFile(path, ids)
	if err != nil {
		return bundleError(err)
	}
	defer r.Close()
	if override == nil {
		if err := a.knownBundleFlows(r, path, accept); err != nil {
			return err
		}
	}
	for {
		iv, err := r.NextForScoring()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return bundleError(&bundle.Error{File: path, Err: err})
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
			return scored{flow: f, sum: sum, lang: l, ans: iv.Answers}, nil
		})
		if err != nil {
			return err
		}
	}
}
