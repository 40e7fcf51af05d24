package questionnaire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// FlowRef names the exact flow a summary was scored with.
type FlowRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Hash    string `json:"hash"`
}

// Ref returns the flow's reference.
func (f *Flow) Ref() FlowRef { return FlowRef{ID: f.ID, Version: f.Version, Hash: f.Hash} }

// ReferralResult is a referral the summary makes.
type ReferralResult struct {
	ID       string   `json:"id"`
	Priority string   `json:"priority"`
	Reasons  []string `json:"reasons"`
	// Service the referral goes to, and the person's consent to it
	// (ConsentGiven ...), when the flow asks for consent to referral.
	Service string `json:"service,omitempty"`
	Consent string `json:"consent,omitempty"`
	// Services from a referral directory that take this referral, if one is used.
	Services []*Service `json:"services,omitempty"`
}

// CautionResult is a safeguard the summary raises.
type CautionResult struct {
	ID      string   `json:"id"`
	Tier    string   `json:"tier,omitempty"`
	Reasons []string `json:"reasons"`
}

// A referral's consent, from the flow's referral consent question.
const (
	ConsentGiven         = "given"
	ConsentBestInterests = "best_interests"
	ConsentNotGiven      = "not_given"
	ConsentUnknown       = "unknown"
	ConsentNotRequired   = "not_required"
)

// ConsentValues are the consents a referral can carry.
var ConsentValues = []string{ConsentGiven, ConsentBestInterests, ConsentNotGiven, ConsentUnknown, ConsentNotRequired}

// Explanation says why a finding has its value, or why a referral or
// caution was raised, and on which instrument it rests. Summaries carry the
// IDs; a renderer looks the words up in the flow in the reader's language.
type Explanation struct {
	Kind  string `json:"kind"` // finding, referral, caution
	ID    string `json:"id"`
	Field string `json:"field,omitempty"`
	Value any    `json:"value,omitempty"`
	Case  int    `json:"-"` // index of the case that held, -1 for expr
	// Text is 1 + the index of the rule's explanations entry that held,
	// 0 when none did (the rule's or case's own explanation applies).
	Text int `json:"-"`
}

// Summary is the scored result of one interview: the shape of the spec,
// with the findings laid out at the places the flow names.
type Summary struct {
	InterviewID string
	Source      string // the answers file or bundle it came from, if any
	Flow        FlowRef
	Status      string
	Language    string
	// Where, by whom and when the interview was taken, for rows that
	// scripts count (score's output); empty in a bundle's summary.
	Location        string
	Interviewer     string
	CreatedAt       *time.Time
	CompletedAt     *time.Time
	Fields          *Object
	Referrals       []ReferralResult
	Cautions        []CautionResult
	InformationGaps []string
	Basis           []string
	Explanations    []Explanation
}

// Get returns the value at a dotted field path ("trafficking.indicators"), or nil.
func (s *Summary) Get(path string) any {
	var cur any = s.Fields
	for _, k := range strings.Split(path, ".") {
		o, ok := cur.(*Object)
		if !ok || o == nil {
			return nil
		}
		cur = o.Value(k)
	}
	return cur
}

// GetString returns the value at path as text ("" when absent).
func (s *Summary) GetString(path string) string {
	switch v := s.Get(path).(type) {
	case nil:
		return ""
	case string:
		return v
	case []string:
		return strings.Join(v, ";")
	default:
		return fmt.Sprint(v)
	}
}

// Object is a JSON object that keeps its keys in the order they were set.
// Its objects are small (a summary's sections), so keys are found by a scan.
type Object struct {
	keys []string
	vals []any // vals[i] is the value at keys[i]
}

func newObject() *Object { return &Object{} }

// Keys returns the keys in order.
func (o *Object) Keys() []string { return o.keys }

// Value returns the value at key.
func (o *Object) Value(key string) any {
	if i := o.find(key); i >= 0 {
		return o.vals[i]
	}
	return nil
}

