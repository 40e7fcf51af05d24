package report

// The HTML report is one self-contained file a supervisor can open
// offline and send on: inline CSS, charts drawn as inline SVG by
// html/template, no script, no font, image or style from anywhere else.
// Hand-built SVG rather than a plotting library: the three charts are
// bars and a trend, a few dozen lines of arithmetic; a library (gonum
// plot draws to SVG through its own canvas) would add a dependency tree
// for fonts and vector graphics and embed its own font data or name
// system fonts, while this keeps every pixel's source in one template
// and the escaping in html/template's hands.

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"fieldscreen/internal/textsafe"
)

//go:embed report.html.tmpl
var htmlFS embed.FS

var htmlTmpl = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{"n": svgNum}).ParseFS(htmlFS, "report.html.tmpl"))

type htmlPage struct {
	Lang     string
	Title    string
	Flows    string
	Period   string
	Notice   string
	Legend   string
	Internal bool
	Labels   map[string]string
	Charts   []htmlChart
	Tables   []htmlTable
	Empty    string
}

type htmlChart struct {
	ID, Title string
	W, H      int
	Bars      []htmlBar
	Axis      float64 // x (horizontal) or y (vertical) of the axis line
	Vertical  bool
}

type htmlBar struct {
	Label, Value, Fill string
	X, Y, W, H         float64
	LX, LY, VX, VY     float64
	Suppressed         bool
	Rotate             bool
}

type htmlTable struct {
	Title  string
	Heads  []string
	Rows   []htmlRow
	Groups bool
	// Empty says that nothing was counted in the table, in place of it.
	Empty string
}

type htmlRow struct {
	Label string
	Cells []htmlCell
}

type htmlCell struct {
	Text       string
	Suppressed bool
}

// Bar colours: a palette for outcomes, and the priorities' own.
var (
	palette         = []string{"#b2182b", "#ef8a62", "#2166ac", "#67a9cf", "#4d9221", "#8073ac", "#999999"}
	priorityColours = map[string]string{"urgent": "#b2182b", "high": "#ef8a62", "standard": "#2166ac", "none": "#999999"}
)

// WriteHTML writes the report as one HTML page, printable on A4.
func WriteHTML(w io.Writer, r *Report, m Meta, lang string) error {
	p := htmlPage{
		Lang: lang, Title: m.word("report_title"), Flows: strings.Join(m.Flows, ", "), Period: m.Period,
		Notice: m.notice(r), Legend: m.word("suppressed_legend", "k", strconv.Itoa(r.K)), Internal: m.Internal,
		Labels: map[string]string{"flows": m.word("flows"), "period": m.word("period")},
	}
	if r.K <= 1 {
		p.Legend = ""
	}
	if r.N == 0 {
		p.Empty = m.word("none")
	}
	for _, s := range []*string{&p.Title, &p.Flows, &p.Period, &p.Notice, &p.Legend} {
		*s = textsafe.Line(*s)
	}
	if t := table(r, "outcome"); t != nil {
		p.Charts = append(p.Charts, hbars("chart-outcome", m.word("outcomes_chart"), t, m, r.K, func(i int, _ string) string { return palette[i%len(palette)] }))
	}
	if t := table(r, "referral_priority"); t != nil {
		p.Charts = append(p.Charts, hbars("chart-priority", m.word("priority_chart"), t, m, r.K, func(_ int, v string) string {
			if c, ok := priorityColours[v]; ok {
				return c
			}
			return palette[len(palette)-1]
		}))
	}
	if len(r.Months) > 0 {
		p.Charts = append(p.Charts, trendChart(m.word("trend_chart"), r))
	}
	if len(r.Months) > 0 && !r.trendIsGroups() {
		months := make([][]string, len(r.Months))
		for i, mo := range r.Months {
			months[i] = []string{mo}
		}
		p.Tables = append(p.Tables, gridTable(m.word("trend"), r.Trend, months, m, r.K))
	}
	for _, t := range append([]*Table{r.Interviews}, r.Tables...) {
		p.Tables = append(p.Tables, gridTable(m.tableTitle(r, t), t, r.Groups, m, r.K))
	}
	return htmlTmpl.Execute(w, p)
}

