package cli

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"fieldscreen/questionnaire"
)

// flowTestOptions is what 'fieldscreen flow test' was asked: `flow test`
// as its flags fill it.
type flowTestOptions struct {
	*app
	flowPath    string
	cases       []string
	format      string
	run         string
	coverage    bool
	minCoverage float64
	verbose     bool
	newCaseFrom string
	output      string
	runRE       *regexp.Regexp // run, compiled
}

// flowTestCmd is 'fieldscreen flow test'. runF, when not nil, runs instead
// of runFlowTest.
func (a *app) flowTestCmd(runF func(*flowTestOptions) error) *cobra.Command {
	o := &flowTestOptions{app: a}
	c := &cobra.Command{
		Use:   "test [--flow FILE] [CASES...]",
		Short: "Run a flow's test cases: answers, and what their summary must say",
		Long: `Runs case files: each case is a story (the answers a person gave) and what
the summary must say of it. A failure names the case, the field, what was
wanted and what the flow gave, and the lines of the flow that decided it.

  profiles:                          # optional: answers cases start from
    adult: {consent: "yes", age: 35}
  cases:
    - name: adult trafficked abroad, removal next week
      note: the story, for the reader
      profile: adult                 # optional: a name or a list
      answers: {ever_exploited: "yes", deportation_risk: "yes"}
      expect:
        outcome: urgent_referral
        trafficking.indicators: strong        # any summary field by JSON path
        referrals: {asylum_procedure: urgent, legal_aid: any}
        not_referrals: [resettlement_assessment]
        cautions: [non_refoulement]
        not_cautions: [repatriation_not_suitable]
        consent: {asylum_procedure: given}
        asked: [deportation_risk]
        not_asked: [feels_unsafe_where_living]
        referral_order: [asylum_procedure, legal_aid]   # exactly, in order
        caution_order: [non_refoulement]

Without case files it runs the built-in flow's own cases (every row of the
spec's tables, and whole stories), on the built-in flow or on --flow FILE
(an adapted copy, to see which of them it now fails).

--coverage lists which findings' cases, referrals and their priorities,
cautions and question conditions the cases exercised, and which never; a
condition counts when it held in one case and did not hold in another.

--new-case-from writes a case from an answers file or a stored interview,
with today's summary as its expectation, for you to check and keep.

Exit status: 0 when every case passed (and coverage reached
--min-coverage), 1 otherwise, 6 when a case file has problems.`,
		Example: `  fieldscreen flow test                                   # the built-in flow and its cases
  fieldscreen flow test --flow my-flow.yaml cases/*.yaml
  fieldscreen flow test --flow my-flow.yaml cases.yaml --run 'child' --coverage
  fieldscreen flow test --flow my-flow.yaml cases.yaml --format junit > report.xml
  fieldscreen flow test --flow my-flow.yaml --coverage --min-coverage 90
  fieldscreen flow test --flow my-flow.yaml --new-case-from answers.yaml -o new-case.yaml
  fieldscreen flow test --new-case-from 3e27485e          # a stored interview`,
		RunE: func(c *cobra.Command, args []string) error {
			o.cases = args
			if err := oneOf(c, "format", o.format, "text", "json", "junit"); err != nil {
				return err
			}
			if o.minCoverage < 0 || o.minCoverage > 100 {
				return usageErr(c, fmt.Sprintf("--min-coverage must be a percentage from 0 to 100, not %v", o.minCoverage))
			}
			if o.newCaseFrom != "" {
				if len(args) > 0 {
					return usageErr(c, "--new-case-from writes a case; it runs none: leave out the case files")
				}
			} else {
				if o.output != "" {
					return usageErr(c, "-o goes with --new-case-from")
				}
				if o.run != "" {
					var err error
					if o.runRE, err = regexp.Compile(o.run); err != nil {
						return usageErr(c, fmt.Sprintf("--run %q is not a regular expression: %v", o.run, err))
					}
				}
			}
			if runF != nil {
				return runF(o)
			}
			return runFlowTest(o)
		},
	}
	c.Flags().StringVar(&o.flowPath, "flow", "", "the flow to test (default: the built-in flow)")
	c.Flags().StringVar(&o.format, "format", "text", "text, json or junit (JUnit XML, for CI)")
	c.Flags().StringVar(&o.run, "run", "", "run only the cases whose name matches this regular `PATTERN`")
	c.Flags().BoolVar(&o.coverage, "coverage", false, "list which rules the cases exercised, and which never")
	c.Flags().Float64Var(&o.minCoverage, "min-coverage", 0, "fail when the cases exercise less than `P` percent of the rules (implies --coverage)")
	c.Flags().BoolVarP(&o.verbose, "verbose", "v", false, "name every case, not only those that fail")
	c.Flags().StringVar(&o.newCaseFrom, "new-case-from", "", "write a case from an answers `FILE` or a stored interview ID, with today's summary as its expectation")
	c.Flags().StringVarP(&o.output, "output", "o", "", "with --new-case-from: write the case to `FILE` instead of stdout")
	return c
}

