package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
)

// rehash recomputes interviews_sha256 after an edit, the way a deliberate
// editor would, so a test reaches the checks behind it.
func rehash(t *testing.T, data []byte) []byte {
	t.Helper()
	var doc struct {
		Interviews []json.RawMessage `json:"interviews"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	sums := newLineHash()
	for _, raw := range doc.Interviews {
		var iv Interview
		if err := json.Unmarshal(raw, &iv); err != nil {
			t.Fatal(err)
		}
		line, _ := json.Marshal(&iv)
		sums.add(line)
	}
	re := regexp.MustCompile(`"interviews_sha256": "[0-9a-f]{64}"`)
	if !re.Match(data) {
		t.Fatal("no interviews_sha256 in the bundle")
	}
	return re.ReplaceAll(data, []byte(`"interviews_sha256": "`+sums.hex()+`"`))
}

// TestRefuseEditedSummary: a plaintext bundle whose summary was edited is
// refused whole, naming the interview by its short ID, whether or not the
// editor also fixed interviews_sha256.
func TestRefuseEditedSummary(t *testing.T) {
	src := newStore(t)
	ivs := fill(t, src, 3) // the first is an urgent referral
	good := string(goodBundleOf(t, src))
	cases := map[string]struct{ old, new, field string }{
		"outcome":   {`"outcome":"urgent_referral"`, `"outcome":"no_protection_indicators"`, "outcome"},
		"referrals": {`"referrals":[{`, `"referrals":[],"x":[{`, "referrals"},
		"situation": {`"situation":"trafficked_abroad"`, `"situation":"no_indicators"`, "situation"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			edited := strings.Replace(good, c.old, c.new, 1)
			if edited == good {
				t.Fatal("the test case did not change the bundle")
			}
			st := newStore(t)
			fill(t, st, 1)
			// A naive edit: the checksum no longer matches.
			refusedBundle(t, st, []byte(edited), nil, ErrInvalid)
			// The checksum recomputed too: the rescored summary disagrees.
			path := writeTemp(t, rehash(t, []byte(edited)))
			_, err := Import(context.Background(), st, path, nil, "")
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			mustContain(t, err.Error(), "interview "+ivs[0].ID[len(ivs[0].ID)-8:], "summary ("+c.field+")")
			if n := len(all(t, st)); n != 1 {
				t.Errorf("%d interviews in the store after a refused import", n)
			}
		})
	}
}

func goodBundleOf(t *testing.T, st *store.Store) []byte {
	t.Helper()
	data, _ := exportBundle(t, st, plainOpts(filepath.Join(t.TempDir(), "b.json")))
	return data
}

// TestInterviewsSHA256: the checksum is over the interviews as encoded,
// not the file's whitespace; any change to an interview or a missing
// checksum is refused.
func TestInterviewsSHA256(t *testing.T) {
	src := newStore(t)
	fill(t, src, 3)
	good := goodBundleOf(t, src)
	s := string(good)
	if !regexp.MustCompile(`\n\],\n"interviews_sha256": "[0-9a-f]{64}"\n\}\n$`).MatchString(s) {
		t.Fatalf("bundle does not end with interviews_sha256:\n%s", s[len(s)-120:])
	}

	// Reformatted (pretty-printed) is the same bundle.
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, good, "", "  "); err != nil {
		t.Fatal(err)
	}
	if _, ivs, err := readBundle(pretty.Bytes()); err != nil || len(ivs) != 3 {
		t.Fatalf("pretty-printed: %d interviews, %v", len(ivs), err)
	}

	st := newStore(t)
	fill(t, st, 1)
	sum := regexp.MustCompile(`,\n"interviews_sha256": "[0-9a-f]{64}"`)
	for name, bad := range map[string]string{
		"label edited":      strings.Replace(s, `"label":"`, `"label":"x`, 1),
		"answer time":       strings.Replace(s, `"answered_at":"2025-05-01T09:0`, `"answered_at":"2025-05-01T08:0`, 1),
		"interview dropped": strings.Replace(s, s[strings.Index(s, "\n{"):strings.Index(s, "},\n{")+2], "\n", 1),
		"missing":           sum.ReplaceAllString(s, ""),
		"not hex":           sum.ReplaceAllString(s, `,"interviews_sha256":"xyz"`),
		"twice":             sum.ReplaceAllStringFunc(s, func(m string) string { return m + m }),
	} {
		t.Run(name, func(t *testing.T) {
			if bad == s {
				t.Fatal("the test case did not change the bundle")
			}
			refusedBundle(t, st, []byte(bad), nil, ErrInvalid)
		})
	}
}

// TestImportStoresRescoredOutcome: the outcome listed after an import is
// the one rescored here, and a summary that differs only outside the
// compared fields (or in layout) is accepted.
func TestImportStoresRescoredOutcome(t *testing.T) {
	src := newStore(t)
	fill(t, src, 3)
	good := string(goodBundleOf(t, src))
	edited := strings.Replace(good, `"basis":[`, `"basis":["added by hand",`, 1)
	if edited == good {
		t.Fatal("the test case did not change the bundle")
	}
	dst := newStore(t)
	if ir, err := Import(context.Background(), dst, writeTemp(t, rehash(t, []byte(edited))), nil, ""); err != nil || len(ir.Added) != 3 {
		t.Fatalf("import = %+v, %v", ir, err)
	}
	want, _ := src.List("")
	got, _ := dst.List("")
	for i := range want {
		if got[i].Outcome == "" || got[i].Outcome != want[i].Outcome {
			t.Errorf("interview %d: outcome %q, want %q", i, got[i].Outcome, want[i].Outcome)
		}
	}
}

// damageRecord flips a byte in the sealed record of one interview (the
// first in the bucket's key order) and returns which interview that was.
func damageRecord(t *testing.T, st *store.Store) string {
	t.Helper()
	before := map[string]bool{}
	for _, iv := range all(t, st) {
		before[iv.ID] = true
	}
	db, err := bbolt.Open(st.Path(), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte("interviews"))
		k, v := b.Cursor().First()
		v = bytes.Clone(v)
		v[len(v)/2] ^= 0x40
		return b.Put(bytes.Clone(k), v)
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	var damaged []string
	for id := range before {
		if _, err := st.Get(id); errors.Is(err, store.ErrCorrupt) {
			damaged = append(damaged, id)
		}
	}
	if len(damaged) != 1 {
		t.Fatalf("%d records damaged, want 1", len(damaged))
	}
	return damaged[0]
}

func TestSkipDamaged(t *testing.T) {
	st := newStore(t)
	ivs := fill(t, st, 3)
	bad := damageRecord(t, st)
	dir := t.TempDir()

	// Without the option the export fails whole and writes nothing.
	if _, err := Export(context.Background(), st, Selection{}, plainOpts(filepath.Join(dir, "a.json"))); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
	if names := listDir(t, dir); len(names) != 0 {
		t.Fatalf("files written: %v", names)
	}

	for _, enc := range []bool{false, true} {
		path := filepath.Join(dir, map[bool]string{false: "b.json", true: "b.age"}[enc])
		opt := plainOpts(path)
		opt.SkipDamaged = true
		var ids []age.Identity
		if enc {
			opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(t, fixedIdentity(t))}
			ids = append(ids, fixedIdentity(t))
		}
		rep, err := Export(context.Background(), st, Selection{}, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Damaged) != 1 || rep.Damaged[0] != bad || len(rep.IDs) != 2 || !rep.Verified {
			t.Fatalf("report: %d exported, damaged %v", len(rep.IDs), rep.Damaged)
		}
		for _, id := range rep.IDs {
			if id == bad {
				t.Error("the damaged interview was exported")
			}
		}
		r, err := OpenFile(path, ids)
		if err != nil {
			t.Fatal(err)
		}
		if r.Header.SkippedDamaged != 1 {
			t.Errorf("skipped_damaged = %d, want 1", r.Header.SkippedDamaged)
		}
		r.Close()
		dst := newStore(t)
		if ir, err := Import(context.Background(), dst, path, ids, ""); err != nil || len(ir.Added) != 2 {
			t.Fatalf("import = %+v, %v", ir, err)
		}
	}

	// Named by ID: the damaged one is skipped, the other exported.
	var other string
	for _, iv := range ivs {
		if iv.ID != bad {
			other = iv.ID
		}
	}
	opt := plainOpts(filepath.Join(dir, "c.json"))
	opt.SkipDamaged = true
	rep, err := Export(context.Background(), st, Selection{IDs: []string{bad, other}}, opt)
	if err != nil || len(rep.IDs) != 1 || rep.IDs[0] != other || len(rep.Damaged) != 1 {
		t.Fatalf("by id: %+v, %v", rep, err)
	}
	// Only the damaged one: nothing to export.
	opt = plainOpts(filepath.Join(dir, "d.json"))
	opt.SkipDamaged = true
	if _, err := Export(context.Background(), st, Selection{IDs: []string{bad}}, opt); !errors.Is(err, ErrNothing) {
		t.Fatalf("only damaged: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "d.json")); err == nil {
		t.Error("a bundle was written with nothing in it")
	}
}

// TestMarkExportedKeepsUpdatedAt: recording a transfer must not restart
// the clock 'purge --older-than' reads.
func TestMarkExportedKeepsUpdatedAt(t *testing.T) {
	st := newStore(t)
	fill(t, st, 2)
	if _, ok := any(st).(annotator); !ok {
		t.Skip("store.Store has no Annotate (Update that keeps UpdatedAt) yet; MarkExported still sets UpdatedAt to now")
	}
	before := map[string]time.Time{}
	for _, iv := range all(t, st) {
		before[iv.ID] = iv.UpdatedAt
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	opt := plainOpts(filepath.Join(t.TempDir(), "b.age"))
	opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(t, id)}
	rep, err := Export(context.Background(), st, Selection{}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := MarkExported(context.Background(), st, rep); err != nil {
		t.Fatal(err)
	}
	entries, _ := st.List("")
	for _, e := range entries {
		if !e.UpdatedAt.Equal(before[e.ID]) {
			t.Errorf("updated_at %v, want %v", e.UpdatedAt, before[e.ID])
		}
		if e.Status != record.StatusExported {
			t.Errorf("status %s", e.Status)
		}
	}
	for _, iv := range all(t, st) {
		if !iv.UpdatedAt.Equal(before[iv.ID]) || iv.Audit[len(iv.Audit)-1].Event != record.EventExported {
			t.Errorf("record: updated_at %v, last event %s", iv.UpdatedAt, iv.Audit[len(iv.Audit)-1].Event)
		}
	}
}
