package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func build(t testing.TB, recs []Record, o Options) *Report {
	t.Helper()
	if err := CheckOptions(o); err != nil {
		t.Fatal(err)
	}
	a := NewAggregator(o)
	for i := range recs {
		a.Add(&recs[i])
	}
	return a.Build()
}

// rec makes a record with an outcome and a location.
func rec(outcome, loc string) Record {
	return Record{Outcome: outcome, Location: loc, Situation: "x", TraffickingIndicators: "x", RefugeeLevel: "x",
		AgeBand: AgeUnknown, Gender: NotRecorded, PresentIn: NotRecorded, When: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
}

func recs(spec map[[2]string]int) []Record {
	var out []Record
	for k, n := range spec {
		for range n {
			out = append(out, rec(k[0], k[1]))
		}
	}
	return out
}

func cellOf(t *Table, value string) *Count {
	for i, v := range t.Values {
		if v == value {
			return t.Margin[i]
		}
	}
	return nil
}

// A 3 next to a 50 whose total is shown would be 53 - 50: both go.
func TestSmallCellAndItsComplementSuppressed(t *testing.T) {
	r := build(t, recs(map[[2]string]int{{"urgent_referral", "A"}: 3, {"further_assessment", "A"}: 50}), Options{K: 11})
	tab := table(r, "outcome")
	small, big := cellOf(tab, "urgent_referral"), cellOf(tab, "further_assessment")
	if !small.Suppressed || !small.Primary {
		t.Errorf("the 3 is shown: %+v", small)
	}
	if !big.Suppressed || big.Primary {
		t.Errorf("the 50 next to it is shown, or counted as primary: %+v", big)
	}
	if tab.Total.Suppressed || tab.Total.N != 53 {
		t.Errorf("total %+v, want 53 shown", tab.Total)
	}
	var text bytes.Buffer
	if err := WriteText(&text, r, Meta{}, 80); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text.String(), " 50") || strings.Contains(text.String(), " 3\n") || !strings.Contains(text.String(), "<11") {
		t.Errorf("text shows what it hides:\n%s", text.String())
	}
}

// In a two-way table, a 3 at one site: its row, its column and the
// margins must not give it back.
func TestTwoWaySuppression(t *testing.T) {
	spec := map[[2]string]int{
		{"urgent_referral", "A"}: 3, {"urgent_referral", "B"}: 40, {"urgent_referral", "C"}: 25,
		{"further_assessment", "A"}: 30, {"further_assessment", "B"}: 22, {"further_assessment", "C"}: 60,
		{"refer_for_protection", "A"}: 12, {"refer_for_protection", "B"}: 14, {"refer_for_protection", "C"}: 0,
	}
	r := build(t, recs(spec), Options{By: []string{"location"}, K: 11})
	tab := table(r, "outcome")
	if !tab.Cells[slicesIndex(tab.Values, "urgent_referral")][0].Suppressed {
		t.Fatal("the 3 is shown")
	}
	checkUndetermined(t, tab, 11)
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// TestSuppressionRandom builds random two-way tables and checks, by
// linear algebra over the table's sums, that no hidden count can be
// worked out from what is shown, and that nothing under k is shown.
func TestSuppressionRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	outcomes := []string{"o1", "o2", "o3", "o4", "o5"}
	locs := []string{"A", "B", "C", "D"}
	for trial := range 300 {
		spec := map[[2]string]int{}
		for _, o := range outcomes[:2+rng.IntN(4)] {
			for _, l := range locs[:1+rng.IntN(4)] {
				switch rng.IntN(4) {
				case 0:
					spec[[2]string{o, l}] = 0
				case 1:
					spec[[2]string{o, l}] = 1 + rng.IntN(10)
				default:
					spec[[2]string{o, l}] = rng.IntN(60)
				}
			}
		}
		k := 2 + rng.IntN(12)
		r := build(t, recs(spec), Options{By: []string{"location"}, K: k})
		tab := table(r, "outcome")
		t.Run(fmt.Sprint(trial), func(t *testing.T) { checkUndetermined(t, tab, k) })
	}
}

