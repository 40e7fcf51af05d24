package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"fieldscreen/internal/textsafe"
	"fieldscreen/internal/words"
)

// Meta says what a report covers, for its header.
type Meta struct {
	// Flows are the flows the interviews were taken with ("id 2.0.0").
	Flows []string
	// Period is what the report covers, in words or dates.
	Period string
	// Internal: k is below DefaultK and the report must not leave the
	// organisation; every page says so.
	Internal bool
	// Labels give dimensions, values and the report's own words in the
	// reader's language; nil fields fall back to the IDs.
	Labels Labels
}

// Labels put a report in words.
type Labels struct {
	Dimension func(dim string) string
	Value     func(dim, value string) string
	// Word is one of the report's own texts, by ID (internal/words has
	// them as "report."+ID), its {name} placeholders filled from kv
	// (name, value, ...). Nil gives English.
	Word func(id string, kv ...string) string
}

func (m Meta) word(id string, kv ...string) string {
	if m.Labels.Word != nil {
		if s := m.Labels.Word(id, kv...); s != "" {
			return s
		}
	}
	return words.T(nil, "en", "report."+id, kv...)
}

func (m Meta) dim(d string) string {
	if d == Interviews {
		return m.word("interviews")
	}
	if m.Labels.Dimension != nil {
		if s := m.Labels.Dimension(d); s != "" {
			return s
		}
	}
	return d
}

func (m Meta) value(d, v string) string {
	if m.Labels.Value != nil {
		if s := m.Labels.Value(d, v); s != "" {
			return s
		}
	}
	return v
}

// Row is one published count, as JSON and CSV write it: `by` is empty
// for an overall count, Count nil when suppressed.
type Row struct {
	Dimension  string            `json:"dimension"`
	Value      string            `json:"value"`
	By         map[string]string `json:"by"`
	Count      *int              `json:"count"`
	Suppressed bool              `json:"suppressed"`
}

