package questionnaire

import (
	"slices"
	"sort"
)

// Comparison counts what a new flow would change in the summaries of many
// interviews, each scored with the flow it was taken with and with the new
// one: the headline's transitions (old × new), the referrals and cautions
// gained and lost, and the interviews that changed with the differences.
// Add it summaries one pair at a time (from one goroutine), then Result.
type Comparison struct {
	headline   string // the headline's field ("outcome")
	order      []string
	n, changed int
	trans      map[[2]string]int
	refs       map[string]*ReferralShift
	cauts      map[string]*CautionShift
	changes    []InterviewChange
}

// ComparisonResult is a Comparison's report; its JSON field names are stable.
type ComparisonResult struct {
	New        FlowRef           `json:"new_flow"`
	Headline   string            `json:"headline"`
	Values     []string          `json:"values"` // the headline's values, in the flow's order
	Interviews int               `json:"interviews"`
	Changed    int               `json:"changed"`
	Transition []Transition      `json:"transitions"`
	Referrals  []ReferralShift   `json:"referrals"`
	Cautions   []CautionShift    `json:"cautions"`
	Changes    []InterviewChange `json:"changes"`
}

// Transition counts the interviews whose headline went from Old to New.
type Transition struct {
	Old   string `json:"old"`
	New   string `json:"new"`
	Count int    `json:"count"`
}

// ReferralShift counts, for one referral, the interviews that gain it, lose
// it, or have it at a higher or lower priority.
type ReferralShift struct {
	ID     string `json:"id"`
	Gained int    `json:"gained"`
	Lost   int    `json:"lost"`
	Higher int    `json:"higher"`
	Lower  int    `json:"lower"`
}

// CautionShift counts the interviews that gain or lose a caution.
type CautionShift struct {
	ID     string `json:"id"`
	Gained int    `json:"gained"`
	Lost   int    `json:"lost"`
}

// InterviewChange is one interview whose summary the new flow changes.
type InterviewChange struct {
	InterviewID string       `json:"interview_id,omitempty"`
	Source      string       `json:"source,omitempty"`
	OldFlow     FlowRef      `json:"old_flow"`
	Old         string       `json:"old"` // headline
	New         string       `json:"new"`
	Differences []Difference `json:"differences"`
}

