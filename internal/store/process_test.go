package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// The test binary doubles as a second fieldscreen process.
const helperEnv = "FIELDSCREEN_STORE_TEST_HELPER"

func runHelper() int {
	path := os.Getenv("FIELDSCREEN_STORE_TEST_PATH")
	switch os.Getenv(helperEnv) {
	case "hold":
		// Hold the file the way a careless writer would, until told to stop.
		db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		fmt.Println("locked")
		io.Copy(io.Discard, os.Stdin)
		db.Close()
		return 0
	case "save":
		s, err := Open(path, testPass)
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		id := os.Getenv("FIELDSCREEN_STORE_TEST_ID")
		for i := 0; ; i++ {
			_, err := s.Update(id, func(iv *record.Interview) error {
				setAnswer(iv, fmt.Sprintf("q%d", i), i, time.Now(), "")
				return nil
			})
			if err != nil {
				fmt.Println("error:", err)
				return 1
			}
			fmt.Println("ack", i)
		}
	}
	return 2
}

func helper(t *testing.T, mode, path string, extraEnv ...string) (*exec.Cmd, io.WriteCloser, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, "FIELDSCREEN_STORE_TEST_PATH="+path)
	cmd.Env = append(cmd.Env, extraEnv...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd, stdin, bufio.NewScanner(stdout)
}

func TestInUseByAnotherProcess(t *testing.T) {
	s := newTestStore(t)
	iv := sampleInterview(t, 3)
	if err := s.Put(iv); err != nil {
		t.Fatal(err)
	}
	_, stdin, out := helper(t, "hold", s.Path())
	if !out.Scan() || out.Text() != "locked" {
		t.Fatalf("helper did not lock the store: %q", out.Text())
	}

	for _, op := range []struct {
		name string
		run  func() error
	}{
		{"put", func() error { return s.Put(iv) }},
		{"get", func() error { _, err := s.Get(iv.ID); return err }},
		{"open", func() error { _, err := Open(s.Path(), testPass); return err }},
	} {
		start := time.Now()
		err := op.run()
		if !errors.Is(err, ErrInUse) {
			t.Fatalf("%s: got %v, want ErrInUse", op.name, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %v to report the store in use", op.name, d)
		}
		if !strings.Contains(err.Error(), "in use by another fieldscreen process") || strings.Contains(err.Error(), "timeout") {
			t.Errorf("%s: unclear message %q", op.name, err)
		}
	}

	stdin.Close() // the other process lets go
	time.Sleep(100 * time.Millisecond)
	if err := s.Put(iv); err != nil {
		t.Fatalf("after release: %v", err)
	}
}

// TestKilledWriterLosesNothing kills a process that is saving answers and
// checks that every answer it acknowledged is in the store.
func TestKilledWriterLosesNothing(t *testing.T) {
	s := newTestStore(t)
	iv := sampleInterview(t, 1)
	if err := s.Put(iv); err != nil {
		t.Fatal(err)
	}
	cmd, _, out := helper(t, "save", s.Path(), "FIELDSCREEN_STORE_TEST_ID="+iv.ID)
	last := -1
	for out.Scan() {
		var n int
		if _, err := fmt.Sscanf(out.Text(), "ack %d", &n); err != nil {
			t.Fatalf("helper: %s", out.Text())
		}
		last = n
		if n == 30 {
			cmd.Process.Kill()
			break
		}
	}
	cmd.Wait()
	got, err := s.Get(iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= last; i++ {
		if a, ok := got.Answer(fmt.Sprintf("q%d", i)); !ok || a.Value != i {
			t.Fatalf("acknowledged answer %d lost", i)
		}
	}
	if probs := s.Check(); len(probs) != 0 {
		t.Fatalf("check after kill: %v", probs)
	}
}

// TestInUseSameProcess holds the file through a second bbolt handle in
// this process (flock is per open file, so it conflicts like a process).
func TestInUseSameProcess(t *testing.T) {
	s := newTestStore(t)
	db, err := bbolt.Open(s.Path(), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = s.Put(sampleInterview(t, 1))
	db.Close()
	if !errors.Is(err, ErrInUse) || time.Since(start) > 2*time.Second {
		t.Fatalf("got %v after %v, want ErrInUse within 2s", err, time.Since(start))
	}
	if err := s.Put(sampleInterview(t, 1)); err != nil {
		t.Fatalf("after release: %v", err)
	}
}
