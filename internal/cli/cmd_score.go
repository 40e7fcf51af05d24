package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"fieldscreen/internal/record"
	"fieldscreen/internal/store"
	"fieldscreen/questionnaire"
)

type scoreOpts struct {
	answers     []string
	from        []string
	identities  []string
	accept      []string // --accept-flow: bundle flows to run though not known
	trustFiles  []string // --trust: signers of --from bundles
	flowPath    string
	format      string
	all         bool
	status      string
	lang        string
	skipDamaged bool
	// includeDrafts: --all and --from take drafts too (by default only
	// completed and exported interviews, as a count of screenings wants).
	includeDrafts bool
	cmp           compareOpts // --compare (cmd_score_compare.go)

	cmd *cobra.Command // the command run, for its context and usage errors
	ids []string       // the interview IDs given
}

// scoreCmd is 'fieldscreen score'. runF, when not nil, runs instead of
// runScore with the options the command line gave (a test's seam).
func (a *app) scoreCmd(runF func(*scoreOpts) error) *cobra.Command {
	o := &scoreOpts{}
	c := &cobra.Command{
		Use:   "score [ID...|FILE...]",
		Short: "Score interviews: answers files, stored interviews or handover bundles",
		Long: `Scores interviews and prints their summaries. Nothing is stored.

Answers files (--answers) are YAML or JSON:

  interviewer: A. Officer     # optional
  location: LOC-01            # optional
  language: en                # optional
  answers:
    consent: "yes"
    age: 34
    needs: [medical, legal_aid]

Files given after --answers or --from are more of the same, so that
'--answers *.yaml' scores every file the shell finds; with neither flag, a
file is read as a bundle if it is one, else as an answers file. Any other
argument is an interview ID.

--all scores the completed and exported interviews; --include-drafts adds
drafts, --status picks one status. Each row carries the interview's status,
language, location, interviewer and times.

Stored interviews are scored with the flow they were taken with, unless
--flow names another. Formats: text (a readable summary each), table,
json (an array), jsonl (one summary per line), csv (stable columns).`,
		Example: `  fieldscreen score --answers testdata/examples/trafficked-abroad.yaml
  fieldscreen score --answers a.yaml --answers b.json --format jsonl
  fieldscreen score --answers testdata/examples/*.yaml --format table
  fieldscreen score --from monday.age tuesday.age --format csv
  fieldscreen score --all --format csv > summaries.csv
  fieldscreen score --status completed --flow my-flow-v2.yaml --format table
  fieldscreen score --from handover.age --identity ~/.config/fieldscreen/key.txt`,
		RunE: func(c *cobra.Command, args []string) error {
			args, err := scoreArgs(c, o, args)
			if err != nil {
				return err
			}
			if o.cmp.compare {
				return a.runScoreCompare(c, o, args)
			}
			if o.format == "" {
				o.format = "table"
				if len(o.answers) > 0 && len(args) == 0 && !o.all && o.status == "" && len(o.from) == 0 {
					o.format = "text"
				}
			}
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			if len(o.answers) == 0 && len(args) == 0 && !o.all && o.status == "" && len(o.from) == 0 {
				return usageErr(c, "nothing to score: give --answers FILE, interview IDs, --all, --status or --from BUNDLE")
			}
			o.cmd, o.ids = c, args
			if runF != nil {
				return runF(o)
			}
			return a.runScore(c, o, args)
		},
	}
	c.Flags().StringArrayVar(&o.answers, "answers", nil, "an answers file to score (repeatable)")
	c.Flags().StringArrayVar(&o.from, "from", nil, "a handover bundle to score (repeatable)")
	c.Flags().StringArrayVarP(&o.identities, "identity", "i", nil, "age identity file to decrypt --from bundles (repeatable; default: $"+identityEnv+")")
	c.Flags().StringArrayVar(&o.accept, "accept-flow", nil, "run the --from bundle flow of this hash (sha256:...), neither built in nor in the store (repeatable)")
	addTrustFlag(c, &o.trustFiles, "--from bundles")
	c.Flags().BoolVar(&o.skipDamaged, "skip-damaged", false, "leave out stored interviews whose records cannot be read (a damaged store) instead of failing")
	c.Flags().StringVar(&o.flowPath, "flow", "", "score with this flow file (default: built-in for answers files; the interview's own flow for stored ones)")
	formatVar(c, &o.format, "", "{or} (default: text for answers files, else table)", "text", "table", "json", "jsonl", "csv")
	c.Flags().BoolVar(&o.all, "all", false, "score every completed or exported interview in the store")
	c.Flags().BoolVar(&o.includeDrafts, "include-drafts", false, "with --all or --from, score drafts (unfinished interviews) too")
	statusVar(c, &o.status, "score stored interviews with this status ({list})")
	c.Flags().StringVar(&o.lang, "lang", "", "language of text output (default: each interview's or answers file's), and of a table's words (default: the language setting, else the first interview's)")
	a.compareFlags(c, o)
	return c
}

