package render

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// Scored is one interview's summary, as a batch of them is written: the
// flow it was scored on, the reader's language and the answers scored
// (for the text summary's "why" lines; nil leaves them out).
type Scored struct {
	Flow    *questionnaire.Flow
	Summary *questionnaire.Summary
	Lang    string
	Answers questionnaire.Answers
}

// SummaryWriter writes summaries in one format, one at a time, so a batch
// of any size streams with flat memory.
type SummaryWriter interface {
	Write(s Scored) error
	// Flush writes out what is buffered, so the summaries written before
	// an error are not lost.
	Flush()
	// Close ends the output (a JSON array's closing bracket, a table's
	// aligned rows) and flushes it.
	Close() error
}

// JSONSummaries writes the summaries as one indented JSON array.
func JSONSummaries(w io.Writer) SummaryWriter { return &jsonArray{w: w} }

type jsonArray struct {
	w io.Writer
	n int
}

func (j *jsonArray) Write(s Scored) error {
	b, err := json.MarshalIndent(s.Summary, "  ", "  ")
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

func (j *jsonArray) Flush() {}

func (j *jsonArray) Close() error {
	if j.n == 0 {
		_, err := io.WriteString(j.w, "[]\n")
		return err
	}
	_, err := io.WriteString(j.w, "\n]\n")
	return err
}

// JSONLinesSummaries writes one summary per line, through a buffer: batch
// scoring writes hundreds of thousands of them.
func JSONLinesSummaries(w io.Writer) SummaryWriter {
	return &jsonLines{w: bufio.NewWriterSize(w, 64<<10)}
}

type jsonLines struct {
	w   *bufio.Writer
	buf []byte
}

func (j *jsonLines) Write(s Scored) error {
	var err error
	if j.buf, err = s.Summary.AppendJSON(j.buf[:0]); err != nil {
		return err
	}
	j.buf = append(j.buf, '\n')
	_, err = j.w.Write(textsafe.JSON(j.buf))
	return err
}

func (j *jsonLines) Close() error { return j.w.Flush() }

func (j *jsonLines) Flush() { j.w.Flush() }

// csvColumns are stable: scripts and spreadsheets key on them.
// New columns go at the end.
var csvColumns = []string{"interview_id", "source", "status", "outcome", "situation", "trafficking_indicators", "refugee_level", "grounds", "referrals", "cautions", "information_gaps",
	"location", "interviewer", "language", "created_at", "completed_at"}

// CSVSummaries writes a header row, then one row per summary with IDs, not
// words; no cell can be read as a spreadsheet formula.
func CSVSummaries(w io.Writer) SummaryWriter {
	c := &csvOut{w: csv.NewWriter(w)}
	c.w.Write(csvColumns)
	return c
}

type csvOut struct{ w *csv.Writer }

func (c *csvOut) Write(s Scored) error {
	row := summaryRow(s.Summary)
	for i := range row {
		row[i] = textsafe.CSV(row[i])
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

func (c *csvOut) Flush() { c.w.Flush() }

func (c *csvOut) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// TableSummaries writes one aligned row per summary in words for people,
// each in its summary's language, with the completion time in loc.
func TableSummaries(w io.Writer, loc *time.Location) SummaryWriter {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0), loc: loc}
	fmt.Fprintln(t.tw, "ID\tOUTCOME\tSITUATION\tTRAFFICKING\tREFUGEE\tREFERRALS\tSTATUS\tLOCATION\tINTERVIEWER\tLANGUAGE\tCOMPLETED")
	return t
}

type table struct {
	tw  *tabwriter.Writer
	loc *time.Location
}

func (t *table) Write(s Scored) error {
	sum := s.Summary
	id := sum.InterviewID
	if id == "" {
		id = sum.Source
	} else {
		id = ShortID(id)
	}
	urgent := 0
	for _, r := range sum.Referrals {
		if r.Priority == "urgent" {
			urgent++
		}
	}
	refs := fmt.Sprint(len(sum.Referrals))
	if urgent > 0 {
		refs += fmt.Sprintf(" (%d urgent)", urgent)
	}
	// Words for people, in the summary's language; csv and json keep IDs.
	words := func(field string) string {
		return strings.ReplaceAll(FieldValue(s.Flow, field, sum.Get(field), s.Lang), "\t", " ")
	}
	cell := func(s string) string { return strings.ReplaceAll(textsafe.Line(s), "\t", " ") }
	completed := ""
	if sum.CompletedAt != nil {
		completed = Minute(sum.CompletedAt.In(t.loc))
	}
	_, err := fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, words("outcome"), words("situation"),
		words("trafficking.indicators"), words("refugee_protection.level"), refs,
		cell(sum.Status), cell(sum.Location), cell(sum.Interviewer), cell(sum.Language), completed)
	return err
}

func (t *table) Close() error { return t.tw.Flush() }

func (t *table) Flush() {} // a table is aligned only at its end

// TextSummaries writes each summary as Summary does, a rule between two;
// opt's Answers are replaced by each summary's own.
func TextSummaries(w io.Writer, opt Options) SummaryWriter { return &textSummaries{w: w, opt: opt} }

type textSummaries struct {
	w   io.Writer
	opt Options
	n   int
}

func (t *textSummaries) Write(s Scored) error {
	if t.n > 0 {
		fmt.Fprintln(t.w, strings.Repeat("─", 80))
	}
	t.n++
	opt := t.opt
	opt.Answers = s.Answers
	return Summary(t.w, s.Flow, s.Summary, s.Lang, opt)
}

func (t *textSummaries) Close() error { return nil }

func (t *textSummaries) Flush() {}