// checkUndetermined fails if a count under k is shown, or if a hidden
// count is fixed by the shown counts and the table's sums (its unit
// vector lies in the row space of the sums restricted to hidden counts).
func checkUndetermined(t *testing.T, tab *Table, k int) {
	t.Helper()
	nv, ng := len(tab.Values), len(tab.ColTotals)
	var hidden []*Count
	idx := map[*Count]int{}
	for r := range nv + 1 {
		for c := range ng + 1 {
			x := tab.at(r, c)
			if x.N > 0 && x.N < k && !x.Suppressed {
				t.Errorf("count %d under k=%d shown at %d,%d", x.N, k, r, c)
			}
			if x.Suppressed {
				if _, ok := idx[x]; !ok {
					idx[x] = len(hidden)
					hidden = append(hidden, x)
				}
			}
		}
	}
	var rows [][]*big.Rat
	for _, e := range tab.equations() {
		v := make([]*big.Rat, len(hidden))
		for i := range v {
			v[i] = new(big.Rat)
		}
		for _, c := range e.parts {
			if i, ok := idx[c]; ok {
				v[i].Add(v[i], big.NewRat(1, 1))
			}
		}
		if i, ok := idx[e.total]; ok {
			v[i].Sub(v[i], big.NewRat(1, 1))
		}
		rows = append(rows, v)
	}
	base := rank(rows, len(hidden))
	for i, h := range hidden {
		unit := make([]*big.Rat, len(hidden))
		for j := range unit {
			unit[j] = new(big.Rat)
		}
		unit[i].SetInt64(1)
		if rank(append(append([][]*big.Rat(nil), rows...), unit), len(hidden)) == base {
			t.Errorf("hidden count %d can be worked out (cell %d of %d hidden)\n%s", h.N, i, len(hidden), dump(tab, k))
		}
	}
}