func gridTable(title string, t *Table, groups [][]string, m Meta, k int) htmlTable {
	ht := htmlTable{Title: textsafe.Line(title), Groups: len(groups) > 0}
	if len(t.Values) == 0 {
		ht.Empty = textsafe.Line(m.word("empty_table"))
		return ht
	}
	ht.Heads = append(ht.Heads, "")
	for _, g := range groups {
		ht.Heads = append(ht.Heads, textsafe.Line(GroupLabel(g)))
	}
	ht.Heads = append(ht.Heads, m.word("total"))
	for v, val := range t.Values {
		label := m.value(t.Dimension, val)
		if t.Dimension == Interviews {
			label = m.word("interviews")
		}
		row := htmlRow{Label: textsafe.Line(label)}
		for g := range groups {
			c := t.Cells[v][g]
			row.Cells = append(row.Cells, htmlCell{show(c, k), c.Suppressed})
		}
		row.Cells = append(row.Cells, htmlCell{show(t.Margin[v], k), t.Margin[v].Suppressed})
		ht.Rows = append(ht.Rows, row)
	}
	return ht
}

// hbars is a horizontal bar chart of a table's overall counts.
func hbars(id, title string, t *Table, m Meta, k int, fill func(i int, v string) string) htmlChart {
	const labelW, barW, rowH, top = 230.0, 330.0, 26.0, 8.0
	c := htmlChart{ID: id, Title: textsafe.Line(title), W: int(labelW + barW + 60), Axis: labelW}
	c.H = int(top*2 + rowH*float64(len(t.Values)))
	peak := 0
	for _, x := range t.Margin {
		if !x.Suppressed {
			peak = max(peak, x.N)
		}
	}
	for i, v := range t.Values {
		x := t.Margin[i]
		y := top + rowH*float64(i)
		b := htmlBar{Label: truncate(textsafe.Line(m.value(t.Dimension, v)), 34), Value: show(x, k), Fill: fill(i, v),
			X: labelW, Y: y + 4, H: rowH - 8, LX: labelW - 8, LY: y + rowH/2 + 4, Suppressed: x.Suppressed}
		if !x.Suppressed && peak > 0 {
			b.W = barW * float64(x.N) / float64(peak)
		}
		b.VX, b.VY = labelW+b.W+6, b.LY
		c.Bars = append(c.Bars, b)
	}
	return c
}

// trendChart draws the interviews by month as columns.
func trendChart(title string, r *Report) htmlChart {
	const left, colW, plotH, top, bottom = 20.0, 58.0, 160.0, 18.0, 56.0
	n := len(r.Months)
	c := htmlChart{ID: "chart-trend", Title: textsafe.Line(title), Vertical: true,
		W: int(left*2 + colW*float64(n)), H: int(top + plotH + bottom), Axis: top + plotH}
	c.W = max(c.W, 320)
	peak := 0
	for _, x := range r.Trend.Cells[0] {
		if !x.Suppressed {
			peak = max(peak, x.N)
		}
	}
	for i, mo := range r.Months {
		x := r.Trend.Cells[0][i]
		b := htmlBar{Label: mo, Value: show(x, r.K), Fill: palette[2], X: left + colW*float64(i) + 8, W: colW - 16, Suppressed: x.Suppressed, Rotate: n > 8}
		if !x.Suppressed && peak > 0 {
			b.H = plotH * float64(x.N) / float64(peak)
		}
		b.Y = top + plotH - b.H
		b.VX, b.VY = b.X+b.W/2, b.Y-4
		b.LX, b.LY = b.X+b.W/2, top+plotH+16
		c.Bars = append(c.Bars, b)
	}
	return c
}

// svgNum writes a coordinate for SVG.
func svgNum(f float64) string { return fmt.Sprintf("%.1f", f) }
