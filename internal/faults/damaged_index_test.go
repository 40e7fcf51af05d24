//go:build faults

package faults

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// damageRecords flips a byte in the sealed value of the first index record
// and, with record, of the interview record under the same key. It returns
// the record's key in hex.
func damageRecords(t *testing.T, db string, record bool) string {
	t.Helper()
	b, err := bbolt.Open(db, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var key []byte
	err = b.Update(func(tx *bbolt.Tx) error {
		k, v := tx.Bucket([]byte("index")).Cursor().First()
		key = append([]byte{}, k...)
		flip := func(bucket string, v []byte) error {
			v = append([]byte{}, v...)
			v[len(v)/2] ^= 0x5a
			return tx.Bucket([]byte(bucket)).Put(key, v)
		}
		if err := flip("index", v); err != nil {
			return err
		}
		if record {
			return flip("interviews", tx.Bucket([]byte("interviews")).Get(key))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hexOf(key)
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func countLines(s, sub string) int { return strings.Count(s, sub) }

// TestDamagedIndexRecord: one damaged index record used to make 'list',
// 'score --all' and the rescue 'export --all --skip-damaged' fail for the
// whole store. Damage now costs only that record: when the interview's own
// recordOne still reads, the interview is listed, scored and exported from
// it, with a warning naming it; when both are damaged, every other
// interview still is, the lost record is named by its key, and only the
// commands not asked to skip damage end with exit 5.
func TestDamagedIndexRecord(t *testing.T) {
	t.Run("index only", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "s.db")
		var ids []string
		for i := range 3 {
			ids = append(ids, recordOne(t, db, examples[1+i%2]))
		}
		damageRecords(t, db, false)

		r := mustRun(t, db, "list")
		for _, id := range ids {
			if !strings.Contains(r.stdout, id[len(id)-8:]) {
				t.Fatalf("list leaves out %s:\n%v", id, r)
			}
		}
		if !strings.Contains(r.stderr, "its index record is damaged") || !strings.Contains(r.stderr, "fieldscreen check") {
			t.Fatalf("list does not warn:\n%v", r)
		}
		named := false
		for _, id := range ids {
			named = named || strings.Contains(r.stderr, "interview "+id[len(id)-8:])
		}
		if !named {
			t.Fatalf("the warning does not name the interview:\n%v", r)
		}
		r = mustRun(t, db, "score", "--all", "--format", "jsonl")
		if n := countLines(r.stdout, `"interview_id"`); n != 3 {
			t.Fatalf("score --all scored %d of 3:\n%v", n, r)
		}
		r = mustRun(t, db, "export", "--all", "--skip-damaged", "-o", filepath.Join(t.TempDir(), "b.json"), "--purpose", "rescue", "--plaintext")
		if !strings.Contains(r.stderr, "Exported 3 interview(s)") {
			t.Fatalf("export: %v", r)
		}
		mustRun(t, db, "show", ids[0])
	})

	t.Run("index and record", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "s.db")
		var ids []string
		for i := range 3 {
			ids = append(ids, recordOne(t, db, examples[1+i%2]))
		}
		key := damageRecords(t, db, true)

		r := run(t, db, 0, "", "list")
		if r.code != 5 || !strings.Contains(r.stderr, "record "+key[:8]) || !strings.Contains(r.stderr, "fieldscreen check") {
			t.Fatalf("list: want the rest, exit 5 and the record named:\n%v", r)
		}
		listed := 0
		for _, id := range ids {
			if strings.Contains(r.stdout, id[len(id)-8:]) {
				listed++
			}
		}
		if listed != 2 {
			t.Fatalf("list shows %d of the 2 readable interviews:\n%v", listed, r)
		}

		// Not asked to skip damage: exit 5, with the hint to do so.
		r = run(t, db, 0, "", "score", "--all", "--format", "jsonl")
		if r.code != 5 {
			t.Fatalf("score --all: want exit 5:\n%v", r)
		}
		r = mustRun(t, db, "score", "--all", "--skip-damaged", "--format", "jsonl")
		if n := countLines(r.stdout, `"interview_id"`); n != 2 || !strings.Contains(r.stderr, "record "+key[:8]) {
			t.Fatalf("score --all --skip-damaged: %d scored:\n%v", n, r)
		}

		out := filepath.Join(t.TempDir(), "b.json")
		r = run(t, db, 0, "", "export", "--all", "-o", out, "--purpose", "rescue", "--plaintext")
		if r.code != 5 || !strings.Contains(r.stderr, "--skip-damaged") {
			t.Fatalf("export --all on a damaged store: want exit 5 and the hint:\n%v", r)
		}
		r = mustRun(t, db, "export", "--all", "--skip-damaged", "-o", out, "--purpose", "rescue", "--plaintext")
		if !strings.Contains(r.stderr, "Exported 2 interview(s)") || !strings.Contains(r.stderr, "skipped 1 damaged") ||
			!strings.Contains(r.stderr, "record "+key[:8]) {
			t.Fatalf("export --all --skip-damaged:\n%v", r)
		}
		// The rescue bundle imports, and says one was left out.
		db2 := filepath.Join(t.TempDir(), "t.db")
		r = mustRun(t, db2, "import", out, "--accept-untrusted")
		if !strings.Contains(r.stderr, "2 added") {
			t.Fatalf("import of the rescue bundle:\n%v", r)
		}
	})
}
