package report

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Dimension is a thing a report counts interviews by.
type Dimension struct {
	ID string
	// Multi: an interview counts under each of its values (its referrals,
	// cautions...), or under none, so the values do not add up to the
	// interviews.
	Multi bool
	one   func(r *Record) string
	many  func(r *Record) []string
}

// Interviews is the dimension of the interview counts themselves: value
// All, by group.
const (
	Interviews = "interviews"
	All        = "all"
)

// Dimensions are counted in this order.
var Dimensions = []Dimension{
	{ID: "outcome", one: func(r *Record) string { return r.Outcome }},
	{ID: "situation", one: func(r *Record) string { return r.Situation }},
	{ID: "trafficking_indicators", one: func(r *Record) string { return r.TraffickingIndicators }},
	{ID: "refugee_level", one: func(r *Record) string { return r.RefugeeLevel }},
	{ID: "ground", Multi: true, many: func(r *Record) []string { return r.Grounds }},
	{ID: "referral_priority", one: func(r *Record) string { return highestPriority(r.Referrals) }},
	{ID: "referral", Multi: true, many: referralIDs},
	{ID: "caution", Multi: true, many: func(r *Record) []string { return r.Cautions }},
	{ID: "declined", Multi: true, many: func(r *Record) []string { return r.Declined }},
	{ID: "dont_know", Multi: true, many: func(r *Record) []string { return r.DontKnow }},
	{ID: "age_band", one: func(r *Record) string { return r.AgeBand }},
	{ID: "gender", one: func(r *Record) string { return r.Gender }},
	{ID: "present_in", one: func(r *Record) string { return r.PresentIn }},
}

func referralIDs(r *Record) []string {
	out := make([]string, len(r.Referrals))
	for i, ref := range r.Referrals {
		out[i] = ref.ID
	}
	return out
}

// defaultOrder puts values the report itself makes in their natural order.
var defaultOrder = map[string][]string{
	"age_band":          AgeBandOrder(),
	"referral_priority": append(append([]string(nil), priorities...), "none"),
}

// Breakdowns a report can be broken down by.
var Breakdowns = []string{"location", "interviewer", "month", "week", "language"}

// Options say how to count and what to publish.
type Options struct {
	// By is zero, one or two of Breakdowns.
	By []string
	// K is the smallest count published; smaller ones are suppressed
	// (and others with them, so that none can be worked out). 1 publishes
	// every count.
	K int
	// Loc is the time zone months and weeks are taken in (default UTC).
	Loc *time.Location
	// Order gives a dimension's values in the order the flow lists them;
	// values not listed follow, sorted. Never by count: a suppressed
	// count's place in a list sorted by size would give it away.
	Order map[string][]string
}

// DefaultK is the threshold of the Counter-Trafficking Data
// Collaborative's published dataset.
const DefaultK = 11

// CheckOptions refuses options a report cannot be made with.
func CheckOptions(o Options) error {
	if o.K < 1 {
		return fmt.Errorf("k must be at least 1, not %d", o.K)
	}
	if len(o.By) > 2 {
		return fmt.Errorf("at most two breakdowns, not %d (%s)", len(o.By), strings.Join(o.By, ", "))
	}
	for i, b := range o.By {
		if !slices.Contains(Breakdowns, b) {
			return fmt.Errorf("unknown breakdown %q: use %s", b, strings.Join(Breakdowns, ", "))
		}
		if slices.Contains(o.By[:i], b) {
			return fmt.Errorf("breakdown %q given twice", b)
		}
	}
	return nil
}

// key names one published count: a dimension's value in a group. by is
// "" for the overall count, groupPrefix+values for a group of Options.By,
// trendPrefix+month for the monthly trend.
type key struct{ dim, value, by string }

const (
	groupPrefix = "g\x1f"
	trendPrefix = "t\x1f"
	sep         = "\x1f"
)

// Aggregator counts records as they come.
type Aggregator struct {
	opts   Options
	counts map[key]int
	groups map[string][]string // group key → its values
	months map[string]bool
	values map[string]map[string]bool // dimension → values seen
	first  time.Time
	last   time.Time
	n      int
	// trendIsGroups: broken down by month alone, the monthly trend is the
	// groups' totals.
	trendIsGroups bool
}

