package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"fieldscreen/internal/bundle"
	"fieldscreen/internal/render"
	"fieldscreen/internal/store"
	"fieldscreen/internal/textsafe"
	"fieldscreen/questionnaire"
)

// scored is one interview's summary with the flow it was scored on.
type scored struct {
	flow *questionnaire.Flow
	sum  *questionnaire.Summary
	lang string
	// ans are the answers scored, for the summary's "why" lines (each
	// question with the answer given); nil leaves the answers out.
	ans questionnaire.Answers
}

// summaryOptions lays out a summary for the output: colour, the
// terminal's width, and the answers for its "why" lines.
func (a *app) summaryOptions(s scored) render.Options {
	return render.Options{Color: a.color(), Width: a.width(), Answers: s.ans}
}

// width is the terminal's width when output goes to one, else 80.
func (a *app) width() int {
	if a.pg != nil {
		return a.pg.width
	}
	if f, ok := a.io.Out.(*os.File); ok && a.io.OutTerminal() {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// emitter writes summaries in one format, one at a time, so a batch of any
// size streams with flat memory.
type emitter interface {
	emit(s scored) error
	close() error
	// flush writes out what is buffered, so the summaries printed before
	// an error are not lost.
	flush()
}

func (a *app) newEmitter(format string, w io.Writer) emitter {
	switch format {
	case "json":
		return &jsonArray{w: w}
	case "jsonl":
		return &jsonLines{w: bufio.NewWriterSize(w, 64<<10)}
	case "csv":
		return newCSV(w)
	case "table":
		return newTable(w)
	}
	return &textSummaries{a: a, w: w}
}

type jsonArray struct {
	w io.Writer
	n int
}

func (j *jsonArray) emit(s scored) error {
	b, err := json.MarshalIndent(s.sum, "  ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if j.n == 0 {
		sep = "[\n  "
	}
	j.n++
	_, err = fmt.Fprintf(j.w, "%s%s", sep, textsafe.JSON(b))
	return err
}

func (j *jsonArray) flush() {}

func (j *jsonArray) close() error {
	if j.n == 0 {
		_, err := io.WriteString(j.w, "[]\n")
		return err
	}
	_, err := io.WriteString(j.w, "\n]\n")
	return err
}

// jsonLines writes one summary per line, through a buffer: batch scoring
// writes hundreds of thousands of them.
type jsonLines struct {
	w   *bufio.Writer
	buf []byte
}

func (j *jsonLines) emit(s scored) error {
	var err error
	if j.buf, err = s.sum.AppendJSON(j.buf[:0]); err != nil {
		return err
	}
	j.buf = append(j.buf, '\n')
	_, err = j.w.Write(textsafe.JSON(j.buf))
	return err
}

func (j *jsonLines) close() error { return j.w.Flush() }
func (j *jsonLines) flush()       { j.w.Flush() }

// csvColumns are stable: scripts and spreadsheets key on them.
var csvColumns = []string{"interview_id", "source", "status", "outcome", "situation", "trafficking_indicators", "refugee_level", "grounds", "referrals", "cautions", "information_gaps"}

type csvOut struct{ w *csv.Writer }

func newCSV(w io.Writer) *csvOut {
	c := &csvOut{w: csv.NewWriter(w)}
	c.w.Write(csvColumns)
	return c
}

func (c *csvOut) emit(s scored) error {
	row := summaryRow(s.sum)
	for i := range row {
		row[i] = bundle.DefuseCell(row[i])
	}
	return c.w.Write(row)
}

func summaryRow(s *questionnaire.Summary) []string {
	refs := make([]string, len(s.Referrals))
	for i, r := range s.Referrals {
		refs[i] = r.ID + ":" + r.Priority
	}
	cauts := make([]string, len(s.Cautions))
	for i, c := range s.Cautions {
		cauts[i] = c.ID
	}
	return []string{s.InterviewID, s.Source, s.Status, s.GetString("outcome"), s.GetString("situation"),
		s.GetString("trafficking.indicators"), s.GetString("refugee_protection.level"), s.GetString("refugee_protection.grounds"),
		strings.Join(refs, ";"), strings.Join(cauts, ";"), strings.Join(s.InformationGaps, ";")}
}

func (c *csvOut) flush() { c.w.Flush() }

func (c *csvOut) close() error {
	c.w.Flush()
	return c.w.Error()
}

type table struct{ tw *tabwriter.Writer }

func newTable(w io.Writer) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	fmt.Fprintln(t.tw, "ID\tOUTCOME\tSITUATION\tTRAFFICKING\tREFUGEE\tREFERRALS")
	return t
}

func (t *table) emit(s scored) error {
	id := s.sum.InterviewID
	if id == "" {
		id = s.sum.Source
	} else {
		id = shortID(id)
	}
	urgent := 0
	for _, r := range s.sum.Referrals {
		if r.Priority == "urgent" {
			urgent++
		}
	}
	refs := fmt.Sprint(len(s.sum.Referrals))
	if urgent > 0 {
		refs += fmt.Sprintf(" (%d urgent)", urgent)
	}
	// Words for people, in the summary's language; csv and json keep IDs.
	words := func(field string) string {
		return strings.ReplaceAll(render.FieldValue(s.flow, field, s.sum.Get(field), s.lang), "\t", " ")
	}
	_, err := fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\t%s\n", id, words("outcome"), words("situation"),
		words("trafficking.indicators"), words("refugee_protection.level"), refs)
	return err
}

