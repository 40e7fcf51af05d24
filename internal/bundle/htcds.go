package bundle

import (
	"fmt"
	"io"
	"strings"

	"fieldscreen/internal/htcds"
	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// htcdsWriter writes the interviews as Human Trafficking Case Data
// Standard 2.0 rows (internal/htcds), through the flow's mapping, and
// leaves the report of the fields it left empty or coarsened in the
// export's Report.
type htcdsWriter struct {
	w       io.Writer
	x       writeInput
	mapping *htcds.Mapping
	hw      *htcds.Writer
}

func newHTCDSWriter(w io.Writer, x writeInput) *htcdsWriter {
	return &htcdsWriter{w: w, x: x, mapping: x.mapping}
}

func (h *htcdsWriter) begin() error {
	if h.mapping == nil {
		m, err := htcds.Builtin()
		if err != nil {
			return err
		}
		h.mapping = m
	}
	if err := h.mapping.CheckFlow(h.x.flows...); err != nil {
		return fmt.Errorf("%w: the HTCDS mapping does not fit the interviews' flows: %v", ErrOptions, err)
	}
	hw, err := htcds.NewWriter(h.w, h.mapping, nil)
	h.hw = hw
	return err
}

func (h *htcdsWriter) write(iv *record.Interview, f *questionnaire.Flow) error {
	ans := questionnaire.Answers(iv.AnswersMap())
	sum, err := f.Score(ans)
	if err != nil {
		return fmt.Errorf("interview %s cannot be scored: %w", iv.ID, err)
	}
	row := htcds.Interview{ID: iv.ID, Answers: ans, Summary: sum}
	if iv.CompletedAt != nil {
		row.Completed = *iv.CompletedAt
	}
	return h.hw.Write(row)
}

func (h *htcdsWriter) end() error {
	if err := h.hw.Close(); err != nil {
		return err
	}
	if h.x.fieldReport != nil {
		var b strings.Builder
		if err := h.hw.FieldReport(&b); err != nil {
			return err
		}
		*h.x.fieldReport = b.String()
	}
	return nil
}

func (h *htcdsWriter) finish() error { return nil }
