package bundle

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fieldscreen/internal/record"
	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// csvWriter writes one row per interview, one column per question of the
// bundle's flows (in flow order, a question shared by flows once).
type csvWriter struct {
	w    *csv.Writer
	cols []string
	idx  map[string]int
}

// csvFixed are the columns before the questions.
var csvFixed = []string{"interview_id", "flow_id", "flow_version", "status", "outcome"}

func newCSVWriter(w io.Writer, flows []*questionnaire.Flow) *csvWriter {
	c := &csvWriter{w: csv.NewWriter(w), cols: append([]string(nil), csvFixed...), idx: map[string]int{}}
	for _, f := range flows {
		for _, q := range f.Questions {
			if !q.Asks() {
				continue
			}
			if _, ok := c.idx[q.ID]; !ok {
				c.idx[q.ID] = len(c.cols)
				c.cols = append(c.cols, q.ID)
			}
		}
	}
	return c
}

func (c *csvWriter) begin() error { return c.w.Write(c.cols) }

func (c *csvWriter) write(iv *record.Interview, f *questionnaire.Flow) error {
	sum, err := f.Score(questionnaire.Answers(iv.AnswersMap()))
	if err != nil {
		return fmt.Errorf("interview %s cannot be scored: %w", iv.ID, err)
	}
	row := make([]string, len(c.cols))
	// Every cell, not only the answers: a flow from a bundle chooses its
	// version and its outcomes' values too.
	copy(row, []string{iv.ID, DefuseCell(iv.FlowID), DefuseCell(iv.FlowVersion), string(iv.Status), DefuseCell(sum.GetString("outcome"))})
	for _, a := range iv.Answers {
		if i, ok := c.idx[a.QuestionID]; ok {
			row[i] = csvValue(a.Value)
		}
	}
	return c.w.Write(row)
}

func (c *csvWriter) finish() error { return nil }

func (c *csvWriter) end() error {
	c.w.Flush()
	return c.w.Error()
}

// csvValue writes a value for a spreadsheet: lists joined with ";". Text
// that a spreadsheet would run as a formula gets a leading apostrophe
// (OWASP's advice against CSV injection): free-text answers come from
// outside.
func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int:
		return strconv.Itoa(x)
	case string:
		return DefuseCell(x)
	case []string:
		return DefuseCell(strings.Join(x, ";"))
	}
	return DefuseCell(fmt.Sprint(v))
}

// DefuseCell keeps a spreadsheet from reading a cell as a formula (a
// cell that starts with = + - @, a tab or a carriage return, perhaps
// after spaces, gets a leading quote) and removes control characters:
// textsafe.CSV.
func DefuseCell(s string) string { return textsafe.CSV(s) }
