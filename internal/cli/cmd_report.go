package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/parallel"
	"fieldscreen/internal/record"
	"fieldscreen/internal/render"
	"fieldscreen/internal/report"
	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

// reportOptions is what 'fieldscreen report' was asked: its flags.
type reportOptions struct {
	*app
	cmd           *cobra.Command
	all           bool
	status        string
	includeDrafts bool
	since, until  string
	from          []string
	identities    []string
	accept        []string
	trustFiles    []string // --trust: signers of --from bundles
	answers       []string
	by            []string
	k             int
	internal      bool
	format        string
	output        string
	lang          string
}

// reportCmd is 'fieldscreen report'. runF, when not nil, runs instead of
// runReport.
func (a *app) reportCmd(runF func(*reportOptions) error) *cobra.Command {
	o := &reportOptions{app: a}
	c := &cobra.Command{
		Use:   "report",
		Short: "Count interviews for supervisors, with small counts hidden so the figures can be shared",
		Long: `Counts screened interviews by outcome, situation, trafficking indicators,
refugee-protection level, Convention ground, referral and priority,
safeguard, declined and unknown questions, age band, gender and present
country: overall, and by one or two of location, interviewer, month, week
and language (--by).

Disclosure control is on: a count under k (11, the threshold the
Counter-Trafficking Data Collaborative publishes with) is shown as "<11",
and other counts are hidden with it until none can be worked out from the
totals. Ages appear only in bands. --k below 11 needs --internal, and the
report then says on every page that it must not leave the organisation.

By default the completed (and exported) interviews in the store are
counted; --status picks one status, --include-drafts adds drafts, --since
and --until take dates (YYYY-MM-DD, both days included). --from counts
handover bundles, --answers answers files, instead.

Formats: text (tables), csv and json (a row per count, IDs kept), html
(one self-contained page with charts, for -o FILE).`,
		Example: `  fieldscreen report
  fieldscreen report --since 2026-03-01 --until 2026-03-31 --by location --format html -o march.html
  fieldscreen report --by location --by month --format csv > counts.csv
  fieldscreen report --from week.age --identity key.txt --format json
  fieldscreen report --k 1 --internal --by interviewer`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := a.checkReportOptions(c, o); err != nil {
				return err
			}
			o.cmd = c
			if runF != nil {
				return runF(o)
			}
			return runReport(o)
		},
	}
	f := c.Flags()
	f.BoolVar(&o.all, "all", false, "count every completed or exported interview in the store (the default without --from or --answers)")
	f.StringVar(&o.status, "status", "", "count stored interviews with this status only (draft, completed, exported)")
	f.BoolVar(&o.includeDrafts, "include-drafts", false, "count drafts (unfinished interviews) too")
	f.StringVar(&o.since, "since", "", "count interviews completed on or after this day (YYYY-MM-DD)")
	f.StringVar(&o.until, "until", "", "count interviews completed on or before this day (YYYY-MM-DD)")
	f.StringArrayVar(&o.from, "from", nil, "count a handover bundle's interviews (repeatable)")
	f.StringArrayVarP(&o.identities, "identity", "i", nil, "age identity file to decrypt --from bundles (repeatable; default: $"+identityEnv+")")
	f.StringArrayVar(&o.accept, "accept-flow", nil, "run a bundle's flow that is neither built in nor in the store, named by its hash")
	addTrustFlag(c, &o.trustFiles, "--from bundles")
	f.StringArrayVar(&o.answers, "answers", nil, "count an answers file (repeatable)")
	f.StringSliceVar(&o.by, "by", nil, "break down by location, interviewer, month, week or language (one or two; repeat or separate with commas)")
	f.IntVar(&o.k, "k", report.DefaultK, "hide counts under k, and others that would give them away")
	f.BoolVar(&o.internal, "internal", false, "allow --k under 11; the report says on every page that it must not leave the organisation")
	f.StringVar(&o.format, "format", "text", "text, csv, json or html")
	f.StringVarP(&o.output, "output", "o", "", "write to this file (html needs it on a terminal)")
	f.StringVar(&o.lang, "lang", "", "language of text and html (default: the language setting, else the flow's)")
	for flag, values := range map[string][]string{"by": report.Breakdowns, "format": {"text", "csv", "json", "html"}, "status": {"draft", "completed", "exported"}} {
		c.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
	}
	return c
}

