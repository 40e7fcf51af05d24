package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

// flowCheckOptions is what 'fieldscreen flow check' was asked.
type flowCheckOptions struct {
	*app
	args                  []string
	failSafe, all         bool
	samples               int
	seed                  uint64
	lang, format, writeCX string
}

// flowCheckCmd is `flow check`: properties of a flow proved over many
// random answer sets. Today one: the spec's first rule, fail safe. runF,
// when not nil, runs instead of runFlowCheck.
func (a *app) flowCheckCmd(runF func(*flowCheckOptions) error) *cobra.Command {
	o := &flowCheckOptions{app: a}
	c := &cobra.Command{
		Use:   "check [FILE]",
		Short: "Prove a flow fail-safe over random answer sets (no file: the built-in flow)",
		Long: `Checks the first rule of a screening flow: declining is never less protective
than "no". Over many random answer sets that follow the flow, every answer
"no" (and every "none of these" alone) is replaced by "declined", then by
"dont_know", and the summary must stay at least as protective: a headline
that ranks no lower (by the flow's fail_safe order), every referral made
with a priority no lower, every caution raised. Required questions are
skipped.

It exits 0 when the rule held on every set, 1 with a counterexample when it
did not: the question, what was lost, and two answers files that show it
with 'fieldscreen score'. The same --seed gives the same sets and the same
counterexample on any computer.`,
		Example: `  fieldscreen flow check --fail-safe                         # the built-in flow
  fieldscreen flow check --fail-safe my-flow.yaml --lang fr
  fieldscreen flow check --fail-safe my-flow.yaml --write-counterexample cx.yaml
  fieldscreen flow check --fail-safe my-flow.yaml --all      # every failing rule, counted`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			if o.samples < 0 {
				return usageErr(c, fmt.Sprintf("--samples must be a positive number, not %d", o.samples))
			}
			o.args = args
			if runF != nil {
				return runF(o)
			}
			return runFlowCheck(o)
		},
	}
	c.Flags().BoolVar(&o.failSafe, "fail-safe", false, "check that declining is never less protective than \"no\" (the default check)")
	c.Flags().IntVar(&o.samples, "samples", questionnaire.DefaultFailSafeSamples, "how many random answer sets to check")
	c.Flags().Uint64Var(&o.seed, "seed", 0, "makes the answer sets; the same seed gives the same sets")
	c.Flags().StringVar(&o.lang, "lang", "", "language of the labels in the counterexample (default: the flow's)")
	formatVar(c, &o.format, "text", "{or}", "text", "json")
	c.Flags().StringVar(&o.writeCX, "write-counterexample", "", "write the counterexample's answers to `FILE` (and the swapped answers beside it)")
	c.Flags().BoolVar(&o.all, "all", false, "check every set even after a counterexample, and count every failing swap")
	return c
}

// runFlowCheck checks the flow fail-safe and says what it found.
func runFlowCheck(o *flowCheckOptions) error {
	_ = o.failSafe // the only check there is; named for the checks to come
	path, name := "", questionnaire.BuiltinName
	if len(o.args) == 1 {
		path, name = o.args[0], o.args[0]
	}
	f, err := loadFlow(path)
	if err != nil {
		return err
	}
	lang, err := flowLang(f, o.lang)
	if err != nil {
		return err
	}
	fileLang := lang
	lang = f.Lang(lang)
	rep, err := f.CheckFailSafe(questionnaire.FailSafeOptions{Samples: o.samples, Seed: o.seed, All: o.all})
	if err != nil {
		return withHint(fmt.Errorf("%s: the fail-safe check cannot run: %w", name, err), ExitError,
			"fix the rule the message names, then run 'fieldscreen flow validate %s'", strings.TrimSpace(path))
	}
	var files [2]string // the counterexample's answers files, when written
	if cx := rep.Counterexample; cx != nil && o.writeCX != "" {
		files = counterexampleFiles(o.writeCX, cx.Swapped)
		for i, ans := range []questionnaire.Answers{cx.Answers, cx.SwappedAnswers} {
			src := f.AnswersYAML(ans, fileLang, counterexampleComment(f, rep, i == 1)...)
			if err := os.WriteFile(files[i], src, 0o600); err != nil {
				return withHint(fmt.Errorf("cannot write %s: %w", files[i], errors.Unwrap(err)), ExitError, "check the folder exists and can be written")
			}
		}
	}
	if o.format == "json" {
		if err := o.printJSON(rep); err != nil {
			return err
		}
	} else {
		o.printFailSafe(f, name, path, rep, lang, fileLang, files)
	}
	if rep.Holds() {
		return nil
	}
	cx := rep.Counterexample
	return withHint(fmt.Errorf("flow %s %s is not fail-safe: declining %s loses protection that %s gives", f.ID, f.Version, cx.Question, answerValue(cx.Answer)),
		ExitError, "%s", fixHint(f.Question(cx.Question), cx.Answer))
}

