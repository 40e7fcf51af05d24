package questionnaire

// The fail-safe check: the spec's first rule, "declining is never less
// protective than no", tested over many random answer sets that follow a
// flow. It is here, beside the flow language, so that any author who adapts
// a flow can run it (`fieldscreen flow check --fail-safe`); it reads no file
// and writes nothing.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// DefaultFailSafeSamples is how many answer sets CheckFailSafe makes when
// FailSafeOptions.Samples is 0.
const DefaultFailSafeSamples = 10000

// FailSafeOptions tune CheckFailSafe.
type FailSafeOptions struct {
	// Samples is how many random answer sets to check (0: DefaultFailSafeSamples).
	Samples int
	// Seed makes the answer sets: the same seed gives the same sets, and
	// the same report, on every machine and with any number of workers.
	Seed uint64
	// Workers is how many goroutines check sets (0: runtime.NumCPU()).
	Workers int
	// Order ranks the headline finding when the flow declares no
	// `fail_safe` (for a flow written before it existed). The flow's own
	// order wins when it has one.
	Order *FailSafe
	// All checks every set even after a counterexample, and tallies every
	// failing swap (FailSafeReport.Tally); otherwise the check stops at the
	// first set that fails.
	All bool
	// SwapsPerSet, when above 0, checks at most this many swaps in each
	// set, chosen at random among its no and none answers and the two
	// gap values (0: every swap). Scoring is nearly all the cost, so this
	// buys more, and more varied, sets for the same time: for when time is
	// short (a slow race-detector build), not for a release.
	SwapsPerSet int
}

// FailSafeReport is what CheckFailSafe found.
type FailSafeReport struct {
	Flow FlowRef `json:"flow"`
	Seed uint64  `json:"seed"`
	// OrderFinding and Order are the ranking the headline was compared by;
	// empty: headlines were not compared, only referrals and cautions.
	OrderFinding string   `json:"order_finding,omitempty"`
	Order        []string `json:"order,omitempty"`
	// Samples is how many answer sets were checked; Swaps how many answers
	// (no, or an exclusive "none" alone) were replaced by declined or
	// dont_know in them, each replacement counted once.
	Samples int `json:"samples"`
	Swaps   int `json:"swaps"`
	// Failures counts the swaps that lost protection: all of them with
	// FailSafeOptions.All, else those of the set that failed.
	Failures int `json:"failures"`
	// Counterexample is the first failing swap of the first failing set,
	// made as small as it can be while it still fails; nil when the rule held.
	Counterexample *Counterexample `json:"counterexample,omitempty"`
	// Tally groups every failing swap by question and loss (with All),
	// most frequent first.
	Tally []FailSafeTally `json:"tally,omitempty"`
}

// Holds reports whether no counterexample was found.
func (r *FailSafeReport) Holds() bool { return r.Counterexample == nil }

// Counterexample is an answer set A and the same set A' with one answer
// declined (or dont_know) whose summary is less protective than A's.
type Counterexample struct {
	// Sample is the index of the random answer set it was found in (with
	// the report's seed); the answers below may have been made smaller.
	Sample   int    `json:"sample"`
	Question string `json:"question"`
	// Answer is what A answered: "no", or a one-element list of an
	// exclusive choice ([none]). Swapped is Declined or DontKnow.
	Answer  any    `json:"answer"`
	Swapped string `json:"swapped"`
	// Losses says what A' lost against A.
	Losses []FailSafeLoss `json:"losses"`
	// Answers is A; SwappedAnswers is A' with the answers to questions it
	// no longer asks removed. Both are answers as a summary is scored from.
	Answers        Answers `json:"answers"`
	SwappedAnswers Answers `json:"swapped_answers"`
}

// What a swap can lose.
const (
	LossOutcome  = "outcome"  // the headline finding ranks lower
	LossReferral = "referral" // a referral is no longer made
	LossPriority = "priority" // a referral's priority is lower
	LossCaution  = "caution"  // a caution is no longer raised
)

// FailSafeLoss is one thing a swap lost. ID is the headline finding's,
// the referral's or the caution's; From and To are the headline values or
// the priorities before and after (To is empty when the referral is lost).
type FailSafeLoss struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

func (l FailSafeLoss) String() string {
	switch l.Kind {
	case LossOutcome:
		return fmt.Sprintf("%s: %s → %s", l.ID, l.From, l.To)
	case LossPriority:
		return fmt.Sprintf("referral %s: %s → %s", l.ID, l.From, l.To)
	case LossReferral:
		return fmt.Sprintf("referral %s (%s) lost", l.ID, l.From)
	}
	return fmt.Sprintf("%s %s lost", l.Kind, l.ID)
}

