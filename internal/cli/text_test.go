package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefuseLatin1Flags: a name typed in a Latin-1 terminal used to be
// kept as bytes no bundle can carry. Text flags and settings that are not
// UTF-8 are refused before anything is saved, naming the flag or setting
// (never the value) and the way out.
func TestRefuseLatin1Flags(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	answers := filepath.Join(dir, "nc.yaml")
	if err := os.WriteFile(answers, []byte("answers:\n  consent: \"no\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"interview", "--answers", answers, "--interviewer", "Jos\xe9"},
		{"interview", "--answers", answers, "--location", "Bogot\xe1"},
	} {
		code, out, errs := runCLI(t, db, args...)
		flag := args[3]
		if code != ExitUsage || !strings.Contains(errs, flag+" is not valid UTF-8") || !strings.Contains(errs, "LANG=C.UTF-8") ||
			strings.ContainsAny(errs+out, "\xe9\xe1") {
			t.Fatalf("%s: exit %d\n%s%s", flag, code, out, errs)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("a store was created for a refused interview")
	}
	code, out, errs := runCLI(t, db, "interview", "--answers", answers, "--interviewer", "José")
	if code != 0 {
		t.Fatalf("a UTF-8 name: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, db, "export", "--all", "-o", filepath.Join(dir, "b.json"), "--purpose", "r\xe9f\xe9rence", "--plaintext")
	if code != ExitUsage || !strings.Contains(errs, "--purpose is not valid UTF-8") {
		t.Fatalf("export --purpose: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, db, "config", "set", "interviewer", "Jos\xe9")
	if code == 0 || !strings.Contains(errs, "interviewer is not valid UTF-8") || strings.Contains(errs, "\xe9") {
		t.Fatalf("config set: exit %d\n%s%s", code, out, errs)
	}
}

// TestPurgeAfterCSVRefused: a CSV file is no bundle to erase after.
func TestPurgeAfterCSVRefused(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runCLI(t, filepath.Join(dir, "s.db"), "export", "--all", "--format", "csv", "-o", filepath.Join(dir, "x.csv"),
		"--purpose", "stats", "--plaintext", "--purge-after-export")
	if code != ExitUsage || !strings.Contains(errs, "--purge-after-export needs a bundle") {
		t.Fatalf("exit %d\n%s", code, errs)
	}
}
