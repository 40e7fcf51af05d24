//go:build faults

package faults

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/termtest"
)

const kills = 50

// TestKillInterviewAnswers records interviews from answers files with the
// real binary, killing each run at a random moment. Every interview a run
// reported saved must be there afterwards, complete, and check must pass.
func TestKillInterviewAnswers(t *testing.T) {
	r := rng(t)
	db := filepath.Join(t.TempDir(), "s.db")
	acked := map[string]bool{recordOne(t, db, examples[0]): true}
	s := openStore(t, db)
	do := func() *result {
		return run(t, db, 0, "Saved interview", "interview", "--answers", example(examples[r.IntN(len(examples))]))
	}
	ack, total := measure(t, 3, func() {}, do)
	var c tally
	start := time.Now()
	for i := range iterations(t, kills) {
		delay := killWindow(r, ack, total)
		res := run(t, db, delay, "Saved interview", "interview", "--answers", example(examples[i%len(examples)]))
		m := savedRe.FindStringSubmatch(res.stderr)
		if m != nil {
			acked[m[1]] = true
		} else if res.code == 0 {
			t.Fatalf("exit 0 without saying what was saved: %v", res)
		}
		if !res.killed {
			clearFailure(t, res)
			if res.code != 0 {
				t.Fatalf("run %d failed unkilled: %v", i, res)
			}
		}
		c.add(res, m != nil)
		learn(&ack, res)

		have := ids(t, s)
		for id := range acked {
			e, ok := have[id]
			if !ok {
				t.Fatalf("run %d (killed after %v): acknowledged interview %s lost", i, delay, id)
			}
			if e.Status != record.StatusCompleted {
				t.Fatalf("run %d: interview %s is %s, want completed", i, id, e.Status)
			}
		}
		for id, e := range have {
			// An unacknowledged save may have landed, but only whole.
			if !acked[id] && e.Status != record.StatusCompleted {
				t.Fatalf("run %d: half-saved interview %s (%s)", i, id, e.Status)
			}
		}
		check(t, db)
	}
	t.Logf("%d kills in %v: %v; %d interviews acknowledged", iterations(t, kills), time.Since(start).Round(time.Second), c, len(acked))
}

// TestKillImport imports a bundle of several interviews into a fresh copy
// of a store, killing the import at a random moment: afterwards the
// bundle is in whole or not at all.
func TestKillImport(t *testing.T) {
	r := rng(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	for i := range 8 {
		recordOne(t, src, examples[i%len(examples)])
	}
	bundle := filepath.Join(dir, "bundle.json")
	mustRun(t, src, "export", "--all", "-o", bundle, "--purpose", "fault test", "--plaintext")
	var bundleIDs []string
	for id := range ids(t, openStore(t, src)) {
		bundleIDs = append(bundleIDs, id)
	}

	db := filepath.Join(dir, "dst.db")
	own := []string{recordOne(t, db, examples[0]), recordOne(t, db, examples[1])}
	base, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t, db)
	reset := func() { replaceFile(t, db, base) }
	do := func() *result { return run(t, db, 0, "added ", "import", bundle, "--accept-untrusted") }
	ack, total := measure(t, 3, reset, do)
	var c tally
	var whole, none int
	start := time.Now()
	for i := range iterations(t, kills) {
		reset()
		delay := killWindow(r, ack, total)
		res := run(t, db, delay, "added ", "import", bundle, "--accept-untrusted")
		acked := strings.Contains(res.stdout, "added ") || res.code == 0
		if !res.killed && res.code != 0 {
			t.Fatalf("import %d failed unkilled: %v", i, res)
		}
		c.add(res, acked)
		learn(&ack, res)
		have := ids(t, s)
		for _, id := range own {
			if _, ok := have[id]; !ok {
				t.Fatalf("import %d: the store's own interview %s lost", i, id)
			}
		}
		n := 0
		for _, id := range bundleIDs {
			if _, ok := have[id]; ok {
				n++
			}
		}
		switch {
		case n == len(bundleIDs):
			whole++
		case n == 0 && !acked:
			none++
		case n == 0:
			t.Fatalf("import %d (killed after %v): acknowledged import lost\n%v", i, delay, res)
		default:
			t.Fatalf("import %d (killed after %v): half imported, %d of %d interviews\n%v", i, delay, n, len(bundleIDs), res)
		}
		check(t, db)
	}
	t.Logf("%d kills in %v: %v; bundle whole %d times, absent %d times",
		iterations(t, kills), time.Since(start).Round(time.Second), c, whole, none)
}

