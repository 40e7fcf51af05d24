//go:build faults

package faults

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestScoreInterruptedExits130 stops a long 'score --all' on a synthetic
// store with SIGINT, SIGTERM and SIGHUP once it has printed its first
// summaries: main turns the signal into a cancelled context, scoring stops
// at the next interview, and the process exits 130 with one line naming
// the signal, before the end, leaving no file in the temporary folder or
// beside the store, and a store the next command opens and checks whole.
func TestScoreInterruptedExits130(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "store", "s.db")
	if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
		t.Fatal(err)
	}
	const n = 20000
	generate(t, db, n)
	before, _ := os.ReadDir(filepath.Dir(db))
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		tmp := filepath.Join(dir, "tmp", sig.String())
		if err := os.MkdirAll(tmp, 0o700); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "score", "--all", "--format", "jsonl")
		cmd.Env = append(env(db), "TMPDIR="+tmp)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &syncWriter{w: &out}, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for cmd.Stdout.(*syncWriter).Len() == 0 && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		cmd.Process.Signal(sig)
		start := time.Now()
		err := cmd.Wait()
		took := time.Since(start)
		code := cmd.ProcessState.ExitCode()
		if code != 130 {
			t.Errorf("%v: exit %d (%v), want 130\n%s", sig, code, err, errb.String())
			continue
		}
		if took > 10*time.Second {
			t.Errorf("%v: took %v to stop", sig, took)
		}
		lines := strings.Count(cmd.Stdout.(*syncWriter).String(), "\n")
		if lines >= n {
			t.Errorf("%v: scored all %d interviews: the signal came too late to test anything", sig, lines)
		}
		msg := errb.String()
		if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "fieldscreen: stopped by ") {
			t.Errorf("%v: stderr %q, want one line 'fieldscreen: stopped by …'", sig, msg)
		}
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("%v: left %d file(s) in the temporary folder, e.g. %s", sig, len(left), left[0].Name())
		}
		if after, _ := os.ReadDir(filepath.Dir(db)); len(after) != len(before) {
			t.Errorf("%v: the store's folder held %d entries, now %d", sig, len(before), len(after))
		}
		t.Logf("%v: stopped after %d of %d summaries in %v", sig, lines, n, took)
	}
	mustRun(t, db, "check")
}

// syncWriter is a buffer the test reads while the command writes to it.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Len()
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}
