package questionnaire

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/expr-lang/expr/vm"
)

// vmPool keeps expression machines for reuse: a fresh one per evaluation
// costs more than most rules do.
var vmPool = sync.Pool{New: func() any { return new(vm.VM) }}

// run evaluates a compiled expression. The helpers make comparisons safe on
// any answer, so an error here means an author's expression did something
// no answer could make right (such as adding a list to a number); it is
// reported, never a crash.
func (e *Expr) run(env map[string]any) (any, error) {
	if e == nil || e.prog == nil {
		return nil, fmt.Errorf("expression not compiled")
	}
	m := vmPool.Get().(*vm.VM)
	v, err := m.Run(e.prog, env)
	vmPool.Put(m)
	if err != nil {
		// expr's run-time messages quote the values involved, which are
		// answers here: they must not reach a message or a log.
		return nil, fmt.Errorf("line %d: the expression %q cannot be evaluated on these answers; "+
			"use the helpers (real, has, count…) that accept any answer", e.Pos.Line, e.Src)
	}
	return v, nil
}

func (e *Expr) holds(env map[string]any) (bool, error) {
	v, err := e.run(env)
	if err != nil {
		return false, err
	}
	return truthy(v), nil
}

// walker steps through the flow in order, keeping the environment that
// conditions see: answers of questions asked so far, and derived values.
type walker struct {
	f     *Flow
	ans   Answers
	env   map[string]any
	done  []bool // per f.nodes: computed
	ended bool
}

func (f *Flow) newWalker(ans Answers) *walker {
	env := make(map[string]any, len(f.Questions)+len(f.nodes)+3)
	for _, q := range f.Questions {
		env[q.ID] = nil
	}
	for _, n := range f.nodes {
		if n.derived != nil || n.finding != nil {
			env[n.name] = nil
		}
	}
	env[nameReferral] = map[string]any{}
	env[nameCaution] = map[string]any{}
	return &walker{f: f, ans: ans, env: env, done: make([]bool, len(f.nodes))}
}

// deriveUpTo computes the derived values that rest only on questions
// before index i.
func (w *walker) deriveUpTo(i int) error {
	for k, n := range w.f.nodes {
		if n.derived == nil || n.maxQ >= i || w.done[k] {
			continue
		}
		v, err := n.derived.Expr.run(w.env)
		if err != nil {
			return err
		}
		w.env[n.name] = v
		w.done[k] = true
	}
	return nil
}

// asked decides whether q is asked, given everything before it.
func (w *walker) asked(q *Question) (bool, error) {
	if w.ended {
		return false, nil
	}
	if err := w.deriveUpTo(q.Index); err != nil {
		return false, err
	}
	s := q.Section
	if s.Relevant != nil {
		ok, err := s.Relevant.holds(w.env)
		if err != nil || !ok {
			return false, err
		}
	}
	if q.Relevant != nil {
		return q.Relevant.holds(w.env)
	}
	return true, nil
}

// take records q's answer (if asked) and whether it ends the interview.
func (w *walker) take(q *Question) error {
	v := w.ans[q.ID]
	w.env[q.ID] = v
	if q.EndsIf != nil {
		end, err := q.EndsIf.holds(w.env)
		if err != nil {
			return err
		}
		w.ended = end
	}
	return nil
}

