package bundle

import (
	"context"
	"errors"
	"fmt"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/store"
)

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
// interviews per durable transaction rather than one fsync per interview;
// a cancelled ctx stops it between batches (see store.UpdateMany).
func MarkExported(ctx context.Context, st Updater, rep *Report) error {
	t := transfer(rep)
	mark := func(iv *record.Interview) error {
		// An interview changed since the bundle was written (completed in
		// another terminal, say) keeps its status: its current version
		// was not handed over. The transfer is recorded all the same.
		// Only a handover (a bundle to a recipient) counts as handed
		// over; a CSV file or a plaintext bundle is recorded all the same.
		tt := t
		if rep.withoutConsent[iv.ID] {
			tt.WithoutConsent = rep.WithoutConsent
		}
		session.MarkExported(iv, rep.ExportedAt, rep.Interviewer, tt, rep.HandedOver() && (rep.exported == nil || rep.unchanged(iv)))
		return nil
	}
	// An interview deleted since the export (from another terminal, say)
	// has no audit trail left to record the transfer in; the others must
	// get theirs all the same. It is named in rep.Gone.
	if m, ok := st.(existingUpdater); ok {
		gone, err := m.UpdateExisting(ctx, rep.IDs, mark, false)
		rep.Gone = gone
		if err != nil {
			return fmt.Errorf("the interviews were exported but their audit trails could not all be updated: %w", err)
		}
		return nil
	}
	if m, ok := st.(manyUpdater); ok {
		if err := m.UpdateMany(ctx, rep.IDs, mark, false); err != nil {
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
	UpdateExisting(ctx context.Context, ids []string, fn func(iv *record.Interview) error, touch bool) (missing []string, err error)
}

// Updater changes one stored interview in a transaction; *store.Store is
// one.
type Updater interface {
	Update(id string, fn func(iv *record.Interview) error) (*record.Interview, error)
}

// annotator is an Updater that can also change an interview's bookkeeping
// (audit trail, status) without setting its UpdatedAt.
type annotator interface {
	Annotate(id string, fn func(iv *record.Interview) error) (*record.Interview, error)
}

// manyUpdater changes many interviews, a batch per transaction, keeping
// UpdatedAt when touch is false; *store.Store is one.
type manyUpdater interface {
	UpdateMany(ctx context.Context, ids []string, fn func(iv *record.Interview) error, touch bool) error
}

// TransferDetail is the audit detail of an export: the purpose, who can
// decrypt it (fingerprints), and the bundle's SHA-256.
func TransferDetail(rep *Report) string { return transfer(rep).String() }

func transfer(rep *Report) record.Transfer {
	t := record.Transfer{Format: rep.Format, Purpose: rep.Purpose, Recipients: rep.Recipients,
		BundleSHA256: rep.SHA256, Encrypted: rep.Encrypted, FileSHA256: rep.FileSHA256, Service: rep.Service}
	if m := rep.Manifest; m != nil {
		t.BundleID, t.Signer = m.BundleID, m.Signer
	}
	return t
}
