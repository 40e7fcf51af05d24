package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/render"
	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// emitter writes summaries in one format, one at a time, so a batch of any
// size streams with flat memory.
type emitter interface {
	emit(s scored) error
	close() error
	// flush writes out what is buffered, so the summaries printed before
	// an error are not lost.
	flush()
}

func (a *app) newEmitter(format string, w io.Writer) emitter {
	switch format {
	case "json":
		return &jsonArray{w: w}
	case "jsonl":
		return &jsonLines{w: bufio.NewWriterSize(w, 64<<10)}
	case "csv":
		return newCSV(w)
	case "table":
		return newTable(w)
	}
	return &textSummaries{a: a, w: w}
}

type jsonArray struct {
	w io.Writer
	n int
}

func (j *jsonArray) emit(s scored) error {
	b, err := json.MarshalIndent(s.sum, "  ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if j.n == 0 {
		sep = "[\n  "
	}
	j.n++
	_, err = fmt.Fprintf(j.w, "%s%s", sep, textsafe.JSON(b))
	return err
}

func (j *jsonArray) flush() {}

func (j *jsonArray) close() error {
	if j.n == 0 {
		_, err := io.WriteString(j.w, "[]\n")
		return err
	}
	_, err := io.WriteString(j.w, "\n]\n")
	return err
}

// jsonLines writes one summary per line, through a buffer: batch scoring
// writes hundreds of thousands of them.
type jsonLines struct {
	w   *bufio.Writer
	buf []byte
}

func (j *jsonLines) emit(s scored) error {
	var err error
	if j.buf, err = s.sum.AppendJSON(j.buf[:0]); err != nil {
		return err
	}
	j.buf = append(j.buf, '\n')
	_, err = j.w.Write(textsafe.JSON(j.buf))
	return err
}

func (j *jsonLines) close() error { return j.w.Flush() }

func (j *jsonLines) flush() { j.w.Flush() }

// csvColumns are stable: scripts and spreadsheets key on them.
// New columns go at the end.
var csvColumns = []string{"interview_id", "source", "status", "outcome", "situation", "trafficking_indicators", "refugee_level", "grounds", "referrals", "cautions", "information_gaps",
	"location", "interviewer", "language", "created_at", "completed_at"}

type csvOut struct{ w *csv.Writer }

func newCSV(w io.Writer) *csvOut {
	c := &csvOut{w: csv.NewWriter(w)}
	c.w.Write(csvColumns)
	return c
}

func (c *csvOut) emit(s scored) error {
	row := summaryRow(s.sum)
	for i := range row {
		row[i] = bundle.DefuseCell(row[i])
	}
	return c.w.Write(row)
}

func summaryRow(s *questionnaire.Summary) []string {
	refs := make([]string, len(s.Referrals))
	for i, r := range s.Referrals {
		refs[i] = r.ID + ":" + r.Priority
	}
	cauts := make([]string, len(s.Cautions))
	for i, c := range s.Cautions {
		cauts[i] = c.ID
	}
	return []string{s.InterviewID, s.Source, s.Status, s.GetString("outcome"), s.GetString("situation"),
		s.GetString("trafficking.indicators"), s.GetString("refugee_protection.level"), s.GetString("refugee_protection.grounds"),
		strings.Join(refs, ";"), strings.Join(cauts, ";"), strings.Join(s.InformationGaps, ";"),
		s.Location, s.Interviewer, s.Language, rowTime(s.CreatedAt), rowTime(s.CompletedAt)}
}

// rowTime is a time as rows for scripts give it (RFC 3339), or "".
func rowTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

func (c *csvOut) flush() { c.w.Flush() }

func (c *csvOut) close() error {
	c.w.Flush()
	return c.w.Error()
}

type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	fmt.Fprintln(t.tw, "ID\tOUTCOME\tSITUATION\tTRAFFICKING\tREFUGEE\tREFERRALS\tSTATUS\tLOCATION\tINTERVIEWER\tLANGUAGE\tCOMPLETED")
	return t
}

func (t *table) emit(s scored) error {
	id := s.sum.InterviewID
	if id == "" {
		id = s.sum.Source
	} else {
		id = shortID(id)
	}
	urgent := 0
	for _, r := range s.sum.Referrals {
		if r.Priority == "urgent" {
			urgent++
		}
	}
	refs := fmt.Sprint(len(s.sum.Referrals))
	if urgent > 0 {
		refs += fmt.Sprintf(" (%d urgent)", urgent)
	}
	// Words for people, in the summary's language; csv and json keep IDs.
	words := func(field string) string {
		return strings.ReplaceAll(render.FieldValue(s.flow, field, s.sum.Get(field), s.lang), "\t", " ")
	}
	cell := func(s string) string { return strings.ReplaceAll(textsafe.Line(s), "\t", " ") }
	completed := ""
	if s.sum.CompletedAt != nil {
		completed = localTime(*s.sum.CompletedAt)
	}
	_, err := fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, words("outcome"), words("situation"),
		words("trafficking.indicators"), words("refugee_protection.level"), refs,
		cell(s.sum.Status), cell(s.sum.Location), cell(s.sum.Interviewer), cell(s.sum.Language), completed)
	return err
}

func (t *table) close() error { return t.tw.Flush() }

func (t *table) flush() {} // a table is aligned only at its end

type textSummaries struct {
	a *app
	w io.Writer
	n int
}

func (t *textSummaries) emit(s scored) error {
	if t.n > 0 {
		fmt.Fprintln(t.w, strings.Repeat("─", 80))
	}
	t.n++
	return render.Summary(t.w, s.flow, s.sum, s.lang, t.a.summaryOptions(s))
}

func (t *textSummaries) close() error { return nil }

func (t *textSummaries) flush() {}
