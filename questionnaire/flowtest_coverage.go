package questionnaire

import "fmt"

// Coverage says which parts of a flow's rules a suite's cases exercised:
// each case of every first-match finding, each referral and each of its
// priority cases, each caution (exercised: held in at least one case), and
// each question condition (a section's or question's relevant, an
// ends_interview_if: exercised when it held in one case and did not hold
// in another). Findings computed by an expression have no cases and are
// not counted.
type Coverage struct {
	Cases   int             `json:"cases"`
	Percent float64         `json:"percent"`
	Totals  []CoverageTotal `json:"totals"`
	Items   []CoverageItem  `json:"items"`
}

// Kinds of coverage item, in the order they are reported.
const (
	CoverFindingCase = "finding_case"
	CoverReferral    = "referral"
	CoverPriority    = "priority"
	CoverCaution     = "caution"
	CoverCondition   = "condition"
)

// CoverKinds lists the kinds of coverage item in report order.
var CoverKinds = []string{CoverFindingCase, CoverReferral, CoverPriority, CoverCaution, CoverCondition}

// CoverageItem is one part of the rules and how often the cases exercised it.
type CoverageItem struct {
	Kind string `json:"kind"`
	// Rule names the rule ("finding outcome", "referral legal_aid",
	// "question age", "section fear"); Part the part of it ("case
	// urgent_referral", "priority high", "relevant", "ends_interview_if").
	Rule string `json:"rule"`
	Part string `json:"part,omitempty"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Held counts the cases in which it held (a finding case gave the
	// value, a referral was made, a caution raised); NotHeld, for
	// conditions only, those in which it was evaluated and did not hold.
	Held    int  `json:"held"`
	NotHeld *int `json:"not_held,omitempty"`
	Covered bool `json:"covered"`
}

// CoverageTotal is the coverage of one kind of item.
type CoverageTotal struct {
	Kind    string  `json:"kind"`
	Covered int     `json:"covered"`
	Total   int     `json:"total"`
	Percent float64 `json:"percent"`
}

// Missed returns the items no case exercised (fully), in flow order.
func (c *Coverage) Missed() []CoverageItem {
	var out []CoverageItem
	for _, it := range c.Items {
		if !it.Covered {
			out = append(out, it)
		}
	}
	return out
}

// Total returns the coverage of one kind of item.
func (c *Coverage) Total(kind string) CoverageTotal {
	for _, t := range c.Totals {
		if t.Kind == kind {
			return t
		}
	}
	return CoverageTotal{Kind: kind, Percent: 100}
}

// coverageCounter counts, case after case, what the rules did.
type coverageCounter struct {
	f      *Flow
	cases  int
	items  []CoverageItem
	byCase map[*Case]int // finding and priority cases
	byRef  map[string]int
	byCaut map[string]int
	byCond map[*Expr]int
	byFind map[string]*Finding
}

func newCoverageCounter(f *Flow) *coverageCounter {
	c := &coverageCounter{f: f, byCase: map[*Case]int{}, byRef: map[string]int{}, byCaut: map[string]int{},
		byCond: map[*Expr]int{}, byFind: map[string]*Finding{}}
	item := func(kind, rule, part string, line int) int {
		c.items = append(c.items, CoverageItem{Kind: kind, Rule: rule, Part: part, File: f.Name, Line: line})
		return len(c.items) - 1
	}
	for _, fd := range f.Findings {
		c.byFind[fd.ID] = fd
		for _, cs := range fd.Cases {
			c.byCase[cs] = item(CoverFindingCase, "finding "+fd.ID, "case "+showValue(cs.Value), cs.Pos.Line)
		}
	}
	for _, r := range f.Referrals {
		line := r.Pos.Line
		if r.When != nil {
			line = r.When.Pos.Line
		}
		c.byRef[r.ID] = item(CoverReferral, "referral "+r.ID, "", line)
		for _, cs := range r.Priority {
			c.byCase[cs] = item(CoverPriority, "referral "+r.ID, "priority "+showValue(cs.Value), cs.Pos.Line)
		}
	}
	for _, ca := range f.Cautions {
		line := ca.Pos.Line
		if ca.When != nil {
			line = ca.When.Pos.Line
		}
		c.byCaut[ca.ID] = item(CoverCaution, "caution "+ca.ID, "", line)
	}
	cond := func(e *Expr, rule, part string) {
		if e != nil {
			c.byCond[e] = item(CoverCondition, rule, part, e.Pos.Line)
			c.items[c.byCond[e]].NotHeld = new(int)
		}
	}
	for _, s := range f.Sections {
		cond(s.Relevant, "section "+s.ID, "relevant")
		for _, q := range s.Questions {
			cond(q.Relevant, "question "+q.ID, "relevant")
			cond(q.EndsIf, "question "+q.ID, "ends_interview_if")
		}
	}
	return c
}

// add counts one scored case; a nil counter counts nothing.
func (c *coverageCounter) add(s *Summary, tr *trace) {
	if c == nil {
		return
	}
	c.cases++
	for _, x := range s.Explanations {
		if x.Kind != "finding" || x.Case < 0 {
			continue
		}
		if fd := c.byFind[x.ID]; fd != nil && x.Case < len(fd.Cases) {
			c.items[c.byCase[fd.Cases[x.Case]]].Held++
		}
	}
	for _, r := range s.Referrals {
		if i, ok := c.byRef[r.ID]; ok {
			c.items[i].Held++
		}
	}
	for r, i := range tr.prio {
		if k, ok := c.byCase[r.Priority[i]]; ok {
			c.items[k].Held++
		}
	}
	for _, ca := range s.Cautions {
		if i, ok := c.byCaut[ca.ID]; ok {
			c.items[i].Held++
		}
	}
	for e, seen := range tr.conds {
		i, ok := c.byCond[e]
		if !ok {
			continue
		}
		if seen&condHeld != 0 {
			c.items[i].Held++
		}
		if seen&condNotHeld != 0 {
			*c.items[i].NotHeld++
		}
	}
}

func (c *coverageCounter) result() *Coverage {
	out := &Coverage{Cases: c.cases, Items: make([]CoverageItem, len(c.items))}
	totals := map[string]*CoverageTotal{}
	all := CoverageTotal{Kind: "all"}
	for i, it := range c.items {
		if it.NotHeld != nil {
			n := *it.NotHeld
			it.NotHeld = &n // the result shares nothing with the counter
		}
		it.Covered = it.Held > 0 && (it.NotHeld == nil || *it.NotHeld > 0)
		out.Items[i] = it
		t := totals[it.Kind]
		if t == nil {
			t = &CoverageTotal{Kind: it.Kind}
			totals[it.Kind] = t
		}
		t.Total++
		all.Total++
		if it.Covered {
			t.Covered++
			all.Covered++
		}
	}
	for _, k := range CoverKinds {
		if t := totals[k]; t != nil {
			t.Percent = percent(t.Covered, t.Total)
			out.Totals = append(out.Totals, *t)
		}
	}
	all.Percent = percent(all.Covered, all.Total)
	out.Totals = append(out.Totals, all)
	out.Percent = all.Percent
	return out
}

func percent(n, of int) float64 {
	if of == 0 {
		return 100
	}
	return float64(n) * 100 / float64(of)
}

// String is the item as a reader finds it in the flow: "case
// urgent_referral of finding outcome".
func (it CoverageItem) String() string {
	if it.Part == "" {
		return it.Rule
	}
	return fmt.Sprintf("%s, %s", it.Rule, it.Part)
}
