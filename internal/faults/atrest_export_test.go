//go:build faults

package faults

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// generate fills a new store at db with n synthetic interviews.
func generate(t *testing.T, db string, n int) {
	t.Helper()
	gen := exec.Command(bin, "dev", "generate", "--count", strconv.Itoa(n), "--seed", "7")
	gen.Env = env(db)
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("dev generate: %v\n%s", err, out)
	}
}

// writingIn reports whether process pid has a file open in dir (named or
// not: a nameless O_TMPFILE shows as "dir/#inode (deleted)").
func writingIn(pid int, dir string) bool {
	fds, _ := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	for _, fd := range fds {
		l, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/fd/" + fd.Name())
		if err == nil && strings.HasPrefix(l, dir+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// TestAtRestKillPlaintextExport kills plaintext exports with SIGKILL at
// random moments while they write. Afterwards the output folder holds
// nothing, or the whole bundle: never a temporary file, which would be
// personal data in the open that no one removes.
func TestAtRestKillPlaintextExport(t *testing.T) {
	r := rng(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	generate(t, db, 3000)
	out := filepath.Join(dir, "out")
	reset := func() {
		os.RemoveAll(out)
		if err := os.Mkdir(out, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"export", "--all", "--plaintext", "--purpose", "fault test", "-o", filepath.Join(out, "bundle.json")}
	_, total := measure(t, 2, reset, func() *result { return run(t, db, 0, "Bundle SHA-256", args...) })
	var killed, whole int
	for i := range iterations(t, 30) {
		reset()
		delay := time.Duration(r.Int64N(int64(total)))
		res := run(t, db, delay, "", args...)
		if !res.killed && res.code != 0 {
			t.Fatalf("export %d failed unkilled: %v", i, res)
		}
		if res.killed {
			killed++
		}
		left, _ := os.ReadDir(out)
		for _, e := range left {
			// The bundle's signature (not personal data) is written
			// whole after it, so it may be there too.
			if e.Name() == "bundle.json.minisig" {
				b, err := os.ReadFile(filepath.Join(out, e.Name()))
				if err != nil || !strings.Contains(string(b), "trusted comment: fieldscreen-bundle-1 ") {
					t.Fatalf("export %d killed after %v left a partial signature:\n%s", i, delay, b)
				}
				continue
			}
			if e.Name() != "bundle.json" {
				t.Fatalf("export %d killed after %v left %s in the output folder", i, delay, e.Name())
			}
			b, err := os.ReadFile(filepath.Join(out, e.Name()))
			if err != nil || !json.Valid(b) {
				t.Fatalf("export %d killed after %v left a partial bundle (%d bytes)", i, delay, len(b))
			}
			whole++
		}
		// The next start finds nothing to clean up either.
		mustRun(t, db, "list", "--format", "json")
		if left, _ := os.ReadDir(out); len(left) > 2 {
			t.Fatalf("export %d: %d files in the output folder", i, len(left))
		}
	}
	t.Logf("%d exports, %d killed while running, %d left a whole bundle (killed after it was complete or not killed)", iterations(t, 30), killed, whole)
}

// TestAtRestSignalAtExportStart interrupts plaintext exports the moment
// they open their output file: the signal handler is in place before the
// file exists, so nothing is left.
func TestAtRestSignalAtExportStart(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	generate(t, db, 3000)
	for i := range iterations(t, 10) {
		out := filepath.Join(dir, "out"+strconv.Itoa(i))
		if err := os.Mkdir(out, 0o700); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "export", "--all", "--plaintext", "--purpose", "test", "-o", filepath.Join(out, "bundle.json"))
		cmd.Env = env(db)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for !writingIn(cmd.Process.Pid, out) && time.Now().Before(deadline) {
			time.Sleep(200 * time.Microsecond)
		}
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if left, _ := os.ReadDir(out); len(left) > 0 {
			t.Fatalf("SIGTERM as the export began left %s", left[0].Name())
		}
	}
}
