package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/creack/pty"

	"fieldscreen/internal/cli"
	"fieldscreen/internal/record"
	"fieldscreen/internal/render"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
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

// TestReportTextLabelsWhole: a text report written to a pipe or a file
// keeps every label whole, in English, French and Spanish; one shown on
// a terminal fits its width, long labels cut with the question's ID in
// brackets kept. Written with -o to a file, it is whole even when stdout
// is a terminal.
func TestReportTextLabelsWhole(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"FIELDSCREEN_DB": filepath.Join(dir, "interviews.db"), "FIELDSCREEN_PASSPHRASE": "correct horse battery staple", "NO_COLOR": "1"}
	if _, e, code := runCLI(t, env, "dev", "generate", "--count", "200"); code != 0 {
		t.Fatalf("generate: %s", e)
	}
	f, err := questionnaire.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// The referrals' labels longer than half an 80-column terminal.
	longLabels := func(lang string) []string {
		var out []string
		for _, r := range f.Referrals {
			if l := render.Clean(f.T(r.Label, lang)); utf8.RuneCountInString(l) > 40 {
				out = append(out, l)
			}
		}
		if len(out) == 0 {
			t.Fatalf("%s: no referral label over 40 characters to check", lang)
		}
		return out
	}
	whole := func(name, out string, labels []string) {
		t.Helper()
		for _, l := range labels {
			if !strings.Contains(out, "\n"+l+"  ") {
				t.Errorf("%s: the label %q is not whole", name, l)
			}
		}
		if strings.Contains(out, "…") {
			t.Errorf("%s: a label is cut:\n%s", name, out)
		}
	}
	for _, lang := range []string{"en", "fr", "es"} {
		out, e, code := runCLI(t, env, "report", "--k", "1", "--internal", "--lang", lang)
		if code != 0 {
			t.Fatalf("report --lang %s: %s", lang, e)
		}
		whole("pipe, "+lang, out, longLabels(lang))
	}

	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pty:", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 60}); err != nil {
		t.Fatal(err)
	}
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() { io.Copy(&screen, ptmx); close(read) }()
	file := filepath.Join(dir, "report.txt")
	for _, args := range [][]string{{"--lang", "fr", "-o", file}, {"--lang", "es"}} {
		var errb bytes.Buffer
		code := cli.Execute(context.Background(), "test", append([]string{"report", "--k", "1", "--internal"}, args...),
			&cli.IO{In: strings.NewReader(""), Out: tty, Err: &errb, Getenv: func(k string) string { return env[k] }})
		if code != 0 {
			t.Fatalf("report %v: %s", args, errb.String())
		}
	}
	tty.Close()
	<-read
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	whole("-o file with a terminal on stdout", string(b), longLabels("fr"))
	shown := strings.ReplaceAll(screen.String(), "\r\n", "\n")
	if !strings.Contains(shown, "…") {
		t.Errorf("on a 60-column terminal, no long label is cut:\n%s", shown)
	}
	for _, line := range strings.Split(shown, "\n") {
		if strings.HasPrefix(line, "[") && !regexp.MustCompile(`^\[[a-z0-9_]+\]`).MatchString(line) {
			t.Errorf("on a 60-column terminal, the cut lost a question's ID: %q", line)
		}
		if strings.Contains(line, "…") && utf8.RuneCountInString(line) > 60 {
			t.Errorf("on a 60-column terminal, a cut line of %d: %q", utf8.RuneCountInString(line), line)
		}
	}
}
