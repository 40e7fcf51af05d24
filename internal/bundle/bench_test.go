package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
)

const benchN = 1000

var benchCache struct {
	st     *store.Store
	bundle string
}

// benchStore is one store with benchN completed interviews, shared by the
// benchmarks (building it takes a while).
func benchStore(b *testing.B) (*store.Store, string) {
	if benchCache.st != nil {
		return benchCache.st, benchCache.bundle
	}
	dir, err := os.MkdirTemp("", "fieldscreen-bench-")
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Create(filepath.Join(dir, "s.db"), testPass)
	if err != nil {
		b.Fatal(err)
	}
	f := builtin(b)
	at := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	var ivs []*record.Interview
	tmp, _ := store.Create(filepath.Join(dir, "tmp.db"), testPass)
	for i := 0; i < len(examples); i++ {
		ivs = append(ivs, recordOne(b, tmp, f, examples[i], at, true))
	}
	batch := make([]*record.Interview, 0, benchN)
	for i := 0; i < benchN; i++ {
		c := *ivs[i%len(ivs)]
		c.ID, _ = record.NewID()
		c.CreatedAt = at.Add(time.Duration(i) * time.Second)
		batch = append(batch, &c)
	}
	if _, _, _, err := st.Import(context.Background(), batch, map[string][]byte{f.Hash: f.Source}); err != nil {
		b.Fatal(err)
	}
	bundle := filepath.Join(dir, "bundle.age")
	opt := plainOpts(bundle)
	opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(b, fixedIdentity(b))}
	if _, err := Export(context.Background(), st, Selection{}, opt); err != nil {
		b.Fatal(err)
	}
	benchCache.st, benchCache.bundle = st, bundle
	return st, bundle
}

func perInterview(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchN), "ns/interview")
}

func BenchmarkExport(b *testing.B) {
	st, _ := benchStore(b)
	dir := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		opt := plainOpts(filepath.Join(dir, fmt.Sprint(i)))
		opt.Plaintext, opt.Recipients = false, []Recipient{recipientFor(b, fixedIdentity(b))}
		if _, err := Export(context.Background(), st, Selection{}, opt); err != nil {
			b.Fatal(err)
		}
	}
	perInterview(b)
}

func BenchmarkImport(b *testing.B) {
	_, bundle := benchStore(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dst, err := store.Create(filepath.Join(b.TempDir(), "d.db"), testPass)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		ir, err := Import(context.Background(), dst, bundle, ageIDs(b), "")
		if err != nil || len(ir.Added) != benchN {
			b.Fatal(err)
		}
		b.StopTimer()
		dst.Close()
		b.StartTimer()
	}
	perInterview(b)
}

// BenchmarkScoreBundle reads and scores every interview as it streams, the
// way 'score --from' does.
func BenchmarkScoreBundle(b *testing.B) {
	_, bundle := benchStore(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r, err := OpenFile(bundle, ageIDs(b))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			iv, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if _, err := iv.Score(r.Flow(iv.Flow.Hash)); err != nil {
				b.Fatal(err)
			}
			n++
		}
		r.Close()
		if n != benchN {
			b.Fatalf("%d interviews", n)
		}
	}
	perInterview(b)
}
