package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// TestPurgeExportedOnlyHandedOver: 'purge --status exported' erases the
// interviews handed over in a bundle to a recipient, never those an
// earlier version marked exported for a CSV file or a plaintext bundle.
func TestPurgeExportedOnlyHandedOver(t *testing.T) {
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "s.db")
	st, err := store.Create(db, []byte("purge test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().AddDate(-1, 0, 0).UTC()
	transfer := func(format string, recipients ...string) record.AuditEvent {
		rep := &bundle.Report{Format: format, Purpose: "p", Recipients: recipients, Encrypted: len(recipients) > 0, SHA256: "ab"}
		return record.AuditEvent{At: at, Event: record.EventExported, Detail: bundle.TransferDetail(rep)}
	}
	ids := map[string]string{}
	for name, ev := range map[string]record.AuditEvent{
		"handed over": transfer("json", "0123456789abcdef"),
		"csv":         transfer("csv"),
		"plaintext":   transfer("json"),
	} {
		iv := &record.Interview{FlowID: f.ID, FlowVersion: f.Version, FlowHash: f.Hash, Language: "en", Status: record.StatusExported,
			CreatedAt: at, UpdatedAt: at, Outcome: "not_screened", Audit: []record.AuditEvent{{At: at, Event: record.EventCompleted}, ev}}
		if err := st.Put(iv); err != nil {
			t.Fatal(err)
		}
		ids[name] = iv.ID
	}
	st.Close()

	code, out, errs := runCLI(t, db, "purge", "--older-than", "30d", "--status", "exported", "--dry-run")
	if code != 0 || !strings.Contains(out, shortID(ids["handed over"])) || strings.Contains(out, shortID(ids["csv"])) || strings.Contains(out, shortID(ids["plaintext"])) {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(errs, "kept 2 interview(s) marked exported that no bundle to a recipient holds") {
		t.Errorf("dry run: the kept ones are not reported:\n%s", errs)
	}
	if code, out, errs := runCLI(t, db, "purge", "--older-than", "30d", "--status", "exported", "--yes"); code != 0 || !strings.Contains(errs, "Erased 1 interview(s)") {
		t.Fatalf("purge: exit %d\n%s%s", code, out, errs)
	}
	_, out, _ = runCLI(t, db, "list", "--format", "json")
	if strings.Contains(out, ids["handed over"]) || !strings.Contains(out, ids["csv"]) || !strings.Contains(out, ids["plaintext"]) {
		t.Fatalf("after the purge:\n%s", out)
	}
	// Without --status, the retention period alone decides.
	if code, _, errs := runCLI(t, db, "purge", "--older-than", "30d", "--yes"); code != 0 || !strings.Contains(errs, "Erased 2 interview(s)") {
		t.Fatalf("purge without --status: exit %d\n%s", code, errs)
	}
}