// TestKillDelete deletes an interview (a write, then a compaction that
// renames a new file over the store), killing it at a random moment.
func TestKillDelete(t *testing.T) {
	r := rng(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	var all []string
	for i := range 6 {
		all = append(all, recordOne(t, db, examples[i%len(examples)]))
	}
	base, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t, db)
	reset := func() {
		replaceFile(t, db, base)
		// A compaction killed before its rename leaves its new file
		// behind; the next compaction must erase it (checked below).
	}
	do := func() *result { return run(t, db, 0, "Erased ", "delete", all[0], "--yes") }
	ack, total := measure(t, 3, reset, do)
	var c tally
	var gone, kept, leftovers int
	start := time.Now()
	for i := range iterations(t, kills) {
		reset()
		victim := all[r.IntN(len(all))]
		delay := killWindow(r, ack, total)
		res := run(t, db, delay, "Erased ", "delete", victim, "--yes")
		acked := strings.Contains(res.stderr, "Erased ")
		if !res.killed && res.code != 0 {
			t.Fatalf("delete %d failed unkilled: %v", i, res)
		}
		c.add(res, acked)
		learn(&ack, res)
		have := ids(t, s)
		for _, id := range all {
			_, ok := have[id]
			switch {
			case id != victim && !ok:
				t.Fatalf("delete %d (killed after %v): interview %s lost, only %s was deleted", i, delay, id, victim)
			case id == victim && ok && acked:
				t.Fatalf("delete %d: %s reported erased but still there", i, id)
			case id == victim && ok:
				kept++
				if _, err := s.Get(id); err != nil {
					t.Fatalf("delete %d: half-deleted interview %s: %v", i, id, err)
				}
			case id == victim:
				gone++
			}
		}
		tmp, _ := filepath.Glob(filepath.Join(dir, ".*.compact-*"))
		settle(t, db)
		leftovers += len(tmp)
		if len(tmp) > 0 {
			// The next delete, not killed, must erase the copies a killed
			// compaction left, or deleted data would live on in them.
			reset()
			if res := run(t, db, 0, "Erased ", "delete", victim, "--yes"); res.code != 0 {
				t.Fatalf("delete after a killed compaction failed: %v", res)
			}
			if again, _ := filepath.Glob(filepath.Join(dir, ".*.compact-*")); len(again) > 0 {
				t.Fatalf("delete %d: copies left by a killed compaction survived the next delete: %v", i, again)
			}
		}
	}
	t.Logf("%d kills in %v: %v; interview erased %d times, kept whole %d times; %d temporary files left by killed compactions",
		iterations(t, kills), time.Since(start).Round(time.Second), c, gone, kept, leftovers)
}

