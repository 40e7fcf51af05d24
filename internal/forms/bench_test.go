package forms

import (
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/store"
)

// tuiAt returns the huh-mode model on the built-in flow, at the question
// the accessible lines lead to.
func tuiAt(b *testing.B, st *store.Store, lines []string) *tui {
	b.Helper()
	f := builtin(b)
	id := newInterview(b, st, f)
	if _, _, err := runPlain(b, st, f, id, lines...); err != ErrQuit {
		b.Fatalf("setup: %v", err)
	}
	r, err := newRunner(Options{Flow: f, Store: st, InterviewID: id, Lang: "en"})
	if err != nil {
		b.Fatal(err)
	}
	for r.cur.kind == kindIntro || r.cur.kind == kindNote {
		r.proceed()
	}
	m := newTUI(r)
	m.Init()
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	return m
}

// BenchmarkKeyToFrame is the work between a key press and the next frame
// on the largest list of the built-in flow (labour_indicators, a
// multi-select of 14 with don't know and declined): the model's Update and
// View. Target: under 16 ms.
func BenchmarkKeyToFrame(b *testing.B) {
	m := tuiAt(b, newStore(b), fullInterview[:stepOf(b, "labour_indicators")])
	if m.r.cur.q.ID != "labour_indicators" {
		b.Fatalf("at %s", m.r.cur.q.ID)
	}
	keys := []tea.KeyPressMsg{{Code: tea.KeyDown}, {Code: tea.KeyUp}, {Code: tea.KeySpace, Text: " "}}
	var times []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		m.Update(keys[i%len(keys)])
		_ = m.View()
		times = append(times, time.Since(start))
	}
	reportMedian(b, times)
}

// BenchmarkAnswerToNextFrame is Enter on a question until the next one is
// drawn: validate, save durably (st.Update), decide the next question,
// build its form and draw it.
func BenchmarkAnswerToNextFrame(b *testing.B) {
	st := newStore(b)
	m := tuiAt(b, st, fullInterview[:stepOf(b, "ever_exploited")])
	if m.r.cur.q.ID != "ever_exploited" {
		b.Fatalf("at %s", m.r.cur.q.ID)
	}
	enter := tea.KeyPressMsg{Code: tea.KeyEnter}
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		m.Update(tea.KeyPressMsg{Code: tea.KeyHome}) // Yes: an unanswered list has no cursor
		start := time.Now()
		// Enter makes huh validate and send itself NextField, then
		// nextGroup, which completes the form; those hops are skipped here.
		m.Update(enter)
		m.form.State = huh.StateCompleted
		m.submitted()
		_ = m.View()
		times = append(times, time.Since(start))
		b.StopTimer()
		if m.r.cur.q == nil || m.r.cur.q.ID != "trafficking_act" {
			b.Fatalf("at %s (kind %d), err %v, read %#v", m.r.cur.q.ID, m.r.cur.kind, m.err, m.read())
		}
		m.r.back()
		m.load()
		b.StartTimer()
	}
	reportMedian(b, times)
}

// BenchmarkDurableAnswerSave is one answer saved as the forms save it:
// session.Answer inside st.Update (one fsynced transaction). Target:
// median under 5 ms.
func BenchmarkDurableAnswerSave(b *testing.B) {
	st, f := newStore(b), builtin(b)
	id := newInterview(b, st, f)
	if _, _, err := runPlain(b, st, f, id, fullInterview[:stepOf(b, "ever_exploited")]...); err != ErrQuit {
		b.Fatal(err)
	}
	vals := []any{"yes", "no", "dont_know"}
	var times []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		_, err := st.Update(id, func(iv *record.Interview) error {
			_, err := session.Answer(iv, f, "fled_conflict_or_violence", vals[i%3], time.Now().UTC())
			return err
		})
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	reportMedian(b, times)
}

func reportMedian(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}
