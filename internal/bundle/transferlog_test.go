package bundle

import (
	"context"
	"path/filepath"
	"testing"

	"fieldscreen/internal/record"
)

// TestTransferLogSurvivesADeletion: an interview deleted between the
// export and the recording of the transfer (from another terminal, say)
// does not keep the transfer out of the others' audit trails.
func TestTransferLogSurvivesADeletion(t *testing.T) {
	st := newStore(t)
	fill(t, st, 5)
	rep, err := Export(context.Background(), st, Selection{}, plainOpts(filepath.Join(t.TempDir(), "b.json")))
	if err != nil {
		t.Fatal(err)
	}
	gone := rep.IDs[2]
	if err := st.Delete(gone); err != nil {
		t.Fatal(err)
	}
	if err := MarkExported(context.Background(), st, rep); err != nil {
		t.Fatalf("recording the transfer: %v", err)
	}
	for _, id := range rep.IDs {
		if id == gone {
			continue
		}
		iv, err := st.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if last := iv.Audit[len(iv.Audit)-1]; last.Event != record.EventExported {
			t.Errorf("interview %s: the transfer is not in its audit trail (last event %s)", id, last.Event)
		}
	}
	if len(rep.Gone) != 1 || rep.Gone[0] != gone {
		t.Errorf("rep.Gone = %v, want [%s]", rep.Gone, gone)
	}
}
