package questionnaire

import (
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// currentBuiltin is the built-in flow as shipped (Builtin), not the
// 1.0.0 that builtin(t) pins for the spec 1.0 tests.
func currentBuiltin(t testing.TB) *Flow {
	t.Helper()
	f, err := Builtin()
	if err != nil {
		t.Fatalf("the built-in flow does not load:\n%v", err)
	}
	return f
}

func loadFailSafeFlow(t testing.TB, name string) *Flow {
	t.Helper()
	p := "testdata/failsafe/" + name
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Load(p, src)
	if err != nil {
		t.Fatalf("%s does not load:\n%v", p, err)
	}
	return f
}

// specOrder is the spec's ranking of the built-in flow's outcome, for
// flows written before `fail_safe` existed (1.0.0).
var specOrder = &FailSafe{Finding: "outcome", Order: []string{
	"no_protection_indicators", "further_assessment", "refer_for_protection", "urgent_referral"}}

// describeCounterexample says what failed, with both answers files, for
// a test's message.
func describeCounterexample(f *Flow, rep *FailSafeReport) string {
	cx := rep.Counterexample
	var b strings.Builder
	fmt.Fprintf(&b, "flow %s %s is not fail-safe (answer set %d of seed %d; %d sets, %d swaps checked):\n",
		f.ID, f.Version, cx.Sample, rep.Seed, rep.Samples, rep.Swaps)
	fmt.Fprintf(&b, "  %s answered %v → %s loses:\n", cx.Question, cx.Answer, cx.Swapped)
	for _, l := range cx.Losses {
		fmt.Fprintf(&b, "    %s\n", l)
	}
	fmt.Fprintf(&b, "--- answers ---\n%s--- swapped ---\n%s", f.AnswersYAML(cx.Answers, ""), f.AnswersYAML(cx.SwappedAnswers, ""))
	return b.String()
}

func hasLoss(cx *Counterexample, want FailSafeLoss) bool {
	return slices.Contains(cx.Losses, want)
}

// reproduce scores both answers files of a counterexample the way
// `fieldscreen score --answers` would, and checks that the swap loses
// what the counterexample says.
func reproduce(t *testing.T, f *Flow, rep *FailSafeReport) {
	cx := rep.Counterexample
	t.Helper()
	var sums [2]*Summary
	for i, ans := range []Answers{cx.Answers, cx.SwappedAnswers} {
		src := f.AnswersYAML(ans, "en", "fail-safe counterexample")
		af, err := f.ParseAnswers("cx.yaml", src)
		if err != nil {
			t.Fatalf("the counterexample's answers file is refused:\n%v\n%s", err, src)
		}
		if len(af.Dropped) > 0 {
			t.Errorf("the counterexample's answers file holds answers the flow would not ask: %v\n%s", af.Dropped, src)
		}
		if !reflect.DeepEqual(af.Answers, ans) {
			t.Errorf("the answers file does not read back as written:\nwrote %#v\nread  %#v", ans, af.Answers)
		}
		if sums[i], err = f.Score(af.Answers); err != nil {
			t.Fatal(err)
		}
	}
	var order *FailSafe
	if rep.OrderFinding != "" {
		order = &FailSafe{Finding: rep.OrderFinding, Order: rep.Order}
	}
	c, err := newFSChecker(f, order)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.compare(sums[0], sums[1]); !reflect.DeepEqual(got, cx.Losses) {
		t.Errorf("scoring the answers files loses %v, the counterexample says %v", got, cx.Losses)
	}
}

func TestFailSafeBrokenReferral(t *testing.T) {
	f := loadFailSafeFlow(t, "broken.yaml")
	rep, err := f.CheckFailSafe(FailSafeOptions{Samples: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Holds() {
		t.Fatalf("broken.yaml passed the fail-safe check (%d sets, %d swaps)", rep.Samples, rep.Swaps)
	}
	cx := rep.Counterexample
	if cx.Question != "knows_help" || cx.Answer != "no" {
		t.Fatalf("counterexample names %s = %v, want knows_help = no\n%s", cx.Question, cx.Answer, describeCounterexample(f, rep))
	}
	if !hasLoss(cx, FailSafeLoss{Kind: LossReferral, ID: "help_desk", From: "standard"}) &&
		!hasLoss(cx, FailSafeLoss{Kind: LossReferral, ID: "help_desk", From: "high"}) {
		t.Errorf("the counterexample does not lose help_desk:\n%s", describeCounterexample(f, rep))
	}
	// Shrunk: only consent and the question itself (and, for a high
	// priority, the age) are left.
	for id := range cx.Answers {
		if id != "consent" && id != "knows_help" && id != "age" {
			t.Errorf("the counterexample was not made as small as it can be: it still answers %s\n%s", id, describeCounterexample(f, rep))
		}
	}
	// With nothing else referred, the headline drops too.
	if len(cx.Answers) == 2 && !hasLoss(cx, FailSafeLoss{Kind: LossOutcome, ID: "outcome", From: "refer", To: "no_referral"}) {
		t.Errorf("the headline's fall is not reported:\n%s", describeCounterexample(f, rep))
	}
	if rep.Samples != cx.Sample+1 || rep.Swaps == 0 || rep.Failures == 0 {
		t.Errorf("report counts: %d sets, %d swaps, %d failures, counterexample in set %d", rep.Samples, rep.Swaps, rep.Failures, cx.Sample)
	}
	reproduce(t, f, rep)
}

func TestFailSafeFixedHolds(t *testing.T) {
	f := loadFailSafeFlow(t, "fixed.yaml")
	rep, err := f.CheckFailSafe(FailSafeOptions{Samples: DefaultFailSafeSamples, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Holds() {
		t.Fatal(describeCounterexample(f, rep))
	}
	if rep.Samples != DefaultFailSafeSamples || rep.Swaps < rep.Samples/2 || rep.Failures != 0 {
		t.Errorf("report counts: %d sets, %d swaps, %d failures", rep.Samples, rep.Swaps, rep.Failures)
	}
}

func TestFailSafePriorityLowered(t *testing.T) {
	f := loadFailSafeFlow(t, "priority.yaml")
	rep, err := f.CheckFailSafe(FailSafeOptions{Samples: 2000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Holds() {
		t.Fatal("priority.yaml passed the fail-safe check")
	}
	cx := rep.Counterexample
	want := FailSafeLoss{Kind: LossPriority, ID: "shelter", From: "urgent", To: "high"}
	if cx.Question != "safe_tonight" || !reflect.DeepEqual(cx.Losses, []FailSafeLoss{want}) {
		t.Errorf("want safe_tonight losing %v:\n%s", want, describeCounterexample(f, rep))
	}
	reproduce(t, f, rep)
}

func TestFailSafeCautionDropped(t *testing.T) {
	f := loadFailSafeFlow(t, "caution.yaml")
	rep, err := f.CheckFailSafe(FailSafeOptions{Samples: 2000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Holds() {
		t.Fatal("caution.yaml passed the fail-safe check")
	}
	cx := rep.Counterexample
	want := []FailSafeLoss{{Kind: LossCaution, ID: "isolated"}}
	if cx.Question != "support" || !reflect.DeepEqual(cx.Answer, []string{"nobody"}) || !reflect.DeepEqual(cx.Losses, want) {
		t.Errorf("want support = [nobody] losing the caution:\n%s", describeCounterexample(f, rep))
	}
	if cx.Swapped != Declined {
		t.Errorf("declined is tried before dont_know; the counterexample swaps to %s", cx.Swapped)
	}
	if _, ok := cx.Answers["town"]; ok {
		t.Errorf("the counterexample keeps an answer that plays no part:\n%s", describeCounterexample(f, rep))
	}
	reproduce(t, f, rep)
}

// The report is the same whatever the number of workers: the first failing
// set is found by index, not by which goroutine gets there first.
func TestFailSafeDeterministic(t *testing.T) {
	f := loadFailSafeFlow(t, "broken.yaml")
	for _, all := range []bool{false, true} {
		var reps []*FailSafeReport
		for _, workers := range []int{1, 3, 8} {
			rep, err := f.CheckFailSafe(FailSafeOptions{Samples: 500, Seed: 42, Workers: workers, All: all})
			if err != nil {
				t.Fatal(err)
			}
			reps = append(reps, rep)
		}
		for _, r := range reps[1:] {
			if !reflect.DeepEqual(r, reps[0]) {
				t.Errorf("All=%v: reports differ with the number of workers:\n%+v\n%+v", all, reps[0], r)
			}
		}
		if all {
			if reps[0].Samples != 500 || len(reps[0].Tally) == 0 || reps[0].Tally[0].Question != "knows_help" {
				t.Errorf("All: want every set checked and knows_help tallied, got %d sets, tally %+v", reps[0].Samples, reps[0].Tally)
			}
		}
	}
}

// SwapsPerSet checks a few swaps of each set, and still finds a rule that
// fails often enough.
func TestFailSafeSwapsPerSet(t *testing.T) {
	f := loadFailSafeFlow(t, "broken.yaml")
	full, err := f.CheckFailSafe(FailSafeOptions{Samples: 400, Seed: 5, All: true})
	if err != nil {
		t.Fatal(err)
	}
	few, err := f.CheckFailSafe(FailSafeOptions{Samples: 400, Seed: 5, All: true, SwapsPerSet: 1})
	if err != nil {
		t.Fatal(err)
	}
	if few.Samples != 400 || few.Swaps >= full.Swaps || few.Swaps > 400 || few.Swaps < 100 {
		t.Errorf("SwapsPerSet 1: %d swaps in %d sets (all swaps: %d)", few.Swaps, few.Samples, full.Swaps)
	}
	if few.Holds() || few.Counterexample.Question != "knows_help" {
		t.Errorf("SwapsPerSet 1 does not find the broken referral")
	}
}

// The generator's answer sets are ones an interview could give: an
// answers file of each reads back whole, with nothing dropped, and over
// many sets every kind of answer turns up.
func TestFailSafeGeneratorFollowsFlow(t *testing.T) {
	sets := 300
	if raceDetector {
		sets = 150
	}
	for _, f := range []*Flow{currentBuiltin(t), BuiltinVersion("1.0.0"), loadFailSafeFlow(t, "broken.yaml")} {
		g := NewAnswerGenerator(f)
		asked := map[string]int{}
		kinds := map[string]bool{}
		ended := 0
		for i := range sets {
			ans, err := g.Answers(rand.New(rand.NewPCG(9, uint64(i))))
			if err != nil {
				t.Fatal(err)
			}
			again, _ := g.Answers(rand.New(rand.NewPCG(9, uint64(i))))
			if !reflect.DeepEqual(ans, again) {
				t.Fatalf("%s: set %d differs between two runs of the same seed", f.ID, i)
			}
			src := f.AnswersYAML(ans, "")
			af, err := f.ParseAnswers("gen.yaml", src)
			if err != nil {
				t.Fatalf("%s: set %d is refused:\n%v\n%s", f.ID, i, err, src)
			}
			if len(af.Dropped) > 0 || !reflect.DeepEqual(af.Answers, ans) {
				t.Fatalf("%s: set %d does not follow the flow (dropped %v):\n%s", f.ID, i, af.Dropped, src)
			}
			for id, v := range ans {
				asked[id]++
				switch x := v.(type) {
				case nil:
					kinds["unanswered"] = true
				case string:
					if x == Declined || x == DontKnow || x == "no" {
						kinds[x] = true
					}
				case []string:
					if len(x) == 1 && f.Question(id).Choice(x[0]).Exclusive {
						kinds["exclusive"] = true
					} else if len(x) > 1 {
						kinds["several"] = true
					}
				case int:
					kinds["integer"] = true
				}
			}
			if f.ConsentQuestion != "" && ans[f.ConsentQuestion] == "no" {
				ended++
			}
		}
		for _, k := range []string{"unanswered", Declined, DontKnow, "no", "exclusive", "several", "integer"} {
			if !kinds[k] {
				t.Errorf("%s: no answer set has a %s answer", f.ID, k)
			}
		}
		if ended > sets/10 {
			t.Errorf("%s: %d of %d sets refuse consent; most should go on", f.ID, ended, sets)
		}
		var never []string
		for _, q := range f.Questions {
			if q.Asks() && asked[q.ID] == 0 {
				never = append(never, q.ID)
			}
		}
		if len(never) > 0 {
			t.Errorf("%s: questions never asked in %d sets: %v", f.ID, sets, never)
		}
	}
}

// The ages tried lean to the numbers the flow compares them with.
func TestFailSafeGeneratorIntegerBounds(t *testing.T) {
	g := NewAnswerGenerator(loadFailSafeFlow(t, "broken.yaml"))
	if got := g.ints["age"]; !slices.Contains(got, 17) || !slices.Contains(got, 18) || !slices.Contains(got, 0) || !slices.Contains(got, 120) {
		t.Errorf("ages tried: %v; want 0, 17, 18, 120 among them", got)
	}
}

// The spec's first rule, on the built-in flow: declining is never less
// protective than "no", over 10,000 random answer sets. Each swap costs a
// Score of the whole flow; under the race detector, which makes that ten
// times slower, or with -short, each set checks one of its swaps, at
// random, rather than all of them (about twenty), to keep the test within
// half a minute on two cores. The full check is this test without -race,
// and `fieldscreen flow check --fail-safe`.
func TestFailSafeBuiltin(t *testing.T) {
	f := currentBuiltin(t)
	opt := FailSafeOptions{Samples: DefaultFailSafeSamples, Seed: 1}
	if raceDetector || testing.Short() {
		opt.SwapsPerSet = 1
	}
	if f.FailSafe == nil {
		t.Errorf("flow %s %s declares no fail_safe order: the spec ranks its outcomes (%s)", f.ID, f.Version, strings.Join(specOrder.Order, " < "))
		for _, fd := range f.Findings {
			if fd.ID == specOrder.Finding {
				opt.Order = specOrder
			}
		}
	}
	rep, err := f.CheckFailSafe(opt)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Holds() {
		t.Error(describeCounterexample(f, rep))
		// Every way it fails, for whoever fixes the rules.
		opt.All = true
		if all, err := f.CheckFailSafe(opt); err == nil {
			t.Errorf("every failing swap in %d sets (%d):", all.Samples, all.Failures)
			for _, x := range all.Tally {
				t.Errorf("  %6d  %s → %s: %s (first in set %d)", x.Count, x.Question, x.Swapped, x.Loss, x.Sample)
			}
		}
		return
	}
	t.Logf("flow %s %s: %d answer sets, %d swaps checked", f.ID, f.Version, rep.Samples, rep.Swaps)
}

// Flow 1.0.0 was not fail-safe: that is why 2.0.0 exists (review-2.0.md,
// point 2). The check must find it.
func TestFailSafeBuiltin100Fails(t *testing.T) {
	f := BuiltinVersion("1.0.0")
	if f == nil {
		t.Skip("no built-in flow 1.0.0")
	}
	rep, err := f.CheckFailSafe(FailSafeOptions{Samples: DefaultFailSafeSamples, Seed: 1, Order: specOrder})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Holds() {
		t.Fatalf("flow 1.0.0 passed the fail-safe check (%d sets, %d swaps); it is known not to", rep.Samples, rep.Swaps)
	}
	reproduce(t, f, rep)
	if testing.Verbose() {
		t.Log(describeCounterexample(f, rep))
	}
}

func TestFailSafeAnswersYAMLRoundTrip(t *testing.T) {
	f := loadFailSafeFlow(t, "broken.yaml")
	ans := Answers{"consent": "yes", "age": 17, "knows_help": "no", "needs": []string{"bed", "doctor"}, "town": "Saint-Denis: north, \"B\""}
	src := f.AnswersYAML(ans, "fr", "two\nlines")
	if !strings.HasPrefix(string(src), "# two\n# lines\nlanguage: fr\nanswers:\n  consent: \"yes\"\n  age: 17\n  knows_help: \"no\"\n  needs: [bed, doctor]\n") {
		t.Errorf("unexpected answers file:\n%s", src)
	}
	af, err := f.ParseAnswers("rt.yaml", src)
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	if !reflect.DeepEqual(af.Answers, ans) || af.Language != "fr" {
		t.Errorf("read back %#v (language %q)", af.Answers, af.Language)
	}
	empty := f.AnswersYAML(Answers{}, "")
	if _, err := f.ParseAnswers("empty.yaml", empty); err == nil || !strings.Contains(err.Error(), "consent") {
		t.Errorf("an empty answers file: %s → %v", empty, err)
	}
}

// 1,000 answer sets of flow 1.0.0, every one checked (All): flow 1.0.0
// has every kind of rule, and a check that fails goes on to the end.
func BenchmarkFailSafe(b *testing.B) {
	f := BuiltinVersion("1.0.0")
	for b.Loop() {
		if _, err := f.CheckFailSafe(FailSafeOptions{Samples: 1000, Order: specOrder, All: true}); err != nil {
			b.Fatal(err)
		}
	}
}
