package cli

import (
	"fmt"

	"fieldscreen/internal/store"
)

// warnDamagedIndex names, by short ID or else by its key, an index record
// a read met damaged; nothing of the record is shown. The store tells
// each record once per command.
func (a *app) warnDamagedIndex(d store.DamagedRecord) {
	if d.Recovered {
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: %s: its index record is damaged; it was read from the interview's own record (run 'fieldscreen check')\n", d.Name())
		return
	}
	fmt.Fprintf(a.io.Err, "fieldscreen: warning: %s: an index record is damaged and its interview cannot be read; it is left out (run 'fieldscreen check')\n", d.Name())
}

// lostRecords is the error for damaged index records whose interviews
// could not be read, once a command has done what it could with the rest.
func lostRecords(st *store.Store) error {
	n := 0
	for _, d := range st.Damaged() {
		if !d.Recovered {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return withHint(&store.CorruptError{Path: st.Path(), Detail: fmt.Errorf("%d interview(s) cannot be read and were left out", n)}, ExitStoreCorrupt,
		"keep a copy of the store file; export what can still be read with 'fieldscreen export --all --skip-damaged -o FILE --purpose TEXT --recipient age1...'")
}

// warnDamaged names, by short ID only, the interviews --skip-damaged left
// out: nothing of a damaged record is shown.
func (a *app) warnDamaged(ids []string) {
	for _, id := range ids {
		fmt.Fprintf(a.io.Err, "fieldscreen: warning: interview %s skipped: its record or flow cannot be read\n", shortID(id))
	}
}
