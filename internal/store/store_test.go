package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

func TestCreateAndOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "folder")
	path := filepath.Join(dir, "interviews.db")
	if Exists(path) {
		t.Fatal("Exists before Create")
	}
	if _, err := Open(path, testPass); !errors.Is(err, ErrNotFound) {
		t.Fatalf("open missing: got %v, want ErrNotFound", err)
	}
	s, err := Create(path, testPass)
	if err != nil {
		t.Fatal(err)
	}
	if !Exists(path) || s.Path() != path {
		t.Fatal("store not at its path")
	}
	if runtime.GOOS != "windows" {
		for _, c := range []struct {
			path string
			want os.FileMode
		}{{path, 0o600}, {dir, 0o700}} {
			fi, err := os.Stat(c.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != c.want {
				t.Errorf("%s: mode %v, want %v", c.path, got, c.want)
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if _, err := Create(path, testPass); !errors.Is(err, ErrExists) {
		t.Fatalf("create over existing: got %v, want ErrExists", err)
	}
	if _, err := Create(filepath.Join(dir, "x.db"), nil); err == nil {
		t.Fatal("create with empty passphrase succeeded")
	}

	before := fileHash(t, path)
	if _, err := Open(path, []byte("wrong")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: got %v", err)
	}
	if fileHash(t, path) != before {
		t.Fatal("a failed open changed the file")
	}
	s2, err := Open(path, testPass)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s2.master, s.master) {
		t.Fatal("reopened store has another master key")
	}
}

func TestRoundTrip(t *testing.T) {
	s := newTestStore(t)
	iv := sampleInterview(t, 40)
	done := iv.UpdatedAt.Add(time.Hour)
	iv.CompletedAt = &done
	iv.Outcome = "refer"
	setAnswer(iv, "empty_list", []string{}, done, "")
	setAnswer(iv, "int64", int64(7), done, "")
	setAnswer(iv, "any_list", []any{"a", "b"}, done, "")
	if err := s.Put(iv); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, iv) {
		a, _ := json.Marshal(iv)
		b, _ := json.Marshal(got)
		t.Fatalf("round trip differs:\n%s\n%s", a, b)
	}
	if v, _ := got.Answer("int64"); v.Value != 7 {
		t.Errorf("int64 answer came back as %T", v.Value)
	}
	if v, _ := got.Answer("any_list"); !reflect.DeepEqual(v.Value, []string{"a", "b"}) {
		t.Errorf("[]any answer came back as %#v", v.Value)
	}
	if _, err := s.Get("0190a1b2-0000-7000-8000-000000000000"); !errors.Is(err, ErrNoInterview) {
		t.Errorf("missing interview: got %v", err)
	}
	if _, err := s.Get("not-an-id"); !errors.Is(err, ErrNoInterview) {
		t.Errorf("bad id: got %v", err)
	}
}

func TestPutRefuses(t *testing.T) {
	s := newTestStore(t)
	for _, tc := range []struct {
		name   string
		change func(iv *record.Interview)
	}{
		{"bad id", func(iv *record.Interview) { iv.ID = "trafficking_act" }},
		{"bad status", func(iv *record.Interview) { iv.Status = "lost" }},
		{"duplicate answer", func(iv *record.Interview) { iv.Answers = append(iv.Answers, iv.Answers[0]) }},
		{"float value", func(iv *record.Interview) { iv.Answers[0].Value = 1.5 }},
		{"map value", func(iv *record.Interview) { iv.Answers[0].Value = map[string]string{"x": markerAnswer} }},
		{"bool value", func(iv *record.Interview) { iv.Answers[0].Value = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iv := sampleInterview(t, 3)
			tc.change(iv)
			err := s.Put(iv)
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), markerAnswer) || strings.Contains(err.Error(), markerInterviewer) {
				t.Fatalf("error leaks a value: %v", err)
			}
			if msg := err.Error(); msg != strings.ToLower(msg[:1])+msg[1:] || strings.HasSuffix(msg, ".") {
				t.Errorf("error style: %q", msg)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	s := newTestStore(t)
	iv := sampleInterview(t, 2)
	if err := s.Put(iv); err != nil {
		t.Fatal(err)
	}
	at := time.Now()
	got, err := s.Update(iv.ID[:8]+iv.ID[8:], func(iv *record.Interview) error {
		setAnswer(iv, markerQuestion, "changed", at, "B")
		setAnswer(iv, "new_q", 3, at, "B")
		dropAnswer(iv, "q01_question", at, "B")
		setAnswer(iv, "new_q", 3, at, "B") // same value: no event
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, e := range got.Audit {
		events = append(events, string(e.Event)+":"+e.QuestionID)
		if strings.Contains(e.Detail, "changed") {
			t.Error("audit holds a value")
		}
	}
	want := "created:,answered:trafficking_act,answered:q01_question,changed:trafficking_act,answered:new_q,dropped:q01_question"
	if strings.Join(events, ",") != want {
		t.Errorf("audit = %v", events)
	}
	if !got.UpdatedAt.After(iv.UpdatedAt) {
		t.Error("UpdatedAt not moved")
	}
	stored, _ := s.Get(iv.ID)
	if !reflect.DeepEqual(stored, got) {
		t.Error("Update's result differs from what was stored")
	}

	// An error from fn writes nothing.
	before := fileHash(t, s.Path())
	boom := errors.New("boom")
	if _, err := s.Update(iv.ID, func(iv *record.Interview) error {
		setAnswer(iv, "x", "y", at, "")
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("got %v, want fn's error", err)
	}
	if fileHash(t, s.Path()) != before {
		t.Error("failed update changed the file")
	}
	if _, err := s.Update(iv.ID, func(iv *record.Interview) error { iv.ID = "x"; return nil }); err == nil {
		t.Error("update changed the id")
	}
	if _, err := s.Update("0190a1b2-0000-7000-8000-000000000000", func(*record.Interview) error { return nil }); !errors.Is(err, ErrNoInterview) {
		t.Errorf("update of missing interview: %v", err)
	}

	// A panic in fn is the caller's, not a damaged file, and leaves the
	// store usable.
	func() {
		defer func() {
			if r := recover(); r != "caller bug" {
				t.Errorf("recovered %v", r)
			}
		}()
		s.Update(iv.ID, func(*record.Interview) error { panic("caller bug") })
	}()
	if _, err := s.Get(iv.ID); err != nil {
		t.Fatalf("after callback panic: %v", err)
	}
}

func TestConcurrentUpdates(t *testing.T) {
	s := newTestStore(t)
	var ids []string
	for range 4 {
		iv := sampleInterview(t, 1)
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, iv.ID)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 10 {
				id := ids[(g+i)%len(ids)]
				if _, err := s.Update(id, func(iv *record.Interview) error {
					setAnswer(iv, fmt.Sprintf("g%d_%d", g, i), i, time.Now(), "")
					return nil
				}); err != nil {
					t.Error(err)
				}
				if _, err := s.List(""); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	total := 0
	s.Each(context.Background(), "", func(iv *record.Interview) error { total += len(iv.Answers) - 1; return nil })
	if total != 80 {
		t.Fatalf("%d answers saved, want 80", total)
	}
}

func TestListResolveEach(t *testing.T) {
	s := newTestStore(t)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 5 {
		iv := sampleInterview(t, 2)
		iv.CreatedAt = base.Add(time.Duration(i) * time.Hour)
		if i%2 == 1 {
			iv.Status = record.StatusCompleted
			iv.Outcome = "refer"
		}
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, iv.ID)
	}
	all, err := s.List("")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 || all[0].ID != ids[4] || all[4].ID != ids[0] {
		t.Fatalf("List order wrong: %v", all)
	}
	if all[1].Outcome != "refer" || all[1].Interviewer != markerInterviewer || all[1].FlowVersion != "1.2.0" {
		t.Errorf("entry fields: %+v", all[1])
	}
	done, _ := s.List(record.StatusCompleted)
	if len(done) != 2 {
		t.Errorf("List(completed) = %d entries", len(done))
	}

	for _, tc := range []struct {
		prefix string
		want   string
		err    error
	}{
		{ids[2], ids[2], nil},
		{strings.ToUpper(ids[2]), ids[2], nil},
		{ids[2][:4], "", ErrAmbiguous}, // UUIDv7s made together share a time prefix
		{ids[2][:3], "", ErrShortPrefix},
		{"ffff", "", ErrNoInterview},
		{"0190a1b2-0000-7000-8000-000000000000", "", ErrNoInterview},
	} {
		got, err := s.Resolve(tc.prefix)
		if !errors.Is(err, tc.err) || got != tc.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q, %v", tc.prefix, got, err, tc.want, tc.err)
		}
	}
	// The random tail of a UUIDv7 tells them apart.
	u := strings.ReplaceAll(ids[3], "-", "")
	if _, err := s.Resolve(u[:26]); err != nil {
		t.Errorf("Resolve long prefix: %v", err)
	}

	var seen []string
	if err := s.Each(context.Background(), record.StatusDraft, func(iv *record.Interview) error { seen = append(seen, iv.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(seen, []string{ids[0], ids[2], ids[4]}) {
		t.Errorf("Each(draft) = %v", seen)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.Each(context.Background(), "", func(*record.Interview) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("Each did not stop: %v, %d", err, n)
	}
}

func TestFlows(t *testing.T) {
	s := newTestStore(t)
	src := []byte("id: screening\nquestions: []\n")
	if err := s.PutFlow("h1", src); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFlow("h1", src); err != nil {
		t.Fatalf("same flow twice: %v", err)
	}
	if err := s.PutFlow("h1", []byte("other")); err == nil {
		t.Fatal("different flow under the same hash accepted")
	}
	got, err := s.Flow("h1")
	if err != nil || !bytes.Equal(got, src) {
		t.Fatalf("Flow = %q, %v", got, err)
	}
	if _, err := s.Flow("h2"); !errors.Is(err, ErrNoFlow) {
		t.Fatalf("missing flow: %v", err)
	}
	if bytes.Contains(readRaw(t, s.Path()), []byte("screening")) {
		t.Fatal("flow source readable in the raw file")
	}
}

// TestRawFileRevealsNothing saves an interview and scans the raw file for
// anything a reader could learn from it.
func TestRawFileRevealsNothing(t *testing.T) {
	s := newTestStore(t)
	if _, err := s.AddLabeledKey([]byte("second"), markerLabel); err != nil {
		t.Fatal(err)
	}
	iv := sampleInterview(t, 40)
	if err := s.Put(iv); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(iv.ID, func(iv *record.Interview) error {
		setAnswer(iv, "q02_question", markerAnswer+"-2", time.Now(), markerInterviewer)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	raw := readRaw(t, s.Path())
	for _, secret := range []string{
		markerAnswer, markerInterviewer, markerLocation, markerQuestion, markerLabel,
		"free text answer", "q01_question", "option_a",
		iv.ID, strings.ReplaceAll(iv.ID, "-", ""), // UUIDv7s carry their creation time
		string(testPass),
	} {
		if bytes.Contains(raw, []byte(secret)) || bytes.Contains(bytes.ToLower(raw), []byte(strings.ToLower(secret))) {
			t.Errorf("raw file contains %q", secret)
		}
	}
}

// TestSealedValueBoundToPlace copies one interview's sealed bytes over
// another's: it must not open there.
func TestSealedValueBoundToPlace(t *testing.T) {
	s := newTestStore(t)
	a, b := sampleInterview(t, 2), sampleInterview(t, 2)
	for _, iv := range []*record.Interview{a, b} {
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
	}
	ka, kb := s.k.recKey("interview", a.ID), s.k.recKey("interview", b.ID)
	db, err := bbolt.Open(s.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		v := bytes.Clone(tx.Bucket(bucketInterviews).Get(ka))
		if err := tx.Bucket(bucketInterviews).Put(kb, v); err != nil {
			return err
		}
		// And an index entry into the interviews bucket, same key.
		return tx.Bucket(bucketInterviews).Put(ka, bytes.Clone(tx.Bucket(bucketIndex).Get(ka)))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{a.ID, b.ID} {
		if _, err := s.Get(id); !errors.Is(err, ErrCorrupt) {
			t.Errorf("moved record opened: %v", err)
		}
	}
	// Both records, and the digest (which the moves do not match).
	if probs := s.Check(); len(probs) != 3 {
		t.Errorf("Check found %d problems, want 3: %v", len(probs), probs)
	}
}

func TestDeleteErasesAndCompacts(t *testing.T) {
	s := newTestStore(t)
	keep, gone := sampleInterview(t, 10), sampleInterview(t, 40)
	for _, iv := range []*record.Interview{keep, gone} {
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
	}
	other, err := Open(s.Path(), testPass) // a second process, idle during the delete
	if err != nil {
		t.Fatal(err)
	}
	key := s.k.recKey("interview", gone.ID)
	sealed := rawValue(t, s.Path(), bucketInterviews, key)
	entry := rawValue(t, s.Path(), bucketIndex, key)
	if !bytes.Contains(readRaw(t, s.Path()), sealed) {
		t.Fatal("test is broken: sealed record not found before delete")
	}

	before := fileHash(t, s.Path())
	if err := s.Delete(gone.ID, "0190a1b2-0000-7000-8000-000000000000"); !errors.Is(err, ErrNoInterview) {
		t.Fatalf("delete with unknown id: %v", err)
	}
	if fileHash(t, s.Path()) != before {
		t.Fatal("failed delete changed the file")
	}

	if err := s.Delete(gone.ID); err != nil {
		t.Fatal(err)
	}
	raw := readRaw(t, s.Path())
	for name, b := range map[string][]byte{"record": sealed, "index entry": entry, "record tail": sealed[len(sealed)-64:]} {
		if bytes.Contains(raw, b) {
			t.Errorf("deleted interview's sealed %s still in the file", name)
		}
	}
	if bytes.Contains(raw, []byte(markerAnswer)) {
		t.Error("plaintext marker in the file")
	}
	if _, err := s.Get(gone.ID); !errors.Is(err, ErrNoInterview) {
		t.Errorf("deleted interview still there: %v", err)
	}
	if _, err := s.Get(keep.ID); err != nil {
		t.Errorf("kept interview: %v", err)
	}
	if fi, _ := os.Stat(s.Path()); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("compacted file mode %v", fi.Mode().Perm())
	}
	if entries, _ := os.ReadDir(filepath.Dir(s.Path())); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if probs := s.Check(); len(probs) != 0 {
		t.Errorf("check after delete: %v", probs)
	}
	// The other handle reopens the file by path for each operation, so it
	// writes to the compacted file, not the old one.
	late := sampleInterview(t, 1)
	if err := other.Put(late); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(late.ID); err != nil {
		t.Fatal(err)
	}
}

func TestKeys(t *testing.T) {
	s := newTestStore(t)
	path := s.Path()
	id2, err := s.AddLabeledKey([]byte("second"), markerLabel)
	if err != nil {
		t.Fatal(err)
	}
	id3, err := s.AddKey([]byte("third"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := s.ListKeys()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 || !keys[0].Current || keys[1].ID != id2 || keys[1].Label != markerLabel || keys[2].ID != id3 || keys[2].Created.IsZero() {
		t.Fatalf("ListKeys = %+v", keys)
	}
	for _, p := range []string{string(testPass), "second", "third"} {
		if _, err := Open(path, []byte(p)); err != nil {
			t.Fatalf("open with %q: %v", p, err)
		}
	}

	// Change the first passphrase: only it stops working, and its old
	// wrapping is gone from the raw file.
	oldSlot := rawValue(t, path, bucketSlots, s.slot)
	if err := s.ChangePassphrase([]byte("wrong"), []byte("x")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("change with wrong old passphrase: %v", err)
	}
	if err := s.ChangePassphrase(testPass, []byte("new first")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, testPass); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase after change: %v", err)
	}
	for _, p := range []string{"new first", "second", "third"} {
		if _, err := Open(path, []byte(p)); err != nil {
			t.Fatalf("open with %q after change: %v", p, err)
		}
	}
	if bytes.Contains(readRaw(t, path), oldSlot[slotHeaderSize:]) {
		t.Error("old wrapped key still in the file after change")
	}
	keys2, _ := s.ListKeys()
	if len(keys2) != 3 || keys2[0].ID != keys[0].ID || !keys2[0].Created.Equal(keys[0].Created) {
		t.Errorf("change altered the slot list: %+v", keys2)
	}

	if err := s.RemoveKey(id2); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, []byte("second")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("removed passphrase: %v", err)
	}
	if bytes.Contains(readRaw(t, path), []byte(markerLabel)) {
		t.Error("label in raw file")
	}
	for _, tc := range []struct {
		id   string
		want error
	}{{id2, ErrNoKey}, {"zz", ErrNoKey}, {id3, nil}, {keys[0].ID, ErrLastKey}} {
		if err := s.RemoveKey(tc.id); !errors.Is(err, tc.want) {
			t.Errorf("RemoveKey(%s) = %v, want %v", tc.id, err, tc.want)
		}
	}
	if _, err := Open(path, []byte("new first")); err != nil {
		t.Fatal(err)
	}
}

func TestImport(t *testing.T) {
	s := newTestStore(t)
	existing := sampleInterview(t, 3)
	if err := s.Put(existing); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFlow("h1", []byte("flow one")); err != nil {
		t.Fatal(err)
	}

	// Through JSON, as an import bundle would bring them.
	same := roundTrip(t, existing)
	same.CreatedAt = same.CreatedAt.In(time.FixedZone("X", 3600)) // same instant
	changed := roundTrip(t, existing)
	changed.Outcome = "different"
	fresh := sampleInterview(t, 3)

	before := fileHash(t, s.Path())
	bad := sampleInterview(t, 3)
	bad.Answers[0].Value = 2.5
	if _, _, _, err := s.Import(context.Background(), []*record.Interview{fresh, bad}, nil); err == nil {
		t.Fatal("import with an invalid interview succeeded")
	}
	if fileHash(t, s.Path()) != before {
		t.Fatal("failed import changed the file")
	}
	if _, err := s.Get(fresh.ID); !errors.Is(err, ErrNoInterview) {
		t.Fatal("failed import left an interview behind")
	}

	added, skipped, conflicts, err := s.Import(context.Background(),
		[]*record.Interview{fresh, same, changed},
		map[string][]byte{"h1": []byte("flow one"), "h2": []byte("flow two"), "h3": nil},
	)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(added, []string{fresh.ID}) || !reflect.DeepEqual(skipped, []string{existing.ID}) ||
		!reflect.DeepEqual(conflicts, []string{existing.ID}) {
		t.Fatalf("added %v skipped %v conflicts %v", added, skipped, conflicts)
	}
	if got, _ := s.Get(existing.ID); got.Outcome == "different" {
		t.Fatal("conflicting import overwrote the stored interview")
	}
	if _, _, conflicts, _ := s.Import(context.Background(), nil, map[string][]byte{"h2": []byte("not flow two")}); !reflect.DeepEqual(conflicts, []string{"flow:h2"}) {
		t.Fatalf("flow conflict: %v", conflicts)
	}
	if got, _ := s.Flow("h2"); string(got) != "flow two" {
		t.Fatal("imported flow missing")
	}
}

func roundTrip(t *testing.T, iv *record.Interview) *record.Interview {
	t.Helper()
	b, err := json.Marshal(iv)
	if err != nil {
		t.Fatal(err)
	}
	out := new(record.Interview)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestClose(t *testing.T) {
	s := newTestStore(t)
	s.Close()
	if _, err := s.List(""); !errors.Is(err, ErrClosed) {
		t.Fatalf("List after Close: %v", err)
	}
	if err := s.Put(sampleInterview(t, 1)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Put after Close: %v", err)
	}
}

func TestDefaultPath(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("checks the Linux rules")
	}
	t.Setenv("HOME", "/home/fs")
	for _, tc := range []struct{ xdg, want string }{
		{"", "/home/fs/.local/share/fieldscreen/interviews.db"},
		{"/data", "/data/fieldscreen/interviews.db"},
		{"relative", "/home/fs/.local/share/fieldscreen/interviews.db"},
	} {
		t.Setenv("XDG_DATA_HOME", tc.xdg)
		if got, err := DefaultPath(); err != nil || got != tc.want {
			t.Errorf("XDG_DATA_HOME=%q: %q, %v", tc.xdg, got, err)
		}
	}
}

// The real key-derivation parameters meet OWASP's argon2id minimums
// (m ≥ 19 MiB with t ≥ 2, p ≥ 1).
func TestKDFParametersMeetOWASP(t *testing.T) {
	p := realKDF
	if p.MemoryKiB < 19*1024 || p.Time < 2 || p.Threads < 1 {
		t.Errorf("argon2id parameters %+v are below OWASP's minimums (m=19 MiB, t=2, p=1)", p)
	}
}

// BenchmarkUnlock measures opening a store with the real argon2id
// parameters: every command pays it once.
func BenchmarkUnlock(b *testing.B) {
	saved := defaultKDF
	defaultKDF = realKDF
	defer func() { defaultKDF = saved }()
	path := filepath.Join(b.TempDir(), "interviews.db")
	if _, err := Create(path, testPass); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		s, err := Open(path, testPass)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
