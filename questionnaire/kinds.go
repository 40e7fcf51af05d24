package questionnaire

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Kind is a question's type, as a flow writes it (`type: yes_no`): what
// the question asks and the answer it takes.
type Kind string

// The kinds of question a flow may use.
//
// Adding one means a row in each layer's table, keyed by Kind: kindRules
// below (how a flow using it is validated, what answer it takes, how the
// fail-safe check answers it), kindForms in internal/forms/kinds.go (how
// the terminal and line mode ask it), kindPrints in
// internal/render/kinds.go (how it is printed on paper and shown in a
// summary), and the `type` enum of schema/flow.schema.json. Each layer
// has a test that goes through Kinds() and names the kind its table
// lacks.
const (
	TypeYesNo   Kind = "yes_no"
	TypeChoice  Kind = "choice"
	TypeMulti   Kind = "multi"
	TypeInteger Kind = "integer"
	TypeText    Kind = "text"
	TypeNote    Kind = "note"
)

// kinds is every kind, in the order messages list them.
var kinds = []Kind{TypeYesNo, TypeChoice, TypeMulti, TypeInteger, TypeText, TypeNote}

// Kinds returns every kind of question a flow may use.
func Kinds() []Kind { return slices.Clone(kinds) }

// kindNames are the kinds as a flow writes them, for messages.
func kindNames() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// choiceRule says what a question's `choices` may hold.
type choiceRule int

const (
	choicesNone    choiceRule = iota // it takes no choices
	choicesListed                    // it needs at least one: they are its answers
	choicesRelabel                   // only relabel its own values (yes and no); labels optional
)

// kindRule is what the flow language knows of one kind of question.
type kindRule struct {
	// note: it asks nothing (it is shown), so it cannot be required or
	// constrained, and it has no answer.
	note    bool
	choices choiceRule
	list    bool // the answer is a list of choices
	number  bool // the answer is a whole number: min and max apply
	// accepts lists the answers it takes, for messages (Accepts).
	accepts func(q *Question) []string
	// comparable lists the values an expression may compare it with; nil:
	// any text.
	comparable func(q *Question) []string
	// check turns v into the answer's normal form (see Answers), or says
	// why it is not one. Declined and dont_know never reach it.
	check func(f *Flow, q *Question, v any, lang string) (any, error)
	// generate picks a random answer, for the fail-safe check
	// (AnswerGenerator); gaps are chosen before it is called.
	generate func(g *AnswerGenerator, rng *rand.Rand, q *Question) any
	// saysNo reports whether v is the answer that says no, which the
	// fail-safe check swaps for declined and dont_know; nil: it has none.
	saysNo func(q *Question, v any) bool
	// example: the keys an example question of it needs besides id, type
	// and label, as YAML (KindExample).
	example string
}

// kindRules: for every kind, how a question of it is validated and
// answered. A question holds its row once loaded (Question.rule). (Set
// in init: a row's check calls Accepts, which reads the table.)
var kindRules map[Kind]*kindRule

