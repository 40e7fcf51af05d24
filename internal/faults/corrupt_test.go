//go:build faults

package faults

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// corruptRun runs the read commands and a write on a damaged copy of a
// store. None may panic or hang; each fails clearly or succeeds; the read
// commands leave the file as it was. It returns what happened, for the log.
func corruptRun(t *testing.T, db string, content []byte, id string) string {
	t.Helper()
	replaceFile(t, db, content)
	want := sha256.Sum256(content)
	var codes []int
	for _, args := range [][]string{
		{"list"},
		{"show", id},
		{"check"},
	} {
		r := run(t, db, 0, "", args...)
		clearFailure(t, r)
		switch {
		case r.code == 0, r.code == 5:
		case r.code == 1 && args[0] == "show":
			// the damage may have lost exactly this interview: "no such interview"
		default:
			t.Fatalf("unexpected exit code:\n%v", r)
		}
		if r.code == 5 && args[0] != "check" && !bytes.Contains([]byte(r.stderr), []byte("fieldscreen check")) {
			t.Fatalf("a damaged store is reported without pointing to 'fieldscreen check':\n%v", r)
		}
		now, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(now) != want {
			t.Fatalf("%v changed the store file", args)
		}
		codes = append(codes, r.code)
	}
	// A write may fail (clearly) or succeed; it must not panic or hang.
	r := run(t, db, 0, "", "interview", "--answers", example(examples[0]))
	clearFailure(t, r)
	codes = append(codes, r.code)
	return fmt.Sprint(codes)
}

// smallStore makes a store with the real binary: three interviews and a
// second key.
func smallStore(t *testing.T) (content []byte, ids []string) {
	db := filepath.Join(t.TempDir(), "s.db")
	for i := range 3 {
		ids = append(ids, recordOne(t, db, examples[i%len(examples)]))
	}
	content, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	return content, ids
}

// TestCorruptEachPage zeroes each 4 KiB page of a small store in turn.
func TestCorruptEachPage(t *testing.T) {
	good, ids := smallStore(t)
	const ps = 4096
	db := filepath.Join(t.TempDir(), "s.db")
	outcomes := map[string]int{}
	start := time.Now()
	for page := 0; page < len(good)/ps; page++ {
		b := slices.Clone(good)
		clear(b[page*ps : (page+1)*ps])
		if bytes.Equal(b, good) {
			outcomes["page already zero"]++
			continue
		}
		outcomes[corruptRun(t, db, b, ids[page%len(ids)])]++
	}
	t.Logf("%d pages in %v; exit codes of list, show, check, interview: %v",
		len(good)/ps, time.Since(start).Round(time.Second), outcomes)
}

// TestCorruptTruncated truncates a small store at random lengths.
func TestCorruptTruncated(t *testing.T) {
	r := rng(t)
	good, ids := smallStore(t)
	db := filepath.Join(t.TempDir(), "s.db")
	outcomes := map[string]int{}
	start := time.Now()
	n := iterations(t, 60)
	for i := range n {
		var size int
		switch i % 3 {
		case 0: // anywhere
			size = r.IntN(len(good))
		case 1: // at a page boundary
			size = r.IntN(len(good)/4096) * 4096
		default: // the last pages
			size = len(good) - 1 - r.IntN(4*4096)
		}
		outcomes[corruptRun(t, db, good[:size], ids[i%len(ids)])]++
	}
	t.Logf("%d truncations in %v; exit codes of list, show, check, interview: %v",
		n, time.Since(start).Round(time.Second), outcomes)
}
