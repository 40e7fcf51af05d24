package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fieldscreen/internal/htcds"
	"fieldscreen/internal/record"
	"fieldscreen/internal/sign"
	"fieldscreen/questionnaire"
)

// Source is where interviews are exported from; *store.Store is one.
type Source interface {
	Each(ctx context.Context, status record.Status, fn func(iv *record.Interview) error) error
	Flow(hash string) ([]byte, error)
}

// Selection says which interviews to export: the given IDs (full IDs),
// else those with Status, else ("") all.
type Selection struct {
	IDs    []string
	Status record.Status
	// SkipDrafts leaves drafts (unfinished interviews) out of a
	// selection by status or of all; Report.Drafts counts them.
	SkipDrafts bool
}

// Options of one export.
type Options struct {
	Path        string // the bundle file to write; it must not exist
	Format      string // one of Formats() by name; "" is json
	Generator   string // "fieldscreen VERSION"
	Interviewer string // who exports
	Purpose     string // why the data leaves the laptop; required
	Recipients  []Recipient
	Armor       bool // ASCII-armored age output
	Plaintext   bool // the explicit choice to write personal data unencrypted
	// HTCDSMapping maps the flow to HTCDS for the htcds format; nil is the
	// built-in flow's mapping (questionnaire/builtin/screening.htcds.yaml).
	HTCDSMapping *htcds.Mapping
	// SkipDamaged leaves out, instead of failing on, interviews whose
	// records (or flows) do not decrypt or parse: the rescue of a damaged
	// store. The source must then also list and get single records, as
	// *store.Store does.
	SkipDamaged bool
	// Directory, when set, gives the referral directory for a flow: each
	// summary in the bundle then lists the local services under its
	// referrals (nil for a flow the directory does not fit).
	Directory func(f *questionnaire.Flow) *questionnaire.Directory
	// Out, when set, receives the bundle instead of a file at Path
	// (standard output; Path then only names it in messages). It is
	// written as it goes, so it cannot be read back: see writeStream.
	Out io.Writer
	// Manifest, when set, makes the manifest of a signed bundle once the
	// number of interviews is known; the bundle carries it (the JSON
	// format only), and the caller signs the file with it.
	Manifest func(interviews int) (*sign.Manifest, error)
	// FileHash, when set, is also written every byte of the file as
	// written (the encrypted bytes of an encrypted bundle): the signature
	// covers them, with no second reading of the file.
	FileHash io.Writer
	// TempJournal is a folder where the name of a temporary file is
	// written down while it exists, where the system cannot make it
	// nameless, so that the next start erases it if this process is
	// killed (see tempfile.Sweep). Empty: no journal.
	TempJournal string
}

// Errors of Export a caller can test for with errors.Is.
var (
	ErrPlaintext = errors.New("refusing to write personal data unencrypted")
	ErrNothing   = errors.New("no interviews match")
	ErrExists    = errors.New("the output file already exists")
	ErrOptions   = errors.New("invalid export options")
)

// Report says what an export wrote.
type Report struct {
	Path    string
	Format  string
	IDs     []string // exported, in bundle order
	Damaged []string // skipped with SkipDamaged: unreadable record or flow
	// Lost counts the interviews SkipDamaged left out that cannot even be
	// named: their index record and their own record are both damaged
	// (the store names them by key, through its OnDamage function).
	Lost        int
	Flows       int
	Encrypted   bool
	Armored     bool
	Recipients  []string // fingerprints
	SHA256      string   // of the plaintext (what a recipient decrypts), hex
	FileSHA256  string   // of the file as written, hex
	Size        int64
	ExportedAt  time.Time
	Purpose     string
	Interviewer string
	// Verified is set once the file on disk has been read back whole and
	// found to be exactly what was written.
	Verified bool
	// Importable is set once the bundle's plaintext has been decoded as
	// Import reads it (every check, every summary rescored) and found to
	// hold exactly IDs: with Verified, the file on disk imports.
	Importable bool
	// Purged and Kept are set by Purge: the interviews erased, and those
	// kept because they are drafts or changed after the export read them.
	Purged, Kept []string
	// Gone is set by MarkExported: the exported interviews deleted before
	// the transfer could be recorded in their audit trails.
	Gone []string
	// Drafts counts the drafts Selection.SkipDrafts left out.
	Drafts int
	// FieldReport is, for the htcds format, the report of every HTCDS
	// field the rows leave empty or fill with less detail than the answer.
	FieldReport string
	// Manifest is the manifest Options.Manifest made, if any.
	Manifest *sign.Manifest
	// Of an extract (ExportExtract): the service it is for, the reason
	// given for sharing without consent, and what it left out.
	Service                               string
	WithoutConsent                        string
	WithheldInterviews, WithheldReferrals int
	withoutConsent                        map[string]bool // the interviews it was used for

	exported map[string]snapshot // each interview as the bundle holds it
	// unrescored counts the summaries the import check took as checked
	// without rescoring (importCheck.same).
	unrescored int
}

// snapshot is what Purge and MarkExported compare to tell whether a stored
// interview is still the one written to the bundle. Every change of an
// interview's content (an answer saved from another terminal, a
// completion) sets UpdatedAt to the time of the change, to the nanosecond;
// the bookkeeping of an export keeps it.
type snapshot struct {
	updatedAt time.Time
	status    record.Status
	answers   int
}

func snapshotOf(iv *record.Interview) snapshot {
	return snapshot{updatedAt: iv.UpdatedAt, status: iv.Status, answers: len(iv.Answers)}
}

// unchanged reports whether iv, as stored now, is what the bundle holds.
func (rep *Report) unchanged(iv *record.Interview) bool {
	s, ok := rep.exported[iv.ID]
	return ok && iv.UpdatedAt.Equal(s.updatedAt) && len(iv.Answers) == s.answers
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// targetFree refuses to write over a file already at o.Path (one given
// o.Out writes to a stream instead).
func (o *Options) targetFree() error {
	if _, err := os.Lstat(o.Path); err == nil && o.Out == nil {
		return fmt.Errorf("%w: %s", ErrExists, o.Path)
	}
	return nil
}

// named returns the interviews named (empty: none named) and the status
// to walk: every status when some are named, since they are chosen by ID.
func (s Selection) named() (map[string]bool, record.Status) {
	want := make(map[string]bool, len(s.IDs))
	for _, id := range s.IDs {
		want[id] = true
	}
	if len(want) > 0 {
		return want, ""
	}
	return want, s.Status
}

func (o *Options) check() error {
	if o.Format == "" {
		o.Format = defaultFormat
	}
	_, known := FormatNamed(o.Format)
	switch {
	case !known:
		return fmt.Errorf("%w: format must be %s, not %q", ErrOptions, orList(FormatNames()), o.Format)
	case o.Path == "":
		return fmt.Errorf("%w: no output file", ErrOptions)
	case strings.TrimSpace(o.Purpose) == "":
		return fmt.Errorf("%w: the purpose of the transfer is required", ErrOptions)
	case len(o.Recipients) > 0 && o.Plaintext:
		return fmt.Errorf("%w: plaintext and recipients exclude each other", ErrOptions)
	case len(o.Recipients) == 0 && !o.Plaintext:
		return ErrPlaintext
	case o.Armor && len(o.Recipients) == 0:
		return fmt.Errorf("%w: armor applies to encrypted output only", ErrOptions)
	}
	return nil
}
