//go:build faults

package faults

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuf is a buffer one goroutine writes while the test reads it.
type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, what string, buf *syncBuf, token string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !strings.Contains(buf.String(), token) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s (%q) after %v:\n%s", what, token, limit, buf.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLiveInterviewWaitsForStore: a live interview used to abort (exit 4,
// "in use") when another process held the store for more than a second,
// losing the answer on screen. Now the answer's save waits, says so on
// stderr, and is saved once the store is free; a one-shot command still
// fails fast (TestTwoWritersHelper).
func TestLiveInterviewWaitsForStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	recordOne(t, db, examples[2]) // the store exists; the interview opens it

	cmd := exec.Command(bin, "interview", "--accessible")
	cmd.Env = env(db)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out, errb syncBuf
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitFor(t, "section intro", &out, "Press Enter to continue", 20*time.Second)
	io.WriteString(stdin, "\n")
	waitFor(t, "consent question", &out, "Type a number", 20*time.Second)

	// Another process takes the store, as a long compaction would.
	h := exec.Command(os.Args[0], "-test.run=^$")
	h.Env = append(env(db), helperEnv+"=hold")
	hin, _ := h.StdinPipe()
	hout, _ := h.StdoutPipe()
	if err := h.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { hin.Close(); h.Wait() }()
	if sc := bufio.NewScanner(hout); !sc.Scan() || sc.Text() != "locked" {
		t.Fatalf("helper did not lock the store: %q", sc.Text())
	}

	io.WriteString(stdin, "1\n") // consent: yes
	waitFor(t, "waiting message", &errb, "waiting for the store, held by another fieldscreen process", 10*time.Second)
	time.Sleep(2500 * time.Millisecond) // well past the one-second limit of one-shot commands
	if strings.Contains(out.String(), "Saved:") {
		t.Fatalf("saved while the store was held:\n%s", out.String())
	}
	hin.Close()
	h.Wait()
	waitFor(t, "saved answer", &out, "Saved:", 20*time.Second)

	stdin.Close() // end of input: the interview pauses
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(cmdLimit):
		t.Fatal("the interview did not end")
	}
	if strings.Contains(errb.String(), "in use by another fieldscreen process") {
		t.Fatalf("the interview gave up:\n%s", errb.String())
	}

	s := openStore(t, db)
	n := 0
	for id, e := range ids(t, s) {
		if e.Status != "draft" {
			continue
		}
		n++
		iv, err := s.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if iv.Consent == nil || !iv.Consent.Given {
			t.Fatalf("the consent given while the store was held is not saved")
		}
	}
	if n != 1 {
		t.Fatalf("%d drafts, want the interview's", n)
	}
}
