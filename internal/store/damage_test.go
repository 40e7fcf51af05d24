package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"fieldscreen/internal/record"
)

// damageRaw flips a byte in the middle of a record's sealed value, as a
// bad sector or a stray write would.
func damageRaw(t *testing.T, path string, bucket, key []byte) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucket)
		v := append([]byte{}, b.Get(key)...)
		if len(v) == 0 {
			t.Fatalf("no record in %s", bucket)
		}
		v[len(v)/2] ^= 0x5a
		return b.Put(key, v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDamagedIndexRecordCostsOnlyItself: one index record that does not
// decrypt used to fail List and Each (so 'list', 'score --all' and
// 'export --all --skip-damaged') for the whole store. Now its interview is
// listed from its own record, and the damage is reported once.
func TestDamagedIndexRecordCostsOnlyItself(t *testing.T) {
	s := newTestStore(t)
	var ids []string
	for range 4 {
		iv := sampleInterview(t, 10)
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, iv.ID)
	}
	var told []DamagedRecord
	s.OnDamage(func(d DamagedRecord) { told = append(told, d) })
	damageRaw(t, s.Path(), bucketIndex, s.k.recKey("interview", ids[1]))

	es, err := s.List("")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(es) != 4 {
		t.Fatalf("List: %d entries, want 4", len(es))
	}
	for _, e := range es {
		if e.ID == ids[1] && (e.Interviewer != markerInterviewer || e.Status != record.StatusDraft) {
			t.Errorf("rebuilt entry: %+v", e)
		}
	}
	var walked []string
	if err := s.Each(context.Background(), "", func(iv *record.Interview) error { walked = append(walked, iv.ID); return nil }); err != nil {
		t.Fatalf("Each: %v", err)
	}
	if len(walked) != 4 || !slices.Contains(walked, ids[1]) {
		t.Fatalf("Each walked %d", len(walked))
	}
	if len(told) != 1 || told[0].ID != ids[1] || !told[0].Recovered {
		t.Fatalf("OnDamage told %+v", told)
	}
	if d := s.Damaged(); len(d) != 1 || d[0].Name() != "interview "+ids[1][len(ids[1])-8:] {
		t.Fatalf("Damaged: %+v", d)
	}
	if len(s.Check()) == 0 {
		t.Error("Check does not report the damaged index record")
	}
}

// TestDamagedIndexAndRecord: when the interview record is damaged too,
// the interview cannot be read at all. Every other one is still listed
// and walked; Each says at the end that one was lost.
func TestDamagedIndexAndRecord(t *testing.T) {
	s := newTestStore(t)
	var ids []string
	for range 3 {
		iv := sampleInterview(t, 10)
		iv.Status = record.StatusCompleted
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, iv.ID)
	}
	key := s.k.recKey("interview", ids[0])
	damageRaw(t, s.Path(), bucketIndex, key)
	damageRaw(t, s.Path(), bucketInterviews, key)

	es, err := s.List(record.StatusCompleted)
	if err != nil || len(es) != 2 {
		t.Fatalf("List: %d entries, %v; want 2", len(es), err)
	}
	n := 0
	err = s.Each(context.Background(), record.StatusCompleted, func(iv *record.Interview) error { n++; return nil })
	var de *DamagedError
	if !errors.As(err, &de) || !errors.Is(err, ErrCorrupt) || len(de.Records) != 1 || de.Records[0].Recovered {
		t.Fatalf("Each: %v", err)
	}
	if n != 2 {
		t.Fatalf("Each walked %d, want the 2 readable", n)
	}
	d := s.Damaged()
	if len(d) != 1 || d[0].ID != "" || d[0].Name() != "record "+d[0].Key[:8] {
		t.Fatalf("Damaged: %+v", d)
	}
	for _, id := range ids[1:] {
		if _, err := s.Get(id); err != nil {
			t.Fatalf("Get %s: %v", id, err)
		}
	}
}
