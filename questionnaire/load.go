package questionnaire

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Problem is one thing wrong in a flow file, at a place.
type Problem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"column"`
	Question string `json:"question,omitempty"`
	Message  string `json:"message"`
}

func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Message)
	}
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Message)
}

// Problems is every problem found in a flow; Load returns it as its error.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

type loader struct {
	name  string
	f     *Flow
	probs Problems
	// langsOut: checkShapes took out a languages value of the wrong kind
	// (reported there); which languages a text must have is then not
	// known, and checking every text against the default alone would
	// report each text in another language.
	langsOut bool
	// top: where each top-level key's value is, and the items of its
	// lists (citations, strings), for messages about them
	top topPlaces
	// held: problems an author must fix, found in checks newer than some
	// flows already stored with interviews; Load refuses the flow for
	// them only together with other problems (see Flow.AuthorProblems)
	held Problems
}

func (l *loader) add(pos Pos, qid, format string, args ...any) {
	l.probs = append(l.probs, Problem{File: l.name, Line: pos.Line, Col: pos.Col, Question: qid, Message: fmt.Sprintf(format, args...)})
}

// holding runs checks whose problems go to l.held instead: checks that
// came after flows were stored with interviews, so that such a stored
// flow still loads, and its interviews can still be shown and exported.
func (l *loader) holding(check func()) {
	n := len(l.probs)
	check()
	l.held = append(l.held, l.probs[n:]...)
	l.probs = l.probs[:n]
}

// Load parses and validates a flow. name is used in messages (a file name).
// On any problem it returns nil and Problems listing all of them.
func Load(name string, src []byte) (f *Flow, err error) {
	defer func() {
		// The loader must never crash on an author's file; a panic here is
		// a bug, reported as a problem rather than a stack trace.
		if r := recover(); r != nil {
			f, err = nil, Problems{{File: name, Message: fmt.Sprintf("internal error while loading the flow: %v", r)}}
		}
	}()
	if len(src) > MaxFlowSource {
		return nil, Problems{{File: name, Line: 1, Col: 1, Message: fmt.Sprintf("the flow is %d bytes long; a flow may be at most %d (1 MiB)", len(src), MaxFlowSource)}}
	}
	l := &loader{name: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, Problems{yamlSyntaxProblem(name, src, err)}
	}
	if len(doc.Content) == 0 {
		return nil, Problems{{File: name, Line: 1, Col: 1, Message: "the file is empty; a flow needs at least id, version, default_language and sections"}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, Problems{{File: name, Line: root.Line, Col: root.Column, Message: "a flow must be a mapping with id, version, default_language and sections"}}
	}
	if ps := unsafeScalars(name, root); len(ps) > 0 {
		return nil, ps
	}
	l.checkKeys(root, reflect.TypeOf(Flow{}), "the flow's top level")
	l.checkShapes(root, reflect.TypeOf(Flow{}), "")
	l.top = topPlacesOf(root)
	f = &Flow{}
	if err := root.Decode(f); err != nil {
		if te, ok := err.(*yaml.TypeError); ok {
			for _, m := range te.Errors {
				l.probs = append(l.probs, yamlProblem(name, fmt.Errorf("%s", m)))
			}
		} else {
			l.probs = append(l.probs, yamlProblem(name, err))
		}
	}
	dropEmptyItems(f)
	f.Name = name
	f.Source = src
	sum := sha256.Sum256(src)
	f.Hash = "sha256:" + hex.EncodeToString(sum[:])
	l.f = f
	l.validate()
	if len(l.probs) > 0 {
		return nil, sortProblems(append(l.probs, l.held...))
	}
	if len(l.held) > 0 {
		f.authorProblems = sortProblems(l.held)
	}
	f.prepare()
	return f, nil
}

// dropEmptyItems removes the nil items an empty `-` leaves in a list;
// checkKeys has reported each.
func dropEmptyItems(f *Flow) {
	f.Sections = nonNilItems(f.Sections)
	for _, s := range f.Sections {
		s.Questions = nonNilItems(s.Questions)
		for _, q := range s.Questions {
			q.Choices = nonNilItems(q.Choices)
			q.Constraints = nonNilItems(q.Constraints)
		}
	}
	f.Derived = nonNilItems(f.Derived)
	f.Findings = nonNilItems(f.Findings)
	for _, fd := range f.Findings {
		fd.Cases = nonNilItems(fd.Cases)
	}
	f.Referrals = nonNilItems(f.Referrals)
	for _, r := range f.Referrals {
		r.Priority = nonNilItems(r.Priority)
	}
	f.Cautions = nonNilItems(f.Cautions)
}

func nonNilItems[T any](xs []*T) []*T {
	out := xs[:0]
	for _, x := range xs {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

func yamlProblem(name string, err error) Problem {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{File: name, Line: n, Col: 1, Message: m[2]}
	}
	return Problem{File: name, Message: strings.TrimPrefix(msg, "yaml: ")}
}

// checkKeys reports mapping keys that no field of t takes (a typo such as
// `requred` would otherwise be silently ignored), walking the whole tree.
func (l *loader) checkKeys(n *yaml.Node, t reflect.Type, where string) {
	l.checkKeysIn(n, t, where, nil)
}

// itemList is a list of mappings that a mapping being checked is inside.
// A key that is no field of an item but is one of an enclosing list's
// items, or of the items of one of its own lists, was most likely
// indented under the wrong parent (the YAML reads, and means something
// else); the problem says so.
type itemList struct {
	key  string       // the list's key ("findings")
	elem reflect.Type // its items' type (Finding)
}

func (l *loader) checkKeysIn(n *yaml.Node, t reflect.Type, where string, lists []itemList) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeOf(Text{}) || t == reflect.TypeOf(Expr{}):
		return
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode && c.Tag == "!!null" && t.Elem().Kind() == reflect.Pointer {
				l.add(Pos{c.Line, c.Column}, "", "an empty item in %s (a `-` with nothing after it)", where)
				continue
			}
			w := where
			if id := mappingValue(c, "id"); id != "" {
				w = fmt.Sprintf("%q", id)
			}
			l.checkKeysIn(c, t.Elem(), w, lists)
		}
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields, names := keyTypes(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "id" && v.Kind == yaml.ScalarNode {
				continue
			}
			ft, ok := fields[k.Value]
			if !ok {
				hint := ""
				if near := nearest(k.Value, names); near != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", near)
				}
				if h := misplacedKey(k.Value, fields, names, where, n.Line, lists); h != "" {
					hint = h
				}
				l.add(Pos{k.Line, k.Column}, "", "unknown key %q (in %s)%s", k.Value, where, hint)
				continue
			}
			inner := lists
			if e := itemsOf(ft); e != nil {
				inner = append(slices.Clip(lists), itemList{k.Value, e})
			}
			l.checkKeysIn(v, ft, where, inner)
		}
	}
}

// itemsOf is the struct type of a list's items, or nil for any other type.
func itemsOf(t reflect.Type) reflect.Type {
	if t.Kind() != reflect.Slice {
		return nil
	}
	e := t.Elem()
	for e.Kind() == reflect.Pointer {
		e = e.Elem()
	}
	if e.Kind() != reflect.Struct || e == reflect.TypeOf(Text{}) || e == reflect.TypeOf(Expr{}) {
		return nil
	}
	return e
}

// misplacedKey says where key belongs when it is a key of an enclosing
// list's items (the mapping it is in is indented under the wrong list),
// or of the items of one of this mapping's own lists (it is indented
// less than the item it belongs to); "" when it is neither.
func misplacedKey(key string, fields map[string]reflect.Type, names []string, where string, line int, lists []itemList) string {
	for i := len(lists) - 2; i >= 0; i-- {
		if outer, _ := keyTypes(lists[i].elem); outer[key] != nil {
			return fmt.Sprintf(": %q is a key of the items of %q; is %s (line %d) indented under %q instead of %q?",
				key, lists[i].key, where, line, lists[len(lists)-1].key, lists[i].key)
		}
	}
	for _, name := range names {
		if e := itemsOf(fields[name]); e != nil {
			if inner, _ := keyTypes(e); inner[key] != nil {
				return fmt.Sprintf(": %q is a key of the items of %q; is it indented less than the item it belongs to?", key, name)
			}
		}
	}
	return ""
}

func mappingValue(n *yaml.Node, key string) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}

var reserved = map[string]bool{nameValue: true, nameReferral: true, nameCaution: true, nameConsentFor: true, "true": true, "false": true, "nil": true, "and": true, "or": true, "not": true, "in": true}

func init() {
	for _, h := range helperNames {
		reserved[h] = true
	}
}

// kind of name known to expressions
type nameKind int

const (
	kQuestion nameKind = iota + 1
	kDerived
	kFinding
)

type nameInfo struct {
	kind nameKind
	q    *Question
	d    *Derived
	fd   *Finding
	pos  Pos
}

func (l *loader) validate() {
	f := l.f
	if f.ID == "" {
		l.add(Pos{1, 1}, "", "the flow has no id (add `id: my-flow`)")
	}
	if f.Version == "" {
		l.add(Pos{1, 1}, "", "the flow has no version (add `version: \"1.0\"`)")
	}
	if f.DefaultLanguage == "" {
		l.add(Pos{1, 1}, "", "the flow has no default_language (add `default_language: en`)")
	}
	if len(f.Languages) == 0 && f.DefaultLanguage != "" {
		f.Languages = []string{f.DefaultLanguage}
	}
	if f.DefaultLanguage != "" && !contains(f.Languages, f.DefaultLanguage) {
		l.add(l.top.at("languages"), "", "default_language %q is not among languages (%s)", f.DefaultLanguage, strings.Join(f.Languages, ", "))
	}
	if len(f.Sections) == 0 {
		l.add(Pos{1, 1}, "", "the flow has no sections; questions live in sections")
	}
	l.text(f.Title, l.top.at("title"), "", "the flow's title", true)
	l.holding(func() {
		l.text(f.Description, l.top.at("description"), "", "the flow's description", false)
		l.text(f.Disclaimer, l.top.at("disclaimer"), "", "the flow's disclaimer", false)
	})
	f.strings = map[string]Text{}
	for i, s := range f.Strings {
		l.text(s.Text, l.top.item("strings", i), "", fmt.Sprintf("string %q", s.ID), true)
		f.strings[s.ID] = s.Text
	}

	names := map[string]*nameInfo{}
	claim := func(id string, pos Pos, info *nameInfo, what string) bool {
		if id == "" {
			l.add(pos, "", "%s has no id", what)
			return false
		}
		if !idPattern.MatchString(id) {
			l.add(pos, id, "%s id %q must start with a lower-case letter and use only a-z, 0-9 and _", what, id)
			return false
		}
		if reserved[id] {
			l.add(pos, id, "%s id %q is a reserved word in expressions; choose another", what, id)
			return false
		}
		if prev, ok := names[id]; ok {
			l.add(pos, id, "duplicate id %q (first used at line %d): questions, derived values and findings each need an id of their own, as answers and rules name them by it", id, prev.pos.Line)
			return false
		}
		info.pos = pos
		names[id] = info
		return true
	}

	// Questions, in flow order.
	sectionIDs := map[string]int{}
	for si, s := range f.Sections {
		s.Index = si
		if s.ID != "" {
			if prev, ok := sectionIDs[s.ID]; ok {
				l.add(s.Pos, "", "duplicate section id %q (first used at line %d)", s.ID, prev)
			}
			sectionIDs[s.ID] = s.Pos.Line
		}
		l.text(s.Title, s.Pos, "", fmt.Sprintf("section %q's title", s.ID), true)
		l.text(s.Intro, s.Pos, "", fmt.Sprintf("section %q's intro", s.ID), false)
		if len(s.Questions) == 0 {
			l.add(s.Pos, "", "section %q has no questions", s.ID)
		}
		for _, q := range s.Questions {
			q.Section = s
			q.Index = len(f.Questions)
			if claim(q.ID, q.Pos, &nameInfo{kind: kQuestion, q: q}, "a question") {
				f.Questions = append(f.Questions, q)
			}
			l.question(q)
		}
	}
	f.byID = map[string]*Question{}
	for i, q := range f.Questions {
		q.Index = i
		f.byID[q.ID] = q
	}

	if id := f.ConsentQuestion; id != "" {
		switch q := f.byID[id]; {
		case q == nil:
			l.add(l.top.at("consent_question"), "", "consent_question %q is not a question of this flow", id)
		case q.Type != TypeYesNo || !q.Required:
			l.add(q.Pos, id, "consent_question %q must be a required yes_no question", id)
		}
	}
	for _, d := range f.Derived {
		claim(d.ID, d.Pos, &nameInfo{kind: kDerived, d: d}, "a derived value")
		if d.Expr == nil {
			l.add(d.Pos, d.ID, "derived value %q has no expr", d.ID)
		}
	}
	fields := map[string]string{}
	for _, fd := range f.Findings {
		claim(fd.ID, fd.Pos, &nameInfo{kind: kFinding, fd: fd}, "a finding")
		if fd.Field == "" {
			fd.Field = fd.ID
		}
		if prev, ok := fields[fd.Field]; ok {
			l.add(fd.Pos, fd.ID, "finding %q writes summary field %q, already written by %q", fd.ID, fd.Field, prev)
		}
		fields[fd.Field] = fd.ID
		switch {
		case fd.Expr == nil && len(fd.Cases) == 0:
			l.add(fd.Pos, fd.ID, "finding %q needs either expr or cases", fd.ID)
		case fd.Expr != nil && len(fd.Cases) > 0:
			l.add(fd.Pos, fd.ID, "finding %q has both expr and cases; keep one", fd.ID)
		}
		for _, c := range fd.Cases {
			if c.Value == nil {
				l.add(c.Pos, fd.ID, "a case of finding %q has no value", fd.ID)
			}
			l.text(c.Explanation, c.Pos, fd.ID, fmt.Sprintf("finding %q's explanation", fd.ID), false)
		}
		l.text(fd.Explanation, fd.Pos, fd.ID, fmt.Sprintf("finding %q's explanation", fd.ID), false)
	}
	for k, fd := range fields {
		for k2 := range fields {
			if strings.HasPrefix(k2, k+".") {
				l.add(f.byFindingID(fd).Pos, fd, "summary field %q would hold both a value and %q", k, k2)
			}
		}
	}
	refIDs := map[string]bool{}
	for _, r := range f.Referrals {
		if r.ID == "" || !idPattern.MatchString(r.ID) {
			l.add(r.Pos, "", "referral id %q must start with a lower-case letter and use only a-z, 0-9 and _", r.ID)
		} else if refIDs[r.ID] {
			l.add(r.Pos, r.ID, "duplicate referral id %q", r.ID)
		}
		refIDs[r.ID] = true
		if r.When == nil {
			l.add(r.Pos, r.ID, "referral %q has no `when`", r.ID)
		}
		if len(r.Priority) == 0 {
			l.add(r.Pos, r.ID, "referral %q has no priority (urgent, high or standard)", r.ID)
		}
		for i, c := range r.Priority {
			s, _ := c.Value.(string)
			if !contains(Priorities, s) {
				l.add(c.Pos, r.ID, "referral %q: priority %v is not one of %s", r.ID, c.Value, strings.Join(Priorities, ", "))
			}
			if c.When == nil && i != len(r.Priority)-1 {
				l.add(c.Pos, r.ID, "referral %q: a priority without `when` must come last", r.ID)
			}
		}
		l.text(r.Label, r.Pos, r.ID, fmt.Sprintf("referral %q's label", r.ID), true)
		l.text(r.Explanation, r.Pos, r.ID, fmt.Sprintf("referral %q's explanation", r.ID), false)
	}
	cautIDs := map[string]bool{}
	for _, c := range f.Cautions {
		if c.ID == "" || !idPattern.MatchString(c.ID) {
			l.add(c.Pos, "", "caution id %q must start with a lower-case letter and use only a-z, 0-9 and _", c.ID)
		} else if cautIDs[c.ID] {
			l.add(c.Pos, c.ID, "duplicate caution id %q", c.ID)
		}
		cautIDs[c.ID] = true
		if c.When == nil {
			l.add(c.Pos, c.ID, "caution %q has no `when`", c.ID)
		}
		l.text(c.Label, c.Pos, c.ID, fmt.Sprintf("caution %q's label", c.ID), true)
		l.text(c.Explanation, c.Pos, c.ID, fmt.Sprintf("caution %q's explanation", c.ID), false)
	}
	l.consentAndTiers()
	l.citations()
	l.failSafe()
	// Expressions are checked even when the structure has problems, so an
	// author sees every problem at once; a name whose claim failed is then
	// reported as unknown where it is read.
	l.expressions(names, refIDs, cautIDs)
}