// runReport counts the interviews and writes the report.
func runReport(o *reportOptions) error {
	return o.makeReport(o.cmd.Context(), o)
}

func (a *app) checkReportOptions(c *cobra.Command, o *reportOptions) error {
	if err := oneOf(c, "format", o.format, "text", "csv", "json", "html"); err != nil {
		return err
	}
	if err := report.CheckOptions(report.Options{By: o.by, K: o.k}); err != nil {
		return usageErr(c, err.Error())
	}
	if o.k < report.DefaultK && !o.internal {
		return withHint(fmt.Errorf("--k %d would show counts of fewer than %d interviews, which can point at a person", o.k, report.DefaultK), ExitUsage,
			"add --internal for a report that stays inside the organisation (it says so on every page), or keep k at %d or more", report.DefaultK)
	}
	if o.status != "" {
		if err := oneOf(c, "status", o.status, "draft", "completed", "exported"); err != nil {
			return err
		}
	}
	if (len(o.from) > 0 || len(o.answers) > 0) && (o.all || o.status != "") {
		return usageErr(c, "count the store (--all, --status) or files (--from, --answers), not both in one report")
	}
	if o.format == "html" && o.output == "" && a.io.OutTerminal() {
		return withHint(errors.New("an HTML report is a file"), ExitUsage, "name it with -o report.html")
	}
	return nil
}

