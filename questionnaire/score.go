package questionnaire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
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
	// Services from a referral directory that take this referral, if one is used.
	Services []*Service `json:"services,omitempty"`
}

// CautionResult is a safeguard the summary raises.
type CautionResult struct {
	ID      string   `json:"id"`
	Reasons []string `json:"reasons"`
}

// Explanation says why a finding has its value, or why a referral or
// caution was raised, and on which instrument it rests. Summaries carry the
// IDs; a renderer looks the words up in the flow in the reader's language.
type Explanation struct {
	Kind  string `json:"kind"` // finding, referral, caution
	ID    string `json:"id"`
	Field string `json:"field,omitempty"`
	Value any    `json:"value,omitempty"`
	Case  int    `json:"-"` // index of the case that held, -1 for expr
}

// Summary is the scored result of one interview: the shape of the spec,
// with the findings laid out at the places the flow names.
type Summary struct {
	InterviewID     string
	Source          string // the answers file or bundle it came from, if any
	Flow            FlowRef
	Status          string
	Language        string
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
		cur = o.vals[k]
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
type Object struct {
	keys []string
	vals map[string]any
}

func newObject() *Object { return &Object{vals: map[string]any{}} }

// Keys returns the keys in order.
func (o *Object) Keys() []string { return o.keys }

// Value returns the value at key.
func (o *Object) Value(key string) any { return o.vals[key] }

func (o *Object) set(path []string, v any) {
	k := path[0]
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	if len(path) == 1 {
		o.vals[k] = v
		return
	}
	child, ok := o.vals[k].(*Object)
	if !ok {
		child = newObject()
		o.vals[k] = child
	}
	child.set(path[1:], v)
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
		vb, err := json.Marshal(o.vals[k])
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
func (s *Summary) MarshalJSON() ([]byte, error) {
	o := newObject()
	o.set([]string{"interview_id"}, s.InterviewID)
	if s.Source != "" {
		o.set([]string{"source"}, s.Source)
	}
	o.set([]string{"flow"}, s.Flow)
	if s.Status != "" {
		o.set([]string{"status"}, s.Status)
	}
	if s.Language != "" {
		o.set([]string{"language"}, s.Language)
	}
	if s.Fields != nil {
		for _, k := range s.Fields.keys {
			o.set([]string{k}, s.Fields.vals[k])
		}
	}
	o.set([]string{"referrals"}, nonNil(s.Referrals))
	o.set([]string{"cautions"}, nonNil(s.Cautions))
	o.set([]string{"information_gaps"}, nonNil(s.InformationGaps))
	o.set([]string{"basis"}, nonNil(s.Basis))
	return o.MarshalJSON()
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Score computes the summary of one set of answers. Answers to questions
// the flow would not ask are ignored (use Prune to find them first).
func (f *Flow) Score(ans Answers) (*Summary, error) {
	w := f.newWalker(ans)
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
	s := &Summary{Flow: f.Ref(), Fields: newObject(), InformationGaps: gaps}
	for _, fd := range f.Findings {
		s.Fields.set(strings.Split(fd.Field, "."), nil) // keep the flow's order
	}
	basis := newSet()
	basis.add(f.Basis...)
	refMap := w.env[nameReferral].(map[string]any)
	cautMap := w.env[nameCaution].(map[string]any)
	fieldOf := map[string]string{}
	for _, fd := range f.Findings {
		fieldOf[fd.ID] = fd.Field
	}
	reasons := func(e *Expr, explicit []string) []string {
		if len(explicit) > 0 {
			return explicit
		}
		set := newSet()
		add := func(refs []string) {
			for _, r := range refs {
				if fld, ok := fieldOf[r]; ok {
					r = fld
				}
				set.add(r)
			}
		}
		switch {
		case e.reason != nil:
			if e.reason.holds(w.env) {
				e.reason.reasons(w.env, add)
			}
		default:
			if ok, _ := e.holds(w.env); ok {
				add(e.refs)
			}
		}
		return set.list
	}
	for k, n := range f.nodes {
		switch {
		case n.derived != nil:
			if !w.done[k] {
				v, err := n.derived.Expr.run(w.env)
				if err != nil {
					return nil, err
				}
				w.env[n.name] = v
				w.done[k] = true
			}
		case n.finding != nil:
			fd := n.finding
			var v any
			c := -1
			if fd.Expr != nil {
				var err error
				if v, err = fd.Expr.run(w.env); err != nil {
					return nil, err
				}
			} else {
				for i, cs := range fd.Cases {
					ok := cs.When == nil
					if !ok {
						var err error
						if ok, err = cs.When.holds(w.env); err != nil {
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
			v = normalizeResult(v)
			w.env[n.name] = v
			s.Fields.set(strings.Split(fd.Field, "."), v)
			s.Explanations = append(s.Explanations, Explanation{Kind: "finding", ID: fd.ID, Field: fd.Field, Value: v, Case: c})
		case n.referral != nil:
			r := n.referral
			ok, err := r.When.holds(w.env)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			rs := reasons(r.When, r.Reasons)
			prio := ""
			for _, c := range r.Priority {
				held := c.When == nil
				if !held {
					if held, err = c.When.holds(w.env); err != nil {
						return nil, err
					}
				}
				if held {
					prio, _ = c.Value.(string)
					if c.When != nil && len(r.Reasons) == 0 {
						rs = mergeReasons(rs, reasons(c.When, nil))
					}
					break
				}
			}
			if prio == "" {
				prio = "standard"
			}
			refMap[r.ID] = prio
			basis.add(r.Basis...)
			s.Referrals = append(s.Referrals, ReferralResult{ID: r.ID, Priority: prio, Reasons: rs})
			s.Explanations = append(s.Explanations, Explanation{Kind: "referral", ID: r.ID, Value: prio, Case: -1})
		case n.caution != nil:
			c := n.caution
			ok, err := c.When.holds(w.env)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			cautMap[c.ID] = true
			basis.add(c.Basis...)
			s.Cautions = append(s.Cautions, CautionResult{ID: c.ID, Reasons: reasons(c.When, c.Reasons)})
			s.Explanations = append(s.Explanations, Explanation{Kind: "caution", ID: c.ID, Case: -1})
		}
	}
	sortReferrals(s.Referrals)
	sortCautions(s.Cautions)
	s.Basis = basis.list
	return s, nil
}

func mergeReasons(a, b []string) []string {
	set := newSet()
	set.add(a...)
	set.add(b...)
	return set.list
}

// normalizeResult gives findings JSON-friendly types.
func normalizeResult(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return v
}

func sortReferrals(rs []ReferralResult) {
	rank := map[string]int{}
	for i, p := range Priorities {
		rank[p] = i
	}
	// insertion sort: small lists, stable
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0; j-- {
			a, b := rs[j-1], rs[j]
			if rank[a.Priority] > rank[b.Priority] || (rank[a.Priority] == rank[b.Priority] && a.ID > b.ID) {
				rs[j-1], rs[j] = b, a
			} else {
				break
			}
		}
	}
}

func sortCautions(cs []CautionResult) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j-1].ID > cs[j].ID; j-- {
			cs[j-1], cs[j] = cs[j], cs[j-1]
		}
	}
}

type set struct {
	seen map[string]bool
	list []string
}

func newSet() *set { return &set{seen: map[string]bool{}, list: []string{}} }

func (s *set) add(xs ...string) {
	for _, x := range xs {
		if !s.seen[x] {
			s.seen[x] = true
			s.list = append(s.list, x)
		}
	}
}