// Rows lists every published count: the interviews (overall, by group,
// by month), then each dimension's values overall and by group.
func (r *Report) Rows(yield func(Row) error) error {
	row := func(dim, v string, by map[string]string, c *Count) error {
		out := Row{Dimension: dim, Value: v, By: by, Suppressed: c.Suppressed}
		if !c.Suppressed {
			n := c.N
			out.Count = &n
		}
		return yield(out)
	}
	groupBy := func(i int) map[string]string {
		by := make(map[string]string, len(r.By))
		for j, b := range r.By {
			by[b] = r.Groups[i][j]
		}
		return by
	}
	tables := append([]*Table{r.Interviews}, r.Tables...)
	for ti, t := range tables {
		for v, val := range t.Values {
			if err := row(t.Dimension, val, map[string]string{}, t.Margin[v]); err != nil {
				return err
			}
			for g := range t.ColTotals {
				if err := row(t.Dimension, val, groupBy(g), t.Cells[v][g]); err != nil {
					return err
				}
			}
		}
		if ti == 0 && !r.trendIsGroups() {
			for i, m := range r.Months {
				if err := row(Interviews, All, map[string]string{"month": m}, r.Trend.Cells[0][i]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// trendIsGroups: broken down by month alone, the monthly trend is the
// interviews by group, written once.
func (r *Report) trendIsGroups() bool { return len(r.By) == 1 && r.By[0] == "month" }

// WriteJSON writes the report as one JSON object: what it covers, k, and
// a row per count ("cells").
func WriteJSON(w io.Writer, r *Report, m Meta) error {
	head := struct {
		K        int      `json:"k"`
		Internal bool     `json:"internal"`
		Notice   string   `json:"notice"`
		Flows    []string `json:"flows"`
		Period   string   `json:"period"`
		By       []string `json:"by"`
	}{r.K, m.Internal, m.notice(r), nonNil(m.Flows), m.Period, nonNil(r.By)}
	b, err := json.Marshal(head)
	if err != nil {
		return err
	}
	// The header's fields, then the cells one per line: a report of
	// thousands of counts stays readable and streams.
	if _, err := fmt.Fprintf(w, "%s,\"cells\":[", b[:len(b)-1]); err != nil {
		return err
	}
	first := true
	err = r.Rows(func(row Row) error {
		b, err := json.Marshal(row)
		if err != nil {
			return err
		}
		sep := ",\n  "
		if first {
			sep, first = "\n  ", false
		}
		_, err = fmt.Fprintf(w, "%s%s", sep, textsafe.JSON(b))
		return err
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n]}\n")
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// notice is the disclosure note, or the internal warning.
func (m Meta) notice(r *Report) string {
	if m.Internal {
		return m.word("internal", "k", strconv.Itoa(r.K))
	}
	return m.word("disclosure", "k", strconv.Itoa(r.K))
}

// WriteCSV writes a row per count: dimension, value, a column per
// breakdown (and month, for the monthly trend), count (empty when
// suppressed), suppressed. An internal report has a notice column that
// says so on every row.
func WriteCSV(w io.Writer, r *Report, m Meta) error {
	cw := csv.NewWriter(w)
	byCols := append([]string(nil), r.By...)
	if !slices.Contains(byCols, "month") {
		byCols = append(byCols, "month")
	}
	head := []string{"dimension", "value"}
	for _, b := range byCols {
		head = append(head, "by_"+b)
	}
	head = append(head, "count", "suppressed")
	if m.Internal {
		head = append(head, "notice")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	notice := m.notice(r)
	err := r.Rows(func(row Row) error {
		rec := []string{row.Dimension, row.Value}
		for _, b := range byCols {
			rec = append(rec, row.By[b])
		}
		n := ""
		if row.Count != nil {
			n = strconv.Itoa(*row.Count)
		}
		rec = append(rec, n, strconv.FormatBool(row.Suppressed))
		if m.Internal {
			rec = append(rec, notice)
		}
		for i := range rec {
			rec[i] = textsafe.CSV(rec[i])
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// show is a count as a report prints it.
func show(c *Count, k int) string {
	if c.Suppressed {
		return "<" + strconv.Itoa(k)
	}
	return strconv.Itoa(c.N)
}

// GroupLabel is a group's values joined for a column head.
func GroupLabel(g []string) string { return strings.Join(g, " / ") }

// FileWidth is what a text report is laid out for when it goes to a file
// or a pipe: its notes are wrapped, and its groups split into blocks of
// columns, as for a terminal this wide.
const FileWidth = 80

// WriteText writes the report as text tables; tables with many groups
// are split into blocks of columns. width is the width of the terminal
// the text is shown on, or 0 when it goes to a file or a pipe. On a
// terminal every line fits, long labels cut (a question's ID in brackets,
// which comes first, is kept). To a file or a pipe nobody's terminal
// width matters and a label cut would lose words for whoever the report
// is sent on to: labels are whole, and the rest is laid out for
// FileWidth. Each table carries the internal warning when there is one,
// so that no part of it can be passed on without it.
func WriteText(w io.Writer, r *Report, m Meta, width int) error {
	cut := width > 0
	if !cut {
		width = FileWidth
	}
	if width < 40 {
		width = 40
	}
	bw := &errWriter{w: w}
	bw.printf("%s\n", textsafe.Line(m.word("report_title")))
	if len(m.Flows) > 0 {
		bw.printf("%s: %s\n", m.word("flows"), textsafe.Line(strings.Join(m.Flows, ", ")))
	}
	if m.Period != "" {
		bw.printf("%s: %s\n", m.word("period"), textsafe.Line(m.Period))
	}
	bw.printf("%s\n", wrap(m.notice(r), width))
	if r.K > 1 {
		bw.printf("%s\n", wrap(m.word("suppressed_legend", "k", strconv.Itoa(r.K)), width))
	}
	tables := append([]*Table{r.Interviews}, r.Tables...)
	for i, t := range tables {
		bw.printf("\n")
		if m.Internal {
			bw.printf("%s\n", wrap(m.word("internal", "k", strconv.Itoa(r.K)), width))
		}
		writeTextTable(bw, r, t, m, width, cut)
		if i == 0 && !r.trendIsGroups() && len(r.Months) > 0 {
			bw.printf("\n")
			if m.Internal {
				bw.printf("%s\n", wrap(m.word("internal", "k", strconv.Itoa(r.K)), width))
			}
			bw.printf("%s\n", textsafe.Line(m.word("trend")))
			trend := &Table{Dimension: Interviews, Multi: true, Values: []string{All}, Cells: r.Trend.Cells,
				Margin: r.Trend.Margin, ColTotals: r.Trend.ColTotals, Total: r.Trend.Total}
			months := make([][]string, len(r.Months))
			for j, mo := range r.Months {
				months[j] = []string{mo}
			}
			writeGrid(bw, trend, months, m, width, r.K, cut)
		}
	}
	return bw.err
}

// tableTitle names a table's dimension and the breakdown.
func (m Meta) tableTitle(r *Report, t *Table) string {
	title := m.dim(t.Dimension)
	if len(r.By) > 0 {
		names := make([]string, len(r.By))
		for i, b := range r.By {
			names[i] = m.dim(b)
		}
		title += " " + m.word("by", "names", strings.Join(names, " / "))
	}
	return title
}

// writeTextTable writes a table under its title, or, when nothing was
// counted in it, one line that says so rather than an empty grid.
func writeTextTable(bw *errWriter, r *Report, t *Table, m Meta, width int, cut bool) {
	bw.printf("%s\n", textsafe.Line(m.tableTitle(r, t)))
	if len(t.Values) == 0 {
		bw.printf("%s\n", textsafe.Line(m.word("empty_table")))
		return
	}
	writeGrid(bw, t, r.Groups, m, width, r.K, cut)
}

// writeGrid writes a table's values down and its groups across (then the
// total), in blocks that fit width. With cut, labels longer than half the
// width are cut; without, they are whole and the blocks are those a
// terminal of that width would show.
func writeGrid(bw *errWriter, t *Table, groups [][]string, m Meta, width, k int, cut bool) {
	labels := make([]string, len(t.Values))
	lw := utf8.RuneCountInString(m.word("total"))
	idw := 0 // the widest leading "[id]"
	for i, v := range t.Values {
		labels[i] = textsafe.Line(m.value(t.Dimension, v))
		if t.Dimension == Interviews {
			labels[i] = m.word("interviews")
		}
		lw = max(lw, utf8.RuneCountInString(labels[i]))
		idw = max(idw, idPrefix(labels[i]))
	}
	whole := lw
	// The label column a terminal shows: half the width, or enough for
	// an ID in brackets and the cut mark after it.
	lw = min(lw, max(width/2, idw+1))
	heads := make([]string, len(groups))
	for i, g := range groups {
		heads[i] = textsafe.Line(GroupLabel(g))
	}
	colw := func(i int) int { // column i; len(groups) is the total
		h := m.word("total")
		if i < len(groups) {
			h = heads[i]
		}
		w := utf8.RuneCountInString(h)
		for v := range t.Values {
			c := t.Margin[v]
			if i < len(groups) {
				c = t.Cells[v][i]
			}
			w = max(w, len(show(c, k)))
		}
		return w
	}
	cols := make([]int, 0, len(groups)+1)
	for i := range len(groups) + 1 {
		cols = append(cols, i)
	}
	// Never wider than the width with any one column beside it.
	widest := 0
	for _, i := range cols {
		widest = max(widest, colw(i))
	}
	lw = max(min(lw, width-2-widest), 1)
	packed := lw
	if !cut {
		lw = whole
	}
	for len(cols) > 0 {
		// As many columns as fit, at least one.
		used, n := packed, 0
		for n < len(cols) && (n == 0 || used+2+colw(cols[n]) <= width) {
			used += 2 + colw(cols[n])
			n++
		}
		block := cols[:n]
		cols = cols[n:]
		line := pad("", lw)
		for _, i := range block {
			h := m.word("total")
			if i < len(groups) {
				h = heads[i]
			}
			line += "  " + padLeft(h, colw(i))
		}
		bw.printf("%s\n", strings.TrimRight(line, " "))
		for v := range t.Values {
			line := pad(truncate(labels[v], lw), lw)
			for _, i := range block {
				c := t.Margin[v]
				if i < len(groups) {
					c = t.Cells[v][i]
				}
				line += "  " + padLeft(show(c, k), colw(i))
			}
			bw.printf("%s\n", line)
		}
		if len(cols) > 0 {
			bw.printf("\n")
		}
	}
}

func pad(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func padLeft(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

// idPrefix is the length of a label's leading ID in brackets ("[id] ..."),
// or 0.
func idPrefix(s string) int {
	if !strings.HasPrefix(s, "[") {
		return 0
	}
	i := strings.IndexByte(s, ']')
	if i < 0 {
		return 0
	}
	return utf8.RuneCountInString(s[:i+1])
}

func truncate(s string, w int) string {
	if utf8.RuneCountInString(s) <= w {
		return s
	}
	r := []rune(s)
	return string(r[:w-1]) + "…"
}

// wrap breaks text into lines no wider than width, at spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(textsafe.Line(s)) {
		wl := utf8.RuneCountInString(word)
		if i > 0 {
			if n+1+wl > width {
				b.WriteByte('\n')
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(word)
		n += wl
	}
	return b.String()
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
