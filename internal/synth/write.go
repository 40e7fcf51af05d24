package synth

import (
	"context"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/parallel"
	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
)

// chunk is a run of interviews made by one job.
type chunk struct {
	start int
	ivs   []*record.Interview
}

const chunkSize = 256

// Each calls fn with interviews 0 to n-1, in order, making them on every
// core. fn runs on one goroutine at a time; an error from it stops the walk
// and is returned. Memory stays bounded by a few chunks per core, whatever n.
func (g *Generator) Each(n int, fn func(i int, iv *record.Interview) error) error {
	o := parallel.NewOrdered(context.Background(), func(c chunk) error {
		for k, iv := range c.ivs {
			if err := fn(c.start+k, iv); err != nil {
				return err
			}
		}
		return nil
	})
	for start := 0; start < n; start += chunkSize {
		end := min(start+chunkSize, n)
		if o.Go(func(context.Context) (chunk, error) {
			c := chunk{start: start, ivs: make([]*record.Interview, 0, end-start)}
			for i := start; i < end; i++ {
				iv, err := g.Interview(i)
				if err != nil {
					return c, err
				}
				c.ivs = append(c.ivs, iv)
			}
			return c, nil
		}) != nil {
			break
		}
	}
	return o.Wait()
}

// Store adds interviews 0 to n-1 to st, with their flow, batch at a time
// through store.PutMany (one transaction per batch). progress, if not nil,
// is called after each batch with the number stored so far.
func (g *Generator) Store(st *store.Store, n, batch int, progress func(done int)) error {
	if err := st.PutFlow(g.f.Hash, g.f.Source); err != nil {
		return err
	}
	if batch <= 0 {
		batch = 5000
	}
	buf := make([]*record.Interview, 0, batch)
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		if err := st.PutMany(buf); err != nil {
			return err
		}
		clear(buf)
		buf = buf[:0]
		return nil
	}
	err := g.Each(n, func(i int, iv *record.Interview) error {
		buf = append(buf, iv)
		if len(buf) < batch {
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		if progress != nil {
			progress(i + 1)
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil && progress != nil {
		progress(n)
	}
	return err
}

// Bundle writes interviews 0 to n-1 as a handover bundle with
// bundle.Export, as if they were exported from a store: they are made as
// the bundle is written, so no store is needed and memory stays flat.
func (g *Generator) Bundle(ctx context.Context, n int, opt bundle.Options) (*bundle.Report, error) {
	return bundle.Export(ctx, &source{g: g, n: n}, bundle.Selection{}, opt)
}

// source is an bundle.Source that makes the interviews it lists.
type source struct {
	g *Generator
	n int
}

func (s *source) Each(ctx context.Context, status record.Status, fn func(iv *record.Interview) error) error {
	if status != "" && status != record.StatusCompleted {
		return nil
	}
	return s.g.Each(s.n, func(_ int, iv *record.Interview) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(iv)
	})
}

func (s *source) Flow(hash string) ([]byte, error) {
	if hash != s.g.f.Hash {
		return nil, store.ErrNoFlow
	}
	return s.g.f.Source, nil
}
