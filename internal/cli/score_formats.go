package cli

import (
	"io"
	"time"

	"fieldscreen/internal/render"
)

// emitter writes scored summaries in one format (render.SummaryWriter).
type emitter interface {
	emit(s scored) error
	close() error
	// flush writes out what is buffered, so the summaries printed before
	// an error are not lost.
	flush()
}

// newEmitter picks score's output format; internal/render writes it.
// lang is the language asked with --lang, if any.
func (a *app) newEmitter(format, lang string, w io.Writer) emitter {
	switch format {
	case "json":
		return summaries{render.JSONSummaries(w)}
	case "jsonl":
		return summaries{render.JSONLinesSummaries(w)}
	case "csv":
		return summaries{render.CSVSummaries(w)}
	case "table":
		// One language down the table: --lang, else the language
		// setting, else the first interview's. Cut to fit a terminal.
		width, _ := a.terminalWidth()
		return summaries{render.TableSummaries(w, time.Local, firstNonEmpty(lang, a.configDefault("language")), width)}
	}
	return summaries{render.TextSummaries(w, a.pageOptions())}
}

// summaries hands scored interviews to a render.SummaryWriter.
type summaries struct{ w render.SummaryWriter }

func (s summaries) emit(x scored) error {
	return s.w.Write(render.Scored{Flow: x.flow, Summary: x.sum, Lang: x.lang, Answers: x.ans})
}

func (s summaries) close() error { return s.w.Close() }

func (s summaries) flush() { s.w.Flush() }
