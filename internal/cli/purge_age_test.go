package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
)

// TestParseAgeBounds: a period that would overflow time.Duration (106752d,
// 15251w: the cutoff then lay in the future and purge erased every
// interview) is refused, as are 0, "m" and anything past 100 years.
func TestParseAgeBounds(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"90d", now.AddDate(0, 0, -90)},
		{"1d", now.AddDate(0, 0, -1)},
		{"12w", now.AddDate(0, 0, -84)},
		{"6mo", now.AddDate(0, -6, 0)},
		{"2y", now.AddDate(-2, 0, 0)},
		{" 30D ", now.AddDate(0, 0, -30)},
		{"007d", now.AddDate(0, 0, -7)},
		{"36525d", now.AddDate(0, 0, -36525)},
		{"5218w", now.AddDate(0, 0, -5218*7)},
		{"1200mo", now.AddDate(0, -1200, 0)},
		{"100y", now.AddDate(-100, 0, 0)},
	} {
		r, err := parseAge(tc.in)
		if err != nil {
			t.Errorf("parseAge(%q): %v", tc.in, err)
			continue
		}
		if got := r.cutoff(now); !got.Equal(tc.want) {
			t.Errorf("parseAge(%q).cutoff = %v, want %v", tc.in, got, tc.want)
		}
		if !r.cutoff(now).Before(now) {
			t.Errorf("parseAge(%q): cutoff not in the past", tc.in)
		}
	}
	for _, tc := range []struct{ in, msg string }{
		{"106752d", "too long"},
		{"15251w", "too long"},
		{"36526d", "too long"},
		{"101y", "too long"},
		{"1201mo", "too long"},
		{"9223372036854775807d", "too long"},
		{"99999999999999999999999d", "too long"},
		{"0d", "at least 1d"},
		{"0w", "at least 1d"},
		{"000y", "at least 1d"},
		{"6m", "ambiguous"},
		{"6M", "ambiguous"},
		{"36h", "units are d, w, mo and y"},
		{"0s", "units are d, w, mo and y"},
		{"1.5d", "units are d, w, mo and y"},
		{"-5d", "not a period"},
		{"+5d", "not a period"},
		{"d", "not a period"},
		{"soon", "not a period"},
		{"", "not a period"},
	} {
		_, err := parseAge(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("parseAge(%q) = %v, want an error saying %q", tc.in, err, tc.msg)
		}
	}
	if _, err := parseAge("6m"); err == nil || !strings.Contains(err.Error(), "mo") || !strings.Contains(err.Error(), "180d") {
		t.Errorf("parseAge(6m) should point to mo and d: %v", err)
	}
}

// runCLI runs fieldscreen in this process on the store at db.
func runCLI(t *testing.T, db string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb strings.Builder
	env := map[string]string{"FIELDSCREEN_DB": db, "FIELDSCREEN_PASSPHRASE": "purge test passphrase", "NO_COLOR": "1", "FIELDSCREEN_CONFIG": db + ".config.yaml"}
	io := &IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(k string) string { return env[k] }}
	code = Execute(context.Background(), "test", args, io)
	return code, out.String(), errb.String()
}

// TestPurgeDryRun lists what would be erased and erases nothing; the real
// purge then erases exactly those.
func TestPurgeDryRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	st, err := store.Create(db, []byte("purge test passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().AddDate(-2, 0, 0).UTC()
	var ids []string
	for i, at := range []time.Time{old, old.Add(time.Hour), time.Now().UTC()} {
		iv := &record.Interview{FlowID: "screening", FlowVersion: "1", FlowHash: "sha256:00", Language: "en",
			Status: record.StatusCompleted, CreatedAt: at, UpdatedAt: at, Outcome: fmt.Sprintf("outcome_%d", i)}
		if err := st.Put(iv); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, iv.ID)
	}
	st.Close()

	code, out, errs := runCLI(t, db, "purge", "--older-than", "1y", "--dry-run")
	if code != 0 {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	for i, id := range ids {
		if got, want := strings.Contains(out, shortID(id)), i < 2; got != want {
			t.Errorf("dry run lists %s: %v, want %v\n%s", shortID(id), got, want, out)
		}
	}
	if !strings.Contains(errs, "Would erase 2 interview(s)") || !strings.Contains(errs, "nothing was erased") {
		t.Errorf("dry run message:\n%s", errs)
	}
	_, out, _ = runCLI(t, db, "list", "--format", "json")
	if n := strings.Count(out, `"interview_id"`); n != 3 {
		t.Fatalf("the dry run erased something: %d interviews left", n)
	}
	if code, out, errs := runCLI(t, db, "purge", "--older-than", "1y", "--yes"); code != 0 || !strings.Contains(errs, "Erased 2 interview(s)") {
		t.Fatalf("purge: exit %d\n%s%s", code, out, errs)
	}
	_, out, _ = runCLI(t, db, "list", "--format", "json")
	if n := strings.Count(out, `"interview_id"`); n != 1 || !strings.Contains(out, ids[2]) {
		t.Fatalf("after the purge:\n%s", out)
	}
}