// runFlowTest writes a case (--new-case-from) or runs the cases.
func runFlowTest(o *flowTestOptions) error {
	if o.newCaseFrom != "" {
		return o.runNewCase(o)
	}
	return o.runCases(o, o.runRE)
}

// runCases loads the flow and the case files, runs the cases that run
// selects, and reports in o.format.
func (a *app) runCases(o *flowTestOptions, run *regexp.Regexp) error {
	f, err := loadFlow(o.flowPath)
	if err != nil {
		return err
	}
	var srcs []questionnaire.CaseSource
	if len(o.cases) == 0 {
		srcs = questionnaire.BuiltinCaseSources()
		if o.flowPath != "" && o.format == "text" {
			fmt.Fprintf(a.io.Err, "fieldscreen: no case files given: running the built-in flow's cases on %s\n", o.flowPath)
		}
	}
	for _, p := range o.cases {
		src, err := os.ReadFile(p)
		if err != nil {
			return withHint(fmt.Errorf("cannot read case file %s: %w", p, errors.Unwrap(err)), ExitError, "check the file name")
		}
		srcs = append(srcs, questionnaire.CaseSource{Name: p, Src: src})
	}
	var files []*questionnaire.CaseFile
	var probs questionnaire.Problems
	for _, s := range srcs {
		cf, err := f.ParseCases(s.Name, s.Src)
		var p questionnaire.Problems
		switch {
		case errors.As(err, &p):
			probs = append(probs, p...)
		case err != nil:
			return err
		default:
			files = append(files, cf)
		}
	}
	if len(probs) > 0 {
		return probs
	}
	var sel func(*questionnaire.FlowCase) bool
	if run != nil {
		sel = func(c *questionnaire.FlowCase) bool { return run.MatchString(c.Name) }
	}
	start := time.Now()
	res := f.RunCases(files, sel)
	elapsed := time.Since(start)
	if len(res.Results) == 0 {
		hint := "check --run"
		if run == nil {
			hint = "write cases under `cases:`"
		}
		return withHint(errors.New("no cases to run"), ExitError, "%s", hint)
	}
	showCov := o.coverage || o.minCoverage > 0
	switch o.format {
	case "json":
		err = a.printJSON(flowTestJSON(f, res, showCov))
	case "junit":
		err = writeJUnit(a.io.Out, f, files, res, elapsed)
	default:
		a.printFlowTest(f, res, o.verbose)
		if showCov {
			printCoverage(a.io.Out, res.Coverage)
		}
	}
	if err != nil {
		return err
	}
	if n := res.Failed(); n > 0 {
		return withHint(fmt.Errorf("%d of %d cases failed", n, len(res.Results)), ExitError,
			"read each failure's rules (file:line), then fix the flow or, if the case is wrong, the case")
	}
	if o.minCoverage > 0 && res.Coverage.Percent < o.minCoverage {
		return withHint(fmt.Errorf("the cases exercise %.1f%% of the rules, less than --min-coverage %v", res.Coverage.Percent, o.minCoverage), ExitError,
			"write cases for the rules that never fired (--coverage lists them)")
	}
	return nil
}

func (a *app) printFlowTest(f *questionnaire.Flow, res *questionnaire.SuiteResult, verbose bool) {
	w := a.io.Out
	for _, r := range res.Results {
		c := r.Case
		if r.Passed() {
			if verbose {
				fmt.Fprintf(w, "--- PASS: %s (%s:%d)\n", c.Name, c.File, c.Line)
			}
			continue
		}
		fmt.Fprintf(w, "--- FAIL: %s (%s:%d)\n", c.Name, c.File, c.Line)
		if r.Err != nil {
			fmt.Fprintf(w, "    the flow cannot score these answers: %v\n", r.Err)
			continue
		}
		for _, fl := range r.Failures {
			fmt.Fprintf(w, "    %s: wanted %s, got %s (%s:%d)\n", fl.Field, fl.Want, fl.Got, c.File, fl.Line)
			for _, rule := range fl.Rules {
				fmt.Fprintf(w, "        %s\n", rule)
			}
		}
	}
	verdict := "ok"
	if res.Failed() > 0 {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "%s: %d passed, %d failed (flow %s %s)\n", verdict, res.Passed(), res.Failed(), f.ID, f.Version)
}

