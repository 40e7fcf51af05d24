package bundle

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"

	"fieldscreen/internal/parallel"
	"fieldscreen/internal/store"
	"fieldscreen/internal/tempfile"
	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// Source is where interviews are exported from; *store.Store is one.
type Source interface {
	Each(status store.Status, fn func(iv *store.Interview) error) error
	Flow(hash string) ([]byte, error)
}

// Selection says which interviews to export: the given IDs (full IDs),
// else those with Status, else ("") all.
type Selection struct {
	IDs    []string
	Status store.Status
	// SkipDrafts leaves drafts (unfinished interviews) out of a
	// selection by status or of all; Report.Drafts counts them.
	SkipDrafts bool
}

// Options of one export.
type Options struct {
	Path        string // the bundle file to write; it must not exist
	Format      string // "json" (default) or "csv"
	Generator   string // "fieldscreen VERSION"
	Interviewer string // who exports
	Purpose     string // why the data leaves the laptop; required
	Recipients  []Recipient
	Armor       bool // ASCII-armored age output
	Plaintext   bool // the explicit choice to write personal data unencrypted
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

	exported map[string]snapshot // each interview as the bundle holds it
}

// snapshot is what Purge and MarkExported compare to tell whether a stored
// interview is still the one written to the bundle. Every change of an
// interview's content (an answer saved from another terminal, a
// completion) sets UpdatedAt to the time of the change, to the nanosecond;
// the bookkeeping of an export keeps it.
type snapshot struct {
	updatedAt time.Time
	status    store.Status
	answers   int
}

func snapshotOf(iv *store.Interview) snapshot {
	return snapshot{updatedAt: iv.UpdatedAt, status: iv.Status, answers: len(iv.Answers)}
}

