//go:build faults

package faults

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// secondWriter runs a writing command while another process holds the
// store: it must fail within 2 s, with exit code 4 and the clear message.
func secondWriter(t *testing.T, db string, args ...string) {
	t.Helper()
	r := run(t, db, 0, "", args...)
	if r.code != 4 || !strings.Contains(r.stderr, "in use by another fieldscreen process") ||
		!strings.Contains(r.stderr, "hint: ") || strings.Contains(r.stderr, "timeout") {
		t.Fatalf("second writer: want exit 4 and a clear message:\n%v", r)
	}
	if r.dur > 2*time.Second {
		t.Fatalf("second writer took %v to fail, want under 2s", r.dur)
	}
	t.Logf("%s: exit 4 after %v", args[0], r.dur.Round(time.Millisecond))
}

// TestTwoWritersHelper holds the store's lock from another process, as a
// fieldscreen transaction does, and runs writers against it.
func TestTwoWritersHelper(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	id := recordOne(t, db, examples[0])
	bundle := filepath.Join(dir, "b.json")
	mustRun(t, db, "export", id, "-o", bundle, "--purpose", "fault test", "--plaintext")
	before, _ := os.ReadFile(db)

	h := exec.Command(os.Args[0], "-test.run=^$")
	h.Env = append(env(db), helperEnv+"=hold")
	stdin, _ := h.StdinPipe()
	stdout, _ := h.StdoutPipe()
	if err := h.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); h.Wait() }()
	if sc := bufio.NewScanner(stdout); !sc.Scan() || sc.Text() != "locked" {
		t.Fatalf("helper did not lock the store: %q", sc.Text())
	}
	secondWriter(t, db, "interview", "--answers", example(examples[1]))
	secondWriter(t, db, "delete", id, "--yes")
	secondWriter(t, db, "import", bundle, "--accept-untrusted")
	if now, _ := os.ReadFile(db); !bytes.Equal(now, before) {
		t.Fatal("a refused writer changed the store")
	}
	stdin.Close()
	h.Wait()
	recordOne(t, db, examples[1])
	check(t, db)
}

// TestTwoWritersReal stops a real fieldscreen delete while it holds the
// store's lock (seen in /proc/locks) and runs a second real writer.
func TestTwoWritersReal(t *testing.T) {
	if _, err := os.Stat("/proc/locks"); err != nil {
		t.Skip("no /proc/locks to see when the first process holds the store")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	var all []string
	for i := range 6 {
		all = append(all, recordOne(t, db, examples[i%len(examples)]))
	}
	base, _ := os.ReadFile(db)
	for attempt := 0; attempt < 40; attempt++ {
		replaceFile(t, db, base)
		fi, err := os.Stat(db)
		if err != nil {
			t.Fatal(err)
		}
		ino := fi.Sys().(*syscall.Stat_t).Ino
		first := exec.Command(bin, "delete", all[attempt%len(all)], "--yes")
		first.Env = env(db)
		if err := first.Start(); err != nil {
			t.Fatal(err)
		}
		pid := first.Process.Pid
		stopped := false
		for {
			if holds(pid, ino) {
				syscall.Kill(pid, syscall.SIGSTOP)
				// Stopped mid-transaction only if it still holds the lock,
				// on the file still at the store's path: after a
				// compaction's rename it holds the old file's lock a
				// moment longer (while it overwrites it), and the store
				// is free.
				stopped = holds(pid, ino) && sameInode(db, ino)
				if !stopped {
					syscall.Kill(pid, syscall.SIGCONT)
				}
				break
			}
			var ws syscall.WaitStatus
			if p, _ := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil); p == pid {
				break // finished before we saw it hold the file
			}
		}
		if !stopped {
			first.Wait()
			continue
		}
		t.Logf("attempt %d: first process stopped while holding the store", attempt)
		secondWriter(t, db, "interview", "--answers", example(examples[1]))
		syscall.Kill(pid, syscall.SIGCONT)
		if err := first.Wait(); err != nil {
			t.Fatalf("the first process failed after it was resumed: %v", err)
		}
		check(t, db)
		return
	}
	t.Skip("never caught the first process holding the store in 40 attempts")
}

// sameInode reports whether path still names inode ino.
func sameInode(path string, ino uint64) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Sys().(*syscall.Stat_t).Ino == ino
}

// holds reports whether process pid holds a lock on inode ino.
func holds(pid int, ino uint64) bool {
	b, err := os.ReadFile("/proc/locks")
	if err != nil {
		return false
	}
	// 1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF
	p, suffix := fmt.Sprintf(" %d ", pid), fmt.Sprintf(":%d ", ino)
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, p) && strings.Contains(l, suffix) {
			return true
		}
	}
	return false
}