var coverWords = map[string]string{
	questionnaire.CoverFindingCase: "finding cases",
	questionnaire.CoverReferral:    "referrals",
	questionnaire.CoverPriority:    "priorities",
	questionnaire.CoverCaution:     "cautions",
	questionnaire.CoverCondition:   "conditions (held and not held)",
	"all":                          "all",
}

// printCoverage writes the coverage table: every part of the rules with
// the number of cases that exercised it, the totals, and what never fired.
func printCoverage(w io.Writer, cov *questionnaire.Coverage) {
	fmt.Fprintf(w, "\nCoverage by %d cases:\n\n", cov.Cases)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LINE\tRULE\tCASES")
	for _, it := range cov.Items {
		fmt.Fprintf(tw, "%s:%d\t%s\t%s\n", filepath.Base(it.File), it.Line, it, coverCount(it))
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, t := range cov.Totals {
		fmt.Fprintf(w, "%-31s %9s  %5.1f%%\n", coverWords[t.Kind], fmt.Sprintf("%d of %d", t.Covered, t.Total), t.Percent)
	}
	if missed := cov.Missed(); len(missed) > 0 {
		fmt.Fprintf(w, "\nNever exercised (%d):\n", len(missed))
		for _, it := range missed {
			fmt.Fprintf(w, "  %s:%d: %s: %s\n", it.File, it.Line, it, coverCount(it))
		}
	}
}

func coverCount(it questionnaire.CoverageItem) string {
	if it.NotHeld == nil {
		if it.Held == 0 {
			return "never"
		}
		return fmt.Sprint(it.Held)
	}
	switch {
	case it.Held == 0 && *it.NotHeld == 0:
		return "never evaluated"
	case it.Held == 0:
		return fmt.Sprintf("never held, did not hold in %d", *it.NotHeld)
	case *it.NotHeld == 0:
		return fmt.Sprintf("held in %d, never did not hold", it.Held)
	}
	return fmt.Sprintf("held in %d, did not hold in %d", it.Held, *it.NotHeld)
}

// The JSON report: field names are stable, scripts key on them.
type testReportJSON struct {
	Flow     questionnaire.FlowRef   `json:"flow"`
	Passed   int                     `json:"passed"`
	Failed   int                     `json:"failed"`
	Cases    []testCaseJSON          `json:"cases"`
	Coverage *questionnaire.Coverage `json:"coverage,omitempty"`
}

type testCaseJSON struct {
	Name     string                  `json:"name"`
	File     string                  `json:"file"`
	Line     int                     `json:"line"`
	Passed   bool                    `json:"passed"`
	Error    string                  `json:"error,omitempty"`
	Failures []questionnaire.Failure `json:"failures"`
}

func flowTestJSON(f *questionnaire.Flow, res *questionnaire.SuiteResult, cov bool) testReportJSON {
	out := testReportJSON{Flow: f.Ref(), Passed: res.Passed(), Failed: res.Failed(), Cases: []testCaseJSON{}}
	for _, r := range res.Results {
		c := testCaseJSON{Name: r.Case.Name, File: r.Case.File, Line: r.Case.Line, Passed: r.Passed(), Failures: r.Failures}
		if c.Failures == nil {
			c.Failures = []questionnaire.Failure{}
		}
		if r.Err != nil {
			c.Error = r.Err.Error()
		}
		out.Cases = append(out.Cases, c)
	}
	if cov {
		out.Coverage = res.Coverage
	}
	return out
}

// JUnit XML, as CI servers read it: a suite per case file, a test case per
// case, a failure with every expectation missed and its rules.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr"`
	Line      int           `xml:"line,attr"`
	Failure   *junitFailure `xml:"failure"`
	Error     *junitFailure `xml:"error"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

func writeJUnit(w io.Writer, f *questionnaire.Flow, files []*questionnaire.CaseFile, res *questionnaire.SuiteResult, elapsed time.Duration) error {
	doc := junitSuites{Name: "fieldscreen flow test", Time: fmt.Sprintf("%.3f", elapsed.Seconds())}
	bySuite := map[string]int{}
	for _, cf := range files {
		bySuite[cf.Name] = len(doc.Suites)
		doc.Suites = append(doc.Suites, junitSuite{Name: cf.Name, Properties: []junitProperty{
			{"flow", f.ID}, {"flow_version", f.Version}, {"flow_hash", f.Hash}}})
	}
	for _, r := range res.Results {
		s := &doc.Suites[bySuite[r.Case.File]]
		jc := junitCase{Name: r.Case.Name, Classname: strings.TrimSuffix(filepath.Base(r.Case.File), filepath.Ext(r.Case.File)), File: r.Case.File, Line: r.Case.Line}
		s.Tests++
		doc.Tests++
		switch {
		case r.Err != nil:
			jc.Error = &junitFailure{Message: "the flow cannot score these answers", Type: "error", Text: r.Err.Error()}
			s.Errors++
			doc.Errors++
		case len(r.Failures) > 0:
			var msgs, text []string
			for _, fl := range r.Failures {
				msgs = append(msgs, fmt.Sprintf("%s: wanted %s, got %s", fl.Field, fl.Want, fl.Got))
				text = append(text, fmt.Sprintf("%s: wanted %s, got %s (%s:%d)", fl.Field, fl.Want, fl.Got, r.Case.File, fl.Line))
				for _, rule := range fl.Rules {
					text = append(text, "    "+rule.String())
				}
			}
			jc.Failure = &junitFailure{Message: strings.Join(msgs, "; "), Type: "expectation", Text: strings.Join(text, "\n")}
			s.Failures++
			doc.Failures++
		}
		s.Cases = append(s.Cases, jc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// runNewCase writes a case from an answers file or a stored interview.
func (a *app) runNewCase(o *flowTestOptions) error {
	var (
		f       *questionnaire.Flow
		ans     questionnaire.Answers
		name    string
		comment string
	)
	if _, err := os.Stat(o.newCaseFrom); err == nil {
		if f, err = loadFlow(o.flowPath); err != nil {
			return err
		}
		af, err := a.readAnswersFile(f, o.newCaseFrom)
		if err != nil {
			return err
		}
		ans = af.Answers
		name = strings.TrimSuffix(filepath.Base(o.newCaseFrom), filepath.Ext(o.newCaseFrom))
		comment = fmt.Sprintf("A case written from %s", o.newCaseFrom)
	} else {
		st, err := a.openStore(false)
		if err != nil {
			return withHint(fmt.Errorf("%s is neither a file nor, without a store, an interview ID", o.newCaseFrom), ExitError,
				"give an answers file, or the ID of an interview in the store ('fieldscreen list')")
		}
		var override *questionnaire.Flow
		if o.flowPath != "" {
			if override, err = loadFlow(o.flowPath); err != nil {
				return err
			}
		}
		id, err := resolveID(st, o.newCaseFrom)
		if err != nil {
			return err
		}
		iv, err := st.Get(id)
		if err != nil {
			return err
		}
		if f, err = newFlowCache(st, override).get(iv); err != nil {
			return err
		}
		ans = questionnaire.Answers(iv.AnswersMap())
		if _, err := f.Prune(ans); err != nil {
			return err
		}
		name = "interview " + shortID(iv.ID)
		comment = fmt.Sprintf("A case written from interview %s. It holds the person's answers: change\n"+
			"or remove anything that could identify them before you keep or share it.", shortID(iv.ID))
	}
	src, err := f.NewCaseYAML(name, "", ans, comment,
		fmt.Sprintf("The expectation is the summary flow %s %s gives today: check each line\nagainst what the flow must say, correct it where the flow is wrong, and keep.", f.ID, f.Version))
	if err != nil {
		return err
	}
	if o.output == "" {
		_, err = a.io.Out.Write(src)
		return err
	}
	if err := os.WriteFile(o.output, src, 0o600); err != nil {
		return withHint(fmt.Errorf("cannot write %s: %w", o.output, errors.Unwrap(err)), ExitError, "check the folder exists and can be written")
	}
	fmt.Fprintf(a.io.Err, "fieldscreen: wrote %s; run it with: fieldscreen flow test%s %s\n", o.output, flowFlag(o.flowPath), o.output)
	return nil
}

func flowFlag(path string) string {
	if path == "" {
		return ""
	}
	return " --flow " + path
}