func rank(m [][]*big.Rat, cols int) int {
	a := make([][]*big.Rat, len(m))
	for i, row := range m {
		a[i] = make([]*big.Rat, cols)
		for j := range cols {
			a[i][j] = new(big.Rat).Set(row[j])
		}
	}
	r := 0
	for c := 0; c < cols && r < len(a); c++ {
		p := -1
		for i := r; i < len(a); i++ {
			if a[i][c].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		a[r], a[p] = a[p], a[r]
		for i := range a {
			if i == r || a[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Quo(a[i][c], a[r][c])
			for j := c; j < cols; j++ {
				a[i][j].Sub(a[i][j], new(big.Rat).Mul(f, a[r][j]))
			}
		}
		r++
	}
	return r
}

func dump(tab *Table, k int) string {
	var b strings.Builder
	for r := range len(tab.Values) + 1 {
		for c := range len(tab.ColTotals) + 1 {
			fmt.Fprintf(&b, "%4d%s", tab.at(r, c).N, map[bool]string{true: "*", false: " "}[tab.at(r, c).Suppressed])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestCheckOptions(t *testing.T) {
	for _, o := range []Options{{K: 0}, {K: 11, By: []string{"site"}}, {K: 11, By: []string{"month", "month"}}, {K: 11, By: []string{"month", "week", "location"}}} {
		if CheckOptions(o) == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

func TestAgeBands(t *testing.T) {
	for age, want := range map[any]string{0: "0-8", 8: "0-8", 9: "9-17", 17: "9-17", 18: "18-20", 29: "27-29", 30: "30-38", 47: "39-47", 48: "48+", 120: "48+", "declined": "unknown", nil: "unknown"} {
		if got := AgeBand(age); got != want {
			t.Errorf("AgeBand(%v) = %s, want %s", age, got, want)
		}
	}
}

// JSON and CSV write one row per count, null/empty when suppressed, and
// an internal report says so in the document and on every CSV row.
func TestJSONAndCSV(t *testing.T) {
	r := build(t, recs(map[[2]string]int{{"urgent_referral", "LOC-01"}: 3, {"further_assessment", "LOC-01"}: 50, {"further_assessment", "LOC-02"}: 20}), Options{By: []string{"location"}, K: 11})
	var js bytes.Buffer
	if err := WriteJSON(&js, r, Meta{Flows: []string{"f 1"}, Period: "2026-03"}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		K     int
		Cells []map[string]any
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, js.String())
	}
	found := false
	for _, c := range doc.Cells {
		by, _ := c["by"].(map[string]any)
		if c["dimension"] == "outcome" && c["value"] == "urgent_referral" && by["location"] == "LOC-01" {
			found = true
			if c["count"] != nil || c["suppressed"] != true {
				t.Errorf("suppressed cell written as %v", c)
			}
		}
		if _, ok := c["by"].(map[string]any); !ok {
			t.Errorf("by is not an object: %v", c)
		}
	}
	if !found || doc.K != 11 {
		t.Errorf("k %d, cell found %v:\n%s", doc.K, found, js.String())
	}
	var cs bytes.Buffer
	if err := WriteCSV(&cs, build(t, recs(map[[2]string]int{{"urgent_referral", "LOC-01"}: 3}), Options{K: 1}), Meta{Internal: true}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&cs).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := len(recs[0]) - 1
	if recs[0][last] != "notice" {
		t.Fatalf("header %v", recs[0])
	}
	for _, rec := range recs[1:] {
		if !strings.Contains(rec[last], "must not leave the organisation") {
			t.Errorf("row without the internal notice: %v", rec)
		}
	}
}

// Each text table of an internal report carries the warning.
func TestTextInternalOnEveryTable(t *testing.T) {
	r := build(t, recs(map[[2]string]int{{"urgent_referral", "LOC-01"}: 3}), Options{K: 1, By: []string{"location"}})
	var b bytes.Buffer
	if err := WriteText(&b, r, Meta{Internal: true}, 60); err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(b.String(), "\n\n")
	for _, blk := range blocks[1:] {
		if !strings.Contains(blk, "must not leave") {
			t.Errorf("a table without the warning:\n%s", blk)
		}
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if len([]rune(line)) > 60 {
			t.Errorf("line wider than 60: %q", line)
		}
	}
}

// A small site whose interviews all have one outcome: the zeros beside
// its hidden count would say which outcome that is, so they are hidden
// too; the other site's zeros, beside shown counts, stay.
func TestZerosBesideHiddenCountsHidden(t *testing.T) {
	spec := map[[2]string]int{
		{"urgent_referral", "A"}: 30, {"further_assessment", "A"}: 40, {"refer_for_protection", "A"}: 25,
		{"urgent_referral", "B"}: 4,
	}
	r := build(t, recs(spec), Options{By: []string{"location"}, K: 11})
	tab := table(r, "outcome")
	for _, v := range []string{"further_assessment", "refer_for_protection"} {
		c := tab.Cells[slicesIndex(tab.Values, v)][1]
		if c.N != 0 || !c.Suppressed {
			t.Errorf("site B's %s: %+v; a zero there must be hidden", v, c)
		}
	}
	if c := tab.Cells[slicesIndex(tab.Values, "urgent_referral")][1]; !c.Suppressed {
		t.Errorf("site B's 4 is shown")
	}
	checkUndetermined(t, tab, 11)
	// Zeros in a sum with counts shown are kept: the overall outcome table
	// has none hidden here.
	r = build(t, recs(map[[2]string]int{{"urgent_referral", "A"}: 30, {"further_assessment", "A"}: 40}), Options{K: 11})
	if c := cellOf(table(r, "outcome"), "refer_for_protection"); c != nil && (c.N != 0 || c.Suppressed) {
		t.Errorf("a zero beside shown counts: %+v, want shown", c)
	}
}

// A table nothing was counted in (no referrals, no question declined)
// says so in one line under its heading, rather than a heading over an
// empty grid; in text and in HTML.
func TestEmptyTablesSayNothingToCount(t *testing.T) {
	r := build(t, recs(map[[2]string]int{{"urgent_referral", "A"}: 20}), Options{K: 11})
	m := Meta{}
	var empty []string
	for _, tab := range r.Tables {
		if len(tab.Values) == 0 {
			empty = append(empty, m.dim(tab.Dimension))
		}
	}
	if len(empty) == 0 {
		t.Fatal("no empty table to check")
	}
	nothing := m.word("empty_table")
	if nothing == "report.empty_table" || nothing == "" {
		t.Fatalf("no words for an empty table: %q", nothing)
	}
	var text bytes.Buffer
	if err := WriteText(&text, r, m, 80); err != nil {
		t.Fatal(err)
	}
	for _, title := range empty {
		if !strings.Contains(text.String(), "\n"+title+"\n"+nothing+"\n") {
			t.Errorf("the text report's empty table %q does not say %q:\n%s", title, nothing, text.String())
		}
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, r, m, "en"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(page.String(), "<tbody>\n</tbody>") {
		t.Error("the HTML report has a table with no rows")
	}
	if n := strings.Count(page.String(), "<p>"+nothing+"</p>"); n != len(empty) {
		t.Errorf("the HTML report says %q %d times, want %d (one per empty table)", nothing, n, len(empty))
	}
}

// Text to a file or a pipe (width 0) keeps every label whole: the report
// is sent on, and nobody's terminal width matters there. On a terminal
// the lines fit, long labels are cut, and a question's ID in brackets,
// which comes first, survives the cut even on a narrow terminal.
func TestTextLabelsWholeUnlessTerminal(t *testing.T) {
	const (
		long = "Indications of trafficking in the country of origin, then left"
		id   = "[identified_as_trafficking_victim]"
		q    = id + " Have the authorities ever formally identified you as a victim of trafficking?"
	)
	r0 := rec("urgent_referral", "A")
	r0.Declined = []string{"identified_as_trafficking_victim"}
	r := build(t, []Record{r0, r0, r0}, Options{K: 1})
	m := Meta{Internal: true, Labels: Labels{Value: func(dim, v string) string {
		switch dim {
		case "outcome":
			return long
		case "declined":
			return "[" + v + "] Have the authorities ever formally identified you as a victim of trafficking?"
		}
		return ""
	}}}
	var file bytes.Buffer
	if err := WriteText(&file, r, m, 0); err != nil {
		t.Fatal(err)
	}
	for _, whole := range []string{long, q} {
		if !strings.Contains(file.String(), "\n"+whole+"  ") {
			t.Errorf("to a file, the label %q is not whole:\n%s", whole, file.String())
		}
	}
	if strings.Contains(file.String(), "…") {
		t.Errorf("to a file, a label is cut:\n%s", file.String())
	}
	for _, width := range []int{80, 60, 50} {
		var term bytes.Buffer
		if err := WriteText(&term, r, m, width); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(term.String(), "\n") {
			if n := len([]rune(line)); n > width && !strings.HasPrefix(line, "Questions declined") {
				t.Errorf("width %d: a line of %d: %q", width, n, line)
			}
			if strings.HasPrefix(line, "[identified") && !strings.HasPrefix(line, id) {
				t.Errorf("width %d: the cut lost the question's ID: %q", width, line)
			}
		}
		if strings.Contains(term.String(), long) || strings.Contains(term.String(), q) {
			t.Errorf("width %d: a label longer than half the terminal is whole:\n%s", width, term.String())
		}
		if !strings.Contains(term.String(), "\n"+id) {
			t.Errorf("width %d: no declined row:\n%s", width, term.String())
		}
	}
}
