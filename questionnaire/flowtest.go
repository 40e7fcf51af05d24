package questionnaire

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// A flow's test suite is one or more case files. Each case is a story: the
// answers a person gave, and what the summary must say of them. Running
// the cases proves that the flow says what its author means, and their
// coverage shows which rules no case has exercised.
//
//	profiles:                       # optional: answers that cases start from
//	  adult: {consent: "yes", age: 30}
//	cases:
//	  - name: adult trafficked abroad, removal next week
//	    note: the story, for the reader
//	    profile: adult                # optional: a name or a list, later ones win
//	    answers: {ever_exploited: "yes", deportation_risk: "yes"}
//	    expect:
//	      outcome: urgent_referral
//	      trafficking.indicators: strong          # any summary field by JSON path
//	      referrals: {asylum_procedure: urgent, legal_aid: any}
//	      not_referrals: [resettlement_assessment]
//	      cautions: [non_refoulement]
//	      not_cautions: [repatriation_not_suitable]
//	      consent: {asylum_procedure: given}      # a referral's consent
//	      asked: [deportation_risk]               # questions asked, or not
//	      not_asked: [feels_unsafe_where_living]
//	      dropped: []                              # answers the flow would not ask
//	      referral_order: [asylum_procedure, legal_aid]   # exactly these, in order
//	      caution_order: [non_refoulement]

// CaseFile is a parsed, checked case file.
type CaseFile struct {
	Name  string
	Cases []*FlowCase
}

// FlowCase is one case of a suite: answers and what their summary must say.
type FlowCase struct {
	Name string
	Note string
	File string
	Line int
	// Answers as checked against the flow; Dropped lists, in flow order,
	// the answers it would not ask under the others (not kept).
	Answers Answers
	Dropped []string
	Expect  []Expectation
}

// Expectation is one thing a case's summary must say.
type Expectation struct {
	Kind string // one of the Expect* kinds
	// Key is the field path, or the referral, caution or question ID.
	Key string
	// Want is the value a field must have (as JSON would decode it), a
	// priority ("any" for any), a consent, or for ExpectDropped the list.
	Want any
	Line int // in the case file
}

// Kinds of expectation.
const (
	ExpectField       = "field"
	ExpectReferral    = "referral"
	ExpectNotReferral = "not_referral"
	ExpectCaution     = "caution"
	ExpectNotCaution  = "not_caution"
	ExpectConsent     = "consent"
	ExpectAsked       = "asked"
	ExpectNotAsked    = "not_asked"
	ExpectDropped     = "dropped"
	// The referrals made, or the cautions raised, exactly and in order.
	ExpectReferralOrder = "referral_order"
	ExpectCautionOrder  = "caution_order"
)

// PriorityAny in a case's referrals accepts a referral at any priority.
const PriorityAny = "any"

var (
	caseFileKeys = []string{"cases", "profiles"}
	caseKeys     = []string{"name", "note", "profile", "answers", "expect"}
	// expect keys other than summary field paths
	expectKeys = []string{"referrals", "not_referrals", "cautions", "not_cautions", "consent", "asked", "not_asked", "dropped",
		"referral_order", "caution_order"}
)