// consentAndTiers checks the referral consent question and the services
// referrals name, the caution tiers, and the conditional texts.
func (l *loader) consentAndTiers() {
	f := l.f
	var services []string
	if id := f.ReferralConsentQuestion; id != "" {
		switch q := f.byID[id]; {
		case q == nil:
			l.add(l.top.at("referral_consent_question"), "", "referral_consent_question %q is not a question of this flow", id)
		case q.Type != TypeMulti:
			l.add(q.Pos, id, "referral_consent_question %q must be a multi question whose choices are services", id)
		default:
			for _, c := range q.Choices {
				if !c.Exclusive {
					services = append(services, c.Value)
				}
			}
		}
	}
	for _, r := range f.Referrals {
		if r.Service != "" {
			switch {
			case f.ReferralConsentQuestion == "":
				l.add(r.Pos, r.ID, "referral %q names service %q, but the flow names no referral_consent_question", r.ID, r.Service)
			case services != nil && !contains(services, r.Service):
				hint := ""
				if near := nearest(r.Service, services); near != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", near)
				}
				l.add(r.Pos, r.ID, "referral %q: service %q is not a choice of %q%s; services: %s", r.ID, r.Service, f.ReferralConsentQuestion, hint, strings.Join(services, ", "))
			}
		}
		if b := r.BestInterests; b != nil {
			if b.When == nil {
				l.add(r.Pos, r.ID, "referral %q: best_interests needs `when`", r.ID)
			}
			if !contains(Priorities, b.Priority) {
				l.add(r.Pos, r.ID, "referral %q: best_interests needs a priority (%s)", r.ID, strings.Join(Priorities, ", "))
			}
		}
		l.textCases(r.Explanations, r.ID, fmt.Sprintf("referral %q", r.ID))
	}
	var tiers []string
	for _, t := range f.CautionTiers {
		if t.ID == "" || !idPattern.MatchString(t.ID) {
			l.add(t.Pos, "", "caution tier id %q must start with a lower-case letter and use only a-z, 0-9 and _", t.ID)
		} else if contains(tiers, t.ID) {
			l.add(t.Pos, "", "duplicate caution tier %q", t.ID)
		}
		tiers = append(tiers, t.ID)
		l.text(t.Label, t.Pos, "", fmt.Sprintf("caution tier %q's label", t.ID), true)
	}
	for _, c := range f.Cautions {
		switch {
		case len(tiers) > 0 && c.Tier == "":
			l.add(c.Pos, c.ID, "caution %q has no tier; the flow's tiers are: %s", c.ID, strings.Join(tiers, ", "))
		case c.Tier != "" && !contains(tiers, c.Tier):
			hint := ""
			if near := nearest(c.Tier, tiers); near != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", near)
			}
			l.add(c.Pos, c.ID, "caution %q: tier %q is not one of the flow's caution_tiers%s", c.ID, c.Tier, hint)
		}
		l.textCases(c.Explanations, c.ID, fmt.Sprintf("caution %q", c.ID))
	}
	for _, fd := range f.Findings {
		l.textCases(fd.Explanations, fd.ID, fmt.Sprintf("finding %q", fd.ID))
	}
}