// NewAggregator starts counting. o must pass CheckOptions.
func NewAggregator(o Options) *Aggregator {
	if o.Loc == nil {
		o.Loc = time.UTC
	}
	a := &Aggregator{opts: o, counts: map[key]int{}, groups: map[string][]string{}, months: map[string]bool{},
		values: map[string]map[string]bool{}}
	a.trendIsGroups = len(o.By) == 1 && o.By[0] == "month"
	order := map[string][]string{}
	for d, vals := range defaultOrder {
		order[d] = vals
	}
	for d, vals := range o.Order {
		order[d] = vals
	}
	o.Order = order
	a.opts = o
	for _, d := range Dimensions {
		a.values[d.ID] = map[string]bool{}
	}
	return a
}

func (a *Aggregator) breakdown(r *Record, b string) string {
	var v string
	switch b {
	case "location":
		v = r.Location
	case "interviewer":
		v = r.Interviewer
	case "language":
		v = r.Language
	case "month":
		v = month(r.When, a.opts.Loc)
	case "week":
		v = week(r.When, a.opts.Loc)
	}
	if v == "" {
		return NotRecorded
	}
	return v
}

func month(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01")
}

func week(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	y, w := t.In(loc).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// SetOrder gives dimensions' values in the flow's order (see
// Options.Order), once the flows counted are known.
func (a *Aggregator) SetOrder(order map[string][]string) {
	for d, vals := range order {
		a.opts.Order[d] = vals
	}
}

// Add counts one record.
func (a *Aggregator) Add(r *Record) {
	a.n++
	if !r.When.IsZero() {
		if a.first.IsZero() || r.When.Before(a.first) {
			a.first = r.When
		}
		if r.When.After(a.last) {
			a.last = r.When
		}
	}
	g := ""
	if len(a.opts.By) > 0 {
		vals := make([]string, len(a.opts.By))
		for i, b := range a.opts.By {
			vals[i] = a.breakdown(r, b)
		}
		g = groupPrefix + strings.Join(vals, sep)
		if _, ok := a.groups[g]; !ok {
			a.groups[g] = vals
		}
	}
	count := func(dim, v string) {
		a.counts[key{dim, v, ""}]++
		if g != "" {
			a.counts[key{dim, v, g}]++
		}
	}
	count(Interviews, All)
	if m := a.breakdown(r, "month"); !a.trendIsGroups {
		a.counts[key{Interviews, All, trendPrefix + m}]++
		a.months[m] = true
	}
	for _, d := range Dimensions {
		if !d.Multi {
			v := d.one(r)
			a.values[d.ID][v] = true
			count(d.ID, v)
			continue
		}
		for _, v := range d.many(r) {
			a.values[d.ID][v] = true
			count(d.ID, v)
		}
	}
}

// Count is one published count.
type Count struct {
	N          int
	Suppressed bool
	// Primary: suppressed for being under k itself, not to protect
	// another.
	Primary bool
}

// Table is one dimension's counts: Cells[v][g] for value v in group g,
// Margin[v] overall, with the groups' interview counts and the total.
// Without a breakdown there are no groups and only the margins.
type Table struct {
	Dimension string
	Multi     bool
	Values    []string
	Cells     [][]*Count
	Margin    []*Count
	ColTotals []*Count // the interviews in each group, shared by every table
	Total     *Count   // every interview, shared
}

// Report is the counted, suppressed tables.
type Report struct {
	K  int
	By []string
	// Groups are the breakdown's groups, each its values in By's order.
	Groups [][]string
	// Interviews counts the interviews: Values [All], one cell per group.
	Interviews *Table
	Tables     []*Table
	// Trend counts the interviews by month (its Values are [All]).
	Trend  *Table
	Months []string
	// N is the number of interviews; First and Last the earliest and
	// latest day counted.
	N           int
	First, Last time.Time
	// Suppressed is how many counts are suppressed, and by dimension.
	Suppressed   int
	Published    int
	SuppressedBy map[string]int
}

// Build makes the report: every count, then disclosure control.
func (a *Aggregator) Build() *Report {
	rep := &Report{K: a.opts.K, By: a.opts.By, N: a.n, First: a.first, Last: a.last, SuppressedBy: map[string]int{}}
	cells := map[key]*Count{}
	cell := func(k key) *Count {
		c := cells[k]
		if c == nil {
			c = &Count{N: a.counts[k]}
			cells[k] = c
		}
		return c
	}
	gkeys := make([]string, 0, len(a.groups))
	for g := range a.groups {
		gkeys = append(gkeys, g)
	}
	slices.SortFunc(gkeys, func(x, y string) int { return slices.Compare(a.groups[x], a.groups[y]) })
	for _, g := range gkeys {
		rep.Groups = append(rep.Groups, a.groups[g])
	}
	total := cell(key{Interviews, All, ""})
	colTotals := make([]*Count, len(gkeys))
	for i, g := range gkeys {
		colTotals[i] = cell(key{Interviews, All, g})
	}
	mk := func(dim string, multi bool, values []string) *Table {
		t := &Table{Dimension: dim, Multi: multi, Values: values, ColTotals: colTotals, Total: total}
		for _, v := range values {
			t.Margin = append(t.Margin, cell(key{dim, v, ""}))
			row := make([]*Count, len(gkeys))
			for i, g := range gkeys {
				row[i] = cell(key{dim, v, g})
			}
			t.Cells = append(t.Cells, row)
		}
		return t
	}
	rep.Interviews = &Table{Dimension: Interviews, Multi: true, Values: []string{All}, Cells: [][]*Count{colTotals},
		Margin: []*Count{total}, ColTotals: colTotals, Total: total}
	for _, d := range Dimensions {
		rep.Tables = append(rep.Tables, mk(d.ID, d.Multi, a.order(d.ID)))
	}
	// The monthly trend, and how it ties to the groups when a breakdown
	// has months in it.
	var extra []equation
	if a.trendIsGroups {
		rep.Months = make([]string, len(rep.Groups))
		for i, g := range rep.Groups {
			rep.Months[i] = g[0]
		}
		rep.Trend = &Table{Dimension: Interviews, Multi: true, Values: []string{All}, Cells: [][]*Count{colTotals},
			Margin: []*Count{total}, ColTotals: colTotals, Total: total}
	} else {
		for m := range a.months {
			rep.Months = append(rep.Months, m)
		}
		slices.Sort(rep.Months)
		row := make([]*Count, len(rep.Months))
		for i, m := range rep.Months {
			row[i] = cell(key{Interviews, All, trendPrefix + m})
		}
		rep.Trend = &Table{Dimension: Interviews, Multi: true, Values: []string{All}, Cells: [][]*Count{row},
			Margin: []*Count{total}, ColTotals: row, Total: total}
		if mi := slices.Index(a.opts.By, "month"); mi >= 0 {
			for i, m := range rep.Months {
				eq := equation{total: row[i]}
				for j, g := range rep.Groups {
					if g[mi] == m {
						eq.parts = append(eq.parts, colTotals[j])
					}
				}
				extra = append(extra, eq)
			}
		}
	}
	tables := append([]*Table{rep.Interviews, rep.Trend}, rep.Tables...)
	suppress(tables, extra, a.opts.K)
	for k, c := range cells {
		rep.Published++
		if c.Suppressed {
			rep.Suppressed++
			rep.SuppressedBy[k.dim]++
		}
	}
	return rep
}

// order lists a dimension's values: those Options.Order names (when
// seen), then the rest, sorted.
func (a *Aggregator) order(dim string) []string {
	seen := a.values[dim]
	var out []string
	for _, v := range a.opts.Order[dim] {
		if seen[v] && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	var rest []string
	for v := range seen {
		if !slices.Contains(out, v) {
			rest = append(rest, v)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// table returns the table of a dimension, or nil.
func table(r *Report, dim string) *Table {
	for _, t := range r.Tables {
		if t.Dimension == dim {
			return t
		}
	}
	return nil
}
