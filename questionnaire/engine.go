package questionnaire

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/expr-lang/expr/vm"
)

// run evaluates a compiled expression on machine m, which the caller holds
// (see walker), charging b (env holds it too, for the helpers). The
// helpers make comparisons safe on any answer, so an error here means an
// author's expression did something no answer could make right (such as
// adding a list to a number) or went over its budget (sandbox.go); it is
// reported, naming the rule, never a crash.
func (e *Expr) run(m *vm.VM, env map[string]any, b *budget) (any, error) {
	if e == nil || e.prog == nil {
		return nil, fmt.Errorf("expression not compiled")
	}
	if e.budgeted {
		*b = budget{}
	}
	v, err := m.Run(e.prog, env)
	if err != nil {
		return nil, e.fail(err)
	}
	return v, nil
}

// ErrBudget is in the error of an evaluation that went over its budget of
// steps or memory (errors.Is): the flow, not the answers, is at fault.
var ErrBudget = errors.New("an expression went over its budget")

// fail is the error of an evaluation of e that failed with err. expr's
// run-time messages quote the values involved, which are answers here:
// they must not reach a message or a log, so only the rule, its line and
// its text are named.
func (e *Expr) fail(err error) error {
	what := e.what
	if what == "" {
		what = "an expression"
	}
	if why := overBudget(err); why != "" {
		return fmt.Errorf("%s (line %d): the expression %s: %w", what, e.Pos.Line, why, ErrBudget)
	}
	return fmt.Errorf("%s (line %d): the expression %q cannot be evaluated on these answers; "+
		"use the helpers (real, has, count…) that accept any answer", what, e.Pos.Line, e.Src)
}

// walker steps through the flow in order, keeping the environment that
// conditions see: answers of questions asked so far, and derived values.
// A walker belongs to one call (Visible, Score, Check) and so to one
// goroutine; release hands it back for reuse when the call is done.
type walker struct {
	f       *Flow
	ans     Answers
	env     map[string]any
	m       *vm.VM // expression machine, held for the whole walk
	done    []bool // per f.nodes: computed
	pending int    // derived values not yet computed
	ended   bool

	memo []int8 // per Flow.memoSlots: 0 not known, 1 holds, 2 does not (see cond)

	budget budget // what the expression being evaluated has used (sandbox.go)

	trace *trace // nil unless a flow test measures coverage
}

// walkerPool keeps walkers for reuse, each with its environment map (whose
// table survives clear), machine and scratch: making them afresh for every
// call cost more than walking a flow.
var walkerPool = sync.Pool{New: func() any { return &walker{env: map[string]any{}, m: &vm.VM{MemoryBudget: maxMemory}} }}

// emptyMap stands for referral and caution while questions are walked:
// conditions may not read them, and only Score fills them (in maps of its
// own). It is never written.
var emptyMap = map[string]any{}

// newWalker returns a walker at the start of f; release it when done.
//
// Its environment starts empty: a name not yet computed or answered is
// simply absent, which expressions read as nil. (They cannot tell absent
// from nil: the only way, $env, is refused at load.)
func (f *Flow) newWalker(ans Answers) *walker {
	w := walkerPool.Get().(*walker)
	w.f, w.ans = f, ans
	w.env[nameReferral] = emptyMap
	w.env[nameCaution] = emptyMap
	w.env[nameConsentFor] = emptyMap
	w.env[budgetName] = &w.budget
	if n := len(f.nodes); cap(w.done) < n {
		w.done = make([]bool, n)
	} else {
		w.done = w.done[:n]
	}
	w.pending = len(f.derivedNodes)
	if n := f.memoSlots; cap(w.memo) < n {
		w.memo = make([]int8, n)
	} else {
		w.memo = w.memo[:n]
	}
	return w
}

// release clears the walker and hands it back; it is not used after.
func (w *walker) release() {
	clear(w.env)
	clear(w.done)
	clear(w.memo)
	*w = walker{env: w.env, m: w.m, done: w.done[:0], memo: w.memo}
	walkerPool.Put(w)
}

func (w *walker) run(e *Expr) (any, error) { return e.run(w.m, w.env, &w.budget) }