// ParseCases reads and checks a case file against the flow. Every problem
// is reported at once, as file:line:col, like an answers file's: an answer
// a question cannot take, an unknown question, referral, caution or
// summary field, a value a finding cannot have.
func (f *Flow) ParseCases(name string, src []byte) (cf *CaseFile, err error) {
	defer func() {
		if r := recover(); r != nil {
			cf, err = nil, Problems{{File: name, Message: fmt.Sprintf("internal error while reading cases: %v", r)}}
		}
	}()
	p := &caseParser{f: f, name: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, Problems{yamlSyntaxProblem(name, src, err)}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, Problems{{File: name, Line: 1, Col: 1, Message: "a case file must be a mapping with `cases:` (a list of cases)"}}
	}
	root := doc.Content[0]
	profiles := map[string]*yaml.Node{}
	var casesNode *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "cases":
			casesNode = v
		case "profiles":
			if v.Kind != yaml.MappingNode {
				p.add(v, "`profiles:` must be a mapping of name → answers")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				pk, pv := v.Content[j], resolveAlias(v.Content[j+1])
				if pv.Kind != yaml.MappingNode {
					p.add(pv, "profile %q must be a mapping of question ID → value", pk.Value)
					continue
				}
				profiles[pk.Value] = pv
			}
		default:
			p.unknownKey(k, caseFileKeys, "a case file has cases and profiles")
		}
	}
	if casesNode == nil {
		p.probs = append(p.probs, Problem{File: name, Line: 1, Col: 1, Message: "no `cases:` list"})
		return nil, p.probs
	}
	if casesNode.Kind != yaml.SequenceNode {
		p.add(casesNode, "`cases:` must be a list of cases, each with name, answers and expect")
		return nil, p.probs
	}
	cf = &CaseFile{Name: name}
	seen := map[string]int{}
	for _, n := range casesNode.Content {
		c := p.parseCase(n, profiles)
		if c == nil {
			continue
		}
		if line, dup := seen[c.Name]; dup {
			p.add(n, "two cases are named %q (the other at line %d); give each its own name", c.Name, line)
		}
		seen[c.Name] = c.Line
		cf.Cases = append(cf.Cases, c)
	}
	if len(p.probs) > 0 {
		return nil, sortProblems(p.probs)
	}
	return cf, nil
}

type caseParser struct {
	f     *Flow
	name  string
	probs Problems
}

func (p *caseParser) add(n *yaml.Node, format string, args ...any) {
	p.probs = append(p.probs, Problem{File: p.name, Line: n.Line, Col: n.Column, Message: fmt.Sprintf(format, args...)})
}

func (p *caseParser) unknownKey(k *yaml.Node, keys []string, has string) {
	hint := ""
	if near := nearest(k.Value, keys); near != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", near)
	}
	p.add(k, "unknown key %q%s; %s", k.Value, hint, has)
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func (p *caseParser) parseCase(n *yaml.Node, profiles map[string]*yaml.Node) *FlowCase {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		p.add(n, "a case must be a mapping with name, answers and expect")
		return nil
	}
	c := &FlowCase{File: p.name, Line: n.Line}
	var answersNode, expectNode *yaml.Node
	var layers []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		switch k.Value {
		case "name":
			c.Name = p.text(v, "name")
		case "note":
			c.Note = p.text(v, "note")
		case "profile":
			for _, pn := range p.names(v, "profile") {
				prof, ok := profiles[pn.Value]
				if !ok {
					var names []string
					for name := range profiles {
						names = append(names, name)
					}
					hint := ""
					if near := nearest(pn.Value, names); near != "" {
						hint = fmt.Sprintf(" (did you mean %q?)", near)
					}
					p.add(pn, "no profile %q in this file%s", pn.Value, hint)
					continue
				}
				layers = append(layers, prof)
			}
		case "answers":
			answersNode = v
		case "expect":
			expectNode = v
		default:
			p.unknownKey(k, caseKeys, "a case has name, note, profile, answers and expect")
		}
	}
	if c.Name == "" {
		p.add(n, "a case needs a name")
	}
	if answersNode != nil {
		if answersNode.Kind != yaml.MappingNode {
			p.add(answersNode, "`answers:` must be a mapping of question ID → value")
			return nil
		}
		layers = append(layers, answersNode)
	}
	if len(layers) == 0 {
		p.add(n, "case %q has no answers (give `answers:`, or a `profile:`)", c.Name)
		return nil
	}
	ans, dropped, probs := p.f.checkAnswers(p.name, mergeAnswers(layers), "")
	p.probs = append(p.probs, probs...)
	c.Answers, c.Dropped = ans, nonNil(dropped)
	if expectNode == nil {
		p.add(n, "case %q has no `expect:` (what its summary must say)", c.Name)
		return c
	}
	c.Expect = p.expectations(expectNode)
	return c
}

