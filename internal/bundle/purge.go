package bundle

import (
	"errors"
	"os"

	"fieldscreen/internal/record"
)

// Errors that guard Purge.
var (
	ErrNotVerified   = errors.New("the bundle was not read back successfully; nothing was erased")
	ErrNotImportable = errors.New("a CSV file cannot be imported back, so it is no handover to erase interviews after; nothing was erased")
)

// Purger erases interviews that are still as a caller saw them;
// *store.Store is one.
type Purger interface {
	DeleteUnchanged(ids []string, same func(iv *record.Interview) bool) (deleted, kept []string, err error)
}

// Purge erases the exported interviews from the store, only after the
// bundle was written whole, read back, and decoded as Import will read it;
// and of those, only the ones still exactly as the bundle holds them, and
// never a draft: a draft may be open in another terminal, and an answer
// confirmed there after the export read it is in no bundle. The check is
// made in the transaction that erases (see store.DeleteUnchanged).
// rep.Purged and rep.Kept say which were erased and which kept.
func Purge(st Purger, rep *Report) error {
	if f, ok := FormatNamed(rep.formatName()); ok && rep.Verified && !f.Importable {
		return ErrNotImportable
	}
	if rep == nil || !rep.Verified || !rep.Importable || rep.exported == nil {
		return ErrNotVerified
	}
	if _, err := os.Stat(rep.Path); err != nil {
		return ErrNotVerified
	}
	deleted, kept, err := st.DeleteUnchanged(rep.IDs, func(iv *record.Interview) bool {
		s, ok := rep.exported[iv.ID]
		return ok && s.status != record.StatusDraft && iv.Status != record.StatusDraft && rep.unchanged(iv)
	})
	if err != nil {
		return err
	}
	rep.Purged, rep.Kept = deleted, kept
	return nil
}
