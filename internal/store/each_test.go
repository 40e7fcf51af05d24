package store

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"fieldscreen/internal/record"
)

// TestEachSmallBatches walks with batches cut short by count and by size,
// deletes and updates inside the callback, and a status filter.
func TestEachSmallBatches(t *testing.T) {
	defer func(n, size int) { eachBatch, eachBatchSize = n, size }(eachBatch, eachBatchSize)
	s := newTestStore(t)
	var ids []string
	for i := range 9 {
		iv := sampleInterview(t, 3)
		iv.CreatedAt = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(9-i) * time.Hour) // stored newest first
		if i%3 == 0 {
			iv.Status = record.StatusCompleted
		}
		if err := s.Put(iv); err != nil {
			t.Fatal(err)
		}
		ids = append([]string{iv.ID}, ids...)
	}
	for _, c := range []struct{ n, size int }{{1, 1 << 20}, {2, 1 << 20}, {4096, 1}, {4, 3000}} {
		eachBatch, eachBatchSize = c.n, c.size
		var seen []string
		if err := s.Each(context.Background(), "", func(iv *record.Interview) error { seen = append(seen, iv.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(seen, ids) {
			t.Errorf("batch %d/%d bytes: order %v, want %v", c.n, c.size, seen, ids)
		}
		seen = nil
		if err := s.Each(context.Background(), record.StatusCompleted, func(iv *record.Interview) error { seen = append(seen, iv.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(seen, []string{ids[2], ids[5], ids[8]}) {
			t.Errorf("batch %d/%d bytes: completed %v", c.n, c.size, seen)
		}
	}
	// A deletion made by the callback is seen from the next batch on.
	eachBatch = 1
	var seen []string
	err := s.Each(context.Background(), "", func(iv *record.Interview) error {
		seen = append(seen, iv.ID)
		if iv.ID == ids[0] {
			return s.Delete(ids[1])
		}
		return nil
	})
	if err != nil || len(seen) != len(ids)-1 || slices.Contains(seen, ids[1]) {
		t.Fatalf("Each with a deletion: %v, %v", seen, err)
	}
}

// A cancelled context stops Each before the next interview, with the
// context's error, and the read-ahead stops with it.
func TestEachCancelled(t *testing.T) {
	s := newTestStore(t)
	ivs := make([]*record.Interview, 200)
	for i := range ivs {
		ivs[i] = sampleInterview(t, i)
	}
	if err := s.PutMany(ivs); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := s.Each(ctx, "", func(*record.Interview) error {
		n++
		if n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 3 {
		t.Errorf("Each after cancel = %v after %d interviews; want context.Canceled after 3", err, n)
	}
	if err := s.Each(ctx, "", func(*record.Interview) error { t.Error("fn called with a cancelled context"); return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Each with a cancelled context = %v", err)
	}
	// The store is usable afterwards: nothing was left holding it.
	if err := s.Put(sampleInterview(t, 999)); err != nil {
		t.Fatal(err)
	}
}

// TestReentrantCalls: a write inside Update gets ErrInUse rather than
// hanging; Each runs its callback outside any transaction, so a write
// there succeeds.
func TestReentrantCalls(t *testing.T) {
	s := newTestStore(t)
	iv := sampleInterview(t, 1)
	if err := s.Put(iv); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		run  func(inner func() error) error
	}{
		{"update", func(inner func() error) error {
			_, err := s.Update(iv.ID, func(*record.Interview) error { return inner() })
			return err
		}},
	} {
		for _, inner := range []struct {
			name string
			fn   func() error
		}{
			{"put", func() error { return s.Put(sampleInterview(t, 1)) }},
			{"update", func() error { _, err := s.Update(iv.ID, func(*record.Interview) error { return nil }); return err }},
		} {
			if err := tc.run(inner.fn); !errors.Is(err, ErrInUse) {
				t.Errorf("%s calling %s: %v, want ErrInUse", tc.name, inner.name, err)
			}
		}
	}
	seen := 0
	err := s.Each(context.Background(), "", func(x *record.Interview) error {
		seen++
		_, err := s.Update(x.ID, func(y *record.Interview) error { y.Location = "changed inside Each"; return nil })
		return err
	})
	if err != nil || seen == 0 {
		t.Fatalf("Each with a write in its callback: %v after %d interviews", err, seen)
	}
	got, err := s.Get(iv.ID)
	if err != nil || got.Location != "changed inside Each" {
		t.Errorf("write inside Each not kept: %v, location %q", err, got.Location)
	}
}
