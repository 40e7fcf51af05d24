package cli

import (
	"fmt"
	"time"
)

// progress shows a count on stderr while long work runs, only when stderr
// is a terminal; nothing animated otherwise.
type progress struct {
	a     *app
	label string
	n     int
	last  time.Time
	start time.Time
	shown bool
}

func (a *app) newProgress(label string) *progress {
	if !a.io.ErrTerminal() || a.pg != nil { // a count would draw over the pager
		return nil
	}
	return &progress{a: a, label: label, start: time.Now(), last: time.Now()}
}

func (p *progress) step() {
	if p == nil {
		return
	}
	p.n++
	if p.n%256 != 0 {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < 500*time.Millisecond || now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	p.shown = true
	rate := float64(p.n) / now.Sub(p.start).Seconds()
	fmt.Fprintf(p.a.io.Err, "\r%s: %d interviews (%.0f/s) ", p.label, p.n, rate)
}

func (p *progress) done() {
	if p == nil || !p.shown {
		return
	}
	fmt.Fprintf(p.a.io.Err, "\r%s: %d interviews in %s\n", p.label, p.n, time.Since(p.start).Round(time.Millisecond))
}
