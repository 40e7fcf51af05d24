//go:build faults

package faults

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
)

const (
	pass      = "faults-test-pass"
	helperEnv = "FIELDSCREEN_FAULTS_HELPER"
	cmdLimit  = 60 * time.Second // no single command may take longer: a hang is a failure
)

var (
	bin      string // the fieldscreen binary built by TestMain
	seedFlag = flag.Uint64("seed", 0, "seed for random kill moments, pages and truncations (0: from the clock)")
	seed     uint64
	repoRoot = filepath.Join("..", "..")
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(runHelper())
	}
	flag.Parse()
	seed = *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	fmt.Printf("faults: seed %d (replay with -seed %d)\n", seed, seed)
	dir, err := os.MkdirTemp("", "faults")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "fieldscreen")
	build := exec.Command("go", "build", "-o", bin, "./cmd/fieldscreen")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "cannot build cmd/fieldscreen: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runHelper makes the test binary a second process that holds the store
// file's lock the way a fieldscreen transaction does, until stdin closes.
func runHelper() int {
	db, err := bbolt.Open(os.Getenv("FIELDSCREEN_DB"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	db.Close()
	return 0
}

// rng returns a generator for one test, derived from the run's seed.
func rng(t *testing.T) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	t.Logf("seed %d", seed)
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

func example(name string) string {
	p, err := filepath.Abs(filepath.Join(repoRoot, "testdata", "examples", name))
	if err != nil {
		panic(err)
	}
	return p
}

var examples = []string{"trafficked-abroad.yaml", "in-origin-country.yaml", "no-consent.yaml"}

// env is the environment of fieldscreen for a store at db.
func env(db string) []string {
	return append(os.Environ(), "FIELDSCREEN_DB="+db, "FIELDSCREEN_PASSPHRASE="+pass, "NO_COLOR=1")
}

// result is what one run of the binary did.
type result struct {
	args           []string
	stdout, stderr string
	code           int  // exit code; 128+signal when killed
	killed         bool // ended by our SIGKILL
	dur            time.Duration
	ackAt          time.Duration // when ackToken first appeared on stderr or stdout; 0 if never
}

func (r *result) String() string {
	return fmt.Sprintf("fieldscreen %s: exit %d after %v\nstdout:\n%s\nstderr:\n%s",
		strings.Join(r.args, " "), r.code, r.dur.Round(time.Millisecond), r.stdout, r.stderr)
}

// stamped records when a token first appears in what is written to it.
type stamped struct {
	mu    *sync.Mutex
	buf   bytes.Buffer
	token string
	start time.Time
	at    *time.Duration
}

func (s *stamped) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	if *s.at == 0 && s.token != "" && bytes.Contains(s.buf.Bytes(), []byte(s.token)) {
		*s.at = time.Since(s.start)
	}
	return len(p), nil
}

// run runs fieldscreen with args on the store at db. With killAfter > 0 it
// sends SIGKILL after that long (if the process still runs). ackToken marks
// the output line that tells the user the work is saved.
func run(t *testing.T, db string, killAfter time.Duration, ackToken string, args ...string) *result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env(db)
	cmd.Dir = t.TempDir()
	r := &result{args: args}
	var mu sync.Mutex
	start := time.Now()
	out := &stamped{mu: &mu, token: ackToken, start: start, at: &r.ackAt}
	errw := &stamped{mu: &mu, token: ackToken, start: start, at: &r.ackAt}
	cmd.Stdout, cmd.Stderr = out, errw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var killTimer *time.Timer
	if killAfter > 0 {
		killTimer = time.AfterFunc(killAfter, func() { cmd.Process.Signal(syscall.SIGKILL) })
	}
	hang := time.AfterFunc(cmdLimit, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	r.dur = time.Since(start)
	hang.Stop()
	if killTimer != nil {
		killTimer.Stop()
	}
	if r.dur >= cmdLimit {
		t.Fatalf("fieldscreen %s hung for %v", strings.Join(args, " "), cmdLimit)
	}
	mu.Lock()
	r.stdout, r.stderr = out.buf.String(), errw.buf.String()
	mu.Unlock()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		ws := ee.Sys().(syscall.WaitStatus)
		if ws.Signaled() {
			r.code = 128 + int(ws.Signal())
			r.killed = ws.Signal() == syscall.SIGKILL
		} else {
			r.code = ee.ExitCode()
		}
	default:
		t.Fatal(err)
	}
	noPanic(t, r)
	return r
}

