package synth

import (
	"runtime"
	"sync"

	"fieldscreen/internal/export"
	"fieldscreen/internal/store"
)

// chunk is a run of interviews made by one worker.
type chunk struct {
	start, n int
	ivs      []*store.Interview
	err      error
	done     chan struct{}
}

const chunkSize = 256

// Each calls fn with interviews 0 to n-1, in order, making them on every
// core. fn runs on one goroutine at a time; an error from it stops the walk
// and is returned. Memory stays bounded by a few chunks per core, whatever n.
func (g *Generator) Each(n int, fn func(i int, iv *store.Interview) error) error {
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *chunk)
	order := make(chan *chunk, 2*workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				for i := c.start; i < c.start+c.n && c.err == nil; i++ {
					iv, err := g.Interview(i)
					c.ivs, c.err = append(c.ivs, iv), err
				}
				close(c.done)
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(jobs)
		for start := 0; start < n; start += chunkSize {
			c := &chunk{start: start, n: min(chunkSize, n-start), done: make(chan struct{})}
			select {
			case order <- c: // reserve its place first, so the queue stays ordered
			case <-stop:
				return
			}
			select {
			case jobs <- c:
			case <-stop:
				return
			}
		}
	}()
	var err error
	for c := range order {
		if err != nil {
			continue
		}
		<-c.done
		if err = c.err; err != nil {
			close(stop)
			continue
		}
		for k, iv := range c.ivs {
			if err = fn(c.start+k, iv); err != nil {
				close(stop)
				break
			}
		}
	}
	wg.Wait()
	return err
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
	buf := make([]*store.Interview, 0, batch)
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
	err := g.Each(n, func(i int, iv *store.Interview) error {
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
// export.Export, as if they were exported from a store: they are made as
// the bundle is written, so no store is needed and memory stays flat.
func (g *Generator) Bundle(n int, opt export.Options) (*export.Report, error) {
	return export.Export(&source{g: g, n: n}, export.Selection{}, opt)
}

// source is an export.Source that makes the interviews it lists.
type source struct {
	g *Generator
	n int
}

func (s *source) Each(status store.Status, fn func(iv *store.Interview) error) error {
	if status != "" && status != store.StatusCompleted {
		return nil
	}
	return s.g.Each(s.n, func(_ int, iv *store.Interview) error { return fn(iv) })
}

func (s *source) Flow(hash string) ([]byte, error) {
	if hash != s.g.f.Hash {
		return nil, store.ErrNoFlow
	}
	return s.g.f.Source, nil
}