// unchanged reports whether iv, as stored now, is what the bundle holds.
func (rep *Report) unchanged(iv *store.Interview) bool {
	s, ok := rep.exported[iv.ID]
	return ok && iv.UpdatedAt.Equal(s.updatedAt) && len(iv.Answers) == s.answers
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (o *Options) check() error {
	if o.Format == "" {
		o.Format = "json"
	}
	switch {
	case o.Format != "json" && o.Format != "csv":
		return fmt.Errorf("%w: format must be json or csv, not %q", ErrOptions, o.Format)
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

// Export writes the selected interviews to opt.Path, atomically, and reads
// the file back. It changes nothing in the store: MarkExported records
// the transfer, and a purge is the caller's separate step.
//
// The store is walked twice: once to learn which interviews and flows the
// bundle holds (the flows come first in the file so a reader can score as
// it streams), once to write the interviews one at a time.
//
// A cancelled ctx stops the export: the temporary file is erased, nothing
// is left under opt.Path, and the error is ctx's.
func Export(ctx context.Context, src Source, sel Selection, opt Options) (*Report, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	if _, err := os.Lstat(opt.Path); err == nil && opt.Out == nil {
		return nil, fmt.Errorf("%w: %s", ErrExists, opt.Path)
	}
	want := map[string]bool{}
	for _, id := range sel.IDs {
		want[id] = true
	}
	status := sel.Status
	if len(want) > 0 {
		status = ""
	}
	selected := func(id string) bool { return len(want) == 0 || want[id] }
	walk := src.Each
	if opt.SkipDamaged {
		rs, ok := src.(recordSource)
		if !ok {
			return nil, fmt.Errorf("%w: skipping damaged records needs a store", ErrOptions)
		}
		walk = func(status store.Status, fn func(iv *store.Interview) error) error {
			return eachReadable(rs, status, selected, len(want) == 0, fn)
		}
	}

	// Pass 1: IDs and flows.
	var ids []string
	var hashes []string
	byHash := map[string][]string{}
	drafts := map[string]bool{}
	skipDraft := func(iv *store.Interview) bool {
		return sel.SkipDrafts && len(want) == 0 && (drafts[iv.ID] || iv.Status == store.StatusDraft)
	}
	err := walk(status, func(iv *store.Interview) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !selected(iv.ID) {
			return nil
		}
		if skipDraft(iv) {
			drafts[iv.ID] = true
			return nil
		}
		ids = append(ids, iv.ID)
		if byHash[iv.FlowHash] == nil {
			hashes = append(hashes, iv.FlowHash)
		}
		byHash[iv.FlowHash] = append(byHash[iv.FlowHash], iv.ID)
		return nil
	})
	var dmg *damagedError
	if errors.As(err, &dmg) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	damaged := map[string]bool{}
	if dmg != nil {
		for _, id := range dmg.ids {
			damaged[id] = true
		}
	}
	flows := make(map[string]*questionnaire.Flow, len(hashes))
	var list []*questionnaire.Flow
	for _, h := range hashes {
		f, err := loadFlow(src, h)
		if err != nil && opt.SkipDamaged && !errors.Is(err, store.ErrInUse) {
			// An unreadable flow: its interviews cannot be labelled or
			// scored, so they are left out with the damaged records.
			for _, id := range byHash[h] {
				damaged[id] = true
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		flows[h] = f
		list = append(list, f)
	}
	var damagedIDs []string
	lost := 0
	if dmg != nil {
		lost = dmg.lost
	}
	if len(damaged) > 0 {
		kept := ids[:0]
		for _, id := range ids {
			if !damaged[id] {
				kept = append(kept, id)
			}
		}
		ids = kept
		if dmg != nil {
			damagedIDs = append(damagedIDs, dmg.ids...)
		}
		for _, h := range hashes {
			if flows[h] == nil {
				damagedIDs = append(damagedIDs, byHash[h]...)
			}
		}
	}
	if len(ids) == 0 {
		if len(damagedIDs)+lost > 0 {
			return nil, fmt.Errorf("%w: the %d selected could not be read from the damaged store", ErrNothing, len(damagedIDs)+lost)
		}
		return nil, ErrNothing
	}
	if len(want) > 0 && len(ids)+len(damagedIDs) != len(want) {
		return nil, fmt.Errorf("%w: %d of the %d interviews named are not in the store", store.ErrNoInterview, len(want)-len(ids)-len(damagedIDs), len(want))
	}

	rep := &Report{
		Path: opt.Path, Format: opt.Format, Flows: len(list), Encrypted: len(opt.Recipients) > 0,
		Armored: opt.Armor, ExportedAt: now(), Purpose: opt.Purpose, Interviewer: opt.Interviewer,
		Damaged: damagedIDs, Lost: lost, Drafts: len(drafts), exported: make(map[string]snapshot, len(ids)),
	}
	for _, r := range opt.Recipients {
		rep.Recipients = append(rep.Recipients, r.Fingerprint())
	}

	// Pass 2: write, one interview at a time.
	errChanged := errors.New("the store changed while exporting; nothing was written, run the export again")
	body := func(w io.Writer) error {
		var iw interviewWriter
		if opt.Format == "csv" {
			iw = newCSVWriter(w, list)
		} else {
			iw = newJSONWriter(ctx, w, Header{
				SchemaVersion: SchemaVersion, Generator: opt.Generator, ExportedAt: rep.ExportedAt,
				Interviewer: opt.Interviewer, Purpose: opt.Purpose, Flows: bundleFlows(list),
				SkippedDamaged: len(damagedIDs) + lost,
			})
			iw.(*jsonWriter).dir = opt.Directory
		}
		if jw, ok := iw.(*jsonWriter); ok {
			defer jw.finish() // after a failed walk, let its encoders end
		}
		if err := iw.begin(); err != nil {
			return err
		}
		n := 0
		err := walk(status, func(iv *store.Interview) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			// A draft left out in the first pass stays out if it was
			// completed since, and one begun since is left out too.
			if !selected(iv.ID) || damaged[iv.ID] || skipDraft(iv) {
				return nil
			}
			f := flows[iv.FlowHash]
			if f == nil || n >= len(ids) || ids[n] != iv.ID {
				return errChanged
			}
			n++
			rep.exported[iv.ID] = snapshotOf(iv)
			return iw.write(iv, f)
		})
		if errors.As(err, &dmg) {
			// Pass 1 read these; or one broke since.
			for _, id := range dmg.ids {
				if !damaged[id] {
					return errChanged
				}
			}
			err = nil
		}
		if err != nil {
			return err
		}
		if n != len(ids) {
			return errChanged
		}
		return iw.end()
	}
	var check *importCheck
	if opt.Format == "json" {
		check = startImportCheck(ctx)
	}
	var werr error
	if opt.Out != nil {
		werr = writeStream(opt, rep, body, check)
	} else {
		werr = writeAtomic(opt, rep, body, check)
	}
	if check != nil {
		if err := check.finish(werr, ids); werr == nil && err != nil {
			if opt.Out != nil {
				return nil, fmt.Errorf("the bundle written would not import: %w", err)
			}
			os.Remove(opt.Path)
			return nil, fmt.Errorf("the bundle would not import, so it was removed: %w", err)
		}
	}
	if werr != nil {
		return nil, werr
	}
	rep.IDs = ids
	if opt.Out != nil {
		return rep, nil // not Verified: nothing on disk to read back
	}
	if err := verify(rep); err != nil {
		os.Remove(opt.Path)
		return nil, fmt.Errorf("the bundle did not read back as written, so it was removed: %w", err)
	}
	rep.Verified = true
	rep.Importable = check != nil
	return rep, nil
}

// recordSource is a Source that also lists and reads single records, so
// one damaged record does not stop the walk; *store.Store is one.
type recordSource interface {
	Source
	List(status store.Status) ([]store.Entry, error)
	Get(id string) (*store.Interview, error)
}

// damageSource is a recordSource that says which index records List went
// past damaged; *store.Store is one.
type damageSource interface {
	Damaged() []store.DamagedRecord
}

// damagedError lists the interviews eachReadable skipped, and counts those
// it cannot name.
type damagedError struct {
	ids  []string
	lost int
}

func (e *damagedError) Error() string {
	return fmt.Sprintf("%d interview record(s) cannot be read", len(e.ids)+e.lost)
}

// eachReadable is Each (oldest first) that goes past records that do not
// decrypt or parse: after the walk it returns a *damagedError naming
// them, unless fn failed. A damaged index record costs only itself: the
// store lists its interview from its own record when that reads, and
// leaves it out otherwise; with all set (no IDs named), those left out
// are counted in the *damagedError.
func eachReadable(src recordSource, status store.Status, selected func(id string) bool, all bool, fn func(iv *store.Interview) error) error {
	entries, err := src.List(status)
	if err != nil {
		return err
	}
	lost := 0
	if ds, ok := src.(damageSource); ok && all {
		for _, d := range ds.Damaged() {
			if !d.Recovered {
				lost++
			}
		}
	}
	slices.SortFunc(entries, func(a, b store.Entry) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	var bad []string
	for _, e := range entries {
		if !selected(e.ID) {
			continue
		}
		iv, err := src.Get(e.ID)
		if errors.Is(err, store.ErrCorrupt) {
			bad = append(bad, e.ID)
			continue
		}
		if errors.Is(err, store.ErrNoInterview) {
			continue // deleted since the list was read
		}
		if err != nil {
			return err
		}
		if err := fn(iv); err != nil {
			return err
		}
	}
	if len(bad) > 0 || lost > 0 {
		return &damagedError{bad, lost}
	}
	return nil
}

func bundleFlows(list []*questionnaire.Flow) []Flow {
	out := make([]Flow, len(list))
	for i, f := range list {
		out[i] = Flow{ID: f.ID, Version: f.Version, Hash: f.Hash, Source: string(f.Source)}
	}
	return out
}

// loadFlow finds a stored interview's flow: the built-in one, or the
// source the store kept under its hash.
func loadFlow(src Source, hash string) (*questionnaire.Flow, error) {
	if b := questionnaire.BuiltinByHash(hash); b != nil {
		return b, nil // current or earlier built-in flow
	}
	s, err := src.Flow(hash)
	if err != nil {
		return nil, fmt.Errorf("flow %s is not in the store: %w", hash, err)
	}
	f, err := questionnaire.Load("stored flow "+hash, s)
	if err != nil {
		return nil, err
	}
	if f.Hash != hash {
		return nil, fmt.Errorf("stored flow %s does not match its hash", hash)
	}
	return f, nil
}

// writeAtomic writes body to a temporary file beside opt.Path (through
// age and armor when there are recipients), fsyncs it and links it into
// place. On any error the temporary file is erased: no partial bundle is
// ever left under either name. Where the system allows, the temporary
// file has no name until it is complete, so not even SIGKILL or a power
// cut can leave it (see internal/tempfile); a cancelled export (Ctrl-C,
// through the context) ends here too, with the file erased.
func writeAtomic(opt Options, rep *Report, body func(w io.Writer) error, check *importCheck) (err error) {
	dir := filepath.Dir(opt.Path)
	tmp, err := tempfile.Create(dir, ".fieldscreen-export-*.tmp", opt.TempJournal)
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Discard()
		}
	}()
	fileHash := sha256.New()
	counter := &countWriter{}
	fileBuf := bufio.NewWriterSize(io.MultiWriter(tmp, fileHash, counter), 64<<10)

	plainHash, err := encode(fileBuf, opt, body, check)
	if err != nil {
		return err
	}
	if err := fileBuf.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	err = tmp.Link(opt.Path)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: %s", ErrExists, opt.Path)
	}
	if err != nil {
		return err
	}
	syncDir(dir)
	rep.SHA256 = hex.EncodeToString(plainHash)
	rep.FileSHA256 = hex.EncodeToString(fileHash.Sum(nil))
	rep.Size = counter.n
	return nil
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// verify reads the file back: it must hash to what was written, byte for
// byte and to the last byte, so the disk holds the whole bundle exactly as
// it left the writer. That is all a read-back has to prove: what the
// writer wrote is the bundle (a plain JSON one is not parsed again here;
// the reader's tests hold the writer's output readable). An encrypted one
// also has its age header parsed; the age stream authenticates every chunk
// and marks the last, so a recipient will detect any loss the hash did not.
func verify(rep *Report) error {
	f, err := os.Open(rep.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, f, make([]byte, 1<<20))
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != rep.FileSHA256 || n != rep.Size {
		return errors.New("its content differs from what was written")
	}
	if rep.Encrypted {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		var src io.Reader = bufio.NewReader(f)
		if rep.Armored {
			src = armor.NewReader(src)
		}
		if _, err := age.ExtractHeader(src); err != nil {
			return fmt.Errorf("its age header does not parse: %v", err)
		}
	}
	return nil
}

// MarkExported records the transfer in each exported interview's audit
// trail and, for a handover (see Report.HandedOver), sets completed
// interviews to exported. A draft keeps its
// status so it can still be resumed. The bundle itself holds the trail as
// it was before this event, since the event names the bundle's hash.
//
// Recording a transfer does not change the interview, so UpdatedAt must
// stay as it was: 'purge --older-than' counts from it. store.Update sets
// it to now after its callback returns, so the callback cannot restore
// it; a store with Annotate (Update that keeps UpdatedAt) is used that way.
// A store with UpdateMany (*store.Store) records the transfer a batch of
// interviews per durable transaction rather than one fsync per interview.
func MarkExported(st Updater, rep *Report) error {
	detail := TransferDetail(rep)
	mark := func(iv *store.Interview) error {
		// An interview changed since the bundle was written (completed in
		// another terminal, say) keeps its status: its current version
		// was not handed over. The transfer is recorded all the same.
		// Only a handover (a bundle to a recipient) counts as handed
		// over; a CSV file or a plaintext bundle is recorded all the same.
		if iv.Status == store.StatusCompleted && rep.HandedOver() && (rep.exported == nil || rep.unchanged(iv)) {
			iv.Status = store.StatusExported
		}
		iv.Audit = append(iv.Audit, store.AuditEvent{At: rep.ExportedAt, Event: store.EventExported, Interviewer: rep.Interviewer, Detail: detail})
		return nil
	}
	// An interview deleted since the export (from another terminal, say)
	// has no audit trail left to record the transfer in; the others must
	// get theirs all the same. It is named in rep.Gone.
	if m, ok := st.(existingUpdater); ok {
		gone, err := m.UpdateExisting(rep.IDs, mark, false)
		rep.Gone = gone
		if err != nil {
			return fmt.Errorf("the interviews were exported but their audit trails could not all be updated: %w", err)
		}
		return nil
	}
	if m, ok := st.(manyUpdater); ok {
		if err := m.UpdateMany(rep.IDs, mark, false); err != nil {
			return fmt.Errorf("the interviews were exported but their audit trails could not all be updated: %w", err)
		}
		return nil
	}
	update := st.Update
	if a, ok := st.(annotator); ok {
		update = a.Annotate
	}
	for _, id := range rep.IDs {
		if _, err := update(id, mark); errors.Is(err, store.ErrNoInterview) {
			rep.Gone = append(rep.Gone, id)
		} else if err != nil {
			return fmt.Errorf("interview %s was exported but its audit trail could not be updated: %w", id, err)
		}
	}
	return nil
}

// existingUpdater is a manyUpdater that passes over interviews no longer
// in the store and names them; *store.Store is one.
type existingUpdater interface {
	UpdateExisting(ids []string, fn func(iv *store.Interview) error, touch bool) (missing []string, err error)
}

// Updater changes one stored interview in a transaction; *store.Store is
// one.
type Updater interface {
	Update(id string, fn func(iv *store.Interview) error) (*store.Interview, error)
}

// annotator is an Updater that can also change an interview's bookkeeping
// (audit trail, status) without setting its UpdatedAt.
type annotator interface {
	Annotate(id string, fn func(iv *store.Interview) error) (*store.Interview, error)
}

// manyUpdater changes many interviews, a batch per transaction, keeping
// UpdatedAt when touch is false; *store.Store is one.
type manyUpdater interface {
	UpdateMany(ids []string, fn func(iv *store.Interview) error, touch bool) error
}

// TransferDetail is the audit detail of an export: the purpose, who can
// decrypt it (fingerprints), and the bundle's SHA-256.
func TransferDetail(rep *Report) string {
	rec := "none (plaintext)"
	if len(rep.Recipients) > 0 {
		rec = strings.Join(rep.Recipients, ",")
	}
	d := fmt.Sprintf("format=%s; purpose=%s; recipients=%s; bundle_sha256=%s", rep.Format, quote(rep.Purpose), rec, rep.SHA256)
	if rep.Encrypted {
		d += "; file_sha256=" + rep.FileSHA256
	}
	return d
}

// Errors that guard Purge.
var (
	ErrNotVerified   = errors.New("the bundle was not read back successfully; nothing was erased")
	ErrNotImportable = errors.New("a CSV file cannot be imported back, so it is no handover to erase interviews after; nothing was erased")
)

// Purger erases interviews that are still as a caller saw them;
// *store.Store is one.
type Purger interface {
	DeleteUnchanged(ids []string, same func(iv *store.Interview) bool) (deleted, kept []string, err error)
}

// Purge erases the exported interviews from the store, only after the
// bundle was written whole, read back, and decoded as Import will read it;
// and of those, only the ones still exactly as the bundle holds them, and
// never a draft: a draft may be open in another terminal, and an answer
// confirmed there after the export read it is in no bundle. The check is
// made in the transaction that erases (see store.DeleteUnchanged).
// rep.Purged and rep.Kept say which were erased and which kept.
func Purge(st Purger, rep *Report) error {
	if rep != nil && rep.Verified && rep.Format == "csv" {
		return ErrNotImportable
	}
	if rep == nil || !rep.Verified || !rep.Importable || rep.exported == nil {
		return ErrNotVerified
	}
	if _, err := os.Stat(rep.Path); err != nil {
		return ErrNotVerified
	}
	deleted, kept, err := st.DeleteUnchanged(rep.IDs, func(iv *store.Interview) bool {
		s, ok := rep.exported[iv.ID]
		return ok && s.status != store.StatusDraft && iv.Status != store.StatusDraft && rep.unchanged(iv)
	})
	if err != nil {
		return err
	}
	rep.Purged, rep.Kept = deleted, kept
	return nil
}

// interviewWriter writes a bundle's body in one format.
type interviewWriter interface {
	begin() error
	write(iv *store.Interview, f *questionnaire.Flow) error
	end() error
}

type jsonWriter struct {
	ctx  context.Context
	w    io.Writer
	h    Header
	n    int
	sums *lineHash
	// Interviews are laid out, scored and encoded on every core and
	// written in order (lines), once the first is given.
	lines *parallel.Ordered[*lineBuf]
	dir   func(f *questionnaire.Flow) *questionnaire.Directory
}

func newJSONWriter(ctx context.Context, w io.Writer, h Header) *jsonWriter {
	return &jsonWriter{ctx: ctx, w: w, h: h, sums: newLineHash()}
}

func (j *jsonWriter) begin() error {
	var b bytes.Buffer
	b.WriteString("{\n")
	field := func(k string, v any) error {
		vb, err := json.Marshal(v)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%q: %s,\n", k, vb)
		return nil
	}
	if err := errors.Join(
		field("schema_version", j.h.SchemaVersion),
		field("generator", j.h.Generator),
		field("exported_at", j.h.ExportedAt),
		field("interviewer", j.h.Interviewer),
		field("purpose", j.h.Purpose),
		field("flows", j.h.Flows),
	); err != nil {
		return err
	}
	if j.h.SkippedDamaged > 0 {
		if err := field("skipped_damaged", j.h.SkippedDamaged); err != nil {
			return err
		}
	}
	b.WriteString("\"interviews\": [")
	_, err := j.w.Write(b.Bytes())
	return err
}

// write encodes one interview, one line each: easy to page through and
// to diff. Interviews are encoded a few per core ahead of the one being
// written, so memory stays flat whatever the bundle's size.
func (j *jsonWriter) write(iv *store.Interview, f *questionnaire.Flow) error {
	if j.lines == nil {
		j.lines = parallel.NewOrdered(j.ctx, j.writeLine)
	}
	return j.lines.Go(func(context.Context) (*lineBuf, error) {
		var dir *questionnaire.Directory
		if j.dir != nil {
			dir = j.dir(f)
		}
		bi, err := fromStore(iv, f, dir)
		if err != nil {
			return nil, err
		}
		l := lineBufs.Get().(*lineBuf)
		l.b.Reset()
		if err := l.enc.Encode(bi); err != nil { // the line and a newline
			return nil, err
		}
		if bytes.Contains(l.b.Bytes(), escapedFFFD) {
			// encoding/json writes a byte that is not UTF-8 (kept by an
			// older version) as \ufffd, which a reader's canonical form
			// holds as U+FFFD itself: write that form, or the bundle's
			// interviews_sha256 would not match on import.
			c, err := appendCanonical(nil, l.b.Bytes())
			if err != nil {
				return nil, err
			}
			l.b.Reset()
			l.b.Write(c)
			l.b.WriteByte('\n')
		}
		return l, nil
	})
}

var escapedFFFD = []byte(`\ufffd`)

// writeLine writes one encoded interview, in bundle order: "," (but the
// first) and a newline before each line; interviews_sha256 takes each
// line and its newline.
func (j *jsonWriter) writeLine(l *lineBuf) error {
	line := l.b.Bytes()
	j.sums.h.Write(line)
	sep := ",\n"
	if j.n == 0 {
		sep = "\n"
	}
	j.n++
	if _, err := io.WriteString(j.w, sep); err != nil {
		return err
	}
	if _, err := j.w.Write(line[:len(line)-1]); err != nil {
		return err
	}
	lineBufs.Put(l)
	return nil
}

// finish waits for the interviews given so far to be written.
func (j *jsonWriter) finish() error {
	if j.lines == nil {
		return nil
	}
	err := j.lines.Wait()
	j.lines = nil
	return err
}

// end closes the list and writes interviews_sha256, known only now that
// every interview has streamed past. It catches damage and naive edits of
// a plaintext bundle; it proves nothing against a deliberate edit (anyone
// who changes an interview can recompute it). Only age encryption
// authenticates a bundle.
func (j *jsonWriter) end() error {
	if err := j.finish(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(j.w, "\n],\n\"interviews_sha256\": %q\n}\n", j.sums.hex())
	return err
}

// csvWriter writes one row per interview, one column per question of the
// bundle's flows (in flow order, a question shared by flows once).
type csvWriter struct {
	w    *csv.Writer
	cols []string
	idx  map[string]int
}

// csvFixed are the columns before the questions.
var csvFixed = []string{"interview_id", "flow_id", "flow_version", "status", "outcome"}

func newCSVWriter(w io.Writer, flows []*questionnaire.Flow) *csvWriter {
	c := &csvWriter{w: csv.NewWriter(w), cols: append([]string(nil), csvFixed...), idx: map[string]int{}}
	for _, f := range flows {
		for _, q := range f.Questions {
			if !q.Asks() {
				continue
			}
			if _, ok := c.idx[q.ID]; !ok {
				c.idx[q.ID] = len(c.cols)
				c.cols = append(c.cols, q.ID)
			}
		}
	}
	return c
}

func (c *csvWriter) begin() error { return c.w.Write(c.cols) }

func (c *csvWriter) write(iv *store.Interview, f *questionnaire.Flow) error {
	sum, err := f.Score(questionnaire.Answers(iv.AnswersMap()))
	if err != nil {
		return fmt.Errorf("interview %s cannot be scored: %w", iv.ID, err)
	}
	row := make([]string, len(c.cols))
	// Every cell, not only the answers: a flow from a bundle chooses its
	// version and its outcomes' values too.
	copy(row, []string{iv.ID, DefuseCell(iv.FlowID), DefuseCell(iv.FlowVersion), string(iv.Status), DefuseCell(sum.GetString("outcome"))})
	for _, a := range iv.Answers {
		if i, ok := c.idx[a.QuestionID]; ok {
			row[i] = csvValue(a.Value)
		}
	}
	return c.w.Write(row)
}

func (c *csvWriter) end() error {
	c.w.Flush()
	return c.w.Error()
}

// csvValue writes a value for a spreadsheet: lists joined with ";". Text
// that a spreadsheet would run as a formula gets a leading apostrophe
// (OWASP's advice against CSV injection): free-text answers come from
// outside.
func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int:
		return strconv.Itoa(x)
	case string:
		return DefuseCell(x)
	case []string:
		return DefuseCell(strings.Join(x, ";"))
	}
	return DefuseCell(fmt.Sprint(v))
}

// DefuseCell keeps a spreadsheet from reading a cell as a formula (a
// cell that starts with = + - @, a tab or a carriage return, perhaps
// after spaces, gets a leading quote) and removes control characters:
// textsafe.CSV.
func DefuseCell(s string) string { return textsafe.CSV(s) }

// unwrapPath drops the temporary file's name from an error: the reason
// is what the person needs.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
