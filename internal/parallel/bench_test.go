package parallel

import (
	"context"
	"testing"
)

// BenchmarkOrdered measures the cost the helper adds per job (a job that
// does almost nothing), the figure that matters when a job is one interview.
func BenchmarkOrdered(b *testing.B) {
	sum := 0
	o := NewOrdered(context.Background(), func(v int) error { sum += v; return nil })
	for i := range b.N {
		if err := o.Go(func(context.Context) (int, error) { return i & 1, nil }); err != nil {
			b.Fatal(err)
		}
	}
	if err := o.Wait(); err != nil {
		b.Fatal(err)
	}
}
