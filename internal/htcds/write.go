package htcds

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"fieldscreen/internal/report"
	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// Interview is what a row is made of.
type Interview struct {
	ID        string
	Answers   questionnaire.Answers
	Summary   *questionnaire.Summary
	Completed time.Time
}

// Writer writes HTCDS rows as CSV and keeps count of what each column
// left empty or coarsened.
type Writer struct {
	m       *Mapping
	cw      *csv.Writer
	stats   []colStats
	rows    int
	skipped int
	loc     *time.Location
}

type colStats struct {
	filled, empty, coarsened int
	notCode                  int // iso3166: a value that is no country code
}

// NewWriter writes the header row. Months are taken in loc.
func NewWriter(w io.Writer, m *Mapping, loc *time.Location) (*Writer, error) {
	if loc == nil {
		loc = time.UTC
	}
	wr := &Writer{m: m, cw: csv.NewWriter(w), stats: make([]colStats, len(m.Columns)), loc: loc}
	head := []string{m.IDField}
	for _, c := range m.Columns {
		head = append(head, c.Field)
	}
	return wr, wr.cw.Write(head)
}

// Ref is an interview's pseudonymous reference: the start of a hash of
// its ID. The organisation, holding the IDs, can find the interview a
// row came from; a recipient cannot work the ID out (it is random), and
// the reference does not carry the time the ID's first part holds.
func Ref(id string) string {
	h := sha256.Sum256([]byte("fieldscreen htcds reference\x00" + id))
	return "FS-" + hex.EncodeToString(h[:8])
}

// Write writes one interview's row. An interview without consent (not
// screened) has no data to give and is left out.
func (w *Writer) Write(iv Interview) error {
	if iv.Summary.GetString("outcome") == "not_screened" || iv.Answers["consent"] == "no" {
		w.skipped++
		return nil
	}
	rec := []string{Ref(iv.ID)}
	for i, c := range w.m.Columns {
		v, coarse, notCode := w.value(&c, iv)
		st := &w.stats[i]
		switch {
		case v == "":
			st.empty++
		default:
			st.filled++
		}
		if coarse {
			st.coarsened++
		}
		if notCode {
			st.notCode++
		}
		rec = append(rec, textsafe.CSV(v))
	}
	w.rows++
	return w.cw.Write(rec)
}

func (w *Writer) value(c *Column, iv Interview) (v string, coarse, notCode bool) {
	for q, want := range c.OnlyIf {
		if s, _ := iv.Answers[q].(string); s != want {
			return "", false, false
		}
	}
	switch {
	case c.Finding != "":
		return iv.Summary.GetString(c.Finding), false, false
	case c.Referrals:
		refs := make([]string, len(iv.Summary.Referrals))
		for i, r := range iv.Summary.Referrals {
			refs[i] = r.ID + ":" + r.Priority
		}
		return strings.Join(refs, ";"), false, false
	case c.Referral != "":
		for _, r := range iv.Summary.Referrals {
			if c.Referral == "*" || r.ID == c.Referral {
				return c.Value, false, false
			}
		}
		return "", false, false
	case len(c.Answer) == 0 && c.Transform == "month":
		if iv.Completed.IsZero() {
			return "", false, false
		}
		return iv.Completed.In(w.loc).Format("2006-01"), false, false
	}
	var out []string
	answered := false
	for _, q := range c.Answer {
		a := iv.Answers[q]
		if questionnaire.IsGap(a) {
			continue
		}
		switch c.Transform {
		case "age_band":
			if b := report.AgeBand(a); b != report.AgeUnknown {
				return b, false, false
			}
			continue
		case "iso3166":
			s, _ := a.(string)
			if code, ok := CountryCode(s); ok {
				return code, false, false
			}
			return "", false, s != ""
		}
		var vals []string
		switch x := a.(type) {
		case string:
			vals = []string{x}
		case []string:
			vals = x
		}
		for _, x := range vals {
			if x == questionnaire.None || x == questionnaire.NoneIdentified {
				answered = true
				continue
			}
			mapped, ok := c.Map[x]
			if !ok {
				continue // a choice the mapping does not know: CheckFlow reports it
			}
			answered = true
			if slices.Contains(c.Coarsened, x) {
				coarse = true
			}
			if mapped != "" && !slices.Contains(out, mapped) {
				out = append(out, mapped)
			}
		}
	}
	if len(out) == 0 && !answered {
		return c.Missing, false, false
	}
	return strings.Join(out, ";"), coarse, false
}

// Close flushes the rows.
func (w *Writer) Close() error {
	w.cw.Flush()
	return w.cw.Error()
}

// FieldReport says, for people, what the rows hold: each column with how
// many rows it fills, leaves empty or coarsens and why, then the HTCDS
// fields the mapping leaves empty.
func (w *Writer) FieldReport(out io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d interview(s) as %s rows", w.m.Flow, w.rows, w.m.Standard)
	if w.skipped > 0 {
		fmt.Fprintf(&b, "; %d without consent left out", w.skipped)
	}
	fmt.Fprintf(&b, "\n%s: a pseudonymous reference (a hash of the interview ID), never the ID itself\n", w.m.IDField)
	for i, c := range w.m.Columns {
		st := w.stats[i]
		fmt.Fprintf(&b, "%s: %d filled, %d empty", c.Field, st.filled, st.empty)
		if st.coarsened > 0 {
			fmt.Fprintf(&b, ", %d coarsened", st.coarsened)
		}
		if st.notCode > 0 {
			fmt.Fprintf(&b, ", %d left empty for not being an ISO 3166 code", st.notCode)
		}
		b.WriteByte('\n')
		if c.Note != "" && (st.empty > 0 || st.coarsened > 0 || len(c.Coarsened) > 0) {
			fmt.Fprintf(&b, "  %s\n", strings.Join(strings.Fields(c.Note), " "))
		}
	}
	for _, e := range w.m.Empty {
		fmt.Fprintf(&b, "%s: always empty: %s\n", e.Field, e.Why)
	}
	_, err := io.WriteString(out, textsafe.Terminal(b.String()))
	return err
}
