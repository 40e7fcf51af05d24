package store_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
	"fieldscreen/internal/synth"
	"fieldscreen/questionnaire"
)

func synthInterviews(tb testing.TB, n int) []*record.Interview {
	tb.Helper()
	f, err := questionnaire.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	var ivs []*record.Interview
	err = synth.New(f, 1).Each(n, func(_ int, iv *record.Interview) error {
		ivs = append(ivs, iv)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ivs
}

// BenchmarkReadRecord is the read path of one realistic (synthetic,
// completed) interview: decrypt and decode, without bbolt.
func BenchmarkReadRecord(b *testing.B) {
	ivs := synthInterviews(b, 512)
	rb := store.NewRecordBench(bytes.Repeat([]byte{7}, store.KeySize))
	for _, format := range []string{"json", "binary"} {
		b.Run(format, func(b *testing.B) {
			sealed := make([][]byte, len(ivs))
			size := 0
			for i, iv := range ivs {
				var n int
				sealed[i], n = rb.Seal([]byte(iv.ID), iv, format == "json")
				size += n
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				k := i % len(ivs)
				if _, err := rb.Open([]byte(ivs[k].ID), sealed[k]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(size/len(ivs)), "plaintext-B")
		})
	}
}

// TestSynthRoundTrip: synthetic interviews come back from the store as
// they went in, through Get and Each.
func TestSynthRoundTrip(t *testing.T) {
	ivs := synthInterviews(t, 300)
	s, err := store.Create(filepath.Join(t.TempDir(), "s.db"), []byte("pass"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.PutMany(ivs); err != nil {
		t.Fatal(err)
	}
	byID := map[string]*record.Interview{}
	for _, iv := range ivs {
		byID[iv.ID] = iv
	}
	n := 0
	err = s.Each(context.Background(), "", func(iv *record.Interview) error {
		if !reflect.DeepEqual(iv, byID[iv.ID]) {
			return fmt.Errorf("interview %s differs", iv.ID)
		}
		n++
		return nil
	})
	if err != nil || n != len(ivs) {
		t.Fatalf("Each: %d of %d, %v", n, len(ivs), err)
	}
}

// BenchmarkEach walks a store of 10,000 synthetic interviews.
func BenchmarkEach(b *testing.B) {
	ivs := synthInterviews(b, 10_000)
	s, err := store.Create(filepath.Join(b.TempDir(), "s.db"), []byte("pass"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < len(ivs); i += 2000 {
		if err := s.PutMany(ivs[i:min(i+2000, len(ivs))]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := s.Each(context.Background(), "", func(*record.Interview) error { n++; return nil }); err != nil || n != len(ivs) {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ivs)), "ns/interview")
}
