package render

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fieldscreen/internal/textsafe"
	"fieldscreen/internal/words"
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
// all in one language (a column in several is hard to read down): lang,
// or when it is "" the summaries' own when they share one, else each
// flow's default language. The completion time
// is in loc. width is the width of the terminal the table is shown on,
// or 0 for a file or a pipe, which get every column. On a terminal too
// narrow for them all, the columns a supervisor scanning the list needs
// least go first (LANGUAGE, STATUS, INTERVIEWER, LOCATION, TRAFFICKING,
// REFUGEE), then COMPLETED keeps its date alone (and goes when the
// situation would otherwise be cut short), then SITUATION and OUTCOME are
// cut to fit, as list leaves out UPDATED.
func TableSummaries(w io.Writer, loc *time.Location, lang string, width int) SummaryWriter {
	return &table{w: w, loc: loc, lang: lang, width: width}
}

// The table's columns, in order.
const (
	colID = iota
	colOutcome
	colSituation
	colTrafficking
	colRefugee
	colReferrals
	colStatus
	colLocation
	colInterviewer
	colLanguage
	colCompleted
	nCols
)

var tableHeads = [nCols]string{"ID", "OUTCOME", "SITUATION", "TRAFFICKING", "REFUGEE", "REFERRALS", "STATUS", "LOCATION", "INTERVIEWER", "LANGUAGE", "COMPLETED"}

// tableDrops: the columns left out, in turn, on a narrow terminal.
var tableDrops = []int{colLanguage, colStatus, colInterviewer, colLocation, colTrafficking, colRefugee}

type table struct {
	w     io.Writer
	loc   *time.Location
	lang  string
	width int
	// The rows, put in words and laid out at the end, when the language
	// and every row are known (a table is aligned only then, as
	// text/tabwriter holds its rows too).
	rows  [][nCols]string
	flows []*questionnaire.Flow // each row's
	vals  []map[int]any         // each row's values of wordFields, by column
	langs map[string]bool       // the summaries' own languages
}

// wordFields are the summary's fields in the table's columns, put in words.
var wordFields = map[int]string{colOutcome: "outcome", colSituation: "situation",
	colTrafficking: "trafficking.indicators", colRefugee: "refugee_protection.level"}

func (t *table) Write(s Scored) error {
	sum := s.Summary
	if t.langs == nil {
		t.langs = map[string]bool{}
	}
	t.langs[s.Lang] = true
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
	completed := ""
	if sum.CompletedAt != nil {
		completed = Minute(sum.CompletedAt.In(t.loc))
	}
	row := [nCols]string{colID: cell(id), colReferrals: fmt.Sprint(len(sum.Referrals)), colStatus: cell(sum.Status), colLocation: cell(sum.Location),
		colInterviewer: cell(sum.Interviewer), colLanguage: cell(sum.Language), colCompleted: completed}
	vals := make(map[int]any, len(wordFields)+1) // put in words by Close
	for c, field := range wordFields {
		vals[c] = sum.Get(field)
	}
	vals[colReferrals] = urgent
	t.rows = append(t.rows, row)
	t.vals = append(t.vals, vals)
	t.flows = append(t.flows, s.Flow)
	return nil
}

// cell is a value made safe for one cell of a line.
func cell(s string) string { return strings.ReplaceAll(textsafe.Line(s), "\t", " ") }

func (t *table) Close() error {
	lang := t.lang
	if lang == "" && len(t.langs) == 1 {
		for l := range t.langs {
			lang = l
		}
	}
	// Words for people, in the table's language; csv and json keep IDs.
	for i := range t.rows {
		for c, field := range wordFields {
			t.rows[i][c] = cell(FieldValue(t.flows[i], field, t.vals[i][c], lang))
		}
		if n := t.vals[i][colReferrals].(int); n > 0 {
			id := "score.urgent_referrals"
			if n == 1 {
				id = "score.urgent_referral"
			}
			t.rows[i][colReferrals] += " (" + words.T(t.flows[i], t.flows[i].Lang(lang), id, "n", strconv.Itoa(n)) + ")"
		}
	}
	var widths [nCols]int
	for i, h := range tableHeads {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	shown := [nCols]bool{}
	for i := range shown {
		shown[i] = true
	}
	total := func() int {
		n := -2
		for i, w := range widths {
			if shown[i] {
				n += w + 2
			}
		}
		return n
	}
	dateOnly := false
	if t.width > 0 {
		for _, c := range tableDrops {
			if total() <= t.width {
				break
			}
			shown[c] = false
		}
		if total() > t.width && widths[colCompleted] > len("2006-01-02") {
			dateOnly = true
			widths[colCompleted] = max(len("2006-01-02"), len(tableHeads[colCompleted]))
		}
		// A situation cut shorter than this says too little: the date
		// goes instead.
		const situationMin = 24
		if over := total() - t.width; over > 0 && widths[colSituation]-over < situationMin {
			shown[colCompleted] = false
		}
		// Then the words are cut, SITUATION first, each to no less
		// than its heading.
		for _, c := range []int{colSituation, colOutcome} {
			if over := total() - t.width; over > 0 {
				widths[c] = max(widths[c]-over, utf8.RuneCountInString(tableHeads[c]))
			}
		}
	}
	bw := bufio.NewWriter(t.w)
	line := func(r [nCols]string) {
		var b strings.Builder
		last := -1
		for i := range r {
			if shown[i] {
				last = i
			}
		}
		for i, c := range r {
			if !shown[i] {
				continue
			}
			if i == colCompleted && dateOnly {
				c, _, _ = strings.Cut(c, " ")
			}
			c = cut(c, widths[i])
			b.WriteString(c)
			if i != last {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		fmt.Fprintln(bw, b.String())
	}
	line(tableHeads)
	for _, r := range t.rows {
		line(r)
	}
	t.rows, t.flows, t.vals = nil, nil, nil
	return bw.Flush()
}

// cut shortens s to w characters, the last one "…".
func cut(s string, w int) string {
	if utf8.RuneCountInString(s) <= w {
		return s
	}
	r := []rune(s)
	return string(r[:max(w-1, 0)]) + "…"
}

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
