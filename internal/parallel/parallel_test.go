package parallel

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

func TestForVisitsEveryIndexOnce(t *testing.T) {
	const n = 1000
	var seen [n]atomic.Int32
	if err := For(context.Background(), n, func(_ context.Context, i int) error {
		seen[i].Add(1)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range seen {
		if got := seen[i].Load(); got != 1 {
			t.Fatalf("index %d visited %d times", i, got)
		}
	}
	if err := For(context.Background(), 0, func(context.Context, int) error { t.Fatal("called for n=0"); return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestForStopsAtFirstError(t *testing.T) {
	boom := errors.New("boom")
	var after atomic.Int32
	err := For(context.Background(), 10000, func(ctx context.Context, i int) error {
		if i == 10 {
			return boom
		}
		if i > 5000 {
			after.Add(1)
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if after.Load() > 4000 {
		t.Fatalf("%d items after the error ran: the walk did not stop", after.Load())
	}
}

func TestForCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var ran atomic.Int32
	err := For(ctx, 100, func(context.Context, int) error { ran.Add(1); return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if ran.Load() != 0 {
		t.Fatalf("%d items ran on a cancelled context", ran.Load())
	}
}

func TestOrderedKeepsOrder(t *testing.T) {
	var got []int
	o := NewOrdered(context.Background(), func(v int) error { got = append(got, v); return nil })
	for i := range 500 {
		if err := o.Go(func(context.Context) (int, error) {
			time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			return i * 2, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Wait(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 500 {
		t.Fatalf("emitted %d results, want 500", len(got))
	}
	for i, v := range got {
		if v != i*2 {
			t.Fatalf("result %d = %d, want %d: order lost", i, v, i*2)
		}
	}
}

func TestOrderedFirstErrorInSubmissionOrder(t *testing.T) {
	first, second := errors.New("job 3"), errors.New("job 7")
	var emitted []int
	o := NewOrdered(context.Background(), func(v int) error { emitted = append(emitted, v); return nil })
	var stoppedAt = -1
	for i := range 1000 {
		err := o.Go(func(context.Context) (int, error) {
			switch i {
			case 3:
				time.Sleep(5 * time.Millisecond) // finishes after job 7
				return 0, first
			case 7:
				return 0, second
			}
			return i, nil
		})
		if err != nil {
			stoppedAt = i
			break
		}
	}
	if err := o.Wait(); !errors.Is(err, first) {
		t.Fatalf("Wait = %v, want the first error in submission order", err)
	}
	if stoppedAt < 0 {
		t.Fatal("Go never reported the error: the caller would read all its input")
	}
	if len(emitted) != 3 || emitted[2] != 2 {
		t.Fatalf("emitted %v, want [0 1 2]: nothing after the failed job", emitted)
	}
}

func TestOrderedEmitErrorStops(t *testing.T) {
	full := errors.New("disk full")
	o := NewOrdered(context.Background(), func(v int) error {
		if v == 4 {
			return full
		}
		return nil
	})
	var goErr error
	for i := range 100000 {
		if goErr = o.Go(func(context.Context) (int, error) { return i, nil }); goErr != nil {
			break
		}
	}
	if !errors.Is(goErr, full) {
		t.Fatalf("Go = %v, want the emit error", goErr)
	}
	if err := o.Wait(); !errors.Is(err, full) {
		t.Fatalf("Wait = %v, want the emit error", err)
	}
}

func TestOrderedCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := NewOrdered(ctx, func(int) error { return nil })
	var goErr error
	for i := range 100000 {
		if i == 50 {
			cancel()
		}
		if goErr = o.Go(func(context.Context) (int, error) { return i, nil }); goErr != nil {
			break
		}
	}
	if !errors.Is(goErr, context.Canceled) {
		t.Fatalf("Go = %v, want context.Canceled", goErr)
	}
	if err := o.Wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
}

func TestOrderedBoundsJobsInFlight(t *testing.T) {
	release := make(chan struct{})
	var started, accepted atomic.Int32
	o := NewOrdered(context.Background(), func(int) error { return nil })
	done := make(chan error)
	go func() {
		for i := range 100 * Workers() {
			if err := o.Go(func(context.Context) (int, error) { started.Add(1); <-release; return i, nil }); err != nil {
				break
			}
			accepted.Add(1)
		}
		done <- o.Wait()
	}()
	time.Sleep(50 * time.Millisecond)
	if n, limit := int(accepted.Load()), 5*Workers()+1; n > limit {
		t.Fatalf("%d jobs accepted while none could finish; want at most %d", n, limit)
	}
	if s := int(started.Load()); s > Workers() {
		t.Fatalf("%d jobs running at once, want at most %d", s, Workers())
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := int(accepted.Load()); n != 100*Workers() {
		t.Fatalf("%d jobs accepted after release, want %d", n, 100*Workers())
	}
}