// find returns the position of key, or -1.
func (o *Object) find(key string) int {
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

func (o *Object) set(path []string, v any) {
	k := path[0]
	i := o.find(k)
	if i < 0 {
		i = len(o.keys)
		o.keys = append(o.keys, k)
		o.vals = append(o.vals, nil)
	}
	if len(path) == 1 {
		o.vals[i] = v
		return
	}
	child, ok := o.vals[i].(*Object)
	if !ok {
		child = newObject()
		o.vals[i] = child
	}
	child.set(path[1:], v)
}

// fieldsShape is the shape of every summary's Fields, worked out once from
// the findings' dotted fields: the objects they make, with their keys in
// the flow's order, laid end to end so that a summary's Fields take three
// allocations. Each finding knows its value's place (Finding.slot).
type fieldsShape struct {
	keys  []string // every object's keys, object after object
	spans [][2]int // per object: its keys are keys[start:end]; 0 is the root
	child []int    // per key: the object it holds, or -1 for a finding's value
}

// shapeFields lays out the findings' fields as Score's first pass over
// them (setting each to nil, in order) would, and gives each finding its slot.
func shapeFields(findings []*Finding) *fieldsShape {
	// Build it with the ordinary Object, holding each object's own index
	// in place of a value, then flatten.
	type node struct {
		obj  *Object
		kids map[string]int // key → index of a child node
	}
	nodes := []*node{{obj: newObject(), kids: map[string]int{}}}
	type leaf struct{ node, key int }
	leaves := make([]leaf, len(findings))
	for i, fd := range findings {
		n := 0
		for j, k := range fd.path {
			nd := nodes[n]
			if nd.obj.find(k) < 0 {
				nd.obj.set([]string{k}, nil)
			}
			if j == len(fd.path)-1 {
				leaves[i] = leaf{n, nd.obj.find(k)}
				break
			}
			c, ok := nd.kids[k]
			if !ok {
				// load has refused a field that is a prefix of another, so
				// a key is either a value or an object, never both
				c = len(nodes)
				nodes = append(nodes, &node{obj: newObject(), kids: map[string]int{}})
				nd.kids[k] = c
			}
			n = c
		}
	}
	sh := &fieldsShape{}
	for _, nd := range nodes {
		start := len(sh.keys)
		sh.keys = append(sh.keys, nd.obj.keys...)
		sh.spans = append(sh.spans, [2]int{start, len(sh.keys)})
		for _, k := range nd.obj.keys {
			c, ok := nd.kids[k]
			if !ok {
				c = -1
			}
			sh.child = append(sh.child, c)
		}
	}
	for i, fd := range findings {
		fd.slot = sh.spans[leaves[i].node][0] + leaves[i].key
	}
	return sh
}

// newFields returns fresh Fields in the shape, every finding's value nil,
// and the flat list of values that a finding's slot indexes.
func (sh *fieldsShape) newFields() (*Object, []any) {
	if sh == nil { // a Flow not made by Load: it has no findings
		return newObject(), nil
	}
	objs := make([]Object, len(sh.spans))
	keys := append([]string(nil), sh.keys...) // callers get Keys(): not shared between summaries
	vals := make([]any, len(keys))
	for i, sp := range sh.spans {
		// full slice expressions: an object that grows (set) moves out
		// rather than writing over its neighbour
		objs[i] = Object{keys: keys[sp[0]:sp[1]:sp[1]], vals: vals[sp[0]:sp[1]:sp[1]]}
	}
	for i, c := range sh.child {
		if c >= 0 {
			vals[i] = &objs[c]
		}
	}
	return &objs[0], vals
}

// MarshalJSON writes the keys in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// MarshalJSON writes the summary in the spec's shape: identity first, then
// the findings in the flow's order, then referrals, cautions, gaps, basis.
func (s *Summary) MarshalJSON() ([]byte, error) { return s.AppendJSON(nil) }

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Score computes the summary of one set of answers. Answers to questions
// the flow would not ask are ignored (use Prune to find them first).
// Score only reads the flow: it is safe to call from many goroutines.
func (f *Flow) Score(ans Answers) (*Summary, error) { return f.score(ans, nil) }

// score is Score, recording in tr, when not nil, which parts of the rules
// held (flow test coverage; see flowtest_trace.go).
func (f *Flow) score(ans Answers, tr *trace) (*Summary, error) {
	w := f.newWalker(ans)
	defer w.release()
	w.trace = tr
	var gaps []string
	for _, q := range f.Questions {
		ok, err := w.asked(q)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if err := w.take(q); err != nil {
			return nil, err
		}
		if q.Asks() && IsGap(ans[q.ID]) {
			gaps = append(gaps, q.ID)
		}
	}
	fields, slots := f.fields.newFields() // every finding's place, in the flow's order
	s := &Summary{Flow: f.Ref(), Fields: fields, InformationGaps: gaps}
	if len(f.Findings) > 0 {
		// every finding explains itself; referrals and cautions may
		s.Explanations = make([]Explanation, 0, len(f.Findings)+len(f.Referrals)+len(f.Cautions))
	}
	basis := nameSet{list: make([]string, 0, f.basisCap)}
	basis.add(f.Basis...)
	// Rules fill these as they fire; later rules read them.
	refMap := map[string]any{}
	cautMap := map[string]any{}
	w.env[nameReferral] = refMap
	w.env[nameCaution] = cautMap
	var consentMap map[string]any
	if f.ReferralConsentQuestion != "" {
		consentMap = map[string]any{}
		w.env[nameConsentFor] = consentMap
	}
	for k, n := range f.nodes {
		switch {
		case n.derived != nil:
			if !w.done[k] {
				if err := w.compute(k); err != nil {
					return nil, err
				}
			}
		case n.finding != nil:
			fd := n.finding
			var v any
			c := -1
			if fd.Expr != nil {
				var err error
				if v, err = w.run(fd.Expr); err != nil {
					return nil, err
				}
			} else {
				for i, cs := range fd.Cases {
					ok := cs.When == nil
					if !ok {
						var err error
						if ok, err = w.cond(cs.When); err != nil {
							return nil, err
						}
					}
					if ok {
						v, c = cs.Value, i
						basis.add(cs.Basis...)
						break
					}
				}
			}
			basis.add(fd.Basis...)
			v, err := findingValue(v)
			if err != nil {
				at := fd.Pos
				if fd.Expr != nil {
					at = fd.Expr.Pos
				}
				return nil, fmt.Errorf("finding %q (line %d): %w", fd.ID, at.Line, err)
			}
			w.env[n.name] = v
			slots[fd.slot] = v
			t, err := w.textCase(fd.Explanations)
			if err != nil {
				return nil, err
			}
			s.Explanations = append(s.Explanations, Explanation{Kind: "finding", ID: fd.ID, Field: fd.Field, Value: v, Case: c, Text: t})
		case n.referral != nil:
			r := n.referral
			ok, err := w.cond(r.When)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			rs := w.reasons(r.When, r.Reasons)
			var prio any = "standard" // when no case gives one
			for i, c := range r.Priority {
				held := c.When == nil
				if !held {
					if held, err = w.cond(c.When); err != nil {
						return nil, err
					}
				}
				if held {
					w.trace.priority(r, i)
					if p, ok := c.Value.(string); ok && p != "" {
						prio = c.Value // already boxed: no copy
					}
					if c.When != nil && len(r.Reasons) == 0 {
						rs = mergeReasons(rs, w.reasons(c.When, nil))
					}
					break
				}
			}
			refMap[r.ID] = prio
			res := ReferralResult{ID: r.ID, Priority: prio.(string), Reasons: rs}
			if consentMap != nil {
				res.Service = r.Service
				if res.Consent, err = w.consent(r, res.Priority); err != nil {
					return nil, err
				}
				consentMap[r.ID] = res.Consent
			}
			w.forgetVolatile()
			t, err := w.textCase(r.Explanations)
			if err != nil {
				return nil, err
			}
			basis.add(r.Basis...)
			s.Referrals = append(s.Referrals, res)
			s.Explanations = append(s.Explanations, Explanation{Kind: "referral", ID: r.ID, Value: prio, Case: -1, Text: t})
		case n.caution != nil:
			c := n.caution
			ok, err := w.cond(c.When)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			rs := w.reasons(c.When, c.Reasons)
			cautMap[c.ID] = true
			w.forgetVolatile()
			t, err := w.textCase(c.Explanations)
			if err != nil {
				return nil, err
			}
			basis.add(c.Basis...)
			s.Cautions = append(s.Cautions, CautionResult{ID: c.ID, Tier: c.Tier, Reasons: rs})
			s.Explanations = append(s.Explanations, Explanation{Kind: "caution", ID: c.ID, Case: -1, Text: t})
		}
	}
	sortReferrals(s.Referrals)
	f.sortCautions(s.Cautions)
	s.Basis = basis.result()
	return s, nil
}

// reasons gives the reasons of a rule whose condition e has just held:
// the author's own, if any, or else the names read by the parts of e that
// made it hold.
func (w *walker) reasons(e *Expr, explicit []string) []string {
	if len(explicit) > 0 {
		return explicit
	}
	out := nameSet{list: make([]string, 0, e.reasonCap)}
	if t := e.reason; t != nil {
		if w.reasonHolds(t) {
			w.addReasons(t, &out)
		}
	} else {
		// e held a moment ago on this very env, and expressions have no
		// side effects: no need to run it again.
		out.add(e.reasonNames...)
	}
	return out.result()
}

func mergeReasons(a, b []string) []string {
	set := nameSet{list: make([]string, 0, len(a)+len(b))}
	set.add(a...)
	set.add(b...)
	return set.result()
}

// priorityRank is p's place in Priorities; 0 for a value not there.
func priorityRank(p string) int {
	for i, q := range Priorities {
		if q == p {
			return i
		}
	}
	return 0
}

func sortReferrals(rs []ReferralResult) {
	// insertion sort: small lists, stable
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0; j-- {
			a, b := rs[j-1], rs[j]
			ra, rb := priorityRank(a.Priority), priorityRank(b.Priority)
			if ra > rb || (ra == rb && a.ID > b.ID) {
				rs[j-1], rs[j] = b, a
			} else {
				break
			}
		}
	}
}