func (w *walker) holds(e *Expr) (bool, error) {
	v, err := e.run(w.m, w.env, &w.budget)
	if err != nil {
		return false, err
	}
	return truthy(v), nil
}

// cond is holds through the walker's memo, for the conditions Flow.prepare
// gave a memo slot. A condition is evaluated only once every name it reads
// has its final value for this walk: the questions before it have been
// walked, and the derived values and findings it reads were computed
// before it (the flow's order sees to that). So its outcome cannot change
// afterwards, and a condition with the same text, asked again later (the
// same test heads many questions; rules share their parts), has the same
// outcome. The exceptions are conditions that read referral or caution,
// which Score fills as rules fire: their slots are "volatile", forgotten
// each time one fires. Errors are not remembered; they end the walk anyway.
func (w *walker) cond(e *Expr) (bool, error) {
	k := e.memo - 1
	if k < 0 {
		return w.holds(e)
	}
	if m := w.memo[k]; m != 0 {
		return m == 1, nil
	}
	ok, err := w.holds(e)
	if err != nil {
		return false, err
	}
	w.memo[k] = 2
	if ok {
		w.memo[k] = 1
	}
	return ok, nil
}

// forgetVolatile forgets the outcome of conditions that read referral or
// caution: Score calls it when it adds to either.
func (w *walker) forgetVolatile() {
	for _, k := range w.f.volatileSlots {
		w.memo[k] = 0
	}
}

// compute evaluates derived node k (an index into f.nodes) into the env.
func (w *walker) compute(k int) error {
	n := w.f.nodes[k]
	v, err := w.run(n.derived.Expr)
	if err != nil {
		return err
	}
	w.env[n.name] = v
	w.done[k] = true
	w.pending--
	return nil
}

// deriveUpTo computes the derived values that rest only on questions
// before index i, in f.nodes order.
func (w *walker) deriveUpTo(i int) error {
	if w.pending == 0 {
		return nil
	}
	for _, k := range w.f.derivedNodes {
		if w.done[k] || w.f.nodes[k].maxQ >= i {
			continue
		}
		if err := w.compute(k); err != nil {
			return err
		}
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
	if s := q.Section; s.Relevant != nil {
		ok, err := w.cond(s.Relevant)
		w.trace.cond(s.Relevant, ok)
		if err != nil || !ok {
			return false, err
		}
	}
	if q.Relevant != nil {
		ok, err := w.cond(q.Relevant)
		w.trace.cond(q.Relevant, ok)
		return ok, err
	}
	return true, nil
}

// take records q's answer (if asked) and whether it ends the interview.
func (w *walker) take(q *Question) error {
	v := w.ans[q.ID]
	w.env[q.ID] = v
	if q.EndsIf != nil {
		end, err := w.holds(q.EndsIf)
		if err != nil {
			return err
		}
		w.trace.cond(q.EndsIf, end)
		w.ended = end
	}
	return nil
}

// Visible returns the questions (and notes) asked under these answers, in
// flow order. Answers to questions that are not asked are ignored.
func (f *Flow) Visible(ans Answers) ([]*Question, error) {
	w := f.newWalker(ans)
	defer w.release()
	var out []*Question
	for _, q := range f.Questions {
		ok, err := w.asked(q)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if out == nil {
			out = make([]*Question, 0, len(f.Questions)-q.Index) // one allocation, not a doubling series
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
	rule := q.rule()
	if rule.accepts != nil {
		parts = rule.accepts(q)
	}
	if !q.Required {
		parts = append(parts, Declined, DontKnow)
	}
	s := strings.Join(parts, ", ")
	if rule.list {
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
	if check := q.rule().check; check != nil {
		var err error
		if out, err = check(f, q, v, lang); err != nil {
			return nil, err
		}
	}
	if len(q.Constraints) > 0 {
		w := f.newWalker(earlier)
		defer w.release()
		for id, a := range earlier {
			w.env[id] = a
		}
		if err := w.deriveUpTo(q.Index); err != nil {
			return nil, err
		}
		w.env[nameValue] = out
		for _, c := range q.Constraints {
			ok, err := w.holds(c.Check)
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