func init() {
	kindRules = map[Kind]*kindRule{
		TypeYesNo: {
			choices:    choicesRelabel,
			accepts:    func(*Question) []string { return []string{"yes", "no"} },
			comparable: func(*Question) []string { return []string{"yes", "no"} },
			check:      checkYesNo,
			generate: func(_ *AnswerGenerator, rng *rand.Rand, _ *Question) any {
				if rng.IntN(2) == 0 {
					return "yes"
				}
				return "no"
			},
			saysNo: func(_ *Question, v any) bool {
				s, ok := v.(string)
				return ok && s == "no"
			},
		},
		TypeChoice: {
			example:    exampleChoices,
			choices:    choicesListed,
			accepts:    choiceValues,
			comparable: choiceValues,
			check:      checkChoice,
			generate: func(_ *AnswerGenerator, rng *rand.Rand, q *Question) any {
				if len(q.Choices) == 0 {
					return nil
				}
				return q.Choices[rng.IntN(len(q.Choices))].Value
			},
		},
		TypeMulti: {
			example:    exampleChoices,
			choices:    choicesListed,
			list:       true,
			accepts:    choiceValues,
			comparable: choiceValues,
			check:      checkMulti,
			generate:   generateMulti,
			// an exclusive choice alone: "none of these"
			saysNo: func(q *Question, v any) bool {
				l, ok := v.([]string)
				if !ok || len(l) != 1 {
					return false
				}
				ch := q.Choice(l[0])
				return ch != nil && (ch.Exclusive || ch.Value == None)
			},
		},
		TypeInteger: {
			example:    "min: 0, max: 120",
			number:     true,
			accepts:    func(q *Question) []string { return []string{integerAccepts(q)} },
			comparable: func(*Question) []string { return []string{} },
			check:      checkInteger,
			generate: func(g *AnswerGenerator, rng *rand.Rand, q *Question) any {
				if vals := g.ints[q.ID]; len(vals) > 0 && rng.IntN(3) > 0 {
					return vals[rng.IntN(len(vals))]
				}
				lo, hi := intRange(q)
				if hi < lo {
					return lo
				}
				return lo + rng.IntN(hi-lo+1)
			},
		},
		TypeText: {
			accepts: func(*Question) []string { return []string{"text"} },
			check:   checkText,
			generate: func(_ *AnswerGenerator, rng *rand.Rand, _ *Question) any {
				return genTexts[rng.IntN(len(genTexts))]
			},
		},
		TypeNote: {note: true},
	}
}

const exampleChoices = "choices: [{value: a, label: A}, {value: b, label: B}, {value: none, label: None, exclusive: true}]"

// KindExample returns a question of kind k, alone in a flow loaded as any
// flow is: for the tests of every layer that asks, prints or shows
// questions, which go through Kinds(). It returns an error when k is no
// kind, or its example does not load.
func KindExample(k Kind) (*Flow, *Question, error) {
	r := kindRules[k]
	if r == nil {
		return nil, nil, fmt.Errorf("%q is not a kind of question", k)
	}
	extra := ""
	if r.example != "" {
		extra = ", " + r.example
	}
	src := "id: example\nversion: \"1\"\ndefault_language: en\ntitle: Example\nsections:\n  - id: s\n    title: S\n    questions:\n" +
		"      - {id: q, type: " + string(k) + ", label: Q" + extra + "}\n"
	f, err := Load("example-"+string(k)+".yaml", []byte(src))
	if err != nil {
		return nil, nil, err
	}
	return f, f.Question("q"), nil
}

// noRule is the row of a type no kind has: Load refuses such a flow, but
// reports every other problem with it first.
var noRule kindRule

// rule returns the row of q's kind.
func (q *Question) rule() *kindRule {
	if q.kind != nil {
		return q.kind
	}
	if r := kindRules[q.Type]; r != nil {
		return r
	}
	return &noRule
}

// Asks reports whether the question asks for an answer (a note does not).
func (q *Question) Asks() bool { return !q.rule().note }

func badAnswer(q *Question, format string, args ...any) error {
	return &AnswerError{Question: q.ID, Message: fmt.Sprintf(format, args...)}
}

// choiceValues: nil when q has no choices (comparable's "any", on a
// flow Load refuses anyway).
func choiceValues(q *Question) []string {
	var out []string
	for _, c := range q.Choices {
		out = append(out, c.Value)
	}
	return out
}

func integerAccepts(q *Question) string {
	switch {
	case q.Min != nil && q.Max != nil:
		return fmt.Sprintf("a whole number from %d to %d", *q.Min, *q.Max)
	case q.Min != nil:
		return fmt.Sprintf("a whole number of at least %d", *q.Min)
	case q.Max != nil:
		return fmt.Sprintf("a whole number of at most %d", *q.Max)
	}
	return "a whole number"
}

func checkYesNo(_ *Flow, q *Question, v any, _ string) (any, error) {
	switch x := v.(type) {
	case bool:
		return map[bool]string{true: "yes", false: "no"}[x], nil
	case string:
		if x != "yes" && x != "no" {
			return nil, badAnswer(q, "%s is not an answer it takes (accepts: %s)", quoteValue(x), q.Accepts())
		}
		return x, nil
	}
	return nil, badAnswer(q, "expects yes or no, not %s (accepts: %s)", describe(v), q.Accepts())
}

