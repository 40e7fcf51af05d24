//go:build faults

package faults

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"fieldscreen/internal/record"
)

// tinyDisk mounts a 1 MiB tmpfs and returns its folder. It skips when that
// is not possible (not root, no mount).
func tinyDisk(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("full-disk tests mount a tmpfs and need root; CI runs them as root")
	}
	dir := filepath.Join(t.TempDir(), "disk")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s); skipping the full-disk test", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

func freeBytes(t *testing.T, dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * st.Bsize
}

// fill writes a filler file leaving about leave bytes free (0: none).
func fill(t *testing.T, dir string, leave int64) string {
	t.Helper()
	name := filepath.Join(dir, "filler")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for freeBytes(t, dir) > leave {
		if _, err := f.Write(chunk); err != nil {
			break // ENOSPC: full
		}
	}
	return name
}

// fullDiskMessage checks the failure says the disk is full and what to do.
func fullDiskMessage(t *testing.T, r *result) {
	t.Helper()
	if r.code == 0 || r.killed {
		t.Fatalf("want a failure: %v", r)
	}
	clearFailure(t, r)
	if !strings.Contains(r.stderr, "no space left on device") || !strings.Contains(r.stderr, "hint: ") ||
		!strings.Contains(strings.ToLower(r.stderr), "free some space") {
		t.Fatalf("message does not name the full disk and a way out:\n%v", r)
	}
}

// TestFullDisk records interviews into a store on a tiny disk until the
// disk is full.
func TestFullDisk(t *testing.T) {
	dir := tinyDisk(t)
	db := filepath.Join(dir, "s.db")
	saved := []string{recordOne(t, db, examples[0])}
	// Leave room for a few more interviews only, so filling takes seconds.
	filler := fill(t, dir, 96<<10)
	var failed *result
	for i := 0; i < 100 && failed == nil; i++ {
		r := run(t, db, 0, "", "interview", "--answers", example(examples[i%len(examples)]))
		if r.code != 0 {
			failed = r
			break
		}
		saved = append(saved, savedRe.FindStringSubmatch(r.stderr)[1])
	}
	if failed == nil {
		t.Fatal("100 interviews fit on the full disk")
	}
	t.Logf("disk full after %d interviews: %s", len(saved), strings.TrimSpace(failed.stderr))
	fullDiskMessage(t, failed)

	// Reading still works on the full disk, and nothing saved was lost.
	check(t, db)
	list := mustRun(t, db, "list", "--format", "json").stdout
	for _, id := range saved {
		if !strings.Contains(list, id) {
			t.Fatalf("interview %s lost when the disk filled", id)
		}
	}
	if n := len(idRe.FindAllString(list, -1)); n != len(saved) {
		t.Fatalf("%d interviews listed, %d saved: a failed save left something", n, len(saved))
	}
	// Another write on the full disk fails the same way, without harm, or,
	// when the failed attempt left free pages in the file that it fits in,
	// succeeds and is kept.
	r := run(t, db, 0, "", "interview", "--answers", example(examples[0]))
	if r.code == 0 && !r.killed {
		saved = append(saved, savedRe.FindStringSubmatch(r.stderr)[1])
		t.Logf("a second write fitted in the pages the failed one freed")
	} else {
		fullDiskMessage(t, r)
	}
	check(t, db)
	list = mustRun(t, db, "list", "--format", "json").stdout
	for _, id := range saved {
		if !strings.Contains(list, id) {
			t.Fatalf("interview %s lost on the full disk", id)
		}
	}
	// A delete needs no new space to erase (it overwrites the freed pages
	// in place); only compacting the file afterwards does, and that is
	// reported, not a failure. Or its transaction itself finds no room.
	r = run(t, db, 0, "", "delete", saved[0], "--yes")
	if r.code == 0 {
		if !strings.Contains(r.stderr, "fieldscreen compact") {
			t.Fatalf("delete on the full disk did not say the file was not compacted:\n%v", r)
		}
		saved = saved[1:]
	} else {
		fullDiskMessage(t, r)
	}
	t.Logf("delete on the full disk: %s", strings.TrimSpace(r.stderr))
	check(t, db)
	// The way out works: free space, and saving works again.
	os.Remove(filler)
	recordOne(t, db, examples[1])
	check(t, db)
}

// TestExportFullDisk exports to a full disk: the export fails clearly,
// leaves no partial file, and marks nothing exported.
func TestExportFullDisk(t *testing.T) {
	dir := tinyDisk(t)
	db := filepath.Join(t.TempDir(), "s.db")
	for i := range 3 {
		recordOne(t, db, examples[i%len(examples)])
	}
	fill(t, dir, 0)
	before, _ := os.ReadDir(dir)
	for _, args := range [][]string{
		{"export", "--all", "-o", filepath.Join(dir, "out.json"), "--purpose", "fault test", "--plaintext"},
		{"export", "--all", "-o", filepath.Join(dir, "out.csv"), "--format", "csv", "--purpose", "fault test", "--plaintext"},
		{"export", "--all", "-o", filepath.Join(dir, "out.age"), "--purpose", "fault test",
			"--recipient", "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"},
	} {
		r := run(t, db, 0, "", args...)
		fullDiskMessage(t, r)
		after, _ := os.ReadDir(dir)
		if len(after) != len(before) {
			var names []string
			for _, e := range after {
				names = append(names, e.Name())
			}
			t.Fatalf("export to a full disk left files: %v\n%v", names, r)
		}
	}
	s := openStore(t, db)
	for id, e := range ids(t, s) {
		if e.Status == record.StatusExported {
			t.Fatalf("interview %s marked exported by a failed export", id)
		}
	}
	check(t, db)
}
