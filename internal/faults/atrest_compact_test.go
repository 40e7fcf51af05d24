//go:build faults

package faults

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// sealedRecords reads every value of the interviews bucket straight from
// the file, by key (hex).
func sealedRecords(t *testing.T, db string) map[string][]byte {
	t.Helper()
	b, err := bbolt.Open(db, 0o600, &bbolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	out := map[string][]byte{}
	b.View(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("interviews")).ForEach(func(k, v []byte) error {
			out[hex.EncodeToString(k)] = bytes.Clone(v)
			return nil
		})
	})
	return out
}

// traces names the files in dir (hidden ones too) that hold a 32-byte
// piece (nonce, middle or tag) of any of the sealed records.
func traces(t *testing.T, dir string, sealed [][]byte) []string {
	t.Helper()
	var found []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		for _, s := range sealed {
			for _, piece := range [][]byte{s[1:33], s[len(s)/2 : len(s)/2+32], s[len(s)-32:]} {
				if bytes.Contains(b, piece) {
					found = append(found, filepath.Base(p))
					return nil
				}
			}
		}
		return nil
	})
	return found
}

// TestAtRestKillCompaction deletes an interview from a store large enough
// that its erasure and compaction take a while, and kills the delete at a
// random moment. After the next start of fieldscreen, either the
// interview is still there (the delete never committed) or no byte of its
// sealed record is left anywhere in the folder: not in the store's free
// pages, not in a copy a compaction left.
func TestAtRestKillCompaction(t *testing.T) {
	r := rng(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	generate(t, db, 3000)
	base, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	before := sealedRecords(t, db)
	var keys []string
	for k := range before {
		keys = append(keys, k)
	}
	list := mustRun(t, db, "list", "--format", "json").stdout
	all := idRe.FindAllString(list, -1)
	reset := func() {
		for _, n := range leftovers(t, dir) {
			os.Remove(filepath.Join(dir, n))
		}
		replaceFile(t, db, base)
	}
	do := func() *result { return run(t, db, 0, "Erased ", "delete", all[0], "--yes") }
	ack, total := measure(t, 3, reset, do)
	var c tally
	var erased, kept, copies, marked int
	for i := range iterations(t, 40) {
		reset()
		victim := all[r.IntN(len(all))]
		delay := killWindow(r, ack, total)
		if r.IntN(2) == 0 {
			delay = time.Duration(r.Int64N(int64(total))) // anywhere, the compaction included
		}
		res := run(t, db, delay, "Erased ", "delete", victim, "--yes")
		acked := strings.Contains(res.stderr, "Erased ")
		if !res.killed && res.code != 0 {
			t.Fatalf("delete %d failed unkilled: %v", i, res)
		}
		c.add(res, acked)
		learn(&ack, res)

		// What the kill left, before anything else opens the store:
		// check (read-only) names an unfinished erasure or a copy.
		copies += len(leftovers(t, dir))
		chk := run(t, db, 0, "", "check")
		if chk.code != 0 {
			if chk.code != 1 || !strings.Contains(chk.stderr, "fieldscreen compact") {
				t.Fatalf("delete %d: check fails without saying 'fieldscreen compact' helps:\n%v", i, chk)
			}
			marked++
		}

		// The next start finishes the erasure and erases any copy.
		mustRun(t, db, "list", "--format", "json")
		if n := leftovers(t, dir); len(n) > 0 {
			t.Fatalf("delete %d: the next start left %v", i, n)
		}
		after := sealedRecords(t, db)
		var gone [][]byte
		for _, k := range keys {
			if _, ok := after[k]; !ok {
				gone = append(gone, before[k])
			}
		}
		switch {
		case len(gone) == 0 && acked:
			t.Fatalf("delete %d: acknowledged, but nothing was deleted", i)
		case len(gone) == 0:
			kept++
		case len(gone) > 1:
			t.Fatalf("delete %d: %d records gone, want 1", i, len(gone))
		default:
			erased++
			if found := traces(t, dir, gone); len(found) > 0 {
				t.Fatalf("delete %d killed after %v: the erased record is still in %v\n%v", i, delay, found, res)
			}
		}
		check(t, db)
	}
	t.Logf("%d kills: %v; erased %d times, kept %d; the kill left a copy %d times, check reported something to finish %d times",
		iterations(t, 40), c, erased, kept, copies, marked)
}

// settle checks the store right after a kill. check may name work the
// killed command left (an erasure to finish, a compaction's copy to
// erase), as something 'fieldscreen compact' does and not as damage, and
// nothing else; the next start does that work, and then check passes.
func settle(t *testing.T, db string) {
	t.Helper()
	r := run(t, db, 0, "", "check")
	if r.code != 0 {
		if r.code != 1 || !strings.Contains(r.stderr, "fieldscreen compact") {
			t.Fatalf("check after a kill: %v", r)
		}
		mustRun(t, db, "list", "--format", "json")
	}
	check(t, db)
}

// leftovers names the files in dir a compaction or an export leaves.
func leftovers(t *testing.T, dir string) []string {
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if strings.Contains(e.Name(), ".compact-") || strings.HasPrefix(e.Name(), ".fieldscreen-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestAtRestFullDiskErase deletes an interview from a store on a full
// disk: the delete erases it (in place, without new space) or fails
// clearly; either way no byte of an erased record is left.
func TestAtRestFullDiskErase(t *testing.T) {
	dir := tinyDisk(t)
	db := filepath.Join(dir, "s.db")
	var ids []string
	for i := range 6 {
		ids = append(ids, recordOne(t, db, examples[i%len(examples)]))
	}
	fill(t, dir, 0)
	before := sealedRecords(t, db)
	for _, id := range ids[:3] {
		r := run(t, db, 0, "", "delete", id, "--yes")
		switch {
		case r.code == 0:
			if !strings.Contains(r.stderr, "compact") {
				t.Logf("delete on a full disk compacted all the same: %s", r.stderr)
			}
		default:
			fullDiskMessage(t, r)
		}
		t.Logf("delete on the full disk: exit %d: %s", r.code, strings.TrimSpace(r.stderr))
	}
	after := sealedRecords(t, db)
	var gone [][]byte
	for k, v := range before {
		if _, ok := after[k]; !ok {
			gone = append(gone, v)
		}
	}
	if found := traces(t, dir, gone); len(found) > 0 {
		t.Fatalf("%d erased records, traces in %v", len(gone), found)
	}
	t.Logf("%d of 3 deletes erased on the full disk", len(gone))
	check(t, db)
}

// TestAtRestReadOnlyFolderErase deletes an interview from a store whose
// folder cannot take a new file (the store file itself is writable), as
// an ordinary user: the delete erases in place and says the file could
// not be compacted.
func TestAtRestReadOnlyFolderErase(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("runs fieldscreen as another user to meet a read-only folder; needs root")
	}
	const nobody = 65534
	top := t.TempDir()
	os.Chmod(filepath.Dir(top), 0o755) // the test's own folder, so the other user can reach the binary
	os.Chmod(top, 0o755)
	exe := filepath.Join(top, "fieldscreen")
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(top, "store")
	db := filepath.Join(dir, "s.db")
	var ids []string
	for i := range 3 {
		ids = append(ids, recordOne(t, db, examples[i%len(examples)]))
	}
	home := filepath.Join(top, "home")
	os.Mkdir(home, 0o700)
	for _, p := range []string{dir, db, home} {
		if err := os.Chown(p, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	before := sealedRecords(t, db)
	cmd := exec.Command(exe, "delete", ids[0], "--yes")
	cmd.Env = append(env(db), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	t.Logf("delete in a read-only folder: %v\n%s", err, out)
	if err != nil {
		t.Fatalf("delete in a read-only folder failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "fieldscreen compact") {
		t.Fatalf("no word that the file could not be compacted:\n%s", out)
	}
	after := sealedRecords(t, db)
	var gone [][]byte
	for k, v := range before {
		if _, ok := after[k]; !ok {
			gone = append(gone, v)
		}
	}
	if len(gone) != 1 {
		t.Fatalf("%d records erased, want 1", len(gone))
	}
	if found := traces(t, dir, gone); len(found) > 0 {
		t.Fatalf("the erased record is still in %v", found)
	}
}
