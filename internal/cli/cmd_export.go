package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/htcds"
	"fieldscreen/internal/record"
	"fieldscreen/internal/sign"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

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
	mapping        string // --mapping: an HTCDS mapping for --format htcds
	service        string // --for: a need-to-know extract for this service
	withoutConsent string
	signature      string // where the signature goes with -o -

	cmd  *cobra.Command // the command run, for its context and usage errors
	args []string       // the interview IDs given
}

// exportCmd is 'fieldscreen export'. runF, when not nil, runs instead of
// runExport with the options the command line gave (a test's seam).
func (a *app) exportCmd(runF func(*exportOpts) error) *cobra.Command {
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
edits it can recompute both. What proves who made a bundle is its
signature: every bundle is signed with this store's key ('fieldscreen key
signing' prints the public key to give the caseworker), as FILE.minisig
beside it (with -o -, the file --signature names).

--for SERVICE writes a need-to-know extract for that referral service
instead: per interview only its referrals to the service the person agreed
to, their reasons, the cautions by what to do, contact needs, location and
dates; nothing else. --without-consent REASON includes the referrals the
person did not agree to, and records the reason in each audit trail.

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
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			format, _ := bundle.FormatNamed(o.format)
			if o.mapping != "" && format.Name != "htcds" {
				return usageErr(c, "--mapping maps a flow to HTCDS: it goes with --format htcds")
			}
			if err := checkEnums(c, "status"); err != nil {
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
			if o.purge && !format.Importable {
				return usageErr(c, fmt.Sprintf("--purge-after-export needs a bundle that can be imported back (--format %s): a %s file cannot be, so nothing would be left of the interviews", bundle.FormatNames()[0], strings.ToUpper(format.Name)))
			}
			if o.output == "-" && o.signature == "" {
				return usageErr(c, "with -o - name the file for the bundle's signature with --signature FILE (every bundle is signed; a file is normally signed as FILE.minisig beside it)")
			}
			if o.output != "-" && o.signature != "" {
				return usageErr(c, "--signature goes with -o - only; a bundle file is signed as FILE.minisig beside it")
			}
			if o.withoutConsent != "" && o.service == "" {
				return usageErr(c, "--without-consent goes with --for SERVICE")
			}
			if o.withoutConsent != "" && strings.TrimSpace(o.withoutConsent) == "" {
				return usageErr(c, "--without-consent needs the reason, which is kept in each interview's audit trail")
			}
			if o.service != "" && (o.format != "json" || o.purge || o.skipDamaged) {
				return usageErr(c, "--for SERVICE writes an extract (JSON): not with --format csv, --purge-after-export or --skip-damaged")
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
			o.cmd, o.args = c, args
			if runF != nil {
				return runF(o)
			}
			return a.runExport(c, o, args)
		},
	}
	f := c.Flags()
	f.BoolVar(&o.all, "all", false, "export every interview")
	statusVar(c, &o.status, "export the interviews with this status ({list})")
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
	enumVar(c, &o.format, "format", bundle.FormatNames()[0], "{or}", exportFormats()...)
	f.BoolVar(&o.skipDamaged, "skip-damaged", false, "leave out interviews whose records cannot be read (a damaged store) instead of failing")
	f.StringVar(&o.mapping, "mapping", "", "with --format htcds: the YAML that maps your flow to HTCDS (default: the built-in flow's)")
	f.StringVar(&o.service, "for", "", "write a need-to-know extract for this referral service (legal aid: asylum_and_legal, ...) instead of a full bundle")
	f.StringVar(&o.withoutConsent, "without-consent", "", "with --for: include referrals the person did not agree to, for this REASON (kept in each interview's audit trail)")
	f.StringVar(&o.signature, "signature", "", "with -o -: write the bundle's signature to this file")
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
	} else if fi, err := os.Stat(o.output); err == nil && fi.IsDir() {
		ext := ".json"
		switch {
		case len(rs) > 0:
			ext = ".age"
		case o.format == "csv":
			ext = ".csv"
		}
		return withHint(fmt.Errorf("%s is a folder", o.output), ExitError, "give a file name inside it, such as -o %s", filepath.Join(o.output, "handover"+ext))
	} else if _, err := os.Lstat(o.output); err == nil {
		return withHint(fmt.Errorf("%s already exists", o.output), ExitError, "choose another file name, or move the old bundle away first")
	}
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	sel := bundle.Selection{Status: record.Status(o.status), SkipDrafts: o.all && !o.includeDrafts}
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
	var mapping *htcds.Mapping
	if o.mapping != "" {
		src, err := os.ReadFile(o.mapping)
		if err != nil {
			return withHint(fmt.Errorf("cannot read the HTCDS mapping: %w", err), ExitError, "check the file name")
		}
		if mapping, err = htcds.Load(o.mapping, src); err != nil {
			return withHint(err, ExitInvalid, "start from the built-in flow's mapping, questionnaire/builtin/screening.htcds.yaml (docs/report.md)")
		}
	}
	scope := sign.ScopeFull
	if o.service != "" {
		scope = o.service
		if !sign.ValidScope(scope) {
			return usageErr(c, fmt.Sprintf("%q is not a referral service (services are IDs such as asylum_and_legal)", o.service))
		}
	}
	signer, err := a.bundleSigner(st, scope)
	if err != nil {
		return err
	}
	opts := bundle.Options{
		HTCDSMapping: mapping,
		Path:         o.output, Format: o.format, Generator: "fieldscreen " + a.version, Interviewer: o.interviewer,
		Purpose: o.purpose, Recipients: rs, Armor: o.armor, Plaintext: o.plaintext, SkipDamaged: o.skipDamaged, Out: out,
		Directory: directory, TempJournal: a.tempJournal(),
	}
	signer.apply(&opts)
	var rep *bundle.Report
	if o.service != "" {
		rep, err = bundle.ExportExtract(c.Context(), st, sel, bundle.ExtractOptions{Options: opts, Service: o.service, WithoutConsent: o.withoutConsent})
		if errors.Is(err, bundle.ErrAllWithheld) {
			why := fmt.Sprintf("the person did not agree to the %d referral(s) to it", rep.WithheldReferrals)
			if rep.WithheldInterviews > 1 {
				why = fmt.Sprintf("in each of the %d interviews, the person did not agree to the referrals to it (%d withheld)", rep.WithheldInterviews, rep.WithheldReferrals)
			}
			return withHint(fmt.Errorf("nothing to share with %s: %s", o.service, why), ExitError,
				"discuss the referrals with the person; only with a reason that allows it, add --without-consent REASON (kept in each interview's audit trail)")
		}
		if errors.Is(err, bundle.ErrNothing) {
			return withHint(fmt.Errorf("no interview selected has a referral to %s", o.service), ExitError, "'fieldscreen show ID' lists an interview's referrals by service")
		}
	} else {
		rep, err = bundle.Export(c.Context(), st, sel, opts)
	}
	if err == nil && dirErr != nil {
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: the bundle was written without local services: %v\n", dirErr)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return &interrupted{msg: "export stopped; no bundle was written"}
	case errors.Is(err, bundle.ErrNothing) && o.skipDamaged && err != bundle.ErrNothing:
		return withHint(errors.New("no interviews to export: every one selected is damaged"), ExitError,
			"keep a copy of the store file; 'fieldscreen check' lists the damaged records")
	case errors.Is(err, bundle.ErrNothing) && sel.SkipDrafts:
		if drafts, lerr := st.List(record.StatusDraft); lerr == nil && len(drafts) > 0 {
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
	sigPath, err := signer.finish(rep, o.signature)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "Exported %d interview(s) to %s (%s, %s)%s.\n", len(rep.IDs), where, rep.Format, how, skipped)
	if rep.Drafts > 0 {
		fmt.Fprintf(a.io.Err, "Left out %d draft(s), interviews not finished; add --include-drafts to export them as they are.\n", rep.Drafts)
	}
	if rep.FieldReport != "" {
		fmt.Fprint(a.io.Err, rep.FieldReport)
	}
	if o.service != "" {
		fmt.Fprintf(a.io.Err, "Only referrals to %s the person agreed to, and what they need; withheld: %d interview(s) and %d referral(s) without the person's agreement.\n", o.service, rep.WithheldInterviews, rep.WithheldReferrals)
		if o.withoutConsent != "" {
			fmt.Fprintf(a.io.Err, "Shared without the person's agreement (reason kept in the audit trail) for the interviews that needed it.\n")
		}
	}
	fmt.Fprintf(a.io.Err, "Bundle SHA-256: %s\n", rep.SHA256)
	fmt.Fprintf(a.io.Err, "Signed by key %s: %s (bundle %s)\n", rep.Manifest.Signer, sigPath, rep.Manifest.BundleID)
	// The bundle is written and signed: its transfer is recorded in every
	// audit trail even if a signal comes now.
	if err := bundle.MarkExported(context.WithoutCancel(c.Context()), st, rep); err != nil {
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
	if entries, err := st.List(record.StatusDraft); err == nil {
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

// exportFormats are the bundle formats export writes, from bundle's
// registry, the default first.
func exportFormats() []choice {
	var out []choice
	for _, f := range bundle.Formats() {
		out = append(out, choice{f.Name, f.Help})
	}
	return out
}