// Difference is one thing an interview's summary says otherwise.
type Difference struct {
	Kind string `json:"kind"` // headline, referral_gained, referral_lost, priority, caution_gained, caution_lost
	ID   string `json:"id,omitempty"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
	// Reasons are what the rule read when it fired: the new summary's for
	// a referral or caution gained or changed, the old one's for one lost.
	Reasons []string `json:"reasons,omitempty"`
}

// NewComparison compares summaries against the new flow's; the headline
// is its fail_safe finding, else "outcome".
func NewComparison(newFlow *Flow, oldFlows ...*Flow) *Comparison {
	c := &Comparison{trans: map[[2]string]int{}, refs: map[string]*ReferralShift{}, cauts: map[string]*CautionShift{}}
	id := "outcome"
	if newFlow.FailSafe != nil {
		id = newFlow.FailSafe.Finding
	}
	c.headline = id
	for _, f := range append([]*Flow{newFlow}, oldFlows...) {
		for _, fd := range f.Findings {
			if fd.ID != id {
				continue
			}
			if c.headline == id {
				c.headline = fd.Field
			}
			for _, cs := range fd.Cases {
				if s, ok := cs.Value.(string); ok && !slices.Contains(c.order, s) {
					c.order = append(c.order, s)
				}
			}
		}
	}
	return c
}

// Add counts one interview: old is its summary with the flow it was taken
// with, new with the new flow. It returns the interview's differences.
func (c *Comparison) Add(old, new *Summary) []Difference {
	c.n++
	oh, nh := old.GetString(c.headline), new.GetString(c.headline)
	for _, v := range []string{oh, nh} {
		if !slices.Contains(c.order, v) {
			c.order = append(c.order, v)
		}
	}
	c.trans[[2]string{oh, nh}]++
	diffs := CompareSummaries(c.headline, old, new)
	for _, d := range diffs {
		switch d.Kind {
		case "referral_gained", "referral_lost", "priority":
			r := c.refs[d.ID]
			if r == nil {
				r = &ReferralShift{ID: d.ID}
				c.refs[d.ID] = r
			}
			switch {
			case d.Kind == "referral_gained":
				r.Gained++
			case d.Kind == "referral_lost":
				r.Lost++
			case priorityRank(d.New) < priorityRank(d.Old):
				r.Higher++
			default:
				r.Lower++
			}
		case "caution_gained", "caution_lost":
			s := c.cauts[d.ID]
			if s == nil {
				s = &CautionShift{ID: d.ID}
				c.cauts[d.ID] = s
			}
			if d.Kind == "caution_gained" {
				s.Gained++
			} else {
				s.Lost++
			}
		}
	}
	if len(diffs) > 0 {
		c.changed++
		c.changes = append(c.changes, InterviewChange{InterviewID: new.InterviewID, Source: new.Source, OldFlow: old.Flow, Old: oh, New: nh, Differences: diffs})
	}
	return diffs
}

// CompareSummaries lists what new says otherwise than old: the headline
// (at field), each referral gained, lost or at another priority, each
// caution gained or lost.
func CompareSummaries(headline string, old, new *Summary) []Difference {
	var out []Difference
	if o, n := old.GetString(headline), new.GetString(headline); o != n {
		out = append(out, Difference{Kind: "headline", ID: headline, Old: o, New: n})
	}
	for _, r := range new.Referrals {
		p := findReferral(old, r.ID)
		switch {
		case p == nil:
			out = append(out, Difference{Kind: "referral_gained", ID: r.ID, New: r.Priority, Reasons: r.Reasons})
		case p.Priority != r.Priority:
			out = append(out, Difference{Kind: "priority", ID: r.ID, Old: p.Priority, New: r.Priority, Reasons: r.Reasons})
		}
	}
	for _, p := range old.Referrals {
		if findReferral(new, p.ID) == nil {
			out = append(out, Difference{Kind: "referral_lost", ID: p.ID, Old: p.Priority, Reasons: p.Reasons})
		}
	}
	has := func(s *Summary, id string) *CautionResult {
		for i := range s.Cautions {
			if s.Cautions[i].ID == id {
				return &s.Cautions[i]
			}
		}
		return nil
	}
	for _, ca := range new.Cautions {
		if has(old, ca.ID) == nil {
			out = append(out, Difference{Kind: "caution_gained", ID: ca.ID, Reasons: ca.Reasons})
		}
	}
	for _, ca := range old.Cautions {
		if has(new, ca.ID) == nil {
			out = append(out, Difference{Kind: "caution_lost", ID: ca.ID, Reasons: ca.Reasons})
		}
	}
	return out
}

// Result reports the comparison: transitions in the headline's order,
// referrals and cautions by ID, the changed interviews in the order added.
func (c *Comparison) Result(newFlow *Flow) *ComparisonResult {
	r := &ComparisonResult{New: newFlow.Ref(), Headline: c.headline, Values: c.order, Interviews: c.n, Changed: c.changed,
		Transition: []Transition{}, Referrals: []ReferralShift{}, Cautions: []CautionShift{}, Changes: c.changes}
	if r.Changes == nil {
		r.Changes = []InterviewChange{}
	}
	for _, o := range c.order {
		for _, n := range c.order {
			if k := c.trans[[2]string{o, n}]; k > 0 {
				r.Transition = append(r.Transition, Transition{Old: o, New: n, Count: k})
			}
		}
	}
	for _, s := range c.refs {
		r.Referrals = append(r.Referrals, *s)
	}
	sort.Slice(r.Referrals, func(i, j int) bool { return r.Referrals[i].ID < r.Referrals[j].ID })
	for _, s := range c.cauts {
		r.Cautions = append(r.Cautions, *s)
	}
	sort.Slice(r.Cautions, func(i, j int) bool { return r.Cautions[i].ID < r.Cautions[j].ID })
	return r
}

// Count is how many interviews went from old to new.
func (r *ComparisonResult) Count(old, new string) int {
	for _, t := range r.Transition {
		if t.Old == old && t.New == new {
			return t.Count
		}
	}
	return 0
}
