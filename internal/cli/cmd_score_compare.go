package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"fieldscreen/internal/record"
	"fieldscreen/questionnaire"
)

// compareOpts are score's flags for --compare.
type compareOpts struct {
	compare bool
	oldFlow string
	limit   int
}

func (a *app) compareFlags(c *cobra.Command, o *scoreOpts) {
	c.Flags().BoolVar(&o.cmp.compare, "compare", false, "score each interview with the flow it was taken with and with --flow NEW, and report what NEW changes (nothing stored changes)")
	c.Flags().StringVar(&o.cmp.oldFlow, "old-flow", "", "with --compare and --answers: the flow the answers files were taken with (default: the built-in flow)")
	c.Flags().IntVar(&o.cmp.limit, "changed", 50, "with --compare: list at most this many changed interviews in text (json lists all)")
	c.Example += `
  fieldscreen score --flow my-flow-v2.yaml --compare --all      # whom would v2 affect?
  fieldscreen score --flow v2.yaml --compare --old-flow v1.yaml --answers a.yaml --answers b.yaml`
}

// runScoreCompare scores every interview twice, with the flow it was taken
// with and with --flow, and reports the differences. It reads the store and
// bundles, and writes nothing but its report.
func (a *app) runScoreCompare(c *cobra.Command, o *scoreOpts, ids []string) error {
	if o.flowPath == "" {
		return usageErr(c, "--compare needs --flow NEW: the flow to compare with the one each interview was taken with")
	}
	if o.format == "" {
		o.format = "text"
	}
	if err := oneOf(c, "format", o.format, "text", "json"); err != nil {
		return err
	}
	if len(o.answers) == 0 && len(ids) == 0 && !o.all && o.status == "" && len(o.from) == 0 {
		return usageErr(c, "nothing to compare: give --all, --status, interview IDs, --from BUNDLE or --answers FILE")
	}
	if o.cmp.oldFlow != "" && len(o.answers) == 0 {
		return usageErr(c, "--old-flow is for --answers files; stored interviews and bundles keep the flow they were taken with")
	}
	newFlow, err := loadFlow(o.flowPath)
	if err != nil {
		return err
	}
	cmp := questionnaire.NewComparison(newFlow, questionnaire.BuiltinVersions()...)
	// Each job scores an interview with its own flow (the scorer's run) and
	// then with the new one; pairs carries the new summary to emit, which
	// the scorer calls in submission order on one goroutine.
	var mu sync.Mutex
	pairs := map[*questionnaire.Summary]*questionnaire.Summary{}
	var ignored atomic.Int64 // interviews with answers the new flow does not ask
	emit := func(s scored) error {
		mu.Lock()
		n := pairs[s.sum]
		delete(pairs, s.sum)
		mu.Unlock()
		cmp.Add(s.sum, n)
		return nil
	}
	wrap := func(run func() (scored, error)) func() (scored, error) {
		return func() (scored, error) {
			s, err := run()
			if err != nil {
				return s, err
			}
			for id := range s.ans {
				if newFlow.Question(id) == nil {
					ignored.Add(1)
					break
				}
			}
			n, err := newFlow.Score(s.ans)
			if err != nil {
				return s, fmt.Errorf("%s: with %s: %w", firstNonEmpty(s.sum.InterviewID, s.sum.Source), o.flowPath, err)
			}
			n.InterviewID, n.Source = s.sum.InterviewID, s.sum.Source
			mu.Lock()
			pairs[s.sum] = n
			mu.Unlock()
			return s, nil
		}
	}
	if len(o.answers) > 0 {
		old, err := loadFlow(o.cmp.oldFlow)
		if err != nil {
			return err
		}
		sc := newScorer(c.Context(), emit)
		var readErr error
		for _, path := range o.answers {
			af, err := a.readAnswersFile(old, path)
			if err != nil {
				readErr = err
				break
			}
			if err := sc.submit(wrap(func() (scored, error) {
				sum, err := old.Score(af.Answers)
				if err != nil {
					return scored{}, fmt.Errorf("%s: %w", path, err)
				}
				sum.Source = path
				return scored{flow: old, sum: sum, ans: af.Answers}, nil
			})); err != nil {
				break
			}
		}
		if err := sc.wait(readErr); err != nil {
			return err
		}
	}
	for _, b := range o.from {
		sc := newScorer(c.Context(), emit)
		if err := sc.wait(a.scoreBundle(b, o.identities, o.accept, o.trustFiles, nil, "", true, func(run func() (scored, error)) error { return sc.submit(wrap(run)) })); err != nil {
			return err
		}
	}
	if len(ids) > 0 || o.all || o.status != "" {
		st, err := a.openStore(false)
		if err != nil {
			return err
		}
		flows := newFlowCache(st, nil)
		fixed := map[*questionnaire.Flow]*flowCache{}
		sc := newScorer(c.Context(), emit)
		submit := func(iv *record.Interview) error {
			f, err := flows.get(iv)
			if err != nil {
				return err
			}
			fc := fixed[f]
			if fc == nil {
				fc = newFlowCache(st, f)
				fixed[f] = fc
			}
			return sc.submit(wrap(func() (scored, error) { return fc.score(iv, "") }))
		}
		var readErr error
		if len(ids) > 0 {
			for _, id := range ids {
				full, err := resolveID(st, id)
				if err != nil {
					readErr = err
					break
				}
				iv, err := st.Get(full)
				if err == nil {
					err = submit(iv)
				}
				if err != nil {
					readErr = err
					break
				}
			}
		} else {
			readErr = st.Each(c.Context(), record.Status(o.status), submit)
		}
		if err := sc.wait(readErr); err != nil {
			return err
		}
	}
	res := cmp.Result(newFlow)
	if o.format == "json" {
		return a.printJSON(res)
	}
	printComparison(a.io.Out, res, newFlow, o.flowPath, o.cmp.limit)
	if n := int(ignored.Load()); n > 0 {
		fmt.Fprintf(a.io.Err, "fieldscreen: %s answered questions %s does not have; those answers were ignored with it\n",
			plural(n, "interview", "interviews"), o.flowPath)
	}
	return nil
}