func (t *table) close() error { return t.tw.Flush() }
func (t *table) flush()       {} // a table is aligned only at its end

type textSummaries struct {
	a *app
	w io.Writer
	n int
}

func (t *textSummaries) emit(s scored) error {
	if t.n > 0 {
		fmt.Fprintln(t.w, strings.Repeat("─", 80))
	}
	t.n++
	return render.Summary(t.w, s.flow, s.sum, s.lang, t.a.summaryOptions(s))
}

func (t *textSummaries) close() error { return nil }
func (t *textSummaries) flush()       {}

// shortID is the last 8 characters of an interview ID. A UUIDv7 starts
// with its creation time, so interviews made the same minute share a
// prefix; the tail is random and tells them apart.
func shortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}

// resolveID finds the interview an ID, or the start or end of one, names.
func resolveID(st *store.Store, s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 4 {
		return "", withHint(fmt.Errorf("interview ID %q is too short", s), ExitUsage, "give at least 4 characters, as 'fieldscreen list' shows them")
	}
	entries, err := st.List("")
	if err != nil {
		return "", err
	}
	var found []string
	for _, e := range entries {
		if e.ID == s {
			return e.ID, nil
		}
		// The full ID's start, its end, or the start of the short ID
		// that list prints.
		if strings.HasPrefix(e.ID, s) || strings.HasSuffix(e.ID, s) || strings.HasPrefix(shortID(e.ID), s) {
			found = append(found, e.ID)
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("%w %q", store.ErrNoInterview, s)
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("%w: %d interviews match %q", store.ErrAmbiguous, len(found), s)
}

// readAnswersFile loads and checks an answers file, reporting on stderr
// the answers the flow would not ask.
func (a *app) readAnswersFile(f *questionnaire.Flow, path string) (*questionnaire.AnswersFile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, withHint(fmt.Errorf("cannot read answers file %s: %w", path, errors.Unwrap(err)), ExitError, "check the file name")
	}
	af, err := f.ParseAnswers(path, src)
	if err != nil {
		return nil, err
	}
	for _, id := range af.Dropped {
		fmt.Fprintf(a.io.Err, "fieldscreen: %s: answer to %q dropped: the flow does not ask it under the other answers\n", path, id)
	}
	return af, nil
}

type scoreOpts struct {
	answers     []string
	from        []string
	identities  []string
	accept      []string // --accept-flow: bundle flows to run though not known
	flowPath    string
	format      string
	all         bool
	status      string
	lang        string
	skipDamaged bool
	cmp         compareOpts // --compare (cmd_score_compare.go)
}

func (a *app) scoreCmd() *cobra.Command {
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
			if err := oneOf(c, "format", o.format, "text", "table", "json", "jsonl", "csv"); err != nil {
				return err
			}
			if len(o.answers) == 0 && len(args) == 0 && !o.all && o.status == "" && len(o.from) == 0 {
				return usageErr(c, "nothing to score: give --answers FILE, interview IDs, --all, --status or --from BUNDLE")
			}
			return a.runScore(c, o, args)
		},
	}
	c.Flags().StringArrayVar(&o.answers, "answers", nil, "an answers file to score (repeatable)")
	c.Flags().StringArrayVar(&o.from, "from", nil, "a handover bundle to score (repeatable)")
	c.Flags().StringArrayVarP(&o.identities, "identity", "i", nil, "age identity file to decrypt --from bundles (repeatable; default: $"+identityEnv+")")
	c.Flags().StringArrayVar(&o.accept, "accept-flow", nil, "run the --from bundle flow of this hash (sha256:...), neither built in nor in the store (repeatable)")
	c.Flags().BoolVar(&o.skipDamaged, "skip-damaged", false, "leave out stored interviews whose records cannot be read (a damaged store) instead of failing")
	c.Flags().StringVar(&o.flowPath, "flow", "", "score with this flow file (default: built-in for answers files; the interview's own flow for stored ones)")
	c.Flags().StringVar(&o.format, "format", "", "text, table, json, jsonl or csv (default: text for answers files, else table)")
	c.Flags().BoolVar(&o.all, "all", false, "score every stored interview")
	c.Flags().StringVar(&o.status, "status", "", "score stored interviews with this status (draft, completed, exported)")
	c.Flags().StringVar(&o.lang, "lang", "", "language of text output (default: each interview's or answers file's)")
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
	em := a.newEmitter(o.format, a.io.Out)
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
		sc := newScorer(emit)
		if err := sc.wait(a.scoreBundle(b, o.identities, o.accept, override, o.lang, sc.submit)); err != nil {
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
		sc := newScorer(emit)
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
		submitIV := func(iv *store.Interview) error {
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
			return sc.submit(func() (scored, error) { return c.score(iv, o.lang) })
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
			entries, err := st.List(store.Status(o.status))
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
			readErr = st.Each(store.Status(o.status), submitIV)
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

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// scoreBundle reads a bundle's interviews in order and submits the
// scoring of each, which runs on another goroutine. identities are the age
// identity files given with --identity, accept the flow hashes given with
// --accept-flow.
func (a *app) scoreBundle(path string, identities, accept []string, override *questionnaire.Flow, lang string, submit func(run func() (scored, error)) error) error {
	return scoreBundleFile(a, path, identities, accept, override, lang, submit)
}

// withServices lists a referral directory's services in each summary.
type withServices struct {
	a *app
	emitter
}

func (w *withServices) emit(s scored) error {
	if err := w.a.attachServices(s); err != nil {
		return err
	}
	return w.emitter.emit(s)
}

// scorer scores interviews on every core and emits their summaries in the
// order they were submitted, so the output is the same as scoring one at a
// time. Reading (the store, a bundle) stays on the caller's goroutine;
// Flow.Score is safe to run concurrently. Memory stays bounded: submit
// waits once a few interviews per core are in flight.
type scorer struct {
	jobs  chan *scoreJob
	queue chan *scoreJob
	emit  func(scored) error
	wg    sync.WaitGroup
	done  chan struct{}
	err   error        // the first error, in submission order; set by the emitting goroutine
	stop  atomic.Bool  // an error was met: submit refuses more work
	first atomic.Value // holds err once stop is set, for submit
}

type scoreJob struct {
	run  func() (scored, error)
	s    scored
	err  error
	done chan struct{}
}

func newScorer(emit func(scored) error) *scorer {
	n := runtime.GOMAXPROCS(0)
	s := &scorer{jobs: make(chan *scoreJob, n), queue: make(chan *scoreJob, 8*n), emit: emit, done: make(chan struct{})}
	for range n {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for j := range s.jobs {
				j.s, j.err = j.run()
				close(j.done)
			}
		}()
	}
	go func() {
		defer close(s.done)
		for j := range s.queue {
			<-j.done
			if s.err != nil {
				continue
			}
			if s.err = j.err; s.err == nil {
				s.err = emit(j.s)
			}
			if s.err != nil {
				s.first.Store(s.err)
				s.stop.Store(true)
			}
		}
	}()
	return s
}

// submit queues one interview to score. It returns an error once an
// earlier interview failed to score or emit, so the caller stops reading.
func (s *scorer) submit(run func() (scored, error)) error {
	if s.stop.Load() {
		return s.first.Load().(error)
	}
	j := &scoreJob{run: run, done: make(chan struct{})}
	s.queue <- j
	s.jobs <- j
	return nil
}

// wait lets the queued interviews finish and returns the first error
// (in submission order), or else readErr.
func (s *scorer) wait(readErr error) error {
	close(s.jobs)
	close(s.queue)
	s.wg.Wait()
	<-s.done
	if s.err != nil {
		return s.err
	}
	return readErr
}