// reportDay reads a --since or --until day, in the computer's time zone;
// until is the end of its day.
func reportDay(flag, s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return time.Time{}, withHint(fmt.Errorf("--%s %q is not a day", flag, s), ExitUsage, "write it as YYYY-MM-DD, such as 2026-03-31")
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// reportItem is one interview to score and count.
type reportItem struct {
	flow *questionnaire.Flow
	ans  questionnaire.Answers
	src  report.Source
}

func (a *app) makeReport(ctx context.Context, o *reportOptions) error {
	since, err := reportDay("since", o.since, false)
	if err != nil {
		return err
	}
	until, err := reportDay("until", o.until, true)
	if err != nil {
		return err
	}
	inPeriod := func(t time.Time) bool {
		return (since.IsZero() || !t.Before(since)) && (until.IsZero() || t.Before(until))
	}
	agg := report.NewAggregator(report.Options{By: o.by, K: o.k, Loc: time.Local, Order: nil})
	flows := map[string]*questionnaire.Flow{} // by hash: the flows counted
	prog := a.newProgress("counting")
	out := parallel.NewOrdered(ctx, func(r report.Record) error {
		agg.Add(&r)
		prog.step()
		return nil
	})
	submit := func(it reportItem) error {
		if !it.src.When.IsZero() && !inPeriod(it.src.When) {
			return nil
		}
		flows[it.flow.Hash] = it.flow
		return out.Go(func(context.Context) (report.Record, error) {
			sum, err := it.flow.Score(it.ans)
			if err != nil {
				return report.Record{}, err
			}
			return report.FromSummary(sum, it.ans, it.src), nil
		})
	}
	readErr := a.reportRead(ctx, o, submit)
	err = out.Wait()
	prog.done()
	if err = errors.Join(readErr, err); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var rep *report.Report

	// Words from the newest flow counted (the built-in one if none).
	var lf *questionnaire.Flow
	for _, f := range flows {
		if lf == nil || f.Version > lf.Version {
			lf = f
		}
	}
	if lf == nil {
		if lf, err = questionnaire.Builtin(); err != nil {
			return err
		}
	}
	lang := o.lang
	if lang == "" {
		lang = a.configDefault("language")
	}
	if _, err := flowLang(lf, lang); err != nil {
		if o.lang != "" {
			return err
		}
		lang = ""
	}
	lang = lf.Lang(lang)
	agg.SetOrder(reportOrder(lf))
	rep = agg.Build()
	labels := reportLabels(lf, lang)
	meta := report.Meta{Internal: o.internal, Labels: labels, Period: reportPeriod(o, rep)}
	for _, f := range flows {
		meta.Flows = append(meta.Flows, f.ID+" "+f.Version)
	}
	slices.Sort(meta.Flows)
	meta.Flows = slices.Compact(meta.Flows)

	w := a.io.Out
	// Text fits a terminal; to a file or a pipe its labels are whole.
	width, onTerminal := a.terminalWidth()
	var file *os.File
	if o.output != "" && o.output != "-" {
		if file, err = os.OpenFile(o.output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
			return withHint(fmt.Errorf("cannot write the report: %w", err), ExitError, "check the folder exists and you may write to it")
		}
		w = file
		onTerminal = false
	}
	if !onTerminal {
		width = 0
	}
	switch o.format {
	case "csv":
		err = report.WriteCSV(w, rep, meta)
	case "json":
		err = report.WriteJSON(w, rep, meta)
	case "html":
		err = report.WriteHTML(w, rep, meta, lang)
	default:
		err = report.WriteText(w, rep, meta, width)
	}
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	a.warnSuppressed(rep, o, labels)
	return nil
}

// reportRead reads the interviews the options name and submits each.
func (a *app) reportRead(ctx context.Context, o *reportOptions, submit func(reportItem) error) error {
	if len(o.answers) > 0 {
		f, err := questionnaire.Builtin()
		if err != nil {
			return err
		}
		for _, path := range o.answers {
			af, err := a.readAnswersFile(f, path)
			if err != nil {
				return err
			}
			if err := submit(reportItem{flow: f, ans: af.Answers, src: report.Source{Location: af.Location, Interviewer: af.Interviewer, Language: af.Language}}); err != nil {
				return err
			}
		}
	}
	for _, path := range o.from {
		if err := a.reportBundle(o, path, submit); err != nil {
			return err
		}
	}
	if len(o.answers) > 0 || len(o.from) > 0 {
		return nil
	}
	st, err := a.openStore(false)
	if err != nil {
		return err
	}
	cache := newFlowCache(st, nil)
	take := func(iv *record.Interview) error {
		if o.status == "" && iv.Status == record.StatusDraft && !o.includeDrafts {
			return nil
		}
		f, err := cache.get(iv)
		if err != nil {
			return err
		}
		when := iv.CreatedAt
		if iv.CompletedAt != nil {
			when = *iv.CompletedAt
		}
		return submit(reportItem{flow: f, ans: questionnaire.Answers(iv.AnswersMap()),
			src: report.Source{Location: iv.Location, Interviewer: iv.Interviewer, Language: iv.Language, When: when}})
	}
	return st.Each(ctx, record.Status(o.status), take)
}

func (a *app) reportBundle(o *reportOptions, path string, submit func(reportItem) error) error {
	r, err := a.openBundle(path, o.identities, o.accept, o.trustFiles, true, useReport)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		iv, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return bundleError(&bundle.Error{File: path, Err: err}, useReport)
		}
		if iv.Status == string(record.StatusDraft) && !o.includeDrafts && o.status == "" {
			continue
		}
		ans := make(questionnaire.Answers, len(iv.Answers))
		for _, x := range iv.Answers {
			ans[x.ID] = x.Value
		}
		when := iv.CreatedAt
		if iv.CompletedAt != nil {
			when = *iv.CompletedAt
		}
		err = submit(reportItem{flow: r.Flow(iv.Flow.Hash), ans: ans,
			src: report.Source{Location: iv.Location, Interviewer: iv.Interviewer, Language: iv.Language, When: when}})
		if err != nil {
			return err
		}
	}
}

// reportPeriod says what the report covers: the days asked for, else the
// months of the interviews counted (never the exact days of the first
// and last interview, which could point at one).
func reportPeriod(o *reportOptions, rep *report.Report) string {
	if o.since != "" || o.until != "" {
		return strings.TrimSpace(o.since + " – " + o.until)
	}
	if rep.First.IsZero() {
		return ""
	}
	first, last := rep.First.In(time.Local).Format("2006-01"), rep.Last.In(time.Local).Format("2006-01")
	if first == last {
		return first
	}
	return first + " – " + last
}