var diffWords = map[string]string{
	"referral_gained": "+ referral", "referral_lost": "- referral", "priority": "~ referral",
	"caution_gained": "+ caution", "caution_lost": "- caution",
}

func printComparison(w io.Writer, r *questionnaire.ComparisonResult, f *questionnaire.Flow, path string, limit int) {
	fmt.Fprintf(w, "%s scored with the flow each was taken with, and with %s (%s %s): %d changed.\n",
		plural(r.Interviews, "interview", "interviews"), path, f.ID, f.Version, r.Changed)
	if r.Interviews == 0 {
		return
	}
	// the transition table: old headline in rows, new in columns
	fmt.Fprintf(w, "\n%s: before (rows) → with %s (columns)\n", r.Headline, path)
	var vals []string
	for _, v := range r.Values {
		for _, t := range r.Transition {
			if (t.Old == v || t.New == v) && !containsStr(vals, v) {
				vals = append(vals, v)
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, v := range vals {
		fmt.Fprintf(tw, "%s\t", v)
	}
	fmt.Fprintln(tw)
	for _, o := range vals {
		fmt.Fprintf(tw, "%s\t", o)
		for _, n := range vals {
			fmt.Fprintf(tw, "%d\t", r.Count(o, n))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	if len(r.Referrals) > 0 {
		fmt.Fprintln(w, "\nReferrals (interviews):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  REFERRAL\tGAINED\tLOST\tHIGHER\tLOWER")
		for _, s := range r.Referrals {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\n", s.ID, s.Gained, s.Lost, s.Higher, s.Lower)
		}
		tw.Flush()
	}
	if len(r.Cautions) > 0 {
		fmt.Fprintln(w, "\nCautions (interviews):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  CAUTION\tGAINED\tLOST")
		for _, s := range r.Cautions {
			fmt.Fprintf(tw, "  %s\t%d\t%d\n", s.ID, s.Gained, s.Lost)
		}
		tw.Flush()
	}
	if r.Changed == 0 {
		return
	}
	fmt.Fprintln(w, "\nInterviews that changed:")
	for i, ch := range r.Changes {
		if limit >= 0 && i == limit {
			fmt.Fprintf(w, "  … and %d more (--changed N lists more; --format json lists all)\n", len(r.Changes)-limit)
			break
		}
		who := ch.Source
		if ch.InterviewID != "" {
			who = shortID(ch.InterviewID)
		}
		head := ch.Old
		if ch.Old != ch.New {
			head = ch.Old + " → " + ch.New
		}
		fmt.Fprintf(w, "  %s (flow %s): %s\n", who, ch.OldFlow.Version, head)
		for _, d := range ch.Differences {
			if d.Kind == "headline" {
				continue
			}
			line := "    " + diffWords[d.Kind] + " " + d.ID
			switch d.Kind {
			case "referral_gained":
				line += " (" + d.New + ")"
			case "referral_lost":
				line += " (was " + d.Old + ")"
			case "priority":
				line += ": " + d.Old + " → " + d.New
			}
			if len(d.Reasons) > 0 {
				line += " because of " + strings.Join(d.Reasons, ", ")
			}
			fmt.Fprintln(w, line)
		}
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