// mergeAnswers lays answer mappings one over the other into one mapping,
// a later answer to a question replacing an earlier one. Each answer keeps
// its own line, so a problem is reported where the answer is written.
func mergeAnswers(layers []*yaml.Node) *yaml.Node {
	if len(layers) == 1 {
		return layers[0]
	}
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: layers[len(layers)-1].Line, Column: layers[len(layers)-1].Column}
	at := map[string]int{}
	for _, l := range layers {
		for i := 0; i+1 < len(l.Content); i += 2 {
			k, v := l.Content[i], l.Content[i+1]
			if j, ok := at[k.Value]; ok {
				out.Content[j], out.Content[j+1] = k, v
				continue
			}
			at[k.Value] = len(out.Content)
			out.Content = append(out.Content, k, v)
		}
	}
	return out
}

func (p *caseParser) text(v *yaml.Node, key string) string {
	if v.Kind != yaml.ScalarNode {
		p.add(v, "%s must be text", key)
		return ""
	}
	return v.Value
}

// names reads one name or a list of names.
func (p *caseParser) names(v *yaml.Node, key string) []*yaml.Node {
	switch v.Kind {
	case yaml.ScalarNode:
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, e := range v.Content {
			if e = resolveAlias(e); e.Kind != yaml.ScalarNode {
				p.add(e, "%s must be a list of names", key)
				continue
			}
			out = append(out, e)
		}
		return out
	}
	p.add(v, "%s must be a name or a list of names", key)
	return nil
}

func (p *caseParser) expectations(n *yaml.Node) []Expectation {
	if n.Kind != yaml.MappingNode {
		p.add(n, "`expect:` must be a mapping: summary fields, referrals, cautions…")
		return nil
	}
	f := p.f
	var out []Expectation
	refIDs, cautIDs, qIDs := f.referralIDs(), f.cautionIDs(), f.questionIDs()
	known := func(kind string, id *yaml.Node, ids []string) bool {
		if slices.Contains(ids, id.Value) {
			return true
		}
		hint := ""
		if near := nearest(id.Value, ids); near != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", near)
		}
		p.add(id, "unknown %s %q%s", kind, id.Value, hint)
		return false
	}
	idList := func(kind, key, what string, v *yaml.Node, ids []string) {
		if v.Kind != yaml.SequenceNode {
			p.add(v, "%s must be a list of %s IDs, such as [a, b]", key, what)
			return
		}
		for _, e := range v.Content {
			if e = resolveAlias(e); e.Kind != yaml.ScalarNode {
				p.add(e, "%s must be a list of %s IDs", key, what)
				continue
			}
			if known(what, e, ids) {
				out = append(out, Expectation{Kind: kind, Key: e.Value, Line: e.Line})
			}
		}
	}
	idMap := func(kind, key, what string, v *yaml.Node, ids, values []string) {
		if v.Kind != yaml.MappingNode {
			p.add(v, "%s must be a mapping of %s ID → %s", key, what, strings.Join(values, ", "))
			return
		}
		for i := 0; i+1 < len(v.Content); i += 2 {
			id, val := v.Content[i], resolveAlias(v.Content[i+1])
			if !known(what, id, ids) {
				continue
			}
			if val.Kind != yaml.ScalarNode || !slices.Contains(values, val.Value) {
				hint := ""
				if near := nearest(val.Value, values); near != "" && val.Kind == yaml.ScalarNode {
					hint = fmt.Sprintf(" (did you mean %q?)", near)
				}
				p.add(val, "%s %q: %q is not one of %s%s", what, id.Value, val.Value, strings.Join(values, ", "), hint)
				continue
			}
			out = append(out, Expectation{Kind: kind, Key: id.Value, Want: val.Value, Line: id.Line})
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		switch k.Value {
		case "referrals":
			idMap(ExpectReferral, k.Value, "referral", v, refIDs, append(slices.Clone(Priorities), PriorityAny))
		case "not_referrals":
			idList(ExpectNotReferral, k.Value, "referral", v, refIDs)
		case "cautions":
			idList(ExpectCaution, k.Value, "caution", v, cautIDs)
		case "not_cautions":
			idList(ExpectNotCaution, k.Value, "caution", v, cautIDs)
		case "consent":
			idMap(ExpectConsent, k.Value, "referral", v, refIDs, ConsentValues)
		case "asked":
			idList(ExpectAsked, k.Value, "question", v, qIDs)
		case "not_asked":
			idList(ExpectNotAsked, k.Value, "question", v, qIDs)
		case "dropped", "referral_order", "caution_order":
			kind, what, ids := ExpectDropped, "question", qIDs
			switch k.Value {
			case "referral_order":
				kind, what, ids = ExpectReferralOrder, "referral", refIDs
			case "caution_order":
				kind, what, ids = ExpectCautionOrder, "caution", cautIDs
			}
			before := len(out)
			idList(kind, k.Value, what, v, ids)
			list := []string{}
			for _, e := range out[before:] {
				list = append(list, e.Key)
			}
			out = append(out[:before], Expectation{Kind: kind, Key: k.Value, Want: list, Line: k.Line})
		default:
			if e, ok := p.field(k, v); ok {
				out = append(out, e)
			}
		}
	}
	return out
}

