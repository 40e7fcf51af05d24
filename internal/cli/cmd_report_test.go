package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"fieldscreen/internal/cli"
	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Execute(context.Background(), "test", args, &cli.IO{In: strings.NewReader(""), Out: &out, Err: &errb,
		Getenv: func(k string) string { return env[k] }})
	return out.String(), errb.String(), code
}

// TestReportMatchesScore counts the outcomes and most urgent referrals
// of a store's interviews from 'score --all --format csv', a path that
// shares no code with the report's counting, and compares: every count
// with --k 1, every count shown with k = 11, and nothing under 11 shown.
func TestReportMatchesScore(t *testing.T) {
	env := map[string]string{"FIELDSCREEN_DB": filepath.Join(t.TempDir(), "interviews.db"), "FIELDSCREEN_PASSPHRASE": "correct horse battery staple", "NO_COLOR": "1"}
	if _, e, code := runCLI(t, env, "dev", "generate", "--count", "600"); code != 0 {
		t.Fatalf("generate: %s", e)
	}
	out, e, code := runCLI(t, env, "score", "--all", "--format", "csv")
	if code != 0 {
		t.Fatalf("score: %s", e)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	want := map[[2]string]int{}
	for _, r := range recs[1:] {
		want[[2]string{"outcome", r[col["outcome"]]}]++
		best := "none"
		for _, p := range []string{"standard", "high", "urgent"} {
			if strings.Contains(r[col["referrals"]], ":"+p) {
				best = p
			}
		}
		want[[2]string{"referral_priority", best}]++
		want[[2]string{"interviews", "all"}]++
	}
	for _, k := range []string{"1", "11"} {
		args := []string{"report", "--format", "json", "--k", k}
		if k == "1" {
			args = append(args, "--internal")
		}
		out, e, code := runCLI(t, env, args...)
		if code != 0 {
			t.Fatalf("report --k %s: %s", k, e)
		}
		var doc struct {
			Internal bool
			Cells    []struct {
				Dimension, Value string
				By               map[string]string
				Count            *int
				Suppressed       bool
			}
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Internal != (k == "1") {
			t.Errorf("k=%s: internal %v", k, doc.Internal)
		}
		seen := 0
		for _, c := range doc.Cells {
			n, ok := want[[2]string{c.Dimension, c.Value}]
			if !ok || len(c.By) > 0 {
				continue
			}
			seen++
			switch {
			case c.Suppressed && k == "1":
				t.Errorf("k=1: %s %s hidden", c.Dimension, c.Value)
			case c.Suppressed && n >= 11:
				// hidden to protect another: allowed
			case c.Suppressed:
			case n > 0 && n < 11 && k == "11":
				t.Errorf("%s %s = %d shown with k = 11", c.Dimension, c.Value, n)
			case *c.Count != n:
				t.Errorf("k=%s: %s %s = %d, score counts %d", k, c.Dimension, c.Value, *c.Count, n)
			}
		}
		if seen != len(want) {
			t.Errorf("k=%s: %d of the %d counts found", k, seen, len(want))
		}
	}
}

// Rows for scripts carry where, by whom and when; --all leaves drafts
// out of score and report unless --include-drafts.
func TestRowsCarryMetadataAndLeaveDraftsOut(t *testing.T) {
	db := filepath.Join(t.TempDir(), "interviews.db")
	pass := "correct horse battery staple"
	env := map[string]string{"FIELDSCREEN_DB": db, "FIELDSCREEN_PASSPHRASE": pass}
	if _, e, code := runCLI(t, env, "dev", "generate", "--count", "30"); code != 0 {
		t.Fatalf("generate: %s", e)
	}
	st, err := store.Open(db, []byte(pass))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := st.List("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Update(entries[0].ID, func(iv *record.Interview) error {
		iv.Status, iv.CompletedAt = record.StatusDraft, nil
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, c := range []struct {
		args []string
		want int
	}{{[]string{"score", "--all", "--format", "jsonl"}, 29}, {[]string{"score", "--all", "--include-drafts", "--format", "jsonl"}, 30}} {
		out, e, code := runCLI(t, env, c.args...)
		if code != 0 {
			t.Fatalf("%v: %s", c.args, e)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != c.want {
			t.Errorf("%v: %d rows, want %d", c.args, len(lines), c.want)
		}
		for _, l := range lines {
			var row map[string]any
			if err := json.Unmarshal([]byte(l), &row); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"location", "interviewer", "language", "created_at", "status"} {
				if s, _ := row[k].(string); s == "" {
					t.Errorf("%v: row without %s: %s", c.args, k, l)
				}
			}
			if _, ok := row["completed_at"]; ok != (row["status"] != "draft") {
				t.Errorf("%v: completed_at and status disagree: %s", c.args, l)
			}
		}
	}
	out, e, code := runCLI(t, env, "list", "--format", "json")
	var listed []map[string]any
	if err := json.Unmarshal([]byte(out), &listed); code != 0 || err != nil || len(listed) != 30 {
		t.Fatalf("list: exit %d, %v, %d rows\n%s", code, err, len(listed), e)
	}
	for _, r := range listed {
		if r["location"] == nil || r["language"] == nil || r["interviewer"] == nil {
			t.Errorf("list row without location, language or interviewer: %v", r)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{{[]string{"report", "--format", "csv"}, "interviews,all,,29,false"}, {[]string{"report", "--include-drafts", "--format", "csv"}, "interviews,all,,30,false"}} {
		out, e, code := runCLI(t, env, c.args...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, want %q in\n%s%s", c.args, code, c.want, out[:min(len(out), 300)], e)
		}
	}
}
