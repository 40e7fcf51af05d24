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
func (a *app) newEmitter(format string, w io.Writer) emitter {
	switch format {
	case "json":
		return summaries{render.JSONSummaries(w)}
	case "jsonl":
		return summaries{render.JSONLinesSummaries(w)}
	case "csv":
		return summaries{render.CSVSummaries(w)}
	case "table":
		return summaries{render.TableSummaries(w, time.Local)}
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