// summaryKeys are the keys of a summary's JSON besides the findings' fields.
var summaryKeys = []string{"interview_id", "source", "flow", "status", "language", "information_gaps", "basis"}

// field reads an expectation on a summary field, by its JSON path.
func (p *caseParser) field(k, v *yaml.Node) (Expectation, bool) {
	path := k.Value
	var raw any
	if err := v.Decode(&raw); err != nil {
		p.add(v, "%s: %v", path, err)
		return Expectation{}, false
	}
	want, err := jsonValue(raw)
	if err != nil {
		p.add(v, "%s: %v", path, err)
		return Expectation{}, false
	}
	e := Expectation{Kind: ExpectField, Key: path, Want: want, Line: k.Line}
	top := strings.SplitN(path, ".", 2)[0]
	if slices.Contains(summaryKeys, top) {
		return e, true
	}
	var fields []string
	for _, fd := range p.f.Findings {
		if fd.Field == path || strings.HasPrefix(fd.Field, path+".") || strings.HasPrefix(path, fd.Field+".") {
			if fd.Field == path && len(fd.Cases) > 0 {
				p.checkCaseValue(fd, v, want)
			}
			return e, true
		}
		fields = append(fields, fd.Field)
	}
	hint := ""
	if near := nearest(path, append(append(fields, summaryKeys...), expectKeys...)); near != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", near)
	}
	p.add(k, "%q is not a field of this flow's summary%s; expect takes summary fields (such as %s), %s",
		path, hint, fields[0], strings.Join(expectKeys, ", "))
	return Expectation{}, false
}

// checkCaseValue refuses a value a first-match finding can never take.
func (p *caseParser) checkCaseValue(fd *Finding, v *yaml.Node, want any) {
	var vals []string
	for _, c := range fd.Cases {
		cv, err := jsonValue(c.Value)
		if err != nil || reflect.DeepEqual(cv, want) {
			return
		}
		s, ok := c.Value.(string)
		if !ok {
			return // not all text: leave the comparison to the run
		}
		vals = append(vals, s)
	}
	hint := ""
	if s, ok := want.(string); ok {
		if near := nearest(s, vals); near != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", near)
		}
	}
	p.add(v, "%s cannot be %s%s; its values are %s", fd.Field, showValue(want), hint, strings.Join(vals, ", "))
}

// jsonValue gives v the types encoding/json decodes to, so that a value
// written in YAML compares with the summary's JSON.
func jsonValue(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("this value cannot be compared with a summary's (%v)", err)
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// showValue writes a value for a reader: text as it is, anything else as
// compact JSON (null, true, ["a","b"]).
func showValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return strings.ReplaceAll(string(b), `","`, `", "`)
}

func (f *Flow) referralIDs() []string {
	out := make([]string, len(f.Referrals))
	for i, r := range f.Referrals {
		out[i] = r.ID
	}
	return out
}

func (f *Flow) cautionIDs() []string {
	out := make([]string, len(f.Cautions))
	for i, c := range f.Cautions {
		out[i] = c.ID
	}
	return out
}

func (f *Flow) questionIDs() []string {
	out := make([]string, len(f.Questions))
	for i, q := range f.Questions {
		out[i] = q.ID
	}
	return out
}

// lookupJSON finds a dotted path in a decoded JSON document; a number
// indexes a list. ok is false when the path is not there.
func lookupJSON(doc any, path string) (any, bool) {
	cur := doc
	for _, k := range strings.Split(path, ".") {
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[k]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, true
}
