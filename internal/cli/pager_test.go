package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// TestPager: on a terminal, show and score go through $FIELDSCREEN_PAGER,
// else $PAGER, else less, with LESS=FRX as git sets it; --no-pager, "cat"
// and output that is not a terminal print straight out; a pager quit
// before the end is no error.
func TestPager(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a shell script as the pager")
	}
	dir := t.TempDir()
	answers := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(answers, []byte("answers:\n  consent: \"yes\"\n  fears_return: \"yes\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	paged := filepath.Join(dir, "paged.txt")
	script := filepath.Join(dir, "pager.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho \"LESS=$LESS $*\" > "+paged+".env\ncat > "+paged+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	quitter := filepath.Join(dir, "quit.sh") // reads nothing, as when q is pressed at once
	if err := os.WriteFile(quitter, []byte("#!/bin/sh\ntouch "+paged+".quit\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, terminal bool, env map[string]string, args ...string) (int, string) {
		t.Helper()
		os.Remove(paged)
		os.Remove(paged + ".env")
		var out io.Writer = new(strings.Builder)
		if terminal {
			ptmx, tty, err := pty.Open()
			if err != nil {
				t.Skip("no pty:", err)
			}
			defer ptmx.Close()
			defer tty.Close()
			go io.Copy(io.Discard, ptmx)
			out = tty
		}
		var errb strings.Builder
		getenv := func(k string) string { return env[k] }
		code := Execute(context.Background(), "test", args, &IO{In: strings.NewReader(""), Out: out, Err: &errb, Getenv: getenv})
		return code, errb.String()
	}
	pagedText := func() string {
		b, _ := os.ReadFile(paged)
		return string(b)
	}
	score := []string{"score", "--answers", answers}

	t.Run("PAGER on a terminal", func(t *testing.T) {
		code, errs := run(t, true, map[string]string{"PAGER": script + " -x"}, score...)
		if code != 0 || !strings.Contains(pagedText(), "screening aid for referral") {
			t.Fatalf("exit %d, paged %q\n%s", code, pagedText(), errs)
		}
		env, _ := os.ReadFile(paged + ".env")
		if !strings.Contains(string(env), "-x") || (os.Getenv("LESS") == "" && !strings.Contains(string(env), "LESS=FRX")) {
			t.Errorf("pager arguments and environment: %s", env)
		}
	})
	t.Run("FIELDSCREEN_PAGER wins", func(t *testing.T) {
		code, _ := run(t, true, map[string]string{"FIELDSCREEN_PAGER": script, "PAGER": "/nonexistent/pager"}, score...)
		if code != 0 || pagedText() == "" {
			t.Fatalf("exit %d, nothing paged", code)
		}
	})
	t.Run("show pages too", func(t *testing.T) {
		db := filepath.Join(dir, "s.db")
		env := map[string]string{"FIELDSCREEN_DB": db, "FIELDSCREEN_PASSPHRASE": "pager test passphrase", "FIELDSCREEN_CONFIG": db + ".yaml"}
		var out, errb strings.Builder
		getenv := func(k string) string { return env[k] }
		if code := Execute(context.Background(), "test", []string{"interview", "--answers", answers, "--format", "json"}, &IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: getenv}); code != 0 {
			t.Fatalf("interview: %d\n%s", code, errb.String())
		}
		id := shortID(strings.Split(strings.Split(out.String(), `"interview_id": "`)[1], `"`)[0])
		env["PAGER"] = script
		code, errs := run(t, true, env, "show", id)
		if code != 0 || !strings.Contains(pagedText(), "Audit trail") {
			t.Fatalf("exit %d, paged %q\n%s", code, pagedText(), errs)
		}
	})
	for _, tc := range []struct {
		name     string
		terminal bool
		env      map[string]string
		args     []string
	}{
		{"--no-pager", true, map[string]string{"PAGER": script}, append([]string{"--no-pager"}, score...)},
		{"PAGER=cat", true, map[string]string{"PAGER": "cat"}, score},
		{"not a terminal", false, map[string]string{"PAGER": script}, score},
		{"no such pager", true, map[string]string{"PAGER": "/nonexistent/pager"}, score},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, errs := run(t, tc.terminal, tc.env, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, errs)
			}
			if _, err := os.Stat(paged); err == nil {
				t.Errorf("the pager ran")
			}
		})
	}
	t.Run("pager quit before the end", func(t *testing.T) {
		args := []string{"score"}
		for range 60 { // far more than a pipe holds
			args = append(args, "--answers", answers)
		}
		code, errs := run(t, true, map[string]string{"PAGER": quitter}, args...)
		if code != 0 || errs != "" {
			t.Fatalf("exit %d\n%s", code, errs)
		}
		if _, err := os.Stat(paged + ".quit"); err != nil {
			t.Error("the pager did not run")
		}
	})
}
