package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

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
	format, _ := FormatNamed(opt.Format)
	if err := opt.targetFree(); err != nil {
		return nil, err
	}
	want, status := sel.named()
	selected := func(id string) bool { return len(want) == 0 || want[id] }
	walk := func(status record.Status, fn func(iv *record.Interview) error) error {
		return src.Each(ctx, status, fn)
	}
	if opt.SkipDamaged {
		rs, ok := src.(recordSource)
		if !ok {
			return nil, fmt.Errorf("%w: skipping damaged records needs a store", ErrOptions)
		}
		walk = func(status record.Status, fn func(iv *record.Interview) error) error {
			return eachReadable(rs, status, selected, len(want) == 0, fn)
		}
	}

	// Pass 1: IDs and flows.
	var ids []string
	var hashes []string
	byHash := map[string][]string{}
	drafts := map[string]bool{}
	skipDraft := func(iv *record.Interview) bool {
		return sel.SkipDrafts && len(want) == 0 && (drafts[iv.ID] || iv.Status == record.StatusDraft)
	}
	err := walk(status, func(iv *record.Interview) error {
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
	if opt.Manifest != nil {
		m, err := opt.Manifest(len(ids))
		if err != nil {
			return nil, err
		}
		rep.Manifest = m
	}

	// Pass 2: write, one interview at a time, and read back as import
	// would while it is written (check).
	var check *importCheck
	if format.Importable {
		check = startImportCheck(ctx)
	}
	errChanged := errors.New("the store changed while exporting; nothing was written, run the export again")
	body := func(w io.Writer) error {
		iw := format.newWriter(ctx, w, writeInput{
			header: Header{
				SchemaVersion: SchemaVersion, Generator: opt.Generator, ExportedAt: rep.ExportedAt,
				Interviewer: opt.Interviewer, Purpose: opt.Purpose, Flows: bundleFlows(list),
				SkippedDamaged: len(damagedIDs) + lost, Manifest: rep.Manifest,
			},
			flows:       list,
			dir:         opt.Directory,
			mapping:     opt.HTCDSMapping,
			fieldReport: &rep.FieldReport,
			written:     check.expectFunc(),
		})
		defer iw.finish() // after a failed walk, let its workers end
		if err := iw.begin(); err != nil {
			return err
		}
		n := 0
		err := walk(status, func(iv *record.Interview) error {
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
	if check != nil {
		rep.unrescored = int(check.skipped.Load())
	}
	return rep, nil
}

// recordSource is a Source that also lists and reads single records, so
// one damaged record does not stop the walk; *store.Store is one.
type recordSource interface {
	Source
	List(status record.Status) ([]record.Entry, error)
	Get(id string) (*record.Interview, error)
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
func eachReadable(src recordSource, status record.Status, selected func(id string) bool, all bool, fn func(iv *record.Interview) error) error {
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
	slices.SortFunc(entries, func(a, b record.Entry) int {
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
