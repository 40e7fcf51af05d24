package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fieldscreen/internal/record"
)

// BenchmarkSaveAnswer is one durable answer save: open the file, read,
// decrypt, change and re-seal a 40-answer interview, commit with fsync,
// close.
func BenchmarkSaveAnswer(b *testing.B) {
	s := newTestStore(b)
	iv := sampleInterview(b, 40)
	if err := s.Put(iv); err != nil {
		b.Fatal(err)
	}
	var times []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := s.Update(iv.ID, func(iv *record.Interview) error {
			setAnswer(iv, "q05_question", fmt.Sprintf("answer %d", i), time.Now(), "")
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		i++
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}

func benchmarkList(b *testing.B, n int) {
	path := filepath.Join(b.TempDir(), "interviews.db")
	s, err := Create(path, testPass)
	if err != nil {
		b.Fatal(err)
	}
	const batch = 5000
	for i := 0; i < n; i += batch {
		var ivs []*record.Interview
		for range min(batch, n-i) {
			ivs = append(ivs, sampleInterview(b, 3))
		}
		if _, _, _, err := s.Import(context.Background(), ivs, nil); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		es, err := s.List("")
		if err != nil || len(es) != n {
			b.Fatalf("%d entries, %v", len(es), err)
		}
	}
}

func BenchmarkList10k(b *testing.B)  { benchmarkList(b, 10_000) }
func BenchmarkList100k(b *testing.B) { benchmarkList(b, 100_000) }
