// Sections and question ids: the names the flow gets, and the converted
// expressions that use them.

package xlsform

import (
	"fmt"
	"regexp"
	"strings"

	"fieldscreen/questionnaire"
)

// newSection starts a section for the questions that follow, in the
// innermost group: a nested group is a section of its own, asked when
// every enclosing group's relevant holds.
func (c *conv) newSection(stack []group) *section {
	sec := &section{}
	base := "questions"
	if len(stack) > 0 {
		g := stack[len(stack)-1]
		if g.name != "" {
			base = g.name
		}
		sec.title = g.label
		var conds []string
		for _, g := range stack {
			if g.relevant != "" {
				conds = append(conds, g.relevant)
			}
		}
		if len(conds) == 1 {
			sec.relevant = conds[0]
		} else if len(conds) > 1 {
			sec.relevant = "(" + strings.Join(conds, ") and (") + ")"
		}
	}
	if sec.title == nil {
		sec.title = text{}
		for _, l := range c.langs {
			sec.title[l] = c.title[l]
		}
		if len(stack) > 0 && stack[len(stack)-1].name != "" {
			for _, l := range c.langs {
				sec.title[l] = stack[len(stack)-1].name
			}
		}
	}
	sec.id = c.sectionID(base)
	c.sections = append(c.sections, sec)
	return sec
}

func (c *conv) sectionID(base string) string {
	id := sanitize(base, "s")
	taken := func(x string) bool {
		for _, s := range c.sections {
			if s.id == x {
				return true
			}
		}
		return false
	}
	if !taken(id) {
		return id
	}
	for i := 2; ; i++ {
		if x := fmt.Sprintf("%s_%d", id, i); !taken(x) {
			return x
		}
	}
}

// reservedNames cannot be question ids: the flow language's own words and
// helpers, and expr's built-in functions.
var reservedNames = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`value referral caution consent_for true false nil and or not in
		real answered unknown has has_any count real_values map_unique tri
		all any none one filter map find findindex findlast findlastindex groupby sortby reduce sum len abs
		ceil floor round int float max min mean median trim trimprefix trimsuffix upper lower indexof
		lastindexof hasprefix hassuffix first last get take keys values reverse uniq sort type let if else
		matches contains startswith endswith string repeat join replace split concat flatten now date duration timezone`) {
		reservedNames[w] = true
	}
}

var notID = regexp.MustCompile(`[^a-z0-9_]+`)

func sanitize(name, prefix string) string {
	id := strings.Trim(notID.ReplaceAllString(strings.ToLower(name), "_"), "_")
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = prefix + "_" + id
	}
	if reservedNames[strings.ReplaceAll(id, "_", "")] || reservedNames[id] {
		id += "_" + prefix
	}
	return id
}

// claim gives name an id no other question has.
func (c *conv) claim(name, prefix string) string {
	id := sanitize(name, prefix)
	if !c.ids[id] {
		c.ids[id] = true
		return id
	}
	for i := 2; ; i++ {
		if x := fmt.Sprintf("%s_%d", id, i); !c.ids[x] {
			c.ids[x] = true
			return x
		}
	}
}

// expr converts the expression v in column col of row r; self is the
// question a constraint checks. On failure it lists the issue and
// returns "".
func (c *conv) expr(s *Sheet, r Row, col, v string, self *ref) string {
	cx := exprCtx{self: self, lookup: func(name string) (*ref, error) {
		if q := c.byName[name]; q != nil {
			if q.typ == "note" {
				return nil, fmt.Errorf("${%s} is a note, which has no answer", name)
			}
			return q.ref, nil
		}
		if why, ok := c.skipped[name]; ok {
			return nil, fmt.Errorf("${%s} was left out (%s)", name, why)
		}
		for _, later := range c.survey.Rows {
			if later.N >= r.N && c.survey.Get(later, "name") == name {
				return nil, fmt.Errorf("${%s} comes later in the form (row %d); a condition reads only earlier questions", name, later.N)
			}
		}
		return nil, fmt.Errorf("there is no question %q", name)
	}}
	out, err := convertExpr(v, cx)
	if err != nil {
		what := "the condition is left out, so the question is always asked"
		switch {
		case col == "constraint":
			what = "the constraint is left out"
		case self == nil && col == "relevant" && (c.survey.Get(r, "type") == "begin_group" || c.survey.Get(r, "type") == "begin group"):
			what = "the condition is left out, so the group is always asked"
		}
		c.issue(s, r.N, col, "%s: %s", err, what)
		return ""
	}
	return out
}

// dropRefused removes what the loader refused, by question, and lists it;
// false if it found nothing to drop.
func (c *conv) dropRefused(probs questionnaire.Problems) bool {
	dropped := false
	for _, p := range probs {
		for _, q := range c.questions {
			if p.Question != q.id || q.relevant == "" && len(q.constraints) == 0 {
				continue
			}
			c.issues = append(c.issues, Issue{Sheet: c.survey.Name, Row: q.row, Message: "not converted: " + p.Message + "; its relevant and constraint are left out"})
			q.relevant, q.constraints = "", nil
			dropped = true
		}
	}
	return dropped
}