// fixHint says how a rule usually becomes fail-safe: by reading a gap
// the way it reads "no".
func fixHint(q *questionnaire.Question, v any) string {
	if q != nil && q.Type == questionnaire.TypeMulti {
		return fmt.Sprintf("a rule that acts on %s %s must act on a gap too: add `or unknown(%s)`, then check again", q.ID, answerValue(v), q.ID)
	}
	id := "the question"
	if q != nil {
		id = q.ID
	}
	return fmt.Sprintf("test %s != \"yes\" where a rule tests %s == \"no\" (declined and dont_know must count at least as \"no\"), then check again", id, id)
}

// counterexampleFiles names the two answers files: FILE for the answers as
// given, and FILE-declined.yaml (or -dont_know) for the swapped ones.
func counterexampleFiles(file, swapped string) [2]string {
	ext := filepath.Ext(file)
	if ext == "" {
		ext = ".yaml"
		file += ext
	}
	return [2]string{file, strings.TrimSuffix(file, ext) + "-" + swapped + ext}
}

func counterexampleComment(f *questionnaire.Flow, rep *questionnaire.FailSafeReport, swapped bool) []string {
	cx := rep.Counterexample
	which := fmt.Sprintf("the answers as given (%s: %s)", cx.Question, strings.Trim(answerValue(cx.Answer), `"`))
	if swapped {
		which = fmt.Sprintf("the same answers with %s: %s", cx.Question, cx.Swapped)
	}
	return []string{
		fmt.Sprintf("Fail-safe counterexample for flow %s %s (answer set %d of seed %d):", f.ID, f.Version, cx.Sample, rep.Seed),
		which + ".",
		"Score both files with 'fieldscreen score --answers' and compare.",
	}
}

func answerValue(v any) string {
	if l, ok := v.([]string); ok {
		return "[" + strings.Join(l, ", ") + "]"
	}
	return fmt.Sprintf("%q", fmt.Sprint(v))
}

// answerWords says an answer as the interviewer saw it: "No", "None of these".
func answerWords(f *questionnaire.Flow, lang string, q *questionnaire.Question, v any) string {
	if l, ok := v.([]string); ok {
		parts := make([]string, len(l))
		for i, s := range l {
			parts[i] = answerWords(f, lang, q, s)
		}
		return strings.Join(parts, "; ")
	}
	s := fmt.Sprint(v)
	switch s {
	case questionnaire.Declined, questionnaire.DontKnow:
		return words.T(f, lang, s)
	}
	if q != nil {
		if c := q.Choice(s); c != nil && !c.Label.Empty() {
			return f.T(c.Label, lang)
		}
		if q.Type == questionnaire.TypeYesNo && (s == "yes" || s == "no") {
			return words.T(f, lang, "answer."+s)
		}
	}
	return s
}

// lossWords says what a swap lost, with the flow's labels and the IDs in brackets.
func lossWords(f *questionnaire.Flow, lang string, l questionnaire.FailSafeLoss) string {
	prio := func(p string) string { return words.T(f, lang, "priority."+p) }
	switch l.Kind {
	case questionnaire.LossOutcome:
		var fd *questionnaire.Finding
		for _, x := range f.Findings {
			if x.ID == l.ID {
				fd = x
			}
		}
		label, from, to, at := l.ID, l.From, l.To, ""
		if fd != nil {
			at = lineOf(fd.Pos)
			if !fd.Label.Empty() {
				label = f.T(fd.Label, lang)
			}
			for _, cs := range fd.Cases {
				v := fmt.Sprint(cs.Value)
				if !cs.Label.Empty() && v == l.From {
					from = f.T(cs.Label, lang)
				}
				if !cs.Label.Empty() && v == l.To {
					to = f.T(cs.Label, lang)
				}
			}
		}
		return fmt.Sprintf("%s [%s] falls from %q [%s] to %q [%s]%s", label, l.ID, from, l.From, to, l.To, at)
	case questionnaire.LossReferral, questionnaire.LossPriority:
		label, at := l.ID, ""
		for _, r := range f.Referrals {
			if r.ID == l.ID && !r.Label.Empty() {
				label = f.T(r.Label, lang)
			}
			if r.ID == l.ID {
				at = lineOf(r.Pos)
			}
		}
		if l.Kind == questionnaire.LossReferral {
			return fmt.Sprintf("referral %q [%s] (%s) is no longer made%s", label, l.ID, prio(l.From), at)
		}
		return fmt.Sprintf("referral %q [%s] falls from %s to %s%s", label, l.ID, prio(l.From), prio(l.To), at)
	case questionnaire.LossCaution:
		label, at := l.ID, ""
		for _, c := range f.Cautions {
			if c.ID == l.ID && !c.Label.Empty() {
				label = f.T(c.Label, lang)
			}
			if c.ID == l.ID {
				at = lineOf(c.Pos)
			}
		}
		return fmt.Sprintf("caution %q [%s] is no longer raised%s", label, l.ID, at)
	}
	return l.String()
}