// sortCautions orders cautions by the flow's tiers, then by ID.
func (f *Flow) sortCautions(cs []CautionResult) {
	less := func(a, b CautionResult) bool {
		if ra, rb := f.tierRank(a.Tier), f.tierRank(b.Tier); ra != rb {
			return ra < rb
		}
		return a.ID < b.ID
	}
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && less(cs[j], cs[j-1]); j-- {
			cs[j-1], cs[j] = cs[j], cs[j-1]
		}
	}
}

// tierRank is a tier's place among the flow's caution tiers.
func (f *Flow) tierRank(id string) int {
	for i, t := range f.CautionTiers {
		if t.ID == id {
			return i
		}
	}
	return len(f.CautionTiers)
}

// textCase returns 1 + the index of the first text whose condition holds,
// or 0.
func (w *walker) textCase(list []*TextCase) (int, error) {
	for i, t := range list {
		ok := t.When == nil
		if !ok {
			var err error
			if ok, err = w.cond(t.When); err != nil {
				return 0, err
			}
		}
		if ok {
			return i + 1, nil
		}
	}
	return 0, nil
}

// consent is the person's consent to referral r, which has priority prio:
// given when the referral consent question names its service; best
// interests when the referral's exception holds; not given when the
// question was answered (services or none); unknown otherwise.
func (w *walker) consent(r *Referral, prio string) (string, error) {
	if r.Service == "" {
		return ConsentNotRequired, nil
	}
	ans := w.env[w.f.ReferralConsentQuestion]
	if hasValue(ans, r.Service) {
		return ConsentGiven, nil
	}
	if b := r.BestInterests; b != nil && b.When != nil && prio == b.Priority {
		ok, err := w.cond(b.When)
		if err != nil {
			return "", err
		}
		if ok {
			return ConsentBestInterests, nil
		}
	}
	if list, ok := ans.([]string); ok && len(list) > 0 {
		return ConsentNotGiven, nil
	}
	if list, ok := ans.([]any); ok && len(list) > 0 {
		return ConsentNotGiven, nil
	}
	return ConsentUnknown, nil
}

// nameSet is a list of names without repeats, in the order first added.
// Its lists are short (a rule's reasons, a summary's basis), so a scan
// finds repeats faster than a map would; a map takes over if one grows long.
// The zero value is empty and ready to use.
type nameSet struct {
	list []string
	seen map[string]struct{} // nil until list is longer than nameSetScan
}

const nameSetScan = 32

func (s *nameSet) add(xs ...string) {
	for _, x := range xs {
		if s.has(x) {
			continue
		}
		s.list = append(s.list, x)
		if s.seen != nil {
			s.seen[x] = struct{}{}
		} else if len(s.list) > nameSetScan {
			s.seen = make(map[string]struct{}, 2*len(s.list))
			for _, y := range s.list {
				s.seen[y] = struct{}{}
			}
		}
	}
}

func (s *nameSet) has(x string) bool {
	if s.seen != nil {
		_, ok := s.seen[x]
		return ok
	}
	for _, y := range s.list {
		if y == x {
			return true
		}
	}
	return false
}

// result is the list, never nil: an empty one marshals as [], not null.
func (s *nameSet) result() []string {
	if s.list == nil {
		return []string{}
	}
	return s.list
}