func (a *app) runScore(c *cobra.Command, o *scoreOpts, ids []string) error {
	var override *questionnaire.Flow
	if o.flowPath != "" {
		f, err := loadFlow(o.flowPath)
		if err != nil {
			return err
		}
		override = f
	}
	a.startPager()
	em := a.newEmitter(o.format, o.lang, a.io.Out)
	if a.directoryPath() != "" {
		em = &withServices{a: a, emitter: em}
	}
	defer em.flush()
	prog := a.newProgress("scoring")
	defer prog.done()
	if len(o.answers) > 0 {
		f := override
		if f == nil {
			var err error
			if f, err = questionnaire.Builtin(); err != nil {
				return err
			}
		}
		for _, path := range o.answers {
			if _, err := flowLang(f, o.lang); err != nil {
				return err
			}
			af, err := a.readAnswersFile(f, path)
			if err != nil {
				return err
			}
			sum, err := f.Score(af.Answers)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			sum.Source = path
			sum.Location, sum.Interviewer = af.Location, af.Interviewer
			lang := f.Lang(firstNonEmpty(o.lang, af.Language))
			sum.Language = lang
			if err := em.emit(scored{flow: f, sum: sum, lang: lang, ans: af.Answers}); err != nil {
				return err
			}
			prog.step()
		}
	}
	emit := func(s scored) error { prog.step(); return em.emit(s) }
	for _, b := range o.from {
		sc := newScorer(c.Context(), emit)
		if err := sc.wait(a.scoreBundle(b, o.identities, o.accept, o.trustFiles, override, o.lang, o.includeDrafts, sc.submit)); err != nil {
			return err
		}
	}
	if len(ids) > 0 || o.all || o.status != "" {
		st, err := a.openStore(false)
		if err != nil {
			return err
		}
		flows := newFlowCache(st, override)
		// One fixed-flow cache per flow for the scoring goroutines: the
		// shared cache is filled here, on the reading goroutine, only.
		fixed := map[*questionnaire.Flow]*flowCache{}
		sc := newScorer(c.Context(), emit)
		// With --skip-damaged a record or flow that does not decrypt is
		// named (by short ID only) and left out.
		damaged := 0
		skip := func(id string, err error) bool {
			if !o.skipDamaged || !errors.Is(err, store.ErrCorrupt) {
				return false
			}
			a.warnDamaged([]string{id})
			damaged++
			return true
		}
		submitIV := func(iv *record.Interview) error {
			if len(ids) == 0 && o.status == "" && iv.Status == record.StatusDraft && !o.includeDrafts {
				return nil
			}
			f, err := flows.get(iv)
			if skip(iv.ID, err) {
				return nil
			}
			if err != nil {
				return err
			}
			if gone := ignoredAnswers(iv, f); len(gone) > 0 {
				fmt.Fprintf(a.io.Err, "fieldscreen: interview %s (flow %s) rescored with flow %s: answers to %s ignored (not in that flow)\n",
					shortID(iv.ID), iv.FlowVersion, f.Version, strings.Join(gone, ", "))
			}
			c := fixed[f]
			if c == nil {
				c = newFlowCache(st, f)
				fixed[f] = c
			}
			return sc.submit(func() (scored, error) {
				s, err := c.score(iv, o.lang)
				if err == nil {
					s.sum.Location, s.sum.Interviewer = iv.Location, iv.Interviewer
					created := iv.CreatedAt
					s.sum.CreatedAt, s.sum.CompletedAt = &created, iv.CompletedAt
				}
				return s, err
			})
		}
		readIDs := func() error {
			for _, id := range ids {
				full, err := resolveID(st, id)
				if err != nil {
					return err
				}
				iv, err := st.Get(full)
				if skip(full, err) {
					continue
				}
				if err != nil {
					return err
				}
				if err := submitIV(iv); err != nil {
					return err
				}
			}
			return nil
		}
		// Each stops at the first unreadable record; List and Get one
		// at a time go past it.
		readEach := func() error {
			entries, err := st.List(record.Status(o.status))
			if err != nil {
				return err
			}
			slices.Reverse(entries) // oldest first, as Each
			for _, e := range entries {
				iv, err := st.Get(e.ID)
				if skip(e.ID, err) || errors.Is(err, store.ErrNoInterview) {
					continue
				}
				if err != nil {
					return err
				}
				if err := submitIV(iv); err != nil {
					return err
				}
			}
			return nil
		}
		var readErr error
		switch {
		case len(ids) > 0:
			readErr = readIDs()
		case o.skipDamaged:
			readErr = readEach()
		default:
			readErr = st.Each(c.Context(), record.Status(o.status), submitIV)
		}
		if err := sc.wait(readErr); err != nil {
			return err
		}
		if damaged > 0 {
			fmt.Fprintf(a.io.Err, "fieldscreen: skipped %d damaged interview(s)\n", damaged)
		}
	}
	return em.close()
}
