package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"
)

const testRecipient = "age1tym9m5nw32er7r75fah03h40t9kzuapkerdsa89plju64wxxafms2836se"

// runInTerminal runs fieldscreen with stdin (and, with outTTY, stdout) on
// a pseudo-terminal, typing typed; it returns the exit code and stderr.
func runInTerminal(t *testing.T, db, typed string, outTTY bool, args ...string) (int, string) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pty:", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	go io.Copy(io.Discard, ptmx)
	if _, err := ptmx.Write([]byte(typed)); err != nil {
		t.Fatal(err)
	}
	var out io.Writer = new(strings.Builder)
	if outTTY {
		out = tty
	}
	var errb strings.Builder
	env := map[string]string{"FIELDSCREEN_DB": db, "FIELDSCREEN_PASSPHRASE": "purge test passphrase", "NO_COLOR": "1", "FIELDSCREEN_CONFIG": db + ".config.yaml"}
	code := Execute(context.Background(), "test", args, &IO{In: tty, Out: out, Err: &errb, Getenv: func(k string) string { return env[k] }})
	return code, errb.String()
}

// TestPurgeAfterExportAsks: in a terminal, --purge-after-export shows how
// many interviews and to whom the bundle is encrypted, and erases only on
// a yes.
func TestPurgeAfterExportAsks(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	answers := filepath.Join(dir, "nc.yaml")
	if err := os.WriteFile(answers, []byte("answers:\n  consent: \"no\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if code, _, errs := runCLI(t, db, "interview", "--answers", answers); code != 0 {
			t.Fatal(errs)
		}
	}
	export := func(name string) []string {
		return []string{"export", "--all", "-o", filepath.Join(dir, name), "--purpose", "handover", "-r", testRecipient, "--purge-after-export"}
	}
	code, errs := runInTerminal(t, db, "n\n", false, export("a.age")...)
	if code != 0 || !strings.Contains(errs, "a.age is encrypted to 1 recipient(s):\n  "+testRecipient+"\n") ||
		!strings.Contains(errs, "Erase the 2 interview(s) it holds from this computer? Do this only once the caseworker has confirmed the import. [y/N]") ||
		!strings.Contains(errs, "Nothing was erased") {
		t.Fatalf("answered no: exit %d\n%s", code, errs)
	}
	if _, out, _ := runCLI(t, db, "list", "--format", "json"); strings.Count(out, `"interview_id"`) != 2 {
		t.Fatalf("a no erased something:\n%s", out)
	}
	code, errs = runInTerminal(t, db, "y\n", false, export("b.age")...)
	if code != 0 || !strings.Contains(errs, "Erased 2 interview(s) from this computer") {
		t.Fatalf("answered yes: exit %d\n%s", code, errs)
	}
	if _, out, _ := runCLI(t, db, "list", "--format", "json"); strings.Contains(out, `"interview_id"`) {
		t.Fatalf("a yes erased nothing:\n%s", out)
	}
}

// TestExportBinaryToTerminalRefused: -o - does not pour an encrypted
// (binary) bundle onto the screen; --armor is text and goes.
func TestExportBinaryToTerminalRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	answers := filepath.Join(dir, "nc.yaml")
	if err := os.WriteFile(answers, []byte("answers:\n  consent: \"no\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, db, "interview", "--answers", answers); code != 0 {
		t.Fatal(errs)
	}
	sig := filepath.Join(dir, "bundle.minisig")
	code, errs := runInTerminal(t, db, "", true, "export", "--all", "-o", "-", "--signature", sig, "--purpose", "p", "-r", testRecipient)
	if code != ExitUsage || !strings.Contains(errs, "refusing to write an encrypted bundle (binary) to the terminal") {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	code, errs = runInTerminal(t, db, "", true, "export", "--all", "-o", "-", "--signature", sig, "--purpose", "p", "-r", testRecipient, "--armor")
	if code != 0 {
		t.Fatalf("armored: exit %d\n%s", code, errs)
	}
}