// lineOf is where a rule is in the flow file, for the author to open it
// there: " (line N)", or "" when the place is not known.
func lineOf(p questionnaire.Pos) string {
	if p.Line == 0 {
		return ""
	}
	return fmt.Sprintf(" (line %d)", p.Line)
}

// printFailSafe writes the report in words: a line when the rule held,
// else the counterexample and how to reproduce it.
func (a *app) printFailSafe(f *questionnaire.Flow, name, path string, rep *questionnaire.FailSafeReport, lang, fileLang string, files [2]string) {
	out := a.io.Out
	checked := fmt.Sprintf("%s, %s of \"no\" or \"none\" for declined or dont_know checked (seed %d)",
		plural(rep.Samples, "answer set", "answer sets"), plural(rep.Swaps, "swap", "swaps"), rep.Seed)
	if rep.Holds() {
		fmt.Fprintf(out, "%s: fail-safe: declining never lost protection; %s\n", name, checked)
		if rep.OrderFinding == "" {
			fmt.Fprintf(out, "note: the flow declares no fail_safe order, so headlines were not compared, only referrals and cautions (see docs/authoring.md, \"Proving a flow fail-safe\")\n")
		}
		return
	}
	cx := rep.Counterexample
	q := f.Question(cx.Question)
	label := cx.Question
	if q != nil {
		label = f.T(q.Label, lang)
	}
	fmt.Fprintf(out, "%s: NOT fail-safe: declining an answer loses protection\n", name)
	fmt.Fprintf(out, "found in answer set %d; %s\n\n", cx.Sample, checked)
	fmt.Fprintf(out, "Question: %s [%s]\n", label, cx.Question)
	fmt.Fprintf(out, "Answered: %s → %s\n", answerWords(f, lang, q, cx.Answer), answerWords(f, lang, q, cx.Swapped))
	fmt.Fprintf(out, "Lost:\n")
	for _, l := range cx.Losses {
		fmt.Fprintf(out, "  - %s\n", lossWords(f, lang, l))
	}
	flowArg := ""
	if path != "" {
		flowArg = " --flow " + path
	}
	if files[0] != "" {
		fmt.Fprintf(out, "\nTo reproduce, score the two answers files written:\n")
		fmt.Fprintf(out, "  fieldscreen score%s --answers %s\n  fieldscreen score%s --answers %s\n", flowArg, files[0], flowArg, files[1])
	} else {
		names := counterexampleFiles("counterexample.yaml", cx.Swapped)
		fmt.Fprintf(out, "\nTo reproduce, save the two answers files below and score them\n(or use --write-counterexample FILE):\n")
		fmt.Fprintf(out, "  fieldscreen score%s --answers %s\n  fieldscreen score%s --answers %s\n", flowArg, names[0], flowArg, names[1])
		for i, ans := range []questionnaire.Answers{cx.Answers, cx.SwappedAnswers} {
			fmt.Fprintf(out, "\n--- %s ---\n", names[i])
			out.Write(f.AnswersYAML(ans, fileLang, counterexampleComment(f, rep, i == 1)...))
		}
	}
	if len(rep.Tally) > 0 {
		fmt.Fprintf(out, "\nEvery failing swap (%d in %s), by what it lost, most frequent first:\n", rep.Failures, plural(rep.Samples, "answer set", "answer sets"))
		for _, t := range rep.Tally {
			fmt.Fprintf(out, "  %6d  %s → %s: %s (first in set %d)\n", t.Count, t.Question, t.Swapped, t.Loss, t.Sample)
		}
	}
}
