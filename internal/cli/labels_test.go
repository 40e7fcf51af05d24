package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

// putOld stores completed interviews of the built-in flow, last changed
// two years ago, with the given outcomes.
func putOld(t *testing.T, db string, outcomes ...string) []string {
	t.Helper()
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Create(db, []byte("purge test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Now().AddDate(-2, 0, 0).UTC()
	var ids []string
	for _, o := range outcomes {
		iv := &record.Interview{FlowID: f.ID, FlowVersion: f.Version, FlowHash: f.Hash, Language: "en",
			Status: record.StatusCompleted, CreatedAt: at, UpdatedAt: at, Outcome: o}
		if err := st.Put(iv); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, iv.ID)
	}
	return ids
}

// TestListingsShowOutcomeLabels: list, purge --dry-run and the score table
// show outcomes in words, in the language asked for; JSON keeps the IDs.
func TestListingsShowOutcomeLabels(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	putOld(t, db, "urgent_referral", "further_assessment", "a_value_no_flow_has")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"list"}, []string{"Urgent referral", "Further assessment", "a value no flow has"}},
		{[]string{"list", "--lang", "es"}, []string{"Derivación urgente"}},
		{[]string{"purge", "--older-than", "1y", "--dry-run"}, []string{"Urgent referral", "Further assessment"}},
	} {
		code, out, errs := runCLI(t, db, tc.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", tc.args, code, out, errs)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: no %q in\n%s", tc.args, w, out)
			}
		}
		if strings.Contains(out, "urgent_referral") || strings.Contains(out, "further_assessment") {
			t.Errorf("%v: an outcome ID in\n%s", tc.args, out)
		}
	}
	_, out, _ := runCLI(t, db, "list", "--format", "json")
	if !strings.Contains(out, `"outcome": "urgent_referral"`) {
		t.Errorf("list --format json must keep IDs:\n%s", out)
	}
}