// Visible returns the questions (and notes) asked under these answers, in
// flow order. Answers to questions that are not asked are ignored.
func (f *Flow) Visible(ans Answers) ([]*Question, error) {
	w := f.newWalker(ans)
	var out []*Question
	for _, q := range f.Questions {
		ok, err := w.asked(q)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		out = append(out, q)
		if err := w.take(q); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Prune removes from ans the answers to questions that are no longer asked,
// and returns their IDs in flow order.
func (f *Flow) Prune(ans Answers) ([]string, error) {
	vis, err := f.Visible(ans)
	if err != nil {
		return nil, err
	}
	keep := make(map[string]bool, len(vis))
	for _, q := range vis {
		keep[q.ID] = true
	}
	var dropped []string
	for _, q := range f.Questions {
		if _, has := ans[q.ID]; has && !keep[q.ID] {
			dropped = append(dropped, q.ID)
			delete(ans, q.ID)
		}
	}
	return dropped, nil
}

// Next returns the first asked question that has no entry in ans (neither an
// answer nor a recorded skip), or nil when the interview has reached its end.
func (f *Flow) Next(ans Answers) (*Question, error) {
	vis, err := f.Visible(ans)
	if err != nil {
		return nil, err
	}
	for _, q := range vis {
		if _, has := ans[q.ID]; !has && q.Asks() {
			return q, nil
		}
	}
	return nil, nil
}

// AnswerError is an answer a question cannot take. Its message names the
// question and what is allowed, in the flow's words where the author gave them.
type AnswerError struct {
	Question string
	Message  string
}

func (e *AnswerError) Error() string { return fmt.Sprintf("question %q: %s", e.Question, e.Message) }

// Accepts lists the values q accepts, for messages and forms.
func (q *Question) Accepts() string {
	var parts []string
	switch q.Type {
	case TypeYesNo:
		parts = []string{"yes", "no"}
	case TypeChoice, TypeMulti:
		for _, c := range q.Choices {
			parts = append(parts, c.Value)
		}
	case TypeInteger:
		switch {
		case q.Min != nil && q.Max != nil:
			parts = []string{fmt.Sprintf("a whole number from %d to %d", *q.Min, *q.Max)}
		case q.Min != nil:
			parts = []string{fmt.Sprintf("a whole number of at least %d", *q.Min)}
		case q.Max != nil:
			parts = []string{fmt.Sprintf("a whole number of at most %d", *q.Max)}
		default:
			parts = []string{"a whole number"}
		}
	case TypeText:
		parts = []string{"text"}
	}
	if !q.Required {
		parts = append(parts, Declined, DontKnow)
	}
	s := strings.Join(parts, ", ")
	if q.Type == TypeMulti {
		s = "a list of: " + strings.Join(parts[:len(parts)-boolInt(!q.Required)*2], ", ")
		if !q.Required {
			s += "; or declined, dont_know"
		}
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Check validates v as an answer to q and returns it in its normal form
// (see Answers). earlier holds the answers before q, which constraints may
// read; lang picks the language of the author's messages.
func (f *Flow) Check(q *Question, v any, earlier Answers, lang string) (any, error) {
	bad := func(format string, args ...any) error {
		return &AnswerError{Question: q.ID, Message: fmt.Sprintf(format, args...)}
	}
	if !q.Asks() {
		return nil, bad("is a note and takes no answer")
	}
	if s, ok := v.(string); ok && (s == Declined || s == DontKnow) {
		if q.Required {
			return nil, bad("is required; %q is not accepted (accepts: %s)", s, q.Accepts())
		}
		return s, nil
	}
	var out any
	switch q.Type {
	case TypeYesNo:
		switch x := v.(type) {
		case bool:
			out = map[bool]string{true: "yes", false: "no"}[x]
		case string:
			if x != "yes" && x != "no" {
				return nil, bad("%s is not an answer it takes (accepts: %s)", quoteValue(x), q.Accepts())
			}
			out = x
		default:
			return nil, bad("expects yes or no, not %s (accepts: %s)", describe(v), q.Accepts())
		}
	case TypeChoice:
		x, ok := v.(string)
		if !ok {
			return nil, bad("expects one choice, not %s (accepts: %s)", describe(v), q.Accepts())
		}
		if q.Choice(x) == nil {
			return nil, bad("%s is not one of its choices%s (accepts: %s)", quoteValue(x), didYouMean(x, q), q.Accepts())
		}
		out = x
	case TypeMulti:
		var list []string
		switch x := v.(type) {
		case []string:
			list = x
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return nil, bad("expects a list of choices, but the list holds %s (accepts %s)", describe(e), q.Accepts())
				}
				list = append(list, s)
			}
		case string:
			return nil, bad("expects a list of choices in brackets, such as [a, b], not the single value %s (accepts %s)", quoteValue(x), q.Accepts())
		default:
			return nil, bad("expects a list of choices, not %s (accepts %s)", describe(v), q.Accepts())
		}
		if len(list) == 0 {
			return nil, bad("the list is empty; give at least one choice, or %q when nothing applies (accepts %s)", None, q.Accepts())
		}
		seen := map[string]bool{}
		for _, s := range list {
			c := q.Choice(s)
			switch {
			case s == Declined || s == DontKnow:
				return nil, bad("%q stands alone, not inside a list", s)
			case c == nil:
				return nil, bad("%s is not one of its choices%s (accepts %s)", quoteValue(s), didYouMean(s, q), q.Accepts())
			case seen[s]:
				return nil, bad("%q is listed twice", s)
			case (c.Exclusive || s == None) && len(list) > 1:
				return nil, bad("%q cannot be combined with other choices", s)
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
		out = sorted
	case TypeInteger:
		n, ok := toInt(v)
		if !ok {
			return nil, bad("expects %s, not %s", q.Accepts(), describe(v))
		}
		if (q.Min != nil && n < *q.Min) || (q.Max != nil && n > *q.Max) {
			return nil, bad("%d is out of range (accepts: %s)", n, q.Accepts())
		}
		out = n
	case TypeText:
		x, ok := v.(string)
		if !ok {
			if n, isNum := toInt(v); isNum {
				x = strconv.Itoa(n)
			} else {
				return nil, bad("expects text, not %s", describe(v))
			}
		}
		x = strings.TrimSpace(x)
		if x == "" {
			return nil, bad("the text is empty")
		}
		out = x
	}
	if len(q.Constraints) > 0 {
		env := f.newWalker(earlier).env
		for id, a := range earlier {
			env[id] = a
		}
		w := &walker{f: f, ans: earlier, env: env, done: make([]bool, len(f.nodes))}
		if err := w.deriveUpTo(q.Index); err != nil {
			return nil, err
		}
		env[nameValue] = out
		for _, c := range q.Constraints {
			ok, err := c.Check.holds(env)
			if err != nil {
				return nil, bad("its constraint could not be checked: %v", err)
			}
			if !ok {
				return nil, &AnswerError{Question: q.ID, Message: f.T(c.Message, lang)}
			}
		}
	}
	return out, nil
}

func didYouMean(s string, q *Question) string {
	var vals []string
	for _, c := range q.Choices {
		vals = append(vals, c.Value)
	}
	if near := nearest(s, vals); near != "" {
		return fmt.Sprintf(" (did you mean %q?)", near)
	}
	return ""
}

func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		if x < math.MinInt32 || x > math.MaxInt32 {
			return 0, false
		}
		return int(x), true
	case uint64:
		if x > math.MaxInt32 {
			return 0, false
		}
		return int(x), true
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) || math.IsNaN(x) || x < math.MinInt32 || x > math.MaxInt32 {
			return 0, false
		}
		return int(x), true
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(x))
		return n, err == nil
	}
	return 0, false
}

// quoteValue shows a mistaken value in a message when it looks like a
// choice value (a short word such as "orign_country"); anything else may be
// what a person said, so only its length is shown: messages can end up in
// logs and must not carry answers.
func quoteValue(s string) string {
	if len(s) <= 40 && tokenLike.MatchString(s) {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("a text of %d characters", len([]rune(s)))
}

var tokenLike = regexp.MustCompile(`^[A-Za-z0-9_.-]*$`)

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case bool:
		return fmt.Sprintf("%v", x)
	case string:
		return quoteValue(x)
	case []any, []string:
		return "a list"
	case map[string]any:
		return "a mapping"
	case float64, int, int64:
		return fmt.Sprintf("the number %v", x)
	}
	return fmt.Sprintf("a %T", v)
}