// FailSafeTally counts the failing swaps of one question, replacement and loss.
type FailSafeTally struct {
	Question string       `json:"question"`
	Swapped  string       `json:"swapped"`
	Loss     FailSafeLoss `json:"loss"`
	Count    int          `json:"count"`
	// Sample is the first answer set it happened in.
	Sample int `json:"sample"`
}

// CheckFailSafe tests the spec's first rule on random answer sets that
// follow the flow (see AnswerGenerator). For every set A and every
// question q that A answers "no" (yes_no) or with an exclusive choice alone
// (multi), and that is not required, it scores A' = A with q answered
// declined, and again dont_know, and checks that A' is at least as
// protective: its headline ranks no lower (by the flow's fail_safe order;
// values outside it are not compared), every referral of A is made with a
// priority no lower, and every caution of A is raised.
//
// A' keeps the answers of A to questions it asks; those it would no longer
// ask are ignored by Score, and questions it asks that A did not are left
// unanswered. Constraints of later answers are not checked again on A'.
//
// An error is a flow the check cannot run on (an expression that fails on
// some answers, a fail_safe order naming no finding); a counterexample is
// not an error but the report's Counterexample.
func (f *Flow) CheckFailSafe(opt FailSafeOptions) (*FailSafeReport, error) {
	if opt.Samples <= 0 {
		opt.Samples = DefaultFailSafeSamples
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU()
	}
	if opt.Workers > opt.Samples {
		opt.Workers = opt.Samples
	}
	order := f.FailSafe
	if order == nil {
		order = opt.Order
	}
	c, err := newFSChecker(f, order)
	if err != nil {
		return nil, err
	}
	c.gen, c.seed, c.perSet = NewAnswerGenerator(f), opt.Seed, opt.SwapsPerSet
	rep := &FailSafeReport{Flow: f.Ref(), Seed: opt.Seed}
	if order != nil {
		rep.OrderFinding, rep.Order = order.Finding, order.Order
	}

	// Workers take sets in index order. Once set i has failed, sets after
	// it are not needed (unless All): every set before it has been or is
	// being checked, so the first failing set is the same whatever the
	// number of workers or their timing.
	var (
		next     atomic.Int64
		bound    atomic.Int64 // index of the first failing set so far, or Samples
		stop     atomic.Bool  // an error: every worker stops
		mu       sync.Mutex
		first    *fsResult
		firstErr error
		errAt    = opt.Samples
		tally    = map[fsTallyKey]*FailSafeTally{}
		swaps    = make([]int32, opt.Samples)
		fails    = make([]int32, opt.Samples)
		wg       sync.WaitGroup
	)
	bound.Store(int64(opt.Samples))
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local map[fsTallyKey]*FailSafeTally
			if opt.All {
				local = map[fsTallyKey]*FailSafeTally{}
			}
			for {
				i := int(next.Add(1) - 1)
				if i >= opt.Samples || stop.Load() || (!opt.All && int64(i) > bound.Load()) {
					break
				}
				res, err := c.sample(i, local)
				if err != nil {
					mu.Lock()
					if i < errAt {
						errAt, firstErr = i, err
					}
					mu.Unlock()
					stop.Store(true)
					break
				}
				swaps[i], fails[i] = int32(res.swaps), int32(res.fails)
				if res.cx == nil {
					continue
				}
				mu.Lock()
				if first == nil || i < first.cx.Sample {
					first = res
				}
				mu.Unlock()
				for {
					b := bound.Load()
					if int64(i) >= b || bound.CompareAndSwap(b, int64(i)) {
						break
					}
				}
			}
			if local != nil {
				mu.Lock()
				for k, t := range local {
					if have := tally[k]; have != nil {
						have.Count += t.Count
						have.Sample = min(have.Sample, t.Sample)
					} else {
						tally[k] = t
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, fmt.Errorf("answer set %d of seed %d: %w", errAt, opt.Seed, firstErr)
	}
	n := opt.Samples
	if first != nil && !opt.All {
		n = first.cx.Sample + 1
	}
	rep.Samples = n
	for i := range n {
		rep.Swaps += int(swaps[i])
		rep.Failures += int(fails[i])
	}
	if first != nil {
		cx, err := c.shrink(first.cx)
		if err != nil {
			return nil, err
		}
		rep.Counterexample = cx
	}
	for _, t := range tally {
		rep.Tally = append(rep.Tally, *t)
	}
	sort.Slice(rep.Tally, func(i, j int) bool {
		a, b := rep.Tally[i], rep.Tally[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Sample != b.Sample {
			return a.Sample < b.Sample
		}
		return a.Question+" "+a.Swapped+" "+a.Loss.String() < b.Question+" "+b.Swapped+" "+b.Loss.String()
	})
	return rep, nil
}

type fsChecker struct {
	f      *Flow
	gen    *AnswerGenerator
	seed   uint64
	perSet int // at most this many swaps a set; 0: all
	// The headline finding, where it sits in a summary, and the rank of
	// each of its values (1 = least protective; 0 = not compared).
	finding, field string
	rank           map[string]int
}

// newFSChecker prepares the comparison of summaries by order (nil: the
// headline is not compared).
func newFSChecker(f *Flow, order *FailSafe) (*fsChecker, error) {
	c := &fsChecker{f: f}
	if order == nil {
		return c, nil
	}
	var fd *Finding
	for _, x := range f.Findings {
		if x.ID == order.Finding {
			fd = x
		}
	}
	if fd == nil {
		return nil, fmt.Errorf("fail_safe names finding %q, which the flow does not have", order.Finding)
	}
	c.finding, c.field = fd.ID, fd.Field
	if c.field == "" {
		c.field = fd.ID
	}
	c.rank = make(map[string]int, len(order.Order))
	for i, v := range order.Order {
		if _, dup := c.rank[v]; !dup {
			c.rank[v] = i + 1
		}
	}
	return c, nil
}

type fsResult struct {
	swaps, fails int
	cx           *Counterexample // the first failing swap, not yet shrunk
}

type fsTallyKey struct {
	q, to string
	loss  FailSafeLoss
}

// rng returns the random source of answer set i: the same for a seed and
// index whatever worker draws it.
func (c *fsChecker) rng(i int) *rand.Rand {
	return rand.New(rand.NewPCG(c.seed, uint64(i)^0x5f3759df_9e3779b9))
}

// swapTargets are the values a swap puts in place of no or [none].
var swapTargets = [...]string{Declined, DontKnow}

// swappable reports whether v is an answer to q the rule swaps: "no" to a
// yes_no question, or an exclusive choice alone to a multi question.
func swappable(q *Question, v any) bool {
	if q.Required {
		return false
	}
	saysNo := q.rule().saysNo
	return saysNo != nil && saysNo(q, v)
}

// sample checks answer set i. With tally non-nil it records every failing swap.
func (c *fsChecker) sample(i int, tally map[fsTallyKey]*FailSafeTally) (*fsResult, error) {
	ans, err := c.gen.Answers(c.rng(i))
	if err != nil {
		return nil, err
	}
	base, err := c.f.Score(ans)
	if err != nil {
		return nil, err
	}
	type swap struct {
		q  *Question
		to string
	}
	var todo []swap
	for _, q := range c.f.Questions {
		if v, ok := ans[q.ID]; ok && swappable(q, v) {
			for _, to := range swapTargets {
				todo = append(todo, swap{q, to})
			}
		}
	}
	if c.perSet > 0 && len(todo) > c.perSet {
		// a random few, kept in flow order
		rng := rand.New(rand.NewPCG(c.seed^0x2545f4914f6cdd1d, uint64(i))) // not the stream the answers came from
		keep := make([]bool, len(todo))
		for _, k := range rng.Perm(len(todo))[:c.perSet] {
			keep[k] = true
		}
		n := 0
		for k, sw := range todo {
			if keep[k] {
				todo[n] = sw
				n++
			}
		}
		todo = todo[:n]
	}
	res := &fsResult{}
	for _, sw := range todo {
		q, to := sw.q, sw.to
		v := ans[q.ID]
		// Score ignores the answers of questions A' does not ask, so A'
		// needs no pruning to be scored: only to be shown.
		ans[q.ID] = to
		s, err := c.f.Score(ans)
		ans[q.ID] = v
		if err != nil {
			return nil, err
		}
		res.swaps++
		losses := c.compare(base, s)
		if len(losses) == 0 {
			continue
		}
		res.fails++
		if res.cx == nil {
			res.cx = &Counterexample{Sample: i, Question: q.ID, Answer: v, Swapped: to, Losses: losses, Answers: ans.Clone()}
		}
		if tally != nil {
			for _, l := range losses {
				k := fsTallyKey{q.ID, to, l}
				if t := tally[k]; t != nil {
					t.Count++
				} else {
					tally[k] = &FailSafeTally{Question: q.ID, Swapped: to, Loss: l, Count: 1, Sample: i}
				}
			}
		}
	}
	return res, nil
}

// compare lists what b (the summary of A') lost against a (of A).
func (c *fsChecker) compare(a, b *Summary) []FailSafeLoss {
	var out []FailSafeLoss
	if c.rank != nil {
		va, vb := fmt.Sprint(a.Get(c.field)), fmt.Sprint(b.Get(c.field))
		ra, rb := c.rank[va], c.rank[vb]
		if ra > 0 && rb > 0 && rb < ra {
			out = append(out, FailSafeLoss{Kind: LossOutcome, ID: c.finding, From: va, To: vb})
		}
	}
	for _, ra := range a.Referrals {
		found := false
		for _, rb := range b.Referrals {
			if rb.ID != ra.ID {
				continue
			}
			found = true
			// priorityRank: 0 is urgent, the highest
			if priorityRank(rb.Priority) > priorityRank(ra.Priority) {
				out = append(out, FailSafeLoss{Kind: LossPriority, ID: ra.ID, From: ra.Priority, To: rb.Priority})
			}
			break
		}
		if !found {
			out = append(out, FailSafeLoss{Kind: LossReferral, ID: ra.ID, From: ra.Priority})
		}
	}
	for _, ca := range a.Cautions {
		found := false
		for _, cb := range b.Cautions {
			if cb.ID == ca.ID {
				found = true
				break
			}
		}
		if !found {
			out = append(out, FailSafeLoss{Kind: LossCaution, ID: ca.ID})
		}
	}
	return out
}

// lossesOf swaps cx.Question in ans and returns what is lost, or nil when
// the swap no longer applies (the question is not asked or not answered
// the same) or nothing is lost.
func (c *fsChecker) lossesOf(ans Answers, q *Question, v any, to string) ([]FailSafeLoss, error) {
	vis, err := c.f.Visible(ans)
	if err != nil {
		return nil, err
	}
	asked := false
	for _, x := range vis {
		asked = asked || x == q
	}
	if !asked {
		return nil, nil
	}
	base, err := c.f.Score(ans)
	if err != nil {
		return nil, err
	}
	ans[q.ID] = to
	s, err := c.f.Score(ans)
	ans[q.ID] = v
	if err != nil {
		return nil, err
	}
	return c.compare(base, s), nil
}

// shrink makes a counterexample smaller while it still fails: it drops
// answers (leaving the questions unanswered) and choices of multi answers,
// one at a time, keeping every change after which the same swap still
// loses protection and the answers still follow the flow. What remains
// points at the rule to fix rather than at the noise of a random interview.
func (c *fsChecker) shrink(cx *Counterexample) (*Counterexample, error) {
	f := c.f
	q := f.Question(cx.Question)
	ans := cx.Answers.Clone()
	if _, err := f.Prune(ans); err != nil {
		return nil, err
	}
	try := func(cand Answers) (bool, error) {
		if _, err := f.Prune(cand); err != nil {
			return false, err
		}
		if !c.follows(cand) {
			return false, nil
		}
		l, err := c.lossesOf(cand, q, cx.Answer, cx.Swapped)
		return len(l) > 0, err
	}
	for changed := true; changed; {
		changed = false
		// Later questions first: dropping them rarely changes what is asked.
		for k := len(f.Questions) - 1; k >= 0; k-- {
			p := f.Questions[k]
			v, ok := ans[p.ID]
			if !ok || p == q || p.Required {
				continue
			}
			cand := ans.Clone()
			delete(cand, p.ID)
			ok, err := try(cand)
			if err != nil {
				return nil, err
			}
			if ok {
				ans, changed = cand, true
				continue
			}
			if l, isList := v.([]string); isList && len(l) > 1 {
				for j := len(l) - 1; j >= 0; j-- {
					cur := ans[p.ID].([]string)
					if j >= len(cur) || len(cur) < 2 {
						continue
					}
					cand := ans.Clone()
					cand[p.ID] = append(append([]string(nil), cur[:j]...), cur[j+1:]...)
					ok, err := try(cand)
					if err != nil {
						return nil, err
					}
					if ok {
						ans, changed = cand, true
					}
				}
			}
		}
	}
	losses, err := c.lossesOf(ans, q, cx.Answer, cx.Swapped)
	if err != nil {
		return nil, err
	}
	if len(losses) == 0 { // cannot happen: the first candidate is cx itself
		return nil, errors.New("fail-safe counterexample could not be reproduced")
	}
	swapped := ans.Clone()
	swapped[q.ID] = cx.Swapped
	if _, err := f.Prune(swapped); err != nil {
		return nil, err
	}
	out := *cx
	out.Answers, out.SwappedAnswers, out.Losses = ans, swapped, losses
	return &out, nil
}

// follows reports whether ans could come from an interview: every asked
// required question answered, every answer accepted by its question
// (constraints included).
func (c *fsChecker) follows(ans Answers) bool {
	vis, err := c.f.Visible(ans)
	if err != nil {
		return false
	}
	for _, q := range vis {
		v, ok := ans[q.ID]
		if !q.Asks() {
			continue
		}
		if !ok || v == nil {
			if q.Required {
				return false
			}
			continue
		}
		if _, err := c.f.Check(q, v, ans, ""); err != nil {
			return false
		}
	}
	return true
}
