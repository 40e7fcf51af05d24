//go:build faults

package faults

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestExportInterruptedLeavesNothing stops a plaintext export midway with
// SIGINT, SIGTERM and SIGHUP: no bundle and no temporary file may remain,
// since either would be personal data in the open.
func TestExportInterruptedLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	gen := exec.Command(bin, "dev", "generate", "--count", "20000", "--seed", "7")
	gen.Env = append(os.Environ(), "FIELDSCREEN_DB="+db, "FIELDSCREEN_PASSPHRASE="+pass)
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("dev generate: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		out := filepath.Join(dir, "out", sig.String())
		if err := os.MkdirAll(out, 0o700); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "export", "--all", "--plaintext", "--purpose", "test", "-o", filepath.Join(out, "bundle.json"))
		cmd.Env = append(os.Environ(), "FIELDSCREEN_DB="+db, "FIELDSCREEN_PASSPHRASE="+pass)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the temporary file exists (it may have no name),
		// then interrupt.
		deadline := time.Now().Add(30 * time.Second)
		for !writingIn(cmd.Process.Pid, out) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		cmd.Process.Signal(sig)
		cmd.Wait()
		left, _ := os.ReadDir(out)
		if len(left) > 0 {
			t.Errorf("%v during export left %d file(s) behind, e.g. %s", sig, len(left), left[0].Name())
		}
	}
}