func (l *loader) textCases(list []*TextCase, id, what string) {
	for i, t := range list {
		if t.When == nil && i != len(list)-1 {
			l.add(t.Pos, id, "%s: an explanation without `when` must come last", what)
		}
		l.text(t.Text, t.Pos, id, fmt.Sprintf("%s's explanation %d", what, i+1), true)
	}
}

// citations indexes the translated citations by their default-language
// text; when a flow has any, every basis it cites must be among them.
func (l *loader) citations() {
	f := l.f
	f.citations = map[string]Text{}
	for i, c := range f.Citations {
		what := "a citation"
		if s := c[defaultLangKey] + c[f.DefaultLanguage]; s != "" {
			what = fmt.Sprintf("the citation %q", s)
		}
		l.text(c, l.top.item("citations", i), "", what, true)
		if s := c[f.DefaultLanguage]; s != "" {
			f.citations[s] = c
		}
	}
	if len(f.Citations) == 0 {
		return
	}
	check := func(pos Pos, id, who string, basis []string) {
		for i := 0; i < len(basis); i++ {
			b := basis[i]
			if _, ok := f.citations[b]; ok {
				continue
			}
			// [Act on Trafficking, Art. 12]: YAML cuts a list item at
			// its comma, making two citations of one
			if i+1 < len(basis) {
				joined := b + ", " + basis[i+1]
				if _, ok := f.citations[joined]; ok {
					l.add(pos, id, "%sbasis %q and %q are one citation cut at its comma: write it in quotes, [%q]", who, b, basis[i+1], joined)
					i++
					continue
				}
			}
			l.add(pos, id, "%sbasis %q has no entry in citations (add it there with its translations; a citation holding a comma is written in quotes in [...])", who, b)
		}
	}
	check(l.top.at("basis"), "", "", f.Basis)
	for _, fd := range f.Findings {
		check(fd.Pos, fd.ID, fmt.Sprintf("finding %q: ", fd.ID), fd.Basis)
		for _, c := range fd.Cases {
			check(c.Pos, fd.ID, fmt.Sprintf("finding %q, case %v: ", fd.ID, c.Value), c.Basis)
		}
	}
	for _, r := range f.Referrals {
		check(r.Pos, r.ID, fmt.Sprintf("referral %q: ", r.ID), r.Basis)
	}
	for _, c := range f.Cautions {
		check(c.Pos, c.ID, fmt.Sprintf("caution %q: ", c.ID), c.Basis)
	}
}

// failSafe checks that the fail-safe order names a finding and its values.
func (l *loader) failSafe() {
	fs := l.f.FailSafe
	if fs == nil {
		return
	}
	fd := l.f.byFindingID(fs.Finding)
	if fd.ID == "" {
		l.add(l.top.at("fail_safe"), "", "fail_safe names finding %q, which this flow does not have", fs.Finding)
		return
	}
	var vals []string
	for _, c := range fd.Cases {
		if s, ok := c.Value.(string); ok {
			vals = append(vals, s)
		}
	}
	for _, v := range fs.Order {
		if !contains(vals, v) {
			l.add(fd.Pos, fd.ID, "fail_safe order: %q is not a value of finding %q (%s)", v, fd.ID, strings.Join(vals, ", "))
		}
	}
}
