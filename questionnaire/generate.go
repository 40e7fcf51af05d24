// Answer sets that follow a flow, for the fail-safe check and synthetic
// interviews.

package questionnaire

import (
	"math/rand/v2"
	"regexp"
	"sort"
	"strconv"
)

// AnswerGenerator makes random answer sets that follow a flow: only the
// questions the flow asks given the answers so far, in its order, each
// with a value it accepts (constraints included), some declined, dont_know
// or left unanswered where the question allows it, and answers that end
// the interview rarely (most people consent). Integers lean to their
// bounds and to each side of every number the flow compares them with
// (17 and 18 for an age read as `age < 18`). It only reads the flow: one
// generator may serve many goroutines, each with its own random source.
type AnswerGenerator struct {
	f *Flow
	// ints are the values worth trying for each integer question.
	ints map[string][]int
}

// Chances of an answer to a question that is not required.
const (
	genDeclined   = 0.10
	genDontKnow   = 0.10
	genUnanswered = 0.07
	genExclusive  = 0.25 // a multi answered with an exclusive choice alone
	genEarlyEnd   = 0.03 // an answer that ends the interview is kept
)

// NewAnswerGenerator prepares a generator for f.
func NewAnswerGenerator(f *Flow) *AnswerGenerator {
	g := &AnswerGenerator{f: f, ints: map[string][]int{}}
	var srcs []string
	add := func(e *Expr) {
		if e != nil {
			srcs = append(srcs, e.Src)
		}
	}
	// Every expression of the flow; their order does not matter here.
	for _, s := range f.Sections {
		add(s.Relevant)
	}
	for _, q := range f.Questions {
		add(q.Relevant)
		add(q.EndsIf)
	}
	for _, d := range f.Derived {
		add(d.Expr)
	}
	for _, fd := range f.Findings {
		add(fd.Expr)
	}
	f.ruleConditions(add)
	for _, q := range f.Questions {
		if !q.rule().number {
			continue
		}
		lo, hi := intRange(q)
		set := map[int]bool{lo: true, hi: true}
		name := regexp.QuoteMeta(q.ID)
		pats := []*regexp.Regexp{
			regexp.MustCompile(`\b` + name + `\s*(?:<=|>=|<|>|==|!=)\s*(-?\d+)`),
			regexp.MustCompile(`(-?\d+)\s*(?:<=|>=|<|>|==|!=)\s*` + name + `\b`),
		}
		own := srcs
		for _, ct := range q.Constraints {
			if ct.Check != nil {
				own = append(own[:len(own):len(own)], ct.Check.Src)
				pats = append(pats, regexp.MustCompile(`\bvalue\s*(?:<=|>=|<|>|==|!=)\s*(-?\d+)`))
			}
		}
		for _, src := range own {
			for _, re := range pats {
				for _, m := range re.FindAllStringSubmatch(src, -1) {
					n, err := strconv.Atoi(m[1])
					if err != nil {
						continue
					}
					for _, x := range []int{n - 1, n, n + 1} {
						if x >= lo && x <= hi {
							set[x] = true
						}
					}
				}
			}
		}
		vals := make([]int, 0, len(set))
		for x := range set {
			vals = append(vals, x)
		}
		sort.Ints(vals)
		g.ints[q.ID] = vals
	}
	return g
}

// intRange is q's range, with a span of 100 where the flow gives no bound.
func intRange(q *Question) (lo, hi int) {
	switch {
	case q.Min != nil && q.Max != nil:
		return *q.Min, *q.Max
	case q.Min != nil:
		return *q.Min, *q.Min + 100
	case q.Max != nil:
		return *q.Max - 100, *q.Max
	}
	return 0, 100
}

var genTexts = []string{"Country A", "x", "Langue B", "somewhere"}

// Answers makes one answer set, deterministic from rng.
func (g *AnswerGenerator) Answers(rng *rand.Rand) (Answers, error) {
	f := g.f
	ans := make(Answers, len(f.Questions))
	w := f.newWalker(ans)
	defer w.release()
	for _, q := range f.Questions {
		ok, err := w.asked(q)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if !q.Asks() {
			if err := w.take(q); err != nil {
				return nil, err
			}
			continue
		}
		for try := 0; ; try++ {
			ans[q.ID] = g.answer(rng, q, ans)
			if err := w.take(q); err != nil {
				return nil, err
			}
			// Most people go on: an answer that ends the interview is
			// mostly given another go, when the question has another.
			if !w.ended || try >= 8 || rng.Float64() < genEarlyEnd {
				break
			}
			w.ended = false
		}
		if w.ended {
			break
		}
	}
	return ans, nil
}

// answer picks q's answer given the earlier ones.
func (g *AnswerGenerator) answer(rng *rand.Rand, q *Question, earlier Answers) any {
	for try := 0; try < 8; try++ {
		v := g.value(rng, q)
		if v == nil || len(q.Constraints) == 0 {
			return v
		}
		if s, ok := v.(string); ok && (s == Declined || s == DontKnow) {
			return v
		}
		if out, err := g.f.Check(q, v, earlier, ""); err == nil {
			return out
		}
	}
	if q.Required {
		return g.value(rng, q) // nothing found that its constraints accept
	}
	return nil
}

// value picks a value of q's type, or a gap where q allows one.
func (g *AnswerGenerator) value(rng *rand.Rand, q *Question) any {
	if !q.Required {
		switch r := rng.Float64(); {
		case r < genDeclined:
			return Declined
		case r < genDeclined+genDontKnow:
			return DontKnow
		case r < genDeclined+genDontKnow+genUnanswered:
			return nil
		}
	}
	if gen := q.rule().generate; gen != nil {
		return gen(g, rng, q)
	}
	return nil
}