// mustRun runs a command that must succeed.
func mustRun(t *testing.T, db string, args ...string) *result {
	t.Helper()
	r := run(t, db, 0, "", args...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	return r
}

// noPanic fails on a Go panic or runtime trace in a command's output.
func noPanic(t *testing.T, r *result) {
	t.Helper()
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.Contains(s, "panic:") || strings.Contains(s, "goroutine ") || strings.Contains(s, "runtime error") ||
			strings.Contains(s, "fatal error:") {
			t.Fatalf("panic or stack trace:\n%v", r)
		}
	}
}

// clearFailure checks that a failed command explains itself in the house
// voice: a "fieldscreen: " line, no Go internals.
func clearFailure(t *testing.T, r *result) {
	t.Helper()
	if r.code == 0 {
		return
	}
	if !strings.Contains(r.stderr, "fieldscreen: ") {
		t.Fatalf("failure without a message:\n%v", r)
	}
}

// check runs the real `fieldscreen check`, which must pass.
func check(t *testing.T, db string) {
	t.Helper()
	r := run(t, db, 0, "", "check")
	if r.code != 0 || !strings.Contains(r.stdout, ": ok") {
		t.Fatalf("check after fault: %v", r)
	}
}

var (
	savedRe = regexp.MustCompile(`Saved interview ([0-9a-f-]{36})`)
	idRe    = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

// recordOne saves one interview from an answers file and returns its ID.
func recordOne(t *testing.T, db, answers string) string {
	t.Helper()
	r := mustRun(t, db, "interview", "--answers", example(answers))
	m := savedRe.FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("no saved interview: %v", r)
	}
	return m[1]
}

// openStore unlocks the store in this process, once, so that verifying it
// after each fault costs milliseconds, not a key derivation. The Store
// opens the file anew for every operation, so files copied or renamed over
// its path are read fresh.
func openStore(t *testing.T, db string) *store.Store {
	t.Helper()
	s, err := store.Open(db, []byte(pass))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ids(t *testing.T, s *store.Store) map[string]record.Entry {
	t.Helper()
	es, err := s.List("")
	if err != nil {
		t.Fatalf("list after fault: %v", err)
	}
	m := make(map[string]record.Entry, len(es))
	for _, e := range es {
		m[e.ID] = e
	}
	return m
}

// replaceFile puts content at path as a new file (the old one may be
// renamed or unlinked by the command under test).
func replaceFile(t *testing.T, path string, content []byte) {
	t.Helper()
	os.Remove(path)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
}

// killWindow picks when to kill: mostly just around the moment the work is
// saved (ack, measured beforehand), sometimes anywhere in the command.
func killWindow(r *rand.Rand, ack, total time.Duration) time.Duration {
	if r.IntN(10) < 7 {
		lo := max(ack-90*time.Millisecond, time.Millisecond)
		return lo + time.Duration(r.Int64N(int64(100*time.Millisecond)))
	}
	return time.Millisecond + time.Duration(r.Int64N(int64(total)))
}

// learn steers the estimate of when the work is saved: later after a kill
// that came before any acknowledgement, earlier after a run that finished
// first. It settles where half the kills land before the save and half
// after, whatever the machine's speed and load.
func learn(ack *time.Duration, r *result) {
	switch {
	case !r.killed:
		*ack -= 15 * time.Millisecond
	case r.ackAt == 0:
		*ack += 15 * time.Millisecond
	}
	*ack = max(*ack, 20*time.Millisecond)
}

// measure runs a command n times unkilled (prepare resets the state
// before each) and returns the median ack time and total time.
func measure(t *testing.T, n int, prepare func(), do func() *result) (ack, total time.Duration) {
	t.Helper()
	var acks, totals []time.Duration
	for range n {
		prepare()
		r := do()
		if r.code != 0 || r.ackAt == 0 {
			t.Fatalf("warm-up run: %v", r)
		}
		acks = append(acks, r.ackAt)
		totals = append(totals, r.dur)
	}
	med := func(d []time.Duration) time.Duration {
		d = append([]time.Duration{}, d...)
		for i := range d {
			for j := i + 1; j < len(d); j++ {
				if d[j] < d[i] {
					d[i], d[j] = d[j], d[i]
				}
			}
		}
		return d[len(d)/2]
	}
	ack, total = med(acks), med(totals)
	t.Logf("unkilled: saved after %v, exit after %v", ack.Round(time.Millisecond), total.Round(time.Millisecond))
	return ack, total
}

// tally counts how kills landed.
type tally struct{ before, afterAck, finished int }

func (c *tally) add(r *result, acked bool) {
	switch {
	case !r.killed:
		c.finished++
	case acked:
		c.afterAck++
	default:
		c.before++
	}
}

func (c tally) String() string {
	return fmt.Sprintf("killed before the save was acknowledged %d, killed after %d, finished first %d", c.before, c.afterAck, c.finished)
}

func iterations(t *testing.T, n int) int {
	if testing.Short() {
		return max(n/10, 3)
	}
	return n
}