// TestKillTerminalInterview runs the real interview in a pseudo-terminal
// and kills it at a random step. Every answer whose next question was on
// screen must be saved; the one being given may be saved or not, but not
// wrong; before the first answer, nothing is saved.
func TestKillTerminalInterview(t *testing.T) {
	r := rng(t)
	db := filepath.Join(t.TempDir(), "s.db")
	recordOne(t, db, examples[2])
	s := openStore(t, db)
	flow, err := filepath.Abs("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		screen string   // shown before the keys are sent
		keys   []string // sent one by one
		qid    string   // the answer saved by this step ("" for none)
		want   string   // fmt.Sprint of the saved value
	}
	steps := []step{
		{"Read this first.", []string{termtest.Enter}, "", ""},
		// Nothing is preselected: the first Down lands on the first option.
		{"Did you work abroad?", []string{termtest.Down, termtest.Enter}, "worked", "yes"},
		{"Were you paid?", []string{termtest.Down, termtest.Down, termtest.Down, termtest.Enter}, "paid", "never"},
		{"Hours a day?", []string{"8", termtest.Enter}, "hours", "8"},
		{"What help is needed?", []string{termtest.Down, termtest.Space, termtest.Enter}, "needs", "[medical]"},
		{"Interviewer's note", []string{"ok", termtest.Enter}, "name", "ok"},
		{"Review the answers", []string{termtest.Enter}, "", ""},
	}
	const wait = 15 * time.Second
	known := ids(t, s)
	type want struct {
		id        string
		answers   map[string]string
		completed bool
	}
	var saved []want
	var atStart, midway, completed int
	start := time.Now()
	env := []string{"FIELDSCREEN_DB=" + db, "FIELDSCREEN_PASSPHRASE=" + pass}
	for i := range iterations(t, kills) {
		killAt := r.IntN(len(steps) + 1) // len(steps): while starting up
		delay := time.Duration(r.Int64N(int64(60 * time.Millisecond)))
		term := termtest.Start(t, bin, []string{"interview", "--flow", flow}, env, 100, 32)
		acked := map[string]string{}
		var pending *step
		done := false
		if killAt == len(steps) {
			time.Sleep(time.Duration(r.Int64N(int64(500 * time.Millisecond))))
			atStart++
		} else {
			for k, st := range steps {
				term.WaitFor(st.screen, wait)
				if st.keys[0] == termtest.Enter {
					// a new screen ignores Enter for a moment (forms' enterGuard)
					time.Sleep(850 * time.Millisecond)
				}
				if k == killAt {
					term.Send(st.keys...)
					time.Sleep(delay)
					pending = &steps[k]
					break
				}
				term.Send(st.keys...)
				// The answer is acknowledged when the next screen is up
				// (the review repeats earlier labels, so look for both).
				next := "Screening summary"
				if k+1 < len(steps) {
					next = steps[k+1].screen
				}
				if !term.WaitForFunc(func(scr string) bool {
					return strings.Contains(scr, next) && (k+2 >= len(steps) || !strings.Contains(scr, st.screen))
				}, wait) {
					t.Fatalf("run %d: %q not shown after %q", i, next, st.screen)
				}
				done = k+1 == len(steps)
				if st.qid != "" {
					acked[st.qid] = st.want
				}
			}
			midway++
		}
		// Kill it unless it has ended by itself (completed); the window
		// between the look and the kill is microseconds.
		if c, _ := term.Wait(time.Millisecond); c == -1 {
			term.Signal(syscall.SIGKILL)
		}
		code, _ := term.Wait(wait)
		if code != 128+int(syscall.SIGKILL) && code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i, code, term.Screen())
		}
		if pending != nil && pending == &steps[len(steps)-1] && code == 0 {
			done = true
		}
		if out := term.Output(); strings.Contains(out, "panic:") || strings.Contains(out, "goroutine ") {
			t.Fatalf("run %d: panic on screen\n%s", i, out)
		}

		have := ids(t, s)
		var fresh []string
		for id := range have {
			if _, ok := known[id]; !ok {
				fresh = append(fresh, id)
			}
		}
		known = have
		if len(fresh) > 1 {
			t.Fatalf("run %d: %d new interviews from one run", i, len(fresh))
		}
		if len(fresh) == 0 {
			// An interview is stored with its first answer: killed before
			// one was acknowledged, it leaves nothing.
			if len(acked) > 0 {
				t.Fatalf("run %d (killed at step %d): answers acknowledged on screen, but no interview was saved", i, killAt)
			}
			continue
		}
		iv, err := s.Get(fresh[0])
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		if pending != nil && pending.qid != "" {
			if a, ok := iv.Answer(pending.qid); ok && fmt.Sprint(a.Value) != pending.want {
				t.Fatalf("run %d: answer being given when killed saved as %v, want %s or nothing", i, a.Value, pending.want)
			}
		}
		if done || iv.Status == record.StatusCompleted {
			completed++
		}
		if done && iv.Status != record.StatusCompleted {
			t.Fatalf("run %d: the summary was shown but the interview is %s", i, iv.Status)
		}
		saved = append(saved, want{fresh[0], acked, done})
		// Every interview of every earlier run still holds what it had.
		for _, w := range saved {
			iv, err := s.Get(w.id)
			if err != nil {
				t.Fatalf("run %d: interview %s: %v", i, w.id, err)
			}
			for q, v := range w.answers {
				if a, ok := iv.Answer(q); !ok || fmt.Sprint(a.Value) != v {
					t.Fatalf("run %d (killed at step %d after %v): acknowledged answer %s=%s lost (have %v, %v)",
						i, killAt, delay, q, v, a.Value, ok)
				}
			}
		}
		check(t, db)
	}
	t.Logf("%d kills in %v: %d while starting, %d mid-interview (%d reached completion)",
		iterations(t, kills), time.Since(start).Round(time.Second), atStart, midway, completed)
}