func checkChoice(_ *Flow, q *Question, v any, _ string) (any, error) {
	x, ok := v.(string)
	if !ok {
		return nil, badAnswer(q, "expects one choice, not %s (accepts: %s)", describe(v), q.Accepts())
	}
	if q.Choice(x) == nil {
		return nil, badAnswer(q, "%s is not one of its choices%s (accepts: %s)", quoteValue(x), didYouMean(x, q), q.Accepts())
	}
	return x, nil
}

func checkMulti(f *Flow, q *Question, v any, lang string) (any, error) {
	var list []string
	switch x := v.(type) {
	case []string:
		list = x
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, badAnswer(q, "expects a list of choices, but the list holds %s (accepts %s)", describe(e), q.Accepts())
			}
			list = append(list, s)
		}
	case string:
		return nil, badAnswer(q, "expects a list of choices in brackets, such as [a, b], not the single value %s (accepts %s)", quoteValue(x), q.Accepts())
	default:
		return nil, badAnswer(q, "expects a list of choices, not %s (accepts %s)", describe(v), q.Accepts())
	}
	if len(list) == 0 {
		return nil, badAnswer(q, "the list is empty; give at least one choice, or %q when nothing applies (accepts %s)", None, q.Accepts())
	}
	seen := map[string]bool{}
	for _, s := range list {
		c := q.Choice(s)
		switch {
		case s == Declined || s == DontKnow:
			return nil, badAnswer(q, "%q stands alone, not inside a list", s)
		case c == nil:
			return nil, badAnswer(q, "%s is not one of its choices%s (accepts %s)", quoteValue(s), didYouMean(s, q), q.Accepts())
		case seen[s]:
			return nil, badAnswer(q, "%q is listed twice", s)
		case (c.Exclusive || s == None) && len(list) > 1:
			// Said with the choice's label: the interviewer sees this.
			name := s
			if !c.Label.Empty() {
				name = f.T(c.Label, lang)
			}
			return nil, badAnswer(q, "%q cannot be combined with other choices", name)
		}
		seen[s] = true
	}
	// Kept in the flow's choice order, so equal answers compare equal.
	sorted := make([]string, 0, len(list))
	for _, c := range q.Choices {
		if seen[c.Value] {
			sorted = append(sorted, c.Value)
		}
	}
	return sorted, nil
}

func checkInteger(_ *Flow, q *Question, v any, _ string) (any, error) {
	n, ok := toInt(v)
	if !ok {
		return nil, badAnswer(q, "expects %s, not %s", q.Accepts(), describe(v))
	}
	if (q.Min != nil && n < *q.Min) || (q.Max != nil && n > *q.Max) {
		return nil, badAnswer(q, "%d is out of range (accepts: %s)", n, q.Accepts())
	}
	return n, nil
}

func checkText(_ *Flow, q *Question, v any, _ string) (any, error) {
	x, ok := v.(string)
	if !ok {
		if n, isNum := toInt(v); isNum {
			x = strconv.Itoa(n)
		} else {
			return nil, badAnswer(q, "expects text, not %s", describe(v))
		}
	}
	x = strings.TrimSpace(x)
	if x == "" {
		return nil, badAnswer(q, "the text is empty")
	}
	if len(x) > MaxTextAnswer {
		return nil, badAnswer(q, "the text is %d bytes long; an answer holds at most %d", len(x), MaxTextAnswer)
	}
	return x, nil
}

func generateMulti(_ *AnswerGenerator, rng *rand.Rand, q *Question) any {
	var excl, plain []string
	for _, c := range q.Choices {
		if c.Exclusive || c.Value == None {
			excl = append(excl, c.Value)
		} else {
			plain = append(plain, c.Value)
		}
	}
	if len(excl) > 0 && (len(plain) == 0 || rng.Float64() < genExclusive) {
		return []string{excl[rng.IntN(len(excl))]}
	}
	if len(plain) == 0 {
		return nil
	}
	var out []string
	for _, v := range plain {
		if rng.IntN(4) == 0 {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		out = append(out, plain[rng.IntN(len(plain))])
	}
	return out // in the flow's choice order, as Check keeps it
}