// reportOrder lists each dimension's values in the flow's order.
func reportOrder(f *questionnaire.Flow) map[string][]string {
	order := map[string][]string{"ground": {"race", "religion", "nationality", "political_opinion", "particular_social_group"}}
	fields := map[string]string{"outcome": "outcome", "situation": "situation",
		"trafficking.indicators": "trafficking_indicators", "refugee_protection.level": "refugee_level"}
	for _, fd := range f.Findings {
		if dim, ok := fields[fd.Field]; ok {
			for _, c := range fd.Cases {
				order[dim] = append(order[dim], fmt.Sprint(c.Value))
			}
		}
	}
	for _, r := range f.Referrals {
		order["referral"] = append(order["referral"], r.ID)
	}
	for _, c := range f.Cautions {
		order["caution"] = append(order["caution"], c.ID)
	}
	for _, q := range f.Questions {
		order["declined"] = append(order["declined"], q.ID)
		order["dont_know"] = append(order["dont_know"], q.ID)
		if q.ID == "gender" || q.ID == "present_in" {
			for _, c := range q.Choices {
				order[q.ID] = append(order[q.ID], c.Value)
			}
		}
	}
	return order
}

// reportLabels puts a report in the flow's words in lang.
func reportLabels(f *questionnaire.Flow, lang string) report.Labels {
	fields := map[string]string{"outcome": "outcome", "situation": "situation",
		"trafficking_indicators": "trafficking.indicators", "refugee_level": "refugee_protection.level"}
	w := func(id string, kv ...string) string { return words.T(f, lang, id, kv...) }
	choice := func(qid, v string) string {
		switch v {
		case questionnaire.Declined, questionnaire.DontKnow:
			return w(v)
		}
		if q := f.Question(qid); q != nil {
			if c := q.Choice(v); c != nil && !c.Label.Empty() {
				return render.Clean(f.T(c.Label, lang))
			}
		}
		return v
	}
	return report.Labels{
		Word:      func(id string, kv ...string) string { return w("report."+id, kv...) },
		Dimension: func(dim string) string { return w("report.dim." + dim) },
		Value: func(dim, v string) string {
			switch v {
			case report.NotRecorded, report.AgeUnknown:
				return w("report.value." + v)
			}
			if field, ok := fields[dim]; ok {
				return render.FieldValue(f, field, v, lang)
			}
			switch dim {
			case "referral_priority":
				return w("report.value." + v)
			case "ground":
				return w("ground." + v)
			case "referral":
				if r := f.Referral(v); r != nil && !r.Label.Empty() {
					return render.Clean(f.T(r.Label, lang))
				}
			case "caution":
				if c := f.CautionByID(v); c != nil && !c.Label.Empty() {
					return render.Clean(f.T(c.Label, lang))
				}
			case "declined", "dont_know":
				if q := f.Question(v); q != nil {
					return "[" + v + "] " + render.Clean(f.T(q.Label, lang))
				}
			case "gender":
				return choice("gender", v)
			case "present_in":
				return choice("present_in", v)
			}
			return v
		},
	}
}

// warnSuppressed says on stderr how much disclosure control hid, and
// where most of it came from, so that a supervisor can choose a coarser
// breakdown. It names the tables as their headings do, in the report's
// language.
func (a *app) warnSuppressed(rep *report.Report, o *reportOptions, l report.Labels) {
	if rep.Suppressed == 0 {
		return
	}
	type dimCount struct {
		dim string
		n   int
	}
	var dims []dimCount
	for d, n := range rep.SuppressedBy {
		dims = append(dims, dimCount{d, n})
	}
	slices.SortFunc(dims, func(x, y dimCount) int {
		if x.n != y.n {
			return y.n - x.n
		}
		return strings.Compare(x.dim, y.dim)
	})
	var most []string
	for _, d := range dims[:min(3, len(dims))] {
		most = append(most, l.Dimension(d.dim)+" ("+strconv.Itoa(d.n)+")")
	}
	fmt.Fprintf(a.io.Err, "fieldscreen: %s\n", l.Word("warn_hidden", "hidden", strconv.Itoa(rep.Suppressed),
		"published", strconv.Itoa(rep.Published), "k", strconv.Itoa(rep.K), "tables", strings.Join(most, ", ")))
	if len(o.by) > 0 {
		fmt.Fprintf(a.io.Err, "hint: %s\n", l.Word("warn_coarser", "by", strings.Join(o.by, ",")))
	}
}
