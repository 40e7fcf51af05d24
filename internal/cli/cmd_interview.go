package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"fieldscreen/internal/forms"
	"fieldscreen/internal/record"
	"fieldscreen/internal/session"
	"fieldscreen/internal/store"
	"fieldscreen/internal/words"
	"fieldscreen/questionnaire"
)

// interviewOptions is what 'fieldscreen interview' was asked.
type interviewOptions struct {
	*app
	cmd         *cobra.Command
	answers     string
	flowPath    string
	lang        string
	interviewer string
	location    string
	resume      string
	format      string
	accessible  bool
	yes         bool
}

// interviewCmd is 'fieldscreen interview'. runF, when not nil, runs
// instead of runInterview.
func (a *app) interviewCmd(runF func(*interviewOptions) error) *cobra.Command {
	o := &interviewOptions{app: a}
	c := &cobra.Command{
		Use:   "interview",
		Short: "Run an interview in the terminal, or record one from an answers file",
		Long: `Runs a screening interview one question at a time. Every answer is saved,
encrypted, before the next question appears. Ctrl-C keeps a draft, which
'fieldscreen interview --resume ID' continues where it stopped; with
--flow NEW it first moves the draft to another flow, listing the answers
that no longer fit it and asking (--yes in a script).

With --answers, records a completed interview from an answers file instead
(the same format as 'fieldscreen score --answers').`,
		Example: `  fieldscreen interview --interviewer "A. Officer" --location LOC-01
  fieldscreen interview --resume 3e27485e
  fieldscreen interview --resume 3e27485e --flow my-flow-v2.yaml   # move the draft to a new flow
  fieldscreen interview --accessible                               # plain line prompts for screen readers
  fieldscreen interview --answers testdata/examples/trafficked-abroad.yaml`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := checkEnums(c, "format"); err != nil {
				return err
			}
			o.cmd = c
			if runF != nil {
				return runF(o)
			}
			return runInterview(o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.answers, "answers", "", "record a completed interview from this answers file")
	f.StringVar(&o.flowPath, "flow", "", "a flow file (default: the built-in flow)")
	f.StringVar(&o.lang, "lang", "", "the interview's language: its questions, screens and summary (default: the language setting, else the flow's)")
	f.StringVar(&o.interviewer, "interviewer", "", "the interviewer's name or code")
	f.StringVar(&o.location, "location", "", "a location code")
	f.StringVar(&o.resume, "resume", "", "continue the draft interview with this ID")
	formatVar(c, &o.format, "text", "summary format: {or}", "text", "json")
	f.BoolVar(&o.yes, "yes", false, "with --resume and --flow: move the draft to the new flow without asking")
	f.BoolVar(&o.accessible, "accessible", false, "plain line prompts a screen reader can speak (also FIELDSCREEN_ACCESSIBLE=1)")
	return c
}

// runInterview records an interview from an answers file, or runs one in
// the terminal.
func runInterview(o *interviewOptions) error {
	if o.answers != "" {
		return o.interviewFromFile(o)
	}
	return o.interviewLive(o.cmd, o)
}

func (a *app) interviewFromFile(o *interviewOptions) error {
	f, err := loadFlow(o.flowPath)
	if err != nil {
		return err
	}
	af, err := a.readAnswersFile(f, o.answers)
	if err != nil {
		return err
	}
	// --lang, else the file's own language, else the setting.
	lang, err := flowLang(f, o.lang)
	if err != nil {
		return err
	}
	if lang == "" {
		lang = af.Language
	}
	if lang == "" {
		if lang, err = a.interviewLang(f, ""); err != nil {
			return err
		}
	}
	a.lang = lang
	st, err := a.openStore(true)
	if err != nil {
		return err
	}
	iv, sum, err := session.FromAnswers(st, f, firstNonEmpty(o.interviewer, af.Interviewer, a.configDefault("interviewer")), firstNonEmpty(o.location, af.Location, a.configDefault("location")), lang, af.Answers, time.Now().UTC())
	if err != nil {
		return err
	}
	fmt.Fprintln(a.io.Err, words.T(f, iv.Language, "cli_saved", "id", iv.ID))
	return a.printSummary(summarized(f, iv, sum, o.lang), o.format)
}

func (a *app) interviewLive(c *cobra.Command, o *interviewOptions) error {
	accessible := o.accessible || a.io.Getenv("FIELDSCREEN_ACCESSIBLE") == "1" || a.io.Getenv("TERM") == "dumb"
	// Checked once the flow, the language and the draft to resume are
	// known good, so a mistake in those is told first.
	needTerminal := func() error {
		if !a.io.InTerminal() && !accessible {
			return withHint(errors.New("no terminal to run the interview in"), ExitUsage,
				"run it in a terminal; or use --accessible for plain line prompts, which also read answers piped in; or record a completed interview from a file with --answers FILE")
		}
		return nil
	}
	now := time.Now().UTC()
	var st *store.Store
	var iv *record.Interview
	var f *questionnaire.Flow
	var s *session.Interview
	var err error
	if o.resume != "" {
		if st, err = a.openStore(false); err != nil {
			return err
		}
		a.waitForStore(st)
		id, err := resolveID(st, o.resume)
		if err != nil {
			return err
		}
		if iv, err = st.Get(id); err != nil {
			return err
		}
		if iv.Status != record.StatusDraft {
			return withHint(fmt.Errorf("interview %s is %s, not a draft", shortID(iv.ID), iv.Status), ExitError,
				"see it with 'fieldscreen show %s'; correct it with 'fieldscreen amend %s --reason TEXT'", shortID(iv.ID), shortID(iv.ID))
		}
		if f, err = newFlowCache(st, nil).get(iv); err != nil {
			return err
		}
		if o.flowPath != "" {
			if f, iv, err = a.moveDraft(st, iv, f, o, now); err != nil {
				return err
			}
		}
		// A draft goes on in its own language unless --lang changes it.
		lang, err := flowLang(f, o.lang)
		if err != nil {
			return err
		}
		if err := needTerminal(); err != nil {
			return err
		}
		if s, err = session.Resume(st, iv, f, firstNonEmpty(o.interviewer, a.configDefault("interviewer"), iv.Interviewer), lang); err != nil {
			return err
		}
	} else {
		if f, err = loadFlow(o.flowPath); err != nil {
			return err
		}
		lang, err := a.interviewLang(f, o.lang)
		if err != nil {
			return err
		}
		if err := needTerminal(); err != nil {
			return err
		}
		open, err := a.storeForNewInterview()
		if err != nil {
			return err
		}
		if s, err = session.Start(f, firstNonEmpty(o.interviewer, a.configDefault("interviewer")), firstNonEmpty(o.location, a.configDefault("location")), lang, func() (session.Store, error) {
			x, err := open()
			if err != nil {
				return nil, err
			}
			st = x
			return x, nil
		}); err != nil {
			return err
		}
	}
	iv = s.Record()
	done, err := forms.Run(c.Context(), forms.Options{
		Interview: s, Lang: f.Lang(iv.Language),
		In: a.formInput(c.Context(), accessible), Out: a.io.Out, Accessible: accessible, Color: a.color(),
	})
	a.sayCreated(f.Lang(iv.Language))
	if errors.Is(err, forms.ErrQuit) {
		if !s.Saved() {
			// Stopped before the first answer: nothing was stored, and a
			// store that did not exist was not created.
			return &interrupted{msg: words.T(f, iv.Language, "cli_stopped_unsaved")}
		}
		// The pause goes into the audit trail; if the store cannot take it
		// now, the answers are still all saved.
		s.Pause()
		return &interrupted{msg: words.T(f, iv.Language, "cli_paused", "cmd", "fieldscreen interview --resume "+shortID(iv.ID))}
	}
	if err != nil {
		return err
	}
	if replacedAnswers(done) {
		// Changed and dropped answers live on in the file's free pages
		// until it is rewritten: rewrite it now the interview is done.
		if err := st.Compact(); err != nil {
			fmt.Fprintf(a.io.Err, "fieldscreen: warning: the interview is saved, but old versions of changed answers could not be erased yet: %v\n", err)
		}
	}
	sc := summarized(f, done, s.Summary(), "") // in the interview's language
	if err := a.printSummary(sc, o.format); err != nil {
		return err
	}
	// The summary is long and scrolls; end with the headline and how to
	// read it again.
	cmd := "fieldscreen show " + shortID(iv.ID)
	if outcome := outcomeLabel(sc); outcome != "" {
		fmt.Fprintln(a.io.Err, words.T(f, iv.Language, "cli_done", "outcome", outcome, "cmd", cmd))
	} else { // a flow of its own may give no outcome
		fmt.Fprintln(a.io.Err, words.T(f, iv.Language, "cli_done_plain", "cmd", cmd))
	}
	return nil
}

// storeForNewInterview returns where a new interview is stored with its
// first answer. An existing store is opened now, so a wrong passphrase is
// known before the person is asked anything. A new store's passphrase is
// asked now, but the store is created only with the first answer: an
// interview stopped before it leaves nothing behind.
func (a *app) storeForNewInterview() (func() (*store.Store, error), error) {
	path, err := a.storePath()
	if err != nil {
		return nil, err
	}
	if store.Exists(path) {
		st, err := a.openStore(false)
		if err != nil {
			return nil, err
		}
		a.waitForStore(st)
		return func() (*store.Store, error) { return st, nil }, nil
	}
	pass, err := a.passphrase("New passphrase for the interview store: ", true)
	if err != nil {
		return nil, err
	}
	a.pass = pass
	var st *store.Store
	return func() (*store.Store, error) {
		if st != nil {
			return st, nil
		}
		s, err := store.Create(path, pass)
		created := err == nil
		if errors.Is(err, store.ErrExists) {
			// Made meanwhile by another interview on this computer.
			s, err = store.Open(path, pass)
		}
		if created {
			a.created = path // said when the screens are gone
		}
		if err != nil {
			return nil, err
		}
		a.opened = append(a.opened, s)
		s.OnDamage(a.warnDamagedIndex)
		a.waitForStore(s)
		st = s
		return s, nil
	}, nil
}

// liveLockWait is how long a live interview waits for another process
// that holds the store; one-shot commands give up after a second.
const liveLockWait = 15 * time.Minute

// replacedAnswers reports whether any answer of the interview was changed
// or dropped, leaving older versions in the store's free pages.
func replacedAnswers(iv *record.Interview) bool {
	for _, e := range iv.Audit {
		if e.Event == record.EventChanged || e.Event == record.EventDropped {
			return true
		}
	}
	return false
}

// outcomeLabel is the summary's headline in the reader's language.
func outcomeLabel(s scored) string {
	v := s.sum.GetString("outcome")
	for _, fd := range s.flow.Findings {
		if fd.Field != "outcome" {
			continue
		}
		for _, c := range fd.Cases {
			if c.Value == v && !c.Label.Empty() {
				return s.flow.T(c.Label, s.lang)
			}
		}
	}
	return v
}
